"""Plain messages: replies to the bot's prompts and cards, and new drafts in private chats."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import MessageHandler, filters

from bot import texts
from bot.account_changes.rules import WIZARD_KIND as ACCOUNT_CHANGE_WIZARD
from bot.members import Actor
from bot.review.service import Refused, Stage
from commands.account_changes import adopt_prompt as adopt_account_change_prompt
from commands.account_changes import answer_prompt as answer_account_change
from commands.common import Context, actor_of, quoted, refuse, refuse_exc, reply, services
from commands.content import ContentError, content_from_message, has_content, require_text
from commands.followup import answer_body_prompt, join_album, offer_append, start_album
from commands.inbox import answer_question, ask_question
from commands.publication import POSTED_PROMPT, answer_posted
from commands.stray import offer_as_draft
from commands.submit import (
    after_new_version,
    answer_intake_prompt,
    start_draft,
    tell_blocked,
)
from storage.models import SUBMITTER_ROLES, DraftState, Prompt, Refusal

__all__ = ["HANDLERS"]

logger = logging.getLogger(__name__)


async def on_message(update: Update, context: Context) -> None:
    """A message in a private chat, or a reply to the bot in a group."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or user.is_bot:
        return
    actor = actor_of(user)
    target = message.reply_to_message
    to_bot = (
        target is not None
        and target.from_user is not None
        and target.from_user.id == context.bot.id
    )
    if to_bot and target is not None and await _answer_reply(context, actor, message, target):
        await services(context).delivery.flush()
        return
    if message.chat.type == "private":
        svc = services(context)
        if (
            svc.config.chats.inbox is not None
            and not await svc.members.roles(actor.user_id)
            and await svc.members.volunteer_ended(actor.user_id) is None
        ):
            # Anyone who is not staff writing privately is a student with a question; a
            # volunteer whose role ended is told so rather than queued as a question.
            await ask_question(context, actor, message)
            return
        # An album is one article: its later items join the draft its first item started (or
        # are left out when it went no further), even when they all reply to a bot message.
        if await join_album(context, actor, message):
            return
        if to_bot and SUBMITTER_ROLES & await svc.members.roles(actor.user_id):
            # A reply to a bot message that asked nothing becomes a draft only when confirmed.
            await offer_as_draft(message)
            return
        if message.media_group_id is not None:
            await start_album(context, actor, message)
            return
        # While a draft is at intake, what follows is offered to it (one article, one draft).
        if await offer_append(context, actor, message):
            return
        await start_draft(context, actor, message, message)
        await svc.delivery.flush()


async def _answer_reply(context: Context, actor: Actor, message: Message, target: Message) -> bool:
    """Route a reply to one of the bot's messages; False when it is not a reply the bot awaits."""
    svc = services(context)
    prompt = await svc.prompts.at(message.chat_id, target.message_id)
    if prompt is None and message.chat.type == "private":
        prompt = await adopt_account_change_prompt(context, actor, target)
    if prompt is not None:
        if prompt.user_id != actor.user_id:
            await refuse(context, message, "prompt_not_yours", texts.PROMPT_NOT_YOURS)
            return True
        await _answer_prompt(context, actor, message, prompt)
        return True
    if message.chat_id == svc.config.chats.inbox:
        question = await svc.inbox.question_at(message.chat_id, target.message_id)
        if question is not None:
            await answer_question(context, actor, message, question)
            return True
    card = await svc.pipeline.card_at(message.chat_id, target.message_id)
    if card is not None and card[0] == Stage.EDITING:
        await _layout(context, actor, message, card[1])
        return True
    return False


