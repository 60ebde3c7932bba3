"""Throughput and latency of the whole pipeline under load, against PTB's own floor.

``python -m tests.bench.bench_pipeline [--drafts 200] [--concurrency 16] [--quick]``

The real bot (``python -m bot``) serves a union on the local Bot API emulator while scripted
members push drafts through intake, editing and three review tiers to the channel, many at
once. Then a bare python-telegram-bot echo bot (``tests/bench/echo_bot.py``) gets the same
number of updates at the same concurrency: the gap between the two is the project's own cost.
The run fails (exit 1) unless every draft is published exactly once without Bot API errors.
The last line printed is one JSON object for tools that track the figures over time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Coroutine, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from storage.models import CATEGORIES
from tests.bench.echo_bot import AGAIN_DATA
from tests.e2e.harness import TOKEN, BotProcess, Union, build_union, write_config
from tests.emulator import BotApiEmulator, CallbackHandle, Message, ScriptedUser, WaitTimeout
from tests.emulator.transcript import TranscriptEvent

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[2]
# 1 message + 4 intake taps + claim + send + 3 approvals: what one draft asks of its users.
UPDATES_PER_DRAFT = 10
# Generous: under load a single wait covers the bot's whole queue, not one update.
WAIT_SECONDS = 60.0
# The bot loads jieba's dictionary before it polls; slow on a busy machine.
START_SECONDS = 90.0
TAG = re.compile(r"第(\d{4})篇")
INTAKE_DATA = re.compile(r"^in:(\d+):")
EDITING_DATA = re.compile(r"^ed:(\d+):\d+:[cs]$")
REVIEW_DATA = re.compile(r"^rv:(\d+):\d+:([123]):a$")

T = TypeVar("T")


class BenchFailure(Exception):
    """The bot did not do what the scenario expects; the benchmark's figures are void."""


# Watching the emulator ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Arrival:
    """A message the bot sent, and when the emulator stored it (``time.perf_counter``)."""

    message: Message
    at: float


Classifier = Callable[[Message], Hashable | None]


class Watcher:
    """Reads the emulator's event log (``emu.world.events``) once, for every scripted user.

    ``emu.wait_for_message`` re-scans a whole chat for each waiter on every state change: its
    cost grows with cards times waiters, and it runs in this process, which shares the cores
    with the bot being measured. One reader of the append-only log, woken by the emulator's
    notifier, hands each new message to whoever waits for its key, at a constant cost.
    """

    def __init__(self, emu: BotApiEmulator, classify: Classifier) -> None:
        self._world = emu.world
        self._classify = classify
        self._read = len(self._world.events)
        self._arrived: dict[Hashable, deque[Arrival]] = {}
        self._waiting: dict[Hashable, deque[asyncio.Future[Arrival]]] = {}
        self._edits: dict[
            tuple[int, int], list[tuple[Callable[[Message], bool], asyncio.Future[float]]]
        ] = {}
        self._answers: dict[str, asyncio.Future[float]] = {}
        self._task: asyncio.Task[None] | None = None
        self._crash: BaseException | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="bench-watcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def next(self, key: Hashable, timeout: float = WAIT_SECONDS) -> Arrival:  # noqa: ASYNC109
        """The oldest unclaimed bot message of ``key``, waiting for it if need be."""
        queue = self._arrived.get(key)
        if queue:
            return queue.popleft()
        future: asyncio.Future[Arrival] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, deque()).append(future)
        return await self._wait(future, timeout, f"a message {key!r}")

    async def edited(
        self,
        message: Message,
        predicate: Callable[[Message], bool],
        timeout: float = WAIT_SECONDS,  # noqa: ASYNC109
    ) -> float:
        """When ``message`` (already, or after an edit) satisfies ``predicate``."""
        if predicate(message):
            return time.perf_counter()
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._edits.setdefault((message.chat.id, message.message_id), []).append(
            (predicate, future)
        )
        return await self._wait(future, timeout, f"an edit of {message!r}")

    async def answered(self, handle: CallbackHandle, timeout: float = WAIT_SECONDS) -> float:  # noqa: ASYNC109
        """When the bot answered the tap."""
        if handle.answered:
            return time.perf_counter()
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._answers[handle.id] = future
        return await self._wait(future, timeout, f"the answer to tap {handle.query.data!r}")

    def unclaimed(self) -> dict[Hashable, int]:
        """Keys of messages nobody asked for: a second card or post for the same step."""
        return {key: len(queue) for key, queue in self._arrived.items() if queue}

    async def _wait(self, future: asyncio.Future[T], timeout: float, what: str) -> T:  # noqa: ASYNC109
        if self._crash is not None:
            raise BenchFailure(f"the watcher failed: {self._crash!r}")
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise BenchFailure(f"waited {timeout:.0f} s for {what}") from None

    async def _run(self) -> None:
        events = self._world.events
        try:
            while True:
                await self._world.notifier.wait_until(lambda: len(events) > self._read, None)
                now = time.perf_counter()
                fresh = events[self._read :]
                self._read += len(fresh)
                for event in fresh:
                    self._dispatch(event, now)
        except Exception as exc:
            # A bug here must fail the run at once, not as a minute of timeouts per draft.
            self._crash = exc
            pending: list[asyncio.Future[Any]] = [f for q in self._waiting.values() for f in q]
            pending += [f for entries in self._edits.values() for _, f in entries]
            pending += list(self._answers.values())
            for future in pending:
                if not future.done():
                    future.set_exception(BenchFailure(f"the watcher failed: {exc!r}"))
            raise

    def _dispatch(self, event: TranscriptEvent, now: float) -> None:
        chat = event.chat
        if event.kind == "answer" and event.ref is not None:
            answer = self._answers.pop(event.ref, None)
            if answer is not None and not answer.done():
                answer.set_result(now)
            return
        if chat is None or event.message_id is None or event.kind not in ("message", "edit"):
            return
        message = chat.find_message(event.message_id)
        if message is None or not message.from_bot:
            return
        if event.kind == "edit":
            waiting = self._edits.get((chat.id, message.message_id))
            if waiting:
                for entry in [w for w in waiting if w[0](message)]:
                    waiting.remove(entry)
                    if not entry[1].done():
                        entry[1].set_result(now)
            return
        key = self._classify(message)
        if key is None:
            return
        arrival = Arrival(message, now)
        waiters = self._waiting.get(key)
        while waiters:
            future = waiters.popleft()
            if not future.done():
                future.set_result(arrival)
                return
        self._arrived.setdefault(key, deque()).append(arrival)


