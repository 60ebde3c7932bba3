"""sendMessage, copy/forward and pinning."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..markup import parse_reply_markup
from ..models import Content, Message
from .context import CallContext, Handler, formatted, post_from_bot, reply_target, sending_chat

__all__ = ["METHODS", "source_message"]


async def send_message(ctx: CallContext) -> Any:
    chat = sending_chat(ctx)
    markup = parse_reply_markup(ctx.params)
    source = ctx.params.string("text") or ""
    text, entities = formatted(ctx, source, caption=False)
    reply_to = reply_target(ctx, chat)
    ctx.world.limiter.check(chat.id, chat.is_private)
    content = Content(text, tuple(entities), reply_markup=markup, source=source)
    return post_from_bot(ctx, chat, content, reply_to=reply_to).to_api()


def source_message(ctx: CallContext, missing: str) -> Message:
    from_chat = ctx.world.chat_for(ctx.params.raw("from_chat_id"))
    ctx.world.check_can_access(from_chat)
    message_id = ctx.params.require_integer("message_id", "message identifier is not specified")
    message = from_chat.find_message(message_id)
    if message is None:
        raise bad_request(missing)
    return message


async def copy_message(ctx: CallContext) -> Any:
    original = source_message(ctx, "message to copy not found")
    chat = sending_chat(ctx)
    markup = parse_reply_markup(ctx.params)
    old = original.content
    text, entities = old.text, list(old.entities)
    if old.media is not None and "caption" in ctx.params.values:
        text, entities = formatted(ctx, ctx.params.string("caption") or "", caption=True)
    reply_to = reply_target(ctx, chat)
    ctx.world.limiter.check(chat.id, chat.is_private)
    # The original's inline keyboard is not carried over; pass reply_markup to add one.
    content = Content(text, tuple(entities), old.is_caption, old.media, markup, source=None)
    copy = post_from_bot(ctx, chat, content, reply_to=reply_to, note=" (复制)")
    return {"message_id": copy.message_id}


async def forward_message(ctx: CallContext) -> Any:
    original = source_message(ctx, "message to forward not found")
    chat = sending_chat(ctx)
    ctx.world.limiter.check(chat.id, chat.is_private)
    origin: dict[str, Any]
    if original.sender is None:
        origin = {
            "type": "channel",
            "chat": original.chat.to_api(),
            "message_id": original.message_id,
            "date": original.date,
        }
    else:
        origin = {"type": "user", "sender_user": original.sender.to_api(), "date": original.date}
    old = original.content
    content = Content(old.text, old.entities, old.is_caption, old.media, None, source=None)
    message = post_from_bot(ctx, chat, content, forward_origin=origin, note=" (转发)")
    return message.to_api()


async def pin_chat_message(ctx: CallContext) -> Any:
    chat = ctx.world.chat_for(ctx.params.raw("chat_id"))
    ctx.world.check_can_access(chat)
    if not ctx.world.bot_is_admin(chat):
        raise bad_request("not enough rights to manage pinned messages in the chat")
    message_id = ctx.params.require_integer("message_id", "message identifier is not specified")
    if chat.find_message(message_id) is None:
        raise bad_request("message to pin not found")
    if message_id not in chat.pinned:
        chat.pinned.append(message_id)
    ctx.world.record("note", chat, ctx.world.actor_label(None), detail=f"置顶了 #{message_id}")
    return True


async def unpin_chat_message(ctx: CallContext) -> Any:
    chat = ctx.world.chat_for(ctx.params.raw("chat_id"))
    ctx.world.check_can_access(chat)
    if not ctx.world.bot_is_admin(chat):
        raise bad_request("not enough rights to manage pinned messages in the chat")
    message_id = ctx.params.integer("message_id")
    if message_id is None:
        if chat.pinned:
            chat.pinned.pop()
    elif message_id in chat.pinned:
        chat.pinned.remove(message_id)
    else:
        raise bad_request("message to unpin not found")
    ctx.world.changed()
    return True


METHODS: dict[str, Handler] = {
    "sendMessage": send_message,
    "copyMessage": copy_message,
    "forwardMessage": forward_message,
    "pinChatMessage": pin_chat_message,
    "unpinChatMessage": unpin_chat_message,
}
