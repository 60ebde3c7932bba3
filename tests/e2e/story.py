"""Steps users take again and again in the stories, written once."""

from __future__ import annotations

import re

from bot import texts
from storage.models import CATEGORIES
from tests.e2e.harness import Union, has_text
from tests.emulator import Message, ScriptedUser

__all__ = [
    "approve",
    "card_for",
    "fill_intake",
    "is_review_card",
    "pass_editing",
    "reject",
    "review_cards",
    "say",
    "submit_text",
    "tap",
]


async def tap(user: ScriptedUser, message: Message, button: str) -> str:
    """Press a button and return the bot's answer to the tap."""
    handle = await user.tap(message, button)
    answer = await handle.wait_answer()
    return answer.text or ""


async def fill_intake(union: Union, card: Message, category: int = 0) -> None:
    """The officer picks category, 校学生会原创, 原创, then 提交; waits for the confirmation."""
    officer = union.officer
    await tap(officer, card, CATEGORIES[category])
    await tap(officer, card, texts.BUTTON_SCHOOL)
    await tap(officer, card, texts.BUTTON_ORIGINAL)
    await tap(officer, card, texts.BUTTON_CONFIRM)
    await union.emu.wait_for_edit(card, lambda m: "已提交" in m.text)


async def submit_text(union: Union, body: str) -> Message:
    """The officer sends a text draft privately and confirms it; returns the intake card."""
    await union.officer.send_text(body)
    card = await union.emu.wait_for_message(union.officer, has_text("请用下面的按钮"))
    await fill_intake(union, card)
    return card


def is_review_card(message: Message, tier: int) -> bool:
    """Whether ``message`` is a review card of ``tier``, in whatever state its header says."""
    first = message.text.split("\n", 1)[0]
    return re.search(f"第 {tier} 级(审核|已通过|已驳回)", first) is not None and "稿件 #" in first


def review_cards(union: Union, chat: object, tier: int) -> list[Message]:
    """The review cards of ``tier`` in ``chat`` so far."""
    return [m for m in union.emu.messages(chat) if is_review_card(m, tier)]  # type: ignore[arg-type]


async def card_for(union: Union, chat: object, draft_id: int, tier: int, version: int) -> Message:
    """The review card of ``tier`` for this version."""
    return await union.emu.wait_for_message(
        chat,  # type: ignore[arg-type]
        lambda m: is_review_card(m, tier) and f"稿件 #{draft_id} · 第 {version} 版" in m.text,
    )


async def approve(user: ScriptedUser, card: Message) -> str:
    """A reviewer taps 通过; returns the bot's answer."""
    return await tap(user, card, texts.BUTTON_APPROVE)


async def reject(
    union: Union,
    user: ScriptedUser,
    card: Message,
    reason: str,
    criteria: tuple[str, ...] = (),
) -> Message:
    """A reviewer taps 驳回 on ``card``, ticks ``criteria`` (the first criterion when none is
    given: a rejection names at least one) and replies ``reason``; the prompt."""
    emu = union.emu
    chat = card.chat
    criteria = criteria or (texts.CRITERIA["1"],)
    await tap(user, card, texts.BUTTON_REJECT)
    prompt = await emu.wait_for_message(chat, has_text("未达标的标准"))
    for criterion in criteria:
        await tap(user, prompt, texts.UNCHECKED + criterion)
        ticked = texts.TICKED + criterion
        await emu.wait_for_edit(prompt, lambda m: ticked in m.button_texts)  # noqa: B023
    await tap(user, prompt, texts.BUTTON_REASON)
    await emu.wait_for_edit(prompt, has_text("回复本消息"))
    await user.send_text(reason, chat=chat, reply_to=prompt)
    return prompt


async def pass_editing(union: Union) -> Message:
    """The editor claims the newest draft in the editors' chat and sends it on unchanged."""
    editing = await union.emu.wait_for_message(union.editors, has_text("待排版"))
    await tap(union.editor, editing, texts.BUTTON_CLAIM)
    await union.emu.wait_for_edit(editing, lambda m: texts.BUTTON_SEND in m.button_texts)
    await tap(union.editor, editing, texts.BUTTON_SEND)
    return editing


async def say(union: Union, user: ScriptedUser, text: str, **kwargs: object) -> Message:
    """``user`` sends ``text`` privately (or where ``chat=`` says); returns the bot's answer."""
    mark = union.emu.mark()
    await user.send_text(text, **kwargs)  # type: ignore[arg-type]
    where = kwargs.get("chat", user)
    return await union.emu.wait_for_message(where, since=mark)  # type: ignore[arg-type]
