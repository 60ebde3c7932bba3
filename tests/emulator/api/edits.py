"""Editing and deleting messages, with Telegram's "not modified" and ownership rules."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import bad_request
from ..markup import parse_reply_markup
from ..models import Content, Message
from .context import CallContext, Handler, formatted

__all__ = ["METHODS"]

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _editable(ctx: CallContext) -> Message:
    params = ctx.params
    if "inline_message_id" in params:
        raise bad_request("MESSAGE_ID_INVALID")  # inline mode is not emulated
    chat = ctx.world.chat_for(params.raw("chat_id"))
    ctx.world.check_can_access(chat)
    message_id = params.require_integer("message_id", "message identifier is not specified")
    message = chat.find_message(message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if message.sender is not None and message.sender.id != ctx.world.bot.id:
        raise bad_request("message can't be edited")
    if message.forward_origin is not None:
        raise bad_request("message can't be edited")
    return message


def _apply(ctx: CallContext, message: Message, content: Content) -> Any:
    if content.same_as(message.content):
        raise bad_request(NOT_MODIFIED)
    ctx.world.edit(message, content)
    return message.to_api()


async def edit_message_text(ctx: CallContext) -> Any:
    message = _editable(ctx)
    markup = parse_reply_markup(ctx.params)
    source = ctx.params.string("text") or ""
    text, entities = formatted(ctx, source, caption=False)
    if message.content.media is not None:
        raise bad_request("there is no text in the message to edit")
    # Omitting reply_markup removes the inline keyboard, exactly as on Telegram.
    content = replace(
        message.content, text=text, entities=tuple(entities), reply_markup=markup, source=source
    )
    return _apply(ctx, message, content)


async def edit_message_caption(ctx: CallContext) -> Any:
    message = _editable(ctx)
    markup = parse_reply_markup(ctx.params)
    source = ctx.params.string("caption") or ""
    text, entities = formatted(ctx, source, caption=True)
    if message.content.media is None:
        raise bad_request("there is no caption in the message to edit")
    content = replace(
        message.content, text=text, entities=tuple(entities), reply_markup=markup, source=source
    )
    return _apply(ctx, message, content)


async def edit_message_reply_markup(ctx: CallContext) -> Any:
    message = _editable(ctx)
    markup = parse_reply_markup(ctx.params)
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return _apply(ctx, message, replace(message.content, reply_markup=markup))


def _deletable(ctx: CallContext, message_id: int) -> Message | None:
    chat = ctx.world.chat_for(ctx.params.raw("chat_id"))
    ctx.world.check_can_access(chat)
    message = chat.find_message(message_id)
    if message is None:
        return None
    own = message.sender is not None and message.sender.id == ctx.world.bot.id
    if not own and not ctx.world.bot_is_admin(chat):
        raise bad_request("message can't be deleted")
    return message


async def delete_message(ctx: CallContext) -> Any:
    message_id = ctx.params.require_integer("message_id", "message identifier is not specified")
    message = _deletable(ctx, message_id)
    if message is None:
        raise bad_request("message to delete not found")
    ctx.world.delete(message)
    return True


async def delete_messages(ctx: CallContext) -> Any:
    ids = ctx.params.json_value("message_ids", "can't parse message identifiers JSON object")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message identifiers are not specified")
    for message_id in ids:
        # deleteMessages skips messages that are already gone, unlike deleteMessage.
        message = _deletable(ctx, int(message_id))
        if message is not None:
            ctx.world.delete(message)
    return True


METHODS: dict[str, Handler] = {
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
}
