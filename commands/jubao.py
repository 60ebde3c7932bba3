"""/jubao (举报, article 24): report a group message; admins list and mark reports handled.

Also the outbox senders of reports (the admins' card, its edit, the reporter's notice), which
``build_application`` registers with the delivery service.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import formatting, texts
from bot.jubao.service import (
    CARD_KIND,
    NOTE_LIMIT,
    NOTICE_KIND,
    REASON_LIMIT,
    REFRESH_KIND,
    ContentReports,
    Outcome,
    Reported,
    Result,
    listing_html,
    parse_tap,
    tap_data,
)
from bot.members import Actor
from bot.services import Services
from commands.common import Context, actor_of, alert, draft_number, refuse_forged, reply, services
from storage.models import OutboxItem, Role

__all__ = ["HANDLERS", "ReportSender", "jubao_command", "on_report_tap"]

logger = logging.getLogger(__name__)

_DONE_WORDS = frozenset({"done", "完成", "已处理"})
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _markup(report_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.BUTTON_JUBAO_HANDLED, callback_data=tap_data(report_id))]]
    )


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
        await _without_reply(message, svc, actor)
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


async def _without_reply(message: Message, svc: Services, actor: Actor) -> None:
    roles = await svc.members.roles(actor.user_id)
    if not roles:
        await reply(message, texts.JUBAO_NOT_MEMBER)
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
    await reply(message, texts.JUBAO_USAGE + (texts.JUBAO_USAGE_ADMIN if admin else ""))


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


class ReportSender:
    """Sends the outbox's report deliveries; the delivery service retries and settles them."""

    def __init__(self, bot: Bot, reports: ContentReports) -> None:
        self.bot = bot
        self.reports = reports

    def senders(self) -> dict[str, Callable[[OutboxItem], Awaitable[None]]]:
        """The outbox kinds this sender handles."""
        return {CARD_KIND: self.card, REFRESH_KIND: self.refresh, NOTICE_KIND: self.notice}

    @staticmethod
    def _report_id(item: OutboxItem) -> int:
        return int(str(item.payload["report"]))

    async def card(self, item: OutboxItem) -> None:
        """The report's card to the admins' chat, or to each admin privately."""
        report_id = self._report_id(item)
        view = await self.reports.view(report_id)
        if view is None or not view[0].is_open:
            # Handled (by /jubao done) before its card went out: nothing left to ask.
            return
        html = view[1]
        have = {c.chat_id for c in await self.reports.cards(report_id)}
        targets = await self.reports.card_targets()
        delivered = bool(have & set(targets))
        last: TelegramError | None = None
        for chat_id in targets:
            if chat_id in have:
                continue
            try:
                sent = await self.bot.send_message(
                    chat_id,
                    html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=_markup(report_id),
                    link_preview_options=_NO_PREVIEW,
                )
            except (Forbidden, BadRequest) as exc:
                # One admin who never opened a chat with the bot must not hold up the others.
                logger.warning("report #%s card to %s failed: %s", report_id, chat_id, exc)
                await self.reports.card_failed(report_id, chat_id, str(exc))
                last = exc
                continue
            await self.reports.card_sent(report_id, sent.chat_id, sent.message_id)
            delivered = True
        if not delivered:
            if last is not None:
                raise last
            logger.error("report #%s: nobody to send its card to", report_id)

    async def refresh(self, item: OutboxItem) -> None:
        """Edit every copy of the card to show who handled the report and when."""
        report_id = self._report_id(item)
        view = await self.reports.view(report_id)
        if view is None:
            return
        report, html = view
        markup = _markup(report_id) if report.is_open else None
        for card in await self.reports.cards(report_id):
            try:
                await self.bot.edit_message_text(
                    html,
                    card.chat_id,
                    card.message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    link_preview_options=_NO_PREVIEW,
                )
            except BadRequest as exc:
                # Already showing this (a retry), or deleted by someone: nothing to fix.
                level = logging.INFO if "not modified" in str(exc).lower() else logging.WARNING
                logger.log(
                    level, "report #%s card %s not edited: %s", report_id, card.message_id, exc
                )
            except Forbidden as exc:
                logger.warning(
                    "report #%s card in %s unreachable: %s", report_id, card.chat_id, exc
                )

    async def notice(self, item: OutboxItem) -> None:
        """Tell the reporter privately that the report was handled, if the bot can reach them."""
        report = await self.reports.get(self._report_id(item))
        if report is None:
            return
        html = texts.JUBAO_NOTICE.format(
            id=report.id, chat=formatting.e(report.chat_title) or texts.NOBODY
        )
        try:
            await self.bot.send_message(report.reported_by, html, parse_mode=ParseMode.HTML)
        except (Forbidden, BadRequest) as exc:
            # They never opened a private chat with the bot (or blocked it); the card says it all.
            logger.info("reporter of #%s not told: %s", report.id, exc)
            await self.reports.noticed(report, str(exc))
            return
        await self.reports.noticed(report, None)


HANDLERS = [
    CommandHandler("jubao", jubao_command, filters=filters.UpdateType.MESSAGE),
    CallbackQueryHandler(on_report_tap, pattern=r"^jb:"),
]
