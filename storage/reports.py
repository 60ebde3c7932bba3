"""The rows assessment reports are computed from: one read of each table over a period."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import aiosqlite

from storage import users
from storage.models import User

__all__ = [
    "AnswerRow",
    "DecisionRow",
    "EditRow",
    "MemberRow",
    "PublishedRow",
    "ReportRows",
    "RepostRow",
    "SubmissionRow",
    "read",
]

logger = logging.getLogger(__name__)

_Row = TypeVar("_Row")


@dataclass(frozen=True, slots=True)
class MemberRow:
    """Someone who holds (or held) a role, or who did something the report counts."""

    user_id: int
    name: str
    team: str | None
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    """A draft confirmed on its intake card (its first ``draft.submitted`` event)."""

    draft_id: int
    submitter_id: int
    category: str | None
    original: bool
    urgent: bool
    at: str


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One tier's decision on one version, with the moment the version reached that tier.

    A version reaches tier 2 or 3 when the tier below approves it (``previous_at``: that
    transaction also queues the next card). It reaches tier 1 when it is sent there (by the
    editor, by a confirmed submission, or as a revision): ``queued_at`` is when that
    transaction queued the tier-1 review card, read only for tier-1 decisions.
    ``rejected_before`` is only meaningful for tier-3 approvals: whether any tier rejected
    any version of the draft before this decision.
    """

    draft_id: int
    version: int
    tier: int
    reviewer_id: int
    submitter_id: int
    outcome: str
    decided_at: str
    queued_at: str | None
    previous_at: str | None
    rejected_before: bool


@dataclass(frozen=True, slots=True)
class EditRow:
    """An editor sent a laid-out draft to review (``editing.sent``)."""

    editor_id: int
    draft_id: int
    at: str


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """A student's question and its first reply."""

    question_id: int
    answered_by: int
    asked_at: str
    first_reply_at: str
    promised_by: str | None


@dataclass(frozen=True, slots=True)
class RepostRow:
    """A partner account marked a post as reposted; it counts for the draft's submitter."""

    draft_id: int
    submitter_id: int
    reposted_at: str


@dataclass(frozen=True, slots=True)
class PublishedRow:
    """A draft that went out to the channel."""

    draft_id: int
    submitter_id: int
    published_at: str


@dataclass(frozen=True, slots=True)
class ReportRows:
    """Everything a report over ``[start, end)`` (stored UTC times) counts."""

    start: str
    end: str
    members: tuple[MemberRow, ...]
    submissions: tuple[SubmissionRow, ...]
    decisions: tuple[DecisionRow, ...]
    edits: tuple[EditRow, ...]
    answers: tuple[AnswerRow, ...]
    reposts: tuple[RepostRow, ...]
    published: tuple[PublishedRow, ...]


async def _rows(
    conn: aiosqlite.Connection, make: Callable[..., _Row], sql: str, window: tuple[str, str]
) -> tuple[_Row, ...]:
    """One query's rows, each made from its columns in the order of ``make``'s fields."""
    return tuple(make(*row) for row in await conn.execute_fetchall(sql, window))


