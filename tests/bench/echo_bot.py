"""The floor for ``bench_pipeline``: a bare python-telegram-bot application.

It echoes texts and answers taps with one message, with PTB's defaults (updates handled one
at a time, as the union's bot does), so whatever the pipeline costs beyond this is the
project's own work. Reads BOT_TOKEN, BOT_API_URL and BOT_FILE_URL like ``python -m bot``.
"""

from __future__ import annotations

import logging
import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

__all__ = ["AGAIN", "AGAIN_DATA", "main"]

AGAIN_DATA = "again"
# Every reply carries a button, so the benchmark can tap as often as the pipeline's users do.
AGAIN = InlineKeyboardMarkup([[InlineKeyboardButton("再来一次", callback_data=AGAIN_DATA)]])


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    await message.reply_text(message.text, reply_markup=AGAIN)


async def on_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the tap, then send one message, as a card transition does at the least."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    await query.answer()
    await context.bot.send_message(query.message.chat.id, f"收到：{query.data}", reply_markup=AGAIN)


def main() -> None:
    """Poll until SIGTERM."""
    logging.basicConfig(level=logging.WARNING)
    application = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(os.environ["BOT_API_URL"])
        .base_file_url(os.environ["BOT_FILE_URL"])
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(CallbackQueryHandler(on_tap))
    application.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
