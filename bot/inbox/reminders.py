"""The promise to a student whose question waits, then overdue reminders to the staff."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot import formatting, texts
from bot.inbox.service import Inbox, QuestionDue
from bot.reminders.scheduler import ReminderKind, ReminderScheduler, Unreachable
from storage.inbox import Question
from storage.reminders import Reminder

__all__ = ["InboxReminders"]

logger = logging.getLogger(__name__)


class InboxReminders(ReminderKind):
    """The promise to a student whose question waits, then overdue reminders to the staff."""

    def __init__(self, scheduler: ReminderScheduler, inbox: Inbox) -> None:
        super().__init__(scheduler)
        self.inbox = inbox

    def register(self) -> None:
        """Handle ``inbox_promise`` and ``inbox_overdue`` reminders."""
        self.scheduler.handlers["inbox_promise"] = self._inbox_promise
        self.scheduler.handlers["inbox_overdue"] = self._inbox_overdue

    async def _waiting_question(self, reminder: Reminder) -> Question | str:
        question = await self.inbox.question(QuestionDue.read(reminder.payload).question)
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
        due = QuestionDue.read(reminder.payload)
        deadline = datetime.fromisoformat(due.deadline)
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
        due = QuestionDue.read(reminder.payload)
        deadline = datetime.fromisoformat(due.deadline)
        html = texts.OVERDUE_ALERT.format(
            id=question.id,
            student=formatting.e(question.student_name),
            deadline=formatting.fmt_time(deadline.astimezone(UTC).isoformat(), self.timing.tz),
            number=due.number,
        )
        assert self.config.chats.inbox is not None
        targets = [self.config.chats.inbox]
        if due.escalate and self.config.chats.admins is not None:
            targets.append(self.config.chats.admins)
        await self.scheduler.send(targets, html)
        return "sent"