def first_data(message: Message) -> str:
    """The callback data of the message's first button ("" without buttons)."""
    for row in message.buttons:
        for _, data in row:
            if data:
                return data
    return ""


def all_data(message: Message) -> list[str]:
    return [data for row in message.buttons for _, data in row if data]


# Processes ------------------------------------------------------------------------------------


class ModuleProcess(BotProcess):
    """A Python module started like the bot: the same environment, log and start-up wait."""

    def __init__(
        self, emu: BotApiEmulator, workdir: Path, argv: Sequence[str], config: Path | None = None
    ) -> None:
        super().__init__(
            emu,
            config or workdir / "config.toml",
            workdir / "data" / "bot.sqlite3",
            workdir / "bot.log",
        )
        self.argv = list(argv)

    async def start(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        mark = self.emu.mark()
        self.starts += 1
        handle = self.log.open("a", encoding="utf-8")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            *self.argv,
            cwd=ROOT,
            env=self.env(),
            stdout=handle,
            stderr=handle,
            stdin=asyncio.subprocess.DEVNULL,
        )
        handle.close()
        # A bot that dies on start-up (a config or import error) should fail the run at once,
        # not after the whole start-up allowance.
        polling = asyncio.ensure_future(
            self.emu.wait_for_call("getUpdates", since=mark, timeout=timeout)
        )
        exited = asyncio.ensure_future(self.process.wait())
        await asyncio.wait({polling, exited}, return_when=asyncio.FIRST_COMPLETED)
        if not polling.done():
            polling.cancel()
            raise BenchFailure(f"{' '.join(self.argv)} exited with {exited.result()} on start-up")
        exited.cancel()
        await polling

    def cpu_seconds(self) -> float | None:
        """User + system CPU the process used so far (Linux only; None elsewhere)."""
        if self.process is None:
            return None
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except OSError:
            return None
        # Fields after the command name, which may itself contain spaces and parentheses.
        fields = stat.rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def cpu_by_thread(self) -> dict[str, float]:
        """CPU seconds so far by thread: the event loop's ("main") and the others, by the
        thread's name (aiosqlite's database thread is a "Thread-N"); {} where unknown."""
        if self.process is None:
            return {}
        found: dict[str, float] = {}
        tasks = Path(f"/proc/{self.process.pid}/task")
        try:
            for task in tasks.iterdir():
                stat = (task / "stat").read_text()
                fields = stat.rsplit(")", 1)[1].split()
                ticks = int(fields[11]) + int(fields[12])
                name = "main" if task.name == str(self.process.pid) else "other threads"
                found[name] = found.get(name, 0.0) + ticks / os.sysconf("SC_CLK_TCK")
        except OSError:
            return {}
        return found


