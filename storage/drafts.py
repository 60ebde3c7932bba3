"""Drafts, their versions, the tiers' decisions and the publication guard.

Every state change is one UPDATE guarded by the expected state and version, so of two
concurrent decisions exactly one takes effect. The three-approvals rule for publishing is
enforced by triggers in the schema as well as checked here.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import aiosqlite

from storage import version_files
from storage.db import fetch_one
from storage.models import Attachment, Decision, Draft, DraftState, Publication, Version

__all__ = [
    "NewContent",
    "PublicationRefused",
    "add_version",
    "at_intake_of",
    "begin_publication",
    "block",
    "by_source",
    "content_hash",
    "create",
    "decisions",
    "finish_publication",
    "get",
    "get_version",
    "list_by_submitter",
    "list_in_states",
    "mark_volunteer",
    "publication",
    "record_decision",
    "set_editor",
    "set_urgent",
    "transition",
    "update_intake",
]

logger = logging.getLogger(__name__)


class PublicationRefused(Exception):
    """A version lacks approvals of all three tiers, or is not the draft's current one."""


@dataclass(frozen=True, slots=True)
class NewContent:
    """The content of a version as submitted: text and any files, in order."""

    body: str
    note: str = ""
    files: tuple[Attachment, ...] = ()
    source_chat_id: int | None = None
    source_msg_id: int | None = None

    @property
    def file_names(self) -> str:
        """The files' names, one a line (what screening reads besides the text)."""
        return "\n".join(f.name for f in self.files if f.name)


def _file_key(file: Attachment) -> dict[str, str | None]:
    return {"file": file.sha256 or file.file_unique_id, "file_name": file.name}


def content_hash(content: NewContent) -> str:
    """What reviewers approve: the text and every file's bytes (or Telegram's id of them), in
    order.

    A version with one file or none hashes as it did before versions carried several, so the
    approvals already recorded still match their stored versions.
    """
    fields: dict[str, object] = {"body": content.body}
    if len(content.files) <= 1:
        fields.update(
            _file_key(content.files[0]) if content.files else {"file": None, "file_name": None}
        )
    else:
        fields["files"] = [_file_key(f) for f in content.files]
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _content_of(version: Version) -> NewContent:
    """The parts of a stored version that :func:`content_hash` covers."""
    return NewContent(body=version.body, files=version.files)


def _draft(row: aiosqlite.Row) -> Draft:
    original = row["original"]
    return Draft(
        id=row["id"],
        submitter_id=row["submitter_id"],
        editor_id=row["editor_id"],
        title=row["title"],
        category=row["category"],
        attribution=row["attribution"],
        college=row["college"],
        source=row["source"],
        original=None if original is None else bool(original),
        state=DraftState(row["state"]),
        version=row["version"],
        origin_chat_id=row["origin_chat_id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        resume_state=DraftState(row["resume_state"]) if row["resume_state"] else None,
        urgent=bool(row["urgent"]),
        by_volunteer=bool(row["by_volunteer"]),
    )


async def _version(conn: aiosqlite.Connection, row: aiosqlite.Row) -> Version:
    return Version(
        draft_id=row["draft_id"],
        number=row["number"],
        author_id=row["author_id"],
        body=row["body"],
        note=row["note"],
        content_hash=row["content_hash"],
        created_at=row["created_at"],
        files=await version_files.of_version(conn, row["draft_id"], row["number"]),
    )


async def _insert_version(
    conn: aiosqlite.Connection, draft_id: int, number: int, author_id: int, c: NewContent, at: str
) -> None:
    # The old single-file columns stay empty: every file is in version_files (migration 15).
    await conn.execute(
        "INSERT INTO versions (draft_id, number, author_id, body, note, content_hash,"
        " source_chat_id, source_msg_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            draft_id,
            number,
            author_id,
            c.body,
            c.note,
            content_hash(c),
            c.source_chat_id,
            c.source_msg_id,
            at,
        ),
    )
    await version_files.insert(conn, draft_id, number, c.files)


async def create(
    conn: aiosqlite.Connection,
    at: str,
    submitter_id: int,
    origin_chat_id: int,
    title: str,
    content: NewContent,
    state: DraftState = DraftState.INTAKE,
) -> int:
    """Create a draft with its first version; returns the draft's number."""
    cursor = await conn.execute(
        "INSERT INTO drafts (submitter_id, title, state, version, origin_chat_id,"
        " created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)",
        (submitter_id, title, state.value, origin_chat_id, at, at),
    )
    draft_id = cursor.lastrowid
    assert draft_id is not None
    await _insert_version(conn, draft_id, 1, submitter_id, content, at)
    return draft_id


