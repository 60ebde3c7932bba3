"""The storage layer: migrations, guarded decisions, the publication guard, the audit trail."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import aiosqlite
import pytest

from storage import Database, audit, drafts, users
from storage.db import MigrationError, _available_migrations, last_stored_day, stored_day_end
from storage.drafts import NewContent, PublicationRefused
from storage.models import Attachment, DraftState, Role


async def _draft_at_review(db: Database, body: str = "正文") -> int:
    async with db.transaction() as tx:
        at = db.now()
        for uid in (1, 2, 3, 4):
            await users.upsert(tx, uid, f"u{uid}", None, at)
        draft_id = await drafts.create(tx, at, 1, 1, "标题", NewContent(body=body))
        await drafts.transition(tx, draft_id, DraftState.INTAKE, 1, DraftState.REVIEW_1, at)
    return draft_id


async def test_open_sets_wal_foreign_keys_and_schema_version(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.sqlite3")
    try:
        async with db.reading() as conn:
            mode = await (await conn.execute("PRAGMA journal_mode")).fetchone()
            fks = await (await conn.execute("PRAGMA foreign_keys")).fetchone()
        assert mode is not None and mode[0] == "wal"
        assert fks is not None and fks[0] == 1
        assert await db.schema_version() == len(_available_migrations())
    finally:
        await db.close()


async def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    first = await Database.open(path)
    await first.close()
    second = await Database.open(path)
    try:
        async with second.reading() as conn:
            rows = await (await conn.execute("SELECT COUNT(*) FROM schema_migrations")).fetchone()
        assert rows is not None and rows[0] == len(_available_migrations())
    finally:
        await second.close()


async def test_an_older_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        number, name, sql = _available_migrations()[0]
        conn.executescript(sql)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (number, name))
        conn.execute("INSERT INTO users VALUES (1, 'u', NULL, NULL, 'then')")
    db = await Database.open(path)
    try:
        assert await db.schema_version() == len(_available_migrations())
        async with db.reading() as conn:
            kept = await (await conn.execute("SELECT name FROM users")).fetchall()
        assert [tuple(r) for r in kept] == [("u",)]
    finally:
        await db.close()


async def test_database_newer_than_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    db = await Database.open(path)
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'x', 'now')"
        )
    await db.close()
    with pytest.raises(MigrationError, match="newer"):
        await Database.open(path)


async def test_only_one_of_two_concurrent_decisions_lands(db: Database) -> None:
    draft_id = await _draft_at_review(db)

    async def decide(reviewer: int, approve: bool) -> DraftState | None:
        async with db.transaction() as tx:
            return await drafts.record_decision(tx, draft_id, 1, 1, reviewer, approve, db.now())

    results = await asyncio.gather(decide(2, True), decide(3, False))
    assert sorted(r is not None for r in results) == [False, True]
    async with db.reading() as conn:
        decided = await drafts.decisions(conn, draft_id, 1)
    assert len(decided) == 1


async def test_a_stale_version_cannot_be_decided(db: Database) -> None:
    draft_id = await _draft_at_review(db)
    async with db.transaction() as tx:
        assert await drafts.record_decision(tx, draft_id, 2, 1, 2, True, db.now()) is None


async def test_publication_requires_three_approvals_of_this_version(db: Database) -> None:
    draft_id = await _draft_at_review(db)
    async with db.transaction() as tx:
        for tier, reviewer in ((1, 2), (2, 3)):
            await drafts.record_decision(tx, draft_id, 1, tier, reviewer, True, db.now())
    # Forcing the state to approved with two approvals is refused by the schema itself.
    with pytest.raises(aiosqlite.IntegrityError, match="three tiers"):
        async with db.transaction() as tx:
            await tx.execute("UPDATE drafts SET state = 'approved' WHERE id = ?", (draft_id,))
    # So is a raw publication row, whatever code path writes it.
    with pytest.raises(aiosqlite.IntegrityError, match="three tiers"):
        async with db.transaction() as tx:
            row = await (
                await tx.execute(
                    "SELECT content_hash FROM versions WHERE draft_id = ?", (draft_id,)
                )
            ).fetchone()
            assert row is not None
            await tx.execute(
                "INSERT INTO publications (draft_id, version, content_hash, started_at)"
                " VALUES (?, 1, ?, 'now')",
                (draft_id, row[0]),
            )
    async with db.transaction() as tx:
        assert await drafts.record_decision(tx, draft_id, 1, 3, 4, True, db.now()) is (
            DraftState.APPROVED
        )
        assert await drafts.begin_publication(tx, draft_id, 1, None, db.now())
        assert await drafts.finish_publication(tx, draft_id, -100, 7, db.now())
    async with db.reading() as conn:
        found = await drafts.get(conn, draft_id)
        pub = await drafts.publication(conn, draft_id)
    assert found is not None and found.state is DraftState.PUBLISHED
    assert pub is not None and pub.message_id == 7


async def test_approvals_of_an_old_version_do_not_publish_a_new_one(db: Database) -> None:
    draft_id = await _draft_at_review(db)
    async with db.transaction() as tx:
        await drafts.record_decision(tx, draft_id, 1, 1, 2, True, db.now())
        await drafts.record_decision(tx, draft_id, 1, 2, 3, False, db.now(), ["1"], "不准确")
        number = await drafts.add_version(
            tx,
            draft_id,
            [DraftState.REJECTED],
            1,
            DraftState.REVIEW_1,
            1,
            NewContent(body="改过的正文"),
            db.now(),
        )
    assert number == 2
    async with db.transaction() as tx:
        # Pretend an approved state was reached; the publication guard still checks version 2.
        await tx.execute("DROP TRIGGER drafts_approved_needs_three_approvals")
        await tx.execute("UPDATE drafts SET state = 'approved' WHERE id = ?", (draft_id,))
        with pytest.raises(PublicationRefused):
            await drafts.begin_publication(tx, draft_id, 2, None, db.now())


async def test_a_decision_must_carry_the_versions_hash(db: Database) -> None:
    draft_id = await _draft_at_review(db)
    with pytest.raises(aiosqlite.IntegrityError, match="content hash"):
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO decisions (draft_id, version, tier, content_hash, reviewer_id,"
                " outcome, decided_at) VALUES (?, 1, 1, 'forged', 2, 'approve', 'now')",
                (draft_id,),
            )


async def test_the_audit_trail_is_append_only(db: Database) -> None:
    async with db.transaction() as tx:
        event = await audit.append(tx, db.now(), None, "test.event", None, None, {"a": 1})
    for statement in (
        "UPDATE audit SET action = 'x' WHERE id = ?",
        "DELETE FROM audit WHERE id = ?",
    ):
        with pytest.raises(aiosqlite.IntegrityError, match="append-only"):
            async with db.transaction() as tx:
                await tx.execute(statement, (event,))


async def test_the_same_message_becomes_one_draft_only(db: Database) -> None:
    content = NewContent(body="正文", source_chat_id=5, source_msg_id=9)
    async with db.transaction() as tx:
        await users.upsert(tx, 1, "u", None, db.now())
        first = await drafts.create(tx, db.now(), 1, 5, "t", content)
        assert await drafts.by_source(tx, 5, 9) == first
    with pytest.raises(aiosqlite.IntegrityError):
        async with db.transaction() as tx:
            await drafts.create(tx, db.now(), 1, 5, "t", content)


async def test_roles_grant_revoke_and_lookup(db: Database) -> None:
    async with db.transaction() as tx:
        await users.upsert(tx, 7, "七", "Seven", db.now())
        assert await users.grant(tx, 7, [Role.EDITOR, Role.OFFICER], None, db.now()) == [
            Role.EDITOR,
            Role.OFFICER,
        ]
        assert await users.grant(tx, 7, [Role.EDITOR], None, db.now()) == []
        found = await users.find_by_username(tx, "@seven")
        assert found is not None and found.user_id == 7
        assert await users.revoke(tx, 7, Role.EDITOR)
        assert not await users.revoke(tx, 7, Role.EDITOR)
        assert await users.roles_of(tx, 7) == {Role.OFFICER}


def test_content_hash_changes_with_text_and_file() -> None:
    base = NewContent(body="a")
    assert drafts.content_hash(base) == drafts.content_hash(NewContent(body="a"))
    assert drafts.content_hash(base) != drafts.content_hash(NewContent(body="b"))
    file = Attachment("photo", "f", "u", sha256="x")
    assert drafts.content_hash(base) != drafts.content_hash(NewContent(body="a", files=(file,)))


async def test_roles_granted_before_volunteers_existed_survive_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "v4.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        conn.execute("PRAGMA foreign_keys=ON")
        for number, name, sql in _available_migrations()[:4]:
            conn.executescript(sql)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (number, name))
        conn.execute("INSERT INTO users VALUES (1, 'u', NULL, NULL, 'then')")
        conn.execute("INSERT INTO member_roles VALUES (1, 'reviewer2', NULL, 'then')")
    db = await Database.open(path)
    try:
        async with db.transaction() as tx:
            assert await users.roles_of(tx, 1) == {Role.REVIEWER2}
            assert await users.grant(tx, 1, [Role.VOLUNTEER], None, db.now(), "2999-01-01")
            assert await users.roles_of(tx, 1) == {Role.REVIEWER2, Role.VOLUNTEER}
            # The schema still refuses a role nobody defined.
            with pytest.raises(sqlite3.IntegrityError):
                await tx.execute("INSERT INTO member_roles VALUES (1, 'king', NULL, 'x', NULL)")
    finally:
        await db.close()


async def test_a_volunteer_role_ends_by_the_databases_clock(tmp_path: Path) -> None:
    moments = [datetime(2026, 12, 31, 15, 59, tzinfo=UTC)]
    db = await Database.open(tmp_path / "bot.sqlite3", clock=lambda: moments[0])
    shanghai = ZoneInfo("Asia/Shanghai")
    try:
        async with db.transaction() as tx:
            await users.upsert(tx, 9, "志愿者", None, db.now())
            ends = stored_day_end(date(2026, 12, 31), shanghai)
            assert await users.grant(tx, 9, [Role.VOLUNTEER], None, db.now(), ends)
            # Renewing with the same end changes nothing; another end is a change.
            assert not await users.grant(tx, 9, [Role.VOLUNTEER], None, db.now(), ends)
            assert await users.roles_of(tx, 9) == {Role.VOLUNTEER}
            assert [u.user_id for u in await users.holders(tx, Role.VOLUNTEER)] == [9]
        # 2026-12-31 23:59 in Shanghai is still the last day; midnight ends it.
        moments[0] = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
        async with db.reading() as conn:
            assert await users.roles_of(conn, 9) == frozenset()
            assert await users.holders(conn, Role.VOLUNTEER) == []
            ended = await users.role_end(conn, 9, Role.VOLUNTEER)
        assert ended is not None and last_stored_day(ended, shanghai) == date(2026, 12, 31)
    finally:
        await db.close()


async def test_a_roles_messages_go_to_its_chat_or_else_to_each_holder(db: Database) -> None:
    async with db.transaction() as tx:
        for user_id in (1, 2, 3):
            await users.upsert(tx, user_id, f"u{user_id}", None, db.now())
            await users.grant(tx, user_id, [Role.REVIEWER2], None, db.now())
        assert await users.chat_or_holders(tx, -100, Role.REVIEWER2, (1,)) == [-100]
        assert await users.chat_or_holders(tx, None, Role.REVIEWER2, (2, None)) == [1, 3]
        assert await users.chat_or_holders(tx, None, Role.REVIEWER3) == []
