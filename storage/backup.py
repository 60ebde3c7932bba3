"""Online backups and restores of the database with SQLite's backup API.

A backup is taken through its own read connection in one step, so it is one consistent snapshot
even while the bot writes (WAL: the reader blocks no writer); copying the file and its ``-wal``
by hand is not. Each backup is checked (``PRAGMA integrity_check``) before it replaces nothing
and counts as kept. Blocking sqlite3 calls run in a thread.

The union's file store (the approved files, beside the database) is mirrored into a ``files``
folder beside the backups: its files never change once written (they are named by their
SHA-256), so one mirror serves every backup and each run copies only the new files, each checked
against its digest. A restore brings back any file the store lacks.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage.db import (
    PRIVATE_DIR,
    PRIVATE_FILE,
    DatabaseAccessError,
    DatabaseNewerError,
    NotADatabaseError,
    latest_schema_version,
)
from storage.files import FileStore, FileStoreError

__all__ = [
    "BackupResult",
    "DatabaseInUseError",
    "DatabaseInfo",
    "IntegrityError",
    "RestoreResult",
    "backup",
    "inspect",
    "inspect_file",
    "mirror_files",
    "restore",
]

logger = logging.getLogger(__name__)

_STAMP = "%Y%m%d-%H%M%S"
# A live database's writer may hold its lock briefly; a backup waits this long for it.
_BUSY_MS = 10_000


class IntegrityError(RuntimeError):
    """``PRAGMA integrity_check`` found damage; the message is SQLite's first finding."""


class DatabaseInUseError(RuntimeError):
    """Another process (the running bot) has the database open; restoring now would lose data."""


@dataclass(frozen=True)
class DatabaseInfo:
    """What a database file holds, read without changing it."""

    path: Path
    version: int
    size: int


@dataclass(frozen=True)
class BackupResult:
    """A backup written and checked, and the old ones removed to keep the last N."""

    path: Path
    info: DatabaseInfo
    removed: tuple[Path, ...]
    # Approved files newly mirrored into the backup folder's ``files``.
    files_copied: int = 0


@dataclass(frozen=True)
class RestoreResult:
    """The database replaced by a backup; the replaced one kept beside it."""

    path: Path
    info: DatabaseInfo
    saved: Path | None


def _read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise DatabaseAccessError(path, "file not found")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise DatabaseAccessError(path, str(exc)) from exc
    conn.execute(f"PRAGMA busy_timeout={_BUSY_MS}")
    return conn


def inspect_file(path: Path, full: bool = True) -> DatabaseInfo:
    """``inspect``, blocking: for callers already off the event loop."""
    return _inspect(path, full)


def _inspect(path: Path, full: bool) -> DatabaseInfo:
    conn = _read_only(path)
    try:
        try:
            findings = [
                row[0]
                for row in conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check")
            ]
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            ).fetchone()
            version = 0
            if has_table:
                row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
                version = int(row.fetchone()[0])
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise NotADatabaseError(path) from exc
            raise IntegrityError(str(exc)) from exc
    finally:
        conn.close()
    if findings != ["ok"]:
        raise IntegrityError("; ".join(findings[:3]))
    known = latest_schema_version()
    if version > known:
        raise DatabaseNewerError(version, known)
    return DatabaseInfo(path=path, version=version, size=path.stat().st_size)


async def inspect(path: Path, full: bool = True) -> DatabaseInfo:
    """Check ``path`` without writing to it: SQLite, intact, a schema version this code knows.

    ``full`` runs ``integrity_check`` (reads every page); otherwise the cheaper ``quick_check``.
    """
    return await asyncio.to_thread(_inspect, path, full)


def _private_folder(folder: Path) -> None:
    try:
        folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseAccessError(folder, exc.strerror or str(exc)) from exc


