"""Who and what the bot can reach: each configured chat, each member who gets cards privately.

Used by ``python -m bot check`` and, at every start, to tell the admins what cannot be reached.
It only asks (getChat, getChatMember, sendChatAction); Telegram's own words go to the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot, ChatMember
from telegram.constants import ChatAction, ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import texts
from bot.config import ROLE_ALIASES, UnionConfig
from storage.models import Role

__all__ = ["Item", "check_chat", "check_private", "check_reach", "private_recipients"]

logger = logging.getLogger(__name__)

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
