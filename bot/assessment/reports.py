"""Assessment reports (articles 19-21): per-member figures and scores over a period. Pure logic.

Definitions (the README repeats them for the union):

- **Period**: local calendar days of the union's time zone, both ends included; a period
  reaching past today is counted up to the end of today.
- **Submitted**: a draft whose submitter confirmed it on the intake card (its first
  ``draft.submitted`` audit event) in the period, unless it was withdrawn since; originals
  (``drafts.original``) and urgent drafts are counted again on their own, never instead, and
  urgency only when the submitter marked it (an admin's ``/urgent`` is not the officer's).
- **Approved**: a draft whose tier-3 approval falls in the period, counted once per draft and
  credited to its submitter. A **first-time approval** is one with no rejection, at any tier
  and of any version of the draft, decided before it; the **first-time approval rate** is
  first-time approvals over approvals.
- **Reviews**: the reviewer's decisions (approve or reject) in the period, per tier, from the
  decisions table. **Review time** runs from the moment the version reached the tier to the
  decision, on the plain clock: a version reaches tier 2 or 3 when the tier below approves
  it, and tier 1 when the transaction that sent it there (an editor's 送审, a confirmed
  submission without editing, a revision) queued its tier-1 review card. Decisions whose
  arrival is unknown are counted but left out of the medians.
- **Edited**: an editor sent a laid-out draft to review (``editing.sent``).
- **Questions answered on time / late**: a question's first reply in the period, credited to
  whoever replied; on time when it came by the deadline promised to the student, or, without a
  promise, by the configured reply window after the question (working hours as configured).
- **Reposts**: partner accounts that marked a post reposted in the period, credited to the
  draft's submitter.
- **Score**: the sum, over the counted items, of the points ``[assessment]`` gives each item,
  using the weights of the year in which each item happened (``[assessment.YEAR]``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import statistics
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import formatting, texts
from bot.clock.dates import DateUnreadable, parse_full_day
from bot.clock.timing import Timing
from bot.config import ASSESSMENT_METRICS, AssessmentConfig, UnionConfig
from storage import Database, audit, refusals
from storage import reports as report_rows
from storage.db import stored_time
from storage.models import CATEGORIES
from storage.reports import ReportRows

__all__ = [
    "MAX_DAYS",
    "TIERS",
    "ChartData",
    "MemberFigures",
    "Period",
    "PeriodError",
    "Report",
    "Totals",
    "breakdown",
    "compute",
    "generate",
    "hours_text",
    "parse_period",
    "points_text",
    "rate_text",
    "record_pull",
    "record_refusal",
    "summary_html",
]

logger = logging.getLogger(__name__)

# The longest period one report covers: ten years of months still make a readable chart.
MAX_DAYS = 3660
FIRST_YEAR, LAST_YEAR = 2000, 2100
TOP_MEMBERS = 5
TIERS = (1, 2, 3)

_SEPARATORS = re.compile(r"(至|到|~|～|—|–|\.\.)")
_MONTH = re.compile(r"^(\d{4})(?:-|/|\.|年)(\d{1,2})月?$")
_YEAR = re.compile(r"^(\d{4})年?$")
_THIS_MONTH = ("本月", "这个月", "這個月")
_LAST_MONTH = ("上月", "上个月", "上個月")
_THIS_YEAR = ("本年", "今年")
_LAST_YEAR = ("去年", "上年")


class PeriodError(ValueError):
    """The words given make no period; the message is for the user."""


@dataclass(frozen=True, slots=True)
class Period:
    """Local calendar days, both included; ``clipped`` when the asked-for end was after today."""

    start: date
    end: date
    label: str
    clipped: bool = False

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as UTC moments: its first instant and the instant after its last day."""
        start = datetime.combine(self.start, time(), tz).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(), tz).astimezone(UTC)
        return start, end

    def months(self) -> list[str]:
        """Every month the period touches, as ``YYYY-MM``."""
        found: list[str] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def _year_ok(raw: str, value: str) -> int:
    year = int(raw)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(texts.REPORT_BAD_YEAR.format(value=formatting.e(value), year=year))
    return year


