"""Following drafts along: /status, /my, /pending, /history, /withdraw, /revise."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import formatting, texts
from bot.overflow import full_text_file
from bot.review import render
from bot.review.callbacks import CARD_PATTERN, CardTap, parse_card
from bot.review.service import Refused
from commands.common import (
    Context,
    actor_of,
    alert,
    details_allowed,
    draft_number,
    quoted,
    read_tap,
    refuse_exc,
    reply,
    reply_fitted,
    services,
    staff_sender,
)
from commands.content import ContentError, content_from_message, has_content, require_text
from commands.publication import publication_lines
from commands.submit import after_new_version, ask

__all__ = ["HANDLERS"]

logger = logging.getLogger(__name__)

# 发卡片 buttons per tier under /pending: any real backlog, within one message.
_CARD_BUTTONS = 8


async def _numbered(update: Update, context: Context, usage: str) -> tuple[Message, int] | None:
    """The message and the draft number it names, for staff; else the user is told why not."""
    sender = await staff_sender(update, context)
    if sender is None or not await details_allowed(update, context):
        return None
    message = sender[0]
    number = draft_number(context.args)
    if number is None:
        await reply(message, usage)
        return None
    return message, number


async def status_command(update: Update, context: Context) -> None:
    """/status N: where a draft stands and who decided what."""
    asked = await _numbered(update, context, texts.STATUS_USAGE)
    if asked is None:
        return
    message, number = asked
    svc = services(context)
    try:
        draft, decisions = await svc.pipeline.view(number)
    except Refused as exc:
        await refuse_exc(context, update, exc)
        return
    ids = [draft.submitter_id, draft.editor_id, *(d.reviewer_id for d in decisions)]
    names = formatting.Names(await svc.members.users_by_id(ids), svc.config.timezone)
    sent = await reply_fitted(
        message,
        render.status(draft, decisions, names, await svc.pipeline.state_name(draft)),
        texts.FILE_STATUS.format(id=draft.id),
    )
    # Where the approved version went out and whether the 公众号 article matches it.
    published = await publication_lines(svc, draft.id, draft.version)
    if published:
        await sent.reply_html(published, do_quote=False)


async def my_command(update: Update, context: Context) -> None:
    """/my: the member's own drafts."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or not await details_allowed(update, context, own=True):
        return
    found = await services(context).pipeline.mine(user.id)
    if not found:
        await reply(message, texts.MY_EMPTY)
        return
    cancelled = await services(context).pipeline.cancelled([d.id for d in found])
    lines = [texts.MY_HEADER.format(count=len(found))]
    lines += [
        texts.MY_LINE.format(
            id=d.id,
            title=formatting.e(d.title),
            state=texts.STATE_CANCELLED if d.id in cancelled else texts.STATE_NAMES[d.state],
        )
        for d in found
    ]
    await reply(message, "\n".join(lines))


async def pending_command(update: Update, context: Context) -> None:
    """/pending: drafts waiting for the member's editing or review tier."""
    sender = await staff_sender(update, context)
    if sender is None or not await details_allowed(update, context):
        return
    message, user = sender
    svc = services(context)
    pending = await svc.pipeline.pending_for(user.id)
    waiting = [*pending.editing, *(d for ds in pending.review.values() for d in ds)]
    if not waiting:
        await reply(message, texts.PENDING_EMPTY)
        return
    names = formatting.Names(
        await svc.members.users_by_id(d.submitter_id for d in waiting), svc.config.timezone
    )
    lines = [texts.PENDING_HEADER]
    sections = [(texts.PENDING_EDITING, pending.editing)] + [
        (texts.STATE_NAMES[d[0].state], d) for d in pending.review.values()
    ]
    for title, group in sections:
        if not group:
            continue
        lines.append(texts.PENDING_SECTION.format(stage=title))
        # Urgent drafts first (article 10), then oldest first as listed.
        lines += [
            texts.PENDING_LINE.format(
                urgent=texts.URGENT_MARK if d.urgent else "",
                id=d.id,
                title=formatting.e(d.title),
                version=d.version,
                submitter=names(d.submitter_id),
            )
            for d in sorted(group, key=lambda d: not d.urgent)
        ]
    buttons = [
        [
            InlineKeyboardButton(
                texts.BUTTON_PENDING_CARD.format(id=d.id, tier=tier),
                callback_data=CardTap(d.id, d.version, tier).encode(),
            )
        ]
        for tier, group in sorted(pending.review.items())
        for d in sorted(group, key=lambda d: not d.urgent)[:_CARD_BUTTONS]
    ]
    lines.append(texts.PENDING_CARD_HINT if buttons else "")
    await reply(
        message,
        "\n".join(lines).rstrip(),
        reply_markup=InlineKeyboardMarkup(buttons) if buttons else None,
    )


