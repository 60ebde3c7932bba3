"""Stand-ins for reviewers who are away (代审), and drafts handed to one reviewer."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiosqlite

from storage.db import fetch_one

__all__ = [
    "Handover",
    "Span",
    "add",
    "away_now",
    "cancel",
    "covering",
    "get",
    "hand_over",
    "handover",
    "listing",
    "overlapping",
]

logger = logging.getLogger(__name__)

# In force now: begun, not over, not called off. clock_now() is the database's (injectable) clock.
_IN_FORCE = "starts_at <= clock_now() AND ends_at > clock_now() AND cancelled_at IS NULL"


@dataclass(frozen=True, slots=True)
class Span:
    """One arrangement: ``standin_id`` decides for ``reviewer_id`` over a span of time."""

    id: int
    reviewer_id: int
    standin_id: int
    starts_at: str
    ends_at: str
    set_by: int
    set_at: str
    cancelled_at: str | None


@dataclass(frozen=True, slots=True)
class Handover:
    """One version's tier, handed by an admin to one person."""

    draft_id: int
    version: int
    tier: int
    user_id: int
    by: int
    at: str


def _span(row: aiosqlite.Row) -> Span:
    return Span(
        id=row["id"],
        reviewer_id=row["reviewer_id"],
        standin_id=row["standin_id"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        set_by=row["set_by"],
        set_at=row["set_at"],
        cancelled_at=row["cancelled_at"],
    )


async def add(
    conn: aiosqlite.Connection,
    reviewer_id: int,
    standin_id: int,
    starts_at: str,
    ends_at: str,
    by: int,
    at: str,
) -> int:
    """Record an arrangement; returns its id."""
    cursor = await conn.execute(
        "INSERT INTO standins (reviewer_id, standin_id, starts_at, ends_at, set_by, set_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (reviewer_id, standin_id, starts_at, ends_at, by, at),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def get(conn: aiosqlite.Connection, span_id: int) -> Span | None:
    """One arrangement by id."""
    row = await fetch_one(conn, "SELECT * FROM standins WHERE id = ?", (span_id,))
    return _span(row) if row else None


async def overlapping(
    conn: aiosqlite.Connection, reviewer_id: int, starts_at: str, ends_at: str
) -> list[Span]:
    """The reviewer's arrangements (not called off) that share a moment with this span."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM standins WHERE reviewer_id = ? AND cancelled_at IS NULL"
        " AND starts_at < ? AND ends_at > ? ORDER BY starts_at, id",
        (reviewer_id, ends_at, starts_at),
    )
    return [_span(row) for row in rows]


async def cancel(conn: aiosqlite.Connection, span_id: int, by: int, at: str) -> bool:
    """Call an arrangement off; False when it already was."""
    cursor = await conn.execute(
        "UPDATE standins SET cancelled_at = ?, cancelled_by = ?"
        " WHERE id = ? AND cancelled_at IS NULL",
        (at, by, span_id),
    )
    return cursor.rowcount > 0


async def listing(conn: aiosqlite.Connection, reviewer_id: int | None = None) -> list[Span]:
    """Arrangements in force or still to come (of one reviewer, if given), soonest first."""
    query = "SELECT * FROM standins WHERE cancelled_at IS NULL AND ends_at > clock_now()"
    args: list[object] = []
    if reviewer_id is not None:
        query += " AND reviewer_id = ?"
        args.append(reviewer_id)
    rows = await conn.execute_fetchall(query + " ORDER BY starts_at, id", args)
    return [_span(row) for row in rows]


async def away_now(conn: aiosqlite.Connection) -> dict[int, int]:
    """Each reviewer away now, with their stand-in (the latest arrangement, if several)."""
    rows = await conn.execute_fetchall(
        f"SELECT reviewer_id, standin_id FROM standins WHERE {_IN_FORCE} ORDER BY id"
    )
    return {row["reviewer_id"]: row["standin_id"] for row in rows}


async def covering(conn: aiosqlite.Connection, standin_id: int) -> list[int]:
    """The reviewers ``standin_id`` stands in for now."""
    rows = await conn.execute_fetchall(
        f"SELECT DISTINCT reviewer_id FROM standins WHERE standin_id = ? AND {_IN_FORCE}"
        " ORDER BY reviewer_id",
        (standin_id,),
    )
    return [row["reviewer_id"] for row in rows]


async def hand_over(
    conn: aiosqlite.Connection,
    draft_id: int,
    version: int,
    tier: int,
    user_id: int,
    by: int,
    at: str,
) -> None:
    """Hand a version's tier to ``user_id``, replacing an earlier handover of it."""
    await conn.execute(
        "INSERT INTO handovers (draft_id, version, tier, user_id, by, at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (draft_id, version, tier) DO UPDATE SET user_id = excluded.user_id,"
        " by = excluded.by, at = excluded.at",
        (draft_id, version, tier, user_id, by, at),
    )


async def handover(
    conn: aiosqlite.Connection, draft_id: int, version: int, tier: int
) -> Handover | None:
    """Who this version's tier was handed to, if anyone."""
    row = await fetch_one(
        conn,
        "SELECT * FROM handovers WHERE draft_id = ? AND version = ? AND tier = ?",
        (draft_id, version, tier),
    )
    if row is None:
        return None
    return Handover(
        draft_id=row["draft_id"],
        version=row["version"],
        tier=row["tier"],
        user_id=row["user_id"],
        by=row["by"],
        at=row["at"],
    )
