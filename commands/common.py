"""What every handler needs: the services, the acting user, replies and alerts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import CallbackQuery, Message, Update, User
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot import texts
from bot.formatting import CALLBACK_LIMIT, Fitted, clip
from bot.members import Actor
from bot.overflow import full_text_file
from bot.review.service import Refused
from bot.services import SERVICES_KEY, Services

__all__ = [
    "Context",
    "Tapped",
    "actor_of",
    "alert",
    "draft_number",
    "on_unknown_tap",
    "quoted",
    "read_tap",
    "refusal_text",
    "refuse_forged",
    "reply",
    "reply_fitted",
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


def quoted(message: Message) -> int | None:
    """The message a reply to ``message`` quotes: none in a private chat, where it is obvious."""
    return message.message_id if message.chat.type != "private" else None


async def reply(message: Message, html: str, **kwargs: Any) -> Message:
    """Reply in the same chat, as HTML, quoting the message (see ``quoted``) if it still exists."""
    return await message.reply_html(html, do_quote=quoted(message) is not None, **kwargs)


async def reply_fitted(message: Message, fitted: Fitted, what: str) -> Message:
    """Reply with a fitted message; if its user text was shortened, the full text follows as a
    file named after ``what``."""
    sent = await reply(message, fitted.html)
    if fitted.cut:
        await sent.reply_document(
            full_text_file(fitted.full_text, what), caption=texts.FULL_MESSAGE_CAPTION
        )
    return sent


async def alert(query: CallbackQuery, text: str, show_alert: bool = True) -> None:
    """Answer a button tap, within Telegram's limit for answers; an expired query is logged."""
    try:
        await query.answer(clip(text, CALLBACK_LIMIT), show_alert=show_alert)
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
    svc = services(context)
    # A stand-in without a role of their own follows the drafts they decide while in force.
    if not await svc.members.roles(user.id) and not await svc.standins.stands_in(user.id):
        await reply(message, refusal)
        return None
    return message, user


def draft_number(args: list[str] | None) -> int | None:
    """The draft number in a command's arguments (``12`` or ``#12``)."""
    if not args:
        return None
    raw = args[0].lstrip("#＃")
    return int(raw) if raw.isdigit() and 0 < len(raw) <= 9 else None


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Tapped(Generic[T]):
    """A button tap whose callback data parsed: who pressed what, and on which message."""

    query: CallbackQuery
    actor: Actor
    tap: T
    message: Message | None


async def refuse_forged(context: Context, query: CallbackQuery, actor: Actor) -> None:
    """Audit a tap whose data the bot never sent (or no longer knows) and say so."""
    await services(context).members.record_forged(actor, query.data or "")
    await alert(query, texts.INVALID_BUTTON)


async def read_tap(
    update: Update, context: Context, parse: Callable[[str | None], T | None]
) -> Tapped[T] | None:
    """The tap, parsed by its feature's strict parser; a malformed one is refused as forged.

    Each feature routes its own prefix here with PTB's ``pattern=``.
    """
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return None
    actor = actor_of(user)
    tap = parse(query.data)
    if tap is None:
        await refuse_forged(context, query, actor)
        return None
    message = query.message if isinstance(query.message, Message) else None
    return Tapped(query, actor, tap, message)


async def on_unknown_tap(update: Update, context: Context) -> None:
    """The last tap handler: data no feature claims was never sent by this bot."""
    query = update.callback_query
    if query is not None and update.effective_user is not None:
        await refuse_forged(context, query, actor_of(update.effective_user))


# Registered after every feature's handlers.
UNKNOWN_TAP = CallbackQueryHandler(on_unknown_tap)
