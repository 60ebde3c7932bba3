"""Publishing: the approved version to the channel, once, then whatever other features hook on.

The gate is in storage: a publication starts only for a version all three tiers approved (the
database refuses anything else). Features that act on a publication (partners' repost offers)
register an after-publish hook, which runs inside the transaction that records the post.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial

import aiosqlite
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode

from bot import texts
from bot.config import UnionConfig
from bot.outbox.failures import Transient, reaching
from bot.outbox.payloads import Refresh
from bot.outbox.runner import Delivery
from bot.review import render
from bot.review.attachments import file_groups, send_group
from bot.review.base import editor_notice
from bot.review.loading import DraftLoader
from bot.review.payloads import Notice, Publish
from bot.review.service import Pipeline, Stage
from storage import Database, audit, drafts, outbox
from storage.drafts import PublicationRefused
from storage.models import Attachment, Draft, DraftState, OutboxItem, Version

__all__ = [
    "AfterPublish",
    "Publisher",
    "channel_parts",
    "post_as_channel",
    "uncertain_keyboard",
]

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
        """Handle ``publish`` items; one a crash caught mid-post waits for an admin."""
        self.delivery.register(Publish.KIND, self._publish, uncertain=self._ask_admins)

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
        at = self.db.now()

        async def begin(tx: aiosqlite.Connection) -> bool:
            """Whether the post goes out (the draft is publishing now); otherwise settled."""
            draft = await drafts.get(tx, draft_id)
            if draft is None or draft.version != number:
                await outbox.mark_done(tx, item.id, at, "skipped")
                return False
            if draft.state is DraftState.APPROVED:
                try:
                    started = await drafts.begin_publication(tx, draft_id, number, by_id, at)
                except PublicationRefused as exc:
                    await audit.append(
                        tx, at, by_id, "publish.refused", draft_id, number, {"error": str(exc)}
                    )
                    await outbox.mark_done(tx, item.id, at, "failed")
                    logger.error("publication of #%s refused: %s", draft_id, exc)
                    return False
                if started:
                    await audit.append(tx, at, by_id, "publish.started", draft_id, number)
            elif draft.state is not DraftState.PUBLISHING:
                await outbox.mark_done(tx, item.id, at, "skipped")
                return False
            return True

        if not await self.db.atomically(begin):
            return
        draft, version, _ = await self.drafts.load(draft_id, number)
        channel = self.config.chats.channel
        try:
            first = await self._post(item, channel, draft, version)
        except Transient:
            if not item.progress.get("told"):
                # Once per publication: it waits, it is not lost; the outbox keeps trying.
                await self.delivery.tell_admins(
                    texts.PUBLISH_WAITING_ADMINS.format(
                        id=draft_id, reason=texts.PUBLISH_WAITING_NETWORK
                    )
                )
                async with self.db.transaction() as tx:
                    await outbox.set_progress(tx, item.id, {**item.progress, "told": True})
            raise
        await self._finish(item, draft, by_id, channel, first)

    async def _post(
        self, item: OutboxItem, channel: int, draft: Draft, version: Version
    ) -> int | None:
        """Post part by part, each marked as under way while it is sent, so a crash mid-part
        leaves a question for an admin and a retry resumes at the part that failed. Returns the
        first message's id."""
        found = item.progress.get("parts", [])
        sent = [m for m in found if isinstance(m, int)] if isinstance(found, list) else []
        for index, part in enumerate(channel_parts(draft, version)):
            if index < len(sent):
                continue
            now = self.db.now()
            await self.db.atomically(partial(outbox.begin_send, item_id=item.id, at=now))
            with reaching(channel):
                message = await part(self.bot, channel)
            sent.append(message.message_id)
            progress = {**item.progress, "parts": list(sent)}
            await self.db.atomically(partial(_part_sent, item_id=item.id, progress=progress))
        return sent[0] if sent else None

    async def _finish(
        self,
        item: OutboxItem,
        draft: Draft,
        by_id: int | None,
        chat_id: int,
        message_id: int | None,
        confirmed_by: int | None = None,
    ) -> None:
        """Record the publication, its notice, the card refresh and the hooks; settle the item."""
        at = self.db.now()

        async def record(tx: aiosqlite.Connection) -> None:
            if await drafts.finish_publication(tx, draft.id, chat_id, message_id, at):
                detail: dict[str, object] = {"chat_id": chat_id, "message_id": message_id}
                if confirmed_by is not None:
                    detail["confirmed_by"] = confirmed_by
                await audit.append(tx, at, by_id, "publish.done", draft.id, draft.version, detail)
                await outbox.add(
                    tx,
                    at,
                    Notice.KIND,
                    draft.id,
                    Notice(event="published", chat_id=draft.origin_chat_id),
                )
                await outbox.add(tx, at, Refresh.KIND, draft.id, Refresh(Stage.PUBLISH))
                to_editor = editor_notice(self.config, draft, "editor_published")
                if to_editor is not None:
                    await outbox.add(tx, at, Notice.KIND, draft.id, to_editor)
                for hook in self.after_publish:
                    await hook(tx, draft.id, at)
            await outbox.mark_done(tx, item.id, at)

        await self.db.atomically(record)

    # A post a crash caught mid-send -----------------------------------------------------------

    async def _ask_admins(self, item: OutboxItem) -> None:
        await self.delivery.tell_admins(
            texts.UNCERTAIN_ADMINS.format(id=item.draft_id),
            markup=uncertain_keyboard(item.id),
        )

    async def confirm_posted(self, item_id: int, actor_id: int) -> Draft | None:
        """An admin saw the post in the channel: record it as published, without posting again.

        None when the item is not a publication waiting for this answer.
        """
        async with self.db.reading() as conn:
            item = await outbox.get(conn, item_id)
        if item is None or item.kind != Publish.KIND or item.waiting_reason != "uncertain":
            return None
        if item.draft_id is None:
            return None
        payload = Publish.read(item.payload)
        draft, _, _ = await self.drafts.load(item.draft_id, payload.version)
        found = item.progress.get("parts", [])
        first = (
            found[0] if isinstance(found, list) and found and isinstance(found[0], int) else None
        )
        await self._finish(
            item, draft, payload.by, self.config.chats.channel, first, confirmed_by=actor_id
        )
        return draft


