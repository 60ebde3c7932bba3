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

__all__ = ["HANDLERS", "can_post", "chat_report", "configured_as"]

logger = logging.getLogger(__name__)


def _status(member: ChatMember) -> str:
    if isinstance(member, ChatMemberOwner | ChatMemberAdministrator):
        return texts.CHATID_STATUS_ADMIN
    if isinstance(member, ChatMemberRestricted):
        return texts.CHATID_STATUS_RESTRICTED
    return texts.CHATID_STATUS_MEMBER


async def can_post(chat: Chat, member: ChatMember) -> bool:
    """Whether the bot may post in this group: as an admin always; as a member when the group's
    permissions let members speak; restricted, when its restriction does."""
    if isinstance(member, ChatMemberOwner | ChatMemberAdministrator):
        return True
    if isinstance(member, ChatMemberRestricted):
        return member.can_send_messages
    if isinstance(member, ChatMemberMember):
        permissions = (await chat.get_bot().get_chat(chat.id)).permissions
        return permissions is None or permissions.can_send_messages is not False
    return False


def configured_as(config: UnionConfig, chat_id: int) -> str:
    """What the config uses this chat for (every key that names it), or how to start using it."""
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
        may_post = await can_post(chat, member)
    except TelegramError as exc:
        logger.warning("could not read the bot's standing in %s: %s", chat.id, exc.message)
        return texts.CHATID_UNKNOWN.format(detail=formatting.e(exc.message), chat_id=chat.id)
    post = texts.CHATID_CAN_POST if may_post else texts.CHATID_CANNOT_POST
    return texts.CHATID_GROUP.format(
        title=formatting.e(chat.title or str(chat.id)),
        chat_id=chat.id,
        status=_status(member),
        post=post,
        configured=configured_as(config, chat.id),
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
