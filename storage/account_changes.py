"""Account-change notices (article 16): one row per notice, cancelled in place, never deleted."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import aiosqlite

from storage.cards import prompt
from storage.db import fetch_one
from storage.models import Prompt

__all__ = [
    "AccountChange",
    "NewAccountChange",
    "add",
    "cancel",
    "close_open_wizards",
    "get",
    "open_wizard",
    "recent",
    "upcoming",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewAccountChange:
    """What a member files; the dates are local calendar days."""

    account: str
    change: str
    detail: str
    effective_on: date
    reason: str
    filed_by: int
    notice_on: date
    working_days: int
    weekends_only: bool


@dataclass(frozen=True, slots=True)
class AccountChange:
    """A filed notice."""

    id: int
    account: str
    change: str
    detail: str
    effective_on: date
    reason: str
    filed_by: int
    filed_at: str
    notice_on: date
    working_days: int
    weekends_only: bool
    state: str
    cancelled_by: int | None
    cancelled_at: str | None
    cancel_reason: str | None

    @property
    def cancelled(self) -> bool:
        """Whether an admin or the filer withdrew it."""
        return self.state == "cancelled"


def _change(row: aiosqlite.Row) -> AccountChange:
    return AccountChange(
        id=row["id"],
        account=row["account"],
        change=row["change"],
        detail=row["detail"],
        effective_on=date.fromisoformat(row["effective_on"]),
        reason=row["reason"],
        filed_by=row["filed_by"],
        filed_at=row["filed_at"],
        notice_on=date.fromisoformat(row["notice_on"]),
        working_days=row["working_days"],
        weekends_only=bool(row["weekends_only"]),
        state=row["state"],
        cancelled_by=row["cancelled_by"],
        cancelled_at=row["cancelled_at"],
        cancel_reason=row["cancel_reason"],
    )


async def add(conn: aiosqlite.Connection, new: NewAccountChange, at: str) -> int:
    """Store an accepted notice; returns its number."""
    cursor = await conn.execute(
        "INSERT INTO account_changes (account, change, detail, effective_on, reason, filed_by,"
        " filed_at, notice_on, working_days, weekends_only) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.account,
            new.change,
            new.detail,
            new.effective_on.isoformat(),
            new.reason,
            new.filed_by,
            at,
            new.notice_on.isoformat(),
            new.working_days,
            int(new.weekends_only),
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def get(conn: aiosqlite.Connection, change_id: int) -> AccountChange | None:
    """The notice with this number."""
    row = await fetch_one(conn, "SELECT * FROM account_changes WHERE id = ?", (change_id,))
    return _change(row) if row else None


async def upcoming(conn: aiosqlite.Connection, today: date, limit: int = 50) -> list[AccountChange]:
    """Accepted notices not yet in effect (a change is in effect from the start of its day)."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM account_changes WHERE state = 'accepted' AND effective_on > ?"
        " ORDER BY effective_on, id LIMIT ?",
        (today.isoformat(), limit),
    )
    return [_change(row) for row in rows]


async def recent(
    conn: aiosqlite.Connection, since: date, today: date, limit: int = 50
) -> list[AccountChange]:
    """Notices that took effect since ``since`` (today included) or were cancelled, newest first.

    A cancelled notice counts by its effective date as well, so the list reads as one timeline.
    """
    rows = await conn.execute_fetchall(
        "SELECT * FROM account_changes WHERE effective_on >= ?"
        " AND (effective_on <= ? OR state = 'cancelled')"
        " ORDER BY effective_on DESC, id DESC LIMIT ?",
        (since.isoformat(), today.isoformat(), limit),
    )
    return [_change(row) for row in rows]


async def cancel(conn: aiosqlite.Connection, change_id: int, by: int, at: str, reason: str) -> bool:
    """Withdraw an accepted notice; False when it was not (or no longer) accepted."""
    cursor = await conn.execute(
        "UPDATE account_changes SET state = 'cancelled', cancelled_by = ?, cancelled_at = ?,"
        " cancel_reason = ? WHERE id = ? AND state = 'accepted'",
        (by, at, reason, change_id),
    )
    return cursor.rowcount == 1


async def close_open_wizards(conn: aiosqlite.Connection, kind: str, user_id: int, at: str) -> int:
    """Close a member's unfinished wizards of ``kind``, so only the newest one takes answers."""
    cursor = await conn.execute(
        "UPDATE prompts SET closed_at = ? WHERE kind = ? AND user_id = ? AND closed_at IS NULL",
        (at, kind, user_id),
    )
    return cursor.rowcount


async def open_wizard(
    conn: aiosqlite.Connection, kind: str, user_id: int, chat_id: int
) -> Prompt | None:
    """A member's newest unfinished wizard of ``kind`` in a chat."""
    row = await fetch_one(
        conn,
        "SELECT id FROM prompts WHERE kind = ? AND user_id = ? AND chat_id = ?"
        " AND closed_at IS NULL ORDER BY id DESC LIMIT 1",
        (kind, user_id, chat_id),
    )
    return await prompt(conn, row[0]) if row else None
