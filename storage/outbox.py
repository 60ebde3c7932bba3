"""Deliveries decided inside a transaction, sent after it commits.

An item is pending until it is settled (``done_at``). A pending item is due when it has no
``next_at`` or that moment has come; it is not due at all while it waits (``waiting_reason``):
for the person or chat ``waiting_chat`` names to act, or, for a public post a crash caught
mid-send (``uncertain``), for an admin to say whether it appeared.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

import aiosqlite

from storage.db import fetch_one
from storage.models import OutboxItem
from storage.payloads import Payload

__all__ = [
    "add",
    "alerted",
    "begin_send",
    "due",
    "end_send",
    "forget_alerts",
    "get",
    "mark_done",
    "mark_failed",
    "next_due",
    "pending",
    "release",
    "retry_now",
    "set_progress",
    "uncertain",
    "wait_for",
    "waiting",
    "waiting_chats",
]

logger = logging.getLogger(__name__)


def _item(row: aiosqlite.Row) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        kind=row["kind"],
        draft_id=row["draft_id"],
        payload=json.loads(row["payload"]),
        attempts=row["attempts"],
        created_at=row["created_at"],
        next_at=row["next_at"],
        waiting_chat=row["waiting_chat"],
        waiting_reason=row["waiting_reason"],
        waiting_since=row["waiting_since"],
        progress=json.loads(row["progress"]),
        sending_at=row["sending_at"],
        last_error=row["last_error"],
    )


async def add(
    conn: aiosqlite.Connection,
    at: str,
    kind: str,
    draft_id: int | None,
    payload: Payload | Mapping[str, object] | None = None,
    *,
    waiting_chat: int | None = None,
    waiting_reason: str | None = None,
) -> int:
    """Queue a delivery (waiting for ``waiting_chat`` when given); returns its id."""
    data = payload.as_json() if isinstance(payload, Payload) else dict(payload or {})
    cursor = await conn.execute(
        "INSERT INTO outbox (kind, draft_id, payload, created_at, waiting_chat, waiting_reason,"
        " waiting_since) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            draft_id,
            json.dumps(data, ensure_ascii=False),
            at,
            waiting_chat,
            waiting_reason,
            at if waiting_chat is not None else None,
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def get(conn: aiosqlite.Connection, item_id: int) -> OutboxItem | None:
    """One delivery, settled or not."""
    row = await fetch_one(conn, "SELECT * FROM outbox WHERE id = ?", (item_id,))
    return _item(row) if row else None


async def due(conn: aiosqlite.Connection, now: str, limit: int = 100) -> list[OutboxItem]:
    """Deliveries to try now, oldest first: pending, not waiting, their retry time come."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM outbox WHERE done_at IS NULL AND waiting_reason IS NULL"
        " AND (next_at IS NULL OR next_at <= ?) ORDER BY id LIMIT ?",
        (now, limit),
    )
    return [_item(row) for row in rows]


async def pending(conn: aiosqlite.Connection, limit: int = 100) -> list[OutboxItem]:
    """Every delivery not yet settled (due, backing off or waiting), oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM outbox WHERE done_at IS NULL ORDER BY id LIMIT ?", (limit,)
    )
    return [_item(row) for row in rows]


async def next_due(conn: aiosqlite.Connection) -> str | None:
    """When the earliest delivery backing off is due again (None: none is)."""
    row = await fetch_one(
        conn,
        "SELECT MIN(next_at) FROM outbox WHERE done_at IS NULL AND waiting_reason IS NULL",
    )
    return row[0] if row else None


async def waiting(conn: aiosqlite.Connection, limit: int = 200) -> list[OutboxItem]:
    """Deliveries waiting for a person or a chat, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM outbox WHERE done_at IS NULL AND waiting_reason IS NOT NULL"
        " ORDER BY id LIMIT ?",
        (limit,),
    )
    return [_item(row) for row in rows]


async def waiting_chats(conn: aiosqlite.Connection) -> set[int]:
    """The chats some delivery waits for."""
    rows = await conn.execute_fetchall(
        "SELECT DISTINCT waiting_chat FROM outbox"
        " WHERE done_at IS NULL AND waiting_chat IS NOT NULL"
    )
    return {int(row[0]) for row in rows}


