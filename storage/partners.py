"""Partner chats (article 17) and the repost offer each publication sends them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiosqlite

from storage.db import fetch_one

__all__ = [
    "DIGEST_KIND",
    "Outstanding",
    "Partner",
    "PartnerCounts",
    "Repost",
    "active",
    "add",
    "by_chat",
    "counts",
    "delivered_of",
    "fail_pending_of",
    "get",
    "mark_failed",
    "mark_offered",
    "mark_reposted",
    "move_chat",
    "outstanding",
    "queue",
    "record_copy",
    "remove",
    "repost",
    "set_reachable",
    "set_unreachable",
    "skip_other_digests",
]

logger = logging.getLogger(__name__)

# The reminder kind of the weekly digest; its rows live in the shared reminders table.
DIGEST_KIND = "partner_digest"


@dataclass(frozen=True, slots=True)
class Partner:
    """A partner college's group or channel; ``removed_at`` set means it gets no more offers."""

    id: int
    chat_id: int
    name: str
    added_by: int | None
    added_at: str
    removed_at: str | None
    unreachable_at: str | None


@dataclass(frozen=True, slots=True)
class Repost:
    """One post offered to one partner: pending, offered, reposted or failed."""

    id: int
    partner_id: int
    draft_id: int
    state: str
    offered_at: str
    chat_id: int | None
    message_id: int | None
    reposted_at: str | None
    reposted_by: int | None
    reposted_by_name: str | None
    detail: str | None
    sent_at: str | None
    post_message_id: int | None


@dataclass(frozen=True, slots=True)
class PartnerCounts:
    """A partner with its offers: delivered, reposted, still outstanding, failed."""

    partner: Partner
    offered: int
    reposted: int
    outstanding: int
    failed: int


@dataclass(frozen=True, slots=True)
class Outstanding:
    """An offer delivered to a partner and not yet marked reposted."""

    repost_id: int
    partner_id: int
    draft_id: int
    title: str
    sent_at: str


def _partner(row: aiosqlite.Row) -> Partner:
    return Partner(
        id=row["id"],
        chat_id=row["chat_id"],
        name=row["name"],
        added_by=row["added_by"],
        added_at=row["added_at"],
        removed_at=row["removed_at"],
        unreachable_at=row["unreachable_at"],
    )


