"""People and their roles."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import aiosqlite

from storage.db import fetch_one
from storage.models import Role, User

__all__ = [
    "chat_or_holders",
    "find_by_username",
    "get",
    "get_many",
    "grant",
    "holders",
    "list_members",
    "revoke",
    "role_end",
    "role_expiries",
    "roles_of",
    "set_team",
    "upsert",
]

# A role is in force until its end; clock_now() is the database's (injectable) clock.
_IN_FORCE = "(r.expires_at IS NULL OR r.expires_at > clock_now())"

logger = logging.getLogger(__name__)


def _user(row: aiosqlite.Row) -> User:
    return User(
        user_id=row["user_id"], name=row["name"], username=row["username"], team=row["team"]
    )


async def upsert(
    conn: aiosqlite.Connection,
    user_id: int,
    name: str,
    username: str | None,
    at: str,
    team: str | None = None,
) -> None:
    """Record a user as last seen; keeps an existing team unless one is given."""
    await conn.execute(
        "INSERT INTO users (user_id, name, username, team, seen_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET name = excluded.name,"
        " username = excluded.username, seen_at = excluded.seen_at,"
        " team = COALESCE(excluded.team, users.team)",
        (user_id, name, username, team, at),
    )


async def get(conn: aiosqlite.Connection, user_id: int) -> User | None:
    """The user with this id, if known."""
    row = await fetch_one(conn, "SELECT * FROM users WHERE user_id = ?", (user_id,))
    return _user(row) if row else None


async def get_many(conn: aiosqlite.Connection, user_ids: Iterable[int | None]) -> dict[int, User]:
    """The known users among ``user_ids``, in one query."""
    wanted = sorted({i for i in user_ids if i is not None})
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = await conn.execute_fetchall(f"SELECT * FROM users WHERE user_id IN ({marks})", wanted)
    return {row["user_id"]: _user(row) for row in rows}


async def find_by_username(conn: aiosqlite.Connection, username: str) -> User | None:
    """The user with this @username (without the @, any case), if known."""
    row = await fetch_one(
        conn, "SELECT * FROM users WHERE lower(username) = lower(?)", (username.lstrip("@"),)
    )
    return _user(row) if row else None


async def roles_of(conn: aiosqlite.Connection, user_id: int) -> frozenset[Role]:
    """Every role the user holds now (a volunteer's ended role is not held)."""
    rows = await conn.execute_fetchall(
        f"SELECT role FROM member_roles r WHERE user_id = ? AND {_IN_FORCE}", (user_id,)
    )
    return frozenset(Role(row["role"]) for row in rows)


async def role_end(conn: aiosqlite.Connection, user_id: int, role: Role) -> str | None:
    """When ``user_id``'s ``role`` ends or ended; None when it has no end or is not held."""
    row = await fetch_one(
        conn,
        "SELECT expires_at FROM member_roles WHERE user_id = ? AND role = ?",
        (user_id, role.value),
    )
    return str(row[0]) if row and row[0] is not None else None


async def role_expiries(conn: aiosqlite.Connection) -> dict[tuple[int, Role], str]:
    """When each role with an end ends (or ended), by (user, role)."""
    rows = await conn.execute_fetchall(
        "SELECT user_id, role, expires_at FROM member_roles WHERE expires_at IS NOT NULL"
    )
    return {(row["user_id"], Role(row["role"])): row["expires_at"] for row in rows}


async def holders(conn: aiosqlite.Connection, role: Role) -> list[User]:
    """Everyone holding ``role``, by name."""
    rows = await conn.execute_fetchall(
        "SELECT u.* FROM users u JOIN member_roles r ON r.user_id = u.user_id"
        f" WHERE r.role = ? AND {_IN_FORCE} ORDER BY u.name, u.user_id",
        (role.value,),
    )
    return [_user(row) for row in rows]


async def chat_or_holders(
    conn: aiosqlite.Connection, chat_id: int | None, role: Role, exclude: Iterable[int | None] = ()
) -> list[int]:
    """Where something for ``role`` goes: its configured chat, else each holder privately.

    ``exclude`` (e.g. a draft's own submitter and editor) is left out of the private list.
    """
    if chat_id is not None:
        return [chat_id]
    left_out = set(exclude)
    return [u.user_id for u in await holders(conn, role) if u.user_id not in left_out]


async def grant(
    conn: aiosqlite.Connection,
    user_id: int,
    roles: Iterable[Role],
    by: int | None,
    at: str,
    expires_at: str | None = None,
) -> list[Role]:
    """Give roles (ending at ``expires_at`` if given); returns those that changed.

    Granting a held role again with another end (renewing a volunteer) counts as a change.
    """
    added: list[Role] = []
    for role in roles:
        cursor = await conn.execute(
            "INSERT INTO member_roles (user_id, role, granted_by, granted_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id, role) DO UPDATE SET granted_by = excluded.granted_by,"
            " granted_at = excluded.granted_at, expires_at = excluded.expires_at"
            " WHERE expires_at IS NOT excluded.expires_at",
            (user_id, role.value, by, at, expires_at),
        )
        if cursor.rowcount:
            added.append(role)
    return added


async def revoke(conn: aiosqlite.Connection, user_id: int, role: Role) -> bool:
    """Take a role away; False when the user did not hold it."""
    cursor = await conn.execute(
        "DELETE FROM member_roles WHERE user_id = ? AND role = ?", (user_id, role.value)
    )
    return cursor.rowcount > 0


async def list_members(conn: aiosqlite.Connection) -> list[tuple[User, frozenset[Role]]]:
    """Everyone holding at least one role, with their roles."""
    rows = await conn.execute_fetchall(
        "SELECT u.*, group_concat(r.role) AS roles FROM users u"
        " JOIN member_roles r ON r.user_id = u.user_id"
        " GROUP BY u.user_id ORDER BY u.name, u.user_id"
    )
    return [(_user(row), frozenset(Role(role) for role in row["roles"].split(","))) for row in rows]


async def set_team(conn: aiosqlite.Connection, user_id: int, team: str) -> None:
    """Set a member's team (组); an empty one clears it."""
    await conn.execute("UPDATE users SET team = ? WHERE user_id = ?", (team or None, user_id))
