"""Callback data: short ASCII strings, parsed strictly and never trusted beyond their shape.

Every tap is validated against the database afterwards; this module only rejects what is not
even well-formed, so forged or truncated data gets a clear answer instead of an exception.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

__all__ = [
    "CARD_PATTERN",
    "EDITING_PATTERN",
    "INTAKE_PATTERN",
    "MAX_CALLBACK_BYTES",
    "PUBLISH_PATTERN",
    "REJECT_PATTERN",
    "REVIEW_PATTERN",
    "CardTap",
    "ClaimTap",
    "IntakeTap",
    "PublishTap",
    "RejectTap",
    "ReviewTap",
    "SendTap",
    "Tap",
    "parse",
    "parse_card",
    "parse_editing",
    "parse_intake",
    "parse_publish",
    "parse_reject",
    "parse_review",
]

MAX_CALLBACK_BYTES = 64

T = TypeVar("T")

# Each prefix routes a tap to its handler (PTB ``pattern=``); the parser then checks the shape.
REVIEW_PATTERN = r"^rv:"
REJECT_PATTERN = r"^rj:"
INTAKE_PATTERN = r"^in:"
EDITING_PATTERN = r"^ed:"
PUBLISH_PATTERN = r"^pb:"
CARD_PATTERN = r"^pc:"

_INT = r"([1-9][0-9]{0,9})"
_REVIEW = re.compile(rf"rv:{_INT}:{_INT}:([123]):([ar])")
_REJECT = re.compile(rf"rj:{_INT}:([123nx]|t[1-9][0-9]{{0,5}})")
_INTAKE = re.compile(rf"in:{_INT}:(c[0-5]|a[scr]|o[01]|u[01]|t|go|x)")
_CLAIM = re.compile(rf"ed:{_INT}:{_INT}:c")
_SEND = re.compile(rf"ed:{_INT}:{_INT}:s")
_PUBLISH = re.compile(rf"pb:{_INT}:{_INT}")
_CARD = re.compile(rf"pc:{_INT}:{_INT}:([123])")


@dataclass(frozen=True, slots=True)
class ReviewTap:
    """通过 or 驳回 on a review card."""

    draft_id: int
    version: int
    tier: int
    approve: bool

    def encode(self) -> str:
        """The callback data for this button."""
        return f"rv:{self.draft_id}:{self.version}:{self.tier}:{'a' if self.approve else 'r'}"


@dataclass(frozen=True, slots=True)
class RejectTap:
    """A criterion toggled, 填写理由 (n), 取消 (x) or a reason template (t<id>) toggled on a
    rejection prompt."""

    prompt_id: int
    action: str

    def encode(self) -> str:
        """The callback data for this button."""
        return f"rj:{self.prompt_id}:{self.action}"


@dataclass(frozen=True, slots=True)
class IntakeTap:
    """A choice on the submitter's intake card (category, attribution, original, title...)."""

    draft_id: int
    action: str

    def encode(self) -> str:
        """The callback data for this button."""
        return f"in:{self.draft_id}:{self.action}"


@dataclass(frozen=True, slots=True)
class ClaimTap:
    """An editor claims the layout of a draft."""

    draft_id: int
    version: int

    def encode(self) -> str:
        """The callback data for this button."""
        return f"ed:{self.draft_id}:{self.version}:c"


@dataclass(frozen=True, slots=True)
class SendTap:
    """The claiming editor sends the current version to tier 1."""

    draft_id: int
    version: int

    def encode(self) -> str:
        """The callback data for this button."""
        return f"ed:{self.draft_id}:{self.version}:s"


@dataclass(frozen=True, slots=True)
class PublishTap:
    """发布 on an approved draft when publishing is manual."""

    draft_id: int
    version: int

    def encode(self) -> str:
        """The callback data for this button."""
        return f"pb:{self.draft_id}:{self.version}"


@dataclass(frozen=True, slots=True)
class CardTap:
    """发卡片 in /pending: the live review card of a draft, here and now."""

    draft_id: int
    version: int
    tier: int

    def encode(self) -> str:
        """The callback data for this button."""
        return f"pc:{self.draft_id}:{self.version}:{self.tier}"


Tap = ReviewTap | RejectTap | IntakeTap | ClaimTap | SendTap | PublishTap | CardTap


def parse(data: str | None) -> Tap | None:
    """The tap this callback data stands for, or None when it is malformed."""
    if not data or len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        return None
    if m := _REVIEW.fullmatch(data):
        return ReviewTap(int(m[1]), int(m[2]), int(m[3]), m[4] == "a")
    if m := _REJECT.fullmatch(data):
        return RejectTap(int(m[1]), m[2])
    if m := _INTAKE.fullmatch(data):
        return IntakeTap(int(m[1]), m[2])
    if m := _CLAIM.fullmatch(data):
        return ClaimTap(int(m[1]), int(m[2]))
    if m := _SEND.fullmatch(data):
        return SendTap(int(m[1]), int(m[2]))
    if m := _PUBLISH.fullmatch(data):
        return PublishTap(int(m[1]), int(m[2]))
    if m := _CARD.fullmatch(data):
        return CardTap(int(m[1]), int(m[2]), int(m[3]))
    return None


def _narrower(kind: type[T]) -> Callable[[str | None], T | None]:
    """A parser for one handler: the tap when ``data`` is well-formed and of ``kind``, else None."""

    def narrow(data: str | None) -> T | None:
        tap = parse(data)
        return tap if isinstance(tap, kind) else None

    return narrow


parse_review = _narrower(ReviewTap)
parse_reject = _narrower(RejectTap)
parse_intake = _narrower(IntakeTap)
parse_publish = _narrower(PublishTap)
parse_card = _narrower(CardTap)


def parse_editing(data: str | None) -> ClaimTap | SendTap | None:
    """认领排版 or 送审, or None (two kinds, one handler)."""
    tap = parse(data)
    return tap if isinstance(tap, ClaimTap | SendTap) else None
