"""Updates one after another, except that a file being read does not hold up other people.

PTB handles updates strictly one after another by default, so a member whose file takes
seconds to download and read keeps everyone else waiting. Handling every update at once would
change what each handler may assume about the ones before it. This processor keeps the strict
order for everything but files: an update carrying a file (or answering one, like ``/submit``)
only waits for earlier updates from the same person, and later updates from that person wait
for it, while everyone else's go on in order meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from contextlib import AsyncExitStack
from typing import Any

from telegram import Message, Update
from telegram.ext import BaseUpdateProcessor

__all__ = ["FilesAside", "carries_file", "sender_key"]

logger = logging.getLogger(__name__)

_Key = tuple[str, int]
# Anything that is not a Telegram update (e.g. put on the queue by the bot itself) is handled in
# order with everything else of its kind.
_OTHER: _Key = ("other", 0)


def sender_key(update: object) -> _Key:
    """Whose queue an update is in: its sender's, else its chat's."""
    if not isinstance(update, Update):
        return _OTHER
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    return _OTHER


def carries_file(update: object) -> bool:
    """Whether handling the update may download and read a file."""
    if not isinstance(update, Update):
        return False
    message = update.effective_message
    if not isinstance(message, Message):
        return False
    replied = message.reply_to_message
    return message.document is not None or (replied is not None and replied.document is not None)


class FilesAside(BaseUpdateProcessor):
    """Strict order, except for updates carrying a file: those keep only their sender's order."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._everyone = asyncio.Lock()
        self._senders: dict[_Key, asyncio.Lock] = {}
        self._waiting: dict[_Key, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await ``coroutine`` after the sender's earlier updates and, unless it carries a file,
        after everyone's (asyncio's locks wake waiters first come, first served)."""
        key = sender_key(update)
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with AsyncExitStack() as stack:
                # Always the sender's lock first, then everyone's: no two updates can wait for
                # each other in a cycle.
                await stack.enter_async_context(self._senders.setdefault(key, asyncio.Lock()))
                if not carries_file(update):
                    await stack.enter_async_context(self._everyone)
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                # Nobody holds or waits for it: forget it, so the table stays small.
                del self._waiting[key]
                del self._senders[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down; the application waits for running updates itself."""
