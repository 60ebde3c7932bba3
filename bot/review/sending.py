"""The review feature's cards: intake, editing, each tier's review card and the 发布 card.

Registers one outbox kind per card and one view per card stage, so the outbox's refresh loop
keeps every card showing where its draft stands. A card checks when it is sent whether it still
matters (a card for a tier already passed is settled without sending).
"""

from __future__ import annotations

import logging

from telegram import Bot, InputFile
from telegram.error import BadRequest, Forbidden

from bot import formatting, texts
from bot.config import UnionConfig
from bot.outbox.cards import Cards, SentCard, View
from bot.outbox.runner import Delivery, Permanent
from bot.review import keyboards, render, standins
from bot.review.loading import DraftLoader
from bot.review.payloads import EditingCard, IntakeCard, PublishCard, ReviewCard
from bot.review.service import Stage
from storage import Database, drafts, users
from storage.models import Card, Draft, DraftState, OutboxItem, Role, Version

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

    async def _send_content(self, chat_id: int, draft: Draft, version: Version) -> bool:
        """The draft's file (or its full text, when long) ahead of a card; True if sent."""
        caption = texts.ATTACHMENT_CAPTION.format(id=draft.id, version=version.number)
        if version.file_kind == "document" and version.file_id:
            await self.bot.send_document(chat_id, version.file_id, caption=caption)
            return True
        if version.file_kind == "photo" and version.file_id:
            await self.bot.send_photo(chat_id, version.file_id, caption=caption)
        if len(version.body) > render.CARD_EXCERPT_CHARS:
            await self.bot.send_document(
                chat_id,
                InputFile(
                    version.body.encode("utf-8"),
                    filename=texts.FULL_TEXT_FILE.format(id=draft.id, version=version.number),
                ),
                caption=texts.FULL_TEXT_CAPTION.format(id=draft.id, version=version.number),
            )
            return True
        return False

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
        draft, version, names = await self.drafts.load(item.draft_id)
        chat = self.config.chats.editors
        if draft.state is not DraftState.EDITING or chat is None:
            return
        await self._send_content(chat, draft, version)
        view = View(render.editing_card(draft, names), keyboards.editing(draft))
        sent = await self.cards.send(chat, view)
        await self.cards.record(item, draft.id, draft.version, Stage.EDITING, [sent])

    async def _review_targets(self, draft: Draft, tier: int) -> list[int]:
        async with self.db.reading() as conn:
            return await standins.reviewers(conn, self.config.chats.tier(tier), tier, draft)

    async def _review_card(self, item: OutboxItem) -> None:
        payload = ReviewCard.read(item.payload)
        tier, number = payload.tier, payload.version
        if item.draft_id is None:
            return
        draft, version, names = await self.drafts.load(item.draft_id, number)
        if draft.state is not DraftState.review(tier) or draft.version != number:
            return
        async with self.db.reading() as conn:
            decisions = await drafts.decisions(conn, draft.id, number)
        warnings = await self.drafts.warnings(draft.id, number)
        sent: list[SentCard] = []
        failures: list[str] = []
        handed = [payload.chat_id] if payload.chat_id is not None else None
        for chat_id in handed or await self._review_targets(draft, tier):
            try:
                long_text = await self._send_content(chat_id, draft, version)
                html = render.review_card(
                    draft, version, tier, decisions, names, long_text, warnings
                )
                view = View(html, keyboards.review(draft.id, number, tier))
                sent.append(await self.cards.send(chat_id, view))
            except (Forbidden, BadRequest) as exc:
                # One reviewer who never opened a chat with the bot must not hold up the others.
                logger.warning("review card for #%s to %s failed: %s", draft.id, chat_id, exc)
                failures.append(f"{chat_id}: {exc}")
        if not sent:
            raise Permanent("; ".join(failures) or "no reviewer for this tier")
        await self.cards.record(item, draft.id, number, Stage.review(tier), sent)
        if failures:
            await self.delivery.tell_admins(
                texts.DELIVERY_FAILED_ADMINS.format(
                    id=draft.id,
                    kind=texts.DELIVERY_KINDS.get(item.kind, item.kind),
                    error=formatting.e("; ".join(failures)),
                )
            )

    async def _publish_card(self, item: OutboxItem) -> None:
        PublishCard.read(item.payload)
        if item.draft_id is None:
            return
        draft, _, names = await self.drafts.load(item.draft_id)
        if draft.state is not DraftState.APPROVED:
            return
        chat = self.config.chats.editors or self.config.chats.admins
        async with self.db.reading() as conn:
            targets = await users.chat_or_holders(conn, chat, Role.ADMIN)
        view = View(render.publish_card(draft, names, None, None), keyboards.publish(draft))
        sent = [await self.cards.send(target, view) for target in targets]
        await self.cards.record(item, draft.id, draft.version, Stage.PUBLISH, sent)

    # Views ----------------------------------------------------------------------------------

    async def _view(self, card: Card) -> View | None:
        """What ``card`` should show now."""
        try:
            draft, version, names = await self.drafts.load(card.draft_id, card.version)
        except Permanent:
            return None
        stage = card.stage
        if stage == Stage.INTAKE:
            return self._intake_view(draft, version)
        if stage == Stage.EDITING:
            markup = keyboards.editing(draft) if draft.state is DraftState.EDITING else None
            return View(render.editing_card(draft, names), markup)
        if stage == Stage.PUBLISH:
            async with self.db.reading() as conn:
                pub = await drafts.publication(conn, draft.id)
            markup = keyboards.publish(draft) if draft.state is DraftState.APPROVED else None
            html = render.publish_card(
                draft,
                names,
                pub.published_by if pub else None,
                pub.published_at if pub else None,
            )
            return View(html, markup)
        tier = int(stage.rsplit("_", 1)[1])
        async with self.db.reading() as conn:
            decisions = await drafts.decisions(conn, draft.id, version.number)
        html = render.review_card(
            draft,
            version,
            tier,
            decisions,
            names,
            len(version.body) > render.CARD_EXCERPT_CHARS or version.file_kind == "document",
            await self.drafts.warnings(draft.id, version.number),
        )
        open_now = draft.version == version.number and draft.state is DraftState.review(tier)
        return View(html, keyboards.review(draft.id, version.number, tier) if open_now else None)

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
