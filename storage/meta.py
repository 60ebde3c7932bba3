"""Small key-value facts about the database itself (e.g. whether the config seeded it)."""

from __future__ import annotations

import aiosqlite

from storage.db import fetch_one

__all__ = ["get", "put"]


async def get(conn: aiosqlite.Connection, key: str) -> str | None:
    """The value stored under ``key``."""
    row = await fetch_one(conn, "SELECT value FROM meta WHERE key = ?", (key,))
    return str(row[0]) if row else None


async def put(conn: aiosqlite.Connection, key: str, value: str) -> None:
    """Store ``value`` under ``key``."""
    await conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
