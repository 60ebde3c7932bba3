"""The outbox runner: sends what features queued inside their transactions, retries what failed.

Runs after every committed action, on a timer, and once at start-up, so a crash between a state
change and its messages only delays them. It knows no feature: each registers a sender for each
of its outbox kinds. A sender checks, when it runs, whether its message still matters.

Failures are sorted (``bot.outbox.failures``): a passing one is retried by time, with exponential
back-off and jitter up to ``MAX_BACKOFF``, for as long as the item is pending; one that only a
person or a chat can fix makes the item wait for them, and the admins hear it once, naming who
must do what; it goes out by itself when they are reachable again (``release``). Only a message
Telegram refuses for its content is given up, loudly.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

import aiosqlite
from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot import formatting, texts
from bot.config import UnionConfig
from bot.outbox.failures import Broken, SendFailure, Transient, Unreachable, classify
from storage import Database, audit, outbox, users
from storage.db import stored_time
from storage.models import OutboxItem, Role
from storage.payloads import PayloadError
from storage.trips import Work

__all__ = ["MAX_BACKOFF", "Delivery", "Follower", "Permanent", "Sender", "backoff"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

FIRST_BACKOFF = timedelta(seconds=5)
MAX_BACKOFF = timedelta(minutes=10)

Sender = Callable[[OutboxItem], Awaitable[None]]


class Permanent(Exception):
    """A delivery that cannot succeed by retrying; ``str()`` tells the admins why, in Chinese."""


def backoff(
    attempts: int, first: timedelta = FIRST_BACKOFF, rng: random.Random | None = None
) -> timedelta:
    """How long to wait after the ``attempts``-th failure: doubling from ``first`` up to
    ``MAX_BACKOFF``, with ±20 % jitter so a burst of failed items does not retry in lockstep."""
    doubled = first.total_seconds() * 2 ** min(max(attempts - 1, 0), 16)
    seconds = min(doubled, MAX_BACKOFF.total_seconds()) * (rng or random).uniform(0.8, 1.2)
    return timedelta(seconds=min(seconds, MAX_BACKOFF.total_seconds()))


@dataclass(frozen=True, slots=True)
class Follower(Generic[T]):
    """What follows every flush: ``read`` rides on the flush's last trip to the database, and
    ``then`` is given what it read once the flush is done (so a reminder planned by the action
    is armed at once, without a trip of its own)."""

    read: Work[T]
    then: Callable[[T], None]


class Delivery:
    """Runs the outbox: each item through the sender its feature registered for its kind."""

    def __init__(self, bot: Bot, db: Database, config: UnionConfig) -> None:
        self.bot = bot
        self.db = db
        self.config = config
        self._lock = asyncio.Lock()
        self.follower: Follower[Any] | None = None
        # Bookkeeping that rides on the next trip that settles items (``settle_later``).
        self._later: list[Work[None]] = []
        self.senders: dict[str, Sender] = {}
        # Who asks the admins about a public post a crash caught mid-send, by kind.
        self.uncertain_handlers: dict[str, Sender] = {}
        # Chats some item waits for, so a message from one of them releases it cheaply.
        self._waiting: set[int] = set()

    def register(self, kind: str, sender: Sender, uncertain: Sender | None = None) -> None:
        """Send items of ``kind`` with ``sender``; the item is settled when it returns.

        ``uncertain`` asks a person about an item of this kind that a crash caught mid-send
        (a public post must not go out twice); without it, such an item is simply sent again.
        """
        if kind in self.senders:
            raise ValueError(f"outbox kind {kind!r} is registered twice")
        self.senders[kind] = sender
        if uncertain is not None:
            self.uncertain_handlers[kind] = uncertain

    async def start(self) -> None:
        """At start-up: public posts a crash caught mid-send wait for an admin; then send."""
        async with self.db.transaction() as tx:
            caught = await outbox.uncertain(tx, self.db.now())
            self._waiting = await outbox.waiting_chats(tx)
        for item in caught:
            logger.warning("outbox %s (%s) was being sent when the bot stopped", item.id, item.kind)
            await self._ask_uncertain(item)

    def settle_later(self, work: Work[None]) -> None:
        """Run ``work`` on the flush's next trip to the database, with the items that went out:
        bookkeeping whose loss in a crash costs only a repeat (what a card was last edited to
        show), so a delivery saves a trip of its own."""
        self._later.append(work)

    async def flush(self) -> int:
        """Send every delivery due now once; returns how many were settled."""
        settled = 0
        tried: set[int] = set()
        async with self._lock:
            # Items that went out, settled on the next trip to the database (with the read of
            # what is due next), or before leaving: one trip per item fewer.
            sent: list[int] = []
            followed: Any = None
            try:
                # Deliveries queue further ones (a publication queues its notice): keep going
                # until nothing due is left that this flush has not tried.
                while True:
                    due, followed = await self._settle(sent, read_due=True)
                    sent = []
                    items = [i for i in due if i.id not in tried]
                    if not items:
                        break
                    for item in items:
                        tried.add(item.id)
                        if await self._run(item, sent):
                            settled += 1
            finally:
                if sent or self._later:
                    await self._settle(sent, read_due=False)
        if self.follower is not None:
            self.follower.then(followed)
        return settled

    async def _settle(self, sent: list[int], *, read_due: bool) -> tuple[list[OutboxItem], Any]:
        """Settle the items in ``sent`` and (``read_due``) read what is due now and what the
        follower reads: one trip."""
        now = self.db.now()
        follower = self.follower if read_due else None
        later, self._later = self._later, []

        async def unit(conn: aiosqlite.Connection) -> tuple[list[OutboxItem], Any]:
            for work in later:
                try:
                    await work(conn)
                except sqlite3.Error:
                    logger.exception("outbox bookkeeping failed; at worst it is done again")
            for item_id in sent:
                # Each UPDATE commits by itself, as ``done`` does.
                await outbox.mark_done(conn, item_id, now)
            due = await outbox.due(conn, now) if read_due else []
            return due, await follower.read(conn) if follower is not None else None

        return await self.db.at_once(unit)

    def waits_for(self, chat_id: int) -> bool:
        """Whether some delivery waits for ``chat_id`` (cheap: no database read)."""
        return chat_id in self._waiting

    async def release(self, chat_id: int) -> int:
        """``chat_id`` can be reached again: what waited for it goes out now, each once."""
        async with self.db.transaction() as tx:
            released = await outbox.release(tx, chat_id)
            await outbox.forget_alerts(tx, chat_id)
        self._waiting.discard(chat_id)
        if released:
            logger.info("chat %s is reachable again: %d deliveries released", chat_id, released)
            await self.flush()
        return released

    async def retry(self, item_id: int) -> bool:
        """An admin asks for one delivery to go out now; False when it is already settled."""
        async with self.db.transaction() as tx:
            found = await outbox.retry_now(tx, item_id)
        if found:
            await self.flush()
        return found

    async def unsettled(self) -> list[OutboxItem]:
        """What has not gone out yet: waiting for someone, or backing off after a failure."""
        async with self.db.reading() as conn:
            waiting = await outbox.waiting(conn)
            pending = await outbox.pending(conn, limit=500)
        now = self.db.now()
        backing_off = [i for i in pending if i.waiting_reason is None and (i.next_at or "") > now]
        return sorted(waiting + backing_off, key=lambda i: i.id)

    async def item(self, item_id: int) -> OutboxItem | None:
        """One delivery by id."""
        async with self.db.reading() as conn:
            return await outbox.get(conn, item_id)

    # Running one item -------------------------------------------------------------------------

    async def _run(self, item: OutboxItem, sent: list[int]) -> bool:
        """Try ``item``; True when it is settled (sent, no longer needed, or given up). An item
        that went out is added to ``sent``, for the caller to settle."""
        try:
            await self._perform(item)
        except Exception as exc:
            failure = (
                Broken(str(exc))
                if isinstance(exc, PayloadError | Permanent)
                else classify(exc, None)
            )
            if failure is None:
                raise
            return await self._failed(item, failure, exc)
        sent.append(item.id)
        return True

    async def _perform(self, item: OutboxItem) -> None:
        sender = self.senders.get(item.kind)
        if sender is None:
            logger.error("outbox %s has an unknown kind %r; dropped", item.id, item.kind)
        else:
            await sender(item)

    async def _failed(self, item: OutboxItem, failure: SendFailure, exc: BaseException) -> bool:
        if isinstance(failure, Transient):
            delay = backoff(item.attempts + 1, timedelta(seconds=self.config.retry_seconds))
            if failure.retry_after is not None:
                delay = max(delay, timedelta(seconds=failure.retry_after + 1))
            when = self.db.clock() + delay
            logger.warning(
                "outbox %s (%s) failed, retry at %s: %s", item.id, item.kind, when, failure
            )
            async with self.db.transaction() as tx:
                await outbox.mark_failed(tx, item.id, str(failure), stored_time(when))
            return False
        if isinstance(failure, Unreachable):
            logger.warning(
                "outbox %s (%s) waits for chat %s: %s", item.id, item.kind, failure.chat_id, failure
            )
            await self.wait(item, failure)
            return False
        logger.error("outbox %s (%s) failed for good: %s", item.id, item.kind, exc)
        await self._give_up(item, exc)
        return True

    async def wait(self, item: OutboxItem, failure: Unreachable) -> None:
        """Make ``item`` wait for ``failure.chat_id``; the admins hear of that chat once."""
        async with self.db.transaction() as tx:
            at = self.db.now()
            await outbox.wait_for(
                tx, item.id, failure.chat_id, failure.reason.value, failure.detail, at
            )
            first = await outbox.alerted(tx, failure.chat_id, failure.reason.value, at)
        self._waiting.add(failure.chat_id)
        if first:
            await self.tell_admins(
                texts.WAIT_ALERTS[failure.reason.value].format(
                    who=await self.chat_name(failure.chat_id), what=self.describe(item)
                ),
                failure.chat_id,
            )

    async def _give_up(self, item: OutboxItem, exc: BaseException) -> None:
        error = str(exc)
        async with self.db.transaction() as tx:
            await outbox.mark_done(tx, item.id, self.db.now(), "failed")
            await audit.append(
                tx,
                self.db.now(),
                None,
                "delivery.failed",
                item.draft_id,
                None,
                {"kind": item.kind, "error": error[:300]},
            )
        if isinstance(exc, Permanent):
            html = texts.DELIVERY_PERMANENT_ADMINS.format(
                what=self.describe(item), reason=formatting.e(error)
            )
        else:
            html = texts.DELIVERY_BROKEN_ADMINS.format(what=self.describe(item))
        await self.tell_admins(html)

    async def _ask_uncertain(self, item: OutboxItem) -> None:
        # The feature that owns the kind shows the question with its buttons (see review).
        handler = self.uncertain_handlers.get(item.kind)
        if handler is not None:
            await handler(item)

    # Naming things for the admins ---------------------------------------------------------

    def describe(self, item: OutboxItem) -> str:
        """What the item is, in Chinese: 稿件 #12 的审核卡片."""
        kind = texts.DELIVERY_KINDS.get(item.kind, texts.DELIVERY_KINDS["notify"])
        if item.draft_id is not None:
            return texts.ITEM_WITH_DRAFT.format(id=item.draft_id, kind=kind)
        return texts.ITEM_WITHOUT_DRAFT.format(kind=kind)

    async def chat_name(self, chat_id: int) -> str:
        """A person's name, or the role of a configured chat, or the chat's number."""
        chats = self.config.chats
        for key in texts.CHAT_NAMES:
            if getattr(chats, key, None) == chat_id:
                return texts.CHAT_NAMES[key]
        if chat_id > 0:
            async with self.db.reading() as conn:
                user = await users.get(conn, chat_id)
            if user is not None:
                return formatting.e(user.name)
        return texts.CHAT_UNKNOWN.format(chat_id=chat_id)

    async def tell_admins(
        self, html: str, about: int | None = None, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Alert the admins' chat; a failure is logged, never raised (it is already an alert).

        Without an admins' chat, each admin is told privately (not ``about`` themselves).
        """
        chat = self.config.chats.admins
        if chat is not None:
            targets = [chat]
        else:
            async with self.db.reading() as conn:
                targets = [
                    u for u in await users.chat_or_holders(conn, None, Role.ADMIN) if u != about
                ]
        if not targets:
            logger.warning("no admin to tell: %s", html)
        for target in targets:
            try:
                await self.bot.send_message(
                    target, html, parse_mode=ParseMode.HTML, reply_markup=markup
                )
            except TelegramError as exc:
                logger.error("could not alert the admins (%s): %s", target, exc)
