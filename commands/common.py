"""What every handler needs: the services, the acting user, replies and alerts."""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery, Message, Update, User
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import texts
from bot.members import Actor
from bot.review.service import Refused
from bot.services import SERVICES_KEY, Services

__all__ = [
    "Context",
    "actor_of",
    "alert",
    "draft_number",
    "refusal_text",
    "reply",
    "services",
    "staff_sender",
]

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


def services(context: Context) -> Services:
    """The services opened at start-up."""
    found: Any = context.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


def actor_of(user: User) -> Actor:
    """The acting user as the service layer knows them."""
    return Actor(user.id, user.full_name, user.username)


def refusal_text(exc: Refused) -> str:
    """The Chinese message for a refusal."""
    return texts.refusal(exc.reason, **{"state": "", "who": texts.NOBODY, **exc.params})


async def reply(message: Message, html: str, **kwargs: Any) -> Message:
    """Reply in the same chat, as HTML, quoting the message when it still exists."""
    return await message.reply_html(html, do_quote=message.chat.type != "private", **kwargs)


async def alert(query: CallbackQuery, text: str, show_alert: bool = True) -> None:
    """Answer a button tap; an expired query is logged, not raised."""
    try:
        await query.answer(text[:200], show_alert=show_alert)
    except BadRequest as exc:
        logger.info("could not answer callback query %s: %s", query.id, exc)


async def staff_sender(
    update: Update, context: Context, refusal: str = texts.NOT_STAFF
) -> tuple[Message, User] | None:
    """The message and its sender when the sender holds any role; else they are told why not."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return None
    if not await services(context).members.roles(user.id):
        await reply(message, refusal)
        return None
    return message, user


def draft_number(args: list[str] | None) -> int | None:
    """The draft number in a command's arguments (``12`` or ``#12``)."""
    if not args:
        return None
    raw = args[0].lstrip("#＃")
    return int(raw) if raw.isdigit() and 0 < len(raw) <= 9 else None
