"""The audience inbox (article 15, 有问必答): questions, answers, promises, overdue reminders.

Telegram-free: handlers send the messages and tell this service what was sent.
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import aiosqlite

from bot.clock.timing import Timing
from bot.members import Actor
from storage import Database, inbox, reminders
from storage.db import stored_time
from storage.inbox import Question
from storage.payloads import Payload

__all__ = ["Asked", "Inbox", "InboxFigures", "QuestionDue"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QuestionDue(Payload):
    """The promise to a student, or the ``number``-th overdue reminder, for one question."""

    question: int
    deadline: str
    number: int = 1
    escalate: bool = False


@dataclass(frozen=True, slots=True)
class Asked:
    """What became of a student's message: a new question, a follow-up, or refused (flood)."""

    kind: str
    question_id: int | None = None
    open_count: int = 0


@dataclass(frozen=True, slots=True)
class InboxFigures:
    """Reply-time figures for reports and /inbox."""

    median_first_reply: timedelta | None
    on_time: int
    late: int
    overdue: int


class Inbox:
    """Students' questions and the staff's answers."""

    def __init__(self, db: Database, timing: Timing) -> None:
        self.db = db
        self.timing = timing
        self.config = timing.config

    async def ask(self, student: Actor, follow_up_of: int | None) -> Asked:
        """A student's message: a follow-up of ``follow_up_of``, else a new question if allowed."""
        async with self.db.transaction() as tx:
            if follow_up_of is not None:
                question = await inbox.get(tx, follow_up_of)
                if question is not None and question.student_id == student.user_id:
                    return Asked("followup", question.id)
            waiting = [q for q in await inbox.open_for(tx, student.user_id) if q.state == "open"]
            if len(waiting) >= self.config.open_questions_per_student:
                return Asked("flood", None, len(waiting))
            now = self.db.clock()
            question_id = await inbox.create(tx, student.user_id, student.name, stored_time(now))
            await self._plan(tx, question_id, now)
        return Asked("new", question_id)

    async def _plan(self, tx: aiosqlite.Connection, question_id: int, asked: datetime) -> None:
        """The promise after the acknowledgement window, then overdue reminders."""
        config = self.config
        promise_due = self.timing.add_hours(asked, config.ack_window_hours)
        deadline = self.timing.add_hours(asked, config.promise_hours)
        payload = QuestionDue(question_id, deadline.isoformat())
        await reminders.add(
            tx,
            "inbox_promise",
            f"inbox:{question_id}:promise",
            stored_time(promise_due),
            None,
            payload,
        )
        due = deadline
        for number in range(1, config.max_nudges + 1):
            await reminders.add(
                tx,
                "inbox_overdue",
                f"inbox:{question_id}:overdue:{number}",
                stored_time(due),
                None,
                replace(payload, number=number, escalate=number >= 2),
            )
            due = self.timing.add_hours(due, config.nudge_interval_hours)

    async def record(
        self,
        question_id: int,
        direction: str,
        author_id: int | None,
        body: str,
        chat_id: int,
        message_id: int,
        media_group_id: str | None = None,
    ) -> None:
        """Remember a message of the thread, so replies to it (and the rest of its album) find
        the question."""
        async with self.db.transaction() as tx:
            await inbox.add_message(
                tx,
                question_id,
                direction,
                author_id,
                body,
                chat_id,
                message_id,
                self.db.now(),
                media_group_id,
            )

    async def question(self, question_id: int) -> Question | None:
        """A question by number."""
        async with self.db.reading() as conn:
            return await inbox.get(conn, question_id)

    async def card(self, question_id: int) -> tuple[int, int, str] | None:
        """Where a question's card is, and the question's text."""
        async with self.db.reading() as conn:
            return await inbox.card_of(conn, question_id)

    async def question_at(self, chat_id: int, message_id: int) -> int | None:
        """The question a message belongs to."""
        async with self.db.reading() as conn:
            return await inbox.question_at(conn, chat_id, message_id)

    async def question_of_album(self, chat_id: int, media_group_id: str) -> int | None:
        """The question an album's earlier item started or joined."""
        async with self.db.reading() as conn:
            return await inbox.question_of_album(conn, chat_id, media_group_id)

    async def answered(self, question_id: int, staff: Actor) -> bool:
        """Record a staff reply; True for the first one."""
        async with self.db.transaction() as tx:
            return await inbox.answered(tx, question_id, staff.user_id, self.db.now())

    async def claim(self, question_id: int, staff: Actor) -> bool:
        """A staff member takes the question."""
        async with self.db.transaction() as tx:
            return await inbox.claim(tx, question_id, staff.user_id)

    async def resolve(self, question_id: int, staff: Actor) -> bool:
        """Handled without a reply (已处理)."""
        async with self.db.transaction() as tx:
            return await inbox.settle(tx, question_id, staff.user_id, self.db.now())

    async def promised(self, question_id: int, deadline: datetime) -> None:
        """Record the deadline the student was promised."""
        async with self.db.transaction() as tx:
            await inbox.set_promise(tx, question_id, stored_time(deadline))

    async def waiting(self) -> list[Question]:
        """Questions without a first reply, oldest first."""
        async with self.db.reading() as conn:
            return await inbox.open_questions(conn)

    async def figures(self) -> InboxFigures:
        """Median first-reply time, replies on time and late, questions overdue now."""
        async with self.db.reading() as conn:
            rows = await inbox.stats(conn)
        now = self.db.clock()
        delays: list[timedelta] = []
        on_time = late = overdue = 0
        for asked, replied, promised in rows:
            asked_at = datetime.fromisoformat(asked)
            deadline = (
                datetime.fromisoformat(promised)
                if promised
                else self.timing.add_hours(asked_at, self.config.promise_hours)
            )
            if replied is None:
                overdue += now > deadline
                continue
            replied_at = datetime.fromisoformat(replied)
            delays.append(replied_at - asked_at)
            if replied_at <= deadline:
                on_time += 1
            else:
                late += 1
        median = (
            timedelta(seconds=statistics.median(d.total_seconds() for d in delays))
            if delays
            else None
        )
        return InboxFigures(median, on_time, late, overdue)
