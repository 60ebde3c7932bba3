"""The append-only audit trail: every decision and refusal, with who and when."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence

import aiosqlite

from storage.models import AuditEvent

__all__ = ["append", "between", "drafts_with", "for_draft", "has_event"]

logger = logging.getLogger(__name__)


async def append(
    conn: aiosqlite.Connection,
    at: str,
    actor_id: int | None,
    action: str,
    draft_id: int | None = None,
    version: int | None = None,
    detail: Mapping[str, object] | None = None,
) -> int:
    """Append one event; returns its id."""
    cursor = await conn.execute(
        "INSERT INTO audit (at, actor_id, action, draft_id, version, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (at, actor_id, action, draft_id, version, json.dumps(detail or {}, ensure_ascii=False)),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def between(conn: aiosqlite.Connection, start: str, end: str) -> list[AuditEvent]:
    """Every event from ``start`` (inclusive) to ``end`` (exclusive), oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM audit WHERE at >= ? AND at < ? ORDER BY id", (start, end)
    )
    return [_event(row) for row in rows]


def _event(row: aiosqlite.Row) -> AuditEvent:
    return AuditEvent(
        id=row["id"],
        at=row["at"],
        actor_id=row["actor_id"],
        action=row["action"],
        draft_id=row["draft_id"],
        version=row["version"],
        detail=json.loads(row["detail"]),
    )


async def for_draft(conn: aiosqlite.Connection, draft_id: int) -> list[AuditEvent]:
    """Every event about a draft, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM audit WHERE draft_id = ? ORDER BY id", (draft_id,)
    )
    return [_event(row) for row in rows]


async def has_event(
    conn: aiosqlite.Connection, draft_id: int, action: str, version: int | None = None
) -> bool:
    """Whether the draft's record has an ``action`` event (of ``version``, when given)."""
    query = "SELECT 1 FROM audit WHERE draft_id = ? AND action = ?"
    args: list[object] = [draft_id, action]
    if version is not None:
        query += " AND version = ?"
        args.append(version)
    rows = await conn.execute_fetchall(query + " LIMIT 1", args)
    return bool(list(rows))


async def drafts_with(
    conn: aiosqlite.Connection, action: str, draft_ids: Sequence[int]
) -> set[int]:
    """Which of ``draft_ids`` have an event ``action``."""
    if not draft_ids:
        return set()
    marks = ", ".join("?" for _ in draft_ids)
    cursor = await conn.execute(
        f"SELECT DISTINCT draft_id FROM audit WHERE action = ? AND draft_id IN ({marks})",
        (action, *draft_ids),
    )
    return {int(row[0]) for row in await cursor.fetchall()}
