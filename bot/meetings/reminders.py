"""Reminders of the monthly planning meeting, with its agenda and last month's figures."""

from __future__ import annotations

import logging
from datetime import datetime

from bot import formatting, texts
from bot.meetings.service import MeetingDue, MeetingService
from bot.reminders.scheduler import ReminderKind, ReminderScheduler
from storage.reminders import Reminder

__all__ = ["MeetingReminders"]

logger = logging.getLogger(__name__)


class MeetingReminders(ReminderKind):
    """Reminders of the monthly planning meeting, with its agenda and last month's figures."""

    def __init__(self, scheduler: ReminderScheduler, meetings: MeetingService) -> None:
        super().__init__(scheduler)
        self.meetings = meetings

    def register(self) -> None:
        """Handle ``meeting`` and ``meeting_roll`` reminders."""
        self.scheduler.handlers["meeting"] = self._meeting
        self.scheduler.handlers["meeting_roll"] = self._meeting_roll

    async def _meeting(self, reminder: Reminder) -> str:
        payload = MeetingDue.read(reminder.payload)
        found = await self.meetings.schedule()
        if found is None or found[1] != payload.version:
            return "the schedule changed"
        schedule = found[0]
        meeting_at = datetime.fromisoformat(payload.at)
        now = self.scheduler.now()
        if meeting_at <= now:
            return "the meeting has begun"
        if self.timing.in_quiet_hours(now) and self.timing.after_quiet_hours(now) < meeting_at:
            return "quiet"
        if not await self.scheduler.claim(reminder):
            return "taken"
        await self.scheduler.send(
            list(schedule.chats), await self._meeting_text(meeting_at, payload.lead)
        )
        return "sent"

    async def _meeting_text(self, meeting_at: datetime, lead: str) -> str:
        local = meeting_at.astimezone(self.timing.tz)
        topics = await self.meetings.agenda(local.date())
        agenda = "\n".join(
            texts.MEETING_AGENDA_LINE.format(n=n, topic=formatting.e(topic), who=formatting.e(who))
            for n, (who, topic) in enumerate(topics, start=1)
        )
        figures = await self.meetings.last_month()
        categories = "、".join(
            texts.MEETING_CATEGORY_LINE.format(category=formatting.e(c), count=n)
            for c, n in sorted(figures.by_category.items())
        )
        return texts.MEETING_REMINDER.format(
            when=f"{local:%m月%d日}（周{texts.WEEKDAYS[local.weekday()]}）{local:%H:%M}",
            lead=_lead_text(lead),
            agenda=agenda or texts.MEETING_AGENDA_EMPTY,
            month=figures.month,
            submitted=figures.submitted,
            approved=figures.approved,
            published=figures.published,
            late=figures.answered_late,
            categories=categories + "\n" if categories else "",
        )

    async def _meeting_roll(self, reminder: Reminder) -> str:
        await self.meetings.ensure()
        return "next meeting scheduled"


def _lead_text(lead: str) -> str:
    """``3d`` as 3天, ``90m`` as 90分钟."""
    if lead and lead[:-1].isdigit() and lead[-1] in texts.LEADS:
        return f"{lead[:-1]}{texts.LEADS[lead[-1]]}"
    return lead
