"""/withdraw N asks first: a draft is withdrawn only when its submitter (or an admin) confirms."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import formatting, texts
from bot.review import workflow
from bot.review.service import Refused
from commands.common import (
    Context,
    alert,
    draft_number,
    read_tap,
    refusal_text,
    refuse_exc,
    reply,
    services,
)

__all__ = ["HANDLERS", "WithdrawTap", "parse_withdraw"]

logger = logging.getLogger(__name__)

_WITHDRAW = re.compile(r"wd:(\d{1,12}):([yn])")
WITHDRAW_PATTERN = r"^wd:"


@dataclass(frozen=True, slots=True)
class WithdrawTap:
    """确定撤回 (``y``) or 不撤回 (``n``) under the question about draft ``draft_id``."""

    draft_id: int
    yes: bool

    def encode(self) -> str:
        """The callback data."""
        return f"wd:{self.draft_id}:{'y' if self.yes else 'n'}"


def parse_withdraw(data: str | None) -> WithdrawTap | None:
    """The tap this callback data stands for, or None when it is malformed."""
    m = _WITHDRAW.fullmatch(data or "")
    return WithdrawTap(int(m[1]), m[2] == "y") if m else None


async def withdraw_command(update: Update, context: Context) -> None:
    """/withdraw N: ask before taking a draft back (refused at once when it cannot be)."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    number = draft_number(context.args)
    if number is None:
        await reply(message, texts.WITHDRAW_USAGE)
        return
    svc = services(context)
    try:
        draft = await svc.pipeline.draft(number)
    except Refused as exc:
        await refuse_exc(context, update, exc)
        return
    refusal = workflow.check_withdraw(draft, user.id, await svc.members.roles(user.id))
    if refusal is not None:
        state = await svc.pipeline.state_name(draft)
        await refuse_exc(context, update, Refused(refusal, state=state))
        return
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.BUTTON_WITHDRAW_YES, callback_data=WithdrawTap(draft.id, True).encode()
                ),
                InlineKeyboardButton(
                    texts.BUTTON_WITHDRAW_NO, callback_data=WithdrawTap(draft.id, False).encode()
                ),
            ]
        ]
    )
    await reply(
        message,
        texts.WITHDRAW_CONFIRM.format(id=draft.id, title=formatting.e(draft.title)),
        reply_markup=buttons,
    )


async def on_withdraw_tap(update: Update, context: Context) -> None:
    """The answer to the question: withdraw now, or leave the draft as it is."""
    tapped = await read_tap(update, context, parse_withdraw)
    if tapped is None:
        return
    query, actor, tap = tapped.query, tapped.actor, tapped.tap
    svc = services(context)
    if not tap.yes:
        text = texts.WITHDRAW_KEPT.format(id=tap.draft_id)
    else:
        try:
            draft = await svc.pipeline.withdraw(actor, tap.draft_id)
        except Refused as exc:
            await alert(query, refusal_text(exc))
            return
        text = texts.WITHDRAWN.format(id=draft.id, title=formatting.e(draft.title))
    await alert(query, texts.DONE, show_alert=False)
    if tapped.message is not None:
        try:
            await tapped.message.edit_text(text, reply_markup=None)
        except TelegramError as exc:
            logger.info("could not close the withdrawal question: %s", exc)
            await context.bot.send_message(actor.user_id, text)
    await svc.delivery.flush()


HANDLERS = [
    CommandHandler("withdraw", withdraw_command),
    CallbackQueryHandler(on_withdraw_tap, pattern=WITHDRAW_PATTERN),
]
