"""The outbox senders of reports: the admins' card, its edit once handled, the reporter's notice."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import formatting, texts
from bot.jubao.service import (
    CARD_KIND,
    NOTICE_KIND,
    REFRESH_KIND,
    ContentReports,
    ReportItem,
    tap_data,
)
from bot.outbox.runner import Delivery
from storage.models import OutboxItem

__all__ = ["ReportSender", "report_markup"]

logger = logging.getLogger(__name__)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def report_markup(report_id: int) -> InlineKeyboardMarkup:
    """The 标记已处理 button of a report's card."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.BUTTON_JUBAO_HANDLED, callback_data=tap_data(report_id))]]
    )


class ReportSender:
    """Sends the outbox's report deliveries; the delivery service retries and settles them."""

    def __init__(self, bot: Bot, reports: ContentReports) -> None:
        self.bot = bot
        self.reports = reports

    def register(self, delivery: Delivery) -> None:
        """Handle the report card, its refresh and the reporter's notice."""
        delivery.register(CARD_KIND, self.card)
        delivery.register(REFRESH_KIND, self.refresh)
        delivery.register(NOTICE_KIND, self.notice)

    @staticmethod
    def _report_id(item: OutboxItem) -> int:
        return ReportItem.read(item.payload).report

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
                    reply_markup=report_markup(report_id),
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
        markup = report_markup(report_id) if report.is_open else None
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