def _full_day(token: str) -> date | None:
    """A day written as every command reads one (``bot.dates``); None when it is no day at all."""
    try:
        day = parse_full_day(token)
    except DateUnreadable as exc:
        if exc.reason == "malformed":
            return None
        # Every full form starts with its year: a year out of range is named first.
        _year_ok(token[:4], token)
        raise PeriodError(formatting.echo(texts.REPORT_BAD_DATE, value=token)) from exc
    _year_ok(token[:4], token)
    return day


def _span(token: str, today: date) -> tuple[date, date, str]:
    """The days one word names, and its label: a day, a month, a year or a relative word."""
    if token in _THIS_MONTH:
        return today.replace(day=1), _month_end(today.year, today.month), _month_label(today)
    if token in _LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last, _month_label(last)
    if token in _THIS_YEAR or token in _LAST_YEAR:
        year = today.year - (token in _LAST_YEAR)
        return date(year, 1, 1), date(year, 12, 31), texts.REPORT_LABEL_YEAR.format(year=year)
    day = _full_day(token)
    if day is not None:
        return day, day, texts.REPORT_LABEL_DAY.format(year=day.year, month=day.month, day=day.day)
    if match := _MONTH.match(token):
        year = _year_ok(match[1], token)
        try:
            first = date(year, int(match[2]), 1)
        except ValueError as exc:
            raise PeriodError(formatting.echo(texts.REPORT_BAD_DATE, value=token)) from exc
        return first, _month_end(year, first.month), _month_label(first)
    if match := _YEAR.match(token):
        year = _year_ok(match[1], token)
        return date(year, 1, 1), date(year, 12, 31), texts.REPORT_LABEL_YEAR.format(year=year)
    raise PeriodError(formatting.echo(texts.REPORT_BAD_WORD, value=token[:30]))


def _month_label(day: date) -> str:
    return texts.REPORT_LABEL_MONTH.format(year=day.year, month=day.month)


def parse_period(args: Sequence[str], today: date) -> Period:
    """``[]`` (this month so far), a month, a year, a day, ``上月``/``本年``, or two of them.

    Two words make a range from the first day of the first to the last day of the second
    (``2026-09 2026-11`` is September to November). Full-width digits and ``至``/``~`` between
    the two are accepted. A period that starts after today is refused; one that ends after
    today is counted up to today.
    """
    text = unicodedata.normalize("NFKC", " ".join(args))
    words = [w for w in _SEPARATORS.sub(" ", text).split() if w != "-"]
    if len(words) > 2:
        raise PeriodError(texts.REPORT_USAGE)
    if not words:
        words = [_THIS_MONTH[0]]
    spans = [_span(word, today) for word in words]
    start, end = spans[0][0], spans[-1][1]
    if len(spans) == 1:
        label = spans[0][2]
    else:
        label = texts.REPORT_LABEL_RANGE.format(start=start, end=end)
        if spans[1][1] < spans[0][0]:
            raise PeriodError(
                texts.REPORT_REVERSED.format(
                    first=formatting.e(words[0]), second=formatting.e(words[1])
                )
            )
    if start > today:
        raise PeriodError(texts.REPORT_FUTURE.format(start=start, today=today))
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError(texts.REPORT_TOO_LONG.format(start=start, end=end))
    clipped = end > today
    return Period(start, min(end, today), label, clipped)


# Figures -------------------------------------------------------------------------------------


@dataclass(slots=True)
class MemberFigures:
    """One member's counts over the period, their review times, and their points per item."""

    user_id: int
    name: str
    team: str | None
    roles: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ASSESSMENT_METRICS, 0))
    reviews_by_tier: dict[int, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))
    review_hours: list[float] = field(default_factory=list)
    published: int = 0
    points: dict[str, float] = field(default_factory=lambda: dict.fromkeys(ASSESSMENT_METRICS, 0.0))

    @property
    def score(self) -> float:
        """The member's total points."""
        return round(sum(self.points.values()), 2)

    @property
    def first_time_rate(self) -> float | None:
        """First-time approvals over approvals, if any draft was approved."""
        approved = self.counts["approved"]
        return self.counts["first_time"] / approved if approved else None

    @property
    def median_review_hours(self) -> float | None:
        """The median time the member took to decide, over all tiers."""
        return statistics.median(self.review_hours) if self.review_hours else None

    @property
    def active(self) -> bool:
        """Whether the member did anything the report counts."""
        return any(self.counts.values()) or self.published > 0