async def on_card_tap(update: Update, context: Context) -> None:
    """发卡片 under /pending: the live review card, with its buttons, in this chat."""
    tapped = await read_tap(update, context, parse_card)
    if tapped is None:
        return
    svc = services(context)
    tap, query = tapped.tap, tapped.query
    chat_id = tapped.message.chat.id if tapped.message else tapped.actor.user_id
    try:
        await svc.pipeline.resend_card(tapped.actor, tap.draft_id, tap.version, tap.tier, chat_id)
    except Refused as exc:
        await refuse_exc(context, update, exc)
        return
    await alert(query, texts.DONE, show_alert=False)
    await svc.delivery.flush()


async def history_command(update: Update, context: Context) -> None:
    """/history N: the draft's audit trail, every event with who and when."""
    asked = await _numbered(update, context, texts.HISTORY_USAGE)
    if asked is None:
        return
    message, number = asked
    svc = services(context)
    try:
        draft, events = await svc.pipeline.history(number)
    except Refused as exc:
        await refuse_exc(context, update, exc)
        return
    # A stand-in's decision names the reviewer too; a handover, whom it went to.
    named: list[object] = [e.actor_id for e in events]
    named += [e.detail.get(k) for e in events for k in ("on_behalf_of", "to")]
    names = formatting.Names(
        await svc.members.users_by_id(n for n in named if isinstance(n, int)), svc.config.timezone
    )
    lines = render.history(draft, events, names)
    for html in formatting.pack([line.html for line in lines]):
        sent = await reply(message, html)
    if any(line.cut for line in lines):
        # A line too long for one message was shortened: the whole trail follows as a file.
        await sent.reply_document(
            full_text_file(
                "\n".join(line.full_text for line in lines),
                texts.FILE_HISTORY.format(id=draft.id),
            ),
            caption=texts.FULL_MESSAGE_CAPTION,
        )


async def urgent_command(update: Update, context: Context) -> None:
    """/urgent N [取消]: an admin flags a draft urgent (article 10), or takes the flag off."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    hours = f"{svc.config.reminders.urgent_deadline_hours:g}"
    args = list(context.args or [])
    number = draft_number(args[:1])
    clearing = args[1:] in (["取消"], ["off"], ["no"])
    if number is None or (len(args) > 1 and not clearing):
        await reply(message, texts.URGENT_USAGE.format(hours=hours))
        return
    try:
        draft = await svc.pipeline.mark_urgent(actor_of(user), number, not clearing)
    except Refused as exc:
        await refuse_exc(context, update, exc)
        return
    if draft is None:
        await reply(message, texts.URGENT_ALREADY.format(id=number))
        return
    template = texts.URGENT_CLEARED if clearing else texts.URGENT_SET
    await reply(message, template.format(id=draft.id, title=formatting.e(draft.title), hours=hours))
    await svc.delivery.flush()


async def revise_command(update: Update, context: Context) -> None:
    """/revise N: send a new version of a rejected draft (as a reply, or when asked)."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    number = draft_number(context.args)
    if number is None:
        await reply(message, texts.REVISE_USAGE)
        return
    svc = services(context)
    actor = actor_of(user)
    source = message.reply_to_message
    try:
        draft = await svc.pipeline.may_revise(actor, number)
        if (
            source is not None
            and has_content(source)
            and not (source.from_user and source.from_user.is_bot)
        ):
            content = require_text(
                await content_from_message(context.bot, source, services(context).files)
            )
            draft = await svc.pipeline.revise(
                actor, number, content, message.chat_id, quoted(message)
            )
            await after_new_version(context, actor, draft, message)
            await svc.delivery.flush()
            return
    except ContentError as exc:
        await reply(message, str(exc))
        return
    except Refused as exc:
        await refuse_exc(context, update, exc)
        return
    await ask(
        context,
        "revise",
        actor,
        message.chat_id,
        number,
        texts.REVISE_PROMPT.format(
            mention=formatting.mention(actor.user_id, actor.name), id=number
        ),
        message.message_id,
    )


HANDLERS = [
    CommandHandler("status", status_command),
    CommandHandler("my", my_command),
    CommandHandler("pending", pending_command),
    CallbackQueryHandler(on_card_tap, pattern=CARD_PATTERN),
    CommandHandler("history", history_command),
    CommandHandler("revise", revise_command),
    CommandHandler("urgent", urgent_command),
]