# Figures --------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Phase:
    """What one bot did with the updates it was given."""

    name: str
    updates_sent: int = 0
    updates_delivered: int = 0
    wall: float = math.nan
    bot_cpu: float | None = None
    # The bot's CPU by thread: the event loop's and the others (the database thread).
    bot_threads: dict[str, float] = field(default_factory=dict)
    harness_cpu: float = math.nan
    latencies: dict[str, list[float]] = field(default_factory=dict)
    api_calls: Counter[str] = field(default_factory=Counter)
    load: float | None = None
    # Database statements by their first word, over the bot's whole run (start-up included).
    db_calls: Counter[str] = field(default_factory=Counter)
    # Hand-overs to the database thread and back, by what ran there.
    db_trips: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    def record(self, series: str, seconds: float) -> None:
        self.latencies.setdefault(series, []).append(seconds)

    @property
    def updates_per_s(self) -> float:
        return self.updates_delivered / self.wall if self.wall > 0 else math.nan

    @property
    def cpu_ms_per_update(self) -> float:
        if self.bot_cpu is None or not self.updates_delivered:
            return math.nan
        return self.bot_cpu / self.updates_delivered * 1000

    def db_per_update(self, *kinds: str) -> float:
        """Database statements per update (of ``kinds``, or all)."""
        if not self.updates_delivered:
            return math.nan
        counted = sum(n for k, n in self.db_calls.items() if not kinds or k in kinds)
        return counted / self.updates_delivered

    def ms(self, series: str, q: float) -> float:
        return percentile(self.latencies.get(series, []), q) * 1000


def delivered_updates(emu: BotApiEmulator) -> int:
    """Distinct updates the bot fetched with getUpdates: the emulator's own count."""
    ids = {
        update["update_id"]
        for call in emu.calls_to("getUpdates")
        if call.ok and isinstance(call.result, list)
        for update in call.result
    }
    return len(ids)


class Clock:
    """First action and last result of a phase, and CPU used in between."""

    def __init__(self, process: ModuleProcess) -> None:
        self.process = process
        self.first: float | None = None
        self.last = 0.0
        self._cpu: tuple[float | None, float] | None = None
        self._threads: dict[str, float] = {}

    def begin(self) -> float:
        now = time.perf_counter()
        if self.first is None:
            self.first = now
            self._cpu = (self.process.cpu_seconds(), time.process_time())
            self._threads = self.process.cpu_by_thread()
        return now

    def end(self, at: float) -> None:
        self.last = max(self.last, at)

    def close(self, phase: Phase) -> None:
        if self.first is None or self._cpu is None:
            return
        phase.wall = self.last - self.first
        bot_before, harness_before = self._cpu
        bot_after = self.process.cpu_seconds()
        if bot_before is not None and bot_after is not None:
            phase.bot_cpu = bot_after - bot_before
        # A thread that ended in between (none should) is left out.
        phase.bot_threads = {
            name: seconds - self._threads.get(name, 0.0)
            for name, seconds in self.process.cpu_by_thread().items()
        }
        phase.harness_cpu = time.process_time() - harness_before


async def logged(bot: ModuleProcess, line: str, seconds: float) -> None:
    """Wait until the bot's log has ``line``."""
    deadline = time.perf_counter() + seconds
    while line not in bot.output():
        if time.perf_counter() > deadline:
            raise BenchFailure(f"the bot did not log {line!r} within {seconds:.0f} s")
        await asyncio.sleep(0.05)


