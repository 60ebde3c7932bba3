"""Reminder rows: scheduled by key, settled once, re-armed from the database after a restart."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass

import aiosqlite

from storage.db import fetch_one
from storage.payloads import Payload

__all__ = [
    "Reminder",
    "add",
    "claim",
    "due",
    "earliest_due",
    "interrupted",
    "mark_unreachable",
    "pending_count",
    "postpone",
    "release",
    "settle",
    "skip_for_draft",
    "skip_pending",
    "was_unreachable",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reminder:
    """One scheduled reminder."""

    id: int
    kind: str
    key: str
    due_at: str
    draft_id: int | None
    payload: dict[str, object]


def _reminder(row: aiosqlite.Row) -> Reminder:
    return Reminder(
        id=row["id"],
        kind=row["kind"],
        key=row["key"],
        due_at=row["due_at"],
        draft_id=row["draft_id"],
        payload=json.loads(row["payload"]),
    )


async def add(
    conn: aiosqlite.Connection,
    kind: str,
    key: str,
    due_at: str,
    draft_id: int | None = None,
    payload: Payload | Mapping[str, object] | None = None,
    *,
    revive_skipped: bool = False,
) -> bool:
    """Schedule a reminder; False when one with this key exists (sent or not).

    With ``revive_skipped``, a skipped one with this key is scheduled again instead.
    """
    revive = (
        " ON CONFLICT (key) DO UPDATE SET state = 'pending', due_at = excluded.due_at,"
        " payload = excluded.payload, settled_at = NULL, detail = NULL WHERE state = 'skipped'"
        if revive_skipped
        else " ON CONFLICT (key) DO NOTHING"
    )
    data = payload.as_json() if isinstance(payload, Payload) else dict(payload or {})
    cursor = await conn.execute(
        "INSERT INTO reminders (kind, key, due_at, draft_id, payload) VALUES (?, ?, ?, ?, ?)"
        + revive,
        (kind, key, due_at, draft_id, json.dumps(data, ensure_ascii=False)),
    )
    return cursor.rowcount > 0


async def skip_for_draft(
    conn: aiosqlite.Connection, kind: str, draft_id: int, at: str, detail: str
) -> int:
    """Skip a draft's pending reminders of a kind (e.g. its nudges when it turns urgent)."""
    cursor = await conn.execute(
        "UPDATE reminders SET state = 'skipped', settled_at = ?, detail = ?"
        " WHERE kind = ? AND draft_id = ? AND state = 'pending'",
        (at, detail, kind, draft_id),
    )
    return cursor.rowcount


async def earliest_due(conn: aiosqlite.Connection) -> str | None:
    """When the next pending reminder falls due."""
    row = await fetch_one(conn, "SELECT MIN(due_at) FROM reminders WHERE state = 'pending'")
    return str(row[0]) if row and row[0] is not None else None


async def due(conn: aiosqlite.Connection, now: str, limit: int = 200) -> list[Reminder]:
    """Pending reminders due at ``now`` or earlier, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM reminders WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id"
        " LIMIT ?",
        (now, limit),
    )
    return [_reminder(row) for row in rows]


async def pending_count(conn: aiosqlite.Connection) -> int:
    """How many reminders wait."""
    row = await fetch_one(conn, "SELECT COUNT(*) FROM reminders WHERE state = 'pending'")
    return int(row[0]) if row else 0


async def settle(
    conn: aiosqlite.Connection, reminder_id: int, state: str, at: str, detail: str = ""
) -> bool:
    """Mark a pending reminder sent, skipped or failed; False if it was settled already."""
    cursor = await conn.execute(
        "UPDATE reminders SET state = ?, settled_at = ?, detail = ?"
        " WHERE id = ? AND state IN ('pending', 'sending')",
        (state, at, detail[:300], reminder_id),
    )
    return cursor.rowcount == 1


async def claim(conn: aiosqlite.Connection, reminder_id: int) -> bool:
    """Mark a reminder as being sent, before the send; False if it is no longer pending."""
    cursor = await conn.execute(
        "UPDATE reminders SET state = 'sending' WHERE id = ? AND state = 'pending'", (reminder_id,)
    )
    return cursor.rowcount == 1


async def release(conn: aiosqlite.Connection, reminder_id: int, due_at: str) -> None:
    """Put a claimed reminder back, due again at ``due_at`` (the send failed for now)."""
    await conn.execute(
        "UPDATE reminders SET state = 'pending', due_at = ? WHERE id = ? AND state = 'sending'",
        (due_at, reminder_id),
    )


async def interrupted(conn: aiosqlite.Connection, at: str) -> list[str]:
    """Settle reminders a crash caught mid-send; returns their keys.

    They most likely went out (the crash fell between the send and its record), so they are
    not sent again: a repeat is what the union asked never to get.
    """
    rows = await conn.execute_fetchall(
        "UPDATE reminders SET state = 'interrupted', settled_at = ?,"
        " detail = 'the bot stopped while sending' WHERE state = 'sending' RETURNING key",
        (at,),
    )
    return [row[0] for row in rows]


async def postpone(conn: aiosqlite.Connection, reminder_id: int, due_at: str) -> None:
    """Move a pending reminder (quiet hours)."""
    await conn.execute(
        "UPDATE reminders SET due_at = ? WHERE id = ? AND state = 'pending'", (due_at, reminder_id)
    )


async def skip_pending(conn: aiosqlite.Connection, kind: str, at: str, detail: str) -> int:
    """Skip every pending reminder of a kind (e.g. when the meeting schedule changes)."""
    cursor = await conn.execute(
        "UPDATE reminders SET state = 'skipped', settled_at = ?, detail = ?"
        " WHERE kind = ? AND state = 'pending'",
        (at, detail, kind),
    )
    return cursor.rowcount


async def was_unreachable(conn: aiosqlite.Connection, chat_id: int) -> bool:
    """Whether the admins were already told about this chat."""
    return (
        await fetch_one(conn, "SELECT 1 FROM unreachable_chats WHERE chat_id = ?", (chat_id,))
        is not None
    )


async def mark_unreachable(conn: aiosqlite.Connection, chat_id: int, error: str, at: str) -> bool:
    """Remember that a chat cannot be reached; True the first time."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO unreachable_chats (chat_id, error, told_at) VALUES (?, ?, ?)",
        (chat_id, error[:300], at),
    )
    return cursor.rowcount > 0
