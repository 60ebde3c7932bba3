"""Notices about a draft to one chat: progress, approval, rejection, withdrawal, urgency."""

from __future__ import annotations

import logging

import aiosqlite
from telegram import Bot
from telegram.constants import ParseMode

from bot import formatting, texts
from bot.config import UnionConfig
from bot.formatting import Fitted, Html, Names, fit
from bot.outbox.failures import reaching
from bot.outbox.runner import Delivery
from bot.overflow import send_fitted
from bot.review import render
from bot.review.loading import DraftLoader
from bot.review.payloads import Notice
from storage import Database, cards, drafts, lexicon, outbox
from storage.models import REVIEW_STATES, Draft, DraftState, OutboxItem

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

    def _next_step(self, draft: Draft, names: Names) -> str:
        """What happens to the submitter's new version: layout first when editing is on."""
        if not self.config.editing or self.config.chats.editors is None:
            return texts.NEXT_STEP_REVIEW
        if draft.editor_id is not None:
            return texts.NEXT_STEP_EDITING.format(editor=names(draft.editor_id))
        return texts.NEXT_STEP_EDITORS

    async def _to_editor(
        self, event: str, draft: Draft, current: int, notice: Notice, names: Names
    ) -> Fitted:
        """A notice to the editor who laid the draft out, mentioning them by name."""
        # A link to the editor, so the editors' chat notifies them by name.
        editor = Html(
            f'<a href="tg://user?id={notice.who}">{names(notice.who)}</a>'
            if notice.who is not None
            else texts.NOBODY
        )
        if event == "editor_published":
            return fit(texts.EDITOR_PUBLISHED_NOTICE, id=draft.id, title=draft.title, editor=editor)
        if event == "editor_revised":
            return fit(
                texts.EDITOR_REVISED_NOTICE,
                id=draft.id,
                title=draft.title,
                editor=editor,
                version=notice.version or current,
            )
        tier = notice.tier or 0
        async with self.db.reading() as conn:
            found = [d for d in await drafts.decisions(conn, draft.id, current) if d.tier == tier]
        decision = found[0] if found else None
        return fit(
            texts.EDITOR_REJECTED_NOTICE,
            id=draft.id,
            title=draft.title,
            editor=editor,
            version=current,
            tier=tier,
            tier_name=texts.TIER_NAMES.get(tier, ""),
            reviewer=Html(names(decision.reviewer_id) if decision else texts.NOBODY),
            criteria=Html(
                render.criteria_text(decision.criteria) if decision else texts.NO_CRITERIA
            ),
            reason=decision.reason if decision else "",
        )

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
        tier = notice.tier or 0
        fitted: Fitted | None = None
        file_name = ""
        if event == "progress":
            async with self.db.reading() as conn:
                decided = [
                    d
                    for d in await drafts.decisions(conn, draft_id, version.number)
                    if d.tier == tier
                ]
            html = render.notice(
                texts.PROGRESS,
                draft,
                tier=tier,
                tier_name=texts.TIER_NAMES[tier],
                reviewer=Html(names(decided[0].reviewer_id) if decided else texts.NOBODY),
                state=Html(texts.STATE_NAMES[DraftState.review(tier + 1)]),
            )
        elif event == "approved":
            html = render.notice(
                texts.ALL_APPROVED,
                draft,
                next=Html(texts.NEXT_AUTO if self.config.auto_publish else texts.NEXT_MANUAL),
            )
        elif event == "rejected":
            rejected_version = notice.version or version.number
            async with self.db.reading() as conn:
                decided = [
                    d
                    for d in await drafts.decisions(conn, draft_id, rejected_version)
                    if d.tier == tier
                ]
            decision = decided[0] if decided else None
            fitted = render.rejected_notice(
                draft, rejected_version, tier, decision, names, self._next_step(draft, names)
            )
            html = fitted.html
            file_name = texts.FILE_REJECTION.format(id=draft.id, version=rejected_version)
        elif event in ("editor_rejected", "editor_published", "editor_revised"):
            fitted = await self._to_editor(event, draft, version.number, notice, names)
            html = fitted.html
            file_name = texts.FILE_REJECTION.format(id=draft.id, version=notice.version or 0)
        elif event == "sent":
            html = render.notice(texts.SENT_NOTICE, draft, editor=Html(names(draft.editor_id)))
        elif event == "withdrawn":
            html = render.notice(texts.WITHDRAWN_NOTICE, draft, who=Html(names(who)))
        elif event == "published":
            html = render.notice(texts.PUBLISHED_NOTICE, draft)
        elif event in ("urgent", "urgent_now"):
            if not draft.urgent or draft.state not in _URGENT_WAITING:
                # Unflagged, decided or withdrawn before the heads-up went out.
                return
            html = render.notice(
                texts.URGENT_HEADS_UP if event == "urgent" else texts.URGENT_NOW,
                draft,
                category=draft.category or texts.UNSET,
                attribution=Html(render.attribution_text(draft)),
                state=Html(texts.STATE_NAMES[draft.state]),
                tier=tier,
                tier_name=texts.TIER_NAMES[tier],
                hours=f"{self.config.reminders.urgent_deadline_hours:g}",
            )
        elif event == "urgent_set":
            html = render.notice(
                texts.URGENT_SET_NOTICE,
                draft,
                who=Html(names(who)),
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
            html = render.notice(
                template, draft, hits=Html(formatting.hit_lines(found.hits if found else []))
            )
        else:
            logger.error("unknown notice %r", event)
            return
        with reaching(chat_id):
            if fitted is not None and fitted.cut:
                # The whole text follows as a file, so nothing the reviewer wrote is lost.
                message = await send_fitted(self.bot, chat_id, fitted, file_name)
            else:
                message = await self.bot.send_message(chat_id, html, parse_mode=ParseMode.HTML)
        prompt_id = notice.prompt_id
        if prompt_id is None:
            # The outbox settles the item on its next trip to the database.
            return
        at = self.db.now()

        async def settle(tx: aiosqlite.Connection) -> None:
            # The prompt learns its message in the transaction that settles the item.
            await cards.set_prompt_message(tx, prompt_id, message.message_id)
            await outbox.mark_done(tx, item.id, at)

        await self.db.atomically(settle)
