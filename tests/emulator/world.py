"""The emulator's state and the primitive operations both sides (bot API, test users) use."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .bot_commands import CommandStore
from .callbacks import CallbackRegistry
from .calls import ApiCall
from .errors import ApiError, bad_request, forbidden
from .faults import FaultPlan
from .files import FileStore
from .members import MemberStatus, member_api
from .models import Chat, Content, Message, UserInfo
from .notifier import Notifier
from .ratelimit import RateLimitConfig, RateLimiter
from .transcript import EventKind, TranscriptEvent
from .updates import UpdateQueue

__all__ = ["World", "WorldConfig"]


@dataclass(frozen=True)
class WorldConfig:
    token: str
    bot: UserInfo
    privacy_mode: bool
    callback_max_age: float
    rate_limits: RateLimitConfig | None
    first_update_id: int
    clock: Callable[[], float]


class World:
    def __init__(self, config: WorldConfig) -> None:
        self.config = config
        self.bot = config.bot
        self.notifier = Notifier()
        self.updates = UpdateQueue(self.notifier, config.first_update_id)
        self.files = FileStore()
        self.commands = CommandStore()
        self.callbacks = CallbackRegistry(config.clock, config.callback_max_age)
        self.limiter = RateLimiter(config.rate_limits, config.clock)
        self.faults = FaultPlan()
        self.users: dict[int, UserInfo] = {}
        self.chats: dict[int, Chat] = {}
        self.calls: list[ApiCall] = []
        self.events: list[TranscriptEvent] = []
        self.profile: dict[str, dict[str, str]] = {}  # setMyName/Description per language
        self.default_menu_button: dict[str, Any] | None = None
        self._seq = itertools.count(1)

    # -- bookkeeping ------------------------------------------------------------------
    def next_seq(self) -> int:
        return next(self._seq)

    def changed(self) -> None:
        self.notifier.notify()

    def record(self, kind: EventKind, chat: Chat | None, actor: str, **fields: Any) -> None:
        self.events.append(TranscriptEvent(self.next_seq(), kind, chat, actor, **fields))
        self.changed()

    def actor_label(self, user: UserInfo | None) -> str:
        if user is None or user.id == self.bot.id:
            return f"🤖 {self.bot.username or self.bot.first_name}"
        return user.full_name

    # -- lookups ----------------------------------------------------------------------
    def chat_for(self, raw: Any) -> Chat:
        """Resolve a chat_id parameter (number or @username) or fail like Telegram."""
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        text = str(raw).strip()
        if text.startswith("@"):
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == text[1:].lower():
                    return chat
            raise bad_request("chat not found")
        try:
            chat_id = int(text)
        except ValueError:
            raise bad_request("chat not found") from None
        found = self.chats.get(chat_id)
        if found is None:
            raise bad_request("chat not found")
        return found

    def user_api(self, user_id: int) -> dict[str, Any]:
        user = self.users.get(user_id)
        if user is None:
            raise bad_request("can't parse entities: user not found")
        return user.to_api()

    def member_status(self, chat: Chat, user_id: int) -> MemberStatus:
        if user_id == self.bot.id:
            status = chat.bot_status
            return "member" if chat.is_private and status == "administrator" else status
        if chat.is_private:
            return "member" if chat.user is not None and chat.user.id == user_id else "left"
        if chat.owner_id == user_id:
            return "creator"
        if user_id in chat.admins:
            return "administrator"
        return "member" if user_id in chat.members else "left"

    def member_api(self, chat: Chat, user: UserInfo) -> dict[str, Any]:
        return member_api(user, self.member_status(chat, user.id))

    # -- access rules -----------------------------------------------------------------
    def check_can_send(self, chat: Chat) -> None:
        self.check_can_access(chat)
        if chat.kind == "channel" and chat.bot_status != "administrator":
            raise bad_request("need administrator rights in the channel chat")

    def check_can_access(self, chat: Chat) -> None:
        if chat.is_private:
            if chat.bot_status == "kicked":
                raise forbidden("bot was blocked by the user")
            if not chat.started:
                raise forbidden("bot can't initiate conversation with a user")
            return
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {chat.noun} chat")
        if chat.bot_status == "left":
            raise forbidden(f"bot is not a member of the {chat.noun} chat")

    def bot_sender(self, chat: Chat) -> UserInfo | None:
        """The ``from`` of the bot's messages: channel posts are signed by the channel."""
        return None if chat.kind == "channel" else self.bot

    def bot_is_admin(self, chat: Chat) -> bool:
        return chat.is_private or chat.bot_status == "administrator"

    # -- messages ---------------------------------------------------------------------
    def post(
        self,
        chat: Chat,
        sender: UserInfo | None,
        content: Content,
        *,
        reply_to: Message | None = None,
        forward_origin: dict[str, Any] | None = None,
        note: str = "",
        silent: bool = False,
    ) -> Message:
        message = Message(
            chat=chat,
            message_id=chat.next_message_id,
            sender=sender,
            date=int(time.time()),
            content=content,
            seq=self.next_seq(),
            reply_to=reply_to,
            forward_origin=forward_origin,
            silent=silent,
        )
        chat.next_message_id += 1
        chat.messages.append(message)
        self.record(
            "message",
            chat,
            self.actor_label(sender),
            message_id=message.message_id,
            content=content,
            reply_to=message.reply_to_id,
            detail=note + (" (静音)" if silent else ""),
        )
        return message

    def edit(self, message: Message, content: Content) -> None:
        previous = message.content
        message.history.append(previous)
        message.content = content
        message.edit_date = int(time.time())
        self.record(
            "edit",
            message.chat,
            self.actor_label(message.sender),
            message_id=message.message_id,
            content=content,
            previous=previous,
        )

    def delete(self, message: Message) -> None:
        message.deleted = True
        self.record("delete", message.chat, self.actor_label(None), message_id=message.message_id)

    # -- updates ----------------------------------------------------------------------
    def bot_sees(self, message: Message) -> bool:
        """Whether Telegram would deliver a user's group message to the bot."""
        chat = message.chat
        if chat.is_private:
            return chat.bot_status != "kicked"
        if chat.bot_status not in ("member", "administrator"):
            return False
        if not self.config.privacy_mode or chat.bot_status == "administrator":
            return True
        reply = message.reply_to
        if reply is not None and reply.sender is not None and reply.sender.id == self.bot.id:
            return True
        for entity in message.content.entities:
            if entity["type"] == "bot_command" and entity["offset"] == 0:
                command = message.text[: entity["length"]]
                target = command.partition("@")[2]
                return not target or target.lower() == (self.bot.username or "").lower()
        return False

    def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        return self.updates.push(kind, payload)

    def push_my_chat_member(
        self, chat: Chat, actor: UserInfo, old: MemberStatus, new: MemberStatus
    ) -> None:
        self.push_update(
            "my_chat_member",
            {
                "chat": chat.to_api(),
                "from": actor.to_api(),
                "date": int(time.time()),
                "old_chat_member": member_api(self.bot, old),
                "new_chat_member": member_api(self.bot, new),
            },
        )
