"""``python -m bot``, counting its database work: ``python -m tests.bench.counted_bot``.

Two counts, written as JSON to the file named by BENCH_DB_CALLS when the bot exits: ``trips``,
the hand-overs to aiosqlite's database thread and back (each a thread wake-up and a result
sent back to the event loop), by what ran there; and ``statements``, the SQL statements by
their first word, whether a trip carried one statement or a whole unit of work
(``storage.trips``). Counting costs a dictionary increment per trip and per statement, under
the interpreter lock the code holds anyway (a trace callback inside SQLite would take that lock
once more per statement, and cost the bot more than the counting is worth).
"""

from __future__ import annotations

import atexit
import json
import os
import runpy
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiosqlite

from storage import db, trips

__all__ = ["STATEMENTS", "TRIPS", "install"]

STATEMENTS: Counter[str] = Counter()
TRIPS: Counter[str] = Counter()

# What aiosqlite runs on its thread for a statement given as SQL text.
_WITH_SQL = {"execute", "executemany", "executescript", "_execute_fetchall", "_execute_insert"}


# The kind of each SQL text seen: the bot's statements are a few hundred constant strings, so
# counting one costs a dictionary lookup, not a split of the text (the counting is not the
# bot's own CPU, yet it runs in the bot's process).
_KINDS: dict[object, str] = {}


def _kind(sql: object) -> str:
    kind = _KINDS.get(sql)
    if kind is None:
        text = str(sql).lstrip()
        kind = text.split(None, 1)[0].upper().rstrip(";") if text else "?"
        if len(_KINDS) < 10_000:
            _KINDS[sql] = kind
    return kind


def install() -> None:
    """Count from now on; the counts are written when the process exits."""
    _count()
    atexit.register(_write)


def _count() -> None:
    # The connection class the bot opens (storage.db's, which may carry a transaction's BEGIN
    # on the next trip), counted before it hands the trip to aiosqlite.
    connection: type[aiosqlite.Connection] = getattr(db, "_Connection", aiosqlite.Connection)
    original = connection._execute

    async def counting(
        self: aiosqlite.Connection, fn: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        name = getattr(fn, "__name__", "call")
        TRIPS[name] += 1
        ahead = getattr(self, "ahead", None)
        if ahead is not None:
            # A transaction's BEGIN, riding on this trip (storage.db).
            STATEMENTS[_kind(ahead)] += 1
        if name in _WITH_SQL and args:
            STATEMENTS[_kind(args[0])] += 1
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    connection._execute = counting  # type: ignore[method-assign]

    inline = trips.InlineConnection
    for method in ("execute", "execute_fetchall", "executemany"):
        plain = getattr(inline, method)

        def counted(plain: Callable[..., Any]) -> Callable[..., Any]:
            async def run(self: trips.InlineConnection, sql: str, *args: Any) -> Any:
                STATEMENTS[_kind(sql)] += 1
                return await plain(self, sql, *args)

            return run

        setattr(inline, method, counted(plain))


def _write() -> None:
    target = os.environ.get("BENCH_DB_CALLS")
    if target:
        Path(target).write_text(
            json.dumps({"statements": dict(STATEMENTS), "trips": dict(TRIPS)}), encoding="utf-8"
        )


if __name__ == "__main__":
    install()
    runpy.run_module("bot", run_name="__main__", alter_sys=True)
