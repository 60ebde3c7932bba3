"""/audit: admins export the audit trail over a date range as a CSV file."""

from __future__ import annotations

from datetime import datetime

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot import texts
from bot.assessment.audit_csv import RangeError, counted_refusals, export_csv, parse_range
from commands.common import Context, refuse, reply, services
from storage import refusals
from storage.models import Role

__all__ = ["HANDLERS"]


async def audit_command(update: Update, context: Context) -> None:
    """/audit [start] [end]: the audit trail as CSV."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    if Role.ADMIN not in await svc.members.roles(user.id):
        await refuse(context, update, "not_admin", texts.AUDIT_ADMIN_ONLY)
        return
    tz = svc.config.timezone
    try:
        span = parse_range(list(context.args or []), datetime.now(tz).date())
    except RangeError as exc:
        await reply(message, str(exc))
        return
    data, count = await export_csv(svc.db, span, tz)
    if count == 0:
        await reply(message, texts.AUDIT_EMPTY.format(start=span.start, end=span.end))
        return
    caption = texts.AUDIT_CAPTION.format(start=span.start, end=span.end, count=count, tz=tz.key)
    # A flood's refusals past the per-minute allowance have no rows; the caption gives their sum.
    counted = await counted_refusals(svc.db, span, tz)
    if counted:
        flood = texts.ACTIONS[refusals.FLOOD_ACTION]
        caption += texts.AUDIT_COUNTED.format(count=counted, flood=flood)
    await message.reply_document(
        InputFile(data, filename=texts.AUDIT_FILE.format(start=span.start, end=span.end)),
        caption=caption,
    )


HANDLERS = [CommandHandler("audit", audit_command)]
