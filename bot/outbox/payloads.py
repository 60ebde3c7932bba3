"""The outbox's own payloads (Telegram-free, so services can queue them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from storage.payloads import Payload

__all__ = ["Refresh"]


@dataclass(frozen=True, slots=True)
class Refresh(Payload):
    """Bring every card of a draft's ``stage`` up to date."""

    KIND: ClassVar[str] = "refresh"
    stage: str