Part = Callable[[Bot, int], Awaitable[Message]]


async def _part_sent(tx: aiosqlite.Connection, item_id: int, progress: dict[str, object]) -> None:
    """A part of a post went out: recorded, and no longer under way."""
    await outbox.set_progress(tx, item_id, progress)
    await outbox.end_send(tx, item_id)


def channel_parts(draft: Draft, version: Version) -> list[Part]:
    """The post as the channel shows it: the files with the caption on the first (an album
    each for the photos and the documents, one part each), or the text in chunks. Partners get
    their copy the same way."""
    if version.files:
        caption = render.channel_caption(draft, version)

        def file_part(group: tuple[Attachment, ...], text: str | None) -> Part:
            return lambda bot, chat: send_group(bot, chat, group, text)

        return [
            file_part(group, caption if index == 0 else None)
            for index, group in enumerate(file_groups(version.files))
        ]

    def text_part(chunk: str) -> Part:
        return lambda bot, chat: bot.send_message(chat, chunk, parse_mode=ParseMode.HTML)

    return [text_part(chunk) for chunk in render.channel_post_chunks(draft, version)]


async def post_as_channel(bot: Bot, chat_id: int, draft: Draft, version: Version) -> Message:
    """The whole post in one go (partners' copies); its first message."""
    first: Message | None = None
    for part in channel_parts(draft, version):
        message = await part(bot, chat_id)
        first = first or message
    assert first is not None
    return first


def uncertain_keyboard(item_id: int) -> InlineKeyboardMarkup:
    """已发出 / 重新发送 under the question about a post a crash caught mid-send."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.BUTTON_POSTED, callback_data=f"ob:{item_id}:p"),
                InlineKeyboardButton(texts.BUTTON_RESEND, callback_data=f"ob:{item_id}:r"),
            ]
        ]
    )
