"""The 公众号 draft box: after tier 3, the approved version goes into the official account's
draft box, so the editor sends it from WeChat's own editor with exactly the approved text.

The cover is the version's first image when it has one, else a plain cover the editor can
replace in WeChat's editor; the version's images follow its text in the article body. WeChat's
busy and quota answers and network trouble are retried by the outbox; any other refusal reaches
the admins as a clear Chinese message, and is audited.
"""

from __future__ import annotations

import logging
import struct
import zlib

from telegram import Bot

from bot import texts
from bot.formatting import e
from bot.outbox.failures import Transient
from bot.outbox.runner import Delivery, Permanent
from bot.publication.payloads import WeChatDraft
from bot.publication.service import PublicationRefused, PublicationService
from bot.publication.wechat import (
    ARTICLE_IMAGE_KINDS,
    ARTICLE_IMAGE_MAX_BYTES,
    COVER_IMAGE_KINDS,
    DraftArticle,
    WeChatClient,
    WeChatError,
    sniff_image_kind,
    text_to_content_html,
)
from storage import audit
from storage.files import FileStoreError
from storage.models import OutboxItem, Version

__all__ = ["WeChatDrafter", "plain_cover"]

logger = logging.getLogger(__name__)

# WeChat's recommended cover ratio (2.35:1), in the union's plain colour.
_COVER_SIZE = (900, 383)
_COVER_RGB = (0x1F, 0x4E, 0x79)


def plain_cover(width: int = _COVER_SIZE[0], height: int = _COVER_SIZE[1]) -> bytes:
    """A one-colour PNG: the cover of an article whose draft has no image of its own."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    row = b"\x00" + bytes(_COVER_RGB) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


class WeChatDrafter:
    """Sends the ``wechat_draft`` outbox kind through one shared ``WeChatClient``."""

    def __init__(
        self,
        bot: Bot,
        service: PublicationService,
        delivery: Delivery,
        client: WeChatClient | None,
    ) -> None:
        self.bot = bot
        self.service = service
        self.delivery = delivery
        self.client = client

    def register(self) -> None:
        """Handle ``wechat_draft`` items."""
        self.delivery.register(WeChatDraft.KIND, self._push)

    async def _push(self, item: OutboxItem) -> None:
        payload = WeChatDraft.read(item.payload)
        draft_id = item.draft_id
        if draft_id is None:
            return
        if await self.service.media_id(draft_id, payload.version) is not None:
            return
        if self.client is None:
            raise Permanent(texts.WECHAT_NO_SECRET)
        try:
            view = await self.service.final(draft_id)
        except PublicationRefused:
            return
        if view.version.number != payload.version:
            return
        try:
            cover = await self._cover(view.version)
            thumb = await self.client.upload_image(cover[1], cover[0])
            images = await self._body_images(self.client, view.version)
            article = DraftArticle(
                title=view.draft.title,
                content=text_to_content_html(view.version.body, images),
                thumb_media_id=thumb.media_id,
            )
            media_id = await self.client.add_draft(article)
        except WeChatError as exc:
            if getattr(exc, "transient", False):
                raise Transient(exc.message, exc.retry_after) from exc
            await self._refused(draft_id, payload.version, exc)
            return
        await self.service.record_media_id(draft_id, payload.version, media_id)
        logger.info(
            "draft #%s v%s is in the 公众号 draft box: %s", draft_id, view.version.number, media_id
        )
        if item.attempts > 0:
            # The 定稿 went out before the draft box answered: say where the article is now.
            chat = self.service.config.chats.editors or self.service.config.chats.admins
            if chat is not None:
                await self.bot.send_message(
                    chat, texts.WECHAT_DRAFTED.format(id=draft_id, media_id=e(media_id))
                )

    async def _cover(self, version: Version) -> tuple[str, bytes]:
        """The version's first image WeChat takes as the cover, when it has one."""
        for file in version.files:
            if file.sha256 is None:
                continue
            try:
                data = await self.service.store.get_async(file.sha256)
            except FileStoreError as exc:
                logger.warning("cover of #%s: %s", version.draft_id, exc)
                continue
            if sniff_image_kind(data) in COVER_IMAGE_KINDS:
                return file.name or "cover.jpg", data
        return texts.WECHAT_DEFAULT_COVER, plain_cover()

    async def _body_images(self, client: WeChatClient, version: Version) -> list[str]:
        """Every image of the approved version, uploaded for the article body in order: the
        reviewers approved them all. One WeChat does not take in a body (not JPG/PNG, or 1 MB
        or more) is left to the editor, who has it with the 定稿."""
        urls: list[str] = []
        for position, file in enumerate(version.files, start=1):
            if file.sha256 is None:
                continue
            try:
                data = await self.service.store.get_async(file.sha256)
            except FileStoreError as exc:
                logger.warning("image %s of #%s: %s", position, version.draft_id, exc)
                continue
            kind = sniff_image_kind(data)
            if kind is None:
                continue
            if kind not in ARTICLE_IMAGE_KINDS or len(data) >= ARTICLE_IMAGE_MAX_BYTES:
                logger.warning(
                    "image %s of #%s (%s, %s bytes) is not taken in an article body",
                    position,
                    version.draft_id,
                    kind,
                    len(data),
                )
                continue
            name = f"{version.draft_id}-{position}.{'jpg' if kind == 'jpeg' else kind}"
            urls.append(await client.upload_article_image(data, name))
        return urls

    async def _refused(self, draft_id: int, version: int, exc: WeChatError) -> None:
        async with self.service.db.transaction() as tx:
            await audit.append(
                tx,
                self.service.db.now(),
                None,
                "wechat.failed",
                draft_id,
                version,
                {"code": exc.code, "reason": exc.message[:300]},
            )
        await self.delivery.tell_admins(
            texts.WECHAT_DRAFT_FAILED.format(id=draft_id, reason=exc.message)
        )