def _copy(source: Path, target: Path) -> None:
    """Copy ``source`` into a new private file ``target`` in one consistent step."""
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except OSError as exc:
        raise DatabaseAccessError(target, exc.strerror or str(exc)) from exc
    src = _read_only(source)
    try:
        dst = sqlite3.connect(target)
        try:
            # pages=-1: the whole database in one step, so a write during it cannot tear it.
            src.backup(dst, pages=-1)
            # The copy is a standalone file: no WAL beside it, so it can be moved and copied.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        if "not a database" in str(exc):
            raise NotADatabaseError(source) from exc
        raise DatabaseAccessError(target, str(exc)) from exc
    finally:
        src.close()


def _backups_of(db_path: Path, folder: Path) -> list[Path]:
    # The stamp sorts as text in time order.
    return sorted(folder.glob(f"{db_path.stem}-????????-??????.sqlite3"))


def _backup(db_path: Path, folder: Path, keep: int, now: datetime) -> BackupResult:
    _private_folder(folder)
    name = f"{db_path.stem}-{now.strftime(_STAMP)}.sqlite3"
    final = folder / name
    partial = folder / f".{name}.partial"
    partial.unlink(missing_ok=True)
    _copy(db_path, partial)
    try:
        info = _inspect(partial, full=True)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, final)
    kept = _backups_of(db_path, folder)
    removed = tuple(kept[:-keep]) if len(kept) > keep else ()
    for old in removed:
        old.unlink(missing_ok=True)
    logger.info("backup %s written (%d bytes); removed %d old", final, info.size, len(removed))
    copied = mirror_files(FileStore.beside(db_path), FileStore(folder / "files"))
    return BackupResult(
        path=final,
        info=DatabaseInfo(final, info.version, info.size),
        removed=removed,
        files_copied=copied,
    )


def mirror_files(source: FileStore, target: FileStore) -> int:
    """Copy every file of ``source`` that ``target`` lacks, checked; returns how many.

    A damaged file in ``source`` is logged and left out, never copied as if it were whole.
    """
    copied = 0
    for path in sorted(source.root.glob("??/*")):
        digest = path.name
        if path.name.startswith(".") or target.has(digest):
            continue
        try:
            target.put(source.get(digest))
        except (FileStoreError, ValueError) as exc:
            logger.error("file store: %s not copied: %s", path, exc)
            continue
        copied += 1
    return copied


async def backup(db_path: Path, folder: Path, keep: int, now: datetime) -> BackupResult:
    """Back up the database at ``db_path`` into ``folder``, keeping the newest ``keep`` backups."""
    return await asyncio.to_thread(_backup, db_path, folder, keep, now)


def _ensure_unused(db_path: Path) -> None:
    """Refuse while another connection has the database open.

    Leaving WAL mode needs the only connection to the file, so it fails while the bot runs;
    it also folds the WAL into the file, so the file alone is the whole database.
    """
    conn = sqlite3.connect(db_path, timeout=0)
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise DatabaseInUseError(str(exc)) from exc
    finally:
        conn.close()
    if mode != "delete":
        raise DatabaseInUseError(f"journal mode stayed {mode}")


def _restore(source: Path, db_path: Path, now: datetime) -> RestoreResult:
    _inspect(source, full=True)
    saved: Path | None = None
    if db_path.exists():
        _ensure_unused(db_path)
        saved = db_path.with_name(f"{db_path.name}.before-restore-{now.strftime(_STAMP)}")
        os.replace(db_path, saved)
    else:
        _private_folder(db_path.parent)
    try:
        _copy(source, db_path)
        info = _inspect(db_path, full=True)
    except BaseException:
        # Put the replaced database back: a failed restore changes nothing.
        db_path.unlink(missing_ok=True)
        if saved is not None:
            os.replace(saved, db_path)
        raise
    mirror = source.parent / "files"
    if mirror.is_dir():
        restored = mirror_files(FileStore(mirror), FileStore.beside(db_path))
        logger.info("restored %d approved files from %s", restored, mirror)
    logger.info("restored %s from %s; the replaced database is %s", db_path, source, saved)
    return RestoreResult(path=db_path, info=info, saved=saved)


async def restore(source: Path, db_path: Path, now: datetime) -> RestoreResult:
    """Replace the (stopped) bot's database with the backup ``source``, keeping the old one."""
    return await asyncio.to_thread(_restore, source, db_path, now)
