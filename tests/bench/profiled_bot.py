"""``python -m bot`` under cProfile, on the CPU clock of each thread that does the bot's work:
``python -m tests.bench.profiled_bot OUT`` (``bench_pipeline --profile OUT`` runs it).

When the bot exits it writes OUT (the event loop's thread) and OUT.db (aiosqlite's database
thread), for ``pstats``. cProfile's default clock is the wall clock, on which the loop's idle
wait in epoll is its busiest call and another thread's work counts as the loop's; a thread's CPU
clock counts only what that thread ran. The database work is counted as in
``tests.bench.counted_bot``.
"""

from __future__ import annotations

import atexit
import cProfile
import runpy
import sys
import time
from collections.abc import Callable
from typing import Any

import aiosqlite.core

from tests.bench import counted_bot

__all__ = ["main"]


def main(out: str) -> None:
    loop_thread = cProfile.Profile(time.thread_time)
    database_threads: list[cProfile.Profile] = []
    worker: Callable[..., Any] = aiosqlite.core._connection_worker_thread

    def profiled_worker(*args: Any) -> Any:
        profile = cProfile.Profile(time.thread_time)
        database_threads.append(profile)
        profile.enable()
        try:
            return worker(*args)
        finally:
            profile.disable()

    aiosqlite.core._connection_worker_thread = profiled_worker  # type: ignore[assignment]

    def write() -> None:
        loop_thread.disable()
        loop_thread.dump_stats(out)
        if database_threads:
            # The connection the bot serves with is the last one opened.
            database_threads[-1].dump_stats(f"{out}.db")

    counted_bot.install()
    atexit.register(write)
    loop_thread.enable()
    runpy.run_module("bot", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    target = sys.argv[1]
    sys.argv = ["bot"]
    main(target)