async def read(conn: aiosqlite.Connection, start: str, end: str) -> ReportRows:
    """The rows of every event from ``start`` (inclusive) to ``end`` (exclusive)."""
    window = (start, end)
    submissions = tuple(
        SubmissionRow(
            draft_id=row[0],
            submitter_id=row[1],
            category=row[2],
            original=bool(row[3]),
            urgent=bool(row[4]),
            at=row[5],
        )
        for row in await conn.execute_fetchall(
            # A draft is submitted once; a second event (never written today) must not count.
            # Urgency is the submitter's only when they marked it (not an admin's /urgent);
            # a draft its submitter withdrew scores nothing.
            "SELECT d.id, d.submitter_id, d.category, d.original,"
            " d.urgent AND COALESCE((SELECT u.actor_id FROM audit u WHERE u.draft_id = d.id"
            "   AND u.action = 'draft.urgent' AND json_extract(u.detail, '$.urgent') = 1"
            "   ORDER BY u.id DESC LIMIT 1), d.submitter_id) = d.submitter_id,"
            " a.at"
            " FROM audit a JOIN drafts d ON d.id = a.draft_id"
            " WHERE a.action = 'draft.submitted' AND a.at >= ? AND a.at < ?"
            " AND d.state != 'withdrawn'"
            " AND NOT EXISTS (SELECT 1 FROM audit e WHERE e.draft_id = a.draft_id"
            "   AND e.action = 'draft.submitted' AND e.id < a.id)",
            window,
        )
    )
    decided = await conn.execute_fetchall(
        "SELECT d.draft_id, d.version, d.tier, d.reviewer_id, dr.submitter_id, d.outcome,"
        " d.decided_at,"
        " (SELECT p.decided_at FROM decisions p WHERE p.draft_id = d.draft_id"
        "   AND p.version = d.version AND p.tier = d.tier - 1 AND p.outcome = 'approve'),"
        " CASE WHEN d.tier = 3 AND d.outcome = 'approve' THEN EXISTS ("
        "   SELECT 1 FROM decisions r WHERE r.draft_id = d.draft_id AND r.outcome = 'reject'"
        "   AND r.decided_at < d.decided_at) ELSE 0 END"
        " FROM decisions d JOIN drafts dr ON dr.id = d.draft_id"
        " WHERE d.decided_at >= ? AND d.decided_at < ? ORDER BY d.decided_at, d.id",
        window,
    )
    # One pass over the outbox (it has no index by draft) for when tier-1 cards were queued.
    queued: dict[tuple[int, int], str] = {
        (int(row[0]), int(row[1])): str(row[2])
        for row in await conn.execute_fetchall(
            "SELECT draft_id, json_extract(payload, '$.version'), MIN(created_at) FROM outbox"
            " WHERE kind = 'review_card' AND json_extract(payload, '$.tier') = 1"
            " AND draft_id IN (SELECT draft_id FROM decisions"
            "   WHERE tier = 1 AND decided_at >= ? AND decided_at < ?)"
            " AND json_extract(payload, '$.version') IS NOT NULL"
            " GROUP BY 1, 2",
            window,
        )
    }
    decisions = tuple(
        DecisionRow(
            draft_id=row[0],
            version=row[1],
            tier=row[2],
            reviewer_id=row[3],
            submitter_id=row[4],
            outcome=row[5],
            decided_at=row[6],
            queued_at=queued.get((row[0], row[1])) if row[2] == 1 else None,
            previous_at=row[7],
            rejected_before=bool(row[8]),
        )
        for row in decided
    )
    edits = await _rows(
        conn,
        EditRow,
        "SELECT actor_id, draft_id, at FROM audit WHERE action = 'editing.sent'"
        " AND at >= ? AND at < ? AND actor_id IS NOT NULL AND draft_id IS NOT NULL",
        window,
    )
    answers = await _rows(
        conn,
        AnswerRow,
        "SELECT id, first_reply_by, asked_at, first_reply_at, promised_by FROM questions"
        " WHERE first_reply_at >= ? AND first_reply_at < ? AND first_reply_by IS NOT NULL",
        window,
    )
    reposts = await _rows(
        conn,
        RepostRow,
        "SELECT r.draft_id, d.submitter_id, r.reposted_at FROM reposts r"
        " JOIN drafts d ON d.id = r.draft_id"
        " WHERE r.state = 'reposted' AND r.reposted_at >= ? AND r.reposted_at < ?",
        window,
    )
    published = await _rows(
        conn,
        PublishedRow,
        "SELECT p.draft_id, d.submitter_id, p.published_at FROM publications p"
        " JOIN drafts d ON d.id = p.draft_id"
        " WHERE p.published_at >= ? AND p.published_at < ?",
        window,
    )
    acting = {
        *(s.submitter_id for s in submissions),
        *(d.reviewer_id for d in decisions),
        *(d.submitter_id for d in decisions),
        *(e.editor_id for e in edits),
        *(a.answered_by for a in answers),
        *(r.submitter_id for r in reposts),
        *(p.submitter_id for p in published),
    }
    return ReportRows(
        start=start,
        end=end,
        members=await _members(conn, acting),
        submissions=submissions,
        decisions=decisions,
        edits=edits,
        answers=answers,
        reposts=reposts,
        published=published,
    )


async def _members(conn: aiosqlite.Connection, acting: set[int]) -> tuple[MemberRow, ...]:
    """Everyone holding a role (the roster, with ended roles too), and anyone else acting."""
    rows = await conn.execute_fetchall(
        "SELECT u.user_id, u.name, u.team, group_concat(r.role) FROM users u"
        " JOIN member_roles r ON r.user_id = u.user_id GROUP BY u.user_id ORDER BY u.user_id"
    )
    found = {
        int(row[0]): MemberRow(
            user_id=int(row[0]),
            name=str(row[1]),
            team=row[2],
            roles=tuple(sorted(str(row[3]).split(","))) if row[3] else (),
        )
        for row in rows
    }
    others: dict[int, User] = await users.get_many(conn, acting - found.keys())
    for user_id in sorted(acting - found.keys()):
        user = others.get(user_id)
        found[user_id] = MemberRow(
            user_id=user_id,
            name=user.name if user else str(user_id),
            team=user.team if user else None,
            roles=(),
        )
    return tuple(found.values())
