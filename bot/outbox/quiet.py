"""Quiet hours: whatever the bot sends while they last arrives without a sound.

One rule at the one place every send passes, rather than a ``disable_notification`` argument
at each call: a card, a notice to a stand-in, a student's question relayed to the inbox, a reply
in a group at night, and any message added later are all covered alike. An explicit
``disable_notification`` given by a caller is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

# PTB marks a parameter left at its default with DefaultValue and offers no public name for it
# (PTB is pinned below 23; tests/unit/outbox/test_quiet.py fails if it moves).
from telegram._utils.defaultvalue import DefaultValue
from telegram.ext import ExtBot

__all__ = ["QuietBot"]

logger = logging.getLogger(__name__)


def _never() -> bool:
    return False


class QuietBot(ExtBot[None]):
    """An ``ExtBot`` that sends silently while ``keep_quiet_when``'s rule holds."""

    # PTB freezes a bot's public attributes once built; protected ones stay settable.
    __slots__ = ("_quiet",)

    def __init__(self, token: str, **kwargs: Any) -> None:
        super().__init__(token, **kwargs)
        self._quiet: Callable[[], bool] = _never

    def keep_quiet_when(self, rule: Callable[[], bool]) -> None:
        """Send silently whenever ``rule()`` is true (asked at each send)."""
        self._quiet = rule

    def _insert_defaults(self, data: dict[str, object]) -> None:
        # Only a parameter left at PTB's default is decided here; methods without the
        # parameter (edits, answers to taps) never carry the key.
        if isinstance(data.get("disable_notification"), DefaultValue) and self._quiet():
            data["disable_notification"] = True
        super()._insert_defaults(data)
