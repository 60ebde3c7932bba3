"""/final N (the 定稿 again), /posted N 链接 and the 「登记发布链接」 button (the publication
record), and the publication lines of /status."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import texts
from bot.formatting import e
from bot.members import Actor
from bot.publication import render
from bot.publication.sending import parse_posted_tap
from bot.publication.service import PublicationRefused
from bot.services import Services
from commands.common import (
    Context,
    actor_of,
    alert,
    draft_number,
    read_tap,
    reply,
    services,
    staff_sender,
)
from commands.submit import ask
from storage.models import SUBMITTER_ROLES, Prompt

__all__ = ["HANDLERS", "POSTED_PROMPT", "answer_posted", "publication_lines"]

logger = logging.getLogger(__name__)

# The prompt kind of the 「登记发布链接」 button's question.
POSTED_PROMPT = "posted"


async def final_command(update: Update, context: Context) -> None:
    """/final N: the 定稿 again, in this chat, at any time (staff only)."""
    sender = await staff_sender(update, context, texts.FINAL_NOT_STAFF)
    if sender is None:
        return
    message, user = sender
    number = draft_number(context.args)
    if number is None:
        await reply(message, texts.FINAL_USAGE)
        return
    svc = services(context)
    try:
        await svc.publication.send_final(actor_of(user), number, message.chat_id)
    except PublicationRefused as exc:
        await reply(message, str(exc))
        return
    await reply(message, texts.FINAL_QUEUED.format(id=number))
    await svc.delivery.flush()


async def posted_command(update: Update, context: Context) -> None:
    """/posted N 链接 [账号]: where the approved version went out."""
    sender = await staff_sender(update, context, texts.FINAL_NOT_STAFF)
    if sender is None:
        return
    message, user = sender
    args = context.args or []
    number = draft_number(args)
    if number is None or len(args) < 2:
        await reply(message, texts.POSTED_USAGE)
        return
    await _record(context, actor_of(user), message, number, args[1], " ".join(args[2:]))


async def _record(
    context: Context, actor: Actor, message: Message, draft_id: int, url: str, account: str
) -> bool:
    svc = services(context)
    try:
        link = await svc.publication.record_link(actor, draft_id, url, account)
    except PublicationRefused as exc:
        await reply(message, str(exc))
        return False
    platform = e(link.account) if link.account else texts.PLATFORM_NAMES[link.platform]
    checking = texts.POSTED_CHECKING.format(id=draft_id) if link.check_state == "pending" else ""
    await reply(
        message,
        texts.POSTED_DONE.format(id=draft_id, platform=platform, url=e(link.url), check=checking),
    )
    await svc.delivery.flush()
    return True


async def on_posted_tap(update: Update, context: Context) -> None:
    """「登记发布链接」 on a 定稿: ask for the link as a reply."""
    tapped = await read_tap(update, context, parse_posted_tap)
    if tapped is None:
        return
    svc = services(context)
    actor, draft_id = tapped.actor, tapped.tap
    roles = await svc.members.roles(actor.user_id)
    if not roles - SUBMITTER_ROLES:
        await alert(tapped.query, texts.FINAL_NOT_STAFF)
        return
    chat_id = tapped.message.chat.id if tapped.message else actor.user_id
    await alert(tapped.query, texts.DONE, show_alert=False)
    await ask(
        context,
        POSTED_PROMPT,
        actor,
        chat_id,
        draft_id,
        texts.POSTED_PROMPT.format(id=draft_id),
        tapped.message.message_id if tapped.message else None,
    )


async def answer_posted(context: Context, actor: Actor, message: Message, prompt: Prompt) -> bool:
    """The reply to 「登记发布链接」: the link (and, for another account, its name)."""
    assert prompt.draft_id is not None
    words = (message.text or "").split()
    if not words:
        await reply(message, texts.POSTED_USAGE)
        return False
    return await _record(context, actor, message, prompt.draft_id, words[0], " ".join(words[1:]))


async def publication_lines(svc: Services, draft_id: int, version: int) -> str:
    """What /status adds for an approved draft: the draft box's media id and the records."""
    parts = []
    media_id = await svc.publication.media_id(draft_id, version)
    if media_id is not None:
        parts.append(texts.STATUS_MEDIA.format(media_id=e(media_id)))
    links = await svc.publication.links(draft_id)
    if links:
        parts.append(texts.STATUS_PUBLICATION.format(lines=render.link_lines(links)))
    return "\n".join(parts)


HANDLERS = [
    CommandHandler("final", final_command),
    CommandHandler("posted", posted_command),
    CallbackQueryHandler(on_posted_tap, pattern=r"^pl:"),
]
