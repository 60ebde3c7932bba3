"""The audit trail over a date range as a CSV file (UTF-8 with BOM, so Excel opens it right)."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import texts
from bot.assessment.audit_detail import action_name, detail_text
from bot.clock.dates import DateUnreadable, parse_full_day
from storage import Database, audit, refusals, users
from storage.db import stored_time

__all__ = ["AuditRange", "RangeError", "counted_refusals", "export_csv", "parse_range"]

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30


class RangeError(ValueError):
    """The dates given cannot make a range; the message is for the user."""


@dataclass(frozen=True, slots=True)
class AuditRange:
    """Local calendar days, both included."""

    start: date
    end: date


def parse_range(args: list[str], today: date) -> AuditRange:
    """``[start] [end]`` as local dates; the last 30 days when none are given."""
    if len(args) > 2:
        raise RangeError(texts.AUDIT_USAGE)
    days: list[date] = []
    for value in args:
        try:
            days.append(parse_full_day(value))
        except DateUnreadable as exc:
            raise RangeError(texts.AUDIT_BAD_DATE.format(value=value[:20])) from exc
    start = days[0] if days else today - timedelta(days=DEFAULT_DAYS - 1)
    end = days[1] if len(days) > 1 else today
    if start > end:
        raise RangeError(texts.AUDIT_BAD_RANGE.format(start=start, end=end))
    return AuditRange(start, end)


def _bounds(span: AuditRange, tz: ZoneInfo) -> tuple[str, str]:
    start = datetime.combine(span.start, time(), tz).astimezone(UTC)
    end = datetime.combine(span.end + timedelta(days=1), time(), tz).astimezone(UTC)
    return stored_time(start), stored_time(end)


async def counted_refusals(db: Database, span: AuditRange, tz: ZoneInfo) -> int:
    """Refusals of the range that a flood left without a row of their own (only counted)."""
    async with db.reading() as conn:
        return await refusals.counted_between(conn, *_bounds(span, tz))


async def export_csv(db: Database, span: AuditRange, tz: ZoneInfo) -> tuple[bytes, int]:
    """The events of the range as CSV bytes, and how many there are."""
    start, end = _bounds(span, tz)
    async with db.reading() as conn:
        events = await audit.between(conn, start, end)
        ids = {e.actor_id for e in events if e.actor_id is not None}
        for event in events:
            ids.update(
                v
                for k, v in event.detail.items()
                if k in _PERSON_KEYS and isinstance(v, int) and not isinstance(v, bool)
            )
        people = await users.get_many(conn, ids)

    def name(user_id: int) -> str:
        person = people.get(user_id)
        return f"{person.name}（{user_id}）" if person else str(user_id)

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(texts.AUDIT_COLUMNS)
    for event in events:
        person = people.get(event.actor_id) if event.actor_id is not None else None
        writer.writerow(
            [
                event.id,
                datetime.fromisoformat(event.at).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                person.name if person else (texts.SYSTEM_ACTOR if event.actor_id is None else ""),
                action_name(event.action),
                event.draft_id or "",
                event.version or "",
                detail_text(event.detail, name),
                # For whoever needs to match rows with the database or the log.
                event.actor_id if event.actor_id is not None else "",
                event.action,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig"), len(events)


# Detail fields that name a person by id.
_PERSON_KEYS = frozenset({"user_id", "to", "on_behalf_of", "reviewer_id", "with"})
