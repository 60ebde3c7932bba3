"""Messages that wait: released when their person or chat is reachable again; /outbox for admins.

A person who sends the bot anything privately (``/start`` above all) has opened the chat, a
member who unblocks the bot or a group that adds it back sends ``my_chat_member``: whatever
waited for them goes out at once, each message once.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    TypeHandler,
)

from bot import formatting, texts
from commands.common import Context, alert, read_tap, refuse, reply, services
from storage.models import OutboxItem, Role

__all__ = ["HANDLERS", "RELEASE"]

logger = logging.getLogger(__name__)

_TAP = re.compile(r"ob:([1-9][0-9]{0,9}):([prs])")
# How many waiting messages /outbox lists with a button each.
_LISTED = 20

_PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER}


async def on_any_update(update: Update, context: Context) -> None:
    """A private message proves its sender has a chat with the bot: release what waits for them."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or chat.type != "private" or update.message is None:
        return
    delivery = services(context).delivery
    if delivery.waits_for(user.id):
        await delivery.release(user.id)


async def on_my_chat_member(update: Update, context: Context) -> None:
    """The bot was unblocked, added back to a group, or made an admin of the channel."""
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    logger.info("bot's status in %s is now %s", change.chat.id, status)
    if status in _PRESENT:
        await services(context).delivery.release(change.chat.id)


def _parse(data: str | None) -> tuple[int, str] | None:
    m = _TAP.fullmatch(data or "")
    return (int(m[1]), m[2]) if m else None


async def outbox_command(update: Update, context: Context) -> None:
    """/outbox: what waits and why, with a button to send each again now (admins)."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    if Role.ADMIN not in await svc.members.roles(user.id):
        await refuse(context, update, "not_admin", texts.OUTBOX_ADMINS_ONLY)
        return
    items = await svc.delivery.unsettled()
    if not items:
        await reply(message, texts.OUTBOX_EMPTY)
        return
    now = svc.db.clock()
    lines = [texts.OUTBOX_HEADER.format(count=len(items))]
    buttons = []
    for n, item in enumerate(items[:_LISTED], start=1):
        lines.append(await _line(context, n, item, now))
        label = texts.BUTTON_RESEND_ITEM.format(n=n)
        buttons.append([InlineKeyboardButton(label, callback_data=f"ob:{item.id}:s")])
    if len(items) > _LISTED:
        lines.append(texts.OUTBOX_MORE.format(count=len(items) - _LISTED))
    lines.append(texts.OUTBOX_HINT)
    await reply(message, "\n".join(lines), reply_markup=InlineKeyboardMarkup(buttons))


async def _line(context: Context, n: int, item: OutboxItem, now: datetime) -> str:
    delivery = services(context).delivery
    what = delivery.describe(item)
    if item.waiting_reason is None:
        when = (
            formatting.fmt_time(item.next_at, services(context).config.timezone)
            if item.next_at
            else texts.OUTBOX_NOW
        )
        return texts.OUTBOX_BACKOFF_LINE.format(n=n, what=what, when=when, attempts=item.attempts)
    since = datetime.fromisoformat(item.waiting_since or item.created_at)
    who = (
        await delivery.chat_name(item.waiting_chat)
        if item.waiting_chat is not None
        else texts.OUTBOX_ADMINS
    )
    return texts.OUTBOX_LINE.format(
        n=n,
        what=what,
        who=who,
        reason=texts.WAIT_REASONS.get(item.waiting_reason, item.waiting_reason),
        waited=formatting.waited((now - since).total_seconds(), days=True),
    )


async def on_outbox_tap(update: Update, context: Context) -> None:
    """重发 on /outbox, or 已发出 / 重新发送 under the question about an interrupted post."""
    tapped = await read_tap(update, context, _parse)
    if tapped is None:
        return
    svc = services(context)
    query, actor = tapped.query, tapped.actor
    item_id, action = tapped.tap
    if Role.ADMIN not in await svc.members.roles(actor.user_id):
        await refuse(context, query, "not_admin", texts.OUTBOX_ADMINS_ONLY)
        return
    if action == "p":
        draft = await svc.publisher.confirm_posted(item_id, actor.user_id)
        if draft is None:
            await refuse(context, query, "gone", texts.OUTBOX_GONE)
            return
        await alert(query, texts.DONE, show_alert=False)
        who = formatting.e(actor.name)
        await _settle_question(
            tapped.message, texts.UNCERTAIN_SETTLED_POSTED.format(who=who, id=draft.id)
        )
        await svc.delivery.flush()
        return
    if not await svc.delivery.retry(item_id):
        await refuse(context, query, "gone", texts.OUTBOX_GONE)
        return
    await alert(query, texts.OUTBOX_RESENT_ONE, show_alert=False)
    if action == "r":
        item = await svc.delivery.item(item_id)
        await _settle_question(
            tapped.message,
            texts.UNCERTAIN_SETTLED_RESENT.format(
                who=formatting.e(actor.name), id=item.draft_id if item else ""
            ),
        )


async def _settle_question(message: Message | None, html: str) -> None:
    """Show the answer under the question and take its buttons away."""
    if message is None:
        return
    try:
        await message.edit_text(f"{message.text_html}\n\n{html}", reply_markup=None)
    except TelegramError as exc:
        # The answer is recorded; the edit is only a courtesy.
        logger.info("could not edit the question: %s", exc)


# Runs before every other handler, in a group of its own, so it sees every private message.
RELEASE = TypeHandler(Update, on_any_update)

HANDLERS = [
    CommandHandler("outbox", outbox_command),
    CallbackQueryHandler(on_outbox_tap, pattern=r"^ob:"),
    ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
]
