"""Inline keyboards for cards and prompts."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.review.callbacks import (
    ClaimTap,
    IntakeTap,
    PublishTap,
    RejectTap,
    ReviewTap,
    SendTap,
)
from storage.models import CATEGORIES, Draft
from storage.reasons import ReasonTemplate

__all__ = ["editing", "intake", "publish", "reason_templates", "reject_criteria", "review"]


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _mark(chosen: bool, label: str) -> str:
    return texts.CHECKED + label if chosen else label


def intake(draft: Draft) -> InlineKeyboardMarkup:
    """Category, attribution, originality, urgency, title, confirm and cancel for the submitter."""
    d = draft.id
    categories = [
        _button(_mark(draft.category == name, name), IntakeTap(d, f"c{i}").encode())
        for i, name in enumerate(CATEGORIES)
    ]
    rows = [categories[i : i + 3] for i in range(0, len(categories), 3)]
    if not draft.by_volunteer:
        # A volunteer's draft belongs to the union (article 12): nothing to choose.
        rows.append(
            [
                _button(
                    _mark(draft.attribution == "school", texts.BUTTON_SCHOOL),
                    IntakeTap(d, "as").encode(),
                ),
                _button(
                    _mark(draft.attribution == "college", texts.BUTTON_COLLEGE),
                    IntakeTap(d, "ac").encode(),
                ),
                _button(
                    _mark(draft.attribution == "repost", texts.BUTTON_REPOST),
                    IntakeTap(d, "ar").encode(),
                ),
            ]
        )
    rows.append(
        [
            _button(
                _mark(draft.original is True, texts.BUTTON_ORIGINAL), IntakeTap(d, "o1").encode()
            ),
            _button(
                _mark(draft.original is False, texts.BUTTON_NOT_ORIGINAL),
                IntakeTap(d, "o0").encode(),
            ),
        ]
    )
    rows.append(
        [
            _button(_mark(not draft.urgent, texts.BUTTON_NOT_URGENT), IntakeTap(d, "u0").encode()),
            _button(_mark(draft.urgent, texts.BUTTON_URGENT), IntakeTap(d, "u1").encode()),
        ]
    )
    rows.append(
        [
            _button(texts.BUTTON_TITLE, IntakeTap(d, "t").encode()),
            _button(texts.BUTTON_CONFIRM, IntakeTap(d, "go").encode()),
            _button(texts.BUTTON_CANCEL, IntakeTap(d, "x").encode()),
        ]
    )
    return InlineKeyboardMarkup(rows)


def editing(draft: Draft) -> InlineKeyboardMarkup:
    """认领排版 before a claim, 送审 after it."""
    if draft.editor_id is None:
        return InlineKeyboardMarkup(
            [[_button(texts.BUTTON_CLAIM, ClaimTap(draft.id, draft.version).encode())]]
        )
    return InlineKeyboardMarkup(
        [[_button(texts.BUTTON_SEND, SendTap(draft.id, draft.version).encode())]]
    )


def review(draft_id: int, version: int, tier: int) -> InlineKeyboardMarkup:
    """通过 and 驳回 on a review card."""
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.BUTTON_APPROVE, ReviewTap(draft_id, version, tier, True).encode()),
                _button(texts.BUTTON_REJECT, ReviewTap(draft_id, version, tier, False).encode()),
            ]
        ]
    )


def reject_criteria(prompt_id: int, ticked: Sequence[str]) -> InlineKeyboardMarkup:
    """The three criteria as toggles, then 填写理由 and 取消."""
    rows = [
        [
            _button(
                (texts.TICKED if key in ticked else texts.UNCHECKED) + name,
                RejectTap(prompt_id, key).encode(),
            )
        ]
        for key, name in texts.CRITERIA.items()
    ]
    rows.append(
        [
            _button(texts.BUTTON_REASON, RejectTap(prompt_id, "n").encode()),
            _button(texts.BUTTON_CANCEL, RejectTap(prompt_id, "x").encode()),
        ]
    )
    return InlineKeyboardMarkup(rows)


def reason_templates(
    prompt_id: int, templates: Sequence[ReasonTemplate], chosen: Sequence[int]
) -> InlineKeyboardMarkup | None:
    """The ticked criteria's reason templates as toggles, one a row; None when there are none."""
    if not templates:
        return None
    rows = [
        [
            _button(
                (texts.TICKED + t.text)
                if t.id in chosen
                else texts.BUTTON_TEMPLATE.format(text=t.text),
                RejectTap(prompt_id, f"t{t.id}").encode(),
            )
        ]
        for t in templates
    ]
    rows.append([_button(texts.BUTTON_CANCEL, RejectTap(prompt_id, "x").encode())])
    return InlineKeyboardMarkup(rows)


def publish(draft: Draft) -> InlineKeyboardMarkup:
    """发布 for an approved draft."""
    return InlineKeyboardMarkup(
        [[_button(texts.BUTTON_PUBLISH, PublishTap(draft.id, draft.version).encode())]]
    )
