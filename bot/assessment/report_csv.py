"""An assessment report as CSV (UTF-8 with BOM, so Excel opens it right): a row per member."""

from __future__ import annotations

import csv
import io
import logging
import statistics

from bot import texts
from bot.assessment.reports import (
    TIERS,
    MemberFigures,
    Report,
    breakdown,
    points_text,
    rate_text,
)

__all__ = ["report_csv"]

logger = logging.getLogger(__name__)


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _rate(value: float | None) -> str:
    return "" if value is None else rate_text(value)


def _member_row(member: MemberFigures) -> list[object]:
    counts = member.counts
    return [
        member.user_id,
        member.name,
        member.team or "",
        "、".join(texts.REPORT_ROLE_NAMES.get(role, role) for role in member.roles),
        counts["submitted"],
        counts["original"],
        counts["urgent"],
        counts["approved"],
        counts["first_time"],
        _rate(member.first_time_rate),
        counts["rejected"],
        member.published,
        counts["edited"],
        *(member.reviews_by_tier[tier] for tier in TIERS),
        _hours(member.median_review_hours),
        counts["answered_on_time"],
        counts["answered_late"],
        counts["reposts"],
        points_text(member.score),
        breakdown(member),
    ]


def report_csv(report: Report) -> bytes:
    """Members by score, then a 合计 row; an empty period gives the header alone."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(texts.REPORT_COLUMNS)
    if report.empty:
        return buffer.getvalue().encode("utf-8-sig")
    for member in report.members:
        writer.writerow(_member_row(member))
    totals = report.totals
    counts = totals.counts
    every_hour = [h for tier in TIERS for h in totals.hours_by_tier[tier]]
    writer.writerow(
        [
            "",
            texts.REPORT_TOTAL,
            "",
            "",
            counts["submitted"],
            counts["original"],
            counts["urgent"],
            counts["approved"],
            counts["first_time"],
            _rate(totals.first_time_rate),
            counts["rejected"],
            totals.published,
            counts["edited"],
            *(totals.reviews_by_tier[tier] for tier in TIERS),
            _hours(statistics.median(every_hour) if every_hour else None),
            counts["answered_on_time"],
            counts["answered_late"],
            counts["reposts"],
            points_text(round(sum(m.score for m in report.members), 2)),
            "",
        ]
    )
    return buffer.getvalue().encode("utf-8-sig")