async def _answer_prompt(context: Context, actor: Actor, message: Message, prompt: Prompt) -> None:
    svc = services(context)
    if prompt.kind in ("title", "college", "source"):
        assert prompt.draft_id is not None
        if await answer_intake_prompt(context, actor, message, prompt.kind, prompt.draft_id):
            await svc.prompts.close(prompt.id)
        return
    if prompt.kind == "body":
        assert prompt.draft_id is not None
        if await answer_body_prompt(context, actor, message, prompt.draft_id):
            await svc.prompts.close(prompt.id)
        return
    if prompt.kind == "reject":
        await _reject_reason(context, actor, message, prompt)
        return
    if prompt.kind == "revise":
        await _revise(context, actor, message, prompt)
        return
    if prompt.kind == POSTED_PROMPT:
        if await answer_posted(context, actor, message, prompt):
            await svc.prompts.close(prompt.id)
        return
    if prompt.kind == ACCOUNT_CHANGE_WIZARD:
        await answer_account_change(context, actor, message, prompt)
        return
    logger.warning("prompt %s has unknown kind %r", prompt.id, prompt.kind)


async def _reject_reason(context: Context, actor: Actor, message: Message, prompt: Prompt) -> None:
    svc = services(context)
    reason = (message.text or "").strip()
    if not reason:
        await reply(message, texts.REASON_EMPTY)
        return
    assert prompt.draft_id is not None and prompt.version is not None and prompt.tier is not None
    raw = prompt.data.get("criteria", [])
    criteria = [str(c) for c in raw] if isinstance(raw, list) else []
    if not criteria:
        # The prompt stays open: the reviewer ticks a criterion and replies again.
        await reply(message, texts.REFUSALS[Refusal.NO_CRITERIA])
        return
    reason = await _with_templates(context, prompt, criteria, reason)
    try:
        await svc.pipeline.reject(
            actor, prompt.draft_id, prompt.version, prompt.tier, criteria, reason
        )
    except Refused as exc:
        await svc.prompts.close(prompt.id)
        await refuse_exc(context, message, exc)
        return
    await svc.prompts.close(prompt.id)
    await reply(message, texts.REJECT_DONE.format(id=prompt.draft_id))


async def _with_templates(
    context: Context, prompt: Prompt, criteria: list[str], reply_text: str
) -> str:
    """The chosen reason templates, then what the reviewer wrote (unless only an "OK")."""
    raw = prompt.data.get("templates", [])
    chosen = [int(t) for t in raw if isinstance(t, int)] if isinstance(raw, list) else []
    if not chosen:
        return reply_text
    offered = await services(context).reasons.for_criteria(criteria)
    picked = [t.text for t in offered if t.id in chosen]
    if reply_text in texts.REASON_ACK_WORDS:
        return "；".join(picked) if picked else reply_text
    return "；".join([*picked, reply_text])


async def _revise(context: Context, actor: Actor, message: Message, prompt: Prompt) -> None:
    svc = services(context)
    assert prompt.draft_id is not None
    if not has_content(message):
        await reply(message, texts.EMPTY_DRAFT)
        return
    try:
        content = require_text(
            await content_from_message(context.bot, message, services(context).files)
        )
        draft = await svc.pipeline.revise(
            actor, prompt.draft_id, content, message.chat_id, quoted(message)
        )
    except ContentError as exc:
        await reply(message, str(exc))
        return
    except Refused as exc:
        await refuse_exc(context, message, exc)
        return
    await svc.prompts.close(prompt.id)
    await after_new_version(context, actor, draft, message)


async def _layout(context: Context, actor: Actor, message: Message, draft_id: int) -> None:
    svc = services(context)
    group = message.media_group_id
    # A layout's album: only the item that starts it needs the text, the rest add their files.
    continues = group is not None and await svc.pipeline.continues_album(draft_id, group)
    try:
        content = await content_from_message(context.bot, message, services(context).files)
        if not continues:
            require_text(content)
        draft = await svc.pipeline.layout(actor, draft_id, content)
    except ContentError as exc:
        await reply(message, str(exc))
        return
    except Refused as exc:
        await refuse_exc(context, message, exc)
        return
    # The card must carry the new version's button before the editor is told to press it.
    await svc.delivery.flush()
    if draft.state is DraftState.BLOCKED:
        await tell_blocked(context, actor, draft, message)
        return
    await reply(message, texts.LAYOUT_RECEIVED.format(id=draft.id, version=draft.version))


HANDLERS = [
    MessageHandler(
        ~filters.COMMAND & ~filters.StatusUpdate.ALL & (filters.ChatType.PRIVATE | filters.REPLY),
        on_message,
    ),
]
