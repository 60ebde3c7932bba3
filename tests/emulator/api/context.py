"""What a Bot API method handler gets, plus helpers shared by the sending methods."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ..errors import bad_request
from ..formatting import format_text
from ..models import Chat, Content, Message
from ..params import Params
from ..world import World

__all__ = [
    "MAX_CAPTION",
    "MAX_TEXT",
    "CallContext",
    "Handler",
    "formatted",
    "post_from_bot",
    "reply_target",
    "sending_chat",
]

MAX_TEXT = 4096
MAX_CAPTION = 1024


@dataclass
class CallContext:
    world: World
    params: Params
    request: web.Request | None = None


Handler = Callable[[CallContext], Awaitable[Any]]


def sending_chat(ctx: CallContext) -> Chat:
    chat = ctx.world.chat_for(ctx.params.raw("chat_id"))
    ctx.world.check_can_send(chat)
    return chat


def formatted(
    ctx: CallContext, text: str, *, caption: bool, parse_mode_param: str = "parse_mode"
) -> tuple[str, list[dict[str, Any]]]:
    """Parse text or caption and apply Telegram's emptiness and length rules."""
    entities_param = "caption_entities" if caption else "entities"
    plain, entities = format_text(
        text,
        ctx.params.string(parse_mode_param),
        ctx.params.raw(entities_param),
        ctx.world.user_api,
    )
    if caption:
        if len(plain) > MAX_CAPTION:
            raise bad_request("message caption is too long")
    else:
        if not plain:
            raise bad_request("message text is empty")
        if len(plain) > MAX_TEXT:
            raise bad_request("message is too long")
    return plain, entities


def reply_target(ctx: CallContext, chat: Chat) -> Message | None:
    """The message to reply to, from reply_parameters or the legacy reply_to_message_id."""
    params = ctx.params
    raw = params.json_value("reply_parameters", "can't parse reply parameters JSON object")
    if raw is not None:
        if not isinstance(raw, dict) or not isinstance(raw.get("message_id"), int):
            raise bad_request("can't parse reply parameters JSON object")
        message_id = raw["message_id"]
        allow_missing = bool(raw.get("allow_sending_without_reply"))
        if raw.get("chat_id") not in (None, ""):
            chat = ctx.world.chat_for(raw["chat_id"])
    else:
        legacy = params.integer("reply_to_message_id")
        if legacy is None:
            return None
        message_id = legacy
        allow_missing = params.flag("allow_sending_without_reply")
    target = chat.find_message(message_id)
    if target is None and not allow_missing:
        raise bad_request("message to be replied not found")
    return target


def post_from_bot(
    ctx: CallContext,
    chat: Chat,
    content: Content,
    *,
    reply_to: Message | None = None,
    forward_origin: dict[str, Any] | None = None,
    note: str = "",
) -> Message:
    """Post ``content`` in ``chat`` as the bot (as the channel, in a channel), without a sound
    when the call asked for none."""
    return ctx.world.post(
        chat,
        ctx.world.bot_sender(chat),
        content,
        reply_to=reply_to,
        forward_origin=forward_origin,
        note=note,
        silent=ctx.params.flag("disable_notification"),
    )
