"""Fires reminders when they fall due: one job armed at the earliest due row, re-armed after.

The database is the truth: every reminder is a row, so start-up re-arms them all with one
query, and a reminder is settled in the database right after it is sent, so a restart never
sends it twice. A reminder that fell due while the bot was down is sent on start if it still
matters, and skipped (logged) if it no longer does.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes, JobQueue

from bot import render, texts
from bot.inbox import Inbox
from bot.meeting_service import MeetingService
from bot.pipeline import Pipeline
from storage import drafts, reminders, users
from storage.inbox import Question
from storage.models import DraftState, Role
from storage.reminders import Reminder

__all__ = ["ReminderScheduler"]

logger = logging.getLogger(__name__)

JOB_NAME = "reminders"
# A send that failed for a passing reason is tried again this much later.
RETRY_DELAY = timedelta(seconds=60)

Handler = Callable[[Reminder], Awaitable[str]]


class _Unreachable(Exception):
    """Every target of a reminder refused it for good."""


class ReminderScheduler:
    """Arms the JobQueue at the next due reminder and sends what falls due."""

    def __init__(
        self,
        job_queue: JobQueue,  # type: ignore[type-arg]
        bot: Bot,
        pipeline: Pipeline,
        meetings: MeetingService,
        inbox: Inbox,
    ) -> None:
        self.job_queue = job_queue
        self.meetings = meetings
        self.inbox = inbox
        self.bot = bot
        self.pipeline = pipeline
        self.db = pipeline.db
        self.config = pipeline.config
        self.timing = pipeline.timing
        self._lock = asyncio.Lock()
        self.handlers: dict[str, Handler] = {
            "stall": self._stall,
            "meeting": self._meeting,
            "meeting_roll": self._meeting_roll,
            "inbox_promise": self._inbox_promise,
            "inbox_overdue": self._inbox_overdue,
        }
        # How late recent reminders went out, for the benchmark and the logs.
        self.lateness: deque[float] = deque(maxlen=10_000)

    def _now(self) -> datetime:
        return self.db.clock()

    async def arm(self) -> None:
        """Schedule the job for the earliest pending reminder (replacing any earlier job)."""
        async with self.db.reading() as conn:
            earliest = await reminders.earliest_due(conn)
        for job in self.job_queue.get_jobs_by_name(JOB_NAME):
            job.schedule_removal()
        if earliest is None:
            return
        when = max(datetime.fromisoformat(earliest), self._now())
        # The database is the truth, so a run late after a stalled loop is still right:
        # without this APScheduler drops a job more than a second late, and with it the reminder.
        self.job_queue.run_once(
            self._job, when=when, name=JOB_NAME, job_kwargs={"misfire_grace_time": None}
        )

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The armed job: send what is due, then arm for the next."""
        await self.run_due()

    async def run_due(self) -> int:
        """Send every reminder due now; returns how many were settled."""
        settled = 0
        async with self._lock:
            while True:
                now = self._now()
                async with self.db.reading() as conn:
                    batch = await reminders.due(conn, self.db.now())
                if not batch:
                    break
                progressed = False
                for reminder in batch:
                    outcome = await self._run(reminder, now)
                    if outcome:
                        settled += 1
                        progressed = True
                if not progressed:
                    break
        await self.arm()
        return settled

    async def _run(self, reminder: Reminder, now: datetime) -> bool:
        """Handle one reminder; False when it was put off (quiet hours, a passing failure)."""
        handler = self.handlers.get(reminder.kind)
        if handler is None:
            await self._settle(reminder, "skipped", f"unknown kind {reminder.kind}")
            return True
        try:
            state = await handler(reminder)
        except _Unreachable as exc:
            await self._settle(reminder, "failed", str(exc))
            return True
        except TelegramError as exc:
            logger.warning("reminder %s failed, will retry: %s", reminder.key, exc)
            async with self.db.transaction() as tx:
                await reminders.release(
                    tx, reminder.id, (now + RETRY_DELAY).isoformat(timespec="microseconds")
                )
            return False
        if state == "taken":
            return True
        if state == "quiet":
            await self._postpone(reminder, self.timing.after_quiet_hours(now))
            return False
        if state == "sent":
            due = datetime.fromisoformat(reminder.due_at)
            self.lateness.append((self._now() - due).total_seconds())
        else:
            logger.info("reminder %s skipped: %s", reminder.key, state)
        await self._settle(reminder, "sent" if state == "sent" else "skipped", state)
        return True

    async def _settle(self, reminder: Reminder, state: str, detail: str) -> None:
        async with self.db.transaction() as tx:
            await reminders.settle(tx, reminder.id, state, self.db.now(), detail)

    async def _postpone(self, reminder: Reminder, until: datetime) -> None:
        async with self.db.transaction() as tx:
            await reminders.postpone(tx, reminder.id, until.isoformat(timespec="microseconds"))

    async def recover(self) -> None:
        """Settle reminders a crash caught mid-send, loudly; call once at start-up."""
        async with self.db.transaction() as tx:
            keys = await reminders.interrupted(tx, self.db.now())
        for key in keys:
            logger.warning("reminder %s was being sent when the bot stopped; not sent again", key)

    async def claim(self, reminder: Reminder) -> bool:
        """Take a reminder for sending; False when another run has it."""
        async with self.db.transaction() as tx:
            return await reminders.claim(tx, reminder.id)

    async def send(self, chat_ids: list[int], html: str) -> int:
        """Send to each chat; unreachable chats are reported to the admins once.

        Returns how many chats got it; raises _Unreachable when none did for good.
        """
        delivered = 0
        failures: list[str] = []
        for chat_id in chat_ids:
            try:
                await self.bot.send_message(chat_id, html, parse_mode=ParseMode.HTML)
                delivered += 1
            except (Forbidden, BadRequest) as exc:
                failures.append(f"{chat_id}: {exc}")
                await self._unreachable(chat_id, str(exc))
        if chat_ids and not delivered:
            raise _Unreachable("; ".join(failures))
        return delivered

    async def _unreachable(self, chat_id: int, error: str) -> None:
        async with self.db.transaction() as tx:
            first = await reminders.mark_unreachable(tx, chat_id, error, self.db.now())
        admins = self.config.chats.admins
        if first and admins is not None and admins != chat_id:
            try:
                await self.bot.send_message(
                    admins,
                    texts.CHAT_UNREACHABLE.format(chat=chat_id, error=render.e(error)),
                    parse_mode=ParseMode.HTML,
                )
            except TelegramError as exc:
                logger.error("could not tell the admins about chat %s: %s", chat_id, exc)

    # Stalled drafts ----------------------------------------------------------------------------

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
        now = self._now()
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
        if not await self.claim(reminder):
            return "taken"
        fields = {
            "id": draft.id,
            "title": render.e(draft.title),
            "stage": stage,
            "waited": _duration(waited),
            "number": payload.get("number", 1),
        }
        await self.send(targets, texts.NUDGE.format(**fields))
        if payload.get("escalate") and self.config.chats.admins is not None:
            await self.send([self.config.chats.admins], texts.NUDGE_ESCALATED.format(**fields))
        return "sent"

    # The planning meeting -----------------------------------------------------------------------

    async def _meeting(self, reminder: Reminder) -> str:
        payload = reminder.payload
        found = await self.meetings.schedule()
        if found is None or found[1] != payload.get("version"):
            return "the schedule changed"
        schedule = found[0]
        meeting_at = datetime.fromisoformat(str(payload["at"]))
        now = self._now()
        if meeting_at <= now:
            return "the meeting has begun"
        if self.timing.in_quiet_hours(now) and self.timing.after_quiet_hours(now) < meeting_at:
            return "quiet"
        if not await self.claim(reminder):
            return "taken"
        await self.send(
            list(schedule.chats), await self._meeting_text(meeting_at, str(payload.get("lead", "")))
        )
        return "sent"

    async def _meeting_text(self, meeting_at: datetime, lead: str) -> str:
        local = meeting_at.astimezone(self.timing.tz)
        topics = await self.meetings.agenda(local.date())
        agenda = "\n".join(
            texts.MEETING_AGENDA_LINE.format(n=n, topic=render.e(topic), who=render.e(who))
            for n, (who, topic) in enumerate(topics, start=1)
        )
        figures = await self.meetings.last_month()
        categories = "、".join(
            texts.MEETING_CATEGORY_LINE.format(category=render.e(c), count=n)
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

    # The audience inbox ------------------------------------------------------------------------

    async def _waiting_question(self, reminder: Reminder) -> Question | str:
        question = await self.inbox.question(int(str(reminder.payload["question"])))
        if question is None or question.state != "open":
            return "answered or settled"
        if self.config.chats.inbox is None:
            return "no inbox chat"
        if self.timing.in_quiet_hours(self._now()):
            return "quiet"
        return question

    async def _inbox_promise(self, reminder: Reminder) -> str:
        question = await self._waiting_question(reminder)
        if isinstance(question, str):
            return question
        if not await self.claim(reminder):
            return "taken"
        deadline = datetime.fromisoformat(str(reminder.payload["deadline"]))
        when = render.fmt_time(deadline.astimezone(UTC).isoformat(), self.timing.tz)
        await self.inbox.promised(question.id, deadline)
        try:
            await self.send(
                [question.student_id],
                texts.PROMISE_TO_STUDENT.format(id=question.id, deadline=when),
            )
        except _Unreachable:
            logger.info("student of question %s cannot be reached for the promise", question.id)
        assert self.config.chats.inbox is not None
        window = _duration(timedelta(hours=self.config.reminders.ack_window_hours))
        await self.send(
            [self.config.chats.inbox],
            texts.PROMISE_ALERT.format(
                id=question.id,
                student=render.e(question.student_name),
                window=window,
                deadline=when,
            ),
        )
        return "sent"

    async def _inbox_overdue(self, reminder: Reminder) -> str:
        question = await self._waiting_question(reminder)
        if isinstance(question, str):
            return question
        if not await self.claim(reminder):
            return "taken"
        deadline = datetime.fromisoformat(str(reminder.payload["deadline"]))
        html = texts.OVERDUE_ALERT.format(
            id=question.id,
            student=render.e(question.student_name),
            deadline=render.fmt_time(deadline.astimezone(UTC).isoformat(), self.timing.tz),
            number=reminder.payload.get("number", 1),
        )
        assert self.config.chats.inbox is not None
        targets = [self.config.chats.inbox]
        if reminder.payload.get("escalate") and self.config.chats.admins is not None:
            targets.append(self.config.chats.admins)
        await self.send(targets, html)
        return "sent"

    async def _reviewers(self, tier: int, *exclude: int | None) -> list[int]:
        chat = self.config.chats.tier(tier)
        if chat is not None:
            return [chat]
        async with self.db.reading() as conn:
            holders = await users.holders(conn, Role.for_tier(tier))
        return [u.user_id for u in holders if u.user_id not in exclude]


def _lead_text(lead: str) -> str:
    """``3d`` as 3天, ``90m`` as 90分钟."""
    if lead and lead[:-1].isdigit() and lead[-1] in texts.LEADS:
        return f"{lead[:-1]}{texts.LEADS[lead[-1]]}"
    return lead


def _duration(waited: timedelta) -> str:
    minutes = max(int(waited.total_seconds() // 60), 0)
    if minutes < 120:
        return texts.WAITED_MINUTES.format(minutes=minutes)
    return texts.WAITED_HOURS.format(hours=minutes // 60)
