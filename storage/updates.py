"""The update journal: each update from Telegram, stored before Telegram is told it arrived,
until the bot has handled it (see migration 0010); and the database whose write transactions
record, in themselves, that the update they belong to has acted."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import aiosqlite

from storage.db import Database
from storage.trips import Work

__all__ = [
    "Journaled",
    "JournaledDatabase",
    "Received",
    "abandon",
    "acting_for",
    "count_replay",
    "mark_acted",
    "mark_handled",
    "prune",
    "record",
    "waiting",
]

logger = logging.getLogger(__name__)

# SQLite's default limit on host parameters is 999 (older builds); Telegram sends 100 at most.
_CHUNK = 500


@dataclass(frozen=True)
class Received:
    """An update as it came in: its id and its JSON."""

    update_id: int
    payload: str


@dataclass(frozen=True)
class Journaled:
    """An update journaled and not yet handled; ``acted``: a transaction of its handlers
    committed; ``replays`` counts the start-ups that began handling it again."""

    update_id: int
    payload: str
    replays: int
    acted: bool = False


# The update whose handlers are running in this context (asyncio tasks inherit it).
_ACTING: ContextVar[int | None] = ContextVar("acting_for_update", default=None)


@contextmanager
def acting_for(update_id: int | None) -> Iterator[None]:
    """Write transactions committed in this context act for the update ``update_id``; None: for
    no update (bookkeeping, such as remembering a user's name, is no action of its own)."""
    token = _ACTING.set(update_id)
    try:
        yield
    finally:
        _ACTING.reset(token)


class JournaledDatabase(Database):
    """The database; a write transaction committed while an update is handled also records,
    in the same transaction (and the same trip as its COMMIT), that the update acted."""

    def _before_commit(self) -> Work[None] | None:
        update_id = _ACTING.get()
        if update_id is None:
            return None
        at = self.now()

        async def acted(conn: aiosqlite.Connection) -> None:
            try:
                await mark_acted(conn, at, update_id)
            except sqlite3.Error:
                # The action commits all the same; at worst the update is handled again.
                logger.exception("could not record that update %d acted", update_id)

        return acted


async def record(
    conn: aiosqlite.Connection, at: str, received: Sequence[Received], resent_after: str
) -> list[int]:
    """Journal the updates not journaled yet; returns the ids that are new, in the given order.

    Telegram sends an update again while its offset is unconfirmed, with the same id: that one is
    known and not new. A known id first received before ``resent_after`` cannot be such a
    re-send (Telegram keeps an update for 24 hours; after a week without updates it picks ids at
    random), so it is a new update and replaces the old row.
    """
    known: dict[int, str] = {}
    ids = list(dict.fromkeys(r.update_id for r in received))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows = await conn.execute_fetchall(
            f"SELECT update_id, received_at FROM update_journal WHERE update_id IN ({marks})",
            chunk,
        )
        known.update((int(row[0]), str(row[1])) for row in rows)
    new: list[int] = []
    inserts: list[tuple[int, str, str]] = []
    for update in received:
        first_seen = known.get(update.update_id)
        if first_seen is not None and first_seen >= resent_after:
            continue
        if first_seen is not None:
            logger.warning(
                "update %d reuses the id of one received at %s: journaled as a new update",
                update.update_id,
                first_seen,
            )
        inserts.append((update.update_id, update.payload, at))
        known[update.update_id] = at
        new.append(update.update_id)
    if inserts:
        await conn.executemany(
            "INSERT INTO update_journal (update_id, payload, received_at) VALUES (?, ?, ?)"
            " ON CONFLICT (update_id) DO UPDATE SET payload = excluded.payload,"
            " received_at = excluded.received_at, acted_at = NULL, replays = 0,"
            " handled_at = NULL, outcome = NULL",
            inserts,
        )
    return new


async def mark_acted(conn: aiosqlite.Connection, at: str, update_id: int) -> None:
    """A transaction of the update's handlers commits now (a no-op once it is marked)."""
    await conn.execute(
        "UPDATE update_journal SET acted_at = ?"
        " WHERE update_id = ? AND acted_at IS NULL AND handled_at IS NULL",
        (at, update_id),
    )


async def mark_handled(conn: aiosqlite.Connection, at: str, update_id: int) -> bool:
    """The update's handlers ran; False when it was not waiting (unknown or settled before)."""
    cursor = await conn.execute(
        "UPDATE update_journal SET handled_at = ?, outcome = 'handled'"
        " WHERE update_id = ? AND handled_at IS NULL",
        (at, update_id),
    )
    return cursor.rowcount == 1


async def abandon(conn: aiosqlite.Connection, at: str, update_id: int) -> bool:
    """Give up on a waiting update; False when it was not waiting."""
    cursor = await conn.execute(
        "UPDATE update_journal SET handled_at = ?, outcome = 'abandoned'"
        " WHERE update_id = ? AND handled_at IS NULL",
        (at, update_id),
    )
    return cursor.rowcount == 1


async def waiting(conn: aiosqlite.Connection) -> list[Journaled]:
    """The updates journaled and not settled, in update_id order."""
    rows = await conn.execute_fetchall(
        "SELECT update_id, payload, replays, acted_at FROM update_journal"
        " WHERE handled_at IS NULL ORDER BY update_id"
    )
    return [
        Journaled(
            int(r["update_id"]), str(r["payload"]), int(r["replays"]), r["acted_at"] is not None
        )
        for r in rows
    ]


async def count_replay(conn: aiosqlite.Connection, update_id: int) -> None:
    """A replay of the update begins (a start-up handles it again)."""
    await conn.execute(
        "UPDATE update_journal SET replays = replays + 1"
        " WHERE update_id = ? AND handled_at IS NULL",
        (update_id,),
    )


async def prune(conn: aiosqlite.Connection, settled_before: str) -> int:
    """Delete the updates settled (handled or abandoned) before ``settled_before``; how many."""
    cursor = await conn.execute(
        "DELETE FROM update_journal WHERE handled_at IS NOT NULL AND handled_at < ?",
        (settled_before,),
    )
    return cursor.rowcount
