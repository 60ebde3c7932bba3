"""Start-up time and resident memory of the bot, against a bare python-telegram-bot echo bot.

``python -m tests.bench.bench_footprint [--starts 3] [--drafts 10000]``

Each process is started like ``python -m bot`` against the local Bot API emulator, in the same
run, so the ratios hold on whatever machine runs it:

- start-up: from the process start to its first ``getUpdates`` (median of ``--starts``), with
  compiled bytecode as an installed bot has it (``pip install`` compiles it; a checkout run
  with PYTHONDONTWRITEBYTECODE would compile ~150 modules on every start): the processes
  write it under a temporary PYTHONPYCACHEPREFIX in one uncounted start of each;
- resident memory (VmRSS) once polling: for the bot, once screening is ready too (its jieba
  dictionary may load after polling begins), so the figure is the steady state;
- the same memory with ``--drafts`` published drafts in the database, which must not grow
  with the database (nothing is held in memory per stored draft).

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from storage import Database, drafts
from storage.drafts import NewContent
from storage.models import DraftState
from tests.bench.bench_pipeline import ModuleProcess
from tests.e2e.harness import TOKEN, build_union, write_config
from tests.emulator import BotApiEmulator

__all__ = ["main"]

START_SECONDS = 90.0
# The bot logs this once its screener is built (bot/screening.py).
READY_LINE = "screening ready"
# Goals of issue 14, as ratios to the echo bot measured in the same run.
STARTUP_RATIO = 2.5
RSS_RATIO = 2.5
RSS_GROWTH = 0.10
# About a long article's worth of text per stored draft.
BODY = "学生会新媒体中心发布本周活动通知，欢迎同学们踊跃参加。" * 40


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def wait_ready(process: ModuleProcess, seconds: float = START_SECONDS) -> None:
    """Until the bot logged that screening is ready."""
    deadline = time.perf_counter() + seconds
    while READY_LINE not in process.output().rsplit("===== start", 1)[-1]:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the bot did not log {READY_LINE!r} within {seconds:.0f} s")
        await asyncio.sleep(0.05)


async def one_start(
    emu: BotApiEmulator, workdir: Path, argv: list[str], config: Path | None, ready: bool
) -> tuple[float, float]:
    """Start, wait for polling (and readiness), read the memory, stop: (seconds, MB)."""
    process = ModuleProcess(emu, workdir, argv, config=config)
    # Each start appends a marker, so readiness is read from this start's lines only.
    with process.log.open("a", encoding="utf-8") as log:
        log.write("\n===== start =====\n")
    started = time.perf_counter()
    await process.start(timeout=START_SECONDS)
    seconds = time.perf_counter() - started
    try:
        if ready:
            await wait_ready(process)
        # Let the first polls and the start-up jobs (a reach check one second in) finish.
        await asyncio.sleep(2.0)
        assert process.process is not None
        memory = rss_mb(process.process.pid)
    finally:
        await process.stop()
    return seconds, memory


async def fill(db_path: Path, count: int) -> None:
    """``count`` published drafts, as a union's archive after some years."""
    db = await Database.open(db_path)
    try:
        async with db.transaction() as tx:
            at = db.now()
            for n in range(count):
                await drafts.create(
                    tx,
                    at,
                    2001,
                    2001,
                    f"第{n:05d}篇 活动通知",
                    NewContent(body=f"{BODY}{n}", source_chat_id=2001, source_msg_id=10_000 + n),
                    DraftState.PUBLISHED,
                )
    finally:
        await db.close()


@contextlib.contextmanager
def bytecode_cache(prefix: Path) -> Iterator[None]:
    """Child processes read and write compiled bytecode under ``prefix``."""
    saved = dict(os.environ)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


async def measure(starts: int, stored: int, workdir: Path) -> dict[str, object]:
    async with BotApiEmulator(token=TOKEN, bot_username="union_bench_bot") as emu:
        union = build_union(emu)
        echo: list[tuple[float, float]] = []
        bot: list[tuple[float, float]] = []
        echo_dir = workdir / "echo"
        bot_dir = workdir / "bot"
        for d in (echo_dir, bot_dir):
            (d / "data").mkdir(parents=True, exist_ok=True)
        # Uncounted: compiles the bytecode and reads the files into the page cache.
        await one_start(emu, echo_dir, ["-m", "tests.bench.echo_bot"], None, False)
        config = write_config(union, bot_dir / "config.toml")
        await one_start(emu, bot_dir, ["-m", "bot"], config, True)
        # Interleaved, so a burst of load on the machine touches both alike.
        for i in range(starts):
            echo.append(await one_start(emu, echo_dir, ["-m", "tests.bench.echo_bot"], None, False))
            config = write_config(union, bot_dir / "config.toml")
            bot.append(await one_start(emu, bot_dir, ["-m", "bot"], config, True))
            print(
                f"  start {i + 1}: echo {echo[-1][0]:.2f} s {echo[-1][1]:.1f} MB, "
                f"bot {bot[-1][0]:.2f} s {bot[-1][1]:.1f} MB",
                flush=True,
            )
        # The same database, now with an archive (its members were seeded by the starts).
        await fill(bot_dir / "data" / "bot.sqlite3", stored)
        config = write_config(union, bot_dir / "config.toml")
        _, full_rss = await one_start(emu, bot_dir, ["-m", "bot"], config, True)
        print(f"  with {stored} drafts stored: {full_rss:.1f} MB", flush=True)
    return {
        "bench": "footprint",
        "startup_s": round(statistics.median(s for s, _ in bot), 3),
        "echo_startup_s": round(statistics.median(s for s, _ in echo), 3),
        "rss_mb": round(statistics.median(m for _, m in bot), 1),
        "echo_rss_mb": round(statistics.median(m for _, m in echo), 1),
        "rss_10k_drafts_mb": round(full_rss, 1),
        "drafts_stored": stored,
    }


def report(figures: dict[str, object]) -> bool:
    startup = float(figures["startup_s"]) / float(figures["echo_startup_s"])  # type: ignore[arg-type]
    memory = float(figures["rss_mb"]) / float(figures["echo_rss_mb"])  # type: ignore[arg-type]
    growth = float(figures["rss_10k_drafts_mb"]) / float(figures["rss_mb"]) - 1  # type: ignore[arg-type]
    checks = [
        (f"start to first getUpdates: {startup:.2f}x the echo bot's", startup <= STARTUP_RATIO),
        (f"resident memory once polling: {memory:.2f}x the echo bot's", memory <= RSS_RATIO),
        (
            f"memory with {figures['drafts_stored']} drafts stored: {growth:+.1%} of an empty one",
            abs(growth) <= RSS_GROWTH,
        ),
    ]
    for text, ok in checks:
        print(f"  {'ok  ' if ok else 'OVER'} {text}")
    return all(ok for _, ok in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.bench_footprint",
        description="Start-up time and memory of the bot against a bare PTB echo bot.",
    )
    parser.add_argument("--starts", type=int, default=5, help="starts of each bot (5)")
    parser.add_argument("--drafts", type=int, default=10_000, help="drafts stored (10000)")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="bench-footprint-") as tmp,
        bytecode_cache(Path(tmp) / "pycache"),
    ):
        figures = asyncio.run(measure(args.starts, args.drafts, Path(tmp)))
    report(figures)
    print(json.dumps(figures, ensure_ascii=False))
    # Like the other benchmarks, the figures are reported; only a broken run fails.
    return 0


if __name__ == "__main__":
    sys.exit(main())
