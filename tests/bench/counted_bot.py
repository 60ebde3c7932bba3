"""``python -m bot``, counting its database statements: ``python -m tests.bench.counted_bot``.

Each statement the repositories run (``execute``, a fetch, ``BEGIN``/``COMMIT``) passes
through the connection's ``_execute``; the counts, by the statement's first word, are written
as JSON to the file named by BENCH_DB_CALLS when the bot exits. Counting costs a dictionary
increment per statement, next to the statement itself.
"""

from __future__ import annotations

import atexit
import json
import os
import runpy
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from storage import db

__all__ = ["COUNTS"]

COUNTS: Counter[str] = Counter()


def _kind(fn: Callable[..., object], args: tuple[object, ...]) -> str:
    name = getattr(fn, "__name__", "call")
    if name in ("execute", "_execute_fetchall", "_execute_insert") and args:
        sql = str(args[0]).lstrip()
        return sql.split(None, 1)[0].upper() if sql else name
    return name


def _install() -> None:
    original = db._InlineConnection._execute

    async def counting(
        self: db._InlineConnection, fn: Callable[..., object], *args: object, **kwargs: object
    ) -> object:
        COUNTS[_kind(fn, args)] += 1
        return await original(self, fn, *args, **kwargs)

    db._InlineConnection._execute = counting  # type: ignore[method-assign]


def _write() -> None:
    target = os.environ.get("BENCH_DB_CALLS")
    if target:
        Path(target).write_text(json.dumps(dict(COUNTS)), encoding="utf-8")


if __name__ == "__main__":
    _install()
    atexit.register(_write)
    runpy.run_module("bot", run_name="__main__", alter_sys=True)
