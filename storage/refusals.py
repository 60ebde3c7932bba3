"""Refused attempts on the audit trail, a few per person per minute; the rest only counted.

Every refusal is recorded, but a flood of them (a script tapping forged buttons, say) must not
fill the disk: each person gets ``PER_MINUTE`` audit rows a minute; the first refusal past that
appends one ``refusal.flood`` row, and the rest of the minute is counted in that person's row of
``refusal_windows`` (one per person and minute).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import aiosqlite

from storage import audit
from storage.db import fetch_one

__all__ = ["FLOOD_ACTION", "PER_MINUTE", "Window", "counted_between", "record", "windows"]

logger = logging.getLogger(__name__)

PER_MINUTE = 10
FLOOD_ACTION = "refusal.flood"


@dataclass(frozen=True, slots=True)
class Window:
    """One person's refusals in one minute: how many were audited and how many only counted."""

    actor_id: int
    window_start: str
    recorded: int
    suppressed: int
    last_at: str
    last_action: str


def _minute(at: str) -> str:
    # Stored moments are ISO 8601 in UTC; the first 16 characters name the minute.
    return at[:16]


async def record(
    conn: aiosqlite.Connection,
    at: str,
    actor_id: int | None,
    action: str,
    draft_id: int | None = None,
    version: int | None = None,
    detail: Mapping[str, object] | None = None,
) -> int | None:
    """Audit one refused attempt unless its person's minute is full; the audit id, or None when
    it was only counted. A refusal with no person (none is known) is always audited."""
    if actor_id is None:
        return await audit.append(conn, at, actor_id, action, draft_id, version, detail)
    window = _minute(at)
    row = await fetch_one(
        conn,
        "SELECT recorded, suppressed FROM refusal_windows WHERE actor_id = ? AND window_start = ?",
        (actor_id, window),
    )
    recorded = int(row["recorded"]) if row else 0
    if recorded < PER_MINUTE:
        await conn.execute(
            "INSERT INTO refusal_windows (actor_id, window_start, recorded, last_at, last_action)"
            " VALUES (?, ?, 1, ?, ?) ON CONFLICT (actor_id, window_start) DO UPDATE SET"
            " recorded = recorded + 1, last_at = excluded.last_at,"
            " last_action = excluded.last_action",
            (actor_id, window, at, action),
        )
        return await audit.append(conn, at, actor_id, action, draft_id, version, detail)
    suppressed = int(row["suppressed"]) if row else 0
    await conn.execute(
        "UPDATE refusal_windows SET suppressed = suppressed + 1, last_at = ?, last_action = ?"
        " WHERE actor_id = ? AND window_start = ?",
        (at, action, actor_id, window),
    )
    if suppressed == 0:
        logger.warning("refusals of user %s flood this minute; counting the rest", actor_id)
        await audit.append(
            conn,
            at,
            actor_id,
            FLOOD_ACTION,
            detail={"minute": window, "audited": recorded, "counted_in": "refusal_windows"},
        )
    return None


async def windows(conn: aiosqlite.Connection, actor_id: int) -> list[Window]:
    """A person's refusal minutes, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM refusal_windows WHERE actor_id = ? ORDER BY window_start", (actor_id,)
    )
    return [
        Window(
            actor_id=row["actor_id"],
            window_start=row["window_start"],
            recorded=row["recorded"],
            suppressed=row["suppressed"],
            last_at=row["last_at"],
            last_action=row["last_action"],
        )
        for row in rows
    ]


async def counted_between(conn: aiosqlite.Connection, start: str, end: str) -> int:
    """How many refusals from ``start`` (inclusive) to ``end`` (exclusive) were only counted."""
    rows = await conn.execute_fetchall(
        "SELECT COALESCE(SUM(suppressed), 0) FROM refusal_windows"
        " WHERE window_start >= ? AND window_start < ?",
        (_minute(start), _minute(end)),
    )
    return int(next(iter(rows))[0])
