"""/report: assessment reports (articles 19-21) for admins and advisors."""

from __future__ import annotations

import asyncio
import logging

from telegram import InputFile, Message, Update
from telegram.error import BadRequest
from telegram.ext import CommandHandler

from bot import texts
from bot.assessment.report_csv import report_csv
from bot.assessment.reports import (
    ChartData,
    PeriodError,
    Report,
    generate,
    parse_period,
    record_pull,
    record_refusal,
    summary_html,
)
from bot.assessment.units import in_minutes
from commands.common import Context, reply, services
from storage.models import Role

__all__ = ["HANDLERS", "report_command"]

logger = logging.getLogger(__name__)

# Who may pull reports: they show every member's performance.
ALLOWED = frozenset({Role.ADMIN, Role.REVIEWER3})


async def report_command(update: Update, context: Context) -> None:
    """/report [period]: a summary, the CSV per member, and the chart."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    chat = message.chat
    if not ALLOWED & await svc.members.roles(user.id):
        await record_refusal(svc.db, user.id, "role", chat.id)
        await reply(message, texts.REPORT_NOT_ALLOWED)
        return
    if chat.type != "private" and chat.id != svc.config.chats.admins:
        await record_refusal(svc.db, user.id, "chat", chat.id)
        await reply(message, texts.REPORT_WRONG_CHAT)
        return
    try:
        period = parse_period(list(context.args or []), svc.members.today())
    except PeriodError as exc:
        await reply(message, str(exc))
        return
    report = await generate(svc.db, svc.config, svc.pipeline.timing, period)
    await record_pull(svc.db, user.id, period, chat.id)
    await reply(message, summary_html(report))
    await _send_csv(message, report)
    if not report.empty:
        await _send_chart(message, report)


async def _send_csv(message: Message, report: Report) -> None:
    period = report.period
    caption = texts.REPORT_CSV_CAPTION_EMPTY if report.empty else texts.REPORT_CSV_CAPTION
    await message.reply_document(
        InputFile(
            report_csv(report),
            filename=texts.REPORT_CSV_FILE.format(start=period.start, end=period.end),
        ),
        caption=caption.format(start=period.start, end=period.end, count=len(report.members)),
    )


def _draw(chart: ChartData) -> bytes:
    """The chart as PNG; matplotlib is imported on first use, so the bot starts quicker."""
    from bot.assessment import chart as report_chart

    return report_chart.render_chart(chart)


async def _send_chart(message: Message, report: Report) -> None:
    # matplotlib takes a moment: keep the event loop serving other chats meanwhile.
    png = await asyncio.to_thread(_draw, report.chart)
    period = report.period
    name = texts.REPORT_CHART_FILE.format(start=period.start, end=period.end)
    caption = texts.REPORT_CHART_CAPTION.format(
        unit=texts.REPORT_CHART_MINUTES if in_minutes(report.chart) else texts.REPORT_CHART_HOURS
    )
    try:
        await message.reply_photo(InputFile(png, filename=name), caption=caption)
    except BadRequest as exc:
        # A photo Telegram will not take (size, dimensions) still arrives as a file.
        logger.warning("report chart refused as a photo (%s); sending it as a file", exc)
        await message.reply_document(InputFile(png, filename=name), caption=caption)


HANDLERS = [CommandHandler("report", report_command)]
