"""A version's files (migration 15): every photo and document in the order sent, written once
with the version, and the albums (Telegram media groups) they came in."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import aiosqlite

from storage.db import fetch_one
from storage.models import Attachment

__all__ = ["album_at_intake", "album_holder", "insert", "of_version"]

logger = logging.getLogger(__name__)


def _attachment(row: aiosqlite.Row) -> Attachment:
    return Attachment(
        kind=row["file_kind"],
        file_id=row["file_id"],
        file_unique_id=row["file_unique_id"],
        name=row["file_name"],
        mime_type=row["mime_type"],
        size=row["file_size"],
        sha256=row["file_sha256"],
        media_group_id=row["media_group_id"],
    )


async def of_version(
    conn: aiosqlite.Connection, draft_id: int, number: int
) -> tuple[Attachment, ...]:
    """The files of one version, in order."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM version_files WHERE draft_id = ? AND number = ? ORDER BY position",
        (draft_id, number),
    )
    return tuple(_attachment(row) for row in rows)


async def insert(
    conn: aiosqlite.Connection, draft_id: int, number: int, files: Sequence[Attachment]
) -> None:
    """Record the files of a version being written."""
    await conn.executemany(
        "INSERT INTO version_files (draft_id, number, position, file_kind, file_id,"
        " file_unique_id, file_name, mime_type, file_size, file_sha256, media_group_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                draft_id,
                number,
                position,
                f.kind,
                f.file_id,
                f.file_unique_id,
                f.name,
                f.mime_type,
                f.size,
                f.sha256,
                f.media_group_id,
            )
            for position, f in enumerate(files)
        ],
    )


async def album_at_intake(
    conn: aiosqlite.Connection, submitter_id: int, media_group_id: str
) -> int | None:
    """The submitter's draft still at intake whose current version holds a file of this album."""
    row = await fetch_one(
        conn,
        "SELECT d.id FROM drafts d JOIN version_files f ON f.draft_id = d.id"
        " AND f.number = d.version WHERE d.submitter_id = ? AND d.state = 'intake'"
        " AND f.media_group_id = ? ORDER BY d.id DESC LIMIT 1",
        (submitter_id, media_group_id),
    )
    return int(row[0]) if row else None


async def album_holder(
    conn: aiosqlite.Connection, submitter_id: int, media_group_id: str
) -> int | None:
    """The submitter's newest draft any version of which holds a file of this album, whatever
    its state (an album whose draft was stopped by screening, or cancelled, while it arrived)."""
    row = await fetch_one(
        conn,
        "SELECT d.id FROM drafts d WHERE d.submitter_id = ? AND EXISTS (SELECT 1 FROM"
        " version_files f WHERE f.draft_id = d.id AND f.media_group_id = ?)"
        " ORDER BY d.id DESC LIMIT 1",
        (submitter_id, media_group_id),
    )
    return int(row[0]) if row else None
