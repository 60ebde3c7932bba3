"""Long user text meets Telegram's limits (issue 9): a ~4,000-character rejection reason, an inbox
answer and a student's follow-up of 4,096 characters. Through the strict emulator, which refuses
what Telegram refuses."""

from __future__ import annotations

from telegram.ext import Application

from bot import texts
from bot.formatting import MESSAGE_LIMIT, units
from tests.e2e.harness import Union, has_text
from tests.e2e.story import card_for, pass_editing, reject, say, submit_text
from tests.emulator import BotApiEmulator, Message


def _long(length: int) -> str:
    """User text with everything that costs: Chinese, emoji (two UTF-16 units), <&>, lines."""
    unit = "审核意见<&>😀第二段\n"
    return (unit * (length // len(unit) + 1))[:length]


def _flat(text: str) -> str:
    # Telegram drops white space around a message, so pieces are compared without it.
    return "".join(text.split())


async def test_a_rejection_reason_of_4000_characters_closes_the_card(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "迎新晚会通知\n时间地点见正文。")
    await pass_editing(union)
    card = await card_for(union, union.tier1, 1, 1, 1)
    reason = _long(4000)
    await reject(union, union.reviewer1, card, reason)
    await emu.wait_for_edit(card, lambda m: "已驳回" in m.text and not m.buttons)
    assert "理由：审核意见<&>😀第二段" in card.text and card.text.endswith("…")
    assert units(card.text) <= MESSAGE_LIMIT
    assert texts.BUTTON_APPROVE not in card.button_texts
    # The submitter's notice comes first, with the whole reason as a file (the next test).
    await emu.wait_for_message(
        union.officer,
        lambda m: m.document is not None and "驳回理由" in (m.document.file_name or ""),
    )
    # /status and /history show it shortened, and the whole of it as a file.
    for command, file_name in (
        ("/status 1", "稿件1-进度-全文.txt"),
        ("/history 1", "稿件1-审计记录-全文.txt"),
    ):
        mark = emu.mark()
        await union.officer.send_text(command)
        full = await emu.wait_for_message(
            union.officer, lambda m: m.document is not None, since=mark
        )
        assert full.document is not None and full.document.file_name == file_name
        assert reason in full.document.data.decode("utf-8")
        shown = [m for m in emu.messages(union.officer)[-6:] if m.document is None]
        assert any("审核意见<&>😀第二段" in m.text for m in shown)
        assert all(units(m.text) <= MESSAGE_LIMIT for m in shown)
    assert emu.errors == []


async def test_a_rejection_reason_of_4000_characters_reaches_the_submitter_whole(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "迎新晚会通知\n时间地点见正文。")
    await pass_editing(union)
    card = await card_for(union, union.tier1, 1, 1, 1)
    reason = _long(4000)
    await reject(union, union.reviewer1, card, reason)
    notice = await emu.wait_for_message(union.officer, has_text("被 赵部长 驳回"))
    assert "理由：审核意见<&>😀第二段" in notice.text
    full = await emu.wait_for_message(union.officer, lambda m: m.document is not None)
    assert full.document is not None and full.document.file_name is not None
    assert full.document.file_name.startswith("稿件1-第1版-驳回理由")
    assert reason in full.document.data.decode("utf-8")
    assert emu.errors == []


async def _question(union: Union, emu: BotApiEmulator) -> tuple[Message, Message]:
    ack = await say(union, union.stranger, "请问奖学金什么时候评定？")
    card = await emu.wait_for_message(union.inbox, has_text("问题 #1"))
    return ack, card


async def test_a_staff_answer_of_4096_characters_reaches_the_student_in_full(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    _, card = await _question(union, emu)
    answer = _long(4096)
    mark = emu.mark()
    await union.officer.send_text(answer, chat=union.inbox, reply_to=card)
    relayed = await emu.wait_for_message(union.inbox, has_text("已转达"), since=mark)
    assert relayed.text == texts.ANSWER_RELAYED.format(id=1)
    parts = [m for m in emu.messages(union.stranger) if "问题 #1" in m.text and "回复" in m.text]
    assert len(parts) == 2 and "问题 #1 的回复（续）" in parts[1].text
    header, more = "学生会回复：", "的回复（续）："
    got = parts[0].text.split(header, 1)[1] + parts[1].text.split(more, 1)[1]
    assert _flat(got) == _flat(answer)
    assert all(units(m.text) <= MESSAGE_LIMIT for m in parts)
    assert emu.errors == []


async def test_a_follow_up_of_4096_characters_reaches_the_inbox_in_full(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    ack, _ = await _question(union, emu)
    follow_up = _long(4096)
    mark = emu.mark()
    await union.stranger.send_text(follow_up, reply_to=ack)
    done = await emu.wait_for_message(union.stranger, has_text("已补充"), since=mark)
    assert done.text == texts.QUESTION_FOLLOWUP.format(id=1)
    parts = [m for m in emu.messages(union.inbox) if "问题 #1 的补充" in m.text]
    assert len(parts) == 2
    got = parts[0].text.split("\n", 1)[1] + parts[1].text.split("\n", 1)[1]
    assert _flat(got) == _flat(follow_up)
    # Staff can answer by replying to either part.
    await union.officer.send_text("收到，已记录。", chat=union.inbox, reply_to=parts[1])
    answer = await emu.wait_for_message(union.stranger, has_text("学生会回复"))
    assert "收到，已记录。" in answer.text
    assert emu.errors == []


async def test_a_question_of_4096_characters_is_shortened_on_its_card_and_sent_whole(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    question = _long(4096)
    await union.stranger.send_text(question)
    card = await emu.wait_for_message(union.inbox, has_text("问题 #1"))
    assert card.buttons and units(card.text) <= MESSAGE_LIMIT
    full = await emu.wait_for_message(union.inbox, lambda m: m.document is not None)
    assert full.document is not None and full.document.file_name == "问题1-全文.txt"
    assert question.strip() in full.document.data.decode("utf-8")
    await union.officer.send_text("请看学院通知。", chat=union.inbox, reply_to=full)
    answer = await emu.wait_for_message(union.stranger, has_text("学生会回复"))
    assert "请看学院通知。" in answer.text
    assert emu.errors == []
