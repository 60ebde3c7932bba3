"""Guarantees held by the database: each bypass, tried with plain SQL on the database file
(a separate ``sqlite3`` connection, as anyone with the file would), is refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Database, drafts, users
from storage.drafts import NewContent, PublicationRefused
from storage.models import Attachment, DraftState

SUBMITTER, EDITOR, R1, R2, R3, OTHER = 1, 2, 3, 4, 5, 6


async def _approved_draft(db: Database, *, editor: bool = True) -> int:
    """A draft laid out by EDITOR and approved by R1, R2 and R3 in turn, through the code."""
    async with db.transaction() as tx:
        at = db.now()
        for uid in (SUBMITTER, EDITOR, R1, R2, R3, OTHER):
            await users.upsert(tx, uid, f"u{uid}", None, at)
        file = Attachment("document", "file-1", "unique-1", name="稿件.docx", sha256="ab" * 32)
        content = NewContent(body="正文", files=(file,))
        draft_id = await drafts.create(
            tx, at, SUBMITTER, SUBMITTER, "标题", content, DraftState.EDITING
        )
        if editor:
            assert await drafts.set_editor(tx, draft_id, 1, EDITOR, at)
        assert await drafts.transition(tx, draft_id, DraftState.EDITING, 1, DraftState.REVIEW_1, at)
        for tier, reviewer in ((1, R1), (2, R2), (3, R3)):
            assert await drafts.record_decision(tx, draft_id, 1, tier, reviewer, True, at)
    return draft_id


async def _draft_at_review(db: Database) -> tuple[int, str]:
    async with db.transaction() as tx:
        at = db.now()
        for uid in (SUBMITTER, EDITOR, R1, R2, R3, OTHER):
            await users.upsert(tx, uid, f"u{uid}", None, at)
        draft_id = await drafts.create(
            tx, at, SUBMITTER, SUBMITTER, "标题", NewContent(body="正文"), DraftState.REVIEW_1
        )
        version = await drafts.get_version(tx, draft_id, 1)
    assert version is not None
    return draft_id, version.content_hash


@pytest.fixture
def raw(db: Database, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A plain connection to the ``db`` fixture's file, autocommitting each statement."""
    conn = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    yield conn
    conn.close()


def _refused(conn: sqlite3.Connection, sql: str, params: tuple[object, ...], match: str) -> None:
    with pytest.raises(sqlite3.IntegrityError, match=match):
        conn.execute(sql, params)


# --- versions and their files -------------------------------------------------------------------


@pytest.mark.parametrize(
    "assignment",
    [
        "body = '改过的正文'",
        "note = '改过的说明'",
        "content_hash = 'forged'",
        "file_id = 'other-file'",
        "file_unique_id = 'other'",
        "file_name = '别的.docx'",
        "file_sha256 = 'cd'",
        "file_size = 1",
        "mime_type = 'text/plain'",
        "author_id = 6",
    ],
)
async def test_an_approved_version_cannot_be_changed(
    db: Database, raw: sqlite3.Connection, assignment: str
) -> None:
    draft_id = await _approved_draft(db)
    _refused(
        raw,
        f"UPDATE versions SET {assignment} WHERE draft_id = ? AND number = 1",
        (draft_id,),
        "immutable",
    )


async def test_a_version_cannot_be_deleted(db: Database, raw: sqlite3.Connection) -> None:
    draft_id = await _approved_draft(db)
    _refused(raw, "DELETE FROM versions WHERE draft_id = ?", (draft_id,), "immutable")


async def test_a_body_changed_behind_the_triggers_is_not_published(
    db: Database, raw: sqlite3.Connection
) -> None:
    # Even with the trigger dropped, the approvals are of a hash the new body does not have.
    draft_id = await _approved_draft(db)
    raw.execute("DROP TRIGGER versions_immutable_update")
    raw.execute("UPDATE versions SET body = '被篡改的正文' WHERE draft_id = ?", (draft_id,))
    async with db.transaction() as tx:
        with pytest.raises(PublicationRefused, match="does not match its approved hash"):
            await drafts.begin_publication(tx, draft_id, 1, None, db.now())
    async with db.reading() as conn:
        assert await drafts.publication(conn, draft_id) is None


