"""Reminders: re-arming 10,000 pending rows at start-up, and how late due reminders go out.

``python -m tests.bench.bench_reminders [--pending 10000] [--reminders 600] [--quick]``

The real application (``build_application``) runs in this process against the local Bot API
emulator, as in the integration tests. A benchmark-only reminder kind is registered on its
``ReminderScheduler``: its handler records when it was called and sends nothing, so the
figures are the scheduler's own (database round trips, the JobQueue), not the Bot API's.

Re-arm: with one pending row, then with N due over the next hour, the time of
``scheduler.arm()`` (one query for the earliest row, one job) and of the reminder part of a
start-up (``recover()``, then ``run_due()``, which arms), each beside one bare database round
trip. The baseline, measured in the same run, is the naive design: read every pending row
and give each its own JobQueue job.

Lateness: reminders due over a few seconds, singles and bursts due at one instant, fired by
the scheduler; lateness is the handler's call minus the row's due time (and the row's
``settled_at`` minus it). The same due pattern is replayed on two floors: one JobQueue job per
reminder (APScheduler and PTB, no database), and bare ``loop.call_at`` (the event loop's own
timer jitter). The three take turns over several rounds, so a noisy spell weighs on all.

The run fails (exit 1) unless every reminder fired exactly once with its row settled 'sent',
and no re-arm row fired. Wall-clock figures are never asserted: the machine may be shared,
so read the ratios and medians measured in the same run. The last line printed is one JSON
object for tools that track the figures over time.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram.ext import Application, ContextTypes, JobQueue

from bot.app import build_application
from bot.config import load_config
from bot.reminders.scheduler import JOB_NAME
from bot.services import SERVICES_KEY, Services
from bot.settings import Settings
from storage import Database, reminders
from storage.reminders import Reminder
from tests.e2e.harness import TOKEN, build_union, write_config
from tests.emulator import BotApiEmulator

__all__ = ["main"]

KIND = "bench"
SEED = 20240917
PENDING, QUICK_PENDING = 10_000, 2_000
FIRING, QUICK_FIRING = 600, 150
# Seconds over which the lateness reminders fall due, split into rounds in which the three
# designs take turns.
WINDOW, QUICK_WINDOW = 6.0, 2.0
ROUNDS, QUICK_ROUNDS = 3, 1
# Until a round's first reminder falls due: time to insert its rows and arm, so none starts
# late.
LEAD = 0.5
ARM_REPEATS, QUICK_ARM_REPEATS = 21, 7
NAIVE_REPEATS = 3
OPEN_REPEATS = 5
# A third of the lateness reminders come in bursts due at one instant, cycling these sizes:
# a meeting reminder for several chats, or many drafts stalling after one busy evening.
BURSTS = (50, 20, 10, 5)
# Beyond the due window: a missing reminder fails the run instead of hanging it.
GRACE = 30.0

Ctx = ContextTypes.DEFAULT_TYPE
App = Application[Any, Any, Any, Any, Any, Any]


class BenchFailure(Exception):
    """The scheduler did not do what the scenario expects; the figures are void."""


def iso(epoch: float) -> str:
    """A wall-clock instant as the database stores it (``Database.now``'s format)."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="microseconds")


def epoch(stored: str) -> float:
    return datetime.fromisoformat(stored).timestamp()


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


class Recorder:
    """When each key fired (wall clock, like the due times), and a wake-up once all did."""

    def __init__(self) -> None:
        self.fired: dict[str, list[float]] = defaultdict(list)
        self._expected = 0
        self._done = asyncio.Event()

    def hit(self, key: str) -> None:
        self.fired[key].append(time.time())
        if self._expected and len(self.fired) >= self._expected:
            self._done.set()

    async def reminder(self, reminder: Reminder) -> str:
        """The benchmark kind's handler: sends nothing, so only the scheduler is measured."""
        self.hit(reminder.key)
        return "sent"

    async def job(self, context: Ctx) -> None:
        """A naive JobQueue job's callback."""
        assert context.job is not None
        self.hit(str(context.job.data))

    async def wait(self, keys: int, timeout: float) -> None:  # noqa: ASYNC109
        """Until ``keys`` distinct keys fired, counting those that already did."""
        self._expected = keys
        if len(self.fired) >= keys:
            return
        self._done.clear()
        try:
            await asyncio.wait_for(self._done.wait(), timeout)
        except TimeoutError:
            raise BenchFailure(f"{len(self.fired)} of {keys} fired in {timeout:.0f} s") from None


async def timed(step: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await step()
    return time.perf_counter() - started


async def drain() -> None:
    """Let callbacks already queued on the loop run (APScheduler queues a wake-up per job)."""
    for _ in range(2):
        await asyncio.sleep(0)


# Re-arm ---------------------------------------------------------------------------------------


STEPS = ("trip", "arm", "recover", "run_due")


@dataclass
class Rearm:
    """Seconds per repetition of each step, with one pending row (``few``) and with all."""

    pending: int
    others: int = 0
    insert_s: float = math.nan
    few: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    full: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    open_s: list[float] = field(default_factory=list)
    naive_read_s: list[float] = field(default_factory=list)
    naive_schedule_s: list[float] = field(default_factory=list)
    naive_remove_s: list[float] = field(default_factory=list)

    @property
    def naive_s(self) -> list[float]:
        return [r + s for r, s in zip(self.naive_read_s, self.naive_schedule_s, strict=True)]

    @property
    def startup_s(self) -> float:
        """The reminder part of post_init: ``recover()`` then ``run_due()``, medians."""
        return statistics.median(self.full["recover"]) + statistics.median(self.full["run_due"])


def armed_at(job_queue: JobQueue[Any]) -> list[datetime | None]:
    return [job.next_t for job in job_queue.get_jobs_by_name(JOB_NAME)]


async def bench_rearm(
    services: Services,
    db_path: Path,
    pending: int,
    repeats: int,
    problems: list[str],
    checks: list[str],
) -> Rearm:
    scheduler = services.scheduler
    # Every row of this phase is due in an hour: any call of this handler is a bug.
    early = Recorder()
    scheduler.handlers[KIND] = early.reminder
    job_queue = scheduler.job_queue
    db = services.db
    async with db.reading() as conn:
        others = await reminders.pending_count(conn)
    figures = Rearm(pending=pending, others=others)

    async def trip() -> None:
        async with db.reading() as conn:
            await conn.execute_fetchall("SELECT 1")

    steps: dict[str, Callable[[], Awaitable[object]]] = {
        "trip": trip,
        "arm": scheduler.arm,
        # recover() and run_due() are what post_init does for reminders; run_due() finds
        # nothing due here and arms.
        "recover": scheduler.recover,
        "run_due": scheduler.run_due,
    }

    async def each(into: dict[str, list[float]]) -> None:
        # The steps take turns with the smallest database round trip, their floor, so a
        # noisy spell on a shared machine weighs on all of them alike; one untimed turn
        # first, so first-call costs do not count.
        for step in steps.values():
            await step()
        for _ in range(repeats):
            for name, step in steps.items():
                into[name].append(await timed(step))

    rng = random.Random(SEED)
    start = time.time() + 3600
    # Due over an hour in random order, as rows pile up in real life; a fixed seed keeps
    # the runs comparable.
    dues = [start + i * 3600 / pending for i in range(pending)]
    rng.shuffle(dues)
    # One row first: arm() then does its whole work (a job replaced) with a tiny table.
    async with db.transaction() as tx:
        await reminders.add(tx, KIND, "rearm:00000", iso(dues[0]), None, {})
    await each(figures.few)
    started = time.perf_counter()
    async with db.transaction() as tx:
        for number, due in enumerate(dues[1:], start=1):
            await reminders.add(tx, KIND, f"rearm:{number:05d}", iso(due), None, {})
    figures.insert_s = time.perf_counter() - started
    await each(figures.full)

    async with db.reading() as conn:
        earliest = await reminders.earliest_due(conn)
    armed = armed_at(job_queue)
    if earliest is None or armed != [datetime.fromisoformat(earliest)]:
        problems.append(f"arm(): jobs {armed}, earliest pending row {earliest}")

    async def reopen() -> None:
        # A second connection to the same file: open, migrations check, the earliest row.
        fresh = await Database.open(db_path)
        try:
            async with fresh.reading() as conn:
                await reminders.earliest_due(conn)
        finally:
            await fresh.close()

    figures.open_s = [await timed(reopen) for _ in range(OPEN_REPEATS)]

    # The naive design: every pending row its own job. Rows come sorted by due time, the
    # job store's cheapest insertion order, so the baseline gets its best case.
    never = Recorder()
    for _ in range(NAIVE_REPEATS):
        started = time.perf_counter()
        async with db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT key, due_at FROM reminders WHERE state = 'pending' ORDER BY due_at, id"
            )
        read = time.perf_counter()
        jobs = [
            job_queue.run_once(
                never.job, when=datetime.fromisoformat(due), data=key, name=f"naive:{key}"
            )
            for key, due in rows
        ]
        await drain()
        scheduled = time.perf_counter()
        for job in jobs:
            job.schedule_removal()
        await drain()
        removed = time.perf_counter()
        figures.naive_read_s.append(read - started)
        figures.naive_schedule_s.append(scheduled - read)
        figures.naive_remove_s.append(removed - scheduled)
        if len(jobs) != pending + others:
            problems.append(f"naive re-arm read {len(jobs)} rows, {pending + others} pending")
    if never.fired:
        problems.append(f"naive jobs due in an hour fired: {sorted(never.fired)[:5]}")

    # Done with these rows: skipped, so they neither fire nor shadow the lateness rows.
    async with db.transaction() as tx:
        skipped = await reminders.skip_pending(tx, KIND, db.now(), "benchmark: re-arm rows")
    if skipped != pending:
        problems.append(f"re-arm rows: {skipped} still pending at the end, expected {pending}")
    await scheduler.arm()
    checks.append(
        f"re-arm: one job at the earliest row after arm(); rows fired {len(early.fired)}, "
        f"naive jobs fired {len(never.fired)} (expected 0 and 0, all due in an hour)"
    )
    if early.fired:
        problems.append(f"re-arm rows due in an hour fired: {sorted(early.fired)[:5]}")
    return figures


# Lateness -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Due:
    """One reminder of a pattern: its key, due time (epoch seconds) and burst size."""

    key: str
    at: float
    burst: int


def due_pattern(
    count: int, window: float, start: float, rng: random.Random, prefix: str
) -> list[Due]:
    """A third of ``count`` in bursts due at one instant, the rest alone, over ``window``."""
    offsets: list[tuple[float, int]] = []
    budget = count // 3
    for size in itertools.cycle(BURSTS):
        if budget <= 0:
            break
        size = min(size, budget)
        instant = rng.uniform(0, window)
        offsets += [(instant, size)] * size
        budget -= size
    offsets += [(rng.uniform(0, window), 1) for _ in range(count - len(offsets))]
    offsets.sort()
    # Rounded as the database stores them, so every design waits for the very same instant.
    return [
        Due(f"{prefix}:{n:04d}", epoch(iso(start + offset)), burst)
        for n, (offset, burst) in enumerate(offsets)
    ]


@dataclass
class Design:
    """One way of firing the pattern, and its calls over every round."""

    name: str
    recorder: Recorder = field(default_factory=Recorder)
    pattern: list[Due] = field(default_factory=list)

    def late(self, due: Due) -> float | None:
        fired = self.recorder.fired.get(due.key)
        return fired[0] - due.at if fired else None

    def lateness(self, bursts: bool | None = None) -> list[float]:
        """Seconds late, of all reminders or only those due alone (False) or in bursts."""
        found = [
            self.late(due) for due in self.pattern if bursts is None or (due.burst > 1) is bursts
        ]
        return [late for late in found if late is not None]

    def per_extra(self) -> list[float]:
        """Per burst of 10 or more: how much later each further reminder of it fired."""
        calls: dict[float, list[float]] = defaultdict(list)
        for due in self.pattern:
            fired = self.recorder.fired.get(due.key)
            if fired and due.burst >= 10:
                calls[due.at].append(fired[0])
        return [(max(c) - min(c)) / (len(c) - 1) for c in calls.values() if len(c) >= 2]

    def check(self, problems: list[str]) -> str:
        """Every key of the pattern fired exactly once, and nothing else did."""
        keys = {due.key for due in self.pattern}
        fired = self.recorder.fired
        missing = sorted(k for k in keys if k not in fired)
        twice = sorted(k for k, calls in fired.items() if len(calls) > 1)
        strays = sorted(k for k in fired if k not in keys)
        if missing or twice or strays:
            problems.append(
                f"{self.name}: missing {missing[:5]} ({len(missing)}), twice {twice[:5]}, "
                f"unknown {strays[:5]}"
            )
        return (
            f"{self.name}: {len(fired)} of {len(keys)} fired, missing {len(missing)}, "
            f"twice {len(twice)}, unknown {len(strays)}"
        )


async def scheduler_round(
    services: Services, design: Design, pattern: Sequence[Due], problems: list[str]
) -> None:
    """The project's way: rows in the database, one job armed at the earliest."""
    db = services.db
    async with db.transaction() as tx:
        for due in pattern:
            await reminders.add(tx, KIND, due.key, iso(due.at), None, {})
    await services.scheduler.arm()
    if time.time() > pattern[0].at:
        problems.append("the rows were armed after the first fell due; raise LEAD")
    await design.recorder.wait(len(design.pattern), pattern[-1].at - time.time() + GRACE)
    # The last handler returned just now; its row is settled right after it.
    deadline = time.perf_counter() + 5.0
    while time.perf_counter() < deadline:
        async with db.reading() as conn:
            left = await conn.execute_fetchall(
                "SELECT 1 FROM reminders WHERE kind = ? AND state = 'pending' LIMIT 1", (KIND,)
            )
        if not left:
            break
        await asyncio.sleep(0.01)


async def jobqueue_round(
    job_queue: JobQueue[Any], design: Design, pattern: Sequence[Due], problems: list[str]
) -> None:
    """The naive way: one JobQueue job per reminder, and no database."""
    for due in pattern:
        job_queue.run_once(
            design.recorder.job,
            when=datetime.fromtimestamp(due.at, UTC),
            data=due.key,
            name="floor",
        )
    try:
        await design.recorder.wait(len(design.pattern), pattern[-1].at - time.time() + GRACE)
    except BenchFailure as exc:
        # APScheduler drops a job run over a second late (misfire_grace_time): say so.
        problems.append(f"{design.name}: {exc}")
        for job in job_queue.get_jobs_by_name("floor"):
            job.schedule_removal()


async def call_at_round(design: Design, pattern: Sequence[Due], problems: list[str]) -> None:
    """Bare ``loop.call_at``: the event loop's own timer jitter."""
    loop = asyncio.get_running_loop()
    # The loop's clock is monotonic; map the wall-clock due times onto it once, now.
    offset = loop.time() - time.time()
    for due in pattern:
        loop.call_at(due.at + offset, design.recorder.hit, due.key)
    await design.recorder.wait(len(design.pattern), pattern[-1].at - time.time() + GRACE)


@dataclass
class LatenessRun:
    """The three designs after every round, and the scheduler's rows."""

    scheduler: Design
    jobqueue: Design
    call_at: Design
    # key -> settled_at, for the scheduler's rows
    settled: dict[str, float] = field(default_factory=dict)

    def settled_late(self) -> list[float]:
        return [
            self.settled[due.key] - due.at
            for due in self.scheduler.pattern
            if due.key in self.settled
        ]


async def bench_lateness(
    services: Services,
    count: int,
    window: float,
    rounds: int,
    problems: list[str],
    checks: list[str],
) -> LatenessRun:
    scheduler = services.scheduler
    run = LatenessRun(Design("scheduler"), Design("jobqueue floor"), Design("call_at floor"))
    scheduler.handlers[KIND] = run.scheduler.recorder.reminder
    lateness_before = len(scheduler.lateness)
    steps: list[tuple[Design, Callable[[Design, list[Due]], Awaitable[None]]]] = [
        (run.scheduler, lambda d, p: scheduler_round(services, d, p, problems)),
        (run.jobqueue, lambda d, p: jobqueue_round(scheduler.job_queue, d, p, problems)),
        (run.call_at, lambda d, p: call_at_round(d, p, problems)),
    ]
    for number in range(rounds):
        # A shared machine's noise drifts: the designs take turns, each round in a new order.
        turn = number % len(steps)
        for design, step in steps[turn:] + steps[:turn]:
            print(f"  round {number + 1}/{rounds}: {design.name}", flush=True)
            pattern = due_pattern(
                count // rounds,
                window / rounds,
                time.time() + LEAD,
                random.Random(SEED + number),
                f"late{number}",
            )
            design.pattern += pattern
            await step(design, pattern)

    expected = len(run.scheduler.pattern)
    async with services.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT key, state, settled_at FROM reminders WHERE kind = ? AND key LIKE 'late%'",
            (KIND,),
        )
    states: dict[str, int] = defaultdict(int)
    for key, state, settled_at in rows:
        states[state] += 1
        if settled_at is not None:
            run.settled[key] = epoch(settled_at)
    for design in (run.scheduler, run.jobqueue, run.call_at):
        checks.append(design.check(problems))
    checks.append(f"scheduler rows by state: {dict(states)} (expected all {expected} 'sent')")
    if dict(states) != {"sent": expected}:
        problems.append(f"rows by state {dict(states)}, expected {expected} 'sent'")
    recorded = len(scheduler.lateness) - lateness_before
    checks.append(f"scheduler.lateness entries added: {recorded} (expected {expected})")
    if recorded != expected:
        problems.append(f"scheduler.lateness grew by {recorded}, expected {expected}")
    armed = armed_at(scheduler.job_queue)
    async with services.db.reading() as conn:
        earliest = await reminders.earliest_due(conn)
    wanted = [] if earliest is None else [datetime.fromisoformat(earliest)]
    checks.append(f"reminder jobs armed afterwards: {len(armed)} (earliest pending {earliest})")
    if armed != wanted:
        problems.append(f"afterwards armed {armed}, earliest pending row {earliest}")
    return run