async def set_urgent(conn: aiosqlite.Connection, draft_id: int, urgent: bool) -> bool:
    """Flag or unflag a draft as urgent; False when it already was so.

    ``updated_at`` is left alone: it is when the draft entered its stage, which deadlines use.
    """
    cursor = await conn.execute(
        "UPDATE drafts SET urgent = ? WHERE id = ? AND urgent != ?",
        (int(urgent), draft_id, int(urgent)),
    )
    return cursor.rowcount > 0


async def mark_volunteer(conn: aiosqlite.Connection, draft_id: int) -> None:
    """A volunteer's draft: attributed to the union (article 12), and it stays so."""
    await conn.execute(
        "UPDATE drafts SET by_volunteer = 1, attribution = 'school', college = NULL,"
        " source = NULL WHERE id = ?",
        (draft_id,),
    )


async def by_source(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> int | None:
    """The draft a message already became a version of, if any."""
    row = await fetch_one(
        conn,
        "SELECT draft_id FROM versions WHERE source_chat_id = ? AND source_msg_id = ?",
        (chat_id, message_id),
    )
    return int(row[0]) if row else None


async def get(conn: aiosqlite.Connection, draft_id: int) -> Draft | None:
    """The draft with this number, if any."""
    row = await fetch_one(conn, "SELECT * FROM drafts WHERE id = ?", (draft_id,))
    return _draft(row) if row else None


async def get_version(conn: aiosqlite.Connection, draft_id: int, number: int) -> Version | None:
    """One version of a draft."""
    row = await fetch_one(
        conn, "SELECT * FROM versions WHERE draft_id = ? AND number = ?", (draft_id, number)
    )
    return await _version(conn, row) if row else None


async def update_intake(
    conn: aiosqlite.Connection,
    draft_id: int,
    at: str,
    *,
    title: str | None = None,
    category: str | None = None,
    attribution: str | None = None,
    college: str | None = None,
    source: str | None = None,
    original: bool | None = None,
) -> bool:
    """Fill in intake details; only while the draft is still at intake."""
    fields: dict[str, object] = {}
    if title is not None:
        fields["title"] = title
    if category is not None:
        fields["category"] = category
    if attribution is not None:
        fields["attribution"] = attribution
        # Switching attribution clears the other kind's detail, so a draft never shows both.
        fields["college"] = college
        fields["source"] = source
    else:
        if college is not None:
            fields["college"] = college
        if source is not None:
            fields["source"] = source
    if original is not None:
        fields["original"] = int(original)
    if not fields:
        return True
    assignments = ", ".join(f"{name} = ?" for name in fields)
    cursor = await conn.execute(
        f"UPDATE drafts SET {assignments}, updated_at = ? WHERE id = ? AND state = 'intake'",
        (*fields.values(), at, draft_id),
    )
    return cursor.rowcount == 1


async def transition(
    conn: aiosqlite.Connection,
    draft_id: int,
    expected: DraftState | Iterable[DraftState],
    version: int,
    new_state: DraftState,
    at: str,
) -> bool:
    """Move a draft to ``new_state`` if it is still in ``expected`` at ``version``."""
    return await _guarded_update(conn, draft_id, expected, version, {"state": new_state.value}, at)


async def _guarded_update(
    conn: aiosqlite.Connection,
    draft_id: int,
    expected: DraftState | Iterable[DraftState],
    version: int,
    changes: Mapping[str, object],
    at: str,
) -> bool:
    """Apply ``changes`` in one UPDATE that only matches the expected state and version."""
    states = [expected] if isinstance(expected, DraftState) else list(expected)
    marks = ", ".join("?" for _ in states)
    assignments = "".join(f"{column} = ?, " for column in changes)
    cursor = await conn.execute(
        f"UPDATE drafts SET {assignments}updated_at = ?"
        f" WHERE id = ? AND version = ? AND state IN ({marks})",
        (*changes.values(), at, draft_id, version, *(s.value for s in states)),
    )
    return cursor.rowcount == 1


async def block(
    conn: aiosqlite.Connection,
    draft_id: int,
    expected: DraftState | Iterable[DraftState],
    version: int,
    resume_state: DraftState,
    at: str,
) -> bool:
    """Stop a draft that failed screening; it resumes at ``resume_state`` once fixed."""
    changes = {"state": DraftState.BLOCKED.value, "resume_state": resume_state.value}
    return await _guarded_update(conn, draft_id, expected, version, changes, at)


async def set_editor(
    conn: aiosqlite.Connection, draft_id: int, version: int, editor_id: int, at: str
) -> bool:
    """Let an editor claim a draft in editing that nobody has claimed yet."""
    cursor = await conn.execute(
        "UPDATE drafts SET editor_id = ?, updated_at = ?"
        " WHERE id = ? AND version = ? AND state = 'editing' AND editor_id IS NULL",
        (editor_id, at, draft_id, version),
    )
    return cursor.rowcount == 1


async def add_version(
    conn: aiosqlite.Connection,
    draft_id: int,
    expected: Iterable[DraftState],
    expected_version: int,
    new_state: DraftState,
    author_id: int,
    content: NewContent,
    at: str,
    resume_state: DraftState | None = None,
) -> int | None:
    """Add the next version and move the draft to ``new_state``; None if the draft moved on.

    ``resume_state`` is where a draft moved to ``blocked`` goes once a clean version comes.
    """
    states = list(expected)
    marks = ", ".join("?" for _ in states)
    number = expected_version + 1
    cursor = await conn.execute(
        f"UPDATE drafts SET version = ?, state = ?, resume_state = ?, updated_at = ?"
        f" WHERE id = ? AND version = ? AND state IN ({marks})",
        (
            number,
            new_state.value,
            resume_state.value if resume_state else None,
            at,
            draft_id,
            expected_version,
            *(s.value for s in states),
        ),
    )
    if cursor.rowcount != 1:
        return None
    await _insert_version(conn, draft_id, number, author_id, content, at)
    return number


async def record_decision(
    conn: aiosqlite.Connection,
    draft_id: int,
    version: int,
    tier: int,
    reviewer_id: int,
    approve: bool,
    at: str,
    criteria: Iterable[str] = (),
    reason: str = "",
) -> DraftState | None:
    """Record a tier's decision and move the draft on; None if another decision came first."""
    current = DraftState.review(tier)
    if approve:
        new_state = DraftState.review(tier + 1) if tier < 3 else DraftState.APPROVED
    else:
        new_state = DraftState.REJECTED
    # The decision row goes in first so the approved-state trigger can count it; the guarded
    # UPDATE then decides the race, and a loser's decision row is rolled back with it.
    row = await fetch_one(
        conn,
        "SELECT content_hash FROM versions v JOIN drafts d ON d.id = v.draft_id"
        " AND d.version = v.number WHERE d.id = ? AND d.version = ? AND d.state = ?",
        (draft_id, version, current.value),
    )
    if row is None:
        return None
    await conn.execute("SAVEPOINT decision")
    try:
        await conn.execute(
            "INSERT INTO decisions (draft_id, version, tier, content_hash, reviewer_id, outcome,"
            " criteria, reason, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draft_id,
                version,
                tier,
                row["content_hash"],
                reviewer_id,
                "approve" if approve else "reject",
                ",".join(criteria),
                reason,
                at,
            ),
        )
        moved = await transition(conn, draft_id, current, version, new_state, at)
    except aiosqlite.IntegrityError:
        moved = False
    if not moved:
        await conn.execute("ROLLBACK TO decision")
        await conn.execute("RELEASE decision")
        return None
    await conn.execute("RELEASE decision")
    return new_state


