"""What each kind of reminder says and to whom: stalled drafts, the planning meeting, the inbox.

Each class registers its handlers with the scheduler; a handler decides at fire time whether
the reminder still matters, claims it, sends it and returns how it came out.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot import formatting, texts
from bot.inbox.service import Inbox
from bot.meetings.service import MeetingService
from bot.reminders.scheduler import ReminderScheduler, Unreachable
from storage import drafts, users
from storage.inbox import Question
from storage.models import DraftState, Role
from storage.reminders import Reminder

__all__ = ["InboxReminders", "MeetingReminders", "StallReminders"]

logger = logging.getLogger(__name__)


class _Kind:
    """What every kind of reminder uses from the scheduler."""

    def __init__(self, scheduler: ReminderScheduler) -> None:
        self.scheduler = scheduler
        self.db = scheduler.db
        self.config = scheduler.config
        self.timing = scheduler.timing


class StallReminders(_Kind):
    """Nudges for drafts waiting too long in editing or at a review tier."""

    def register(self) -> None:
        """Handle ``stall`` reminders."""
        self.scheduler.handlers["stall"] = self._stall

    async def _stall(self, reminder: Reminder) -> str:
        payload = reminder.payload
        if reminder.draft_id is None:
            return "no draft"
        async with self.db.reading() as conn:
            draft = await drafts.get(conn, reminder.draft_id)
        state = DraftState(str(payload["state"]))
        if draft is None or draft.state is not state:
            return "the draft moved on"
        # Layout versions bump the version while the draft stays in editing.
        if draft.version != payload["version"] and state is not DraftState.EDITING:
            return "a newer version waits"
        if bool(payload.get("urgent", False)) != draft.urgent:
            # Flagging re-planned the nudges with the deadlines that apply now.
            return "the draft's urgency changed"
        now = self.scheduler.now()
        if self.timing.in_quiet_hours(now):
            return "quiet"
        waited = now - datetime.fromisoformat(draft.updated_at)
        if state is DraftState.EDITING:
            stage = texts.NUDGE_STAGE_EDITING
            targets = [c for c in (self.config.chats.editors,) if c is not None]
        else:
            tier = state.tier or 1
            stage = texts.NUDGE_STAGE_REVIEW.format(tier=tier, tier_name=texts.TIER_NAMES[tier])
            targets = await self._reviewers(tier, draft.submitter_id, draft.editor_id)
        if not await self.scheduler.claim(reminder):
            return "taken"
        fields = {
            "id": draft.id,
            "title": formatting.e(draft.title),
            "stage": stage,
            "waited": formatting.waited(waited.total_seconds()),
            "number": payload.get("number", 1),
            "urgent": texts.URGENT_MARK if draft.urgent else "",
        }
        await self.scheduler.send(targets, texts.NUDGE.format(**fields))
        if payload.get("escalate") and self.config.chats.admins is not None:
            await self.scheduler.send(
                [self.config.chats.admins], texts.NUDGE_ESCALATED.format(**fields)
            )
        return "sent"

    async def _reviewers(self, tier: int, *exclude: int | None) -> list[int]:
        async with self.db.reading() as conn:
            return await users.chat_or_holders(
                conn, self.config.chats.tier(tier), Role.for_tier(tier), exclude
            )


class MeetingReminders(_Kind):
    """Reminders of the monthly planning meeting, with its agenda and last month's figures."""

    def __init__(self, scheduler: ReminderScheduler, meetings: MeetingService) -> None:
        super().__init__(scheduler)
        self.meetings = meetings

    def register(self) -> None:
        """Handle ``meeting`` and ``meeting_roll`` reminders."""
        self.scheduler.handlers["meeting"] = self._meeting
        self.scheduler.handlers["meeting_roll"] = self._meeting_roll

    async def _meeting(self, reminder: Reminder) -> str:
        payload = reminder.payload
        found = await self.meetings.schedule()
        if found is None or found[1] != payload.get("version"):
            return "the schedule changed"
        schedule = found[0]
        meeting_at = datetime.fromisoformat(str(payload["at"]))
        now = self.scheduler.now()
        if meeting_at <= now:
            return "the meeting has begun"
        if self.timing.in_quiet_hours(now) and self.timing.after_quiet_hours(now) < meeting_at:
            return "quiet"
        if not await self.scheduler.claim(reminder):
            return "taken"
        await self.scheduler.send(
            list(schedule.chats), await self._meeting_text(meeting_at, str(payload.get("lead", "")))
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


class InboxReminders(_Kind):
    """The promise to a student whose question waits, then overdue reminders to the staff."""

    def __init__(self, scheduler: ReminderScheduler, inbox: Inbox) -> None:
        super().__init__(scheduler)
        self.inbox = inbox

    def register(self) -> None:
        """Handle ``inbox_promise`` and ``inbox_overdue`` reminders."""
        self.scheduler.handlers["inbox_promise"] = self._inbox_promise
        self.scheduler.handlers["inbox_overdue"] = self._inbox_overdue

    async def _waiting_question(self, reminder: Reminder) -> Question | str:
        question = await self.inbox.question(int(str(reminder.payload["question"])))
        if question is None or question.state != "open":
            return "answered or settled"
        if self.config.chats.inbox is None:
            return "no inbox chat"
        if self.timing.in_quiet_hours(self.scheduler.now()):
            return "quiet"
        return question

    async def _inbox_promise(self, reminder: Reminder) -> str:
        question = await self._waiting_question(reminder)
        if isinstance(question, str):
            return question
        if not await self.scheduler.claim(reminder):
            return "taken"
        deadline = datetime.fromisoformat(str(reminder.payload["deadline"]))
        when = formatting.fmt_time(deadline.astimezone(UTC).isoformat(), self.timing.tz)
        await self.inbox.promised(question.id, deadline)
        try:
            await self.scheduler.send(
                [question.student_id],
                texts.PROMISE_TO_STUDENT.format(id=question.id, deadline=when),
            )
        except Unreachable:
            logger.info("student of question %s cannot be reached for the promise", question.id)
        assert self.config.chats.inbox is not None
        window = formatting.waited(self.config.reminders.ack_window_hours * 3600)
        await self.scheduler.send(
            [self.config.chats.inbox],
            texts.PROMISE_ALERT.format(
                id=question.id,
                student=formatting.e(question.student_name),
                window=window,
                deadline=when,
            ),
        )
        return "sent"

    async def _inbox_overdue(self, reminder: Reminder) -> str:
        question = await self._waiting_question(reminder)
        if isinstance(question, str):
            return question
        if not await self.scheduler.claim(reminder):
            return "taken"
        deadline = datetime.fromisoformat(str(reminder.payload["deadline"]))
        html = texts.OVERDUE_ALERT.format(
            id=question.id,
            student=formatting.e(question.student_name),
            deadline=formatting.fmt_time(deadline.astimezone(UTC).isoformat(), self.timing.tz),
            number=reminder.payload.get("number", 1),
        )
        assert self.config.chats.inbox is not None
        targets = [self.config.chats.inbox]
        if reminder.payload.get("escalate") and self.config.chats.admins is not None:
            targets.append(self.config.chats.admins)
        await self.scheduler.send(targets, html)
        return "sent"


def _lead_text(lead: str) -> str:
    """``3d`` as 3天, ``90m`` as 90分钟."""
    if lead and lead[:-1].isdigit() and lead[-1] in texts.LEADS:
        return f"{lead[:-1]}{texts.LEADS[lead[-1]]}"
    return lead
