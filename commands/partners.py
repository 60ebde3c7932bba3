"""/partner add|del|list, and the 已转载 button under offers in partner chats."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import formatting, texts
from bot.members import Actor
from bot.partners.service import (
    MAX_NAME,
    REPOST_PREFIX,
    clean_name,
    offer_card,
    parse_chat_id,
    parse_ref,
    repost_tap,
)
from commands.common import Context, actor_of, alert, refuse, refuse_forged, reply, services
from storage.models import Role
from storage.partners import PartnerCounts

__all__ = ["HANDLERS"]

logger = logging.getLogger(__name__)

_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


async def partner_command(update: Update, context: Context) -> None:
    """/partner list for members; /partner add and /partner del for admins."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    args = list(context.args or [])
    sub = args[0].lower() if args else ""
    if sub not in ("add", "del", "list"):
        await reply(message, texts.PARTNER_USAGE)
        return
    roles = await svc.members.roles(user.id)
    if sub == "list":
        if not roles:
            await refuse(context, update, "not_staff", texts.PARTNER_STAFF_ONLY)
            return
        await reply(message, _listing(await svc.partners.listing()))
        return
    if Role.ADMIN not in roles:
        await refuse(context, update, "not_admin", texts.PARTNER_ADMIN_ONLY)
        return
    if sub == "add":
        await _add(context, message, actor_of(user), args[1:])
    else:
        await _remove(context, message, actor_of(user), args[1:])


async def _add(context: Context, message: Message, actor: Actor, words: list[str]) -> None:
    svc = services(context)
    in_group = message.chat.type in _GROUPS
    chat_id = parse_chat_id(words[0]) if words else None
    if chat_id is not None:
        words = words[1:]
    elif words and words[0].lstrip("-－+").isdigit():
        await reply(message, formatting.echo(texts.PARTNER_BAD_CHAT_ID, text=words[0]))
        return
    elif in_group:
        chat_id = message.chat_id
    else:
        await reply(message, texts.PARTNER_NEED_CHAT)
        return
    name = clean_name(" ".join(words))
    if not name:
        await reply(message, texts.PARTNER_NEED_NAME)
        return
    if len(name) > MAX_NAME:
        await reply(message, texts.PARTNER_NAME_TOO_LONG.format(limit=MAX_NAME))
        return
    if chat_id in svc.partners.own_chats():
        await reply(message, texts.PARTNER_OWN_CHAT.format(chat=chat_id))
        return
    # The bot must already be in the chat, or every offer would fail.
    try:
        chat = await context.bot.get_chat(chat_id)
        if chat.type == ChatType.CHANNEL:
            me = await context.bot.get_chat_member(chat_id, context.bot.id)
            if me.status != ChatMemberStatus.ADMINISTRATOR:
                await reply(
                    message,
                    formatting.echo(texts.PARTNER_CHANNEL_NOT_ADMIN, title=chat.title or ""),
                )
                return
    except (Forbidden, BadRequest) as exc:
        await reply(
            message,
            texts.PARTNER_CHAT_UNSEEN.format(
                chat=chat_id, error=formatting.e(formatting.explain_error(str(exc)))
            ),
        )
        return
    added = await svc.partners.add(actor, chat_id, name)
    # The first partner brings the weekly digest.
    await svc.scheduler.arm()
    partner = added.partner
    if added.outcome == "exists":
        text = texts.PARTNER_EXISTS.format(id=partner.id, name=formatting.e(partner.name))
    else:
        template = texts.PARTNER_ADDED if added.outcome == "added" else texts.PARTNER_RESTORED
        text = template.format(
            id=partner.id,
            name=formatting.e(partner.name),
            title=formatting.e(chat.title or chat.username or str(chat_id)),
            chat=chat_id,
        )
    await reply(message, text)


async def _remove(context: Context, message: Message, actor: Actor, words: list[str]) -> None:
    svc = services(context)
    if words:
        ref = parse_ref(words[0])
        if ref is None:
            await reply(message, formatting.echo(texts.PARTNER_BAD_REF, ref=words[0]))
            return
    elif message.chat.type in _GROUPS:
        # Sent inside a partner's group: that group.
        ref = ("chat", message.chat_id)
    else:
        await reply(message, texts.PARTNER_USAGE)
        return
    partner = await svc.partners.find(*ref)
    shown = formatting.e(words[0]) if words else str(message.chat_id)
    if partner is None:
        await reply(message, texts.PARTNER_NOT_FOUND.format(ref=shown))
        return
    if partner.removed_at is not None or not await svc.partners.remove(actor, partner):
        await reply(
            message,
            texts.PARTNER_ALREADY_REMOVED.format(id=partner.id, name=formatting.e(partner.name)),
        )
        return
    await svc.scheduler.arm()
    await reply(
        message, texts.PARTNER_REMOVED.format(id=partner.id, name=formatting.e(partner.name))
    )


def _listing(found: list[PartnerCounts]) -> str:
    if not found:
        return texts.PARTNER_LIST_EMPTY
    lines = [texts.PARTNER_LIST_HEADER.format(count=len(found))]
    for row in found:
        partner = row.partner
        lines.append(
            texts.PARTNER_LIST_LINE.format(
                id=partner.id,
                name=formatting.e(partner.name),
                chat=partner.chat_id,
                offered=row.offered,
                reposted=row.reposted,
                outstanding=row.outstanding,
                failed=texts.PARTNER_LIST_FAILED.format(count=row.failed) if row.failed else "",
                unreachable=texts.PARTNER_LIST_UNREACHABLE if partner.unreachable_at else "",
            )
        )
    return "\n".join(lines)


async def on_repost_tap(update: Update, context: Context) -> None:
    """已转载 under an offer: anyone in the partner's chat may press it, once."""
    query = update.callback_query
    if query is None or update.effective_user is None:
        return
    actor = actor_of(update.effective_user)
    svc = services(context)
    repost_id = repost_tap(query.data)
    where = query.message
    marked = (
        await svc.partners.mark_reposted(actor, repost_id, where.chat.id, where.message_id)
        if repost_id is not None and where is not None
        else None
    )
    if marked is None or marked.outcome == "forged":
        await refuse_forged(context, query, actor)
        return
    repost, draft = marked.repost, marked.draft
    assert repost is not None and where is not None
    if marked.outcome == "already":
        await alert(
            query,
            texts.REPOST_ALREADY.format(
                who=repost.reposted_by_name or repost.reposted_by or texts.NOBODY,
                at=formatting.fmt_time(repost.reposted_at, svc.config.timezone)
                if repost.reposted_at
                else texts.NOBODY,
            ),
        )
    else:
        await alert(query, texts.REPOST_THANKS, show_alert=False)
    # A card that still shows the button (a duplicate, or an edit that failed) is corrected.
    stale = isinstance(where, Message) and where.reply_markup is not None
    if draft is None or (marked.outcome == "already" and not stale):
        return
    try:
        await context.bot.edit_message_text(
            offer_card(svc.config.union_name, draft, repost, svc.config.timezone),
            where.chat.id,
            where.message_id,
        )
    except BadRequest as exc:
        # A second tap finds the card showing it already.
        if "not modified" not in str(exc).lower():
            logger.warning("could not edit offer %s: %s", repost.id, exc)
    except TelegramError as exc:
        logger.warning("could not edit offer %s: %s", repost.id, exc)


HANDLERS = [
    CommandHandler("partner", partner_command),
    CallbackQueryHandler(on_repost_tap, pattern=f"^{REPOST_PREFIX}"),
]
