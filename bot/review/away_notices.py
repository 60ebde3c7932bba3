"""The stand-in's notice that they stand in for an away reviewer, sent through the outbox."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.constants import ParseMode

from bot import formatting, texts
from bot.outbox.runner import Delivery
from bot.review.away import StandInNotice, StandIns
from storage.models import OutboxItem, Role

__all__ = ["StandInNotices", "tiers_text"]

logger = logging.getLogger(__name__)


def tiers_text(tiers: tuple[int, ...] | list[int]) -> str:
    """Tiers as the union writes them: 1、3."""
    return "、".join(str(t) for t in tiers)


class StandInNotices:
    """Sends ``standin_notice`` items: the stand-in learns what they now decide, and until when."""

    def __init__(self, bot: Bot, service: StandIns) -> None:
        self.bot = bot
        self.service = service

    def register(self, delivery: Delivery) -> None:
        """Let the delivery send this kind."""
        delivery.register(StandInNotice.KIND, self._send)

    async def _send(self, item: OutboxItem) -> None:
        payload = StandInNotice.read(item.payload)
        found = await self.service.span(payload.span)
        if found is None:
            logger.error("outbox %s names stand-in arrangement %s, which is gone", item.id, payload)
            return
        span, people = found
        if span.cancelled_at is not None:
            return
        names = formatting.Names(people, self.service.tz)
        first, last = self.service.days_of(span)
        held = await self.service.roles_of(span.reviewer_id)
        tiers = [t for t in (1, 2, 3) if Role.for_tier(t) in held]
        html = texts.AWAY_TOLD_STANDIN.format(
            by=names(span.set_by),
            first=first.isoformat(),
            last=last.isoformat(),
            reviewer=names(span.reviewer_id),
            tiers=tiers_text(tiers),
        )
        await self.bot.send_message(span.standin_id, html, parse_mode=ParseMode.HTML)