async def test_the_untouched_version_is_published(db: Database) -> None:
    draft_id = await _approved_draft(db)
    async with db.transaction() as tx:
        assert await drafts.begin_publication(tx, draft_id, 1, None, db.now())
        assert await drafts.finish_publication(tx, draft_id, -100, 7, db.now())


# --- decisions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "assignment",
    ["reviewer_id = 6", "outcome = 'reject'", "content_hash = 'x'", "tier = 1", "version = 2"],
)
async def test_a_decision_cannot_be_changed(
    db: Database, raw: sqlite3.Connection, assignment: str
) -> None:
    draft_id = await _approved_draft(db)
    _refused(
        raw,
        f"UPDATE decisions SET {assignment} WHERE draft_id = ? AND tier = 3",
        (draft_id,),
        "immutable",
    )
    _refused(raw, "DELETE FROM decisions WHERE draft_id = ?", (draft_id,), "immutable")


_DECIDE = (
    "INSERT INTO decisions (draft_id, version, tier, content_hash, reviewer_id, outcome,"
    " decided_at) VALUES (?, 1, ?, ?, ?, 'approve', 'now')"
)


@pytest.mark.parametrize("reviewer", [SUBMITTER, EDITOR])
async def test_the_submitter_or_layout_editor_cannot_be_a_reviewer(
    db: Database, raw: sqlite3.Connection, reviewer: int
) -> None:
    draft_id, content_hash = await _draft_at_review(db)
    raw.execute("UPDATE drafts SET editor_id = ? WHERE id = ?", (EDITOR, draft_id))
    _refused(raw, _DECIDE, (draft_id, 1, content_hash, reviewer), "submitted or laid out")


async def test_one_person_cannot_decide_two_tiers_of_a_version(
    db: Database, raw: sqlite3.Connection
) -> None:
    draft_id, content_hash = await _draft_at_review(db)
    raw.execute(_DECIDE, (draft_id, 1, content_hash, R1))
    _refused(raw, _DECIDE, (draft_id, 2, content_hash, R1), "two tiers")
    _refused(raw, _DECIDE, (draft_id, 3, content_hash, R1), "two tiers")
    raw.execute(_DECIDE, (draft_id, 2, content_hash, R2))
    raw.execute(_DECIDE, (draft_id, 3, content_hash, R3))


async def test_the_submitter_and_editor_of_a_draft_are_fixed(
    db: Database, raw: sqlite3.Connection
) -> None:
    draft_id = await _approved_draft(db)
    _refused(raw, "UPDATE drafts SET submitter_id = ? WHERE id = ?", (R1, draft_id), "submitter")
    _refused(raw, "UPDATE drafts SET editor_id = ? WHERE id = ?", (OTHER, draft_id), "set once")
    _refused(raw, "UPDATE drafts SET editor_id = NULL WHERE id = ?", (draft_id,), "set once")


# --- publications -------------------------------------------------------------------------------

_PUBLISH = (
    "INSERT INTO publications (draft_id, version, content_hash, started_at) VALUES (?, ?, ?, 'now')"
)


async def test_an_unreviewed_version_cannot_be_published(
    db: Database, raw: sqlite3.Connection
) -> None:
    draft_id, content_hash = await _draft_at_review(db)
    _refused(raw, _PUBLISH, (draft_id, 1, content_hash), "three tiers")


async def test_approvals_by_the_submitter_do_not_publish(
    db: Database, raw: sqlite3.Connection
) -> None:
    # Even with the decision triggers dropped, the publication needs three other people.
    draft_id, content_hash = await _draft_at_review(db)
    raw.execute("DROP TRIGGER decisions_not_by_author")
    raw.execute("DROP TRIGGER decisions_one_tier_per_person")
    for tier, reviewer in ((1, SUBMITTER), (2, R2), (3, R3)):
        raw.execute(_DECIDE, (draft_id, tier, content_hash, reviewer))
    _refused(raw, _PUBLISH, (draft_id, 1, content_hash), "three reviewers")