@dataclass(slots=True)
class Totals:
    """The union's figures over the period (each the sum of the members' figures)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ASSESSMENT_METRICS, 0))
    reviews_by_tier: dict[int, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))
    hours_by_tier: dict[int, list[float]] = field(
        default_factory=lambda: {tier: [] for tier in TIERS}
    )
    published: int = 0
    unknown_arrivals: int = 0

    @property
    def first_time_rate(self) -> float | None:
        """First-time approvals over approvals."""
        approved = self.counts["approved"]
        return self.counts["first_time"] / approved if approved else None

    def median_hours(self, tier: int) -> float | None:
        """The median review time at ``tier``."""
        hours = self.hours_by_tier[tier]
        return statistics.median(hours) if hours else None


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the chart shows: drafts per month by category, review hours per tier."""

    label: str
    start: date
    end: date
    months: tuple[str, ...]
    by_category: Mapping[str, tuple[int, ...]]
    hours_by_tier: Mapping[int, tuple[float, ...]]


@dataclass(frozen=True, slots=True)
class Report:
    """A report: members by score (highest first), totals, the chart's data."""

    period: Period
    tz: ZoneInfo
    generated_at: datetime
    members: tuple[MemberFigures, ...]
    totals: Totals
    chart: ChartData
    years: tuple[int, ...]
    year_overrides: tuple[int, ...]

    @property
    def empty(self) -> bool:
        """Nothing the report counts happened in the period."""
        return not any(self.totals.counts.values()) and self.totals.published == 0


class _Calendar:
    """Which local year and month a stored moment falls in, without parsing it.

    Stored moments are UTC ISO text that sorts like time, so comparing them with the stored
    form of each local year's and month's first instant is enough (and many times faster than
    parsing a hundred thousand timestamps).
    """

    def __init__(self, period: Period, tz: ZoneInfo) -> None:
        self.years = list(range(period.start.year, period.end.year + 1))
        self.year_starts = [stored_time(datetime(y, 1, 1, tzinfo=tz)) for y in self.years]
        self.months = period.months()
        self.month_starts = [
            stored_time(datetime(int(m[:4]), int(m[5:]), 1, tzinfo=tz)) for m in self.months
        ]
        self.month_end = stored_time(period.bounds(tz)[1])

    def year(self, stored: str) -> int:
        """The local year of ``stored`` (the period's first for anything before it)."""
        return self.years[max(0, bisect_right(self.year_starts, stored) - 1)]

    def month(self, stored: str) -> int | None:
        """The index in ``months`` of the local month of ``stored``, if in the period."""
        index = bisect_right(self.month_starts, stored) - 1
        return index if index >= 0 and stored < self.month_end else None


class _Tally:
    """Counts and points per member, weighted by the year each item happened in."""

    def __init__(
        self, rows: ReportRows, calendar: _Calendar, weights: AssessmentConfig, totals: Totals
    ) -> None:
        self.calendar = calendar
        self.weights = {year: weights.weights(year) for year in calendar.years}
        self.totals = totals
        self.years: set[int] = set()
        self.members = {
            m.user_id: MemberFigures(m.user_id, m.name, m.team, m.roles) for m in rows.members
        }

    def member(self, user_id: int) -> MemberFigures:
        if user_id not in self.members:
            # The storage read names everyone who acted; this only guards odd rows.
            self.members[user_id] = MemberFigures(user_id, str(user_id), None, ())
        return self.members[user_id]

    def add(self, user_id: int, metric: str, at: str) -> None:
        """Count one item for a member, at a stored moment."""
        year = self.calendar.year(at)
        self.years.add(year)
        figures = self.member(user_id)
        figures.counts[metric] += 1
        figures.points[metric] += self.weights[year][metric]
        self.totals.counts[metric] += 1


