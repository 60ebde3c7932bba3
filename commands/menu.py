"""Each member's command menu, registered with Telegram per chat (``BotCommandScopeChat``).

Students and strangers see the default private menu; a member sees the commands their roles
allow (``bot.menus``), set at start-up and again whenever an admin changes their roles.
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError

from bot import menus, texts
from bot.members import Members
from storage.models import Role

__all__ = ["install_menus", "set_menu"]

logger = logging.getLogger(__name__)


def _listing(names: list[str] | tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, texts.COMMAND_DESCRIPTIONS[name]) for name in names]


async def set_menu(bot: Bot, user_id: int, roles: frozenset[Role], inbox: bool) -> bool:
    """Show ``user_id`` the commands their roles allow; False when Telegram refused.

    Without a role the member's own menu is removed, so the default private one applies.
    """
    scope = BotCommandScopeChat(user_id)
    try:
        if roles:
            await bot.set_my_commands(_listing(menus.private_commands(roles, inbox)), scope=scope)
        else:
            await bot.delete_my_commands(scope=scope)
    except TelegramError as exc:
        # A member who never opened the bot has no private chat yet; /start sets the menu.
        logger.info("could not set the command menu of %s: %s", user_id, exc)
        return False
    return True


async def install_menus(bot: Bot, members: Members, inbox: bool) -> None:
    """The default menus (private: what anyone may do; groups) and each member's own."""
    try:
        await bot.set_my_commands(
            _listing(menus.private_commands(frozenset(), inbox)),
            scope=BotCommandScopeAllPrivateChats(),
        )
        await bot.set_my_commands(
            _listing(menus.GROUP_COMMANDS), scope=BotCommandScopeAllGroupChats()
        )
    except TelegramError as exc:
        # The menu is a convenience; the bot works without it.
        logger.warning("could not register the command menu: %s", exc)
        return
    for member, _ in await members.listing():
        await set_menu(bot, member.user_id, await members.roles(member.user_id), inbox)
