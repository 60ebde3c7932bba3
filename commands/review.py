"""Button taps on cards: review decisions, rejection criteria, layout claims, publishing."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, MaybeInaccessibleMessage, Message, Update
from telegram.ext import CallbackQueryHandler

from bot import formatting, texts
from bot.members import Actor
from bot.review import keyboards, render
from bot.review.base import Stage
from bot.review.callbacks import (
    EDITING_PATTERN,
    PUBLISH_PATTERN,
    REJECT_PATTERN,
    REVIEW_PATTERN,
    ClaimTap,
    RejectTap,
    ReviewTap,
    SendTap,
    parse_editing,
    parse_publish,
    parse_reject,
    parse_review,
)
from bot.review.service import Refused
from commands.common import (
    Context,
    Tapped,
    alert,
    bound,
    read_tap,
    refuse,
    refuse_exc,
    refuse_forged,
    services,
)
from storage.models import Prompt

__all__ = ["HANDLERS"]

logger = logging.getLogger(__name__)


async def on_review_tap(update: Update, context: Context) -> None:
    """通过 or 驳回 on a review card."""
    tapped = await read_tap(update, context, parse_review)
    if tapped is None:
        return
    tap = tapped.tap
    if not await bound(context, tapped, tap.draft_id, tap.version, Stage.review(tap.tier)):
        return
    try:
        await _review(update, context, tapped.actor, tap)
    except Refused as exc:
        await refuse_exc(context, update, exc)
    await services(context).delivery.flush()


async def on_reject_tap(update: Update, context: Context) -> None:
    """A criterion, 填写理由 or 取消 on a rejection prompt."""
    tapped = await read_tap(update, context, parse_reject)
    if tapped is None:
        return
    try:
        await _criteria(update, context, tapped.actor, tapped.tap, tapped.message)
    except Refused as exc:
        await refuse_exc(context, update, exc)
    await services(context).delivery.flush()


async def on_editing_tap(update: Update, context: Context) -> None:
    """认领排版 or 送审 on the editors' card."""
    tapped: Tapped[ClaimTap | SendTap] | None = await read_tap(update, context, parse_editing)
    if tapped is None or not await bound(context, tapped, tapped.tap.draft_id, None, Stage.EDITING):
        return
    svc = services(context)
    query, actor, tap = tapped.query, tapped.actor, tapped.tap
    try:
        if isinstance(tap, ClaimTap):
            await svc.pipeline.claim(actor, tap.draft_id, tap.version)
            await alert(query, texts.CLAIMED_OK.format(id=tap.draft_id), show_alert=False)
        else:
            draft = await svc.pipeline.send_to_review(actor, tap.draft_id, tap.version)
            await alert(
                query,
                texts.SENT_TO_REVIEW.format(id=draft.id, version=draft.version),
                show_alert=False,
            )
    except Refused as exc:
        await refuse_exc(context, update, exc)
    await svc.delivery.flush()


async def on_publish_tap(update: Update, context: Context) -> None:
    """发布 on an approved draft's card (manual publishing)."""
    tapped = await read_tap(update, context, parse_publish)
    if tapped is None or not await bound(context, tapped, tapped.tap.draft_id, None, Stage.PUBLISH):
        return
    svc = services(context)
    try:
        await svc.pipeline.request_publish(tapped.actor, tapped.tap.draft_id, tapped.tap.version)
        await alert(tapped.query, texts.PUBLISH_STARTED, show_alert=False)
    except Refused as exc:
        await refuse_exc(context, update, exc)
    await svc.delivery.flush()


async def _review(update: Update, context: Context, actor: Actor, tap: ReviewTap) -> None:
    query = update.callback_query
    assert query is not None
    svc = services(context)
    if tap.approve:
        state = await svc.pipeline.approve(actor, tap.draft_id, tap.version, tap.tier)
        if state.tier is not None:
            text = texts.APPROVED_NEXT.format(
                tier=state.tier, tier_name=texts.TIER_NAMES[state.tier]
            )
        else:
            text = texts.APPROVED_FINAL
        await alert(query, text, show_alert=False)
        return
    chat_id = query.message.chat.id if query.message else actor.user_id
    prompt_id = await svc.pipeline.open_rejection(
        actor, tap.draft_id, tap.version, tap.tier, chat_id
    )
    await alert(query, texts.DONE, show_alert=False)
    sent = await context.bot.send_message(
        chat_id,
        texts.REJECT_PROMPT.format(
            mention=formatting.mention(actor.user_id, actor.name), id=tap.draft_id
        ),
        reply_markup=keyboards.reject_criteria(prompt_id, []),
        reply_to_message_id=query.message.message_id if query.message else None,
        allow_sending_without_reply=True,
    )
    await svc.prompts.attach(prompt_id, sent.message_id)


def _on_prompt(on: Message | None, prompt: Prompt) -> bool:
    """Whether a tap was pressed on the prompt's own message; one whose message is not yet
    recorded (the tap came just after it was sent) counts in the prompt's chat."""
    if on is None or on.chat.id != prompt.chat_id:
        return False
    return prompt.message_id is None or on.message_id == prompt.message_id


