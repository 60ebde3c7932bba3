"""Quiet hours, as a phone would show them: everything the bot sends arrives without a sound.

One rule for every message (``bot.outbox.quiet``), so the test plays many kinds of send at once:
review cards and the file ahead of them, notices to the officer, a stand-in's notice, a student's
question relayed to the inbox and its acknowledgement, replies to commands.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import Application

from tests.e2e.harness import Union, has_text
from tests.e2e.story import card_for, pass_editing, say, submit_text
from tests.emulator import BotApiEmulator


def _around_now(hours: int) -> str:
    """Quiet hours from ``hours`` before now to ``hours`` after, in the union's time zone."""
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    return f"{now - timedelta(hours=hours):%H:%M}-{now + timedelta(hours=hours):%H:%M}"


@pytest.mark.union_config(reminders={"quiet_hours": _around_now(2)})
async def test_in_quiet_hours_every_message_arrives_silently(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    colleague = emu.add_user(2020, "周老师", username="zhou_ls", started=True)
    await say(union, colleague, "/start")
    await say(union, union.reviewer3, "/start")
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    await say(union, union.admin, f"/away @sun_ls {today} {today + timedelta(days=3)} @zhou_ls")
    await emu.wait_for_message(colleague, has_text("安排你在"))

    await say(union, union.stranger, "请问晚会几点开始？")
    await emu.wait_for_message(union.inbox, has_text("问题 #1"))

    await submit_text(union, "夜间稿件\n" + "正文很长。" * 400)
    await pass_editing(union)
    await card_for(union, union.tier1, 1, 1, 1)
    await emu.wait_for_message(union.officer, has_text("排版并送审"))

    sent = emu.bot_messages()
    kinds = {m.chat_id for m in sent}
    # Cards, the full text as a file, notices, the stand-in's notice, the relayed question.
    assert {union.tier1.id, union.editors.id, union.inbox.id, colleague.id} <= kinds
    assert any(m.content.media is not None for m in sent if m.chat_id == union.tier1.id)
    loud = [f"{m.chat_id}: {m.text[:30]}" for m in sent if not m.silent]
    assert loud == []
    assert emu.errors == []


@pytest.mark.union_config(reminders={"quiet_hours": ""})
async def test_outside_quiet_hours_messages_ring(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "白天稿件\n正文")
    await pass_editing(union)
    card = await card_for(union, union.tier1, 1, 1, 1)
    assert not card.silent
