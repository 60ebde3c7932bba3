"""Telegram handlers only: parse the update, call a service, render the reply."""

from __future__ import annotations

from telegram.ext import Application, BaseHandler

from commands import (
    account_changes,
    audit,
    chatid,
    drafts,
    followup,
    inbox,
    jubao,
    keywords,
    meetings,
    messages,
    outbox,
    partners,
    publication,
    reasons,
    report,
    review,
    roles,
    standins,
    start,
    stray,
    submit,
    withdrawal,
)
from commands.common import UNKNOWN_TAP
from commands.errors import on_error

__all__ = ["HANDLERS", "register"]

# Order matters within a group: commands before the catch-all message router.
HANDLERS: list[BaseHandler] = [  # type: ignore[type-arg]
    *start.HANDLERS,
    *chatid.HANDLERS,
    *submit.HANDLERS,
    *drafts.HANDLERS,
    *withdrawal.HANDLERS,
    *stray.HANDLERS,
    *followup.HANDLERS,
    *roles.HANDLERS,
    *keywords.HANDLERS,
    *reasons.HANDLERS,
    *meetings.HANDLERS,
    *inbox.HANDLERS,
    *audit.HANDLERS,
    *jubao.HANDLERS,
    *report.HANDLERS,
    *partners.HANDLERS,
    *publication.HANDLERS,
    *account_changes.HANDLERS,
    *outbox.HANDLERS,
    *standins.HANDLERS,
    *review.HANDLERS,
    *messages.HANDLERS,
    UNKNOWN_TAP,
]


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add every handler and the error handler to ``application``."""
    application.add_handlers(HANDLERS)
    # In a group of its own, before everything, so it sees every private message.
    application.add_handler(outbox.RELEASE, group=-2)
    application.add_error_handler(on_error)
