"""A unit of database work in one trip to aiosqlite's thread.

Each ``await conn.execute(...)`` on an aiosqlite connection is a trip: the statement is queued
for the connection's thread, which wakes, runs it and wakes the event loop with the result.
On a local WAL database the trip costs more CPU than the statement. A unit of work (a
repository read of four queries, a batch of inserts) can instead run whole on that thread: the
repositories' own async functions are driven there against ``InlineConnection``, whose methods
finish at once, so the unit never suspends and costs one trip. Long work still runs off the
event loop, as every statement does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from typing import Any, TypeVar, cast

import aiosqlite

__all__ = ["InlineConnection", "UnitSuspended", "Work", "drive"]

T = TypeVar("T")

# A unit of work: the repositories' async code, given the connection to run on.
Work = Callable[[aiosqlite.Connection], Awaitable[T]]


class UnitSuspended(RuntimeError):
    """A unit of work awaited something other than the database (a bug in the unit)."""


class _Cursor:
    """A finished statement, read as the repositories read an aiosqlite cursor."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size) if size is not None else self._cursor.fetchmany()

    async def close(self) -> None:
        self._cursor.close()


class InlineConnection:
    """What the repositories call on an aiosqlite connection, run at once on the sqlite3
    connection itself: only ever used on aiosqlite's thread, inside ``drive``."""

    __slots__ = ("_raw",)

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> _Cursor:
        return _Cursor(self._raw.execute(sql, tuple(parameters or ())))

    async def execute_fetchall(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> list[Any]:
        return self._raw.execute(sql, tuple(parameters or ())).fetchall()

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> _Cursor:
        return _Cursor(self._raw.executemany(sql, parameters))

    @property
    def in_transaction(self) -> bool:
        return self._raw.in_transaction


def drive(raw: sqlite3.Connection, work: Work[T]) -> T:
    """Run ``work`` to its end on ``raw``, here and now (on aiosqlite's thread).

    Every await in it is on ``InlineConnection``, which never suspends; a unit that awaits
    anything else (a sleep, the network) is a bug, refused loudly rather than half run.
    """
    inline = cast(aiosqlite.Connection, InlineConnection(raw))
    coroutine = cast(Coroutine[Any, Any, T], work(inline))
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return cast(T, finished.value)
    coroutine.close()
    raise UnitSuspended("a unit of database work awaited something other than the database")
