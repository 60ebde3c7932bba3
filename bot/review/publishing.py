"""Publishing: the approved version to the channel, once, then whatever other features hook on.

The gate is in storage: a publication starts only for a version all three tiers approved (the
database refuses anything else). Features that act on a publication (partners' repost offers)
register an after-publish hook, which runs inside the transaction that records the post.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiosqlite
from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError

from bot import formatting, texts
from bot.config import UnionConfig
from bot.outbox.payloads import Refresh
from bot.outbox.runner import Delivery
from bot.review import render
from bot.review.loading import DraftLoader
from bot.review.payloads import Notice, Publish
from bot.review.service import Pipeline, Stage
from storage import Database, audit, drafts, outbox
from storage.drafts import PublicationRefused
from storage.models import Draft, DraftState, OutboxItem, Version

__all__ = ["AfterPublish", "Publisher", "post_as_channel"]

logger = logging.getLogger(__name__)

# Runs in the transaction that records a publication: (transaction, draft id, moment).
AfterPublish = Callable[[aiosqlite.Connection, int, str], Awaitable[None]]


class Publisher:
    """Sends the ``publish`` outbox kind."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        config: UnionConfig,
        pipeline: Pipeline,
        loader: DraftLoader,
        delivery: Delivery,
    ) -> None:
        self.bot = bot
        self.db = db
        self.config = config
        self.pipeline = pipeline
        self.drafts = loader
        self.delivery = delivery
        self.after_publish: list[AfterPublish] = []

    def register(self) -> None:
        """Handle ``publish`` items."""
        self.delivery.register(Publish.KIND, self._publish)

    async def _publish(self, item: OutboxItem) -> None:
        payload = Publish.read(item.payload)
        draft_id = item.draft_id
        if draft_id is None:
            return
        number, by_id = payload.version, payload.by
        async with self.db.reading() as conn:
            current = await drafts.get(conn, draft_id)
        if (
            current is not None
            and current.state is DraftState.APPROVED
            and not await self.pipeline.screen_before_publish(draft_id, number)
        ):
            return
        async with self.db.transaction() as tx:
            draft = await drafts.get(tx, draft_id)
            if draft is None or draft.version != number:
                await outbox.mark_done(tx, item.id, self.db.now())
                return
            at = self.db.now()
            if draft.state is DraftState.APPROVED:
                try:
                    started = await drafts.begin_publication(tx, draft_id, number, by_id, at)
                except PublicationRefused as exc:
                    await audit.append(
                        tx, at, by_id, "publish.refused", draft_id, number, {"error": str(exc)}
                    )
                    await outbox.mark_done(tx, item.id, at)
                    logger.error("publication of #%s refused: %s", draft_id, exc)
                    return
                if started:
                    await audit.append(tx, at, by_id, "publish.started", draft_id, number)
            elif draft.state is not DraftState.PUBLISHING:
                await outbox.mark_done(tx, item.id, at)
                return
        draft, version, _ = await self.drafts.load(draft_id, number)
        channel = self.config.chats.channel
        try:
            first = await post_as_channel(self.bot, channel, draft, version)
        except (Forbidden, BadRequest) as exc:
            await self.delivery.tell_admins(
                texts.PUBLISH_FAILED_ADMINS.format(id=draft_id, error=formatting.e(str(exc)))
            )
            # A channel misconfiguration is fixed by an admin; keep retrying until then.
            raise NetworkError(str(exc)) from exc
        async with self.db.transaction() as tx:
            at = self.db.now()
            if await drafts.finish_publication(tx, draft_id, first.chat_id, first.message_id, at):
                await audit.append(
                    tx,
                    at,
                    by_id,
                    "publish.done",
                    draft_id,
                    number,
                    {"chat_id": first.chat_id, "message_id": first.message_id},
                )
                await outbox.add(
                    tx,
                    at,
                    Notice.KIND,
                    draft_id,
                    Notice(event="published", chat_id=draft.origin_chat_id),
                )
                await outbox.add(tx, at, Refresh.KIND, draft_id, Refresh(Stage.PUBLISH))
                for hook in self.after_publish:
                    await hook(tx, draft_id, at)
            await outbox.mark_done(tx, item.id, at)


async def post_as_channel(bot: Bot, chat_id: int, draft: Draft, version: Version) -> Message:
    """The post as the channel shows it (text in chunks, or the file with its caption); its first
    message. Partners get their copy the same way."""
    if version.file_kind == "document" and version.file_id:
        return await bot.send_document(
            chat_id,
            version.file_id,
            caption=render.channel_caption(draft, version),
            parse_mode=ParseMode.HTML,
        )
    if version.file_kind == "photo" and version.file_id:
        return await bot.send_photo(
            chat_id,
            version.file_id,
            caption=render.channel_caption(draft, version),
            parse_mode=ParseMode.HTML,
        )
    first: Message | None = None
    for chunk in render.channel_post_chunks(draft, version):
        message = await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML)
        first = first or message
    assert first is not None
    return first
