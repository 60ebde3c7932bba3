"""/jubao (举报, article 24): report a group message; admins list and mark reports handled."""

from __future__ import annotations

import logging

from telegram import (
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import formatting, texts
from bot.jubao.service import (
    NOTE_LIMIT,
    REASON_LIMIT,
    Outcome,
    Reported,
    Result,
    listing_html,
    parse_tap,
)
from bot.members import Actor
from bot.services import Services
from commands.common import (
    Context,
    actor_of,
    alert,
    draft_number,
    refuse,
    refuse_forged,
    reply,
    services,
)
from storage.models import Role

__all__ = ["HANDLERS", "jubao_command", "on_report_tap"]

logger = logging.getLogger(__name__)

_DONE_WORDS = frozenset({"done", "完成", "已处理"})
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _media_kind(message: Message) -> str | None:
    if message.text is not None:
        return None
    for kind in ("photo", "document", "video", "animation", "voice", "audio", "sticker"):
        if getattr(message, kind, None):
            return kind
    return "other"


def _describe(target: Message, bot_id: int) -> Reported:
    """The reported message as the service needs it."""
    chat = target.chat
    author = target.from_user
    if target.sender_chat is not None:
        # An anonymous admin or a linked channel: Telegram names no person.
        author_id = None
        author_name = texts.JUBAO_CHANNEL_AUTHOR.format(title=target.sender_chat.title or "")
    elif author is not None:
        author_id = author.id
        author_name = author.full_name + (f" @{author.username}" if author.username else "")
    else:
        author_id, author_name = None, ""
    body = target.text or target.caption or ""
    kind = _media_kind(target)
    if kind is not None:
        body = f"{texts.JUBAO_MEDIA[kind]} {body}".strip()
    return Reported(
        chat_id=chat.id,
        chat_kind=str(chat.type),
        chat_title=chat.title or "",
        chat_username=chat.username,
        message_id=target.message_id,
        author_id=author_id,
        author_name=author_name,
        text=body,
        by_this_bot=author is not None and author.id == bot_id,
    )


def _rest(text: str | None) -> str:
    """What follows the command."""
    parts = (text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def jubao_command(update: Update, context: Context) -> None:
    """/jubao [理由] as a reply; /jubao alone (admins: the open reports); /jubao done N [备注]."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    actor = actor_of(user)
    rest = _rest(message.text)
    words = rest.split(maxsplit=2)
    if words and words[0].lower() in _DONE_WORDS:
        await _done(message, svc, actor, words[1:])
        return
    target = message.reply_to_message
    if target is not None and target.forum_topic_created is not None:
        # In a forum topic every message "replies" to the topic's first service message.
        target = None
    if target is None:
        await _without_reply(context, message, svc, actor)
        return
    result = await svc.content_reports.report(actor, _describe(target, context.bot.id), rest)
    await reply(message, await _filed_text(svc, result, rest))
    if result.outcome is Outcome.FILED:
        await svc.delivery.flush()


async def _filed_text(svc: Services, result: Result, reason: str) -> str:
    report = result.report
    if result.outcome is Outcome.FILED and report is not None:
        return texts.JUBAO_FILED.format(id=report.id)
    if result.outcome is Outcome.DUPLICATE and report is not None:
        if report.is_open:
            return texts.JUBAO_DUPLICATE_OPEN.format(id=report.id)
        return texts.JUBAO_DUPLICATE_HANDLED.format(
            id=report.id, at=formatting.fmt_time(report.handled_at or "", svc.config.timezone)
        )
    if result.outcome is Outcome.REASON_TOO_LONG:
        return texts.JUBAO_REASON_TOO_LONG.format(limit=REASON_LIMIT, length=len(reason.strip()))
    return {
        Outcome.NOT_MEMBER: texts.JUBAO_NOT_MEMBER,
        Outcome.NOT_GROUP: texts.JUBAO_NOT_GROUP,
        Outcome.BOT_MESSAGE: texts.JUBAO_BOT_MESSAGE,
    }.get(result.outcome, texts.JUBAO_USAGE)


async def _without_reply(context: Context, message: Message, svc: Services, actor: Actor) -> None:
    roles = await svc.members.roles(actor.user_id)
    if not roles:
        await refuse(context, message, "not_member", texts.JUBAO_NOT_MEMBER)
        return
    admin = Role.ADMIN in roles
    private = message.chat.type == ChatType.PRIVATE
    if admin and (private or message.chat_id == svc.config.chats.admins):
        waiting = await svc.content_reports.waiting()
        names = await svc.content_reports.names([r.reported_by for r in waiting])
        await reply(
            message,
            listing_html(waiting, svc.db.clock(), names),
            link_preview_options=_NO_PREVIEW,
        )
        return
    if not admin:
        # The open reports are for admins: a member is shown how to report, on the record.
        await refuse(context, message, "not_admin", texts.JUBAO_USAGE)
        return
    await reply(message, texts.JUBAO_USAGE + texts.JUBAO_USAGE_ADMIN)


async def _done(message: Message, svc: Services, actor: Actor, args: list[str]) -> None:
    """/jubao done N [备注]."""
    report_id = draft_number(args[:1])
    if report_id is None:
        await reply(message, texts.JUBAO_DONE_USAGE)
        return
    note = args[1] if len(args) > 1 else ""
    result = await svc.content_reports.handle(actor, report_id, note, via="command")
    if result.outcome is Outcome.NOTE_TOO_LONG:
        await reply(message, texts.JUBAO_NOTE_TOO_LONG.format(limit=NOTE_LIMIT, length=len(note)))
        return
    await reply(message, await _handled_text(svc, result, report_id))
    if result.outcome is Outcome.HANDLED:
        await svc.delivery.flush()


async def _handled_text(svc: Services, result: Result, report_id: int) -> str:
    report = result.report
    if result.outcome is Outcome.HANDLED:
        also = (
            texts.JUBAO_ALSO.format(ids="、".join(f"#{i}" for i in result.also))
            if result.also
            else ""
        )
        return texts.JUBAO_HANDLED.format(id=report_id, also=also)
    if result.outcome is Outcome.ALREADY_HANDLED and report is not None:
        names = await svc.content_reports.names([report.handled_by])
        return texts.JUBAO_ALREADY_HANDLED.format(
            id=report.id,
            who=names(report.handled_by),
            at=formatting.fmt_time(report.handled_at or report.reported_at, names.tz),
        )
    if result.outcome is Outcome.NOT_ADMIN:
        return texts.JUBAO_ADMIN_ONLY
    return texts.JUBAO_NOT_FOUND.format(id=report_id)


async def on_report_tap(update: Update, context: Context) -> None:
    """标记已处理 on a report's card."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    svc = services(context)
    actor = actor_of(user)
    report_id = parse_tap(query.data)
    card = query.message
    if report_id is not None:
        # The button must sit on a card the bot sent for this very report.
        known = {(c.chat_id, c.message_id) for c in await svc.content_reports.cards(report_id)}
        if card is None or (card.chat.id, card.message_id) not in known:
            report_id = None
    if report_id is None:
        await refuse_forged(context, query, actor)
        return
    result = await svc.content_reports.handle(actor, report_id, "", via="button")
    if result.outcome is Outcome.NOT_FOUND:
        await refuse_forged(context, query, actor)
        return
    text = await _handled_text(svc, result, report_id)
    await alert(query, text, show_alert=result.outcome is not Outcome.HANDLED)
    if result.outcome is Outcome.HANDLED:
        await svc.delivery.flush()


HANDLERS = [
    CommandHandler("jubao", jubao_command, filters=filters.UpdateType.MESSAGE),
    CallbackQueryHandler(on_report_tap, pattern=r"^jb:"),
]
