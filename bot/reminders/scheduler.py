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
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes, JobQueue

from bot import formatting, texts
from bot.clock.timing import Timing
from bot.config import UnionConfig
from bot.outbox.runner import Follower
from storage import Database, reminders
from storage.db import stored_time
from storage.payloads import PayloadError
from storage.reminders import Reminder

__all__ = ["Handler", "ReminderKind", "ReminderScheduler", "Unreachable"]

logger = logging.getLogger(__name__)

JOB_NAME = "reminders"
# A send that failed for a passing reason is tried again this much later.
RETRY_DELAY = timedelta(seconds=60)

Handler = Callable[[Reminder], Awaitable[str]]


class Unreachable(Exception):
    """Every target of a reminder refused it for good."""


class ReminderScheduler:
    """Arms the JobQueue at the next due reminder and sends what falls due."""

    def __init__(
        self,
        job_queue: JobQueue,  # type: ignore[type-arg]
        bot: Bot,
        db: Database,
        config: UnionConfig,
        timing: Timing,
    ) -> None:
        self.job_queue = job_queue
        self.bot = bot
        self.db = db
        self.config = config
        self.timing = timing
        self._lock = asyncio.Lock()
        # Each kind of reminder registers what to do when one falls due (see ReminderKind).
        self.handlers: dict[str, Handler] = {}
        self._armed_for: str | None = None
        # How late recent reminders went out, for the benchmark and the logs.
        self.lateness: deque[float] = deque(maxlen=10_000)

    def now(self) -> datetime:
        """The clock's time."""
        return self.db.clock()

    async def arm(self) -> None:
        """Schedule the job for the earliest pending reminder (replacing any earlier job)."""
        async with self.db.reading() as conn:
            earliest = await reminders.earliest_due(conn)
        self.arm_at(earliest)

    def follower(self) -> Follower[str | None]:
        """Arming after every flush of the outbox, with the flush's last trip to the database
        reading the earliest pending reminder."""
        return Follower(reminders.earliest_due, self.arm_at)

    def arm_at(self, earliest: str | None) -> None:
        """Schedule the job for ``earliest``, the due time of the earliest pending reminder
        (None: there is none), replacing any earlier job."""
        jobs = self.job_queue.get_jobs_by_name(JOB_NAME)
        if earliest is not None and earliest == self._armed_for and jobs:
            # Called after every action; most leave the earliest reminder where it was.
            return
        for job in jobs:
            job.schedule_removal()
        self._armed_for = earliest
        if earliest is None:
            return
        when = max(datetime.fromisoformat(earliest), self.now())
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
                now = self.now()
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
        except (Unreachable, PayloadError) as exc:
            await self._settle(reminder, "failed", str(exc))
            return True
        except TelegramError as exc:
            logger.warning("reminder %s failed, will retry: %s", reminder.key, exc)
            async with self.db.transaction() as tx:
                await reminders.release(tx, reminder.id, stored_time(now + RETRY_DELAY))
            return False
        if state == "taken":
            return True
        if state == "quiet":
            await self._postpone(reminder, self.timing.after_quiet_hours(now))
            return False
        if state == "sent":
            due = datetime.fromisoformat(reminder.due_at)
            self.lateness.append((self.now() - due).total_seconds())
        else:
            logger.info("reminder %s skipped: %s", reminder.key, state)
        await self._settle(reminder, "sent" if state == "sent" else "skipped", state)
        return True

    async def _settle(self, reminder: Reminder, state: str, detail: str) -> None:
        async with self.db.transaction() as tx:
            await reminders.settle(tx, reminder.id, state, self.db.now(), detail)

    async def _postpone(self, reminder: Reminder, until: datetime) -> None:
        async with self.db.transaction() as tx:
            await reminders.postpone(tx, reminder.id, stored_time(until))

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

    async def send(
        self, chat_ids: list[int], html: str, reply_to: Mapping[int, int] | None = None
    ) -> int:
        """Send to each chat (as a reply to the message ``reply_to`` names for it, if any);
        unreachable chats are reported to the admins once.

        Returns how many chats got it; raises Unreachable when none did for good.
        """
        delivered = 0
        failures: list[str] = []
        for chat_id in chat_ids:
            try:
                await self.bot.send_message(
                    chat_id,
                    html,
                    parse_mode=ParseMode.HTML,
                    reply_to_message_id=(reply_to or {}).get(chat_id),
                    allow_sending_without_reply=True,
                )
                delivered += 1
            except (Forbidden, BadRequest) as exc:
                failures.append(f"{chat_id}: {exc}")
                await self._unreachable(chat_id, str(exc))
        if chat_ids and not delivered:
            raise Unreachable("; ".join(failures))
        return delivered

    async def _unreachable(self, chat_id: int, error: str) -> None:
        async with self.db.transaction() as tx:
            first = await reminders.mark_unreachable(tx, chat_id, error, self.db.now())
        admins = self.config.chats.admins
        if first and admins is not None and admins != chat_id:
            try:
                await self.bot.send_message(
                    admins,
                    formatting.error_alert(texts.CHAT_UNREACHABLE, error, chat=chat_id),
                    parse_mode=ParseMode.HTML,
                )
            except TelegramError as exc:
                logger.error("could not tell the admins about chat %s: %s", chat_id, exc)


class ReminderKind:
    """A feature's kind of reminder: what it uses from the scheduler.

    Subclasses register their handlers in ``scheduler.handlers``; a handler decides at fire time
    whether the reminder still matters, claims it, sends it and returns how it came out.
    """

    def __init__(self, scheduler: ReminderScheduler) -> None:
        self.scheduler = scheduler
        self.db = scheduler.db
        self.config = scheduler.config
        self.timing = scheduler.timing
