"""Assessment reports over a year of 10,000 drafts: reading, figures, CSV and chart.

``python -m tests.bench.bench_reports [--drafts 10000] [--quick]``

A database is filled with a year of work shaped as the review service writes it: every draft
with its versions, audit events, review-card queue rows and other outbox rows, decisions
(most drafts pass, some are rejected once and revised, some abandoned), publications, partner
reposts and answered student questions. Then ``bot.reports.generate`` (the SQL reads and the
figures) runs for the whole year, the CSV is encoded and the chart drawn, as ``/report 2026``
would.

Baselines, measured in the same run on the same database:

- *floor*: reading every row of the tables the report touches once (``SELECT *``), with no
  computing at all; no design that looks at the data can be faster;
- *naive*: the per-draft approach ``/history`` takes, two queries per draft (its audit trail
  and its decisions), again with no computing;
- *bare chart*: an empty figure of the same size with one bar, saved as PNG.

The run fails (exit 1) unless the report's totals equal what the generator wrote. Wall-clock
figures are never asserted: read the ratios measured in the same run. The last line printed
is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import logging
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.assessment.chart import render_chart
from bot.assessment.report_csv import report_csv
from bot.assessment.reports import Report, generate, parse_period
from bot.clock.timing import Timing
from bot.config import UnionConfig, parse_config
from storage import Database
from storage.models import CATEGORIES

__all__ = ["main"]

SEED = 20261124
DRAFTS, QUICK_DRAFTS = 10_000, 2_000
REPEATS, QUICK_REPEATS = 5, 3
YEAR = 2026
SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICERS, EDITORS, REVIEWERS_PER_TIER = 40, 8, 4


@dataclass
class Expected:
    """What the generator wrote, for checking the report."""

    submitted: int = 0
    original: int = 0
    urgent: int = 0
    approved: int = 0
    first_time: int = 0
    rejected: int = 0
    reviews: int = 0
    edited: int = 0
    published: int = 0
    reposts: int = 0
    answered: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _config() -> UnionConfig:
    members = [{"id": 1, "name": "管理员", "roles": ["admin"]}]
    members += [{"id": 100 + t, "name": f"审核{t}", "roles": [f"reviewer{t}"]} for t in (1, 2, 3)]
    members.append({"id": 200, "name": "编辑", "roles": ["editor"]})
    return parse_config(
        {
            "union": {"name": "基准测试学生会"},
            "chats": {"channel": -1001, "editors": -1002},
            "members": members,
        }
    )


def fill(path: Path, drafts: int) -> Expected:
    """Write a year of work into the (migrated, empty) database at ``path``."""
    rng = random.Random(SEED)
    expected = Expected()
    officers = [1000 + i for i in range(OFFICERS)]
    editors = [2000 + i for i in range(EDITORS)]
    reviewers = {t: [3000 + 100 * t + i for i in range(REVIEWERS_PER_TIER)] for t in (1, 2, 3)}
    seen = _iso(datetime(YEAR, 1, 1, tzinfo=UTC))
    users = [(u, f"成员{u}", None, None, seen) for u in officers + editors]
    users += [(u, f"审核{u}", None, None, seen) for t in reviewers for u in reviewers[t]]
    roles = [(u, "officer", None, seen) for u in officers]
    roles += [(u, "editor", None, seen) for u in editors]
    roles += [(u, f"reviewer{t}", None, seen) for t in reviewers for u in reviewers[t]]
    draft_rows: list[tuple[object, ...]] = []
    versions: list[tuple[int, int, int, str, str, datetime]] = []
    decisions: list[tuple[int, int, int, str, int, str, str]] = []
    outbox: list[tuple[str, int, dict[str, object], datetime]] = []
    audit: list[tuple[str, int | None, str, int, int, str]] = []
    publications: list[tuple[int, int, str, int, int, None, datetime, datetime]] = []
    published_ids: list[tuple[int, datetime]] = []
    year_start = datetime(YEAR, 1, 1, 8, tzinfo=SHANGHAI)
    for draft_id in range(1, drafts + 1):
        submitter = rng.choice(officers)
        editor = rng.choice(editors)
        category = rng.choice(CATEGORIES)
        original = rng.random() < 0.4
        urgent = rng.random() < 0.05
        # Every event lands inside the year: submissions stop mid-December.
        at = year_start + timedelta(minutes=rng.randrange(0, 345 * 24 * 60))
        created = at - timedelta(minutes=rng.randrange(2, 30))
        fate = rng.random()  # < 0.7 straight through, < 0.9 rejected once then passed
        reject_tier = rng.choice((1, 2, 3)) if fate >= 0.7 else None
        audit.append((_iso(created), submitter, "draft.created", draft_id, 1, "{}"))
        audit.append((_iso(at), submitter, "draft.submitted", draft_id, 1, "{}"))
        expected.submitted += 1
        expected.original += original
        expected.urgent += urgent
        version, state = 1, "published"
        versions.append((draft_id, 1, submitter, f"稿件{draft_id}", f"h{draft_id}-1", created))
        at += timedelta(hours=rng.uniform(0.5, 6))
        audit.append((_iso(at), editor, "editing.claimed", draft_id, 1, "{}"))
        at += timedelta(hours=rng.uniform(0.5, 6))
        audit.append((_iso(at), editor, "editing.sent", draft_id, 1, "{}"))
        expected.edited += 1
        tier, rejected_once = 1, False
        while tier <= 3:
            outbox.append(("review_card", draft_id, {"version": version, "tier": tier}, at))
            outbox.append(("refresh", draft_id, {"stage": "editing"}, at))
            at += timedelta(hours=rng.uniform(0.2, 30))
            reviewer = rng.choice(reviewers[tier])
            reject = tier == reject_tier and not rejected_once
            outcome = "reject" if reject else "approve"
            decisions.append(
                (draft_id, version, tier, f"h{draft_id}-{version}", reviewer, outcome, _iso(at))
            )
            audit.append(
                (
                    _iso(at),
                    reviewer,
                    f"review.{outcome}d",
                    draft_id,
                    version,
                    json.dumps({"tier": tier}),
                )
            )
            outbox.append(("notify", draft_id, {"event": "progress"}, at))
            expected.reviews += 1
            if not reject:
                tier += 1
                continue
            expected.rejected += 1
            rejected_once = True
            if fate >= 0.9:  # abandoned after the rejection
                state = "rejected"
                break
            at += timedelta(hours=rng.uniform(1, 48))
            version += 1
            versions.append(
                (draft_id, version, submitter, f"稿件{draft_id}改", f"h{draft_id}-{version}", at)
            )
            audit.append((_iso(at), submitter, "draft.revised", draft_id, version, "{}"))
            tier = 1
        if state == "published":
            expected.approved += 1
            expected.first_time += not rejected_once
            at += timedelta(minutes=rng.uniform(1, 10))
            publications.append(
                (draft_id, version, f"h{draft_id}-{version}", -1001, draft_id, None, at, at)
            )
            audit.append((_iso(at), None, "publish.done", draft_id, version, "{}"))
            published_ids.append((draft_id, at))
            expected.published += 1
        draft_rows.append(
            (draft_id, submitter, editor, f"稿件{draft_id}", category, "school", int(original),
             state, version, submitter, _iso(created), _iso(at), int(urgent))
        )  # fmt: skip
    partners = [(p, -5000 - p, f"学院{p}", seen) for p in range(1, 6)]
    reposts = []
    for draft_id, at in published_ids:
        for partner, *_ in partners:
            reposted = rng.random() < 0.3
            expected.reposts += reposted
            moment = at + timedelta(hours=rng.uniform(1, 20))
            reposts.append(
                (partner, draft_id, "reposted" if reposted else "offered", _iso(at),
                 _iso(moment) if reposted else None, 9000 + partner if reposted else None)
            )  # fmt: skip
    staff = editors + officers[:5]
    questions = []
    for number in range(drafts // 5):
        asked = year_start + timedelta(minutes=rng.randrange(0, 340 * 24 * 60))
        replied = asked + timedelta(hours=rng.uniform(0.1, 40))
        promised = _iso(asked + timedelta(hours=20)) if rng.random() < 0.3 else None
        questions.append(
            (7000 + number, "学生", "answered", _iso(asked), promised, _iso(replied),
             rng.choice(staff))
        )  # fmt: skip
        expected.answered += 1
    audit.sort(key=lambda row: row[0])
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO users (user_id, name, username, team, seen_at) VALUES (?, ?, ?, ?, ?)",
            users,
        )
        conn.executemany(
            "INSERT INTO member_roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)",
            roles,
        )
        conn.executemany(
            "INSERT INTO drafts (id, submitter_id, editor_id, title, category, attribution,"
            " original, state, version, origin_chat_id, created_at, updated_at, urgent)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            draft_rows,
        )
        conn.executemany(
            "INSERT INTO versions (draft_id, number, author_id, body, content_hash, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(d, n, a, b, _hash(h), _iso(c)) for d, n, a, b, h, c in versions],
        )
        conn.executemany(
            "INSERT INTO decisions (draft_id, version, tier, content_hash, reviewer_id, outcome,"
            " decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(d, v, t, _hash(h), r, o, at) for d, v, t, h, r, o, at in decisions],
        )
        conn.executemany(
            "INSERT INTO publications (draft_id, version, content_hash, chat_id, message_id,"
            " published_by, started_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (d, v, _hash(h), c, m, b, _iso(s), _iso(p))
                for d, v, h, c, m, b, s, p in publications
            ],
        )
        conn.executemany(
            "INSERT INTO outbox (kind, draft_id, payload, created_at, attempts, done_at)"
            " VALUES (?, ?, ?, ?, 1, ?)",
            [(k, d, json.dumps(p), _iso(at), _iso(at)) for k, d, p, at in outbox],
        )
        conn.executemany(
            "INSERT INTO audit (at, actor_id, action, draft_id, version, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            audit,
        )
        conn.executemany(
            "INSERT INTO partners (id, chat_id, name, added_at) VALUES (?, ?, ?, ?)", partners
        )
        conn.executemany(
            "INSERT INTO reposts (partner_id, draft_id, state, offered_at, reposted_at,"
            " reposted_by) VALUES (?, ?, ?, ?, ?, ?)",
            reposts,
        )
        conn.executemany(
            "INSERT INTO questions (student_id, student_name, state, asked_at, promised_by,"
            " first_reply_at, first_reply_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            questions,
        )
        for table in ("drafts", "versions", "decisions", "outbox", "audit", "reposts", "questions"):
            expected.rows[table] = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    return expected


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def _timed(step: Callable[[], Awaitable[object]], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        await step()
        times.append(time.perf_counter() - started)
    return times


def _timed_sync(step: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return times


def _bare_chart() -> bytes:
    figure = Figure(figsize=(11, 4.8), dpi=110)
    FigureCanvasAgg(figure)
    figure.subplots().bar([0], [1])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def check(report: Report, expected: Expected) -> list[str]:
    """What the report got wrong about the generated year (nothing, if it is right)."""
    counts = report.totals.counts
    wanted = {
        "submitted": expected.submitted,
        "original": expected.original,
        "urgent": expected.urgent,
        "approved": expected.approved,
        "first_time": expected.first_time,
        "rejected": expected.rejected,
        "reviews": expected.reviews,
        "edited": expected.edited,
        "reposts": expected.reposts,
    }
    wrong = [f"{k}: {counts[k]} != {v}" for k, v in wanted.items() if counts[k] != v]
    answered = counts["answered_on_time"] + counts["answered_late"]
    if answered != expected.answered:
        wrong.append(f"answered: {answered} != {expected.answered}")
    if report.totals.published != expected.published:
        wrong.append(f"published: {report.totals.published} != {expected.published}")
    if report.totals.unknown_arrivals:
        wrong.append(f"{report.totals.unknown_arrivals} decisions without an arrival")
    return wrong


async def run(drafts: int, repeats: int, workdir: Path) -> dict[str, object]:
    path = workdir / "bench.sqlite3"
    db = await Database.open(path)
    await db.close()
    started = time.perf_counter()
    expected = fill(path, drafts)
    filled = time.perf_counter() - started
    config = _config()
    timing = Timing(config.reminders, config.timezone)
    period = parse_period([str(YEAR)], date(YEAR, 12, 31))
    db = await Database.open(path)
    try:
        report = await generate(db, config, timing, period)
        wrong = check(report, expected)
        report_times = await _timed(lambda: generate(db, config, timing, period), repeats)
        # CPU time of the whole process (the database thread included): steadier than the
        # wall clock on a shared machine.
        cpu_started = time.process_time()
        await generate(db, config, timing, period)
        report_cpu = time.process_time() - cpu_started

        async def floor() -> None:
            async with db.reading() as conn:
                for table in ("drafts", "decisions", "audit", "questions", "reposts"):
                    await conn.execute_fetchall(f"SELECT * FROM {table}")
                await conn.execute_fetchall("SELECT * FROM outbox WHERE kind = 'review_card'")

        async def naive() -> None:
            async with db.reading() as conn:
                for draft_id in range(1, drafts + 1):
                    await conn.execute_fetchall(
                        "SELECT * FROM audit WHERE draft_id = ? ORDER BY id", (draft_id,)
                    )
                    await conn.execute_fetchall(
                        "SELECT * FROM decisions WHERE draft_id = ?", (draft_id,)
                    )

        floor_times = await _timed(floor, repeats)
        naive_times = await _timed(naive, 1)
    finally:
        await db.close()
    csv_times = _timed_sync(lambda: report_csv(report), repeats)
    chart_times = _timed_sync(lambda: render_chart(report.chart), repeats)
    bare_times = _timed_sync(_bare_chart, repeats)
    best = {
        "report": min(report_times),
        "floor": min(floor_times),
        "naive": min(naive_times),
        "csv": min(csv_times),
        "chart": min(chart_times),
        "bare_chart": min(bare_times),
    }
    median_report = statistics.median(report_times)
    total = best["report"] + best["csv"] + best["chart"]
    print(f"drafts {drafts}, rows {expected.rows}, filled in {filled:.1f} s")
    print(f"{'step':<34}{'best ms':>10}{'median ms':>11}")
    rows = [
        ("report: SQL reads + figures", report_times),
        ("floor: SELECT * of those tables", floor_times),
        ("naive: 2 queries per draft", naive_times),
        ("CSV encoding", csv_times),
        ("chart (PNG, Agg)", chart_times),
        ("bare chart: one bar, same size", bare_times),
    ]
    for name, times in rows:
        print(f"{name:<34}{min(times) * 1000:>10.1f}{statistics.median(times) * 1000:>11.1f}")
    print(
        f"report / floor {best['report'] / best['floor']:.2f}x; "
        f"naive / report {best['naive'] / best['report']:.1f}x; "
        f"chart / bare chart {best['chart'] / best['bare_chart']:.2f}x; "
        f"whole /report (figures + CSV + chart) {total * 1000:.0f} ms; "
        f"report CPU time {report_cpu * 1000:.0f} ms"
    )
    for problem in wrong:
        print("WRONG:", problem)
    return {
        "bench": "reports",
        "drafts": drafts,
        "report_ms": round(best["report"] * 1000, 2),
        "report_median_ms": round(median_report * 1000, 2),
        "report_cpu_ms": round(report_cpu * 1000, 2),
        "floor_ms": round(best["floor"] * 1000, 2),
        "naive_ms": round(best["naive"] * 1000, 2),
        "csv_ms": round(best["csv"] * 1000, 2),
        "chart_ms": round(best["chart"] * 1000, 2),
        "bare_chart_ms": round(best["bare_chart"] * 1000, 2),
        "report_over_floor": round(best["report"] / best["floor"], 3),
        "naive_over_report": round(best["naive"] / best["report"], 3),
        "chart_over_bare": round(best["chart"] / best["bare_chart"], 3),
        "total_ms": round(total * 1000, 2),
        "correct": not wrong,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.bench_reports",
        description="A year's assessment report over many drafts, against reading the rows "
        "once and against per-draft queries.",
    )
    parser.add_argument("--drafts", type=int, help=f"drafts ({DRAFTS}, quick {QUICK_DRAFTS})")
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer drafts")
    args = parser.parse_args(argv)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    drafts = args.drafts or (QUICK_DRAFTS if args.quick else DRAFTS)
    if drafts < 10:
        parser.error("--drafts must be at least 10")
    repeats = QUICK_REPEATS if args.quick else REPEATS
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        result = asyncio.run(run(drafts, repeats, Path(folder)))
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["correct"] else 1


if __name__ == "__main__":
    sys.exit(main())
