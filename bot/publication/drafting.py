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
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class _Image:
    """One image of an approved version, as uploaded to WeChat."""

    name: str
    data: bytes
    kind: str


def _cover(images: list[_Image]) -> _Image:
    """The first image WeChat takes as a cover, else a plain one."""
    for image in images:
        if image.kind in COVER_IMAGE_KINDS:
            return image
    return _Image(texts.WECHAT_DEFAULT_COVER, plain_cover(), "png")


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
            images = await self._images(view.version)
            cover = _cover(images)
            thumb = await self.client.upload_image(cover.data, cover.name)
            urls = [
                await self.client.upload_article_image(image.data, image.name)
                for image in images
                if image.kind in ARTICLE_IMAGE_KINDS and len(image.data) < ARTICLE_IMAGE_MAX_BYTES
            ]
            article = DraftArticle(
                title=view.draft.title,
                content=text_to_content_html(view.version.body, urls),
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

    async def _images(self, version: Version) -> list[_Image]:
        """The version's images, each read once from the store, in order. The first WeChat
        takes as a cover is the cover; those an article body takes (JPG/PNG under 1 MB) follow
        the text, as the reviewers approved them all; one the body does not take is left to
        the editor, who has it with the 定稿."""
        images: list[_Image] = []
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
            suffix = "jpg" if kind == "jpeg" else kind
            images.append(_Image(f"{version.draft_id}-{position}.{suffix}", data, kind))
        return images

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
