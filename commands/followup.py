"""One article, one draft: while an officer's draft is still at intake, their next message is
offered to it (追加到稿件 #N？) instead of silently starting another draft, and an album's items
(one message each, in order) go into the draft its first item started, without a question.

The question is a reply to the message, so the tap finds it again (``reply_to_message``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot import formatting, texts
from bot.members import Actor
from bot.review.service import Refused
from commands.common import (
    Context,
    alert,
    ask_quoting,
    quoted_source,
    read_tap,
    refusal_text,
    refuse_exc,
    reply,
    services,
)
from commands.content import ContentError, content_from_message, require_text
from commands.submit import start_draft, tell_blocked
from storage.models import DraftState

__all__ = [
    "HANDLERS",
    "AppendTap",
    "MergeTap",
    "answer_body_prompt",
    "join_album",
    "offer_append",
    "parse_append",
    "parse_merge",
    "start_album",
]

logger = logging.getLogger(__name__)

_APPEND = re.compile(r"ap:(\d{1,12}):([yn])")
APPEND_PATTERN = r"^ap:"
_MERGE = re.compile(r"am:(\d{1,12}):(\d{1,12}):([yn])")
MERGE_PATTERN = r"^am:"


@dataclass(frozen=True, slots=True)
class AppendTap:
    """追加 (``yes``) the quoted message to draft ``draft_id``, or make it a new draft."""

    draft_id: int
    yes: bool

    def encode(self) -> str:
        """The callback data."""
        return f"ap:{self.draft_id}:{'y' if self.yes else 'n'}"


def parse_append(data: str | None) -> AppendTap | None:
    """The tap this callback data stands for, or None when it is malformed."""
    m = _APPEND.fullmatch(data or "")
    return AppendTap(int(m[1]), m[2] == "y") if m else None


@dataclass(frozen=True, slots=True)
class MergeTap:
    """Fold the draft an album started (``album_id``) into the earlier ``into_id`` (``yes``),
    or keep both."""

    album_id: int
    into_id: int
    yes: bool

    def encode(self) -> str:
        """The callback data."""
        return f"am:{self.album_id}:{self.into_id}:{'y' if self.yes else 'n'}"


def parse_merge(data: str | None) -> MergeTap | None:
    """The tap this callback data stands for, or None when it is malformed."""
    m = _MERGE.fullmatch(data or "")
    return MergeTap(int(m[1]), int(m[2]), m[3] == "y") if m else None


async def start_album(context: Context, actor: Actor, message: Message) -> None:
    """An album's first item starts a draft of its own (its other items join it); when the
    officer has an earlier draft at intake, they are asked once whether the album belongs to
    it (a title sent first, then the photos) instead of once per photo."""
    svc = services(context)
    earlier = await svc.pipeline.at_intake(actor.user_id)
    await start_draft(context, actor, message, message)
    await svc.delivery.flush()
    group = message.media_group_id
    album = await svc.pipeline.album_draft(actor.user_id, group) if group else None
    if earlier is None or album is None or album.id == earlier.id:
        return
    await ask_quoting(
        message,
        texts.MERGE_OFFER.format(album=album.id, id=earlier.id, title=formatting.e(earlier.title)),
        (texts.BUTTON_MERGE.format(id=earlier.id), MergeTap(album.id, earlier.id, True).encode()),
        (texts.BUTTON_MERGE_KEEP, MergeTap(album.id, earlier.id, False).encode()),
    )


async def on_merge_tap(update: Update, context: Context) -> None:
    """The officer's answer: fold the album's draft into the earlier one, or keep both."""
    tapped = await read_tap(update, context, parse_merge)
    if tapped is None:
        return
    query, actor, tap, question = tapped.query, tapped.actor, tapped.tap, tapped.message
    svc = services(context)
    if not tap.yes:
        await alert(query, texts.DONE, show_alert=False)
        if question is not None:
            await _close(question)
        return
    try:
        draft = await svc.pipeline.merge(actor, tap.album_id, tap.into_id)
    except Refused as exc:
        await refuse_exc(context, query, exc)
        return
    await alert(query, texts.DONE, show_alert=False)
    if question is not None:
        await _close(question)
    await svc.delivery.flush()
    if question is not None and draft.state is DraftState.BLOCKED:
        await tell_blocked(context, actor, draft, question)
        return
    if question is not None:
        await reply(question, texts.MERGED.format(album=tap.album_id, id=draft.id))


async def join_album(context: Context, actor: Actor, message: Message) -> bool:
    """Add an album's later item to the draft its first item started, still at intake; False
    when the message is no such item (the first item starts the draft as any message does).

    No answer per item: the intake card, refreshed, counts the files.
    """
    group = message.media_group_id
    if group is None:
        return False
    svc = services(context)
    draft = await svc.pipeline.album_draft(actor.user_id, group)
    if draft is None:
        held = await svc.pipeline.album_elsewhere(actor.user_id, group)
        if held is None:
            return False
        # Not a draft of its own: the rest of an album whose draft went no further.
        state = await svc.pipeline.state_name(held)
        await reply(message, texts.ALBUM_ITEM_LEFT_OUT.format(id=held.id, state=state))
        return True
    try:
        content = await content_from_message(context.bot, message, svc.files)
        draft = await svc.pipeline.append(actor, draft.id, content)
    except ContentError as exc:
        await reply(message, str(exc))
        return True
    except Refused as exc:
        await refuse_exc(context, message, exc)
        return True
    await svc.delivery.flush()
    if draft.state is DraftState.BLOCKED:
        await tell_blocked(context, actor, draft, message)
    return True


async def answer_body_prompt(
    context: Context, actor: Actor, message: Message, draft_id: int
) -> bool:
    """The text a draft without any (an album sent without a caption) was asked for; True when
    the prompt is answered."""
    svc = services(context)
    try:
        content = require_text(await content_from_message(context.bot, message, svc.files))
        draft = await svc.pipeline.append(actor, draft_id, content)
    except ContentError as exc:
        await reply(message, str(exc))
        return False
    except Refused as exc:
        await refuse_exc(context, message, exc)
        return True
    await svc.delivery.flush()
    if draft.state is DraftState.BLOCKED:
        await tell_blocked(context, actor, draft, message)
        return True
    await reply(message, texts.APPENDED.format(id=draft.id))
    return True


async def offer_append(context: Context, actor: Actor, message: Message) -> bool:
    """Offer ``message`` to the officer's draft at intake; False when there is none."""
    draft = await services(context).pipeline.at_intake(actor.user_id)
    if draft is None:
        return False
    await ask_quoting(
        message,
        texts.APPEND_OFFER.format(id=draft.id, title=formatting.e(draft.title)),
        (texts.BUTTON_APPEND.format(id=draft.id), AppendTap(draft.id, True).encode()),
        (texts.BUTTON_APPEND_NEW, AppendTap(draft.id, False).encode()),
    )
    return True


