"""Notices about a draft to one chat: progress, approval, rejection, withdrawal, urgency."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.constants import ParseMode

from bot import formatting, texts
from bot.config import UnionConfig
from bot.outbox.failures import reaching
from bot.outbox.runner import Delivery
from bot.review import render
from bot.review.loading import DraftLoader
from bot.review.payloads import Notice
from storage import Database, cards, drafts, lexicon, outbox
from storage.models import REVIEW_STATES, DraftState, OutboxItem

__all__ = ["Notices"]

logger = logging.getLogger(__name__)

# Where an urgent draft's heads-up still helps the reviewers.
_URGENT_WAITING = frozenset({DraftState.INTAKE, DraftState.EDITING, *REVIEW_STATES})


class Notices:
    """Sends the ``notify`` outbox kind."""

    def __init__(self, bot: Bot, db: Database, config: UnionConfig, loader: DraftLoader) -> None:
        self.bot = bot
        self.db = db
        self.config = config
        self.drafts = loader

    def register(self, delivery: Delivery) -> None:
        """Handle ``notify`` items."""
        delivery.register(Notice.KIND, self._notify)

    async def _notify(self, item: OutboxItem) -> None:
        notice = Notice.read(item.payload)
        draft_id = item.draft_id
        if draft_id is None:
            return
        chat_id, who, event = notice.chat_id, notice.who, notice.event
        # Whoever acted (an admin withdrawing, flagging urgent) is named, not numbered.
        draft, version, names = await self.drafts.load(
            draft_id, others=(who,) if who is not None else ()
        )
        title = formatting.e(draft.title)
        tier = notice.tier or 0
        if event == "progress":
            async with self.db.reading() as conn:
                decided = [
                    d
                    for d in await drafts.decisions(conn, draft_id, version.number)
                    if d.tier == tier
                ]
            html = texts.PROGRESS.format(
                id=draft.id,
                title=title,
                tier=tier,
                tier_name=texts.TIER_NAMES[tier],
                reviewer=names(decided[0].reviewer_id) if decided else texts.NOBODY,
                state=texts.STATE_NAMES[DraftState.review(tier + 1)],
            )
        elif event == "approved":
            html = texts.ALL_APPROVED.format(
                id=draft.id,
                title=title,
                next=texts.NEXT_AUTO if self.config.auto_publish else texts.NEXT_MANUAL,
            )
        elif event == "rejected":
            async with self.db.reading() as conn:
                rejected_version = notice.version or version.number
                decided = [
                    d
                    for d in await drafts.decisions(conn, draft_id, rejected_version)
                    if d.tier == tier
                ]
            decision = decided[0] if decided else None
            html = texts.REJECTED_NOTICE.format(
                id=draft.id,
                title=title,
                version=rejected_version,
                tier=tier,
                tier_name=texts.TIER_NAMES.get(tier, ""),
                reviewer=names(decision.reviewer_id) if decision else texts.NOBODY,
                criteria=render.criteria_text(decision.criteria) if decision else texts.NO_CRITERIA,
                reason=formatting.e(decision.reason) if decision else "",
            )
        elif event == "sent":
            html = texts.SENT_NOTICE.format(id=draft.id, title=title, editor=names(draft.editor_id))
        elif event == "withdrawn":
            html = texts.WITHDRAWN_NOTICE.format(id=draft.id, title=title, who=names(who))
        elif event == "published":
            html = texts.PUBLISHED_NOTICE.format(id=draft.id, title=title)
        elif event == "urgent":
            if not draft.urgent or draft.state not in _URGENT_WAITING:
                # Unflagged, decided or withdrawn before the heads-up went out.
                return
            html = texts.URGENT_HEADS_UP.format(
                id=draft.id,
                title=title,
                category=formatting.e(draft.category) or texts.UNSET,
                attribution=render.attribution_text(draft),
                state=texts.STATE_NAMES[draft.state],
                tier=tier,
                tier_name=texts.TIER_NAMES[tier],
                hours=f"{self.config.reminders.urgent_deadline_hours:g}",
            )
        elif event == "urgent_set":
            html = texts.URGENT_SET_NOTICE.format(
                id=draft.id,
                title=title,
                who=names(who),
                hours=f"{self.config.reminders.urgent_deadline_hours:g}",
            )
        elif event in ("blocked_at_publish", "admins_blocked"):
            async with self.db.reading() as conn:
                found = await lexicon.screening(conn, draft_id, version.number, "publish")
            template = (
                texts.BLOCKED_AT_PUBLISH_NOTICE
                if event == "blocked_at_publish"
                else texts.ADMINS_BLOCKED_AT_PUBLISH
            )
            html = template.format(
                id=draft.id, title=title, hits=formatting.hit_lines(found.hits if found else [])
            )
        else:
            logger.error("unknown notice %r", event)
            return
        with reaching(chat_id):
            message = await self.bot.send_message(chat_id, html, parse_mode=ParseMode.HTML)
        async with self.db.transaction() as tx:
            if notice.prompt_id is not None:
                await cards.set_prompt_message(tx, notice.prompt_id, message.message_id)
            await outbox.mark_done(tx, item.id, self.db.now())
