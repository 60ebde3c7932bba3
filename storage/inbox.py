"""Students' questions and the messages of each thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiosqlite

from storage.db import fetch_one

__all__ = [
    "Question",
    "add_message",
    "answered",
    "card_of",
    "claim",
    "create",
    "get",
    "open_for",
    "open_questions",
    "question_at",
    "question_of_album",
    "set_promise",
    "settle",
    "stats",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Question:
    """One student's question and where it stands."""

    id: int
    student_id: int
    student_name: str
    state: str
    claimed_by: int | None
    asked_at: str
    promised_by: str | None
    first_reply_at: str | None
    first_reply_by: int | None
    settled_by: int | None = None


def _question(row: aiosqlite.Row) -> Question:
    return Question(
        id=row["id"],
        student_id=row["student_id"],
        student_name=row["student_name"],
        state=row["state"],
        claimed_by=row["claimed_by"],
        asked_at=row["asked_at"],
        promised_by=row["promised_by"],
        first_reply_at=row["first_reply_at"],
        first_reply_by=row["first_reply_by"],
        settled_by=row["settled_by"],
    )


async def create(conn: aiosqlite.Connection, student_id: int, name: str, at: str) -> int:
    """Open a question; returns its number."""
    cursor = await conn.execute(
        "INSERT INTO questions (student_id, student_name, asked_at) VALUES (?, ?, ?)",
        (student_id, name, at),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def get(conn: aiosqlite.Connection, question_id: int) -> Question | None:
    """A question by number."""
    row = await fetch_one(conn, "SELECT * FROM questions WHERE id = ?", (question_id,))
    return _question(row) if row else None


async def open_for(conn: aiosqlite.Connection, student_id: int) -> list[Question]:
    """A student's questions not yet settled, newest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM questions WHERE student_id = ? AND state != 'resolved' ORDER BY id DESC",
        (student_id,),
    )
    return [_question(row) for row in rows]


async def open_questions(conn: aiosqlite.Connection, limit: int = 50) -> list[Question]:
    """Questions still waiting for a first reply, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM questions WHERE state = 'open' ORDER BY asked_at, id LIMIT ?", (limit,)
    )
    return [_question(row) for row in rows]


async def add_message(
    conn: aiosqlite.Connection,
    question_id: int,
    direction: str,
    author_id: int | None,
    body: str,
    chat_id: int,
    message_id: int,
    at: str,
    media_group_id: str | None = None,
) -> None:
    """Record a message of a thread (the student's, a card, a relayed copy, an answer), and
    the album it came in, if any."""
    await conn.execute(
        "INSERT OR IGNORE INTO question_messages"
        " (question_id, direction, author_id, body, chat_id, message_id, at, media_group_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (question_id, direction, author_id, body, chat_id, message_id, at, media_group_id),
    )


async def question_at(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> int | None:
    """The question a message belongs to."""
    row = await fetch_one(
        conn,
        "SELECT question_id FROM question_messages WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    )
    return int(row[0]) if row else None


async def question_of_album(
    conn: aiosqlite.Connection, chat_id: int, media_group_id: str
) -> int | None:
    """The question an album's earlier item started or joined."""
    row = await fetch_one(
        conn,
        "SELECT question_id FROM question_messages WHERE chat_id = ? AND media_group_id = ?"
        " ORDER BY id LIMIT 1",
        (chat_id, media_group_id),
    )
    return int(row[0]) if row else None


async def claim(conn: aiosqlite.Connection, question_id: int, user_id: int) -> bool:
    """A staff member takes the question; False if someone already has it or it is settled."""
    cursor = await conn.execute(
        "UPDATE questions SET claimed_by = ? WHERE id = ? AND claimed_by IS NULL"
        " AND state != 'resolved'",
        (user_id, question_id),
    )
    return cursor.rowcount == 1


async def answered(conn: aiosqlite.Connection, question_id: int, by: int, at: str) -> bool:
    """Record a reply; True when it is the first one."""
    cursor = await conn.execute(
        "UPDATE questions SET state = 'answered', first_reply_at = ?, first_reply_by = ?"
        " WHERE id = ? AND first_reply_at IS NULL",
        (at, by, question_id),
    )
    return cursor.rowcount == 1


async def settle(conn: aiosqlite.Connection, question_id: int, by: int, at: str) -> bool:
    """Mark handled without a reply (已处理); False if already settled."""
    cursor = await conn.execute(
        "UPDATE questions SET state = 'resolved', settled_at = ?, settled_by = ?"
        " WHERE id = ? AND state != 'resolved'",
        (at, by, question_id),
    )
    return cursor.rowcount == 1


async def set_promise(conn: aiosqlite.Connection, question_id: int, by: str) -> None:
    """Record the reply deadline promised to the student."""
    await conn.execute("UPDATE questions SET promised_by = ? WHERE id = ?", (by, question_id))


async def stats(conn: aiosqlite.Connection) -> list[tuple[str, str | None, str | None]]:
    """(asked, first reply, promise) of every question, for reply-time figures."""
    rows = await conn.execute_fetchall(
        "SELECT asked_at, first_reply_at, promised_by FROM questions"
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def card_of(conn: aiosqlite.Connection, question_id: int) -> tuple[int, int, str] | None:
    """(chat, message, the question's first text) of a question's card."""
    card = await fetch_one(
        conn,
        "SELECT chat_id, message_id FROM question_messages"
        " WHERE question_id = ? AND direction = 'card' ORDER BY id LIMIT 1",
        (question_id,),
    )
    asked = await fetch_one(
        conn,
        "SELECT body FROM question_messages WHERE question_id = ? AND direction = 'asked'"
        " ORDER BY id LIMIT 1",
        (question_id,),
    )
    if card is None:
        return None
    return int(card[0]), int(card[1]), str(asked[0]) if asked else ""
