"""A version's files (migration 15): every file in order, the hash over all of them, the old
single-file rows carried over with their approved hashes intact."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from storage import Database, drafts, users, version_files
from storage.db import _available_migrations
from storage.drafts import NewContent, content_hash
from storage.models import Attachment, DraftState


def _photo(n: int, group: str | None = None) -> Attachment:
    return Attachment(
        "photo", f"file-{n}", f"unique-{n}", size=n, sha256=f"{n:064x}", media_group_id=group
    )


def _old_hash(body: str, file: str | None, name: str | None) -> str:
    """The content hash as versions with one file were approved before migration 15."""
    canonical = json.dumps(
        {"body": body, "file": file, "file_name": name}, ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_the_hash_covers_every_file_in_order() -> None:
    three = NewContent(body="正文", files=(_photo(1), _photo(2), _photo(3)))
    hashes = {
        content_hash(three),
        content_hash(NewContent(body="正文", files=(_photo(1), _photo(2)))),
        content_hash(NewContent(body="正文", files=(_photo(1), _photo(3), _photo(2)))),
        content_hash(NewContent(body="正文", files=(_photo(1), _photo(2), _photo(4)))),
        content_hash(NewContent(body="正文。", files=three.files)),
    }
    assert len(hashes) == 5
    # Where the bytes sit in the store is the file; Telegram's ids are not (they may change).
    moved = Attachment("photo", "other-id", "unique-3", sha256=_photo(3).sha256)
    assert content_hash(NewContent(body="正文", files=(_photo(1), _photo(2), moved))) == (
        content_hash(three)
    )


def test_one_file_or_none_hashes_as_before_versions_had_several() -> None:
    doc = Attachment("document", "f", "u", name="通知.docx", sha256="ab" * 32)
    assert content_hash(NewContent(body="正文", files=(doc,))) == _old_hash(
        "正文", "ab" * 32, "通知.docx"
    )
    assert content_hash(NewContent(body="正文")) == _old_hash("正文", None, None)


async def test_files_are_stored_in_order_and_written_once(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        files = (_photo(3, "g1"), _photo(1, "g1"), _photo(2, "g1"))
        async with db.transaction() as tx:
            await users.upsert(tx, 1, "u1", None, db.now())
            await users.upsert(tx, 2, "u2", None, db.now())
            draft_id = await drafts.create(
                tx, db.now(), 1, 1, "标题", NewContent(body="正文", files=files)
            )
            other = await drafts.create(
                tx, db.now(), 2, 2, "别人的", NewContent(body="正文", files=(_photo(9, "g2"),))
            )
        async with db.reading() as conn:
            version = await drafts.get_version(conn, draft_id, 1)
            assert version is not None and version.files == files
            assert version.photos == files and version.documents == ()
            assert version.content_hash == content_hash(NewContent(body="正文", files=files))
            # The album finds its draft: only the submitter's, only while at intake.
            assert await version_files.album_at_intake(conn, 1, "g1") == draft_id
            assert await version_files.album_at_intake(conn, 1, "g2") is None
            assert await version_files.album_at_intake(conn, 2, "g1") is None
            assert await version_files.album_at_intake(conn, 2, "g2") == other
        async with db.transaction() as tx:
            await drafts.transition(tx, draft_id, DraftState.INTAKE, 1, DraftState.WITHDRAWN, "t")
        async with db.reading() as conn:
            assert await version_files.album_at_intake(conn, 1, "g1") is None
            # Still known as the album's draft, for the items that come after it.
            assert await version_files.album_holder(conn, 1, "g1") == draft_id
    finally:
        await db.close()
    with sqlite3.connect(tmp_path / "bot.sqlite3") as raw:
        for sql in (
            "UPDATE version_files SET file_sha256 = 'forged' WHERE draft_id = 1",
            "DELETE FROM version_files WHERE draft_id = 1",
            "INSERT INTO version_files (draft_id, number, position, file_kind, file_id,"
            " file_unique_id) VALUES (1, 1, 10, 'photo', 'x', 'y')",
        ):
            with pytest.raises(sqlite3.IntegrityError, match=r"immutable|CHECK"):
                raw.execute(sql)


async def test_migration_copies_the_single_file_of_older_versions(tmp_path: Path) -> None:
    path = tmp_path / "v14.sqlite3"
    approved = _old_hash("正文", "cd" * 32, "稿件.docx")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        for number, name, sql in _available_migrations()[:14]:
            conn.executescript(sql)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (number, name))
        conn.execute("INSERT INTO users VALUES (1, 'u', NULL, NULL, 'then')")
        for draft_id in (1, 2):
            conn.execute(
                "INSERT INTO drafts (id, submitter_id, title, state, origin_chat_id, created_at,"
                " updated_at) VALUES (?, 1, '标题', 'review_1', 1, 'then', 'then')",
                (draft_id,),
            )
        conn.execute(
            "INSERT INTO versions (draft_id, number, author_id, body, file_id, file_unique_id,"
            " file_name, file_kind, mime_type, file_size, file_sha256, content_hash, created_at)"
            " VALUES (1, 1, 1, '正文', 'fid', 'uid', '稿件.docx', 'document',"
            " 'application/msword', 42, ?, ?, 'then')",
            ("cd" * 32, approved),
        )
        conn.execute(
            "INSERT INTO versions (draft_id, number, author_id, body, content_hash, created_at)"
            " VALUES (2, 1, 1, '只有文字', ?, 'then')",
            (_old_hash("只有文字", None, None),),
        )
    db = await Database.open(path)
    try:
        async with db.reading() as conn:
            with_file = await drafts.get_version(conn, 1, 1)
            text_only = await drafts.get_version(conn, 2, 1)
        assert with_file is not None and text_only is not None
        assert with_file.files == (
            Attachment(
                "document",
                "fid",
                "uid",
                name="稿件.docx",
                mime_type="application/msword",
                size=42,
                sha256="cd" * 32,
            ),
        )
        assert text_only.files == ()
        # What the tiers approved before the upgrade still matches the stored content.
        for version in (with_file, text_only):
            assert content_hash(drafts._content_of(version)) == version.content_hash
    finally:
        await db.close()
