"""/reasons: the rejection reason templates per criterion; admins add and delete them."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CommandHandler

from bot import formatting, texts
from bot.review.reasons import REASON_TEMPLATE_LIMIT, ReasonTemplate, TooLong
from bot.review.service import Refused
from commands.common import Context, actor_of, refusal_text, reply, services

__all__ = ["HANDLERS"]

logger = logging.getLogger(__name__)


def _listing(templates: list[ReasonTemplate]) -> str:
    lines = [texts.REASON_TEMPLATES_HEADER]
    for key, name in texts.CRITERIA.items():
        lines.append(texts.REASON_TEMPLATES_SECTION.format(criterion=name))
        mine = [t for t in templates if t.criterion == key]
        lines.extend(
            texts.REASON_TEMPLATES_LINE.format(id=t.id, text=formatting.e(t.text)) for t in mine
        )
        if not mine:
            lines.append(texts.REASON_TEMPLATES_NONE)
    return "\n".join(lines)


async def reasons_command(update: Update, context: Context) -> None:
    """/reasons (members see them), /reasons add N 理由, /reasons del ID (admins)."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    actor = actor_of(user)
    if not await svc.members.roles(actor.user_id):
        await reply(message, texts.NOT_STAFF)
        return
    parts = (message.text or "").split(maxsplit=3)
    sub = parts[1] if len(parts) > 1 else ""
    try:
        if sub == "":
            await reply(message, _listing(await svc.reasons.listing()))
        elif sub == "add" and len(parts) == 4 and parts[2] in texts.CRITERIA:
            added = await svc.reasons.add(actor, parts[2], parts[3].strip())
            await reply(
                message,
                texts.REASON_TEMPLATE_ADDED.format(
                    id=added.id,
                    criterion=texts.CRITERIA[added.criterion],
                    text=formatting.e(added.text),
                ),
            )
        elif sub == "del" and len(parts) == 3 and parts[2].isdigit():
            gone = await svc.reasons.remove(actor, int(parts[2]))
            template = texts.REASON_TEMPLATE_DELETED if gone else texts.REASON_TEMPLATE_MISSING
            await reply(message, template.format(id=int(parts[2])))
        else:
            await reply(message, texts.REASON_TEMPLATES_USAGE)
    except Refused as exc:
        await reply(message, refusal_text(exc))
    except TooLong:
        await reply(message, texts.REASON_TEMPLATE_TOO_LONG.format(limit=REASON_TEMPLATE_LIMIT))


HANDLERS = [CommandHandler("reasons", reasons_command)]