async def on_append_tap(update: Update, context: Context) -> None:
    """The officer's answer: add the quoted message to the draft, or start a new one."""
    tapped = await read_tap(update, context, parse_append)
    if tapped is None:
        return
    quoted = await quoted_source(context, tapped)
    if quoted is None:
        return
    query, actor, (question, source) = tapped.query, tapped.actor, quoted
    svc = services(context)
    if not tapped.tap.yes:
        await alert(query, texts.DONE, show_alert=False)
        await _close(question)
        await start_draft(context, actor, source, source)
        await svc.delivery.flush()
        return
    try:
        content = await content_from_message(context.bot, source, svc.files)
        draft = await svc.pipeline.append(actor, tapped.tap.draft_id, content)
    except ContentError as exc:
        await alert(query, str(exc))
        return
    except Refused as exc:
        await alert(query, refusal_text(exc))
        return
    await alert(query, texts.DONE, show_alert=False)
    await _close(question)
    await svc.delivery.flush()
    if draft.state is DraftState.BLOCKED:
        await tell_blocked(context, actor, draft, source)
        return
    await reply(source, texts.APPENDED.format(id=draft.id))


async def _close(question: Message) -> None:
    try:
        await question.edit_reply_markup(None)
    except TelegramError as exc:
        logger.info("could not remove the buttons of an append offer: %s", exc)


HANDLERS = [
    CallbackQueryHandler(on_append_tap, pattern=APPEND_PATTERN),
    CallbackQueryHandler(on_merge_tap, pattern=MERGE_PATTERN),
]
