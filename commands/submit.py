"""Drafts coming in: private messages, /submit in groups, the intake card and its prompts."""

from __future__ import annotations

import logging

from telegram import ForceReply, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import formatting, texts
from bot.members import Actor
from bot.review.callbacks import INTAKE_PATTERN, parse_intake
from bot.review.intake import BODY_GAP
from bot.review.service import TITLE_LIMIT, Refused, Stage
from bot.review.workflow import Refusal
from commands.common import (
    Context,
    actor_of,
    alert,
    bound,
    quoted,
    read_tap,
    refuse,
    refuse_exc,
    reply,
    services,
)
from commands.content import ContentError, content_from_message
from storage.models import SUBMITTER_ROLES, Draft, DraftState, Role

__all__ = [
    "HANDLERS",
    "after_new_version",
    "answer_intake_prompt",
    "ask",
    "on_intake_tap",
    "start_draft",
    "tell_blocked",
]

logger = logging.getLogger(__name__)


async def start_draft(context: Context, actor: Actor, source: Message, answer_to: Message) -> None:
    """Make ``source`` a new draft of ``actor`` and show them the intake card."""
    svc = services(context)
    roles = await svc.members.roles(actor.user_id)
    if not SUBMITTER_ROLES & roles:
        if Role.ADMIN in roles:
            refusal = texts.NOT_OFFICER_ADMIN
        elif (ended := await svc.members.volunteer_ended(actor.user_id)) is not None:
            refusal = texts.refusal(Refusal.ROLE_ENDED, until=ended)
        else:
            refusal = texts.NOT_OFFICER.format(user_id=actor.user_id)
        await refuse(context, answer_to, "not_submitter", refusal)
        return
    try:
        content = await content_from_message(context.bot, source, services(context).files)
    except ContentError as exc:
        await reply(answer_to, str(exc))
        return
    try:
        draft, new = await svc.pipeline.submit(
            actor, answer_to.chat_id, content, None, quoted(answer_to)
        )
    except Refused as exc:
        await refuse_exc(context, answer_to, exc)
        return
    if new and draft.state is DraftState.BLOCKED:
        await tell_blocked(context, actor, draft, answer_to)
        return
    if not new:
        await reply(
            answer_to,
            texts.INTAKE_SUBMITTED.format(
                id=draft.id,
                title=formatting.e(draft.title),
                version=draft.version,
                state=texts.STATE_NAMES[draft.state],
            ),
        )
        return
    # The intake card was queued with the draft.
    await svc.delivery.flush()


async def tell_blocked(context: Context, actor: Actor, draft: Draft, answer_to: Message) -> None:
    """Show each screening hit with its context and ask for a clean version."""
    found = await services(context).pipeline.screening_of(draft.id, draft.version)
    html = texts.BLOCKED_NOTICE.format(
        id=draft.id,
        title=formatting.e(draft.title),
        version=draft.version,
        hits=formatting.hit_lines(found.hits if found else []),
    )
    await ask(context, "revise", actor, answer_to.chat_id, draft.id, html, answer_to.message_id)


async def after_new_version(
    context: Context, actor: Actor, draft: Draft, answer_to: Message
) -> None:
    """Tell whoever sent a new version where the draft now stands (an intake card is queued)."""
    if draft.state is DraftState.BLOCKED:
        await tell_blocked(context, actor, draft, answer_to)
    elif draft.state is not DraftState.INTAKE:
        await reply(
            answer_to,
            texts.REVISED.format(
                id=draft.id, version=draft.version, state=texts.STATE_NAMES[draft.state]
            ),
        )
    await services(context).delivery.flush()


