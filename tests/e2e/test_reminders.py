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
    await emu.wait_for_message(union.tier1, has_text("第 1 次提醒"), timeout=30)
    await bot.kill()
    await bot.start()
    await emu.wait_for_message(union.tier1, has_text("第 2 次提醒"), timeout=30)
    await emu.wait_for_message(union.tier1, has_text("第 3 次提醒"), timeout=30)
    await emu.wait_for_message(union.admins, has_text("请管理员协调"), timeout=30)
    numbers = [m.text.split("第 ")[-1][:1] for m in emu.messages(union.tier1) if "次提醒" in m.text]
    assert sorted(numbers) == ["1", "2", "3"]


INBOX_FAST = {
    "deadline_clock": "calendar",
    "quiet_hours": "",
    "ack_window_hours": 0.0006,
    "promise_hours": 0.0015,
    "nudge_interval_hours": 0.0006,
    "max_nudges": 2,
}


@pytest.mark.union_config(reminders=INBOX_FAST)
async def test_a_question_survives_a_kill_promise_once_overdue_once(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    await union.stranger.send_text("社团招新什么时候开始？")
    await emu.wait_for_message(union.stranger, has_text("已收到你的问题"))
    card = await emu.wait_for_message(union.inbox, has_text("问题 #1"))
    await emu.wait_for_message(union.stranger, has_text("前回复你"), timeout=30)
    await bot.kill()
    await bot.start()
    await emu.wait_for_message(union.inbox, has_text("第 1 次提醒"), timeout=30)
    await emu.wait_for_message(union.inbox, has_text("第 2 次提醒"), timeout=30)
    await union.editor.send_text("下周一开始，详见公众号。", chat=union.inbox, reply_to=card)
    answer = await emu.wait_for_message(union.stranger, has_text("学生会回复"))
    assert "下周一开始" in answer.text
    promises = [m for m in emu.messages(union.stranger) if "前回复你" in m.text]
    overdue = [m for m in emu.messages(union.inbox) if "次提醒" in m.text]
    assert len(promises) == 1 and len(overdue) == 2