def _moment(stored: str) -> datetime:
    moment = datetime.fromisoformat(stored)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def compute(
    rows: ReportRows,
    period: Period,
    tz: ZoneInfo,
    weights: AssessmentConfig,
    reply_deadline: Callable[[datetime], datetime],
    generated_at: datetime,
) -> Report:
    """The report over ``rows``; ``reply_deadline(asked)`` is when a question without a promise
    should have been answered."""
    totals = Totals()
    calendar = _Calendar(period, tz)
    tally = _Tally(rows, calendar, weights, totals)
    months = calendar.months
    by_category: dict[str, list[int]] = {}
    for row in rows.submissions:
        tally.add(row.submitter_id, "submitted", row.at)
        if row.original:
            tally.add(row.submitter_id, "original", row.at)
        if row.urgent:
            tally.add(row.submitter_id, "urgent", row.at)
        category = row.category or texts.REPORT_UNCATEGORISED
        counts = by_category.setdefault(category, [0] * len(months))
        month = calendar.month(row.at)
        if month is not None:
            counts[month] += 1
    approved: set[int] = set()
    for decision in rows.decisions:
        at = decision.decided_at
        tally.add(decision.reviewer_id, "reviews", at)
        reviewer = tally.member(decision.reviewer_id)
        reviewer.reviews_by_tier[decision.tier] += 1
        totals.reviews_by_tier[decision.tier] += 1
        arrived = decision.previous_at or decision.queued_at
        if arrived is None:
            totals.unknown_arrivals += 1
        else:
            waited = _moment(at) - _moment(arrived)
            hours = max(0.0, waited.total_seconds() / 3600)
            reviewer.review_hours.append(hours)
            totals.hours_by_tier[decision.tier].append(hours)
        if decision.outcome == "reject":
            tally.add(decision.submitter_id, "rejected", at)
        elif decision.tier == 3 and decision.draft_id not in approved:
            approved.add(decision.draft_id)
            tally.add(decision.submitter_id, "approved", at)
            if not decision.rejected_before:
                tally.add(decision.submitter_id, "first_time", at)
    for edit in rows.edits:
        tally.add(edit.editor_id, "edited", edit.at)
    for answer in rows.answers:
        asked, replied = _moment(answer.asked_at), _moment(answer.first_reply_at)
        deadline = _moment(answer.promised_by) if answer.promised_by else reply_deadline(asked)
        metric = "answered_on_time" if replied <= deadline else "answered_late"
        tally.add(answer.answered_by, metric, answer.first_reply_at)
    for repost in rows.reposts:
        tally.add(repost.submitter_id, "reposts", repost.reposted_at)
    for published in rows.published:
        tally.member(published.submitter_id).published += 1
        totals.published += 1
    ordered = _known_categories(by_category)
    members = sorted(tally.members.values(), key=lambda m: (-m.score, not m.active, m.name))
    years = sorted(tally.years) or [period.end.year]
    return Report(
        period=period,
        tz=tz,
        generated_at=generated_at,
        members=tuple(members),
        totals=totals,
        chart=ChartData(
            label=period.label,
            start=period.start,
            end=period.end,
            months=tuple(months),
            by_category={name: tuple(by_category[name]) for name in ordered},
            hours_by_tier={tier: tuple(totals.hours_by_tier[tier]) for tier in TIERS},
        ),
        years=tuple(years),
        year_overrides=tuple(y for y in years if y in weights.years),
    )


def _known_categories(found: Mapping[str, object]) -> list[str]:
    """The article-7 categories in their usual order, then any others found."""
    known = [c for c in CATEGORIES if c in found]
    return known + sorted(c for c in found if c not in CATEGORIES)


# Rendering ------------------------------------------------------------------------------------


def hours_text(hours: float | None) -> str:
    """``3.5 小时`` (``12 分钟`` under an hour), or a dash when there is nothing to measure."""
    if hours is None:
        return texts.REPORT_NA
    if hours < 1:
        return texts.REPORT_MINUTES.format(minutes=hours * 60)
    return texts.REPORT_HOURS.format(hours=hours)


def rate_text(rate: float | None) -> str:
    """``67%``, or a dash when nothing was approved."""
    return texts.REPORT_NA if rate is None else texts.REPORT_RATE.format(rate=rate)


def points_text(value: float) -> str:
    """Points without a trailing ``.0``."""
    return f"{value:g}"


def breakdown(member: MemberFigures, limit: int | None = None) -> str:
    """``投稿 3（3分）；通过三审 2（4分）``: the items that earned or cost points."""
    parts = [
        texts.REPORT_POINTS_PART.format(
            name=texts.REPORT_METRIC_NAMES[metric],
            count=member.counts[metric],
            points=points_text(round(member.points[metric], 2)),
        )
        for metric in sorted(ASSESSMENT_METRICS, key=lambda m: -abs(member.points[m]))
        if member.points[metric]
    ]
    return texts.REPORT_POINTS_SEPARATOR.join(parts[:limit] if limit else parts)