async def test_approvals_by_one_person_at_three_tiers_do_not_publish(
    db: Database, raw: sqlite3.Connection
) -> None:
    draft_id, content_hash = await _draft_at_review(db)
    raw.execute("DROP TRIGGER decisions_one_tier_per_person")
    for tier in (1, 2, 3):
        raw.execute(_DECIDE, (draft_id, tier, content_hash, R1))
    _refused(raw, _PUBLISH, (draft_id, 1, content_hash), "three reviewers")


async def test_a_publication_cannot_be_repointed_rewritten_or_deleted(
    db: Database, raw: sqlite3.Connection
) -> None:
    draft_id = await _approved_draft(db)
    async with db.transaction() as tx:
        assert await drafts.begin_publication(tx, draft_id, 1, None, db.now())
    # A second, unreviewed version (inserting one is how every revision starts).
    raw.execute(
        "INSERT INTO versions (draft_id, number, author_id, body, content_hash, created_at)"
        " VALUES (?, 2, ?, '未审核的正文', 'unreviewed', 'now')",
        (draft_id, SUBMITTER),
    )
    for assignment in ("version = 2", "content_hash = 'unreviewed'", "draft_id = 999"):
        _refused(
            raw,
            f"UPDATE publications SET {assignment} WHERE draft_id = ?",
            (draft_id,),
            "repointed",
        )
    _refused(raw, "DELETE FROM publications WHERE draft_id = ?", (draft_id,), "deleted")
    # Publishing fills in the channel message, once.
    async with db.transaction() as tx:
        assert await drafts.finish_publication(tx, draft_id, -100, 7, db.now())
    _refused(
        raw, "UPDATE publications SET message_id = 8 WHERE draft_id = ?", (draft_id,), "rewritten"
    )


async def test_a_publication_must_be_of_the_current_version(
    db: Database, raw: sqlite3.Connection
) -> None:
    draft_id = await _approved_draft(db)
    row = raw.execute(
        "SELECT content_hash FROM versions WHERE draft_id = ? AND number = 1", (draft_id,)
    ).fetchone()
    raw.execute(
        "INSERT INTO versions (draft_id, number, author_id, body, content_hash, created_at)"
        " VALUES (?, 2, ?, '新版本', 'v2', 'now')",
        (draft_id, SUBMITTER),
    )
    raw.execute("UPDATE drafts SET version = 2, state = 'review_1' WHERE id = ?", (draft_id,))
    _refused(raw, _PUBLISH, (draft_id, 1, row[0]), "three tiers")


async def test_an_approved_version_gains_no_file_and_loses_none(
    db: Database, raw: sqlite3.Connection
) -> None:
    draft_id = await _approved_draft(db)
    _refused(
        raw,
        "INSERT INTO version_files (draft_id, number, position, file_kind, file_id,"
        " file_unique_id) VALUES (?, 1, 1, 'photo', 'extra', 'extra')",
        (draft_id,),
        "immutable",
    )
    _refused(raw, "DELETE FROM version_files WHERE draft_id = ?", (draft_id,), "immutable")
    # Even with the triggers dropped, a file added behind them is not what the tiers approved.
    raw.execute("DROP TRIGGER version_files_fixed_once_decided")
    raw.execute(
        "INSERT INTO version_files (draft_id, number, position, file_kind, file_id,"
        " file_unique_id) VALUES (?, 1, 1, 'photo', 'extra', 'extra')",
        (draft_id,),
    )
    async with db.transaction() as tx:
        with pytest.raises(PublicationRefused, match="does not match its approved hash"):
            await drafts.begin_publication(tx, draft_id, 1, None, db.now())