async def mark_done(
    conn: aiosqlite.Connection, item_id: int, at: str, outcome: str = "sent"
) -> None:
    """The delivery went out (or was settled for good); settling twice changes nothing."""
    await conn.execute(
        "UPDATE outbox SET done_at = ?, outcome = ?, attempts = attempts + 1,"
        " waiting_chat = NULL, sending_at = NULL WHERE id = ? AND done_at IS NULL",
        (at, outcome, item_id),
    )


async def mark_failed(
    conn: aiosqlite.Connection, item_id: int, error: str, next_at: str | None = None
) -> None:
    """The delivery failed this time; it is tried again at ``next_at``."""
    await conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_at = ?, sending_at = NULL"
        " WHERE id = ? AND done_at IS NULL",
        (error[:500], next_at, item_id),
    )


async def wait_for(
    conn: aiosqlite.Connection, item_id: int, chat_id: int, reason: str, error: str, at: str
) -> None:
    """The delivery waits until ``chat_id`` can be reached again."""
    await conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, waiting_chat = ?,"
        " waiting_reason = ?, waiting_since = COALESCE(waiting_since, ?), sending_at = NULL"
        " WHERE id = ? AND done_at IS NULL",
        (error[:500], chat_id, reason, at, item_id),
    )


async def release(conn: aiosqlite.Connection, chat_id: int) -> int:
    """Every delivery waiting for ``chat_id`` is due now; returns how many."""
    cursor = await conn.execute(
        "UPDATE outbox SET waiting_chat = NULL, waiting_reason = NULL, waiting_since = NULL,"
        " next_at = NULL WHERE done_at IS NULL AND waiting_chat = ?"
        " AND waiting_reason != 'uncertain'",
        (chat_id,),
    )
    return cursor.rowcount


async def retry_now(conn: aiosqlite.Connection, item_id: int) -> bool:
    """An admin asks for one delivery to be tried again now; False when it is settled."""
    cursor = await conn.execute(
        "UPDATE outbox SET waiting_chat = NULL, waiting_reason = NULL, waiting_since = NULL,"
        " next_at = NULL, sending_at = NULL WHERE id = ? AND done_at IS NULL",
        (item_id,),
    )
    return cursor.rowcount > 0


async def set_progress(
    conn: aiosqlite.Connection, item_id: int, progress: Mapping[str, object]
) -> None:
    """Record what a multi-part delivery already sent."""
    await conn.execute(
        "UPDATE outbox SET progress = ? WHERE id = ?",
        (json.dumps(dict(progress), ensure_ascii=False), item_id),
    )


async def begin_send(conn: aiosqlite.Connection, item_id: int, at: str) -> None:
    """A public post is about to go out: if the bot dies now, nobody knows whether it did."""
    await conn.execute("UPDATE outbox SET sending_at = ? WHERE id = ?", (at, item_id))


async def end_send(conn: aiosqlite.Connection, item_id: int) -> None:
    """The part under way went out (its progress is recorded in the same transaction)."""
    await conn.execute("UPDATE outbox SET sending_at = NULL WHERE id = ?", (item_id,))


async def uncertain(conn: aiosqlite.Connection, at: str) -> list[OutboxItem]:
    """Public posts a crash caught mid-send; each now waits for a person to say what happened."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM outbox WHERE done_at IS NULL AND sending_at IS NOT NULL ORDER BY id"
    )
    found = [_item(row) for row in rows]
    for item in found:
        await conn.execute(
            "UPDATE outbox SET sending_at = NULL, waiting_reason = 'uncertain',"
            " waiting_since = ? WHERE id = ?",
            (at, item.id),
        )
    return found


async def alerted(conn: aiosqlite.Connection, chat_id: int, reason: str, at: str) -> bool:
    """Remember that the admins heard about ``chat_id``; True the first time for this cause."""
    cursor = await conn.execute(
        "INSERT INTO outbox_alerts (chat_id, reason, at) VALUES (?, ?, ?)"
        " ON CONFLICT (chat_id, reason) DO NOTHING",
        (chat_id, reason, at),
    )
    return cursor.rowcount > 0


async def forget_alerts(conn: aiosqlite.Connection, chat_id: int) -> None:
    """``chat_id`` is reachable again: a new failure will be told again."""
    await conn.execute("DELETE FROM outbox_alerts WHERE chat_id = ?", (chat_id,))