async def play(
    phase: Phase,
    emu: BotApiEmulator,
    bot: ModuleProcess,
    watcher: Watcher,
    clock: Clock,
    jobs: Callable[[], Iterable[Coroutine[Any, Any, None]]],
    settle: Callable[[], Awaitable[None]] | None = None,
    ready: str | None = None,
) -> None:
    """Start the bot, run the users' jobs to the end, then stop everything.

    ``ready``: a line the bot logs once its start-up work is done; the users wait for it, so
    the CPU counted per update is the updates' own.
    """
    watcher.start()
    try:
        try:
            await bot.start(timeout=START_SECONDS)
            if ready is not None:
                await logged(bot, ready, START_SECONDS)
        except WaitTimeout:
            phase.problems.append(f"the bot did not poll within {START_SECONDS:.0f} s of starting")
            return
        except BenchFailure as exc:
            phase.problems.append(str(exc))
            return
        mark = emu.mark()
        phase.load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        try:
            async with asyncio.TaskGroup() as group:
                for job in jobs():
                    group.create_task(job)
        except* BenchFailure as failures:
            phase.problems.extend(str(e) for e in failures.exceptions[:3])
        clock.close(phase)
        phase.updates_delivered = delivered_updates(emu)
        phase.api_calls = Counter(c.method for c in emu.calls if c.seq > mark)
        if settle is not None and not phase.problems:
            await settle()
    finally:
        await watcher.stop()
        await bot.stop()


# The pipeline ---------------------------------------------------------------------------------


def draft_text(number: int) -> str:
    """A short news draft whose title carries its number, so cards and posts can be matched."""
    return (
        f"校园活动报道 第{number:04d}篇\n"
        f"本周学生会在大学生活动中心举办了第{number}场主题活动，来自各学院的同学踊跃参加。"
        "活动包括专题讲座、互动问答和志愿服务招募，现场气氛热烈。"
        "主办方感谢各部门的支持，欢迎更多同学关注发布频道，了解后续活动安排。"
    )


def pipeline_classifier(union: Union) -> Classifier:
    channel = union.channel.id

    def classify(message: Message) -> Hashable | None:
        tag = TAG.search(message.text)
        if message.chat.id == channel:
            return ("post", int(tag[1])) if tag else ("post", None)
        data = first_data(message)
        if data.startswith("in:") and tag:
            return ("intake", int(tag[1]))
        if m := EDITING_DATA.match(data):
            return ("editing", int(m[1]))
        if m := REVIEW_DATA.match(data):
            return ("review", int(m[1]), int(m[2]))
        if tag and "已发布到频道" in message.text:
            # The submitter hears of the post, and so does the editor who laid it out.
            who = "editor_published" if "你排版的稿件" in message.text else "published"
            return (who, int(tag[1]))
        return None

    return classify


async def press(
    watcher: Watcher, phase: Phase, user: ScriptedUser, message: Message, data: str
) -> float:
    """Tap the button carrying ``data`` and wait for the answer; returns when it was tapped."""
    tapped = time.perf_counter()
    handle = await user.tap(message, callback_data=data)
    answered = await watcher.answered(handle)
    phase.record("tap_to_answer", answered - tapped)
    return tapped


def add_officers(emu: BotApiEmulator, config: Path, count: int) -> list[ScriptedUser]:
    """``count`` info officers, each written into the config: one per draft in flight.

    While an officer's draft is at intake, the bot offers that officer's next message to it
    (one article, one draft), so drafts in flight at once come from different officers.
    """
    officers = [emu.add_user(2101 + i, f"信息员{i + 1:02d}") for i in range(count)]
    lines = [
        line
        for user in officers
        for line in (
            "[[members]]",
            f"id = {user.id}",
            f'name = "{user.name}"',
            'roles = ["officer"]',
            'team = "新闻稿组"',
        )
    ]
    with config.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return officers


async def one_draft(
    union: Union,
    officer: ScriptedUser,
    watcher: Watcher,
    phase: Phase,
    clock: Clock,
    number: int,
    categories: int,
) -> None:
    """One draft from the officer's message to the channel, as the members would do it."""
    sent = clock.begin()
    await officer.send_text(draft_text(number))
    intake = await watcher.next(("intake", number))
    phase.record("message_to_intake_card", intake.at - sent)
    found = INTAKE_DATA.match(first_data(intake.message))
    assert found is not None
    draft = int(found[1])
    for action in (f"c{number % categories}", "as", "o1", "go"):
        await press(watcher, phase, officer, intake.message, f"in:{draft}:{action}")
    await watcher.edited(intake.message, lambda m: "已提交" in m.text)

    editing = (await watcher.next(("editing", draft))).message
    await press(watcher, phase, union.editor, editing, f"ed:{draft}:1:c")
    await watcher.edited(editing, lambda m: f"ed:{draft}:1:s" in all_data(m))
    await press(watcher, phase, union.editor, editing, f"ed:{draft}:1:s")

    tapped: float | None = None
    reviewers = {1: union.reviewer1, 2: union.reviewer2, 3: union.reviewer3}
    for tier, reviewer in reviewers.items():
        card = await watcher.next(("review", draft, tier))
        if tapped is not None:
            phase.record("tap_to_card", card.at - tapped)
        tapped = await press(watcher, phase, reviewer, card.message, f"rv:{draft}:1:{tier}:a")

    post = await watcher.next(("post", number))
    clock.end(post.at)
    phase.record("draft_end_to_end", post.at - sent)
    # The submitter's and the editor's notices are the last things the bot sends for a draft.
    await watcher.next(("published", number))
    await watcher.next(("editor_published", number))


