"""Turn a message (text, document or photo) into the content of a draft version."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot, Message
from telegram.error import TelegramError

from bot import texts
from bot.documents import (
    DocumentError,
    EmptyDocumentError,
    check_image,
    check_size,
    classify,
    has_visible_text,
)
from bot.documents.isolated import extract_isolated
from storage.drafts import NewContent
from storage.files import FileStore
from storage.models import Attachment

__all__ = ["ContentError", "content_from_message", "has_content", "require_text"]

logger = logging.getLogger(__name__)


class ContentError(Exception):
    """The message cannot be a draft; the message says why, in Chinese."""


@dataclass(frozen=True, slots=True)
class _Source:
    """The message a version came from, so a re-delivered update never makes a second one."""

    chat_id: int
    message_id: int


def has_content(message: Message) -> bool:
    """Whether the message carries something that could be a draft."""
    return bool(message.text or message.document or message.photo or message.caption)


async def content_from_message(bot: Bot, message: Message, store: FileStore) -> NewContent:
    """The draft content of ``message``: text, or a file with its extracted text.

    A file's bytes go into the union's ``store``; the version records their SHA-256, which its
    content hash covers, so reviewers approve these exact bytes. An album's item may come
    without a caption (Telegram puts it on one item, usually the first): the text may be on
    another item, and intake asks for it before the draft goes on.
    """
    source = _Source(message.chat_id, message.message_id)
    if message.document is not None:
        return await _document(bot, message, source, store)
    caption = (message.caption or "").strip()
    if message.photo:
        photo = message.photo[-1]
        if caption:
            _require_visible(caption)
        elif message.media_group_id is None:
            raise ContentError(texts.EMPTY_DRAFT)
        digest = await store.put_async(await _download(bot, photo.file_id))
        file = Attachment(
            kind="photo",
            file_id=photo.file_id,
            file_unique_id=photo.file_unique_id,
            mime_type="image/jpeg",
            size=photo.file_size,
            sha256=digest,
            media_group_id=message.media_group_id,
        )
        return NewContent(
            body=caption,
            files=(file,),
            source_chat_id=source.chat_id,
            source_msg_id=source.message_id,
        )
    body = (message.text or "").strip()
    if not body:
        raise ContentError(texts.UNSUPPORTED_MESSAGE if not message.text else texts.EMPTY_DRAFT)
    _require_visible(body)
    return NewContent(body=body, source_chat_id=source.chat_id, source_msg_id=source.message_id)


async def _document(bot: Bot, message: Message, source: _Source, store: FileStore) -> NewContent:
    document = message.document
    assert document is not None
    caption = (message.caption or "").strip()
    try:
        kind = classify(document.file_name, document.mime_type)
        check_size(document.file_size)
    except DocumentError as exc:
        raise ContentError(exc.reason) from exc
    if kind == "image":
        # An image sent as a file is kept as a file; its caption is the text.
        if caption:
            _require_visible(caption)
        elif message.media_group_id is None:
            raise ContentError(texts.EMPTY_DRAFT)
        # Only the header is read (never the pixels): a "pixel bomb" is refused before anyone's
        # client has to open it.
        data = await _download(bot, document.file_id)
        try:
            check_image(data)
        except DocumentError as exc:
            raise ContentError(exc.reason) from exc
        body, note = caption, ""
    else:
        data = await _download(bot, document.file_id)
        try:
            # In a worker process with time and memory limits: a hostile file cannot stop
            # the bot or keep its memory.
            extracted = await extract_isolated(document.file_name, document.mime_type, data)
            text = extracted.text.strip()
        except EmptyDocumentError as exc:
            if not caption and message.media_group_id is None:
                raise ContentError(exc.reason) from exc
            text = ""
        except DocumentError as exc:
            raise ContentError(exc.reason) from exc
        # The file is the draft; a caption is a note to the reviewers ("请审核"), unless the
        # file holds no text, when the caption is all there is.
        body, note = (text, caption) if text else (caption, "")
        if body or message.media_group_id is None:
            _require_visible(body)
    # Kept only once the draft is acceptable: a refused file leaves nothing in the store.
    digest = await store.put_async(data)
    return NewContent(
        body=body,
        note=note,
        files=(
            Attachment(
                kind="document",
                file_id=document.file_id,
                file_unique_id=document.file_unique_id,
                name=document.file_name,
                mime_type=document.mime_type,
                size=document.file_size,
                sha256=digest,
                media_group_id=message.media_group_id,
            ),
        ),
        source_chat_id=source.chat_id,
        source_msg_id=source.message_id,
    )


async def _download(bot: Bot, file_id: str) -> bytes:
    try:
        telegram_file = await bot.get_file(file_id)
        return bytes(await telegram_file.download_as_bytearray())
    except TelegramError as exc:
        if "too big" in str(exc).lower():
            raise ContentError(texts.FILE_TOO_BIG) from exc
        logger.warning("download of %s failed: %s", file_id, exc)
        raise ContentError(texts.DOWNLOAD_FAILED) from exc


def require_text(content: NewContent) -> NewContent:
    """``content``, refused when it has no text (an album item sent without a caption), where
    no draft at intake can take the text from another message."""
    if not content.body.strip():
        raise ContentError(texts.EMPTY_DRAFT)
    return content


def _require_visible(text: str) -> None:
    """Refuse a draft whose every character is invisible (zero-width spaces and the like)."""
    if not has_visible_text(text):
        raise ContentError(texts.INVISIBLE_DRAFT)
