"""The approved bytes in the union's store, the version's hash over them, backups of the store,
the publication record's guard in the schema, the 定稿's text never cut, and WeChat config."""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import aiosqlite
import pytest

from bot.config import ConfigError, parse_config
from bot.ops.check import check_wechat
from bot.publication.drafting import plain_cover
from bot.publication.render import final_text_parts
from bot.publication.service import platform_of
from bot.publication.wechat import sniff_image_kind
from storage import Database, drafts, publications, users
from storage.backup import backup, restore
from storage.drafts import NewContent
from storage.files import FileStore, sha256_hex
from storage.models import Attachment, DraftState
from tests.conftest import config_data
from tests.fixtures_docs import make_docx

DOCX = make_docx(["关于举办第十届校园歌手大赛的通知", "各学院团委："])


async def _version(db: Database, data: bytes, store: FileStore) -> tuple[int, str]:
    """A draft whose version keeps ``data`` in the store; its id and content hash."""
    digest = store.put(data)
    async with db.transaction() as tx:
        for uid in (1, 2, 11, 12, 13):
            await users.upsert(tx, uid, f"u{uid}", None, db.now())
        draft_id = await drafts.create(
            tx,
            db.now(),
            1,
            1,
            "通知",
            NewContent(
                body="正文",
                files=(Attachment("document", "f", "u", name="通知.docx", sha256=digest),),
            ),
        )
        version = await drafts.get_version(tx, draft_id, 1)
    assert version is not None and version.files[0].sha256 == digest
    return draft_id, version.content_hash


async def test_the_store_survives_a_restart_and_one_byte_changes_the_hash(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    db = await Database.open(path)
    store = FileStore.beside(path)
    _, first = await _version(db, DOCX, store)
    changed = bytearray(DOCX)
    changed[len(changed) // 2] ^= 0x01
    _, second = await _version(db, bytes(changed), store)
    assert first != second
    await db.close()

    # After a restart: the same store, the same bytes under the digest the version recorded.
    reopened = await Database.open(path)
    async with reopened.reading() as conn:
        version = await drafts.get_version(conn, 1, 1)
    assert version is not None and version.files[0].sha256 is not None
    assert FileStore.beside(path).get(version.files[0].sha256) == DOCX
    assert drafts.content_hash(drafts._content_of(version)) == version.content_hash
    await reopened.close()


async def test_backups_carry_the_store_and_a_restore_brings_it_back(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    db = await Database.open(path)
    await _version(db, DOCX, FileStore.beside(path))
    await db.close()
    folder = tmp_path / "backups"
    first = await backup(path, folder, keep=3, now=datetime(2026, 12, 1, tzinfo=UTC))
    again = await backup(path, folder, keep=3, now=datetime(2026, 12, 2, tzinfo=UTC))
    assert (first.files_copied, again.files_copied) == (1, 0)
    assert FileStore(folder / "files").get(sha256_hex(DOCX)) == DOCX

    # A new machine: the database and its files come back from the backup folder.
    target = tmp_path / "new" / "bot.sqlite3"
    await restore(first.path, target, datetime(2026, 12, 3, tzinfo=UTC))
    assert FileStore.beside(target).get(sha256_hex(DOCX)) == DOCX


async def test_a_link_is_recorded_only_for_the_version_three_tiers_approved(
    db: Database, tmp_path: Path
) -> None:
    _, digest = await _version(db, DOCX, FileStore(tmp_path / "files"))
    async with db.transaction() as tx:
        at = db.now()
        await drafts.transition(tx, 1, DraftState.INTAKE, 1, DraftState.REVIEW_1, at)
        await drafts.record_decision(tx, 1, 1, 1, 11, True, at)
        await drafts.record_decision(tx, 1, 1, 2, 12, True, at)
    args = (1, 1, digest, "weibo", "", "https://weibo.com/1", 2, db.now(), "none")
    with pytest.raises(aiosqlite.IntegrityError, match="three tiers"):
        async with db.transaction() as tx:
            await publications.add_link(tx, *args)
    async with db.transaction() as tx:
        await drafts.record_decision(tx, 1, 1, 3, 13, True, db.now())
    async with db.transaction() as tx:
        link_id = await publications.add_link(tx, *args)
    with pytest.raises(publications.LinkExists):
        async with db.transaction() as tx:
            await publications.add_link(tx, *args)
    with pytest.raises(aiosqlite.IntegrityError, match="repointed"):
        async with db.transaction() as tx:
            await tx.execute("UPDATE publication_links SET url = 'x' WHERE id = ?", (link_id,))


def test_the_final_copy_never_cuts_the_text() -> None:
    body = "\n".join(f"第{n}段：A&B <说明> " + "字" * 900 for n in range(12))
    parts = final_text_parts(body)
    assert len(parts) > 2
    texts_only = [unescape(p.split("\n", 1)[1]) for p in parts]
    assert "".join("".join(t.split()) for t in texts_only) == "".join(body.split())
    assert all(len(p) <= 4096 for p in parts)


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://mp.weixin.qq.com/s/abc", "wechat"),
        ("https://weibo.com/123/abc", "weibo"),
        ("https://m.weibo.cn/status/1", "weibo"),
        ("https://v.douyin.com/xyz/", "douyin"),
        ("https://www.bilibili.com/video/BV1", None),
        ("https://evil-weibo.com/1", None),
    ],
)
def test_platforms_by_host(url: str, platform: str | None) -> None:
    assert platform_of(url) == platform


def test_the_plain_cover_is_a_png_wechat_takes() -> None:
    assert sniff_image_kind(plain_cover()) == "png"


def test_wechat_config_is_checked() -> None:
    parsed = parse_config({**config_data(), "wechat": {"app_id": "wx5e1f0a6b2c3d4e5f"}})
    assert parsed.wechat.app_id == "wx5e1f0a6b2c3d4e5f"
    assert parsed.wechat.article_url == "https://mp.weixin.qq.com"
    assert parse_config(config_data()).wechat.app_id is None
    with pytest.raises(ConfigError, match=r"wechat\.api_url"):
        parse_config({**config_data(), "wechat": {"api_url": "ftp://x"}})
    with pytest.raises(ConfigError, match="app_secret"):
        parse_config({**config_data(), "wechat": {"app_secret": "s"}})


def test_the_checklist_names_a_missing_wechat_secret() -> None:
    configured = parse_config({**config_data(), "wechat": {"app_id": "wx5e1f0a6b2c3d4e5f"}})
    assert check_wechat(parse_config(config_data()), {}) is None
    missing = check_wechat(configured, {"WECHAT_APP_SECRET": " "})
    assert missing is not None and missing.ok is False and "WECHAT_APP_SECRET" in missing.fix
    present = check_wechat(configured, {"WECHAT_APP_SECRET": "0123456789abcdef"})
    assert present is not None and present.ok is True