async def _criteria(
    update: Update, context: Context, actor: Actor, tap: RejectTap, on: Message | None
) -> None:
    query = update.callback_query
    assert query is not None
    svc = services(context)
    prompt = await svc.prompts.get(tap.prompt_id)
    if prompt is None or prompt.kind != "reject" or not _on_prompt(on, prompt):
        await refuse_forged(context, query, actor)
        return
    if prompt.closed_at is not None:
        await refuse(context, query, "prompt_closed", texts.PROMPT_CLOSED)
        return
    if prompt.user_id != actor.user_id:
        await refuse(context, query, "prompt_not_yours", texts.PROMPT_NOT_YOURS)
        return
    raw = prompt.data.get("criteria", [])
    ticked = [str(c) for c in raw] if isinstance(raw, list) else []
    message = query.message
    if tap.action == "x":
        await svc.prompts.close(prompt.id)
        await alert(query, texts.DONE, show_alert=False)
        if message is not None:
            await context.bot.edit_message_text(
                texts.REJECT_CANCELLED.format(tier=prompt.tier), message.chat.id, message.message_id
            )
        return
    if tap.action == "n":
        if not ticked:
            # A rejection names what failed (the README's rule); the prompt stays open.
            await alert(query, texts.REJECT_NEED_CRITERION)
            return
        # The draft may have moved on while the reviewer was ticking boxes.
        assert (
            prompt.draft_id is not None and prompt.version is not None and prompt.tier is not None
        )
        await svc.pipeline.check_review(actor, prompt.draft_id, prompt.version, prompt.tier)
        await alert(query, texts.DONE, show_alert=False)
        await svc.prompts.update(
            prompt.id, {"criteria": ticked, "templates": [], "reasoning": True}
        )
        if message is not None:
            await _reason_prompt(context, message, actor, prompt.id, prompt.draft_id, ticked, [])
        return
    if tap.action.startswith("t"):
        await _toggle_template(
            context, query, actor, prompt.id, prompt, ticked, int(tap.action[1:])
        )
        return
    ticked = (
        [c for c in ticked if c != tap.action] if tap.action in ticked else [*ticked, tap.action]
    )
    ticked.sort()
    await svc.prompts.update(prompt.id, {"criteria": ticked})
    await alert(query, texts.DONE, show_alert=False)
    if message is not None:
        await context.bot.edit_message_reply_markup(
            message.chat.id,
            message.message_id,
            reply_markup=keyboards.reject_criteria(prompt.id, ticked),
        )


async def _reason_prompt(
    context: Context,
    message: MaybeInaccessibleMessage,
    actor: Actor,
    prompt_id: int,
    draft_id: int,
    ticked: list[str],
    chosen: list[int],
) -> None:
    """Ask for the reason, offering the ticked criteria's templates as buttons."""
    templates = await services(context).reasons.for_criteria(ticked)
    text = texts.REASON_PROMPT.format(
        mention=formatting.mention(actor.user_id, actor.name),
        id=draft_id,
        criteria=render.criteria_text(ticked),
    )
    if templates:
        text += texts.REASON_TEMPLATES_HINT
    await context.bot.edit_message_text(
        text,
        message.chat.id,
        message.message_id,
        reply_markup=keyboards.reason_templates(prompt_id, templates, chosen),
    )


async def _toggle_template(
    context: Context,
    query: CallbackQuery,
    actor: Actor,
    prompt_id: int,
    prompt: Prompt,
    ticked: list[str],
    template_id: int,
) -> None:
    """A reason template tapped: chosen, or unchosen when it was."""
    svc = services(context)
    raw = prompt.data.get("templates", [])
    chosen = [int(t) for t in raw if isinstance(t, int)] if isinstance(raw, list) else []
    offered = {t.id for t in await svc.reasons.for_criteria(ticked)}
    if not prompt.data.get("reasoning") or template_id not in offered:
        await alert(query, texts.INVALID_BUTTON)
        return
    chosen = (
        [t for t in chosen if t != template_id] if template_id in chosen else [*chosen, template_id]
    )
    await svc.prompts.update(prompt_id, {**prompt.data, "templates": chosen})
    await alert(query, texts.DONE, show_alert=False)
    message = query.message
    if message is not None:
        templates = await svc.reasons.for_criteria(ticked)
        await context.bot.edit_message_reply_markup(
            message.chat.id,
            message.message_id,
            reply_markup=keyboards.reason_templates(prompt_id, templates, chosen),
        )


HANDLERS = [
    CallbackQueryHandler(on_review_tap, pattern=REVIEW_PATTERN),
    CallbackQueryHandler(on_reject_tap, pattern=REJECT_PATTERN),
    CallbackQueryHandler(on_editing_tap, pattern=EDITING_PATTERN),
    CallbackQueryHandler(on_publish_tap, pattern=PUBLISH_PATTERN),
]
