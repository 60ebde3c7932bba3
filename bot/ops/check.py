"""``python -m bot check``: a checklist of everything a first start needs, one line per item.

Each item is ✅ or ❌ with the fix. It reads and asks, never changes: the database is inspected
read-only (no migration runs), Telegram is asked with getMe, getChat, getChatMember and, for a
member who gets cards privately, sendChatAction (which fails exactly when the bot may not write
to them). It can run while the bot runs. The exit code is 0 only when every item passes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from bot import texts
from bot.config import ConfigError, UnionConfig, load_config
from bot.ops.backups import backup_folder
from bot.ops.reach import Item, check_reach
from bot.ops.startup import ExitCode, describe, plain_bot
from bot.ops.sync import diff
from bot.settings import Settings, SettingsError, config_path_from_env, db_path_from_env
from storage import roster
from storage.backup import IntegrityError, inspect_file
from storage.db import (
    DatabaseAccessError,
    DatabaseNewerError,
    NotADatabaseError,
    latest_schema_version,
)

__all__ = ["Item", "check_members", "check_wechat", "main", "render", "run_checks"]

logger = logging.getLogger(__name__)

# Below this much free space next to the database, the check fails (or twice its size).
MIN_FREE_BYTES = 200 * 1024 * 1024


def _size(n: int) -> str:
    return f"{n / 1024**3:.1f} GB" if n >= 1024**3 else f"{n / 1024**2:.0f} MB"


def _existing_folder(path: Path) -> Path:
    folder = path.parent.resolve()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def check_database(path: Path) -> Item:
    """The database: SQLite, intact, not newer than the code, writable, with room to grow."""
    folder = _existing_folder(path)
    free = shutil.disk_usage(folder).free
    if not path.exists():
        if not os.access(folder, os.W_OK | os.X_OK):
            detail = texts.CHECK_FOLDER_NOT_WRITABLE.format(folder=folder)
            fix = texts.STARTUP_DB_NOT_WRITABLE.format(path=path, detail=detail)
            return Item(False, texts.CHECK_DB_BAD.format(path=path), fix)
        size = 0
        state = texts.CHECK_DB_NEW
    else:
        try:
            info = inspect_file(path, full=False)
        except NotADatabaseError:
            fix = texts.STARTUP_DB_NOT_SQLITE.format(path=path)
            return Item(False, texts.CHECK_DB_BAD.format(path=path), fix)
        except DatabaseNewerError as exc:
            fix = texts.STARTUP_DB_NEWER.format(path=path, found=exc.found, known=exc.known)
            return Item(False, texts.CHECK_DB_BAD.format(path=path), fix)
        except IntegrityError as exc:
            fix = texts.BACKUP_DAMAGED.format(detail=exc) + texts.CHECK_DB_RESTORE_HINT
            return Item(False, texts.CHECK_DB_BAD.format(path=path), fix)
        except DatabaseAccessError as exc:
            fix = texts.STARTUP_DB_NOT_WRITABLE.format(path=path, detail=exc.detail)
            return Item(False, texts.CHECK_DB_BAD.format(path=path), fix)
        if not _writable(path):
            detail = texts.CHECK_FOLDER_NOT_WRITABLE.format(folder=path.parent)
            fix = texts.STARTUP_DB_NOT_WRITABLE.format(path=path, detail=detail)
            return Item(False, texts.CHECK_DB_BAD.format(path=path), fix)
        size = info.size
        pending = latest_schema_version() - info.version
        state = texts.CHECK_DB_VERSION.format(version=info.version)
        if pending:
            state += texts.CHECK_DB_PENDING.format(count=pending)
    need = max(MIN_FREE_BYTES, 2 * size)
    if free < need:
        fix = texts.CHECK_DB_LOW_SPACE.format(free=_size(free), need=_size(need))
        return Item(False, texts.CHECK_DB_BAD.format(path=path), fix)
    return Item(True, texts.CHECK_DB_OK.format(path=path, state=state, free=_size(free)))


def check_members(path: Path, config: UnionConfig) -> Item:
    """The config's members agree with the database's (after the first start the database is
    the truth; ``python -m bot sync-config`` applies the config)."""
    if not path.exists():
        return Item(True, texts.CHECK_SYNC_FRESH)
    try:
        stored = roster.read_file(path)
    except DatabaseAccessError as exc:
        why = texts.CHECK_SYNC_UNREADABLE.format(detail=exc.detail)
        return Item(None, texts.CHECK_SYNC_SKIPPED, why)
    if not stored.seeded:
        return Item(True, texts.CHECK_SYNC_FRESH)
    changes = diff(stored, config)
    if not changes:
        return Item(True, texts.CHECK_SYNC_OK)
    lines = "\n      ".join(change.render() for change in changes)
    return Item(
        False, texts.CHECK_SYNC_BAD.format(count=len(changes), lines=lines), texts.CHECK_SYNC_FIX
    )


def check_backup_folder(db_path: Path, config: UnionConfig) -> Item:
    """The backup folder exists (or can be made) and is writable."""
    folder = backup_folder(db_path, config.backup)
    existing = folder if folder.exists() else _existing_folder(folder / "x")
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        detail = texts.CHECK_FOLDER_NOT_WRITABLE.format(folder=existing)
        return Item(
            False,
            texts.CHECK_BACKUP_BAD.format(path=folder),
            texts.CHECK_BACKUP_FIX.format(detail=detail),
        )
    at = config.backup.daily_at
    schedule = (
        texts.CHECK_BACKUP_SCHEDULE.format(at=at.strftime("%H:%M"))
        if at is not None
        else texts.CHECK_BACKUP_OFF
    )
    return Item(
        True,
        texts.CHECK_BACKUP_OK.format(path=folder, keep=config.backup.keep, schedule=schedule),
    )


def check_wechat(config: UnionConfig, env: Mapping[str, str]) -> Item | None:
    """With the 公众号 draft box configured, its AppSecret is in the environment. (No token is
    fetched here: a new token would retire the running bot's.)"""
    app_id = config.wechat.app_id
    if app_id is None:
        return None
    if not env.get("WECHAT_APP_SECRET", "").strip():
        return Item(False, texts.CHECK_WECHAT_BAD.format(app_id=app_id), texts.CHECK_WECHAT_FIX)
    return Item(True, texts.CHECK_WECHAT_OK.format(app_id=app_id))


async def _telegram(settings: Settings, config: UnionConfig | None) -> list[Item]:
    bot = plain_bot(settings)
    try:
        await bot.initialize()
    except Exception as exc:
        failure = describe(exc, settings)
        if failure is None:
            raise
        title = texts.CHECK_TOKEN_BAD if failure.code == ExitCode.TOKEN else texts.CHECK_NETWORK_BAD
        return [Item(False, title, str(failure))]
    try:
        items = [Item(True, texts.CHECK_TOKEN_OK.format(username=bot.username))]
        if config is None:
            return [*items, Item(None, texts.CHECK_CHATS, texts.CHECK_NEEDS_CONFIG)]
        return [*items, *await check_reach(bot, config)]
    finally:
        await bot.shutdown()


async def run_checks(env: Mapping[str, str]) -> list[Item]:
    """Every item, in the order a new user fixes them."""
    items: list[Item] = []
    config: UnionConfig | None = None
    try:
        config = load_config(config_path_from_env(env))
        items.append(Item(True, texts.CHECK_CONFIG_OK))
    except ConfigError as exc:
        items.append(Item(False, texts.CHECK_CONFIG_BAD, str(exc)))
    settings: Settings | None = None
    try:
        settings = Settings.from_env(env)
    except SettingsError as exc:
        items.append(Item(False, texts.CHECK_SETTINGS_BAD, str(exc)))
    if settings is not None:
        items += await _telegram(settings, config)
    else:
        items.append(Item(None, texts.CHECK_TOKEN_BAD, texts.CHECK_NEEDS_SETTINGS))
    db_path = db_path_from_env(env)
    items.append(await asyncio.to_thread(check_database, db_path))
    if config is not None:
        items.append(await asyncio.to_thread(check_members, db_path, config))
        items.append(check_backup_folder(db_path, config))
        wechat = check_wechat(config, env)
        if wechat is not None:
            items.append(wechat)
    return items


def render(items: list[Item], config_path: Path) -> str:
    """The checklist as printed: a title, one line per item, and what to do next."""
    failed = sum(1 for item in items if item.ok is False)
    lines = [texts.CHECK_TITLE.format(config=config_path)]
    lines += [item.render() for item in items]
    lines.append(
        texts.CHECK_ALL_PASSED if not failed else texts.CHECK_SOME_FAILED.format(failed=failed)
    )
    return "\n".join(lines)


def main() -> int:
    """Print the checklist; 0 only when every item passed."""
    items = asyncio.run(run_checks(os.environ))
    print(render(items, config_path_from_env(os.environ)))
    return int(ExitCode.FAILED if any(item.ok is False for item in items) else ExitCode.OK)
