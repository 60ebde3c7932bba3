"""Chat information, members, chat actions and the menu button."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..models import Chat
from .context import CallContext, Handler

__all__ = ["METHODS"]

_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


def _visible_chat(ctx: CallContext) -> Chat:
    chat = ctx.world.chat_for(ctx.params.raw("chat_id"))
    if not chat.is_private and chat.bot_status == "left":
        raise bad_request("chat not found")
    if not chat.is_private:
        ctx.world.check_can_access(chat)  # private chats are readable even if blocked
    return chat


async def get_chat(ctx: CallContext) -> Any:
    chat = _visible_chat(ctx)
    body = chat.to_api()
    # ChatFullInfo fields PTB 22 requires.
    body.update({"accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": _NO_GIFTS})
    if chat.pinned:
        pinned = chat.find_message(chat.pinned[-1])
        if pinned is not None:
            body["pinned_message"] = pinned.to_api(with_reply=False)
    return body


def _member_user(ctx: CallContext, chat: Chat) -> Any:
    user_id = ctx.params.require_integer("user_id", "user_id is empty")
    if user_id == ctx.world.bot.id:
        return ctx.world.bot
    user = ctx.world.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    return user


async def get_chat_member(ctx: CallContext) -> Any:
    chat = _visible_chat(ctx)
    return ctx.world.member_api(chat, _member_user(ctx, chat))


async def get_chat_administrators(ctx: CallContext) -> Any:
    chat = _visible_chat(ctx)
    if chat.is_private:
        raise bad_request("there are no administrators in the private chat")
    admins = [u for u in chat.members.values() if chat.owner_id == u.id or u.id in chat.admins]
    result = [ctx.world.member_api(chat, user) for user in admins]
    if chat.bot_status == "administrator":
        result.append(ctx.world.member_api(chat, ctx.world.bot))
    return result


async def get_chat_member_count(ctx: CallContext) -> Any:
    chat = _visible_chat(ctx)
    if chat.is_private:
        return 2
    return len(chat.members) + (1 if chat.bot_status in ("member", "administrator") else 0)


async def send_chat_action(ctx: CallContext) -> Any:
    chat = ctx.world.chat_for(ctx.params.raw("chat_id"))
    ctx.world.check_can_send(chat)
    if ctx.params.string("action") not in _ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


async def leave_chat(ctx: CallContext) -> Any:
    chat = ctx.world.chat_for(ctx.params.raw("chat_id"))
    ctx.world.check_can_access(chat)
    if chat.is_private:
        raise bad_request("chat member status can't be changed in private chats")
    chat.bot_status = "left"
    ctx.world.record("note", chat, ctx.world.actor_label(None), detail="退出了群聊")
    return True


async def set_chat_menu_button(ctx: CallContext) -> Any:
    button = ctx.params.json_value("menu_button", "can't parse menu button JSON object")
    if button is not None and (not isinstance(button, dict) or "type" not in button):
        raise bad_request("can't parse menu button JSON object")
    if "chat_id" in ctx.params:
        chat = ctx.world.chat_for(ctx.params.raw("chat_id"))
        if not chat.is_private:
            raise bad_request("menu button can be set only in private chats")
        chat.menu_button = button
    else:
        ctx.world.default_menu_button = button
    ctx.world.changed()
    return True


async def get_chat_menu_button(ctx: CallContext) -> Any:
    if "chat_id" in ctx.params:
        chat = ctx.world.chat_for(ctx.params.raw("chat_id"))
        if chat.menu_button is not None:
            return chat.menu_button
    return ctx.world.default_menu_button or {"type": "commands"}


METHODS: dict[str, Handler] = {
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "getChatMemberCount": get_chat_member_count,
    "sendChatAction": send_chat_action,
    "leaveChat": leave_chat,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
}
