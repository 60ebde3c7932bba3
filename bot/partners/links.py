"""Partners get the real link: when the union records where a post went out (/posted), each
partner that was offered it gets the link under its offer, so a repost points at the original.

The publication feature calls ``on_posted`` inside the transaction that records the link (the
wiring connects them; neither feature imports the other); each notice is an outbox item.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

import aiosqlite
from telegram import Bot

from bot import formatting, texts
from bot.outbox.failures import reaching
from bot.outbox.runner import Delivery
from storage import Database, drafts, outbox, publications
from storage import partners as store
from storage.models import OutboxItem
from storage.payloads import Payload

__all__ = ["RepostLink", "RepostLinks"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RepostLink(Payload):
    """The link of a publication, to the chat of one partner's offer."""

    KIND: ClassVar[str] = "repost_link"
    repost: int
    link: int


class RepostLinks:
    """Queues and sends the ``repost_link`` outbox kind."""

    def __init__(self, bot: Bot, db: Database, delivery: Delivery) -> None:
        self.bot = bot
        self.db = db
        self.delivery = delivery

    def register(self) -> None:
        """Handle ``repost_link`` items."""
        self.delivery.register(RepostLink.KIND, self._send)

    @staticmethod
    async def on_posted(tx: aiosqlite.Connection, draft_id: int, link_id: int, at: str) -> None:
        """A link was recorded: each partner offered the post gets it."""
        for offer in await store.delivered_of(tx, draft_id):
            await outbox.add(tx, at, RepostLink.KIND, draft_id, RepostLink(offer.id, link_id))

    async def _send(self, item: OutboxItem) -> None:
        payload = RepostLink.read(item.payload)
        async with self.db.reading() as conn:
            offer = await store.repost(conn, payload.repost)
            link = await publications.get_link(conn, payload.link)
            draft = await drafts.get(conn, link.draft_id) if link is not None else None
        if offer is None or link is None or draft is None or offer.chat_id is None:
            return
        platform = link.account or texts.PLATFORM_NAMES[link.platform]
        html = formatting.fit(
            texts.REPOST_LINK, title=draft.title, platform=platform, url=link.url
        ).html
        with reaching(offer.chat_id):
            await self.bot.send_message(
                offer.chat_id,
                html,
                reply_to_message_id=offer.message_id,
                allow_sending_without_reply=True,
            )
