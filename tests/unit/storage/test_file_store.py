"""The file store keeps approved bytes by hash, survives a restart, and refuses damaged files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from storage.files import (
    FileStore,
    HashedFile,
    StoredFileCorrupt,
    StoredFileMissing,
    sha256_hex,
    version_content_hash,
)

DOCX_LIKE = b"PK\x03\x04" + "学生会迎新晚会通知".encode() * 200


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_put_returns_the_sha256_and_get_returns_the_bytes(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    digest = store.put(DOCX_LIKE)
    assert digest == sha256_hex(DOCX_LIKE)
    assert store.get(digest) == DOCX_LIKE
    assert store.path(digest) == tmp_path / "files" / digest[:2] / digest
    assert store.has(digest)


def test_files_are_private_to_the_bot(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # a typical umask would make new folders world-readable
    try:
        store = FileStore(tmp_path / "files")
        digest = store.put(DOCX_LIKE)
    finally:
        os.umask(old_umask)
    assert _mode(store.path(digest)) == 0o600
    assert _mode(store.path(digest).parent) == 0o700
    assert _mode(store.root) == 0o700


def test_the_store_survives_a_restart(tmp_path: Path) -> None:
    first = FileStore.beside(tmp_path / "bot.sqlite3")
    digests = [first.put(DOCX_LIKE), first.put(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))]
    del first
    reopened = FileStore.beside(tmp_path / "bot.sqlite3")
    assert reopened.root == tmp_path / "files"
    assert reopened.get(digests[0]) == DOCX_LIKE
    assert reopened.get(digests[1]).startswith(b"\x89PNG")
    # Storing the same bytes again neither fails nor duplicates them.
    assert reopened.put(DOCX_LIKE) == digests[0]
    assert sorted(p.name for p in reopened.path(digests[0]).parent.iterdir()) == [digests[0]]


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    for n in range(5):
        store.put(bytes([n]) * 1000)
    leftovers = [p for p in store.root.rglob("*") if p.is_file() and p.name.startswith(".tmp-")]
    assert leftovers == []


def test_a_damaged_file_is_reported_not_returned(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    digest = store.put(DOCX_LIKE)
    damaged = bytearray(DOCX_LIKE)
    damaged[100] ^= 0x01
    store.path(digest).write_bytes(bytes(damaged))
    with pytest.raises(StoredFileCorrupt) as caught:
        store.get(digest)
    assert caught.value.digest == digest
    # Putting the right bytes again repairs it.
    assert store.put(DOCX_LIKE) == digest
    assert store.get(digest) == DOCX_LIKE


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    absent = sha256_hex(b"never stored")
    assert not store.has(absent)
    with pytest.raises(StoredFileMissing):
        store.get(absent)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABCDEF" * 10 + "abcd", "", "a" * 63])
def test_only_real_digests_become_paths(tmp_path: Path, bad: str) -> None:
    store = FileStore(tmp_path / "files")
    with pytest.raises(ValueError):
        store.path(bad)


async def test_async_put_and_get(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    digest = await store.put_async(DOCX_LIKE)
    assert await store.get_async(digest) == DOCX_LIKE


def test_content_hash_changes_when_one_byte_of_a_file_changes(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    changed = bytearray(DOCX_LIKE)
    changed[-1] ^= 0xFF
    original = HashedFile("通知.docx", store.put(DOCX_LIKE))
    edited = HashedFile("通知.docx", store.put(bytes(changed)))
    body = "请各部门于周五前提交名单。"
    assert version_content_hash(body, [original]) != version_content_hash(body, [edited])


def test_content_hash_covers_text_names_and_order() -> None:
    a = HashedFile("a.png", sha256_hex(b"a"))
    b = HashedFile("b.png", sha256_hex(b"b"))
    base = version_content_hash("正文", [a, b])
    assert version_content_hash("正文", [a, b]) == base  # deterministic
    assert version_content_hash("正文。", [a, b]) != base
    assert version_content_hash("正文", [b, a]) != base
    assert version_content_hash("正文", [a]) != base
    assert version_content_hash("正文", [HashedFile("c.png", a.sha256), b]) != base
    assert version_content_hash("正文", []) != version_content_hash("正文", [a])


def test_content_hash_refuses_a_file_that_is_not_a_digest() -> None:
    with pytest.raises(ValueError):
        version_content_hash("正文", [HashedFile("x.docx", "AgACAgUAAxkBAAIB")])
