"""What a failed send means: try again later, wait for a person or a chat, or give up.

Telegram's answers are sorted into three kinds, by the error class and Telegram's own words:
- ``Transient``: the network, a timeout, a 5xx, 429 (with its ``retry_after``). Retried by time.
- ``Unreachable``: a person who never opened a chat with the bot or blocked it, a group that
  removed the bot, a channel where it may not post, a chat that does not exist. Nothing but that
  person or chat can fix it, so the item waits for them, named.
- ``Broken``: Telegram refused the message itself (too long, bad markup). A retry cannot help.

Senders wrap each call in ``reaching(chat_id)`` so a failure names the chat it is about.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from types import TracebackType

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

__all__ = [
    "Broken",
    "SendFailure",
    "Transient",
    "Unreachable",
    "WaitReason",
    "classify",
    "reaching",
]

logger = logging.getLogger(__name__)


class WaitReason(StrEnum):
    """Why an item waits for a person or a chat; each has its fix in the texts."""

    NOT_STARTED = "not_started"
    BLOCKED = "blocked"
    REMOVED = "removed"
    CANNOT_POST = "cannot_post"
    NOT_FOUND = "not_found"
    DEACTIVATED = "deactivated"
    # A public post caught mid-send by a crash: a person checks whether it appeared.
    UNCERTAIN = "uncertain"


class SendFailure(Exception):
    """A classified failure of one send."""


class Transient(SendFailure):
    """Try again later (not before ``retry_after`` seconds, when Telegram said so)."""

    def __init__(self, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class Unreachable(SendFailure):
    """Nothing goes to ``chat_id`` until its person or its admins act."""

    def __init__(self, chat_id: int, reason: WaitReason, detail: str = "") -> None:
        super().__init__(f"{chat_id}: {reason.value} ({detail})")
        self.chat_id = chat_id
        self.reason = reason
        self.detail = detail


class Broken(SendFailure):
    """Telegram refused the message itself; sending it again cannot help."""


# Telegram's words, lower-cased, for each cause that waits for a person or a chat.
_WAITS: tuple[tuple[str, WaitReason], ...] = (
    ("can't initiate conversation", WaitReason.NOT_STARTED),
    ("bot can't send messages to bots", WaitReason.NOT_FOUND),
    ("blocked by the user", WaitReason.BLOCKED),
    ("user is deactivated", WaitReason.DEACTIVATED),
    ("kicked", WaitReason.REMOVED),
    ("not a member", WaitReason.REMOVED),
    ("chat was deleted", WaitReason.REMOVED),
    ("group chat was upgraded", WaitReason.REMOVED),
    ("need administrator rights", WaitReason.CANNOT_POST),
    ("not enough rights", WaitReason.CANNOT_POST),
    ("have no rights", WaitReason.CANNOT_POST),
    ("chat_write_forbidden", WaitReason.CANNOT_POST),
    ("chat not found", WaitReason.NOT_FOUND),
    ("user not found", WaitReason.NOT_FOUND),
    ("peer_id_invalid", WaitReason.NOT_FOUND),
)


def classify(exc: BaseException, chat_id: int | None) -> SendFailure | None:
    """The kind of failure ``exc`` is when sending to ``chat_id``; None when it is not one."""
    if isinstance(exc, SendFailure):
        return exc
    if isinstance(exc, RetryAfter):
        after = exc.retry_after
        seconds = after.total_seconds() if hasattr(after, "total_seconds") else float(after)
        return Transient(f"rate limited for {seconds:g} s", seconds)
    if isinstance(exc, ChatMigrated):
        if chat_id is None:
            return Broken(str(exc))
        return Unreachable(chat_id, WaitReason.REMOVED, f"now {exc.new_chat_id}")
    if isinstance(exc, Forbidden | BadRequest):
        text = str(exc).lower()
        for words, reason in _WAITS:
            if words in text:
                if chat_id is None:
                    return Broken(str(exc))
                return Unreachable(chat_id, reason, str(exc))
        if isinstance(exc, Forbidden) and chat_id is not None:
            return Unreachable(chat_id, WaitReason.CANNOT_POST, str(exc))
        return Broken(str(exc))
    if isinstance(exc, TimedOut | NetworkError | OSError):
        return Transient(str(exc) or type(exc).__name__)
    if isinstance(exc, TelegramError):
        return Transient(str(exc))
    return None


class reaching:
    """``with reaching(chat_id):`` classifies a failure inside as a failure to reach that chat."""

    def __init__(self, chat_id: int | None) -> None:
        self.chat_id = chat_id

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if exc is None or isinstance(exc, SendFailure):
            return
        classified = classify(exc, self.chat_id)
        if classified is not None:
            raise classified from exc