def check_pipeline(
    emu: BotApiEmulator, union: Union, watcher: Watcher, db: Path, drafts: int, phase: Phase
) -> None:
    posts = Counter(
        int(m[1]) if (m := TAG.search(message.text)) else None
        for message in emu.messages(union.channel)
    )
    missing = [n for n in range(1, drafts + 1) if posts[n] == 0]
    twice = {n: c for n, c in posts.items() if c > 1}
    strays = sum(c for n, c in posts.items() if n is None or not 1 <= n <= drafts)
    phase.checks.append(
        f"channel posts: {sum(posts.values())} for {drafts} drafts "
        f"(missing {len(missing)}, published twice {len(twice)}, unknown {strays})"
    )
    if missing or twice or strays:
        phase.problems.append(f"posts: missing {missing[:10]}, twice {twice}, unknown {strays}")

    leftovers = watcher.unclaimed()
    phase.checks.append(f"cards or notices sent twice: {len(leftovers)}")
    if leftovers:
        phase.problems.append(f"sent twice: {dict(list(leftovers.items())[:10])}")

    errors = [str(c) for c in emu.errors] + [repr(e) for e in emu.internal_errors]
    phase.checks.append(f"Bot API errors: {len(errors)}")
    if errors:
        phase.problems.append("Bot API errors:\n    " + "\n    ".join(errors[:10]))

    unanswered = emu.unanswered_callbacks()
    phase.checks.append(f"unanswered taps: {len(unanswered)}")
    if unanswered:
        phase.problems.append(f"{len(unanswered)} taps never answered")

    with sqlite3.connect(db) as conn:
        states = dict(conn.execute("SELECT state, COUNT(*) FROM drafts GROUP BY state").fetchall())
        publications = conn.execute(
            "SELECT COUNT(*) FROM publications WHERE message_id IS NOT NULL"
        ).fetchone()[0]
        pending = conn.execute("SELECT COUNT(*) FROM outbox WHERE done_at IS NULL").fetchone()[0]
    phase.checks.append(
        f"database: drafts by state {states}, publications {publications}, outbox pending {pending}"
    )
    if states != {"published": drafts} or publications != drafts or pending:
        phase.problems.append(f"database: {states}, {publications} publications, {pending} pending")

    if phase.updates_delivered != phase.updates_sent:
        phase.problems.append(
            f"the bot fetched {phase.updates_delivered} updates, "
            f"the users made {phase.updates_sent}"
        )


async def outbox_settled(db: Path, seconds: float) -> None:
    """Wait until the bot sent everything it queued (a refresh may trail the last notice)."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        with sqlite3.connect(db) as conn:
            pending = conn.execute("SELECT COUNT(*) FROM outbox WHERE done_at IS NULL").fetchone()
        if pending[0] == 0:
            return
        await asyncio.sleep(0.05)


async def bench_pipeline(
    drafts: int, concurrency: int, workdir: Path, profile: Path | None
) -> tuple[Phase, str]:
    """Run the pipeline phase; returns its figures and the tail of the bot's log."""
    phase = Phase("pipeline")
    # The bot itself, counting its database statements (tests/bench/counted_bot.py).
    argv = ["-m", "tests.bench.counted_bot"]
    counts = workdir / "db_calls.json"
    os.environ["BENCH_DB_CALLS"] = str(counts)
    if profile is not None:
        argv = ["-m", "tests.bench.profiled_bot", str(profile)]
    async with BotApiEmulator(token=TOKEN, bot_username="union_bench_bot") as emu:
        union = build_union(emu)
        config = write_config(union, workdir / "config.toml")
        bot = ModuleProcess(emu, workdir, argv, config=config)
        watcher = Watcher(emu, pipeline_classifier(union))
        clock = Clock(bot)
        free: asyncio.Queue[ScriptedUser] = asyncio.Queue()
        for officer in add_officers(emu, config, concurrency):
            free.put_nowait(officer)
        phase.updates_sent = drafts * UPDATES_PER_DRAFT

        async def paced(number: int) -> None:
            officer = await free.get()
            try:
                await one_draft(union, officer, watcher, phase, clock, number, len(CATEGORIES))
            finally:
                free.put_nowait(officer)

        async def settle() -> None:
            await outbox_settled(bot.db, 10.0)
            check_pipeline(emu, union, watcher, bot.db, drafts, phase)

        await play(
            phase,
            emu,
            bot,
            watcher,
            clock,
            lambda: (paced(n) for n in range(1, drafts + 1)),
            settle,
            # The bot polls before screening has loaded jieba's dictionary (a second of CPU
            # in the background): start-up, not the updates' cost.
            ready="screening ready",
        )
        if counts.exists():
            counted = json.loads(counts.read_text(encoding="utf-8"))
            phase.db_calls = Counter(counted["statements"])
            phase.db_trips = Counter(counted["trips"])
        if phase.problems:
            tail = "\n".join(emu.transcript().splitlines()[-30:])
            return phase, f"{bot.output()[-4000:]}\n----- transcript -----\n{tail}"
    return phase, ""


