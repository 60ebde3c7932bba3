"""/start and /help: what this user may do, given their roles."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CommandHandler

from bot import formatting, texts
from commands.chatid import chatid_command
from commands.common import Context, reply, services
from storage.models import Role

__all__ = ["HANDLERS", "help_text"]


def help_text(roles: frozenset[Role]) -> str:
    """The help lines for these roles."""
    if not roles:
        return texts.HELP_STRANGER
    lines = [texts.HELP_HEADER]
    if Role.OFFICER in roles:
        lines.append(texts.HELP_OFFICER)
    elif Role.VOLUNTEER in roles:
        lines.append(texts.HELP_VOLUNTEER)
        lines.append(texts.HELP_OFFICER)
    if Role.EDITOR in roles:
        lines.append(texts.HELP_EDITOR)
    if roles & {Role.REVIEWER1, Role.REVIEWER2, Role.REVIEWER3}:
        lines.append(texts.HELP_REVIEWER)
        lines.append(texts.HELP_AWAY)
    if Role.ADMIN in roles:
        lines.append(texts.HELP_ADMIN)
        lines.append(texts.HELP_AWAY_ADMIN)
    lines.append(texts.HELP_STAFF)
    lines.append(texts.HELP_EVERYONE)
    return "\n".join(lines)


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
    role_names = "、".join(texts.ROLE_NAMES[r] for r in Role if r in roles) or texts.NO_ROLES
    await reply(
        message,
        texts.START.format(
            name=formatting.e(user.full_name),
            union=formatting.e(svc.config.union_name),
            user_id=user.id,
            roles=role_names,
            help=help_text(roles),
        ),
    )


async def help_command(update: Update, context: Context) -> None:
    """/help: what the user can do."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    await reply(message, help_text(await services(context).members.roles(user.id)))


HANDLERS = [CommandHandler("start", start_command), CommandHandler("help", help_command)]
