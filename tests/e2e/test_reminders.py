"""Reminders in the real process: a restart in the middle loses and repeats nothing."""

from __future__ import annotations

import pytest

from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import card_for, pass_editing, submit_text

FAST = {
    "deadline_clock": "calendar",
    "quiet_hours": "",
    "review_deadline_hours": 0.0008,
    "original_deadline_hours": 0.0008,
    "nudge_interval_hours": 0.0008,
    "max_nudges": 3,
}


@pytest.mark.union_config(reminders=FAST)
async def test_nudges_survive_a_kill_without_repeats(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    await submit_text(union, "重启测试\n正文")
    await pass_editing(union)
    await card_for(union, union.tier1, 1, 1, 1)
    await emu.wait_for_message(union.tier1, has_text("第 1 次提醒"))
    await bot.kill()
    await bot.start()
    await emu.wait_for_message(union.tier1, has_text("第 2 次提醒"))
    await emu.wait_for_message(union.tier1, has_text("第 3 次提醒"))
    await emu.wait_for_message(union.admins, has_text("请管理员协调"))
    numbers = [m.text.split("第 ")[-1][:1] for m in emu.messages(union.tier1) if "次提醒" in m.text]
    assert sorted(numbers) == ["1", "2", "3"]
