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
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot, ChatMember
from telegram.constants import ChatAction, ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import texts
from bot.config import ROLE_ALIASES, ConfigError, UnionConfig, load_config
from bot.ops.backups import backup_folder
from bot.ops.startup import ExitCode, describe
from bot.settings import Settings, SettingsError, config_path_from_env, db_path_from_env
from storage.backup import IntegrityError, inspect_file
from storage.db import (
    DatabaseAccessError,
    DatabaseNewerError,
    NotADatabaseError,
    latest_schema_version,
)
from storage.models import Role

__all__ = ["Item", "main", "render", "run_checks"]

logger = logging.getLogger(__name__)

# Below this much free space next to the database, the check fails (or twice its size).
MIN_FREE_BYTES = 200 * 1024 * 1024
_ROLE_NAMES = {role: name for name, role in ROLE_ALIASES.items()}


@dataclass(frozen=True)
class Item:
    """One line of the checklist: passed, failed (with the fix) or skipped (with why)."""

    ok: bool | None
    text: str
    fix: str = ""

    def render(self) -> str:
        """The line as printed."""
        if self.ok is None:
            return texts.CHECK_SKIPPED.format(item=self.text, why=self.fix)
        if self.ok:
            return texts.CHECK_PASSED.format(item=self.text)
        return texts.CHECK_FAILED.format(item=self.text, fix=self.fix)


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


async def check_chat(bot: Bot, key: str, chat_id: int) -> Item:
    """One configured chat: it exists, the bot is in it, and in the channel it may post."""
    what = texts.CHECK_CHAT_NAMES[key]
    failed = texts.CHECK_CHAT_BAD.format(what=what, key=key, chat_id=chat_id)
    try:
        chat = await bot.get_chat(chat_id)
        member = await bot.get_chat_member(chat_id, bot.id)
    except (BadRequest, Forbidden) as exc:
        # Telegram's own words go to the log; people get the cause and the fix in Chinese.
        logger.warning("chat %s (%s) cannot be reached: %s", chat_id, key, exc.message)
        return Item(False, failed, texts.CHECK_CHAT_NOT_FOUND)
    except TelegramError as exc:
        return Item(False, failed, texts.CHECK_CHAT_ERROR.format(detail=exc.message))
    title = chat.title or chat.username or str(chat_id)
    if member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        return Item(False, failed, texts.CHECK_CHAT_LEFT.format(status=member.status))
    is_admin = member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    if key == "channel" or chat.type == ChatType.CHANNEL:
        if not is_admin or not _can_post(member):
            return Item(False, failed, texts.CHECK_CHANNEL_NOT_ADMIN)
        ok = texts.CHECK_CHANNEL_OK.format(what=what, key=key, chat_id=chat_id, title=title)
        return Item(True, ok)
    extra = texts.CHECK_CHAT_ADMIN if is_admin else ""
    return Item(
        True,
        texts.CHECK_CHAT_OK.format(what=what, key=key, chat_id=chat_id, title=title, extra=extra),
    )


def _can_post(member: ChatMember) -> bool:
    if member.status == ChatMemberStatus.OWNER:
        return True
    return bool(getattr(member, "can_post_messages", False))


def private_recipients(config: UnionConfig) -> list[tuple[int, str, str, str]]:
    """Members who get things privately: (user id, name, roles, the chat key that would help).

    A review tier without a group chat sends its cards to each reviewer; without an admins'
    chat, alerts go to each admin. Telegram lets the bot write only to who started it.
    """
    wanted: list[tuple[Role, str]] = [
        (_tier_role(tier), f"tier{tier}") for tier in (1, 2, 3) if config.chats.tier(tier) is None
    ]
    if config.chats.admins is None:
        wanted.append((Role.ADMIN, "admins"))
    found: dict[int, tuple[int, str, list[str], str]] = {}
    for member in config.members:
        for role, key in wanted:
            if role in member.roles:
                entry = found.setdefault(member.user_id, (member.user_id, member.name, [], key))
                entry[2].append(_ROLE_NAMES[role])
    return [(uid, name, "、".join(roles), key) for uid, name, roles, key in found.values()]


def _tier_role(tier: int) -> Role:
    return {1: Role.REVIEWER1, 2: Role.REVIEWER2, 3: Role.REVIEWER3}[tier]


async def check_private(bot: Bot, user_id: int, name: str, roles: str, key: str) -> Item:
    """Whether the bot may write to this member: a chat action fails if they never started it."""
    try:
        await bot.send_chat_action(user_id, ChatAction.TYPING)
    except (Forbidden, BadRequest):
        return Item(
            False,
            texts.CHECK_PRIVATE_BAD.format(role=roles, name=name, user_id=user_id),
            texts.CHECK_PRIVATE_FIX.format(
                why=texts.CHECK_PRIVATE_WHY[key][0], name=name, bot=bot.username, key=key
            ),
        )
    except TelegramError as exc:
        return Item(
            False,
            texts.CHECK_PRIVATE_ERROR.format(role=roles, name=name, user_id=user_id),
            texts.CHECK_CHAT_ERROR.format(detail=exc.message),
        )
    what = texts.CHECK_PRIVATE_WHY[key][1]
    return Item(
        True, texts.CHECK_PRIVATE_OK.format(role=roles, name=name, user_id=user_id, what=what)
    )


async def check_reach(bot: Bot, config: UnionConfig) -> list[Item]:
    """Every configured chat and every member who gets things privately, as checklist items;
    the bot runs these at start-up too and tells the admins what fails."""
    items = []
    for key in texts.CHECK_CHAT_NAMES:
        chat_id = getattr(config.chats, key)
        if chat_id is not None:
            items.append(await check_chat(bot, key, chat_id))
    for user_id, name, roles, key in private_recipients(config):
        items.append(await check_private(bot, user_id, name, roles, key))
    return items


async def _telegram(settings: Settings, config: UnionConfig | None) -> list[Item]:
    bot = Bot(settings.token, base_url=settings.api_url, base_file_url=settings.file_url)
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
        items.append(check_backup_folder(db_path, config))
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
