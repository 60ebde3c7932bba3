"""Deliveries decided inside a transaction, sent after it commits."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

import aiosqlite

from storage.models import OutboxItem
from storage.payloads import Payload

__all__ = ["add", "mark_done", "mark_failed", "pending"]

logger = logging.getLogger(__name__)


async def add(
    conn: aiosqlite.Connection,
    at: str,
    kind: str,
    draft_id: int | None,
    payload: Payload | Mapping[str, object] | None = None,
) -> int:
    """Queue a delivery; returns its id."""
    data = payload.as_json() if isinstance(payload, Payload) else dict(payload or {})
    cursor = await conn.execute(
        "INSERT INTO outbox (kind, draft_id, payload, created_at) VALUES (?, ?, ?, ?)",
        (kind, draft_id, json.dumps(data, ensure_ascii=False), at),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def pending(conn: aiosqlite.Connection, limit: int = 100) -> list[OutboxItem]:
    """Deliveries not yet done, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM outbox WHERE done_at IS NULL ORDER BY id LIMIT ?", (limit,)
    )
    return [
        OutboxItem(
            id=row["id"],
            kind=row["kind"],
            draft_id=row["draft_id"],
            payload=json.loads(row["payload"]),
            attempts=row["attempts"],
        )
        for row in rows
    ]


async def mark_done(conn: aiosqlite.Connection, item_id: int, at: str) -> None:
    """The delivery went out (or was settled for good); settling twice changes nothing."""
    await conn.execute(
        "UPDATE outbox SET done_at = ?, attempts = attempts + 1 WHERE id = ? AND done_at IS NULL",
        (at, item_id),
    )


async def mark_failed(conn: aiosqlite.Connection, item_id: int, error: str) -> None:
    """The delivery failed this time; it stays pending."""
    await conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
        (error[:500], item_id),
    )
