"""The outbox runner: sends what features queued inside their transactions, retries what failed.

Runs after every committed action, on a timer, and once at start-up, so a crash between a state
change and its messages only delays them. It knows no feature: each registers a sender for each
of its outbox kinds. A sender checks, when it runs, whether its message still matters; it raises
``Permanent`` (or lets Forbidden/BadRequest through) when retrying cannot help.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot import formatting, texts
from bot.config import UnionConfig
from storage import Database, audit, outbox
from storage.models import OutboxItem
from storage.payloads import PayloadError

__all__ = ["MAX_ATTEMPTS", "Delivery", "Permanent", "Sender"]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8

Sender = Callable[[OutboxItem], Awaitable[None]]


class Permanent(Exception):
    """A delivery that cannot succeed by retrying (the chat is gone, the bot was blocked)."""


class Delivery:
    """Runs the outbox: each item through the sender its feature registered for its kind."""

    def __init__(self, bot: Bot, db: Database, config: UnionConfig) -> None:
        self.bot = bot
        self.db = db
        self.config = config
        self._lock = asyncio.Lock()
        # Called after each flush, so a reminder planned by the action is armed at once.
        self.on_flushed: Callable[[], Awaitable[None]] | None = None
        self.senders: dict[str, Sender] = {}

    def register(self, kind: str, sender: Sender) -> None:
        """Send items of ``kind`` with ``sender``; the item is settled when it returns."""
        if kind in self.senders:
            raise ValueError(f"outbox kind {kind!r} is registered twice")
        self.senders[kind] = sender

    async def flush(self) -> int:
        """Send every pending delivery once; returns how many were settled."""
        settled = 0
        tried: set[int] = set()
        async with self._lock:
            # Deliveries queue further ones (a publication queues its notice): keep going
            # until nothing is left that this flush has not tried.
            while True:
                async with self.db.reading() as conn:
                    items = [i for i in await outbox.pending(conn) if i.id not in tried]
                if not items:
                    break
                for item in items:
                    tried.add(item.id)
                    if await self._run(item):
                        settled += 1
        if self.on_flushed is not None:
            await self.on_flushed()
        return settled

    async def _run(self, item: OutboxItem) -> bool:
        try:
            await self._perform(item)
        except RetryAfter as exc:
            logger.warning(
                "outbox %s (%s): rate limited, retry after %s", item.id, item.kind, exc.retry_after
            )
            await self._failed(item, f"retry after {exc.retry_after}")
            return False
        except (Permanent, Forbidden, BadRequest, PayloadError) as exc:
            logger.error("outbox %s (%s) failed for good: %s", item.id, item.kind, exc)
            await self._give_up(item, str(exc))
            return True
        except (NetworkError, TelegramError, OSError) as exc:
            logger.warning("outbox %s (%s) failed, will retry: %s", item.id, item.kind, exc)
            if item.attempts + 1 >= MAX_ATTEMPTS:
                await self._give_up(item, str(exc))
                return True
            await self._failed(item, str(exc))
            return False
        return True

    async def _perform(self, item: OutboxItem) -> None:
        sender = self.senders.get(item.kind)
        if sender is None:
            logger.error("outbox %s has an unknown kind %r; dropped", item.id, item.kind)
        else:
            await sender(item)
        await self.done(item)

    async def done(self, item: OutboxItem) -> None:
        """Settle ``item`` (a sender that records its result in a transaction settles it there)."""
        async with self.db.transaction() as tx:
            await outbox.mark_done(tx, item.id, self.db.now())

    async def _failed(self, item: OutboxItem, error: str) -> None:
        async with self.db.transaction() as tx:
            await outbox.mark_failed(tx, item.id, error)

    async def _give_up(self, item: OutboxItem, error: str) -> None:
        async with self.db.transaction() as tx:
            await outbox.mark_done(tx, item.id, self.db.now())
            await audit.append(
                tx,
                self.db.now(),
                None,
                "delivery.failed",
                item.draft_id,
                None,
                {"kind": item.kind, "error": error[:300]},
            )
        what = texts.DELIVERY_KINDS.get(item.kind, item.kind)
        template = (
            texts.DELIVERY_FAILED_ADMINS
            if item.draft_id is not None
            else texts.DELIVERY_FAILED_ADMINS_NO_DRAFT
        )
        await self.tell_admins(
            template.format(id=item.draft_id, kind=what, error=formatting.e(error[:300]))
        )

    async def tell_admins(self, html: str) -> None:
        """Alert the admins' chat; a failure is logged, never raised (it is already an alert)."""
        chat = self.config.chats.admins
        if chat is None:
            logger.warning("no admins' chat to tell: %s", html)
            return
        try:
            await self.bot.send_message(chat, html, parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            logger.error("could not alert the admins' chat: %s", exc)
