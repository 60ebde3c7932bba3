"""Rejection reason templates per criterion: seeded from the config, edited by admins in chat,
tapped by reviewers in the reject flow."""

from __future__ import annotations

import logging
from collections.abc import Collection

from bot.config import UnionConfig
from bot.config.parse import REASON_TEMPLATE_LIMIT
from bot.members import Actor
from bot.review.base import Refused
from storage import Database, audit, reasons, users
from storage.models import Refusal, Role
from storage.reasons import ReasonTemplate

__all__ = ["REASON_TEMPLATE_LIMIT", "ReasonTemplate", "ReasonTemplates", "TooLong"]

logger = logging.getLogger(__name__)


class TooLong(ValueError):
    """A template longer than a button a phone shows whole."""


class ReasonTemplates:
    """The templates in the database, and the admins' changes to them (audited)."""

    def __init__(self, db: Database, config: UnionConfig) -> None:
        self.db = db
        self.config = config

    async def seed(self) -> None:
        """The config's templates, the first time the bot starts with this database."""
        async with self.db.transaction() as tx:
            if await reasons.seed(tx, self.config.reason_templates):
                logger.info("reason templates seeded from the config")

    async def listing(self) -> list[ReasonTemplate]:
        """Every template."""
        async with self.db.reading() as conn:
            return await reasons.listing(conn)

    async def for_criteria(self, criteria: Collection[str]) -> list[ReasonTemplate]:
        """The templates of the ticked criteria."""
        return [t for t in await self.listing() if t.criterion in criteria]

    async def _admin(self, actor: Actor) -> None:
        async with self.db.reading() as conn:
            roles = await users.roles_of(conn, actor.user_id)
        if Role.ADMIN not in roles:
            raise Refused(Refusal.NOT_ADMIN)

    async def add(self, actor: Actor, criterion: str, text: str) -> ReasonTemplate:
        """An admin adds a template for ``criterion``."""
        await self._admin(actor)
        if len(text) > REASON_TEMPLATE_LIMIT:
            raise TooLong(text)
        async with self.db.transaction() as tx:
            template = await reasons.add(tx, criterion, text)
            await audit.append(
                tx,
                self.db.now(),
                actor.user_id,
                "reasons.added",
                detail={"id": template.id, "criterion": criterion, "reason": text},
            )
        return template

    async def remove(self, actor: Actor, template_id: int) -> ReasonTemplate | None:
        """An admin deletes a template; None when there is none with that number."""
        await self._admin(actor)
        async with self.db.transaction() as tx:
            gone = await reasons.remove(tx, template_id)
            if gone is not None:
                await audit.append(
                    tx,
                    self.db.now(),
                    actor.user_id,
                    "reasons.removed",
                    detail={"id": gone.id, "criterion": gone.criterion, "reason": gone.text},
                )
        return gone
