"""/start and /help: what this user may do, given their roles."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CommandHandler

from bot import formatting, menus, texts
from commands.chatid import chatid_command
from commands.common import Context, reply, services
from commands.menu import set_menu
from storage.models import Role

__all__ = ["HANDLERS", "help_text"]


def help_text(roles: frozenset[Role], inbox: bool = False) -> str:
    """What a person with these roles may do (see ``bot.menus``)."""
    return menus.help_text(roles, inbox)


async def start_command(update: Update, context: Context) -> None:
    """/start: greet, show the user's id and roles, and what they can do; in a group, what
    /chatid tells (the group's id, for the admin setting the bot up)."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    if update.effective_chat is not None and update.effective_chat.type != ChatType.PRIVATE:
        await chatid_command(update, context)
        return
    svc = services(context)
    roles = await svc.members.roles(user.id)
    inbox = svc.config.chats.inbox is not None
    if roles:
        # A member's private chat may not have existed when the menus were set at start-up.
        await set_menu(context.bot, user.id, roles, inbox)
    role_names = "、".join(texts.ROLE_NAMES[r] for r in Role if r in roles) or texts.NO_ROLES
    await reply(
        message,
        texts.START.format(
            name=formatting.e(user.full_name),
            union=formatting.e(svc.config.union_name),
            user_id=user.id,
            roles=role_names,
            help=help_text(roles, inbox),
        ),
    )


async def help_command(update: Update, context: Context) -> None:
    """/help: what the user can do."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    inbox = svc.config.chats.inbox is not None
    await reply(message, help_text(await svc.members.roles(user.id), inbox))


HANDLERS = [CommandHandler("start", start_command), CommandHandler("help", help_command)]
