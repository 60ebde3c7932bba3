"""Cards: messages about a draft that the bot keeps showing where the draft stands.

A card is recorded when it is sent, with a fingerprint of what it shows. Whenever a draft moves,
its feature queues a ``refresh`` of the stage's cards; the one refresh loop here asks the view the
feature registered for that stage what the card should show now, and edits only the cards whose
view changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import partial

import aiosqlite
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.outbox.failures import Broken, Unreachable, reaching
from bot.outbox.payloads import Refresh
from bot.outbox.runner import Delivery
from storage import Database, cards, outbox
from storage.models import Card, OutboxItem

__all__ = ["CardView", "Cards", "Refresh", "SentCard", "View", "fingerprint"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class View:
    """What a card shows: its HTML and its buttons."""

    html: str
    markup: InlineKeyboardMarkup | None = None

    @property
    def fingerprint(self) -> str:
        """What the card shows, so an edit that would change nothing is never sent."""
        return fingerprint(self.html, self.markup)


@dataclass(frozen=True, slots=True)
class SentCard:
    """A card as Telegram took it."""

    chat_id: int
    message_id: int
    rendered: str


# The view of a recorded card now; None when the card is gone (its draft deleted).
CardView = Callable[[Card], Awaitable[View | None]]


def fingerprint(html: str, markup: InlineKeyboardMarkup | None) -> str:
    """What a card shows, so an edit that would change nothing is never sent."""
    buttons = json.dumps(
        [[_button(b) for b in row] for row in markup.inline_keyboard] if markup else [],
        ensure_ascii=False,
    )
    return hashlib.sha256(f"{html}\x00{buttons}".encode()).hexdigest()


def _button(button: InlineKeyboardButton) -> list[object]:
    # Read field by field: PTB's to_json walks every attribute of every button, a cost paid on
    # each card a refresh looks at. A button of another kind (no data, no link) goes whole.
    if button.callback_data is None and button.url is None:
        return [button.to_json()]
    return [button.text, button.callback_data, button.url]


class Cards:
    """Sends, records and refreshes cards through the views features register per stage."""

    def __init__(self, bot: Bot, db: Database) -> None:
        self.bot = bot
        self.db = db
        self.views: dict[str, CardView] = {}
        self._delivery: Delivery | None = None

    def register(self, delivery: Delivery) -> None:
        """Handle the ``refresh`` outbox kind."""
        delivery.register(Refresh.KIND, self._refresh)
        self._delivery = delivery

    def add_view(self, stage: str, view: CardView) -> None:
        """Render the cards of ``stage`` with ``view``."""
        if stage in self.views:
            raise ValueError(f"card stage {stage!r} has two views")
        self.views[stage] = view

    async def send(self, chat_id: int, view: View, reply_to: int | None = None) -> SentCard:
        """Send a card (a failure names ``chat_id``); remember it with ``record(_one)``."""
        with reaching(chat_id):
            message = await self.bot.send_message(
                chat_id,
                view.html,
                parse_mode=ParseMode.HTML,
                reply_markup=view.markup,
                reply_to_message_id=reply_to,
                allow_sending_without_reply=True,
            )
        return SentCard(message.chat_id, message.message_id, view.fingerprint)

    async def record_one(
        self,
        item: OutboxItem,
        draft_id: int,
        version: int,
        stage: str,
        sent: SentCard,
        progress: Mapping[str, object],
    ) -> None:
        """Remember one card of a multi-card item and what the item has delivered so far, so a
        retry after a failure sends only what is left."""
        at = self.db.now()

        async def remember(tx: aiosqlite.Connection) -> None:
            await cards.add_card(
                tx, draft_id, version, stage, sent.chat_id, sent.message_id, at, sent.rendered
            )
            await outbox.set_progress(tx, item.id, progress)

        await self.db.atomically(remember)

    async def progress(self, item: OutboxItem, progress: Mapping[str, object]) -> None:
        """Remember what a multi-part item has delivered so far."""
        async with self.db.single() as conn:
            await outbox.set_progress(conn, item.id, progress)

    async def record(
        self, item: OutboxItem, draft_id: int, version: int, stage: str, sent: list[SentCard]
    ) -> None:
        """Remember the cards one outbox item sent and settle the item, in one transaction."""
        at = self.db.now()

        async def remember(tx: aiosqlite.Connection) -> None:
            for card in sent:
                await cards.add_card(
                    tx, draft_id, version, stage, card.chat_id, card.message_id, at, card.rendered
                )
            await outbox.mark_done(tx, item.id, at)

        await self.db.atomically(remember)

    async def _refresh(self, item: OutboxItem) -> None:
        if item.draft_id is None:
            return
        stage = Refresh.read(item.payload).stage
        async with self.db.reading() as conn:
            found = await cards.cards_for(conn, item.draft_id, stage=stage)
        view_of = self.views.get(stage)
        if view_of is None:
            logger.error("no view for card stage %r; %d cards left as they are", stage, len(found))
            return
        # What each edited card shows now, recorded however the refresh ends, so a retry after
        # a failure edits only what is left: on the outbox's next trip to the database (lost in
        # a crash, it costs one edit Telegram answers "not modified" to).
        edited: list[tuple[int, str]] = []
        try:
            for card in found:
                view = await view_of(card)
                if view is None or view.fingerprint == card.rendered:
                    continue
                if await self._edit(card, view):
                    edited.append((card.id, view.fingerprint))
        finally:
            # The outbox that runs this refresh (it is registered there).
            if edited and self._delivery is not None:
                self._delivery.settle_later(partial(_set_rendered, edited=edited))

    async def _edit(self, card: Card, view: View) -> bool:
        """Show ``view`` on ``card``; False when the card keeps what it showed."""
        try:
            with reaching(card.chat_id):
                await self.bot.edit_message_text(
                    view.html,
                    card.chat_id,
                    card.message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=view.markup,
                )
        except Broken as exc:
            text = str(exc).lower()
            if "not modified" not in text and "not found" not in text:
                # The card stays as it was; the next change of the draft tries again.
                logger.error("card %s in %s not edited: %s", card.id, card.chat_id, exc)
                return False
        except Unreachable as exc:
            # A chat that removed the bot keeps its old card; the others are edited.
            logger.warning("card %s in %s not edited: %s", card.id, card.chat_id, exc)
            return False
        return True


async def _set_rendered(conn: aiosqlite.Connection, edited: list[tuple[int, str]]) -> None:
    for card_id, fingerprint in edited:
        # Each UPDATE commits by itself, as a lone statement does.
        await cards.set_rendered(conn, card_id, fingerprint)
