"""People and their roles."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import aiosqlite

from storage.db import fetch_one
from storage.models import Role, User

__all__ = [
    "find_by_username",
    "get",
    "get_many",
    "grant",
    "holders",
    "list_members",
    "revoke",
    "roles_of",
    "upsert",
]

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
    """Every role the user holds."""
    rows = await conn.execute_fetchall(
        "SELECT role FROM member_roles WHERE user_id = ?", (user_id,)
    )
    return frozenset(Role(row["role"]) for row in rows)


async def holders(conn: aiosqlite.Connection, role: Role) -> list[User]:
    """Everyone holding ``role``, by name."""
    rows = await conn.execute_fetchall(
        "SELECT u.* FROM users u JOIN member_roles r ON r.user_id = u.user_id"
        " WHERE r.role = ? ORDER BY u.name, u.user_id",
        (role.value,),
    )
    return [_user(row) for row in rows]


async def grant(
    conn: aiosqlite.Connection, user_id: int, roles: Iterable[Role], by: int | None, at: str
) -> list[Role]:
    """Give roles; returns those the user did not hold before."""
    added: list[Role] = []
    for role in roles:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO member_roles (user_id, role, granted_by, granted_at)"
            " VALUES (?, ?, ?, ?)",
            (user_id, role.value, by, at),
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