async def decisions(conn: aiosqlite.Connection, draft_id: int, version: int) -> list[Decision]:
    """The decisions on one version, by tier."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM decisions WHERE draft_id = ? AND version = ? ORDER BY tier",
        (draft_id, version),
    )
    return [
        Decision(
            id=row["id"],
            draft_id=row["draft_id"],
            version=row["version"],
            tier=row["tier"],
            content_hash=row["content_hash"],
            reviewer_id=row["reviewer_id"],
            outcome=row["outcome"],
            criteria=tuple(c for c in row["criteria"].split(",") if c),
            reason=row["reason"],
            decided_at=row["decided_at"],
        )
        for row in rows
    ]


async def begin_publication(
    conn: aiosqlite.Connection, draft_id: int, version: int, by: int | None, at: str
) -> bool:
    """Claim the right to post an approved draft; False if it is already being published.

    Raises PublicationRefused when the version lacks any tier's approval of its exact content.
    """
    row = await fetch_one(
        conn,
        "SELECT v.content_hash, d.state FROM drafts d JOIN versions v"
        " ON v.draft_id = d.id AND v.number = d.version WHERE d.id = ? AND d.version = ?",
        (draft_id, version),
    )
    if row is None:
        raise PublicationRefused(f"draft {draft_id} has no current version {version}")
    if row["state"] != DraftState.APPROVED.value:
        return False
    # The approvals are of the stored hash; the hash must still be of the stored content. The
    # schema refuses updates to a version, so this catches only a database edited by hand.
    stored = await get_version(conn, draft_id, version)
    if stored is None or content_hash(_content_of(stored)) != stored.content_hash:
        raise PublicationRefused(
            f"draft {draft_id} v{version}: the stored content does not match its approved hash"
        )
    count = await fetch_one(
        conn,
        "SELECT COUNT(DISTINCT tier) FROM decisions WHERE draft_id = ? AND version = ?"
        " AND content_hash = ? AND outcome = 'approve'",
        (draft_id, version, row["content_hash"]),
    )
    if count is None or count[0] < 3:
        raise PublicationRefused(f"draft {draft_id} v{version} lacks approvals of all tiers")
    try:
        await conn.execute(
            "INSERT INTO publications (draft_id, version, content_hash, published_by, started_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (draft_id, version, row["content_hash"], by, at),
        )
    except aiosqlite.IntegrityError as exc:
        if "three tiers" in str(exc):
            raise PublicationRefused(str(exc)) from exc
        return False
    return await transition(conn, draft_id, DraftState.APPROVED, version, DraftState.PUBLISHING, at)


async def finish_publication(
    conn: aiosqlite.Connection, draft_id: int, chat_id: int, message_id: int | None, at: str
) -> bool:
    """Record the channel message of a publication under way (None: an admin saw it appear,
    but which message it is was lost with a crash)."""
    draft = await get(conn, draft_id)
    if draft is None or draft.state is not DraftState.PUBLISHING:
        return False
    await conn.execute(
        "UPDATE publications SET chat_id = ?, message_id = ?, published_at = ? WHERE draft_id = ?",
        (chat_id, message_id, at, draft_id),
    )
    return await transition(
        conn, draft_id, DraftState.PUBLISHING, draft.version, DraftState.PUBLISHED, at
    )


async def publication(conn: aiosqlite.Connection, draft_id: int) -> Publication | None:
    """The draft's publication record, if publishing started."""
    row = await fetch_one(conn, "SELECT * FROM publications WHERE draft_id = ?", (draft_id,))
    if row is None:
        return None
    return Publication(
        draft_id=row["draft_id"],
        version=row["version"],
        content_hash=row["content_hash"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        published_by=row["published_by"],
        started_at=row["started_at"],
        published_at=row["published_at"],
    )


async def list_by_submitter(
    conn: aiosqlite.Connection, user_id: int, limit: int = 20
) -> list[Draft]:
    """A member's drafts, newest first."""
    rows = await conn.execute_fetchall(
        "SELECT * FROM drafts WHERE submitter_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
    )
    return [_draft(row) for row in rows]


async def list_in_states(
    conn: aiosqlite.Connection, states: Iterable[DraftState], limit: int = 50
) -> list[Draft]:
    """Drafts in any of ``states``, oldest first."""
    values = [s.value for s in states]
    marks = ", ".join("?" for _ in values)
    rows = await conn.execute_fetchall(
        f"SELECT * FROM drafts WHERE state IN ({marks}) ORDER BY updated_at, id LIMIT ?",
        (*values, limit),
    )
    return [_draft(row) for row in rows]


async def at_intake_of(conn: aiosqlite.Connection, submitter_id: int) -> Draft | None:
    """The submitter's newest draft still at intake (not yet confirmed), if any."""
    row = await fetch_one(
        conn,
        "SELECT * FROM drafts WHERE submitter_id = ? AND state = 'intake' ORDER BY id DESC LIMIT 1",
        (submitter_id,),
    )
    return _draft(row) if row else None