# The echo floor -------------------------------------------------------------------------------


async def echo_flow(
    user: ScriptedUser, watcher: Watcher, phase: Phase, clock: Clock, number: int
) -> None:
    """A message, then taps on each reply: as many updates as one draft makes."""
    sent = clock.begin()
    await user.send_text(f"回声 第{number:04d}条")
    reply = await watcher.next(("chat", user.id))
    phase.record("message_to_reply", reply.at - sent)
    phase.record("update_to_reply", reply.at - sent)
    for _ in range(UPDATES_PER_DRAFT - 1):
        tapped = time.perf_counter()
        handle = await user.tap(reply.message, callback_data=AGAIN_DATA)
        reply = await watcher.next(("chat", user.id))
        answered = await watcher.answered(handle)
        phase.record("tap_to_answer", answered - tapped)
        phase.record("tap_to_reply", reply.at - tapped)
        phase.record("update_to_reply", reply.at - tapped)
    clock.end(reply.at)


async def bench_echo(flows: int, concurrency: int, workdir: Path) -> tuple[Phase, str]:
    """Run the echo phase with one user per slot, so a chat's next bot message is the reply."""
    phase = Phase("echo")
    async with BotApiEmulator(token=TOKEN, bot_username="echo_bench_bot") as emu:
        users = [emu.add_user(3001 + i, f"回声用户{i}") for i in range(concurrency)]
        bot = ModuleProcess(emu, workdir, ["-m", "tests.bench.echo_bot"])

        def classify(message: Message) -> Hashable | None:
            return ("chat", message.chat.id) if message.chat.is_private else None

        watcher = Watcher(emu, classify)
        clock = Clock(bot)
        todo = deque(range(1, flows + 1))
        phase.updates_sent = flows * UPDATES_PER_DRAFT

        async def worker(user: ScriptedUser) -> None:
            while todo:
                await echo_flow(user, watcher, phase, clock, todo.popleft())

        async def settle() -> None:
            errors = [str(c) for c in emu.errors] + [repr(e) for e in emu.internal_errors]
            phase.checks.append(f"Bot API errors: {len(errors)}")
            if errors:
                phase.problems.append("Bot API errors:\n    " + "\n    ".join(errors[:10]))
            if phase.updates_delivered != phase.updates_sent:
                phase.problems.append(
                    f"the echo bot fetched {phase.updates_delivered} updates, "
                    f"the users made {phase.updates_sent}"
                )

        await play(phase, emu, bot, watcher, clock, lambda: (worker(u) for u in users), settle)
        if phase.problems:
            return phase, bot.output()[-4000:]
    return phase, ""


# Report ---------------------------------------------------------------------------------------


def latency_line(phase: Phase, series: str, label: str) -> str:
    values = phase.latencies.get(series, [])
    figures = " / ".join(f"{phase.ms(series, q):7.1f}" for q in (50, 90, 99, 100))
    return f"  {label:<36} {figures}   ms  (n={len(values)})"


