"""Content reports (举报) and the cards that tell the admins about them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiosqlite

from storage.db import fetch_one

__all__ = [
    "ContentReport",
    "NewReport",
    "ReportCard",
    "add_card",
    "cards_of",
    "create",
    "find",
    "get",
    "mark_handled",
    "open_on_message",
    "open_reports",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewReport:
    """What a member reported: where, whose message, what it said, and why."""

    chat_id: int
    chat_title: str
    message_id: int
    link: str | None
    author_id: int | None
    author_name: str
    excerpt: str
    reason: str
    reported_by: int


@dataclass(frozen=True, slots=True)
class ContentReport:
    """One report and where it stands."""

    id: int
    chat_id: int
    chat_title: str
    message_id: int
    link: str | None
    author_id: int | None
    author_name: str
    excerpt: str
    reason: str
    reported_by: int
    reported_at: str
    state: str
    handled_by: int | None
    handled_at: str | None
    note: str | None

    @property
    def is_open(self) -> bool:
        """Not yet marked handled."""
        return self.state == "open"


@dataclass(frozen=True, slots=True)
class ReportCard:
    """A copy of a report's card in one chat."""

    report_id: int
    chat_id: int
    message_id: int


def _report(row: aiosqlite.Row) -> ContentReport:
    return ContentReport(
        id=row["id"],
        chat_id=row["chat_id"],
        chat_title=row["chat_title"],
        message_id=row["message_id"],
        link=row["link"],
        author_id=row["author_id"],
        author_name=row["author_name"],
        excerpt=row["excerpt"],
        reason=row["reason"],
        reported_by=row["reported_by"],
        reported_at=row["reported_at"],
        state=row["state"],
        handled_by=row["handled_by"],
        handled_at=row["handled_at"],
        note=row["note"],
    )


async def create(conn: aiosqlite.Connection, new: NewReport, at: str) -> int | None:
    """File a report; None when this member already reported this message."""
    cursor = await conn.execute(
        "INSERT INTO content_reports (chat_id, chat_title, message_id, link, author_id,"
        " author_name, excerpt, reason, reported_by, reported_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (chat_id, message_id, reported_by) DO NOTHING",
        (
            new.chat_id,
            new.chat_title,
            new.message_id,
            new.link,
            new.author_id,
            new.author_name,
            new.excerpt,
            new.reason,
            new.reported_by,
            at,
        ),
    )
    return cursor.lastrowid if cursor.rowcount == 1 else None


async def get(conn: aiosqlite.Connection, report_id: int) -> ContentReport | None:
    """A report by number."""
    row = await fetch_one(conn, "SELECT * FROM content_reports WHERE id = ?", (report_id,))
    return _report(row) if row else None


async def find(
    conn: aiosqlite.Connection, chat_id: int, message_id: int, reported_by: int
) -> ContentReport | None:
    """This member's report of this message, if any."""
    row = await fetch_one(
        conn,
        "SELECT * FROM content_reports WHERE chat_id = ? AND message_id = ? AND reported_by = ?",
        (chat_id, message_id, reported_by),
    )
    return _report(row) if row else None


async def open_on_message(
    conn: aiosqlite.Connection, chat_id: int, message_id: int
) -> list[ContentReport]:
    """Every open report of one message, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM content_reports WHERE chat_id = ? AND message_id = ? AND state = 'open'"
        " ORDER BY id",
        (chat_id, message_id),
    )
    return [_report(row) for row in rows]


async def open_reports(conn: aiosqlite.Connection, limit: int = 50) -> list[ContentReport]:
    """Reports not yet handled, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM content_reports WHERE state = 'open' ORDER BY reported_at, id LIMIT ?",
        (limit,),
    )
    return [_report(row) for row in rows]


async def mark_handled(
    conn: aiosqlite.Connection, report_id: int, by: int, at: str, note: str | None
) -> bool:
    """Close an open report; False when it was already handled (the other tap won)."""
    cursor = await conn.execute(
        "UPDATE content_reports SET state = 'handled', handled_by = ?, handled_at = ?, note = ?"
        " WHERE id = ? AND state = 'open'",
        (by, at, note, report_id),
    )
    return cursor.rowcount == 1


async def add_card(
    conn: aiosqlite.Connection, report_id: int, chat_id: int, message_id: int, at: str
) -> None:
    """Remember where a report's card was sent."""
    await conn.execute(
        "INSERT OR IGNORE INTO content_report_cards (report_id, chat_id, message_id, sent_at)"
        " VALUES (?, ?, ?, ?)",
        (report_id, chat_id, message_id, at),
    )


async def cards_of(conn: aiosqlite.Connection, report_id: int) -> list[ReportCard]:
    """Every copy of a report's card."""
    rows = await conn.execute_fetchall(
        "SELECT report_id, chat_id, message_id FROM content_report_cards WHERE report_id = ?"
        " ORDER BY id",
        (report_id,),
    )
    return [ReportCard(row[0], row[1], row[2]) for row in rows]