def _repost(row: aiosqlite.Row) -> Repost:
    return Repost(
        id=row["id"],
        partner_id=row["partner_id"],
        draft_id=row["draft_id"],
        state=row["state"],
        offered_at=row["offered_at"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        reposted_at=row["reposted_at"],
        reposted_by=row["reposted_by"],
        reposted_by_name=row["reposted_by_name"],
        detail=row["detail"],
        sent_at=row["sent_at"],
        post_message_id=row["post_message_id"],
    )


# Partners ------------------------------------------------------------------------------------


async def get(conn: aiosqlite.Connection, partner_id: int) -> Partner | None:
    """A partner by number, removed or not."""
    row = await fetch_one(conn, "SELECT * FROM partners WHERE id = ?", (partner_id,))
    return _partner(row) if row else None


async def by_chat(conn: aiosqlite.Connection, chat_id: int) -> Partner | None:
    """The partner registered for a chat, removed or not."""
    row = await fetch_one(conn, "SELECT * FROM partners WHERE chat_id = ?", (chat_id,))
    return _partner(row) if row else None


async def active(conn: aiosqlite.Connection) -> list[Partner]:
    """Partners that get offers, in the order they were added."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM partners WHERE removed_at IS NULL ORDER BY id"
    )
    return [_partner(row) for row in rows]


async def add(
    conn: aiosqlite.Connection, chat_id: int, name: str, added_by: int, at: str
) -> tuple[Partner, str]:
    """Register a chat; returns the partner and ``added``, ``restored`` or ``exists``.

    A removed partner's chat is restored under its old number, so its history stays one row.
    """
    found = await by_chat(conn, chat_id)
    if found is not None and found.removed_at is None:
        return found, "exists"
    if found is not None:
        await conn.execute(
            "UPDATE partners SET name = ?, added_by = ?, added_at = ?, removed_at = NULL,"
            " unreachable_at = NULL WHERE id = ?",
            (name, added_by, at, found.id),
        )
        restored = await get(conn, found.id)
        assert restored is not None
        return restored, "restored"
    cursor = await conn.execute(
        "INSERT INTO partners (chat_id, name, added_by, added_at) VALUES (?, ?, ?, ?)",
        (chat_id, name, added_by, at),
    )
    assert cursor.lastrowid is not None
    created = await get(conn, cursor.lastrowid)
    assert created is not None
    return created, "added"


async def remove(conn: aiosqlite.Connection, partner_id: int, at: str) -> bool:
    """Soft-delete a partner; False when it was removed already."""
    cursor = await conn.execute(
        "UPDATE partners SET removed_at = ? WHERE id = ? AND removed_at IS NULL", (at, partner_id)
    )
    return cursor.rowcount == 1


async def move_chat(conn: aiosqlite.Connection, partner_id: int, chat_id: int) -> bool:
    """Follow a group upgraded to a supergroup; False when another partner has that chat."""
    if await by_chat(conn, chat_id) is not None:
        return False
    await conn.execute("UPDATE partners SET chat_id = ? WHERE id = ?", (chat_id, partner_id))
    return True


async def set_unreachable(conn: aiosqlite.Connection, partner_id: int, at: str) -> bool:
    """Note that the chat cannot be reached; True the first time since it last could be."""
    cursor = await conn.execute(
        "UPDATE partners SET unreachable_at = ? WHERE id = ? AND unreachable_at IS NULL",
        (at, partner_id),
    )
    return cursor.rowcount == 1


async def set_reachable(conn: aiosqlite.Connection, partner_id: int) -> None:
    """A message got through: a later outage is reported again."""
    await conn.execute(
        "UPDATE partners SET unreachable_at = NULL WHERE id = ? AND unreachable_at IS NOT NULL",
        (partner_id,),
    )


async def counts(conn: aiosqlite.Connection) -> list[PartnerCounts]:
    """Active partners with the fate of their offers, in the order they were added."""
    rows = await conn.execute_fetchall(
        "SELECT p.*,"
        " COUNT(r.id) FILTER (WHERE r.state IN ('offered', 'reposted')) AS n_offered,"
        " COUNT(r.id) FILTER (WHERE r.state = 'reposted') AS n_reposted,"
        " COUNT(r.id) FILTER (WHERE r.state = 'offered') AS n_outstanding,"
        " COUNT(r.id) FILTER (WHERE r.state = 'failed') AS n_failed"
        " FROM partners p LEFT JOIN reposts r ON r.partner_id = p.id"
        " WHERE p.removed_at IS NULL GROUP BY p.id ORDER BY p.id"
    )
    return [
        PartnerCounts(
            partner=_partner(row),
            offered=int(row["n_offered"]),
            reposted=int(row["n_reposted"]),
            outstanding=int(row["n_outstanding"]),
            failed=int(row["n_failed"]),
        )
        for row in rows
    ]


# Reposts -------------------------------------------------------------------------------------


async def queue(conn: aiosqlite.Connection, partner_id: int, draft_id: int, at: str) -> int | None:
    """A pending offer of a draft to a partner; None when it was offered already."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO reposts (partner_id, draft_id, offered_at) VALUES (?, ?, ?)",
        (partner_id, draft_id, at),
    )
    return cursor.lastrowid if cursor.rowcount == 1 else None


async def repost(conn: aiosqlite.Connection, repost_id: int) -> Repost | None:
    """An offer by number."""
    row = await fetch_one(conn, "SELECT * FROM reposts WHERE id = ?", (repost_id,))
    return _repost(row) if row else None


async def record_copy(
    conn: aiosqlite.Connection, repost_id: int, chat_id: int, post_message_id: int
) -> None:
    """The post went out to the partner's chat; the button message follows."""
    await conn.execute(
        "UPDATE reposts SET chat_id = ?, post_message_id = ? WHERE id = ? AND state = 'pending'",
        (chat_id, post_message_id, repost_id),
    )


