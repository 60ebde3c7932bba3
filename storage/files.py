"""The union's file store: approved bytes kept by their SHA-256, beside the database.

Files live at ``<root>/<first two hex digits>/<full hex digest>``. A write goes to a temporary
file in the same folder, is flushed to disk and renamed into place, so a crash leaves either the
whole file or none of it. Files are readable by the bot's user only (0600, folders 0700): drafts
are unpublished material. Every read checks the digest, so a file damaged on disk is reported,
never handed to reviewers or published as if it were the approved one.

``version_content_hash`` is what reviewers approve once versions keep their files here: the
text and the digest of every file, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "FileStore",
    "FileStoreError",
    "HashedFile",
    "StoredFileCorrupt",
    "StoredFileMissing",
    "sha256_hex",
    "version_content_hash",
]

logger = logging.getLogger(__name__)

_DIGEST = re.compile(r"[0-9a-f]{64}")
_FILE_MODE = 0o600
_DIR_MODE = 0o700
# Bumped if the canonical form below ever changes, so two schemes never yield comparable hashes.
_HASH_SCHEME = 2


class FileStoreError(Exception):
    """A stored file cannot be returned as it was put."""

    def __init__(self, digest: str, message: str) -> None:
        super().__init__(message)
        self.digest = digest


class StoredFileMissing(FileStoreError):
    """No file with this digest is in the store."""


class StoredFileCorrupt(FileStoreError):
    """The file on disk no longer has the digest it is stored under."""


def sha256_hex(data: bytes) -> str:
    """The lowercase hex SHA-256 of ``data``: the address of those bytes in the store."""
    return hashlib.sha256(data).hexdigest()


def _check_digest(digest: str) -> str:
    # The digest becomes a path: anything but 64 lowercase hex digits could escape the store.
    if not _DIGEST.fullmatch(digest):
        raise ValueError(f"not a SHA-256 hex digest: {digest!r}")
    return digest


class FileStore:
    """Content-addressed files under one folder; safe to reopen on the same folder."""

    def __init__(self, root: str | Path) -> None:
        self._root = Path(root)
        self._ensure_dir(self._root)

    @classmethod
    def beside(cls, database_path: str | Path) -> FileStore:
        """The store kept next to a database file: ``<database folder>/files``."""
        return cls(Path(database_path).resolve().parent / "files")

    @property
    def root(self) -> Path:
        """The folder holding the store (include it in backups with the database)."""
        return self._root

    def path(self, digest: str) -> Path:
        """Where the file with ``digest`` lives (whether or not it is stored yet)."""
        digest = _check_digest(digest)
        return self._root / digest[:2] / digest

    def has(self, digest: str) -> bool:
        """Whether a file with ``digest`` is stored (its content is not verified here)."""
        return self.path(digest).is_file()

    def put(self, data: bytes) -> str:
        """Store ``data`` and return its digest; storing the same bytes again is a no-op."""
        digest = sha256_hex(data)
        target = self.path(digest)
        if target.is_file():
            try:
                self.get(digest)
                return digest
            except StoredFileCorrupt:
                logger.warning("replacing damaged stored file %s", digest)
        self._ensure_dir(target.parent)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        tmp = Path(tmp_name)
        try:
            os.fchmod(fd, _FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        self._fsync_dir(target.parent)
        return digest

    def get(self, digest: str) -> bytes:
        """The stored bytes with ``digest``, checked against it."""
        target = self.path(digest)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            raise StoredFileMissing(digest, f"no stored file {digest}") from None
        actual = sha256_hex(data)
        if actual != digest:
            raise StoredFileCorrupt(digest, f"stored file {digest} now hashes to {actual}")
        return data

    async def put_async(self, data: bytes) -> str:
        """``put`` off the event loop (large files would otherwise stall the bot)."""
        return await asyncio.to_thread(self.put, data)

    async def get_async(self, digest: str) -> bytes:
        """``get`` off the event loop."""
        return await asyncio.to_thread(self.get, digest)

    @staticmethod
    def _ensure_dir(folder: Path) -> None:
        folder.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask and ignored for folders that already exist.
        if folder.stat().st_mode & 0o777 != _DIR_MODE:
            folder.chmod(_DIR_MODE)

    @staticmethod
    def _fsync_dir(folder: Path) -> None:
        # The rename is durable only once the folder's entry is on disk too.
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass(frozen=True, slots=True)
class HashedFile:
    """A file of a version as the content hash sees it: its name and its bytes' digest."""

    name: str
    sha256: str


def version_content_hash(body: str, files: Sequence[HashedFile]) -> str:
    """What reviewers approve: the text and every file's bytes (by digest), in order.

    Like ``storage.drafts.content_hash`` it hashes a canonical JSON form, but it covers any
    number of files and only ever their bytes' digests, never Telegram's ids for them; changing
    one byte of one file, its name, the order of the files or the text changes the hash.
    """
    canonical = json.dumps(
        {
            "scheme": _HASH_SCHEME,
            "body": body,
            "files": [{"name": f.name, "sha256": _check_digest(f.sha256)} for f in files],
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
