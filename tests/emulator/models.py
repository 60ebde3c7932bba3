"""Telegram-shaped objects the emulator stores and hands to tests.

Messages are live: edits replace ``content`` in place and push the old version to
``history``, so a test holding a Message always sees the current state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from .entities import Entity, render_html
from .files import StoredFile

__all__ = [
    "BotStatus",
    "Button",
    "Chat",
    "ChatKind",
    "Content",
    "Message",
    "UserInfo",
]

ChatKind = Literal["private", "group", "supergroup", "channel"]
BotStatus = Literal["administrator", "member", "left", "kicked"]


@dataclass
class UserInfo:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    is_bot: bool = False
    language_code: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        if self.last_name:
            body["last_name"] = self.last_name
        if self.username:
            body["username"] = self.username
        if self.language_code and not self.is_bot:
            body["language_code"] = self.language_code
        return body


@dataclass(eq=False)
class Chat:
    """A chat as the emulator knows it; also the handle tests use for groups and channels."""

    id: int
    kind: ChatKind
    title: str | None = None
    username: str | None = None
    user: UserInfo | None = None  # the other party of a private chat
    members: dict[int, UserInfo] = field(default_factory=dict)
    admins: set[int] = field(default_factory=set)
    owner_id: int | None = None
    bot_status: BotStatus = "member"
    started: bool = False  # private chats: the user has written to the bot
    messages: list[Message] = field(default_factory=list)
    next_message_id: int = 1
    migrated_to: int | None = None
    pinned: list[int] = field(default_factory=list)
    menu_button: dict[str, Any] | None = None

    @property
    def is_private(self) -> bool:
        return self.kind == "private"

    @property
    def label(self) -> str:
        if self.user is not None:
            return f"私聊·{self.user.full_name}"
        prefix = "频道·" if self.kind == "channel" else ""
        return f"{prefix}{self.title}"

    @property
    def noun(self) -> str:
        """How Telegram's errors name the chat type ("group chat", "supergroup chat"...)."""
        return "group" if self.kind == "group" else self.kind

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "type": self.kind}
        if self.user is not None:
            body["first_name"] = self.user.first_name
            if self.user.last_name:
                body["last_name"] = self.user.last_name
            if self.user.username:
                body["username"] = self.user.username
        else:
            body["title"] = self.title
            if self.username:
                body["username"] = self.username
        return body

    def find_message(self, message_id: int) -> Message | None:
        for message in reversed(self.messages):
            if message.message_id == message_id:
                return None if message.deleted else message
        return None


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None
    url: str | None
    raw: dict[str, Any]


@dataclass(frozen=True)
class Content:
    """One version of a message's visible content."""

    text: str = ""
    entities: tuple[Entity, ...] = ()
    is_caption: bool = False
    media: StoredFile | None = None
    reply_markup: dict[str, Any] | None = None
    source: str | None = None  # what the bot sent before parsing, for debugging

    @property
    def html(self) -> str:
        return render_html(self.text, list(self.entities))

    @property
    def inline_keyboard(self) -> list[list[Button]]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            [Button(b.get("text", ""), b.get("callback_data"), b.get("url"), b) for b in row]
            for row in rows
        ]

    def same_as(self, other: Content) -> bool:
        # Telegram's "message is not modified" compares what the user would see.
        return (
            self.text == other.text
            and _canonical(self.entities) == _canonical(other.entities)
            and _canonical(self.reply_markup) == _canonical(other.reply_markup)
        )


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@dataclass(eq=False)
class Message:
    chat: Chat
    message_id: int
    sender: UserInfo | None  # None: posted as the channel itself
    date: int
    content: Content
    seq: int
    reply_to: Message | None = None
    forward_origin: dict[str, Any] | None = None
    edit_date: int | None = None
    history: list[Content] = field(default_factory=list)
    deleted: bool = False
    media_group_id: str | None = None
    # Sent with disable_notification: it arrives on the phone without a sound.
    silent: bool = False

    # -- convenience views for tests ------------------------------------------------
    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def text(self) -> str:
        """The text, or the caption for media messages ("" if neither)."""
        return self.content.text

    @property
    def html(self) -> str:
        return self.content.html

    @property
    def source(self) -> str | None:
        """The text or caption exactly as the bot sent it, before parsing."""
        return self.content.source

    @property
    def entities(self) -> list[Entity]:
        return list(self.content.entities)

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard as rows of (text, callback_data); URL buttons have None data."""
        return [[(b.text, b.callback_data) for b in row] for row in self.content.inline_keyboard]

    @property
    def button_texts(self) -> list[str]:
        return [b.text for row in self.content.inline_keyboard for b in row]

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        return self.content.reply_markup

    @property
    def document(self) -> StoredFile | None:
        media = self.content.media
        return media if media is not None and media.kind == "document" else None

    @property
    def photo(self) -> StoredFile | None:
        media = self.content.media
        return media if media is not None and media.kind == "photo" else None

    @property
    def reply_to_id(self) -> int | None:
        return self.reply_to.message_id if self.reply_to is not None else None

    @property
    def edited(self) -> bool:
        return bool(self.history)

    @property
    def from_user(self) -> UserInfo | None:
        return self.sender

    @property
    def from_bot(self) -> bool:
        return self.sender is None or self.sender.is_bot

    # -- Bot API shape -------------------------------------------------------------------
    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": self.chat.to_api(),
        }
        if self.sender is not None:
            body["from"] = self.sender.to_api()
        else:
            body["sender_chat"] = self.chat.to_api()
        content = self.content
        text_key, entities_key = (
            ("caption", "caption_entities") if content.is_caption else ("text", "entities")
        )
        if content.text:
            body[text_key] = content.text
            if content.entities:
                body[entities_key] = [dict(e) for e in content.entities]
        media = content.media
        if media is not None and media.kind == "document":
            body["document"] = media.document_api()
        elif media is not None:
            body["photo"] = media.photo_api()
        markup = content.reply_markup
        if markup is not None and "inline_keyboard" in markup:
            body["reply_markup"] = markup  # only inline keyboards are echoed back by Telegram
        if with_reply and self.reply_to is not None and not self.reply_to.deleted:
            body["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        if self.forward_origin is not None:
            body["forward_origin"] = self.forward_origin
        if self.media_group_id is not None:
            body["media_group_id"] = self.media_group_id
        if self.edit_date is not None:
            body["edit_date"] = self.edit_date
        return body

    def __repr__(self) -> str:
        preview = self.text if len(self.text) <= 40 else self.text[:37] + "..."
        return f"<Message #{self.message_id} in {self.chat.label}: {preview!r}>"
