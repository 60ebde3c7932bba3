"""The members as the database holds them, read whole, for comparing with the config file."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import aiosqlite

from storage.db import DatabaseAccessError
from storage.models import Role

__all__ = ["Roster", "StoredMember", "read", "read_file", "set_profile"]

logger = logging.getLogger(__name__)

# Ended roles are included: a volunteer whose period is over still differs from a config that
# gives another last day, and the row is what sync-config changes.
_MEMBERS = (
    "SELECT u.user_id, u.name, u.team, r.role, r.expires_at FROM users u"
    " JOIN member_roles r ON r.user_id = u.user_id ORDER BY u.user_id, r.role"
)
_SEEDED = "SELECT 1 FROM meta WHERE key = 'seeded_at'"


@dataclass(frozen=True)
class StoredMember:
    """One person holding at least one role, as stored."""

    user_id: int
    name: str
    team: str | None
    roles: frozenset[Role]
    # The stored end of each role that has one (a volunteer's).
    ends: Mapping[Role, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Roster:
    """Everyone holding a role, by id; ``seeded`` once the first start wrote the members."""

    seeded: bool
    members: Mapping[int, StoredMember]


def _roster(rows: Iterable[sqlite3.Row], seeded: bool) -> Roster:
    found: dict[int, tuple[str, str | None, set[Role], dict[Role, str]]] = {}
    for row in rows:
        entry = found.setdefault(row["user_id"], (row["name"], row["team"], set(), {}))
        role = Role(row["role"])
        entry[2].add(role)
        if row["expires_at"] is not None:
            entry[3][role] = str(row["expires_at"])
    return Roster(
        seeded,
        {
            uid: StoredMember(uid, name, team, frozenset(roles), ends)
            for uid, (name, team, roles, ends) in found.items()
        },
    )


async def read(conn: aiosqlite.Connection) -> Roster:
    """The roster, on the bot's connection (inside a transaction when about to change it)."""
    rows = await conn.execute_fetchall(_MEMBERS)
    seeded = bool(await conn.execute_fetchall(_SEEDED))
    return _roster(rows, seeded)


def read_file(path: Path) -> Roster:
    """The roster of the database at ``path``, opened read-only (blocking; nothing migrates)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise DatabaseAccessError(path, str(exc)) from exc
    try:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(_MEMBERS).fetchall()
        seeded = bool(conn.execute(_SEEDED).fetchall())
    except sqlite3.Error as exc:
        raise DatabaseAccessError(path, str(exc)) from exc
    finally:
        conn.close()
    return _roster(rows, seeded)


async def set_profile(
    conn: aiosqlite.Connection,
    user_id: int,
    name: str,
    username: str | None,
    team: str | None,
    at: str,
) -> None:
    """Set a member's name and team as the config gives them (a team may become none); the
    username is kept unless one is given, since Telegram's is the current one."""
    await conn.execute(
        "INSERT INTO users (user_id, name, username, team, seen_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, team = excluded.team,"
        " username = COALESCE(users.username, excluded.username)",
        (user_id, name, username, team, at),
    )
