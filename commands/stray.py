"""A private reply to a bot message that asked nothing: offered as a draft, never one by itself.

The question is sent as a reply to the officer's message, so the tap finds that message again
(``reply_to_message``) without the bot keeping a copy of it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot import texts
from commands.common import Context, alert, ask_quoting, quoted_source, read_tap, reply, services
from commands.submit import start_draft

__all__ = ["HANDLERS", "StrayTap", "offer_as_draft", "parse_stray"]

logger = logging.getLogger(__name__)

_STRAY = re.compile(r"sd:([yn])")
STRAY_PATTERN = r"^sd:"


@dataclass(frozen=True, slots=True)
class StrayTap:
    """作为新稿件 (``yes``) or 不用, under the question about the message it replies to."""

    yes: bool

    def encode(self) -> str:
        """The callback data."""
        return f"sd:{'y' if self.yes else 'n'}"


def parse_stray(data: str | None) -> StrayTap | None:
    """The tap this callback data stands for, or None when it is malformed."""
    m = _STRAY.fullmatch(data or "")
    return StrayTap(m[1] == "y") if m else None


async def offer_as_draft(message: Message) -> None:
    """Ask whether ``message`` is meant as a new draft."""
    await ask_quoting(
        message,
        texts.NOT_AWAITED,
        (texts.BUTTON_AS_DRAFT, StrayTap(True).encode()),
        (texts.BUTTON_NOT_DRAFT, StrayTap(False).encode()),
    )


async def on_stray_tap(update: Update, context: Context) -> None:
    """The officer's answer: make the quoted message a draft, or leave it."""
    tapped = await read_tap(update, context, parse_stray)
    if tapped is None:
        return
    quoted = await quoted_source(context, tapped)
    if quoted is None:
        return
    query, actor, (question, source) = tapped.query, tapped.actor, quoted
    await alert(query, texts.DONE, show_alert=False)
    try:
        await question.edit_reply_markup(None)
    except TelegramError as exc:
        logger.info("could not remove the buttons of a draft offer: %s", exc)
    if not tapped.tap.yes:
        await reply(question, texts.NOT_DRAFT_OK)
        return
    await start_draft(context, actor, source, source)
    await services(context).delivery.flush()


HANDLERS = [CallbackQueryHandler(on_stray_tap, pattern=STRAY_PATTERN)]
