"""No update is lost: each is journaled before Telegram hears it arrived, and handled once.

Telegram takes an update as delivered when polling asks for the next offset, or when the webhook
answers 200. PTB does either as soon as the update is on its queue, before any handler ran, so a
kill in between used to lose it for good. Here the update is in the database first:

- polling: ``JournalingBot.get_updates`` journals the batch in one transaction before PTB sees
  it (PTB confirms it with its next call);
- webhook: ``JournalingQueue.put`` journals it before PTB's request handler answers 200;
- ``JournalingApplication.process_update`` marks it handled once its handlers ran, also when one
  raised (the error handler reported that; it is not retried);
- at start-up, before polling or the webhook begin, ``UpdateJournal.start`` handles the updates
  journaled and not handled, in update_id order.

An update Telegram sends again (its offset was never confirmed) is known by its id and is not
handled a second time. For the update being handled at the moment of a kill, the first write
transaction its handlers commit records that it acted, in that same transaction
(``JournaledDatabase``): one that acted is not handled again, one that had not is handled again
from the start (at worst a reply that changed nothing, such as /help, is sent twice). One whose
handling never finished in ``MAX_REPLAYS`` replays is given up.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import aiosqlite
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.ops.transport import bot_api_request
from bot.ops.wire import plain_keyboard, trim_echo
from bot.outbox.quiet import QuietBot
from storage import Database
from storage import updates as journal_rows
from storage.db import stored_time

__all__ = [
    "KEEP_SETTLED",
    "MAX_REPLAYS",
    "RESENT_WITHIN",
    "JournalUnavailable",
    "JournalingApplication",
    "JournalingBot",
    "JournalingQueue",
    "UpdateJournal",
]

logger = logging.getLogger(__name__)

# Replays after restarts that an update may begin before it is given up.
MAX_REPLAYS = 3
# Telegram keeps an unconfirmed update for 24 hours: an id seen longer ago than this is no re-send.
RESENT_WITHIN = timedelta(days=2)
# Settled updates are kept this long (for a look after an incident), then pruned daily.
KEEP_SETTLED = timedelta(days=7)
PRUNE_EVERY = timedelta(days=1)


class JournalUnavailable(TelegramError):
    """The journal could not record: the updates are not passed on and Telegram sends them again.

    A TelegramError, so PTB's polling loop retries with its back-off and the webhook answers 500.
    """


class UpdateJournal:
    """The updates received, in the database until handled."""

    def __init__(self) -> None:
        self._db: Database | None = None
        # Journaled (or replayed) by this process and not marked handled yet.
        self._waiting: set[int] = set()
        # Journaled by getUpdates, on their way to PTB's queue.
        self._polled: set[int] = set()

    def attach(self, db: Database) -> None:
        """Record into ``db`` from now on."""
        self._db = db

    def detach(self) -> None:
        """Stop recording (the database is about to close): updates are refused from now on."""
        self._db = None

    def waiting(self, update: object) -> bool:
        """Whether ``update`` was journaled by this process and is not handled yet."""
        return isinstance(update, Update) and update.update_id in self._waiting

    async def record(
        self,
        updates: Sequence[Update],
        *,
        polled: bool = False,
        raw: Mapping[int, str] | None = None,
    ) -> list[Update]:
        """Journal ``updates`` in one transaction; returns those not journaled before, in order.

        ``polled``: getUpdates fetched them, and PTB puts them on its queue next. ``raw``: the
        updates' JSON as Telegram sent it, by id (what is missing there is serialised again).
        """
        if not updates:
            return []
        db = self._db
        if db is None:
            raise JournalUnavailable("the update journal is not open")
        as_sent = raw or {}
        received = [
            journal_rows.Received(u.update_id, as_sent.get(u.update_id) or u.to_json())
            for u in updates
        ]
        now = db.clock()

        async def journal(tx: aiosqlite.Connection) -> list[int]:
            return await journal_rows.record(
                tx, stored_time(now), received, stored_time(now - RESENT_WITHIN)
            )

        try:
            # The batch is one transaction in one trip to the database thread.
            fresh = set(await db.atomically(journal))
        except Exception as exc:
            raise JournalUnavailable(f"could not journal updates: {exc!r}") from exc
        self._waiting |= fresh
        if polled:
            self._polled |= fresh
        known = [u.update_id for u in updates if u.update_id not in fresh]
        if known:
            logger.info("updates %s were received before: not handled again", known)
        return [u for u in updates if u.update_id in fresh]

    async def admit(self, update: Update) -> bool:
        """Whether PTB may queue ``update``: yes if getUpdates journaled it; any other (webhook)
        is journaled now, and queued only if it was not journaled before."""
        if update.update_id in self._polled:
            self._polled.discard(update.update_id)
            return True
        return bool(await self.record([update]))

    async def settle(self, update: object) -> None:
        """Mark ``update`` handled, if this process journaled it and has not marked it yet."""
        if not self.waiting(update):
            return
        assert isinstance(update, Update)
        self._waiting.discard(update.update_id)
        db = self._db
        try:
            if db is None:
                raise JournalUnavailable("the update journal is not open")
            async with db.single() as conn:
                await journal_rows.mark_handled(conn, db.now(), update.update_id)
        except Exception:
            # The handlers ran; at worst the update is handled again after a restart.
            logger.exception("could not mark update %d handled", update.update_id)

    async def start(self, application: Application) -> int:  # type: ignore[type-arg]
        """At start-up, before updates flow: handle what was journaled and not handled, prune
        old rows, and prune daily from then on. Returns how many updates were handled."""
        db = self._require()
        async with db.reading() as conn:
            waiting = await journal_rows.waiting(conn)
        handled = 0
        for row in waiting:
            if row.acted:
                # Its action committed before the stop; what it queued goes out with the outbox.
                logger.info(
                    "update %d had acted before the restart: not handled again", row.update_id
                )
                async with db.transaction() as tx:
                    await journal_rows.mark_handled(tx, db.now(), row.update_id)
                continue
            if row.replays >= MAX_REPLAYS:
                # Handling it stopped the bot each time: the updates behind it must not wait.
                logger.error(
                    "update %d did not finish in %d replays after restarts: given up",
                    row.update_id,
                    row.replays,
                )
                update = None
            else:
                update = self._readable(row, application)
            if update is None:
                async with db.transaction() as tx:
                    await journal_rows.abandon(tx, db.now(), row.update_id)
                continue
            async with db.transaction() as tx:
                await journal_rows.count_replay(tx, row.update_id)
            self._waiting.add(row.update_id)
            await application.process_update(update)
            # process_update settles it already; this covers a plain Application too.
            await self.settle(update)
            handled += 1
        if handled:
            logger.info("handled %d updates received before the restart", handled)
        await self.prune()
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                self._prune_job, interval=PRUNE_EVERY, first=PRUNE_EVERY, name="update-journal"
            )
        return handled

    @staticmethod
    def _readable(
        row: journal_rows.Journaled,
        application: Application,  # type: ignore[type-arg]
    ) -> Update | None:
        """The journaled update, or None (logged) when it cannot be read."""
        try:
            return Update.de_json(json.loads(row.payload), application.bot)
        except Exception:
            logger.exception("journaled update %d cannot be read: given up", row.update_id)
            return None

    async def prune(self) -> int:
        """Delete updates settled more than ``KEEP_SETTLED`` ago; how many."""
        db = self._require()
        async with db.transaction() as tx:
            pruned = await journal_rows.prune(tx, stored_time(db.clock() - KEEP_SETTLED))
        if pruned:
            logger.info("pruned %d handled updates from the journal", pruned)
        return pruned

    async def _prune_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        if self._db is not None:
            await self.prune()

    def _require(self) -> Database:
        if self._db is None:
            raise JournalUnavailable("the update journal is not open")
        return self._db


class JournalingBot(QuietBot):
    """The bot, journaling what ``getUpdates`` returns before PTB can confirm it (and, being a
    ``QuietBot``, silent in quiet hours).

    Its requests go as ``bot_api_request`` sends them (a pool of 256 connections for requests,
    one for getUpdates, as ``ApplicationBuilder`` has it) unless ``request``/``get_updates_request``
    are given.
    """

    # PTB freezes a bot's public attributes once built; protected ones stay settable.
    __slots__ = ("_journal", "_raw")

    def __init__(self, journal: UpdateJournal, token: str, **kwargs: Any) -> None:
        base_url = kwargs.get("base_url", "https://api.telegram.org/bot")
        kwargs.setdefault("request", bot_api_request(base_url, pool_size=256))
        kwargs.setdefault("get_updates_request", bot_api_request(base_url, pool_size=1))
        super().__init__(token, **kwargs)
        self._journal = journal
        # The last getUpdates batch as Telegram sent it, by update id.
        self._raw: dict[int, str] = {}

    @property
    def journal(self) -> UpdateJournal:
        """Where the updates are recorded."""
        return self._journal

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | timedelta | None = None,  # noqa: ASYNC109 (PTB's signature)
        allowed_updates: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        """The updates not journaled before, each now in the journal."""
        while True:
            self._raw = {}
            received = await super().get_updates(offset, limit, timeout, allowed_updates, **kwargs)
            raw, self._raw = self._raw, {}
            fresh = await self.journal.record(received, polled=True, raw=raw)
            if fresh or not received:
                return tuple(fresh)
            # Each was journaled before a restart (and settled or replayed since), and Telegram
            # sent it again because the kill came before its confirmation: confirm them now,
            # and wait for new ones.
            offset = received[-1].update_id + 1

    async def _post(self, endpoint: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """PTB's request, the short way where PTB's is costly (``bot.ops.wire``: keyboards out,
        the bot's own messages back). Keeps the JSON of the updates getUpdates returns, so the
        journal stores them as Telegram sent them instead of serialising PTB's objects again."""
        if data is not None and "reply_markup" in data:
            data["reply_markup"] = plain_keyboard(data["reply_markup"])
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint != "getUpdates":
            trim_echo(result)
        elif isinstance(result, list):
            self._raw = {
                u["update_id"]: json.dumps(u)
                for u in result
                if isinstance(u, dict) and isinstance(u.get("update_id"), int)
            }
        return result


class JournalingQueue(asyncio.Queue[object]):
    """PTB's update queue; an update that did not come through ``JournalingBot.get_updates``
    (webhook mode) is journaled before it is queued, so before PTB answers Telegram."""

    def __init__(self, journal: UpdateJournal) -> None:
        super().__init__()
        self.journal = journal

    async def put(self, item: object) -> None:
        """Queue ``item``; an update journaled before by another request is dropped."""
        if isinstance(item, Update) and not await self.journal.admit(item):
            return
        await super().put(item)


class JournalingApplication(Application):  # type: ignore[type-arg]
    """The application, marking each journaled update handled after its handlers ran."""

    __slots__ = ("journal",)

    def __init__(self, *, journal: UpdateJournal, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.journal = journal

    async def process_update(self, update: object) -> None:
        """Run the handlers, their transactions marking the update acted, then settle it; a
        cancelled run (shutdown) stays waiting."""
        acting = None
        if isinstance(update, Update) and self.journal.waiting(update):
            acting = update.update_id
        try:
            with journal_rows.acting_for(acting):
                await super().process_update(update)
        except Exception:
            await self.journal.settle(update)
            raise
        await self.journal.settle(update)
