"""/chatid (and /start in a group): the group's id, and whether the bot can work there.

Admins get the id, the bot's standing (member or admin, may it post) and what the config uses
the chat for; anyone else gets one short line, nothing about the union's setup.
"""

from __future__ import annotations

import logging

from telegram import (
    Chat,
    ChatMember,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot import formatting, texts
from bot.config import UnionConfig
from commands.common import Context, reply, services
from storage.models import Role

__all__ = ["HANDLERS", "chat_report"]

logger = logging.getLogger(__name__)


def _status(member: ChatMember) -> str:
    if isinstance(member, ChatMemberOwner | ChatMemberAdministrator):
        return texts.CHATID_STATUS_ADMIN
    if isinstance(member, ChatMemberRestricted):
        return texts.CHATID_STATUS_RESTRICTED
    return texts.CHATID_STATUS_MEMBER


async def _can_post(chat: Chat, member: ChatMember) -> bool:
    """Whether the bot may post here: in a channel only as an admin allowed to post; in a group
    as an admin, or as a member the group's permissions (or its restriction) let speak."""
    if isinstance(member, ChatMemberOwner):
        return True
    if isinstance(member, ChatMemberAdministrator):
        return chat.type != ChatType.CHANNEL or bool(member.can_post_messages)
    if chat.type == ChatType.CHANNEL:
        return False
    if isinstance(member, ChatMemberRestricted):
        return member.can_send_messages
    if isinstance(member, ChatMemberMember):
        permissions = (await chat.get_bot().get_chat(chat.id)).permissions
        return permissions is None or permissions.can_send_messages is not False
    return False


def _configured(config: UnionConfig, chat_id: int) -> str:
    uses = [
        f"{name}（chats.{key}）"
        for key, name in texts.CHECK_CHAT_NAMES.items()
        if getattr(config.chats, key) == chat_id
    ]
    if not uses:
        return texts.CHATID_NOT_CONFIGURED.format(chat_id=chat_id)
    return texts.CHATID_CONFIGURED.format(names=formatting.e("、".join(uses)))


async def chat_report(chat: Chat, config: UnionConfig) -> str:
    """The admin's answer: the id, the bot's standing there, what the config uses it for."""
    bot = chat.get_bot()
    try:
        member = await bot.get_chat_member(chat.id, bot.id)
        can_post = await _can_post(chat, member)
    except TelegramError as exc:
        logger.warning("could not read the bot's standing in %s: %s", chat.id, exc.message)
        return texts.CHATID_UNKNOWN.format(detail=formatting.e(exc.message), chat_id=chat.id)
    if chat.type == ChatType.CHANNEL:
        post = texts.CHATID_CHANNEL_CAN_POST if can_post else texts.CHATID_CHANNEL_CANNOT_POST
    else:
        post = texts.CHATID_CAN_POST if can_post else texts.CHATID_CANNOT_POST
    return texts.CHATID_GROUP.format(
        title=formatting.e(chat.title or str(chat.id)),
        chat_id=chat.id,
        status=_status(member),
        post=post,
        configured=_configured(config, chat.id),
    )


async def chatid_command(update: Update, context: Context) -> None:
    """/chatid: in a group, its id and the bot's standing (admins only); privately, one's own id."""
    message = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if message is None or user is None or chat is None:
        return
    if chat.type == ChatType.PRIVATE:
        await reply(message, texts.CHATID_PRIVATE.format(user_id=user.id))
        return
    svc = services(context)
    if Role.ADMIN not in await svc.members.roles(user.id):
        await reply(message, texts.CHATID_NOT_ADMIN)
        return
    await reply(message, await chat_report(chat, svc.config))


HANDLERS = [CommandHandler("chatid", chatid_command)]
