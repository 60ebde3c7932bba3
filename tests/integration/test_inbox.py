"""The audience inbox: a student's question relayed, answered, relayed back; promises and limits."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from bot import texts
from tests.e2e.harness import Union, has_text
from tests.e2e.story import say, tap
from tests.emulator import AlbumPhoto, BotApiEmulator
from tests.fixtures_docs import make_png

FAST = {
    "deadline_clock": "calendar",
    "quiet_hours": "",
    "ack_window_hours": 0.0006,
    "promise_hours": 0.0012,
    "nudge_interval_hours": 0.0006,
    "max_nudges": 2,
    "open_questions_per_student": 2,
}


async def test_a_question_is_relayed_answered_and_relayed_back(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    ack = await say(union, union.stranger, "请问<奖学金>什么时候评定？")
    assert ack.text == texts.QUESTION_RECEIVED.format(id=1)
    card = await emu.wait_for_message(union.inbox, has_text("问题 #1"))
    assert "请问<奖学金>什么时候评定？" in card.text and "路人甲" in card.text
    assert await tap(
        union.officer, card, texts.BUTTON_QUESTION_CLAIM
    ) == texts.QUESTION_CLAIMED.format(id=1)
    await emu.wait_for_edit(card, has_text("张信息 已认领"))
    assert "已由 张信息 认领" in await tap(union.editor, card, texts.BUTTON_QUESTION_CLAIM)
    # A follow-up, as a reply to the acknowledgement, joins the same thread.
    await union.stranger.send_photo(make_png(), caption="补充：这是通知截图", reply_to=ack)
    followup = await emu.wait_for_message(union.inbox, has_text("问题 #1 的补充"))
    await emu.wait_for_message(union.inbox, lambda m: m.photo is not None)
    # The officer answers by replying to the follow-up; the student gets it.
    await union.officer.send_text("12月评定，请留意学院通知。", chat=union.inbox, reply_to=followup)
    answer = await emu.wait_for_message(union.stranger, has_text("学生会回复"))
    assert "12月评定" in answer.text and "#1" in answer.text
    await emu.wait_for_message(union.inbox, has_text("已转达"))
    await emu.wait_for_edit(card, lambda m: "已于" in m.text and not m.buttons)
    overview = await say(union, union.officer, "/inbox")
    assert texts.INBOX_EMPTY in overview.text and "按时回复 1 个" in overview.text
    assert emu.errors == []


@pytest.mark.union_config(reminders=FAST)
async def test_an_unanswered_question_gets_a_promise_then_overdue_reminders(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await say(union, union.stranger, "宿舍报修找谁？")
    card = await emu.wait_for_message(union.inbox, has_text("问题 #1"))
    promise = await emu.wait_for_message(union.stranger, has_text("前回复你"), timeout=30)
    assert "#1" in promise.text
    alert = await emu.wait_for_message(union.inbox, has_text("已向提问人承诺"), timeout=30)
    nudge = await emu.wait_for_message(union.inbox, has_text("第 1 次提醒"), timeout=30)
    # Each reminder in the inbox chat replies to the question's card.
    for reminder in (alert, nudge):
        assert reminder.reply_to is not None and reminder.reply_to.message_id == card.message_id
    await emu.wait_for_message(union.admins, has_text("第 2 次提醒"), timeout=30)
    listing = await say(union, union.admin, "/inbox")
    assert (
        "#1 路人甲" in listing.text and "承诺" in listing.text and "当前逾期 1 个" in listing.text
    )
    # Marked handled: no more reminders, the card closes.
    mark = emu.mark()
    await tap(union.admin, card, texts.BUTTON_QUESTION_RESOLVE)
    card = await emu.wait_for_edit(card, has_text("已标记为已处理"))
    # The card names who settled it, and the student promised a reply hears it is closed.
    assert "李管理 已标记为已处理" in card.text and "—" not in card.text
    told = await emu.wait_for_message(union.stranger, since=mark)
    assert told.text == texts.QUESTION_SETTLED_TO_STUDENT.format(id=1)


@pytest.mark.union_config(reminders=FAST)
async def test_a_student_cannot_flood_the_inbox(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await say(union, union.stranger, "问题一")
    await say(union, union.stranger, "问题二")
    refused = await say(union, union.stranger, "问题三")
    assert refused.text == texts.QUESTION_FLOOD.format(count=2)
    cards = [m for m in emu.messages(union.inbox) if m.text.startswith("❓ 问题 #")]
    assert len(cards) == 2


@pytest.mark.union_config(reminders=FAST)
async def test_screenshots_sent_together_are_one_question(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    # Three screenshots in one album, with more than the two open questions a student may have.
    shots = [
        AlbumPhoto(make_png(3 + i, 3), caption="报修单被退回了" if i == 0 else None)
        for i in range(3)
    ]
    await union.stranger.send_album(shots)
    ack = await emu.wait_for_message(union.stranger, has_text("#1"))
    assert ack.text == texts.QUESTION_RECEIVED.format(id=1)
    card = await emu.wait_for_message(union.inbox, has_text("问题 #1"))
    await emu.wait_for(
        lambda: len([m for m in emu.messages(union.inbox) if m.photo is not None]) == 3,
        what="the three screenshots in the inbox",
    )
    photos = [m for m in emu.messages(union.inbox) if m.photo is not None]
    # Each screenshot follows the question's card; no card, no question, no answer per file.
    assert all(m.reply_to is not None and m.reply_to.message_id == card.message_id for m in photos)
    assert not [m for m in emu.messages(union.inbox) if "问题 #2" in m.text]
    told = [m for m in emu.messages(union.stranger) if m.from_bot]
    assert [m.text for m in told] == [ack.text]
    overview = await say(union, union.officer, "/inbox")
    assert "#1" in overview.text and "#2" not in overview.text
    assert emu.errors == []