async def mark_offered(
    conn: aiosqlite.Connection, repost_id: int, chat_id: int, message_id: int, at: str
) -> bool:
    """The button message is in the partner's chat; False if the offer moved on meanwhile."""
    cursor = await conn.execute(
        "UPDATE reposts SET state = 'offered', chat_id = ?, message_id = ?, sent_at = ?"
        " WHERE id = ? AND state = 'pending'",
        (chat_id, message_id, at, repost_id),
    )
    return cursor.rowcount == 1


async def mark_failed(conn: aiosqlite.Connection, repost_id: int, detail: str) -> bool:
    """The offer could not be sent; False if it was settled already."""
    cursor = await conn.execute(
        "UPDATE reposts SET state = 'failed', detail = ? WHERE id = ? AND state = 'pending'",
        (detail[:300], repost_id),
    )
    return cursor.rowcount == 1


async def fail_pending_of(conn: aiosqlite.Connection, partner_id: int, detail: str) -> int:
    """Settle a removed partner's offers that have not gone out; returns how many."""
    cursor = await conn.execute(
        "UPDATE reposts SET state = 'failed', detail = ?"
        " WHERE partner_id = ? AND state = 'pending'",
        (detail[:300], partner_id),
    )
    return cursor.rowcount


async def mark_reposted(
    conn: aiosqlite.Connection,
    repost_id: int,
    user_id: int,
    name: str,
    at: str,
    chat_id: int,
    message_id: int | None,
) -> bool:
    """Someone in the partner's chat pressed 已转载; False when it was recorded already.

    The tap proves the button arrived, so where the send was never recorded (a crash right
    after it) the tap's chat and message are kept.
    """
    cursor = await conn.execute(
        "UPDATE reposts SET state = 'reposted', reposted_at = ?, reposted_by = ?,"
        " reposted_by_name = ?, chat_id = COALESCE(chat_id, ?),"
        " message_id = COALESCE(message_id, ?), sent_at = COALESCE(sent_at, ?)"
        " WHERE id = ? AND state != 'reposted'",
        (at, user_id, name[:100], chat_id, message_id, at, repost_id),
    )
    return cursor.rowcount == 1


async def outstanding(conn: aiosqlite.Connection) -> list[Outstanding]:
    """Offers delivered to active partners and not yet reposted, by partner, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT r.id, r.partner_id, r.draft_id, d.title, COALESCE(r.sent_at, r.offered_at)"
        " FROM reposts r JOIN partners p ON p.id = r.partner_id"
        " JOIN drafts d ON d.id = r.draft_id"
        " WHERE r.state = 'offered' AND p.removed_at IS NULL"
        " ORDER BY r.partner_id, r.offered_at, r.id"
    )
    return [
        Outstanding(
            repost_id=int(row[0]),
            partner_id=int(row[1]),
            draft_id=int(row[2]),
            title=str(row[3]),
            sent_at=str(row[4]),
        )
        for row in rows
    ]


async def skip_other_digests(conn: aiosqlite.Connection, keep: str | None, at: str) -> int:
    """Skip future digests other than ``keep`` (the schedule changed); overdue ones still go."""
    cursor = await conn.execute(
        "UPDATE reminders SET state = 'skipped', settled_at = ?,"
        " detail = 'the digest schedule changed'"
        " WHERE kind = ? AND state = 'pending' AND due_at > ? AND key IS NOT ?",
        (at, DIGEST_KIND, at, keep),
    )
    return cursor.rowcount


async def delivered_of(conn: aiosqlite.Connection, draft_id: int) -> list[Repost]:
    """The offers of a draft that reached a partner still registered (offered or reposted)."""
    cursor = await conn.execute(
        "SELECT r.* FROM reposts r JOIN partners p ON p.id = r.partner_id"
        " WHERE r.draft_id = ? AND r.state IN ('offered', 'reposted')"
        " AND r.chat_id IS NOT NULL AND p.removed_at IS NULL ORDER BY r.id",
        (draft_id,),
    )
    return [_repost(row) for row in await cursor.fetchall()]
