"""The review feature's cards: intake, editing, each tier's review card and the 发布 card.

Registers one outbox kind per card and one view per card stage, so the outbox's refresh loop
keeps every card showing where its draft stands. A card checks when it is sent whether it still
matters (a card for a tier already passed is settled without sending).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Bot, InputFile

from bot import formatting, texts
from bot.config import UnionConfig
from bot.formatting import Names
from bot.outbox.cards import Cards, View
from bot.outbox.failures import Unreachable, reaching
from bot.outbox.runner import Delivery, Permanent
from bot.overflow import full_text_file
from bot.review import changes, keyboards, render, standins
from bot.review.attachments import file_groups, send_group
from bot.review.loading import DraftLoader
from bot.review.payloads import EditingCard, IntakeCard, PublishCard, ReviewCard
from bot.review.render import Revision
from bot.review.service import Stage
from storage import Database, cards, drafts, outbox, users
from storage.models import Card, Draft, DraftState, OutboxItem, Role, Version
from storage.payloads import Payload

__all__ = ["ReviewCards"]

logger = logging.getLogger(__name__)


class ReviewCards:
    """Sends and renders the cards of a draft's way from intake to publication."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        config: UnionConfig,
        loader: DraftLoader,
        cards: Cards,
        delivery: Delivery,
    ) -> None:
        self.bot = bot
        self.db = db
        self.config = config
        self.drafts = loader
        self.cards = cards
        self.delivery = delivery

    def register(self) -> None:
        """Handle the card kinds and render the card stages."""
        self.delivery.register(IntakeCard.KIND, self._intake_card)
        self.delivery.register(EditingCard.KIND, self._editing_card)
        self.delivery.register(ReviewCard.KIND, self._review_card)
        self.delivery.register(PublishCard.KIND, self._publish_card)
        self.cards.add_view(Stage.INTAKE, self._view)
        self.cards.add_view(Stage.EDITING, self._view)
        self.cards.add_view(Stage.PUBLISH, self._view)
        for tier in (1, 2, 3):
            self.cards.add_view(Stage.review(tier), self._view)

    # Sending --------------------------------------------------------------------------------

    async def _send_content(
        self,
        chat_id: int,
        draft: Draft,
        version: Version,
        revision: Revision | None = None,
        found: Sequence[changes.Change] = (),
    ) -> None:
        """The draft's files (or its full text, when long) ahead of a card, and the whole
        comparison with the rejected version when the card can show only part of it."""
        caption = texts.ATTACHMENT_CAPTION.format(id=draft.id, version=version.number)
        with reaching(chat_id):
            for group in file_groups(version.files):
                await send_group(self.bot, chat_id, group, caption)
            if not version.documents and len(version.body) > render.CARD_EXCERPT_CHARS:
                await self.bot.send_document(
                    chat_id,
                    InputFile(
                        version.body.encode("utf-8"),
                        filename=texts.FULL_TEXT_FILE.format(id=draft.id, version=version.number),
                    ),
                    caption=texts.FULL_TEXT_CAPTION.format(id=draft.id, version=version.number),
                )
            if revision is not None and revision.diff.cut:
                fields = {"id": draft.id, "previous": revision.previous, "version": version.number}
                await self.bot.send_document(
                    chat_id,
                    full_text_file(
                        changes.full_text(list(found)), texts.REVISION_DIFF_WHAT.format(**fields)
                    ),
                    caption=texts.REVISION_DIFF_CAPTION.format(**fields),
                )

    async def _card_with_content(
        self,
        item: OutboxItem,
        chat_id: int,
        draft: Draft,
        version: Version,
        view: View,
        stage: str,
        progress: dict[str, list[int]],
        revision: Revision | None = None,
        found: Sequence[changes.Change] = (),
    ) -> None:
        """The content (once, even across retries), then the card, recorded with the progress."""
        if chat_id not in progress["content"]:
            await self._send_content(chat_id, draft, version, revision, found)
            progress["content"].append(chat_id)
            await self.cards.progress(item, progress)
        sent = await self.cards.send(chat_id, view)
        progress["cards"].append(chat_id)
        await self.cards.record_one(item, draft.id, version.number, stage, sent, progress)

    @staticmethod
    def _progress(item: OutboxItem) -> dict[str, list[int]]:
        def chats(key: str) -> list[int]:
            found = item.progress.get(key, [])
            return [c for c in found if isinstance(c, int)] if isinstance(found, list) else []

        return {"content": chats("content"), "cards": chats("cards")}

    async def _to_each(
        self,
        item: OutboxItem,
        targets: list[int],
        send: Callable[[int, dict[str, list[int]]], Awaitable[None]],
        alone: Callable[[int], Payload],
    ) -> None:
        """``send`` to each target not yet served. One who cannot be reached gets an item of their
        own (``alone``), which waits for them, so the others are not held up."""
        progress = self._progress(item)
        for chat_id in targets:
            if chat_id in progress["cards"]:
                continue
            try:
                await send(chat_id, progress)
            except Unreachable:
                if len(targets) == 1:
                    raise
                async with self.db.transaction() as tx:
                    one = alone(chat_id)
                    await outbox.add(tx, self.db.now(), one.KIND, item.draft_id, one)
                progress["cards"].append(chat_id)
                await self.cards.progress(item, progress)

    async def _intake_card(self, item: OutboxItem) -> None:
        payload = IntakeCard.read(item.payload)
        if item.draft_id is None:
            return
        draft, version, _ = await self.drafts.load(item.draft_id)
        if draft.state is not DraftState.INTAKE:
            return
        view = View(render.intake_card(draft, version), keyboards.intake(draft))
        sent = await self.cards.send(payload.chat_id, view, reply_to=payload.reply_to)
        await self.cards.record(item, draft.id, draft.version, Stage.INTAKE, [sent])

    async def _editing_card(self, item: OutboxItem) -> None:
        EditingCard.read(item.payload)
        if item.draft_id is None:
            return
        context = await self.drafts.context(item.draft_id)
        draft, version, names, revision = (
            context.draft,
            context.version,
            context.names,
            context.revision,
        )
        chat = self.config.chats.editors
        if draft.state is not DraftState.EDITING or chat is None:
            return
        html = render.editing_card(draft, version, names, revision, returned=revision is not None)
        view = View(html, keyboards.editing(draft))
        progress = self._progress(item)
        await self._card_with_content(
            item, chat, draft, version, view, Stage.EDITING, progress, revision, context.changed
        )

    async def _review_targets(self, draft: Draft, tier: int) -> list[int]:
        async with self.db.reading() as conn:
            return await standins.reviewers(conn, self.config.chats.tier(tier), tier, draft)

    async def _review_card(self, item: OutboxItem) -> None:
        payload = ReviewCard.read(item.payload)
        tier, number = payload.tier, payload.version
        if item.draft_id is None:
            return
        context = await self.drafts.context(item.draft_id, number, facts=True)
        draft, version, names, revision = (
            context.draft,
            context.version,
            context.names,
            context.revision,
        )
        if draft.state is not DraftState.review(tier) or draft.version != number:
            return
        assert context.facts is not None
        decisions, laid_out, warnings = context.facts
        html = render.review_card(
            draft, version, tier, decisions, names, laid_out, warnings, revision
        )
        view = View(html, keyboards.review(draft.id, number, tier))
        if payload.chat_id is not None:
            targets = [payload.chat_id]
        else:
            targets = await self._review_targets(draft, tier)
        if not targets:
            raise Permanent(
                texts.NO_REVIEWER_FOR_TIER.format(tier=tier, tier_name=texts.TIER_NAMES[tier])
            )

        async def send(chat_id: int, progress: dict[str, list[int]]) -> None:
            await self._card_with_content(
                item,
                chat_id,
                draft,
                version,
                view,
                Stage.review(tier),
                progress,
                revision,
                context.changed,
            )

        await self._to_each(item, targets, send, lambda c: ReviewCard(number, tier, chat_id=c))

    async def _publish_card(self, item: OutboxItem) -> None:
        payload = PublishCard.read(item.payload)
        if item.draft_id is None:
            return
        draft, _, names = await self.drafts.load(item.draft_id)
        if draft.state is not DraftState.APPROVED:
            return
        if payload.chat_id is not None:
            targets = [payload.chat_id]
        else:
            chat = self.config.chats.editors or self.config.chats.admins
            async with self.db.reading() as conn:
                targets = await users.chat_or_holders(conn, chat, Role.ADMIN)
        laid_out = await self.drafts.laid_out(draft.id, draft.version)
        html = render.publish_card(draft, names, None, None, laid_out)
        view = View(html, keyboards.publish(draft))

        async def send(chat_id: int, progress: dict[str, list[int]]) -> None:
            sent = await self.cards.send(chat_id, view)
            progress["cards"].append(chat_id)
            await self.cards.record_one(
                item, draft.id, draft.version, Stage.PUBLISH, sent, progress
            )

        await self._to_each(item, targets, send, lambda c: PublishCard(payload.version, chat_id=c))

    # Views ----------------------------------------------------------------------------------

    async def _view(self, card: Card) -> View | None:
        """What ``card`` should show now."""
        stage = card.stage
        # The intake card shows what the draft holds now: a follow-up added at intake makes a
        # new version under the same card.
        # An editors' card follows the layout: it shows the draft's newest version too.
        number = None if stage in (Stage.INTAKE, Stage.EDITING) else card.version
        review = stage not in (Stage.INTAKE, Stage.EDITING, Stage.PUBLISH)
        try:
            context = await self.drafts.context(card.draft_id, number, facts=review)
        except Permanent:
            return None
        draft, version, names, revision = (
            context.draft,
            context.version,
            context.names,
            context.revision,
        )
        if stage == Stage.INTAKE:
            return self._intake_view(draft, version)
        if stage == Stage.EDITING:
            return await self._editing_view(card, draft, version, names, revision)
        if stage == Stage.PUBLISH:
            async with self.db.reading() as conn:
                pub = await drafts.publication(conn, draft.id)
            markup = keyboards.publish(draft) if draft.state is DraftState.APPROVED else None
            html = render.publish_card(
                draft,
                names,
                pub.published_by if pub else None,
                pub.published_at if pub else None,
                await self.drafts.laid_out(draft.id, draft.version),
            )
            return View(html, markup)
        tier = int(stage.rsplit("_", 1)[1])
        assert context.facts is not None
        decisions, laid_out, warnings = context.facts
        html = render.review_card(
            draft, version, tier, decisions, names, laid_out, warnings, revision
        )
        open_now = draft.version == version.number and draft.state is DraftState.review(tier)
        return View(html, keyboards.review(draft.id, version.number, tier) if open_now else None)

    async def _editing_view(
        self, card: Card, draft: Draft, version: Version, names: Names, revision: Revision | None
    ) -> View:
        async with self.db.reading() as conn:
            newest = max(c.id for c in await cards.cards_for(conn, draft.id, stage=Stage.EDITING))
        if card.id != newest:
            # A revision came back to layout on a new card: this one has done its work.
            return View(texts.EDITING_SUPERSEDED.format(id=draft.id, version=draft.version))
        markup = keyboards.editing(draft) if draft.state is DraftState.EDITING else None
        html = render.editing_card(draft, version, names, revision, returned=revision is not None)
        return View(html, markup)

    @staticmethod
    def _intake_view(draft: Draft, version: Version) -> View:
        if draft.state is DraftState.INTAKE:
            return View(render.intake_card(draft, version), keyboards.intake(draft))
        if draft.state is DraftState.WITHDRAWN:
            return View(texts.INTAKE_CANCELLED.format(id=draft.id))
        return View(
            texts.INTAKE_SUBMITTED.format(
                id=draft.id,
                title=formatting.e(draft.title),
                version=draft.version,
                state=texts.STATE_NAMES[draft.state],
            )
        )
