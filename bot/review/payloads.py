"""What the review feature queues: its outbox deliveries and its nudges, as typed payloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from storage.payloads import Payload

__all__ = [
    "EditingCard",
    "IntakeCard",
    "Notice",
    "Publish",
    "PublishCard",
    "ReviewCard",
    "Stall",
]


@dataclass(frozen=True, slots=True)
class IntakeCard(Payload):
    """The submitter's intake card, in reply to the draft's message where that is a group."""

    KIND: ClassVar[str] = "intake_card"
    chat_id: int
    reply_to: int | None = None


@dataclass(frozen=True, slots=True)
class EditingCard(Payload):
    """The editors' card of a version waiting for layout."""

    KIND: ClassVar[str] = "editing_card"
    version: int


@dataclass(frozen=True, slots=True)
class ReviewCard(Payload):
    """A tier's review cards of one version (to ``chat_id`` alone when a draft is handed over)."""

    KIND: ClassVar[str] = "review_card"
    version: int
    tier: int
    # One person's own card: a reviewer who could not be reached with the others, a handover,
    # or a reviewer who asked for it again (/pending).
    chat_id: int | None = None


@dataclass(frozen=True, slots=True)
class PublishCard(Payload):
    """The 发布 card of an approved version (manual publishing)."""

    KIND: ClassVar[str] = "publish_card"
    version: int
    chat_id: int | None = None


@dataclass(frozen=True, slots=True)
class Publish(Payload):
    """The publication of an approved version, by whoever pressed 发布 (None: automatic)."""

    KIND: ClassVar[str] = "publish"
    version: int
    by: int | None = None


@dataclass(frozen=True, slots=True)
class Notice(Payload):
    """A notice about a draft to one chat; ``event`` names its text."""

    KIND: ClassVar[str] = "notify"
    event: str
    chat_id: int
    tier: int | None = None
    who: int | None = None
    version: int | None = None
    # The revise prompt this notice asks, linked to the message once it is sent.
    prompt_id: int | None = None


@dataclass(frozen=True, slots=True)
class Stall(Payload):
    """A nudge for a draft waiting in ``state`` (a reminder's payload)."""

    KIND: ClassVar[str] = "stall"
    state: str
    version: int
    number: int = 1
    escalate: bool = False
    urgent: bool = False
