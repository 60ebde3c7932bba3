"""Backups from the command line (``python -m bot backup|restore``) and the daily backup job."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from telegram.ext import Application, ContextTypes

from bot import texts
from bot.config import BackupConfig, ConfigError, load_config
from bot.ops.exits import ExitCode, StartupError
from bot.settings import config_path_from_env, db_path_from_env
from storage.backup import DatabaseInUseError, IntegrityError, backup, restore
from storage.db import DatabaseAccessError, DatabaseNewerError, NotADatabaseError

__all__ = ["backup_command", "backup_folder", "restore_command", "schedule_backups"]

logger = logging.getLogger(__name__)


def backup_folder(db_path: Path, config: BackupConfig) -> Path:
    """Where backups go: ``[backup] dir``, else a ``backups`` folder beside the database."""
    return config.dir if config.dir is not None else db_path.parent / "backups"


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _explain(exc: Exception, path: Path) -> str:
    """One Chinese reason for a backup or restore failure."""
    if isinstance(exc, NotADatabaseError):
        return texts.STARTUP_DB_NOT_SQLITE.format(path=exc.path)
    if isinstance(exc, DatabaseAccessError):
        return texts.STARTUP_DB_NOT_WRITABLE.format(path=exc.path, detail=exc.detail)
    if isinstance(exc, DatabaseNewerError):
        return texts.STARTUP_DB_NEWER.format(path=path, found=exc.found, known=exc.known)
    if isinstance(exc, IntegrityError):
        return texts.BACKUP_DAMAGED.format(detail=exc)
    if isinstance(exc, DatabaseInUseError):
        return texts.RESTORE_RUNNING
    raise exc


def _backup_settings() -> tuple[Path, BackupConfig]:
    """The database and the backup settings; the token is not needed for either."""
    try:
        config = load_config(config_path_from_env(os.environ))
    except ConfigError as exc:
        raise StartupError(str(exc), ExitCode.CONFIG) from exc
    return db_path_from_env(os.environ), config.backup


def backup_command(target: Path | None) -> int:
    """``python -m bot backup [DIR]``: one checked backup now, old ones pruned."""
    db_path, settings = _backup_settings()
    folder = target if target is not None else backup_folder(db_path, settings)
    try:
        result = asyncio.run(backup(db_path, folder, settings.keep, datetime.now(UTC)))
    except (DatabaseAccessError, NotADatabaseError, IntegrityError, DatabaseNewerError) as exc:
        print(texts.BACKUP_FAILED.format(reason=_explain(exc, db_path)), file=sys.stderr)
        return int(ExitCode.DATABASE)
    print(
        texts.BACKUP_DONE.format(
            path=result.path,
            size=_size(result.info.size),
            version=result.info.version,
            keep=settings.keep,
            removed=len(result.removed),
        )
    )
    return int(ExitCode.OK)


def restore_command(source: Path, assume_yes: bool) -> int:
    """``python -m bot restore FILE``: replace the stopped bot's database with a checked backup."""
    db_path, _ = _backup_settings()
    if not source.is_file():
        print(texts.RESTORE_FAILED.format(reason=texts.RESTORE_NOT_FOUND.format(path=source)))
        return int(ExitCode.FAILED)
    if not assume_yes:
        if not sys.stdin.isatty():
            print(texts.RESTORE_NEEDS_YES.format(source=source, path=db_path), file=sys.stderr)
            return int(ExitCode.FAILED)
        answer = input(texts.RESTORE_CONFIRM.format(source=source, path=db_path))
        if answer.strip().lower() not in ("y", "yes", "是"):
            print(texts.RESTORE_CANCELLED)
            return int(ExitCode.FAILED)
    try:
        result = asyncio.run(restore(source, db_path, datetime.now(UTC)))
    except (
        DatabaseAccessError,
        NotADatabaseError,
        IntegrityError,
        DatabaseNewerError,
        DatabaseInUseError,
    ) as exc:
        print(texts.RESTORE_FAILED.format(reason=_explain(exc, source)), file=sys.stderr)
        return int(ExitCode.DATABASE)
    saved = result.saved if result.saved is not None else texts.RESTORE_NOTHING_SAVED
    print(
        texts.RESTORE_DONE.format(
            source=source, path=result.path, version=result.info.version, saved=saved
        )
    )
    return int(ExitCode.OK)


def schedule_backups(
    application: Application,  # type: ignore[type-arg]
    db_path: Path,
    settings: BackupConfig,
) -> None:
    """Back up daily at ``[backup] schedule`` (local time), while the bot runs."""
    if settings.daily_at is None or application.job_queue is None:
        return
    folder = backup_folder(db_path, settings)

    async def job(context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            result = await backup(db_path, folder, settings.keep, datetime.now(UTC))
        except (DatabaseAccessError, NotADatabaseError, IntegrityError, DatabaseNewerError) as exc:
            logger.error(texts.BACKUP_SCHEDULED_FAILED.format(reason=_explain(exc, db_path)))
            return
        logger.info("daily backup: %s (%s)", result.path, _size(result.info.size))

    # The job queue's default timezone is the union's (Defaults(tzinfo=...)).
    application.job_queue.run_daily(job, time=settings.daily_at, name="backup")
