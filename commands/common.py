"""What every handler needs: the services, the acting user, replies and alerts."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
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
    "Where",
    "actor_of",
    "alert",
    "ask_quoting",
    "bound",
    "carries",
    "details_allowed",
    "draft_number",
    "is_staff",
    "on_unknown_tap",
    "quoted",
    "quoted_source",
    "read_tap",
    "refusal_text",
    "refuse",
    "refuse_exc",
    "refuse_forged",
    "reply",
    "reply_fitted",
    "services",
    "staff_sender",
    "union_chat",
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
    if not await is_staff(context, user.id):
        await refuse(context, update, "not_staff", refusal)
        return None
    return message, user


async def is_staff(context: Context, user_id: int) -> bool:
    """Whether ``user_id`` holds a role now, or stands in for someone who does."""
    svc = services(context)
    # A stand-in without a role of their own follows the drafts they decide while in force.
    return bool(await svc.members.roles(user_id)) or await svc.standins.stands_in(user_id)


def union_chat(context: Context, chat_id: int) -> bool:
    """Whether ``chat_id`` is one of the union's own chats (those the config names)."""
    chats = services(context).config.chats
    own = (chats.editors, chats.tier1, chats.tier2, chats.tier3, chats.admins, chats.inbox)
    return chat_id in {c for c in own if c}


async def details_allowed(update: Update, context: Context, *, own: bool = False) -> bool:
    """Whether a draft's details may be shown where ``update`` was sent: in the union's own
    chats, or privately to staff (to anyone when ``own``: their own drafts). Elsewhere the
    attempt is refused, on the record."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return False
    if union_chat(context, chat.id):
        return True
    if chat.type == "private" and (own or await is_staff(context, user.id)):
        return True
    await refuse(context, update, "details_elsewhere", texts.DETAILS_NOT_HERE)
    return False


Where = Update | Message | CallbackQuery
"""What is refused: an update, the person's message, or their tap."""


def _parts(where: Where) -> tuple[User | None, Message | None, CallbackQuery | None]:
    if isinstance(where, Update):
        query = where.callback_query
        message = None if query is not None else where.effective_message
        return where.effective_user, message, query
    if isinstance(where, Message):
        return where.from_user, where, None
    return where.from_user, None, where


async def refuse(
    context: Context,
    where: Where,
    reason: str,
    text: str,
    *,
    draft_id: int | None = None,
    **detail: object,
) -> None:
    """The one way to say no: the attempt goes on the audit trail (a few a minute per person;
    the rest of a flood is counted), then the person is told ``text``: as the answer to their
    tap, or as a reply to their message."""
    user, message, query = _parts(where)
    if query is not None:
        action, given = "callback.refused", query.data or ""
        chat = query.message.chat.id if query.message is not None else None
    else:
        action = "command.refused"
        given = (message.text or message.caption or "") if message is not None else ""
        chat = message.chat.id if message is not None else None
    await services(context).members.record_refusal(
        user.id if user else None,
        action,
        {"reason": reason, "chat": chat, "input": given[:80], **detail},
        draft_id,
    )
    if query is not None:
        await alert(query, text)
    elif message is not None and _first_of_album(context, message):
        await reply(message, text)


# Albums refused lately, oldest first: an album is refused once, not once per photo.
_REFUSED_ALBUMS = "refused_albums"
_ALBUMS_KEPT = 256


def _first_of_album(context: Context, message: Message) -> bool:
    """Whether ``message`` is not an item of an album already refused (its later items are
    recorded but not answered again). Kept in memory: after a restart at worst one more reply."""
    group = message.media_group_id
    if group is None:
        return True
    seen: OrderedDict[tuple[int, str], None] = context.bot_data.setdefault(
        _REFUSED_ALBUMS, OrderedDict()
    )
    key = (message.chat.id, group)
    if key in seen:
        return False
    seen[key] = None
    if len(seen) > _ALBUMS_KEPT:
        seen.popitem(last=False)
    return True


async def refuse_exc(context: Context, where: Where, exc: Refused, text: str | None = None) -> None:
    """Say no for the review service's ``exc``; audited here unless the service already did."""
    shown = refusal_text(exc) if text is None else text
    if not exc.audited:
        await refuse(context, where, exc.reason.value, shown)
        return
    _, message, query = _parts(where)
    if query is not None:
        await alert(query, shown)
    elif message is not None and _first_of_album(context, message):
        await reply(message, shown)


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


async def ask_quoting(
    message: Message, html: str, yes: tuple[str, str], no: tuple[str, str]
) -> None:
    """Ask the sender of ``message`` a yes/no question quoting it, each answer a (label, callback
    data) button; the tap finds the message again as the question's ``reply_to_message``."""
    buttons = InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in (yes, no)]]
    )
    await message.reply_html(html, reply_markup=buttons, do_quote=True)


async def quoted_source(context: Context, tapped: Tapped[Any]) -> tuple[Message, Message] | None:
    """The question tapped and the person's own message it quotes (the question was sent as a
    reply to it); None when that message is gone or is someone else's, the tapper told why."""
    question = tapped.message
    source = question.reply_to_message if question is not None else None
    if question is None or source is None or source.from_user is None:
        await alert(tapped.query, texts.AS_DRAFT_GONE)
        return None
    if source.from_user.id != tapped.actor.user_id:
        await refuse(context, tapped.query, "prompt_not_yours", texts.PROMPT_NOT_YOURS)
        return None
    return question, source


async def refuse_forged(
    context: Context, query: CallbackQuery, actor: Actor, draft_id: int | None = None
) -> None:
    """Audit a tap whose data the bot never sent (or no longer knows) and say so."""
    await services(context).members.record_forged(actor, query.data or "", draft_id)
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


async def bound(
    context: Context, tapped: Tapped[Any], draft_id: int, version: int | None, stage: str
) -> bool:
    """Whether the tap was pressed on a card the bot sent for this draft, stage (and version);
    a tap whose data was put on any other message is refused as forged."""
    on = tapped.message
    if on is not None:
        # Telegram shows the bot its message as it is now, keyboard and all: data that is a
        # button there was put there by the bot, on the card for that draft, stage and
        # version (also a card not recorded yet: just sent, or its send's answer lost).
        if carries(on, tapped.query.data):
            return True
        # Otherwise only the card's record can vouch for it (its buttons since edited away).
        if await services(context).pipeline.on_card(
            on.chat.id, on.message_id, draft_id, version, stage
        ):
            return True
    await refuse_forged(context, tapped.query, tapped.actor, draft_id)
    return False


def carries(message: Message, data: str | None) -> bool:
    """Whether ``message`` has a button with exactly this callback data."""
    markup = message.reply_markup
    return (
        data is not None
        and markup is not None
        and any(b.callback_data == data for row in markup.inline_keyboard for b in row)
    )


async def on_unknown_tap(update: Update, context: Context) -> None:
    """The last tap handler: data no feature claims was never sent by this bot."""
    query = update.callback_query
    if query is not None and update.effective_user is not None:
        await refuse_forged(context, query, actor_of(update.effective_user))


# Registered after every feature's handlers.
UNKNOWN_TAP = CallbackQueryHandler(on_unknown_tap)