def summary_html(report: Report) -> str:
    """The short message: totals, the top members, how to read it."""
    period = report.period
    header = texts.REPORT_HEADER.format(
        label=formatting.e(period.label),
        start=period.start,
        end=period.end,
        tz=report.tz.key,
        clipped=texts.REPORT_CLIPPED if period.clipped else "",
    )
    if report.empty:
        return header + "\n" + texts.REPORT_EMPTY
    totals = report.totals
    counts = totals.counts
    lines = [
        header,
        texts.REPORT_DRAFTS_LINE.format(
            submitted=counts["submitted"],
            original=counts["original"],
            urgent=counts["urgent"],
            approved=counts["approved"],
            first_time=counts["first_time"],
            rate=rate_text(totals.first_time_rate),
            rejected=counts["rejected"],
            published=totals.published,
        ),
        texts.REPORT_EDITS_LINE.format(edited=counts["edited"]),
        texts.REPORT_REVIEW_LINE.format(
            tiers=texts.REPORT_POINTS_SEPARATOR.join(
                texts.REPORT_TIER_PART.format(
                    tier=texts.REPORT_TIER_SHORT[tier],
                    count=totals.reviews_by_tier[tier],
                    median=hours_text(totals.median_hours(tier)),
                )
                for tier in TIERS
            )
        ),
        texts.REPORT_INBOX_LINE.format(
            on_time=counts["answered_on_time"], late=counts["answered_late"]
        ),
        texts.REPORT_REPOSTS_LINE.format(reposts=counts["reposts"]),
        "",
        texts.REPORT_TOP_HEADER,
    ]
    top = [m for m in report.members if m.score != 0][:TOP_MEMBERS]
    lines += [
        texts.REPORT_TOP_LINE.format(
            rank=rank,
            name=formatting.e(member.name),
            score=points_text(member.score),
            parts=formatting.e(breakdown(member, limit=3)),
        )
        for rank, member in enumerate(top, start=1)
    ] or [texts.REPORT_TOP_NONE]
    notes = [texts.REPORT_NOTES]
    years = "、".join(str(y) for y in report.years)
    overrides = "、".join(f"[assessment.{y}]" for y in report.year_overrides)
    notes.append(
        texts.REPORT_WEIGHTS_NOTE.format(
            years=years,
            overrides=texts.REPORT_OVERRIDES.format(tables=overrides) if overrides else "",
        )
    )
    if totals.unknown_arrivals:
        notes.append(texts.REPORT_UNKNOWN_ARRIVALS.format(count=totals.unknown_arrivals))
    lines += ["", texts.REPORT_NOTES_HEADER, *notes]
    return "\n".join(lines)


# Service glue (no Telegram) -------------------------------------------------------------------


async def generate(db: Database, config: UnionConfig, timing: Timing, period: Period) -> Report:
    """Read the period's rows and compute its report."""
    start, end = period.bounds(config.timezone)
    async with db.reading() as conn:
        rows = await report_rows.read(conn, stored_time(start), stored_time(end))
    promise = config.reminders.promise_hours
    # A year of a busy union is some 100,000 rows: count them off the event loop.
    return await asyncio.to_thread(
        compute,
        rows,
        period,
        config.timezone,
        config.assessment,
        lambda asked: timing.add_hours(asked, promise),
        db.clock(),
    )


async def record_pull(db: Database, actor_id: int, period: Period, chat_id: int) -> None:
    """Audit who pulled which report where (reports carry people's performance)."""
    async with db.transaction() as tx:
        await audit.append(
            tx,
            db.now(),
            actor_id,
            "assessment.report",
            detail={"start": str(period.start), "end": str(period.end), "chat": chat_id},
        )


async def record_refusal(db: Database, actor_id: int, reason: str, chat_id: int) -> None:
    """Audit a refused attempt to pull a report."""
    async with db.transaction() as tx:
        await refusals.record(
            tx, db.now(), actor_id, "assessment.refused", detail={"reason": reason, "chat": chat_id}
        )