def cpu_line(phase: Phase, label: str) -> str:
    per = phase.updates_delivered or 1
    bot = (
        f"bot {phase.bot_cpu:6.1f} s ({phase.bot_cpu / per * 1000:.1f} ms/update)"
        if phase.bot_cpu is not None
        else "bot n/a"
    )
    threads = ", ".join(
        f"{name} {seconds / per * 1000:.1f} ms/update"
        for name, seconds in sorted(phase.bot_threads.items())
    )
    return (
        f"  {label:<36} {bot}{f' ({threads})' if threads else ''}, "
        f"benchmark+emulator {phase.harness_cpu:.1f} s"
    )


def calls_line(phase: Phase) -> str:
    polls = phase.api_calls.get("getUpdates", 0)
    others = {m: n for m, n in phase.api_calls.most_common() if m != "getUpdates"}
    total = sum(others.values())
    per = total / phase.updates_delivered if phase.updates_delivered else math.nan
    shown = ", ".join(f"{m} {n}" for m, n in others.items())
    return (
        f"  {'Bot API calls besides getUpdates':<36} {total} ({per:.2f} per update): {shown}; "
        f"getUpdates {polls}"
    )


def db_line(phase: Phase) -> str:
    shown = ", ".join(f"{k} {n}" for k, n in phase.db_calls.most_common())
    return (
        f"  {'database statements':<36} {sum(phase.db_calls.values())} "
        f"({phase.db_per_update():.1f} per update, {phase.db_per_update('BEGIN'):.2f} "
        f"transactions per update): {shown}"
    )


def trips_line(phase: Phase) -> str:
    total = sum(phase.db_trips.values())
    per = total / phase.updates_delivered if phase.updates_delivered else math.nan
    shown = ", ".join(f"{k} {n}" for k, n in phase.db_trips.most_common())
    return f"  {'trips to the database thread':<36} {total} ({per:.1f} per update): {shown}"


def load_line(phase: Phase) -> str:
    load = f"{phase.load:.2f}" if phase.load is not None else "n/a"
    return f"  {'load average as the users began':<36} {load} on {os.cpu_count()} CPUs"


def report(
    pipeline: Phase, echo: Phase, drafts: int, concurrency: int, ok: bool
) -> dict[str, object]:
    ratio = echo.updates_per_s / pipeline.updates_per_s if pipeline.updates_per_s else math.nan
    cpu_ratio = pipeline.cpu_ms_per_update / echo.cpu_ms_per_update
    print()
    print(f"Pipeline: python -m bot, {drafts} drafts, {concurrency} in flight")
    print(
        f"  {'updates (messages + taps)':<36} {pipeline.updates_delivered} fetched by the bot, "
        f"{pipeline.updates_sent} made by the users"
    )
    print(f"  {'wall time, first send -> last post':<36} {pipeline.wall:.2f} s")
    print(f"  {'updates handled per second':<36} {pipeline.updates_per_s:.1f}")
    print(f"  {'':<36} {'p50':>7} / {'p90':>7} / {'p99':>7} / {'max':>7}")
    print(latency_line(pipeline, "tap_to_card", "approve tap -> next tier's card"))
    print(latency_line(pipeline, "tap_to_answer", "any tap -> its answer"))
    print(latency_line(pipeline, "message_to_intake_card", "draft message -> intake card"))
    print(latency_line(pipeline, "draft_end_to_end", "draft message -> channel post"))
    print(cpu_line(pipeline, "CPU during the run"))
    print(calls_line(pipeline))
    print(db_line(pipeline))
    print(trips_line(pipeline))
    print(load_line(pipeline))
    print()
    print(
        f"Floor: bare PTB echo bot, {drafts} flows x {UPDATES_PER_DRAFT} updates, "
        f"{concurrency} in flight"
    )
    print(
        f"  {'updates (messages + taps)':<36} {echo.updates_delivered} fetched by the bot, "
        f"{echo.updates_sent} made by the users"
    )
    print(f"  {'wall time, first send -> last reply':<36} {echo.wall:.2f} s")
    print(f"  {'updates handled per second':<36} {echo.updates_per_s:.1f}")
    print(f"  {'':<36} {'p50':>7} / {'p90':>7} / {'p99':>7} / {'max':>7}")
    print(latency_line(echo, "update_to_reply", "any update -> the bot's message"))
    print(latency_line(echo, "tap_to_reply", "tap -> the bot's message"))
    print(latency_line(echo, "message_to_reply", "message -> the echo"))
    print(cpu_line(echo, "CPU during the run"))
    print(calls_line(echo))
    print(load_line(echo))
    print()
    print(
        f"Ratio (echo updates/s / pipeline updates/s): {ratio:.2f}x - "
        "how many times more updates PTB's floor handles than the pipeline"
    )
    print(f"Ratio (pipeline CPU per update / echo CPU per update): {cpu_ratio:.2f}x")
    print()
    print("Correctness")
    for line in pipeline.checks:
        print(f"  pipeline: {line}")
    for line in echo.checks:
        print(f"  echo:     {line}")
    for phase in (pipeline, echo):
        for problem in phase.problems:
            print(f"  FAILED ({phase.name}): {problem}")
    print(f"  result: {'ok' if ok else 'FAILED'}")
    return {
        "bench": "pipeline",
        "updates_per_s": round(pipeline.updates_per_s, 2),
        "tap_to_card_p50_ms": round(pipeline.ms("tap_to_card", 50), 2),
        "tap_to_card_p99_ms": round(pipeline.ms("tap_to_card", 99), 2),
        "echo_updates_per_s": round(echo.updates_per_s, 2),
        "echo_p50_ms": round(echo.ms("update_to_reply", 50), 2),
        "ratio_updates": round(ratio, 3),
        "cpu_ms_per_update": round(pipeline.cpu_ms_per_update, 3),
        "echo_cpu_ms_per_update": round(echo.cpu_ms_per_update, 3),
        "ratio_cpu": round(cpu_ratio, 3),
        "cpu_ms_per_update_by_thread": {
            name: round(seconds / pipeline.updates_delivered * 1000, 3)
            for name, seconds in pipeline.bot_threads.items()
        }
        if pipeline.updates_delivered
        else {},
        "db_statements_per_update": round(pipeline.db_per_update(), 2),
        "db_transactions_per_update": round(pipeline.db_per_update("BEGIN"), 2),
        "db_trips_per_update": round(
            sum(pipeline.db_trips.values()) / pipeline.updates_delivered, 2
        )
        if pipeline.updates_delivered
        else None,
        "drafts": drafts,
        "concurrency": concurrency,
        "ok": ok,
    }


