"""The error handler: log with context, tell the user something went wrong."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from commands.common import Context

__all__ = ["on_error"]

logger = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the exception with the update that caused it, and apologise to the user."""
    summary = "no update"
    if isinstance(update, Update):
        user = update.effective_user
        chat = update.effective_chat
        summary = (
            f"update {update.update_id} from user {user.id if user else '-'}"
            f" in chat {chat.id if chat else '-'}"
        )
    logger.error("error while handling %s", summary, exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.INTERNAL_ERROR, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(texts.INTERNAL_ERROR)
    except TelegramError as exc:
        logger.warning("could not tell the user about the error: %s", exc)
