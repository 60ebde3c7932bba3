"""``python -m bot``, counting its database work: ``python -m tests.bench.counted_bot``.

Two counts, written as JSON to the file named by BENCH_DB_CALLS when the bot exits:
``statements``, every SQL statement SQLite ran (seen by the connection's trace callback, so a
statement inside a unit of work run on the database thread counts as well), by its first word;
and ``trips``, the hand-overs to aiosqlite's database thread and back (each a thread wake-up
and a result sent back to the event loop). Counting costs a dictionary increment per
statement and per trip, next to the statement itself.
"""

from __future__ import annotations

import atexit
import json
import os
import runpy
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import aiosqlite

__all__ = ["STATEMENTS", "TRIPS"]

STATEMENTS: Counter[str] = Counter()
TRIPS: Counter[str] = Counter()


def _kind(sql: str) -> str:
    text = sql.lstrip()
    if text.startswith("--"):
        # SQLite reports a trigger's statements as a comment naming the trigger.
        return "TRIGGER"
    return text.split(None, 1)[0].upper() if text else "?"


def _trace(sql: str) -> None:
    STATEMENTS[_kind(sql)] += 1


def _install() -> None:
    original_execute = aiosqlite.Connection._execute
    original_connect = aiosqlite.Connection._connect

    async def counting(
        self: aiosqlite.Connection, fn: Callable[..., object], *args: object, **kwargs: object
    ) -> object:
        TRIPS[getattr(fn, "__name__", "call")] += 1
        return await original_execute(self, fn, *args, **kwargs)

    async def connecting(self: aiosqlite.Connection) -> aiosqlite.Connection:
        conn = await original_connect(self)

        def trace(raw: sqlite3.Connection) -> None:
            raw.set_trace_callback(_trace)

        await original_execute(conn, trace, conn._conn)
        return conn

    aiosqlite.Connection._execute = counting  # type: ignore[method-assign]
    aiosqlite.Connection._connect = connecting  # type: ignore[method-assign]


def _write() -> None:
    target = os.environ.get("BENCH_DB_CALLS")
    if target:
        Path(target).write_text(
            json.dumps({"statements": dict(STATEMENTS), "trips": dict(TRIPS)}), encoding="utf-8"
        )


if __name__ == "__main__":
    _install()
    atexit.register(_write)
    runpy.run_module("bot", run_name="__main__", alter_sys=True)
