"""sendMediaGroup for photos and documents."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from ..errors import bad_request
from ..files import StoredFile
from ..formatting import format_text
from ..models import Content
from .context import MAX_CAPTION, CallContext, Handler, post_from_bot, reply_target, sending_chat

__all__ = ["METHODS"]

_KINDS = {"photo": "Photo", "document": "Document"}
_group_ids = itertools.count(13_000_000_000_000_001)


@dataclass(frozen=True)
class _Item:
    media: StoredFile
    caption: str
    entities: tuple[dict[str, Any], ...]


def _item(ctx: CallContext, raw: Any) -> _Item:
    if not isinstance(raw, dict) or raw.get("type") not in ("photo", "document", "video", "audio"):
        raise bad_request("can't parse InputMedia: unsupported media type")
    kind = raw["type"]
    if kind not in _KINDS:
        raise bad_request(f"can't parse InputMedia: the emulator does not support {kind}")
    caption, entities = format_text(
        raw.get("caption") or "", raw.get("parse_mode"), raw.get("caption_entities"),
        ctx.world.user_api,
    )  # fmt: skip
    if len(caption) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    reference = raw.get("media")
    upload = None
    if isinstance(reference, str) and reference.startswith("attach://"):
        upload = ctx.params.files.get(reference.removeprefix("attach://"))
        if upload is None:
            raise bad_request("can't parse InputMedia: media not found")
    if upload is not None:
        if not upload.data:
            raise bad_request("file must be non-empty")
        if kind == "photo":
            stored = ctx.world.files.add_photo(upload.data)
        else:
            stored = ctx.world.files.add_document(upload.data, upload.filename, upload.content_type)
    else:
        if not isinstance(reference, str) or not reference:
            raise bad_request("can't parse InputMedia: media not found")
        stored = ctx.world.files.get(reference)
        if stored.kind != kind:
            raise bad_request(f"can't use file of type {_KINDS[stored.kind]} as {_KINDS[kind]}")
    return _Item(stored, caption, tuple(entities))


async def send_media_group(ctx: CallContext) -> Any:
    raw = ctx.params.json_value("media", "can't parse media JSON object")
    if not raw:
        raise bad_request("there are no messages to send")
    if not isinstance(raw, list):
        raise bad_request("can't parse media JSON object")
    if len(raw) > 10:
        raise bad_request("too many messages to send as an album")
    chat = sending_chat(ctx)
    items = [_item(ctx, entry) for entry in raw]
    kinds = {item.media.kind for item in items}
    if "document" in kinds and len(kinds) > 1:
        raise bad_request("document can't be mixed with other media types")
    reply_to = reply_target(ctx, chat)
    ctx.world.limiter.check(chat.id, chat.is_private)
    group_id = str(next(_group_ids)) if len(items) > 1 else None
    sent = []
    for item in items:
        content = Content(item.caption, item.entities, True, item.media, None)
        message = post_from_bot(ctx, chat, content, reply_to=reply_to, note=" (相册)")
        message.media_group_id = group_id
        sent.append(message.to_api())
    return sent


METHODS: dict[str, Handler] = {"sendMediaGroup": send_media_group}
