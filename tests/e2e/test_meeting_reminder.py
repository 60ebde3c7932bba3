"""A meeting reminder with the agenda arrives in the group when it falls due."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import say

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.union_config(reminders={"quiet_hours": ""})
async def test_the_meeting_reminder_carries_the_agenda(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    meeting = (datetime.now(SHANGHAI) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    spec = f"{meeting.day}日 {meeting:%H:%M} 提前1分钟 不顺延"
    done = await say(union, union.admin, f"/meeting set {spec}", chat=union.admins)
    assert "已设置筹划会" in done.text
    await say(union, union.officer, "/agenda 元旦晚会分工")
    due = meeting - timedelta(minutes=1)
    reminder = await emu.wait_for_message(union.admins, has_text("筹划会提醒"), timeout=150)
    arrived = datetime.fromtimestamp(reminder.date, SHANGHAI)
    assert arrived >= due.replace(second=0) - timedelta(seconds=1)
    assert f"{meeting:%H:%M}" in reminder.text and "1分钟后" in reminder.text
    assert "1. 元旦晚会分工（张信息）" in reminder.text
    assert "数据" in reminder.text