def clean(value: object) -> object:
    # JSON has no NaN; a failed phase reports null instead.
    return None if isinstance(value, float) and math.isnan(value) else value


async def run(drafts: int, concurrency: int, workdir: Path, profile: Path | None) -> int:
    print(f"pipeline: {drafts} drafts, {concurrency} in flight ...", flush=True)
    pipeline, pipeline_log = await bench_pipeline(
        drafts, concurrency, workdir / "pipeline", profile
    )
    print(f"echo floor: {drafts} flows, {concurrency} in flight ...", flush=True)
    echo, echo_log = await bench_echo(drafts, concurrency, workdir / "echo")
    ok = not pipeline.problems and not echo.problems
    for name, log in (("bot", pipeline_log), ("echo bot", echo_log)):
        if log:
            print(f"----- {name} log (tail) -----\n{log}")
    figures = report(pipeline, echo, drafts, concurrency, ok)
    print(json.dumps({k: clean(v) for k, v in figures.items()}, ensure_ascii=False))
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.bench_pipeline",
        description="Drafts through editing and three review tiers against the Bot API "
        "emulator, compared with a bare PTB echo bot.",
    )
    parser.add_argument("--drafts", type=int, default=200, help="drafts to publish (200)")
    parser.add_argument("--concurrency", type=int, default=16, help="drafts in flight at once (16)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10 drafts")
    parser.add_argument(
        "--workdir", type=Path, help="keep the bots' logs and database here (default: temporary)"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="run the bot under cProfile on each thread's CPU clock; its stats go to PROFILE"
        " (the event loop's thread) and PROFILE.db (the database thread)",
    )
    args = parser.parse_args(argv)
    drafts = 10 if args.quick else args.drafts
    if drafts < 1 or args.concurrency < 1:
        parser.error("--drafts and --concurrency must be at least 1")
    profile = args.profile.resolve() if args.profile else None
    if args.workdir is not None:
        return _run_in(args.workdir.resolve(), drafts, args.concurrency, profile)
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        return _run_in(Path(tmp), drafts, args.concurrency, profile)


def _run_in(workdir: Path, drafts: int, concurrency: int, profile: Path | None) -> int:
    for phase in ("pipeline", "echo"):
        (workdir / phase).mkdir(parents=True, exist_ok=True)
    return asyncio.run(run(drafts, concurrency, workdir, profile))


if __name__ == "__main__":
    sys.exit(main())
