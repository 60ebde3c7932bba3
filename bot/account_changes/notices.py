"""Messages about account-change notices: the outbox kind that tells the admins and advisors,
and the reminder kind sent on the last working day before a change takes effect.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.constants import ParseMode

from bot import formatting, texts
from bot.account_changes.rules import (
    OUTBOX_KIND,
    REMINDER_KIND,
    NoticeRule,
    change_summary_part,
    change_unknown_note,
    day_text,
)
from bot.account_changes.service import AccountChanges, ChangeNotice, ChangeReminder
from bot.outbox.runner import Delivery
from bot.reminders.scheduler import ReminderScheduler, Unreachable
from storage.account_changes import AccountChange
from storage.models import OutboxItem
from storage.reminders import Reminder

__all__ = ["AccountChangeNotices", "AccountChangeReminders", "notice_text"]

logger = logging.getLogger(__name__)


def notice_text(change: AccountChange, names: formatting.Names, rule: NoticeRule) -> str:
    """The notice the admins and advisors get when a change is filed."""
    return formatting.fit(
        texts.AC_NOTICE,
        id=change.id,
        summary=change_summary_part(change),
        filer=formatting.Html(names(change.filed_by)),
        at=formatting.Html(formatting.fmt_time(change.filed_at, names.tz)),
        unknown=formatting.Html(change_unknown_note(change, rule)),
    ).html


def cancelled_text(change: AccountChange, names: formatting.Names) -> str:
    """The message everyone told of a notice gets when it is withdrawn."""
    reason: formatting.Field = (
        formatting.Part(texts.AC_CANCEL_REASON, reason=change.cancel_reason)
        if change.cancel_reason
        else formatting.Html("")
    )
    return formatting.fit(
        texts.AC_NOTICE_CANCELLED,
        id=change.id,
        account=change.account,
        date=formatting.Html(day_text(change.effective_on)),
        who=formatting.Html(names(change.cancelled_by)),
        reason=reason,
    ).html


class AccountChangeNotices:
    """Sends the outbox items of kind ``account_change`` (filed or cancelled, one chat each)."""

    def __init__(self, bot: Bot, service: AccountChanges) -> None:
        self.bot = bot
        self.service = service

    def register(self, delivery: Delivery) -> None:
        """Let the delivery send this kind."""
        delivery.register(OUTBOX_KIND, self._send)

    async def _send(self, item: OutboxItem) -> None:
        payload = item.payload
        notice = ChangeNotice.read(payload)
        change = await self.service.get(notice.change)
        if change is None:
            logger.error("outbox %s names account change %s, which is gone", item.id, payload)
            return
        names = await self.service.names([change.filed_by, change.cancelled_by])
        if notice.event == "cancelled":
            html = cancelled_text(change, names)
        else:
            html = notice_text(change, names, self.service.rule)
        await self.bot.send_message(notice.chat_id, html, parse_mode=ParseMode.HTML)


class AccountChangeReminders:
    """On the last working day before a change takes effect, the people concerned hear of it."""

    def __init__(self, scheduler: ReminderScheduler, service: AccountChanges) -> None:
        self.scheduler = scheduler
        self.service = service
        self.timing = scheduler.timing

    def register(self) -> None:
        """Handle ``account_change`` reminders."""
        self.scheduler.handlers[REMINDER_KIND] = self._due

    async def _due(self, reminder: Reminder) -> str:
        change = await self.service.get(ChangeReminder.read(reminder.payload).change)
        if change is None:
            return "the notice is gone"
        if change.cancelled:
            return "the notice was cancelled"
        now = self.scheduler.now()
        if now.astimezone(self.timing.tz).date() >= change.effective_on:
            # The bot was down through the day before: the reminder no longer helps.
            return "the change is already in effect"
        if self.timing.in_quiet_hours(now):
            return "quiet"
        async with self.service.db.reading() as conn:
            targets = await self.service.targets(conn, exclude=change.filed_by)
        if not await self.scheduler.claim(reminder):
            return "taken"
        names = await self.service.names([change.filed_by])
        html = formatting.fit(
            texts.AC_REMINDER,
            id=change.id,
            date=formatting.Html(day_text(change.effective_on)),
            summary=change_summary_part(change),
            filer=formatting.Html(names(change.filed_by)),
        ).html
        reached = 0
        if targets:
            try:
                reached += await self.scheduler.send(targets, html)
            except Unreachable:
                logger.warning("nobody took the reminder of account change #%s", change.id)
        try:
            reached += await self.scheduler.send([change.filed_by], html)
        except Unreachable:
            logger.info("the filer of account change #%s cannot be reached", change.id)
        if not reached:
            raise Unreachable(f"no chat took the reminder of account change #{change.id}")
        return "sent"
