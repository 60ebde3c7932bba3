"""The union's screening lexicon and whitelist, and the verdicts drafts got."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import aiosqlite

from storage.db import fetch_one

__all__ = [
    "LexiconEntry",
    "Screening",
    "add_allowed",
    "all_allowed",
    "all_terms",
    "delete_allowed",
    "delete_term",
    "record_screening",
    "replace_terms",
    "screening",
    "upsert_terms",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One term as stored."""

    term: str
    severity: str
    category: str
    anywhere: bool


@dataclass(frozen=True, slots=True)
class Screening:
    """A version's verdict; each hit is a dict with term, category, severity, quote."""

    verdict: str
    hits: list[dict[str, object]]


async def all_terms(conn: aiosqlite.Connection) -> list[LexiconEntry]:
    """Every term, alphabetically."""
    rows = await conn.execute_fetchall("SELECT * FROM lexicon_terms ORDER BY term")
    return [
        LexiconEntry(row["term"], row["severity"], row["category"], bool(row["anywhere"]))
        for row in rows
    ]


async def upsert_terms(
    conn: aiosqlite.Connection, entries: Iterable[LexiconEntry], by: int | None, at: str
) -> tuple[int, int]:
    """Add terms or change existing ones; returns (added, changed)."""
    added = changed = 0
    for entry in entries:
        row = await fetch_one(
            conn,
            "SELECT severity, category, anywhere FROM lexicon_terms WHERE term = ?",
            (entry.term,),
        )
        if row is None:
            added += 1
        elif (row[0], row[1], bool(row[2])) != (entry.severity, entry.category, entry.anywhere):
            changed += 1
        else:
            continue
        await conn.execute(
            "INSERT INTO lexicon_terms (term, severity, category, anywhere, added_by, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (term) DO UPDATE SET"
            " severity = excluded.severity, category = excluded.category,"
            " anywhere = excluded.anywhere, added_by = excluded.added_by,"
            " added_at = excluded.added_at",
            (entry.term, entry.severity, entry.category, int(entry.anywhere), by, at),
        )
    return added, changed


async def replace_terms(
    conn: aiosqlite.Connection, entries: Sequence[LexiconEntry], by: int | None, at: str
) -> None:
    """Make the lexicon exactly ``entries`` (used to seed the default lexicon)."""
    await conn.execute("DELETE FROM lexicon_terms")
    await upsert_terms(conn, entries, by, at)


async def delete_term(conn: aiosqlite.Connection, term: str) -> bool:
    """Remove a term; False when it was not there."""
    cursor = await conn.execute("DELETE FROM lexicon_terms WHERE term = ?", (term,))
    return cursor.rowcount > 0


async def all_allowed(conn: aiosqlite.Connection) -> list[str]:
    """The whitelist."""
    rows = await conn.execute_fetchall("SELECT term FROM lexicon_whitelist ORDER BY term")
    return [row[0] for row in rows]


async def add_allowed(conn: aiosqlite.Connection, term: str, by: int | None, at: str) -> bool:
    """Whitelist a term; False when it already was."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO lexicon_whitelist (term, added_by, added_at) VALUES (?, ?, ?)",
        (term, by, at),
    )
    return cursor.rowcount > 0


async def delete_allowed(conn: aiosqlite.Connection, term: str) -> bool:
    """Take a term off the whitelist."""
    cursor = await conn.execute("DELETE FROM lexicon_whitelist WHERE term = ?", (term,))
    return cursor.rowcount > 0


async def record_screening(
    conn: aiosqlite.Connection,
    draft_id: int,
    version: int,
    stage: str,
    verdict: str,
    hits: Sequence[dict[str, object]],
    at: str,
) -> None:
    """Store a version's verdict at a stage (replacing an earlier one of that stage)."""
    await conn.execute(
        "INSERT INTO screenings (draft_id, version, stage, verdict, hits, screened_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (draft_id, version, stage) DO UPDATE SET"
        " verdict = excluded.verdict, hits = excluded.hits, screened_at = excluded.screened_at",
        (draft_id, version, stage, verdict, json.dumps(list(hits), ensure_ascii=False), at),
    )


async def screening(
    conn: aiosqlite.Connection, draft_id: int, version: int, stage: str = "submit"
) -> Screening | None:
    """A version's verdict at a stage, if it was screened."""
    row = await fetch_one(
        conn,
        "SELECT verdict, hits FROM screenings WHERE draft_id = ? AND version = ? AND stage = ?",
        (draft_id, version, stage),
    )
    return Screening(row[0], json.loads(row[1])) if row else None
