"""Where approved versions went out, the checks of published 公众号 articles, the draft box.

A link is recorded only for a version all three tiers approved (the schema refuses anything
else); its check state moves from ``pending`` to ``verified``, ``differs`` or ``unavailable``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiosqlite

from storage.db import fetch_one

__all__ = [
    "CHECK_STATES",
    "LinkExists",
    "PublishedLink",
    "add_link",
    "get_link",
    "links",
    "media_id",
    "record_media_id",
    "set_check",
]

logger = logging.getLogger(__name__)

CHECK_STATES = ("none", "pending", "verified", "differs", "unavailable")


class LinkExists(Exception):
    """This link is already recorded for the draft."""


@dataclass(frozen=True, slots=True)
class PublishedLink:
    """One place an approved version went out."""

    id: int
    draft_id: int
    version: int
    content_hash: str
    platform: str
    account: str
    url: str
    recorded_by: int
    recorded_at: str
    check_state: str
    checked_at: str | None


def _link(row: aiosqlite.Row) -> PublishedLink:
    return PublishedLink(
        id=row["id"],
        draft_id=row["draft_id"],
        version=row["version"],
        content_hash=row["content_hash"],
        platform=row["platform"],
        account=row["account"],
        url=row["url"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
        check_state=row["check_state"],
        checked_at=row["checked_at"],
    )


async def add_link(
    conn: aiosqlite.Connection,
    draft_id: int,
    version: int,
    content_hash: str,
    platform: str,
    account: str,
    url: str,
    by: int,
    at: str,
    check_state: str,
) -> int:
    """Record a link; LinkExists when the draft already has it. The schema refuses a version
    without all three approvals of ``content_hash`` (aiosqlite.IntegrityError)."""
    if check_state not in CHECK_STATES:
        raise ValueError(f"unknown check state {check_state!r}")
    try:
        cursor = await conn.execute(
            "INSERT INTO publication_links (draft_id, version, content_hash, platform, account,"
            " url, recorded_by, recorded_at, check_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (draft_id, version, content_hash, platform, account, url, by, at, check_state),
        )
    except aiosqlite.IntegrityError as exc:
        if "UNIQUE" in str(exc):
            raise LinkExists(url) from exc
        raise
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def get_link(conn: aiosqlite.Connection, link_id: int) -> PublishedLink | None:
    """One link by id."""
    row = await fetch_one(conn, "SELECT * FROM publication_links WHERE id = ?", (link_id,))
    return _link(row) if row is not None else None


async def links(conn: aiosqlite.Connection, draft_id: int) -> list[PublishedLink]:
    """A draft's links, oldest first."""
    cursor = await conn.execute(
        "SELECT * FROM publication_links WHERE draft_id = ? ORDER BY id", (draft_id,)
    )
    return [_link(row) for row in await cursor.fetchall()]


async def set_check(conn: aiosqlite.Connection, link_id: int, state: str, at: str) -> bool:
    """Record the outcome of a link's check; False when the link is unknown."""
    if state not in CHECK_STATES:
        raise ValueError(f"unknown check state {state!r}")
    cursor = await conn.execute(
        "UPDATE publication_links SET check_state = ?, checked_at = ? WHERE id = ?",
        (state, at, link_id),
    )
    return cursor.rowcount == 1


async def record_media_id(
    conn: aiosqlite.Connection, draft_id: int, version: int, media_id: str, at: str
) -> bool:
    """The draft box's media id of a version; False when one is already recorded."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO wechat_drafts (draft_id, version, media_id, pushed_at)"
        " VALUES (?, ?, ?, ?)",
        (draft_id, version, media_id, at),
    )
    return cursor.rowcount == 1


async def media_id(conn: aiosqlite.Connection, draft_id: int, version: int) -> str | None:
    """The media id of a version in the 公众号 draft box, if it was pushed."""
    row = await fetch_one(
        conn,
        "SELECT media_id FROM wechat_drafts WHERE draft_id = ? AND version = ?",
        (draft_id, version),
    )
    return str(row["media_id"]) if row is not None else None
