"""sendDocument, sendPhoto and getFile."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..files import MAX_DOWNLOAD_SIZE, StoredFile
from ..markup import parse_reply_markup
from ..models import Content
from .context import CallContext, Handler, formatted, post_from_bot, reply_target, sending_chat

__all__ = ["METHODS"]

_MAX_PHOTO_UPLOAD = 10 * 1024 * 1024
_TYPE_NAMES = {"document": "Document", "photo": "Photo"}


def _existing(ctx: CallContext, field: str, kind: str) -> StoredFile:
    reference = (ctx.params.string(field) or "").strip()
    if not reference:
        raise bad_request(f"there is no {field} in the request")
    if reference.lower().startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")  # the emulator has no network
    stored = ctx.world.files.get(reference)
    if stored.kind != kind:
        raise bad_request(
            f"can't use file of type {_TYPE_NAMES[stored.kind]} as {_TYPE_NAMES[kind]}"
        )
    return stored


def _document(ctx: CallContext) -> StoredFile:
    upload = ctx.params.file("document")
    if upload is None:
        return _existing(ctx, "document", "document")
    if not upload.data:
        raise bad_request("file must be non-empty")
    mime = upload.content_type if upload.content_type != "application/octet-stream" else None
    return ctx.world.files.add_document(upload.data, upload.filename, mime)


def _photo(ctx: CallContext) -> StoredFile:
    upload = ctx.params.file("photo")
    if upload is None:
        return _existing(ctx, "photo", "photo")
    if not upload.data:
        raise bad_request("file must be non-empty")
    if len(upload.data) > _MAX_PHOTO_UPLOAD:
        raise bad_request("file is too big")
    return ctx.world.files.add_photo(upload.data)


async def _send_media(ctx: CallContext, kind: str) -> Any:
    chat = sending_chat(ctx)
    markup = parse_reply_markup(ctx.params)
    source = ctx.params.string("caption") or ""
    caption, entities = formatted(ctx, source, caption=True)
    reply_to = reply_target(ctx, chat)
    media = _document(ctx) if kind == "document" else _photo(ctx)
    ctx.world.limiter.check(chat.id, chat.is_private)
    content = Content(caption, tuple(entities), True, media, markup, source=source or None)
    return post_from_bot(ctx, chat, content, reply_to=reply_to).to_api()


async def send_document(ctx: CallContext) -> Any:
    return await _send_media(ctx, "document")


async def send_photo(ctx: CallContext) -> Any:
    return await _send_media(ctx, "photo")


async def get_file(ctx: CallContext) -> Any:
    file_id = ctx.params.require_string("file_id", "file_id is empty")
    stored = ctx.world.files.get(file_id)
    if stored.size > MAX_DOWNLOAD_SIZE:
        raise bad_request("file is too big")
    ctx.world.files.issue_path(stored)
    return {
        "file_id": file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }


METHODS: dict[str, Handler] = {
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "getFile": get_file,
}