async def submit_command(update: Update, context: Context) -> None:
    """/submit in a group, as a reply to the message that is the draft."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    source = message.reply_to_message
    if source is None or source.from_user is None or source.from_user.is_bot:
        await reply(message, texts.SUBMIT_USAGE)
        return
    await start_draft(context, actor_of(user), source, message)


async def ask(
    context: Context,
    kind: str,
    actor: Actor,
    chat_id: int,
    draft_id: int | None,
    html: str,
    reply_to: int | None,
) -> None:
    """Send a question whose reply the bot will route back by its prompt."""
    svc = services(context)
    prompt_id = await svc.prompts.open(kind, actor, chat_id, draft_id)
    sent = await context.bot.send_message(
        chat_id,
        html,
        reply_markup=ForceReply(selective=True),
        reply_to_message_id=reply_to,
        allow_sending_without_reply=True,
    )
    await svc.prompts.attach(prompt_id, sent.message_id)


async def on_intake_tap(update: Update, context: Context) -> None:
    """A button on the intake card: category, attribution, originality, title, submit, cancel."""
    tapped = await read_tap(update, context, parse_intake)
    if tapped is None or not await bound(context, tapped, tapped.tap.draft_id, None, Stage.INTAKE):
        return
    query, actor, tap = tapped.query, tapped.actor, tapped.tap
    svc = services(context)
    chat_id = query.message.chat.id if query.message else actor.user_id
    mention = formatting.mention(actor.user_id, actor.name)
    try:
        if tap.action == "go":
            # A draft the 公众号 would refuse is caught before anyone reviews it.
            problems = await svc.publication.intake_problems(tap.draft_id)
            if problems:
                await alert(query, texts.WECHAT_INTAKE_ALERT)
                await context.bot.send_message(
                    chat_id, texts.WECHAT_INTAKE_REFUSED.format(problems="\n".join(problems))
                )
                return
            result = await svc.pipeline.confirm(actor, tap.draft_id)
            if isinstance(result, list):
                await alert(query, texts.INTAKE_MISSING.format(missing="、".join(result)))
                if BODY_GAP in result:
                    await ask(
                        context,
                        "body",
                        actor,
                        chat_id,
                        tap.draft_id,
                        texts.ASK_BODY.format(mention=mention, id=tap.draft_id),
                        query.message.message_id if query.message else None,
                    )
                return
            await alert(query, texts.DONE, show_alert=False)
        elif tap.action == "x":
            await svc.pipeline.cancel(actor, tap.draft_id)
            await alert(query, texts.DONE, show_alert=False)
        elif tap.action == "t":
            draft = await svc.pipeline.draft(tap.draft_id)
            if draft.submitter_id != actor.user_id:
                raise Refused(Refusal.NOT_SUBMITTER)
            await alert(query, texts.DONE, show_alert=False)
            await ask(
                context,
                "title",
                actor,
                chat_id,
                tap.draft_id,
                texts.ASK_TITLE.format(mention=mention, id=tap.draft_id, limit=TITLE_LIMIT),
                query.message.message_id if query.message else None,
            )
        else:
            draft = await svc.pipeline.choose(actor, tap.draft_id, tap.action)
            await alert(query, texts.DONE, show_alert=False)
            needs = {"ac": ("college", texts.ASK_COLLEGE), "ar": ("source", texts.ASK_SOURCE)}
            if tap.action in needs and not (draft.college or draft.source):
                kind, template = needs[tap.action]
                await ask(
                    context,
                    kind,
                    actor,
                    chat_id,
                    tap.draft_id,
                    template.format(mention=mention),
                    query.message.message_id if query.message else None,
                )
    except Refused as exc:
        only = texts.INTAKE_ONLY_SUBMITTER if exc.reason is Refusal.NOT_SUBMITTER else None
        await refuse_exc(context, query, exc, only)
    await svc.delivery.flush()


async def answer_intake_prompt(
    context: Context, actor: Actor, message: Message, kind: str, draft_id: int
) -> bool:
    """A reply giving the title, college or source; True when the prompt is answered."""
    svc = services(context)
    text = (message.text or "").strip()
    if not text:
        await reply(message, texts.TITLE_EMPTY if kind == "title" else texts.DETAIL_EMPTY)
        return False
    try:
        await svc.pipeline.set_intake_detail(actor, draft_id, kind, text)
    except Refused as exc:
        await refuse_exc(context, message, exc)
        return True
    await svc.delivery.flush()
    await reply(message, texts.DETAIL_SAVED)
    return True


HANDLERS = [
    CommandHandler("submit", submit_command, filters=filters.ChatType.GROUPS),
    CallbackQueryHandler(on_intake_tap, pattern=INTAKE_PATTERN),
]
