"""Sending a fitted message: when its user text had to be shortened, the full text follows as a
.txt file with a Chinese name, replying to the message, so nothing the user wrote is lost."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, InputFile, Message
from telegram.constants import ParseMode

from bot import texts
from bot.formatting import Fitted

__all__ = ["full_text_file", "send_fitted", "send_full_text"]

logger = logging.getLogger(__name__)


def full_text_file(text: str, what: str) -> InputFile:
    """``text`` as a UTF-8 .txt file named after ``what`` (e.g. 稿件12-第1版-驳回理由-全文.txt)."""
    name = texts.FULL_MESSAGE_FILE.format(what=what.replace("/", "／"))
    return InputFile(text.encode("utf-8"), filename=name)


async def send_full_text(
    bot: Bot, chat_id: int, fitted: Fitted, what: str, reply_to: int
) -> Message | None:
    """The full text of a shortened message, as a file replying to it (nothing when not cut)."""
    if not fitted.cut:
        return None
    return await bot.send_document(
        chat_id,
        full_text_file(fitted.full_text, what),
        caption=texts.FULL_MESSAGE_CAPTION,
        reply_to_message_id=reply_to,
        allow_sending_without_reply=True,
    )


async def send_fitted(bot: Bot, chat_id: int, fitted: Fitted, what: str, **kwargs: Any) -> Message:
    """Send ``fitted`` as HTML, then its full text as a file if it was shortened; the message."""
    message = await bot.send_message(chat_id, fitted.html, parse_mode=ParseMode.HTML, **kwargs)
    await send_full_text(bot, chat_id, fitted, what, message.message_id)
    return message
