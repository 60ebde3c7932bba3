"""The inbox's question card: its text, its 认领 / 已处理 buttons and their callback data."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.formatting import Fitted, Html, Names, fit, fmt_time, mention
from storage.inbox import Question

__all__ = ["PATTERN", "QuestionTap", "keyboard", "parse", "question_card"]

# Routes a tap here (PTB ``pattern=``); ``parse`` then checks the whole shape.
PATTERN = r"^iq:"
_QUESTION = re.compile(r"iq:([1-9][0-9]{0,9}):([cr])")


@dataclass(frozen=True, slots=True)
class QuestionTap:
    """认领 (c) or 已处理 (r) on an inbox question card."""

    question_id: int
    action: str

    def encode(self) -> str:
        """The callback data for this button."""
        return f"iq:{self.question_id}:{self.action}"


def parse(data: str | None) -> QuestionTap | None:
    """The tap this callback data stands for, or None when it is malformed."""
    m = _QUESTION.fullmatch(data or "")
    return QuestionTap(int(m[1]), m[2]) if m else None


def keyboard(question_id: int) -> InlineKeyboardMarkup:
    """认领 and 已处理 on an inbox card."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.BUTTON_QUESTION_CLAIM,
                    callback_data=QuestionTap(question_id, "c").encode(),
                ),
                InlineKeyboardButton(
                    texts.BUTTON_QUESTION_RESOLVE,
                    callback_data=QuestionTap(question_id, "r").encode(),
                ),
            ]
        ]
    )


def question_card(question: Question, body: str, names: Names) -> Fitted:
    """The inbox card of a question, with who claimed, answered or settled it; a question too
    long for a card is shortened on it (``cut``), and sent in full as a file beside it."""
    if question.state == "resolved":
        settler = question.settled_by or question.claimed_by
        status = (
            texts.QUESTION_STATUS_RESOLVED.format(who=names(settler))
            if settler is not None
            else texts.QUESTION_STATUS_RESOLVED_NOBODY
        )
    elif question.first_reply_at is not None:
        status = texts.QUESTION_STATUS_ANSWERED.format(
            who=names(question.first_reply_by), at=fmt_time(question.first_reply_at, names.tz)
        )
    elif question.claimed_by is not None:
        status = texts.QUESTION_STATUS_CLAIMED.format(who=names(question.claimed_by))
    else:
        status = texts.QUESTION_STATUS_OPEN
    return fit(
        texts.QUESTION_CARD,
        id=question.id,
        student=Html(mention(question.student_id, question.student_name)),
        body=body or Html(texts.QUESTION_ATTACHMENT),
        status=Html(status),
    )
