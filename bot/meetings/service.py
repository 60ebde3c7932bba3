"""The monthly planning meeting (筹划会, article 8): its schedule, agenda and reminders.

The schedule lives in the database; each change bumps a version that is part of every
reminder key, so reminders of an old schedule are recognised and skipped.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from bot.clock.timing import Timing
from bot.meetings.rules import (
    MeetingSchedule,
    Occurrence,
    from_dict,
    next_occurrence,
    to_dict,
)
from bot.meetings.spec import parse_spec
from bot.members import Actor
from storage import Database, audit, meta, reminders
from storage.db import stored_time
from storage.payloads import Payload

__all__ = ["Figures", "MeetingDue", "MeetingService"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MeetingDue(Payload):
    """A reminder of one meeting (``lead`` before it), or its roll-over to the next month."""

    version: int
    at: str
    date: str
    lead: str = ""


SCHEDULE_KEY = "meeting_schedule"
VERSION_KEY = "meeting_schedule_version"


@dataclass(frozen=True, slots=True)
class Figures:
    """Last month's drafts, for the meeting reminder."""

    month: str
    submitted: int
    approved: int
    published: int
    by_category: dict[str, int] = field(default_factory=dict)
    answered_late: int = 0


class MeetingService:
    """Setting, showing and reminding of the monthly planning meeting."""

    def __init__(self, db: Database, timing: Timing) -> None:
        self.db = db
        self.timing = timing
        self.tz = timing.tz

    async def schedule(self) -> tuple[MeetingSchedule, int] | None:
        """The schedule in force and its version, if one is set."""
        async with self.db.reading() as conn:
            raw = await meta.get(conn, SCHEDULE_KEY)
            version = await meta.get(conn, VERSION_KEY)
        if raw is None:
            return None
        return from_dict(json.loads(raw)), int(version or 0)

    def next(self, schedule: MeetingSchedule, after: datetime | None = None) -> Occurrence:
        """The next meeting after ``after`` (now by default)."""
        return next_occurrence(schedule, after or self.db.clock(), self.timing.calendar, self.tz)

    async def set(
        self, actor: Actor, spec: str, default_chat: int
    ) -> tuple[MeetingSchedule, Occurrence]:
        """Parse and store a new schedule (MeetingSpecError when it does not parse)."""
        schedule = parse_spec(spec, default_chat)
        async with self.db.transaction() as tx:
            at = self.db.now()
            version = int(await meta.get(tx, VERSION_KEY) or 0) + 1
            await meta.put(tx, SCHEDULE_KEY, json.dumps(to_dict(schedule), ensure_ascii=False))
            await meta.put(tx, VERSION_KEY, str(version))
            await reminders.skip_pending(tx, "meeting", at, "the schedule changed")
            # The old schedule's roll-over would plan a month the new one does not have.
            await reminders.skip_pending(tx, "meeting_roll", at, "the schedule changed")
            await audit.append(tx, at, actor.user_id, "meeting.set", detail={"spec": spec})
        await self.ensure()
        return schedule, self.next(schedule)

    async def off(self, actor: Actor) -> bool:
        """Stop the meeting reminders; False when none were set."""
        async with self.db.transaction() as tx:
            if await meta.get(tx, SCHEDULE_KEY) is None:
                return False
            at = self.db.now()
            await tx.execute("DELETE FROM meta WHERE key = ?", (SCHEDULE_KEY,))
            version = int(await meta.get(tx, VERSION_KEY) or 0) + 1
            await meta.put(tx, VERSION_KEY, str(version))
            await reminders.skip_pending(tx, "meeting", at, "the meeting was switched off")
            await reminders.skip_pending(tx, "meeting_roll", at, "the meeting was switched off")
            await audit.append(tx, at, actor.user_id, "meeting.off")
        return True

    async def ensure(self) -> None:
        """Make sure the next meeting's reminders (and its roll-over) are scheduled."""
        found = await self.schedule()
        if found is None:
            return
        schedule, version = found
        occurrence = self.next(schedule)
        day = occurrence.at.date().isoformat()
        payload = MeetingDue(version, occurrence.at.isoformat(), day)
        async with self.db.transaction() as tx:
            for key, due in occurrence.reminders(schedule):
                lead = key.rsplit(":", 1)[1]
                await reminders.add(
                    tx,
                    "meeting",
                    f"v{version}:{key}",
                    stored_time(due),
                    None,
                    replace(payload, lead=lead),
                )
            # At the meeting itself: schedule the following month's reminders.
            await reminders.add(
                tx,
                "meeting_roll",
                f"v{version}:meeting:{day}:roll",
                stored_time(occurrence.at),
                None,
                payload,
            )

    async def add_topic(self, actor: Actor, topic: str) -> tuple[date, int] | None:
        """Add a topic to the next meeting's agenda; None when no meeting is set."""
        found = await self.schedule()
        if found is None:
            return None
        meeting = self.next(found[0]).at.date()
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO agenda (meeting_date, author_id, topic, added_at) VALUES (?, ?, ?, ?)",
                (meeting.isoformat(), actor.user_id, topic, self.db.now()),
            )
            rows = await tx.execute_fetchall(
                "SELECT COUNT(*) FROM agenda WHERE meeting_date = ?", (meeting.isoformat(),)
            )
        return meeting, int(next(iter(rows))[0])

    async def agenda(self, meeting: date) -> list[tuple[str, str]]:
        """(author's name, topic) for a meeting, in the order they were added."""
        async with self.db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT COALESCE(u.name, a.author_id) AS who, a.topic FROM agenda a"
                " LEFT JOIN users u ON u.user_id = a.author_id"
                " WHERE a.meeting_date = ? ORDER BY a.id",
                (meeting.isoformat(),),
            )
        return [(str(row[0]), str(row[1])) for row in rows]

    async def last_month(self, now: datetime | None = None) -> Figures:
        """Drafts submitted, approved and published last calendar month, by category."""
        local = (now or self.db.clock()).astimezone(self.tz)
        first_this = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        first_last = (first_this - timedelta(days=1)).replace(day=1)
        start, end = stored_time(first_last), stored_time(first_this)
        async with self.db.reading() as conn:
            submitted = await conn.execute_fetchall(
                "SELECT COALESCE(category, ''), COUNT(*) FROM drafts"
                " WHERE created_at >= ? AND created_at < ? AND state != 'intake' GROUP BY 1",
                (start, end),
            )
            approved = await conn.execute_fetchall(
                "SELECT COUNT(DISTINCT draft_id) FROM decisions WHERE tier = 3"
                " AND outcome = 'approve' AND decided_at >= ? AND decided_at < ?",
                (start, end),
            )
            published = await conn.execute_fetchall(
                "SELECT COUNT(*) FROM publications WHERE published_at >= ? AND published_at < ?",
                (start, end),
            )
            replies = await conn.execute_fetchall(
                "SELECT asked_at, first_reply_at, promised_by FROM questions"
                " WHERE first_reply_at >= ? AND first_reply_at < ?",
                (start, end),
            )
        promise_hours = self.timing.config.promise_hours
        answered_late = sum(
            1
            for asked, replied, promised in replies
            if datetime.fromisoformat(replied)
            > (
                datetime.fromisoformat(promised)
                if promised
                else self.timing.add_hours(datetime.fromisoformat(asked), promise_hours)
            )
        )
        by_category = {str(row[0]) or "未分类": int(row[1]) for row in submitted}
        return Figures(
            month=f"{first_last.year}年{first_last.month}月",
            submitted=sum(by_category.values()),
            approved=int(next(iter(approved))[0]),
            published=int(next(iter(published))[0]),
            by_category=by_category,
            answered_late=answered_late,
        )
