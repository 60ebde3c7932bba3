"""Scripted people and chat handles: how tests act on the emulated Telegram."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .callbacks import CallbackAnswer, CallbackQuery
from .entities import detect_entities
from .errors import ApiError, EmulatorUsageError, WaitTimeout
from .files import guess_mime_type
from .members import MemberStatus
from .models import BotStatus, Chat, Content, Message, UserInfo

if TYPE_CHECKING:
    from .world import World

__all__ = ["AlbumDocument", "AlbumPhoto", "CallbackHandle", "ChatHandle", "ScriptedUser"]

_MAX_USER_TEXT = 4096
# Telegram's albums hold 2 to 10 items.
_ALBUM_SIZES = range(2, 11)
_user_album_ids = itertools.count(14_000_000_000_000_001)


@dataclass(frozen=True)
class AlbumPhoto:
    """A photo of an album a user sends, with its own caption (clients put one on the first)."""

    data: bytes
    caption: str | None = None


@dataclass(frozen=True)
class AlbumDocument:
    """A document of an album a user sends."""

    file_name: str
    data: bytes
    caption: str | None = None
    mime_type: str | None = None


class CallbackHandle:
    """The result of a tap: the query the bot received and, eventually, its answer."""

    def __init__(self, world: World, query: CallbackQuery) -> None:
        self._world = world
        self.query = query

    @property
    def id(self) -> str:
        return self.query.id

    @property
    def answered(self) -> bool:
        return self.query.answered

    @property
    def answer(self) -> CallbackAnswer | None:
        return self.query.answer

    async def wait_answer(self, timeout: float = 10.0) -> CallbackAnswer:  # noqa: ASYNC109
        if not await self._world.notifier.wait_until(lambda: self.query.answered, timeout):
            raise WaitTimeout(
                f"the bot did not answer callback query {self.id} "
                f"(data={self.query.data!r}) within {timeout}s"
            )
        assert self.query.answer is not None
        return self.query.answer


class ChatHandle:
    """A group, supergroup or channel that tests can reconfigure."""

    def __init__(self, world: World, chat: Chat) -> None:
        self._world = world
        self.chat = chat

    @property
    def id(self) -> int:
        return self.chat.id

    @property
    def title(self) -> str | None:
        return self.chat.title

    @property
    def kind(self) -> str:
        return self.chat.kind

    @property
    def messages(self) -> list[Message]:
        return [m for m in self.chat.messages if not m.deleted]

    def __repr__(self) -> str:
        return f"<ChatHandle {self.chat.kind} {self.id} {self.title!r}>"

    def _actor(self) -> UserInfo:
        chat = self.chat
        candidates = [chat.owner_id, *sorted(chat.admins), *chat.members]
        for user_id in candidates:
            if user_id is not None and user_id in self._world.users:
                return self._world.users[user_id]
        return UserInfo(777000, "Telegram")  # Telegram's service account

    def _set_bot_status(self, status: BotStatus, note: str) -> None:
        old = self._world.member_status(self.chat, self._world.bot.id)
        self.chat.bot_status = status
        self._world.record("note", self.chat, self._actor().full_name, detail=note)
        self._world.push_my_chat_member(self.chat, self._actor(), old, status)

    def add_member(self, user: ScriptedUser, *, admin: bool = False) -> None:
        self.chat.members[user.id] = user.info
        if admin:
            self.chat.admins.add(user.id)
        self._world.changed()

    def remove_member(self, user: ScriptedUser) -> None:
        self.chat.members.pop(user.id, None)
        self.chat.admins.discard(user.id)
        self._world.changed()

    def remove_bot(self) -> None:
        """An admin kicks the bot: later sends fail with "bot was kicked from the ... chat"."""
        self._set_bot_status("kicked", "把机器人移出了群聊")

    def add_bot(self, *, admin: bool = False) -> None:
        self._set_bot_status("administrator" if admin else "member", "把机器人拉进了群聊")

    def set_bot_admin(self, admin: bool = True) -> None:
        self._set_bot_status(
            "administrator" if admin else "member",
            "把机器人设为管理员" if admin else "撤销了机器人的管理员",
        )

    def migrate_to_supergroup(self, new_id: int) -> ChatHandle:
        """Upgrade a basic group; sends to the old id then fail with ChatMigrated."""
        if self.chat.kind != "group":
            raise EmulatorUsageError("only basic groups can be migrated")
        new_chat = Chat(
            id=new_id,
            kind="supergroup",
            title=self.chat.title,
            members=dict(self.chat.members),
            admins=set(self.chat.admins),
            owner_id=self.chat.owner_id,
            bot_status=self.chat.bot_status,
        )
        self._world.chats[new_id] = new_chat
        self.chat.migrated_to = new_id
        self._world.record("note", self.chat, "Telegram", detail=f"群组升级为超级群组 {new_id}")
        return ChatHandle(self._world, new_chat)


class ScriptedUser:
    """A person the test drives. Actions return once the update is queued for the bot."""

    def __init__(self, world: World, info: UserInfo, private_chat: Chat) -> None:
        self._world = world
        self.info = info
        self.chat = private_chat

    @property
    def id(self) -> int:
        return self.info.id

    @property
    def name(self) -> str:
        return self.info.full_name

    @property
    def username(self) -> str | None:
        return self.info.username

    @property
    def blocked_bot(self) -> bool:
        return self.chat.bot_status == "kicked"

    def __repr__(self) -> str:
        return f"<ScriptedUser {self.id} {self.name!r}>"

    # -- sending ------------------------------------------------------------------------
    def _target(self, chat: ChatHandle | Chat | None) -> Chat:
        target = self.chat if chat is None else chat.chat if isinstance(chat, ChatHandle) else chat
        if target.is_private:
            if target is not self.chat:
                raise EmulatorUsageError(f"{self.name} cannot write in someone else's private chat")
            if self.blocked_bot:
                raise EmulatorUsageError(f"{self.name} blocked the bot; call unblock_bot() first")
        elif target.kind == "channel":
            raise EmulatorUsageError("users cannot post in a channel")
        elif self.id not in target.members:
            raise EmulatorUsageError(f"{self.name} is not a member of {target.label}")
        elif target.migrated_to is not None:
            raise EmulatorUsageError(f"{target.label} was migrated to {target.migrated_to}")
        return target

    def _reply(self, chat: Chat, reply_to: Message | int | None) -> Message | None:
        if reply_to is None:
            return None
        message_id = reply_to if isinstance(reply_to, int) else reply_to.message_id
        if isinstance(reply_to, Message) and reply_to.chat is not chat:
            raise EmulatorUsageError("a reply must be in the same chat as the replied message")
        found = chat.find_message(message_id)
        if found is None:
            raise EmulatorUsageError(f"no message #{message_id} in {chat.label} to reply to")
        return found

    async def _post(
        self, chat: ChatHandle | Chat | None, content: Content, reply_to: Message | int | None
    ) -> Message:
        target = self._target(chat)
        reply = self._reply(target, reply_to)
        if target.is_private and not target.started:
            target.started = True
        message = self._world.post(target, self.info, content, reply_to=reply)
        if self._world.bot_sees(message):
            self._world.push_update("message", message.to_api())
        await asyncio.sleep(0)  # let the server hand it to a waiting long poll
        return message

    @staticmethod
    def _text_content(text: str, *, caption: bool) -> tuple[str, tuple[dict[str, object], ...]]:
        limit = 1024 if caption else _MAX_USER_TEXT
        if len(text) > limit:
            raise EmulatorUsageError(f"Telegram clients cannot send more than {limit} characters")
        return text, tuple(detect_entities(text, []))

    async def send_text(
        self,
        text: str,
        *,
        chat: ChatHandle | Chat | None = None,
        reply_to: Message | int | None = None,
    ) -> Message:
        """Send a text message (private chat with the bot unless ``chat`` is given).

        Commands, mentions, hashtags and URLs get entities as a Telegram client would add.
        """
        if not text.strip():
            raise EmulatorUsageError("Telegram clients do not send empty messages")
        body, entities = self._text_content(text, caption=False)
        return await self._post(chat, Content(body, entities), reply_to)

    async def send_document(
        self,
        file_name: str,
        data: bytes,
        *,
        caption: str | None = None,
        chat: ChatHandle | Chat | None = None,
        mime_type: str | None = None,
        reply_to: Message | int | None = None,
    ) -> Message:
        if not data:
            raise EmulatorUsageError("Telegram clients do not send empty files")
        stored = self._world.files.add_document(
            data, file_name, mime_type or guess_mime_type(file_name)
        )
        body, entities = self._text_content(caption or "", caption=True)
        return await self._post(chat, Content(body, entities, True, stored), reply_to)

    async def send_photo(
        self,
        data: bytes,
        *,
        caption: str | None = None,
        chat: ChatHandle | Chat | None = None,
        reply_to: Message | int | None = None,
    ) -> Message:
        try:
            stored = self._world.files.add_photo(data)
        except ApiError as error:
            raise EmulatorUsageError(f"not an image a client could send: {error}") from None
        body, entities = self._text_content(caption or "", caption=True)
        return await self._post(chat, Content(body, entities, True, stored), reply_to)

    async def send_album(
        self,
        items: Sequence[AlbumPhoto | AlbumDocument],
        *,
        chat: ChatHandle | Chat | None = None,
        reply_to: Message | int | None = None,
    ) -> list[Message]:
        """Send an album as Telegram clients do: 2–10 items, photos or documents but not both,
        each its own message with its own caption, all with one media_group_id, delivered to
        the bot one update per item in order (each replying to ``reply_to``, as the one
        request a client makes for the album carries one reply for all its items)."""
        if len(items) not in _ALBUM_SIZES:
            raise EmulatorUsageError("an album holds 2 to 10 items")
        if len({type(item) for item in items}) > 1:
            raise EmulatorUsageError("an album cannot mix photos with documents")
        target = self._target(chat)
        reply = self._reply(target, reply_to)
        contents: list[Content] = []
        for item in items:
            if isinstance(item, AlbumPhoto):
                try:
                    stored = self._world.files.add_photo(item.data)
                except ApiError as error:
                    raise EmulatorUsageError(f"not an image a client could send: {error}") from None
            else:
                if not item.data:
                    raise EmulatorUsageError("Telegram clients do not send empty files")
                stored = self._world.files.add_document(
                    item.data, item.file_name, item.mime_type or guess_mime_type(item.file_name)
                )
            body, entities = self._text_content(item.caption or "", caption=True)
            contents.append(Content(body, entities, True, stored))
        if target.is_private and not target.started:
            target.started = True
        group_id = str(next(_user_album_ids))
        sent = []
        for content in contents:
            message = self._world.post(target, self.info, content, reply_to=reply, note=" (相册)")
            message.media_group_id = group_id
            if self._world.bot_sees(message):
                self._world.push_update("message", message.to_api())
            sent.append(message)
        await asyncio.sleep(0)
        return sent

    async def edit_text(self, message: Message, text: str) -> Message:
        """Edit one of this user's own text messages; the bot gets an edited_message."""
        if message.sender is None or message.sender.id != self.id or message.deleted:
            raise EmulatorUsageError(f"{self.name} can only edit their own messages")
        body, entities = self._text_content(text, caption=message.content.is_caption)
        old = message.content
        self._world.edit(message, Content(body, entities, old.is_caption, old.media))
        if self._world.bot_sees(message):
            self._world.push_update("edited_message", message.to_api())
        await asyncio.sleep(0)
        return message

    # -- buttons ------------------------------------------------------------------------
    async def tap(
        self, message: Message, text: str | None = None, *, callback_data: str | None = None
    ) -> CallbackHandle:
        """Press an inline button found by its text and/or callback_data.

        Raises EmulatorUsageError if the message has no such callback button: that is a
        bug in the test, not in the bot.
        """
        if text is None and callback_data is None:
            raise EmulatorUsageError("tap() needs the button text or callback_data")
        buttons = [b for row in message.content.inline_keyboard for b in row]
        matches = [
            b
            for b in buttons
            if (text is None or b.text == text)
            and (callback_data is None or b.callback_data == callback_data)
        ]
        wanted = text if text is not None else callback_data
        if not matches:
            raise EmulatorUsageError(
                f"{message!r} has no button {wanted!r}; its buttons are {message.buttons}"
            )
        if len(matches) > 1:
            raise EmulatorUsageError(f"{message!r} has several buttons {wanted!r}; pass both")
        button = matches[0]
        if button.callback_data is None:
            raise EmulatorUsageError(f"button {button.text!r} is not a callback button")
        return await self._callback(message, button.callback_data, button.text)

    async def tap_forged(self, message: Message, data: str) -> CallbackHandle:
        """Send callback data no button carries, as a modified client could."""
        return await self._callback(message, data, None)

    async def _callback(self, message: Message, data: str, button: str | None) -> CallbackHandle:
        chat = message.chat
        if message.deleted:
            raise EmulatorUsageError(f"{message!r} was deleted")
        if chat.is_private and chat is not self.chat:
            raise EmulatorUsageError(f"{self.name} cannot see {chat.label}")
        if chat.kind in ("group", "supergroup") and self.id not in chat.members:
            raise EmulatorUsageError(f"{self.name} is not a member of {chat.label}")
        query = self._world.callbacks.create(self.info, message, data, button)
        detail = f"[{button}]" if button is not None else f"(伪造回调 data={data!r})"
        self._world.record(
            "tap", chat, self.name, message_id=message.message_id, detail=detail, ref=query.id
        )
        self._world.push_update(
            "callback_query",
            {
                "id": query.id,
                "from": self.info.to_api(),
                "message": message.to_api(),
                "chat_instance": f"{abs(chat.id) * 7 + 3}",
                "data": data,
            },
        )
        await asyncio.sleep(0)
        return CallbackHandle(self._world, query)

    # -- relationship with the bot ------------------------------------------------------
    def block_bot(self) -> None:
        """Later sends to this user fail with 403 "bot was blocked by the user"."""
        self._set_private_status("kicked", "屏蔽了机器人")

    def unblock_bot(self) -> None:
        self._set_private_status("member", "解除了对机器人的屏蔽")

    def _set_private_status(self, status: MemberStatus, note: str) -> None:
        old = self._world.member_status(self.chat, self._world.bot.id)
        self.chat.bot_status = "kicked" if status == "kicked" else "member"
        self._world.record("note", self.chat, self.name, detail=note)
        self._world.push_my_chat_member(self.chat, self.info, old, status)
