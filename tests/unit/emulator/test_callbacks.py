"""Taps, answerCallbackQuery rules, and the test-bug errors for impossible taps."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from tests.emulator import BotApiEmulator, EmulatorUsageError, Message, ScriptedUser

from .conftest import FakeClock


async def review_card(emu: BotApiEmulator, bot: Bot, user: ScriptedUser) -> Message:
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("通过", callback_data="rv:1:ok"),
                InlineKeyboardButton("驳回", callback_data="rv:1:no"),
            ],
            [InlineKeyboardButton("原文", url="https://example.com/doc")],
        ]
    )
    await bot.send_message(user.id, "稿件 #1 待审", reply_markup=markup)
    return await emu.wait_for_message(chat=user)


async def test_tap_creates_callback_and_answer_is_seen(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    card = await review_card(emu, bot, alice)
    assert card.buttons[0] == [("通过", "rv:1:ok"), ("驳回", "rv:1:no")]
    handle = await alice.tap(card, "通过")
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "rv:1:ok"
    assert query.message is not None and query.message.message_id == card.message_id
    await bot.answer_callback_query(query.id, "已通过", show_alert=True)
    answer = await handle.wait_answer(timeout=5)
    assert (answer.text, answer.show_alert) == ("已通过", True)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query.id, "again")
    assert emu.unanswered_callbacks() == []


async def test_answer_after_age_limit_fails(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser, clock: FakeClock
) -> None:
    card = await review_card(emu, bot, alice)
    handle = await alice.tap(card, callback_data="rv:1:no")
    clock.advance(16)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(handle.id)
    assert not handle.answered


async def test_answer_text_limit(emu: BotApiEmulator, bot: Bot, alice: ScriptedUser) -> None:
    card = await review_card(emu, bot, alice)
    handle = await alice.tap(card, "驳回")
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(handle.id, "长" * 201)
    await bot.answer_callback_query(handle.id, "长" * 200)


async def test_unknown_query_id(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("12345")


async def test_impossible_taps_are_test_bugs(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser, bob: ScriptedUser
) -> None:
    card = await review_card(emu, bot, alice)
    with pytest.raises(EmulatorUsageError, match="has no button '发布'"):
        await alice.tap(card, "发布")
    with pytest.raises(EmulatorUsageError, match="not a callback button"):
        await alice.tap(card, "原文")
    with pytest.raises(EmulatorUsageError, match="cannot see"):
        await bob.tap(card, "通过")


async def test_forged_callback_reaches_the_bot(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    card = await review_card(emu, bot, alice)
    await alice.tap_forged(card, "rv:99:1:1:a")
    (update,) = await bot.get_updates()
    assert update.callback_query is not None
    assert update.callback_query.data == "rv:99:1:1:a"
    assert "伪造回调" in emu.transcript()