# Report ---------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.3f} ms"


def step_line(label: str, values: Sequence[float]) -> str:
    return f"  {label:<44} {ms(statistics.median(values))} {ms(min(values))}  (n={len(values)})"


def late_line(label: str, values: Sequence[float]) -> str:
    quantiles = " / ".join(f"{percentile(values, q) * 1000:7.2f}" for q in (50, 90, 99, 100))
    return f"  {label:<44} {quantiles}   ms  (n={len(values)})"


def p_ms(values: Sequence[float], q: float) -> float:
    return round(percentile(values, q) * 1000, 3)


def report(
    rearm: Rearm,
    late: LatenessRun,
    count: int,
    window: float,
    rounds: int,
    checks: list[str],
    problems: list[str],
) -> dict[str, object]:
    arm = statistics.median(rearm.full["arm"])
    naive = statistics.median(rearm.naive_s)
    startup = rearm.startup_s
    ratio = naive / arm if arm else math.nan
    print()
    print(
        f"Re-arm: {rearm.pending} pending reminders due over the next hour "
        f"(+{rearm.others} other pending rows)"
    )
    print(f"  {'insert the rows (one transaction)':<44} {rearm.insert_s:9.3f} s")
    print(f"  {'':<44} {'1 pending row':>25}   {f'{rearm.pending} pending rows':>25}")
    print(f"  {'':<44} {'median':>12} {'min':>12}   {'median':>12} {'min':>12}")
    labels = {
        "trip": "one database round trip (SELECT 1)",
        "arm": "scheduler.arm()",
        "recover": "start-up: scheduler.recover()",
        "run_due": "start-up: scheduler.run_due() (arms)",
    }
    for name, label in labels.items():
        few, full = rearm.few[name], rearm.full[name]
        print(
            f"  {label:<44} {ms(statistics.median(few))} {ms(min(few))}   "
            f"{ms(statistics.median(full))} {ms(min(full))}  (n={len(full)})"
        )
    print(f"  {'':<44} {'median':>12} {'min':>12}")
    print(step_line("start-up: Database.open + earliest row", rearm.open_s))
    print(step_line("naive: read every pending row", rearm.naive_read_s))
    print(step_line("naive: run_once per row", rearm.naive_schedule_s))
    print(step_line("naive: re-arm (read + run_once)", rearm.naive_s))
    print(step_line("naive: remove the jobs again", rearm.naive_remove_s))
    print(
        f"Ratio (naive re-arm / arm()): {ratio:.0f}x; "
        f"(naive re-arm / recover() + run_due()): {naive / startup:.0f}x"
    )
    print()
    shape = late.scheduler.pattern
    in_bursts = sum(due.burst > 1 for due in shape)
    instants = len({due.at for due in shape if due.burst > 1})
    print(
        f"Lateness: {len(shape)} reminders in {rounds} round(s) of {window / rounds:.0f} s, "
        f"{in_bursts} of them in {instants} bursts of up to {max(BURSTS)} due at one instant; "
        "the designs take turns"
    )
    print(f"  {'':<44} {'p50':>7} / {'p90':>7} / {'p99':>7} / {'max':>7}")
    ours = late.scheduler
    print(late_line("scheduler: handler called", ours.lateness()))
    print(late_line("scheduler: row settled 'sent'", late.settled_late()))
    print(late_line("scheduler: reminders due alone", ours.lateness(bursts=False)))
    print(late_line("scheduler: reminders in bursts", ours.lateness(bursts=True)))
    print(late_line("floor: one JobQueue job each, no database", late.jobqueue.lateness()))
    print(late_line("floor: loop.call_at", late.call_at.lateness()))
    print(late_line("floor: loop.call_at, due alone", late.call_at.lateness(bursts=False)))
    extra = " / ".join(
        f"{d.name.split()[0]} {statistics.median(d.per_extra()) * 1000:.3f} ms"
        if d.per_extra()
        else f"{d.name.split()[0]} n/a"
        for d in (ours, late.jobqueue, late.call_at)
    )
    print(f"  {'each further reminder in a burst (median)':<44} {extra}")
    added = p_ms(ours.lateness(), 50) - p_ms(late.call_at.lateness(), 50)
    print(
        f"Scheduler p50 over the loop's own: {added:+.2f} ms; p99 "
        f"{p_ms(ours.lateness(), 99):.2f} ms vs {p_ms(late.call_at.lateness(), 99):.2f} ms"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    print(f"  {'load average at the end':<44} {load:.2f} on {os.cpu_count()} CPUs")
    print()
    print("Correctness")
    for line in checks:
        print(f"  {line}")
    for problem in problems:
        print(f"  FAILED: {problem}")
    print(f"  result: {'ok' if not problems else 'FAILED'}")
    return {
        "bench": "reminders",
        "rearm_10k_s": round(arm, 6),
        "rearm_naive_10k_s": round(naive, 4),
        "rearm_ratio": round(ratio, 1),
        "startup_10k_s": round(startup, 6),
        "lateness_p50_ms": p_ms(ours.lateness(), 50),
        "lateness_p99_ms": p_ms(ours.lateness(), 99),
        "jobqueue_p50_ms": p_ms(late.jobqueue.lateness(), 50),
        "jobqueue_p99_ms": p_ms(late.jobqueue.lateness(), 99),
        "call_at_p50_ms": p_ms(late.call_at.lateness(), 50),
        "call_at_p99_ms": p_ms(late.call_at.lateness(), 99),
        "pending": rearm.pending,
        "reminders": count,
        "ok": not problems,
    }


def clean(value: object) -> object:
    # JSON has no NaN; a failed measurement reports null instead.
    return None if isinstance(value, float) and math.isnan(value) else value


# Running --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """How much to measure."""

    pending: int
    reminders: int
    window: float
    rounds: int
    repeats: int


async def measure(application: App, db_path: Path, plan: Plan) -> tuple[dict[str, object], bool]:
    services = application.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    problems: list[str] = []
    checks: list[str] = []
    # Each phase registers its own handler for the benchmark kind in ``scheduler.handlers``,
    # the scheduler's public registry of kinds.
    print(f"re-arm: {plan.pending} pending reminders ...", flush=True)
    rearm = await bench_rearm(services, db_path, plan.pending, plan.repeats, problems, checks)
    print(
        f"lateness: {plan.reminders} reminders over {plan.window:.0f} s in {plan.rounds} round(s)",
        flush=True,
    )
    late = await bench_lateness(
        services, plan.reminders, plan.window, plan.rounds, problems, checks
    )
    figures = report(rearm, late, plan.reminders, plan.window, plan.rounds, checks, problems)
    return figures, not problems


async def run(workdir: Path, plan: Plan) -> int:
    async with BotApiEmulator(token=TOKEN, bot_username="union_bench_bot") as emu:
        union = build_union(emu)
        # No quiet hours: a run at night would otherwise postpone every reminder.
        config_path = write_config(union, workdir / "config.toml", reminders={"quiet_hours": ""})
        db_path = workdir / "bot.sqlite3"
        settings = Settings.from_env(
            {
                "BOT_TOKEN": TOKEN,
                "BOT_CONFIG": str(config_path),
                "BOT_DB": str(db_path),
                "BOT_API_URL": emu.api_url,
                "BOT_FILE_URL": emu.file_url,
            }
        )
        application: App = build_application(settings, load_config(config_path))
        async with application:
            assert application.post_init is not None
            await application.post_init(application)
            assert application.updater is not None
            # Polling as in production, so the loop carries its usual background work.
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            await application.start()
            try:
                figures, ok = await measure(application, db_path, plan)
            except BenchFailure as exc:
                print(f"FAILED: {exc}")
                figures, ok = {"bench": "reminders", "ok": False}, False
            finally:
                await application.updater.stop()
                await application.stop()
                assert application.post_shutdown is not None
                await application.post_shutdown(application)
        errors = [str(c) for c in emu.errors] + [repr(e) for e in emu.internal_errors]
        if errors:
            print("FAILED: Bot API errors:\n  " + "\n  ".join(errors[:10]))
            ok = False
            figures["ok"] = False
    print(json.dumps({k: clean(v) for k, v in figures.items()}, ensure_ascii=False))
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.bench_reminders",
        description="Re-arming pending reminders at start-up and the lateness of due ones, "
        "against one JobQueue job per reminder and bare loop.call_at.",
    )
    parser.add_argument(
        "--pending", type=int, help=f"pending rows to re-arm ({PENDING}, quick {QUICK_PENDING})"
    )
    parser.add_argument(
        "--reminders", type=int, help=f"reminders to fire ({FIRING}, quick {QUICK_FIRING})"
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: fewer rows, one round of 2 s"
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep the config and database here (default: temporary)"
    )
    args = parser.parse_args(argv)
    # The bot loads jieba's dictionary in post_init; its progress lines are noise here.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    quick = bool(args.quick)
    plan = Plan(
        pending=args.pending or (QUICK_PENDING if quick else PENDING),
        reminders=args.reminders or (QUICK_FIRING if quick else FIRING),
        window=QUICK_WINDOW if quick else WINDOW,
        rounds=QUICK_ROUNDS if quick else ROUNDS,
        repeats=QUICK_ARM_REPEATS if quick else ARM_REPEATS,
    )
    if plan.pending < 1 or plan.reminders < 3 * plan.rounds:
        parser.error(f"--pending must be at least 1 and --reminders at least {3 * plan.rounds}")
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return asyncio.run(run(args.workdir.resolve(), plan))
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        return asyncio.run(run(Path(tmp), plan))


if __name__ == "__main__":
    sys.exit(main())
