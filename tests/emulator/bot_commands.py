"""setMyCommands storage per (scope, language) and the client-side lookup order."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .models import Chat

__all__ = ["CommandScope", "CommandStore", "parse_commands", "parse_scope"]

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_MAX_COMMANDS = 100
_SCOPE_TYPES = frozenset(
    {
        "default", "all_private_chats", "all_group_chats", "all_chat_administrators",
        "chat", "chat_administrators", "chat_member",
    }
)  # fmt: skip


@dataclass(frozen=True)
class CommandScope:
    type: str = "default"
    chat_id: int | None = None
    user_id: int | None = None


def parse_scope(raw: Any, find_chat: Callable[[Any], Chat]) -> CommandScope:
    if raw is None:
        return CommandScope()
    if not isinstance(raw, dict) or raw.get("type") not in _SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope: unsupported scope type")
    kind = raw["type"]
    if kind not in ("chat", "chat_administrators", "chat_member"):
        return CommandScope(kind)
    if raw.get("chat_id") in (None, ""):
        raise bad_request("chat_id is empty")
    chat = find_chat(raw["chat_id"])
    if kind == "chat":
        return CommandScope(kind, chat.id)
    if chat.is_private:
        raise bad_request("can't use specified scope in private chats")
    if kind == "chat_administrators":
        return CommandScope(kind, chat.id)
    user_id = raw.get("user_id")
    if not isinstance(user_id, int) or user_id not in chat.members:
        raise bad_request("user not found")
    return CommandScope(kind, chat.id, user_id)


def parse_commands(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        raise bad_request("can't parse commands JSON object")
    if len(raw) > _MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    commands = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: expected an Object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not isinstance(description, str):
            raise bad_request('can\'t parse BotCommand: Field "command" must be of type String')
        if not _COMMAND.fullmatch(command) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_INVALID")
        commands.append({"command": command, "description": description})
    return commands


class CommandStore:
    def __init__(self) -> None:
        self._lists: dict[tuple[CommandScope, str], list[dict[str, str]]] = {}

    def set(self, scope: CommandScope, language: str, commands: list[dict[str, str]]) -> None:
        if commands:
            self._lists[(scope, language)] = commands
        else:
            self._lists.pop((scope, language), None)

    def get(self, scope: CommandScope, language: str = "") -> list[dict[str, str]]:
        return list(self._lists.get((scope, language), []))

    def delete(self, scope: CommandScope, language: str) -> None:
        self._lists.pop((scope, language), None)

    def visible(
        self, user_id: int, chat: Chat | None, is_admin: bool, language: str
    ) -> list[dict[str, str]]:
        """The menu a user sees, following the Bot API's documented fallback order."""
        order: list[CommandScope] = []
        if chat is None or chat.is_private:
            if chat is not None:
                order.append(CommandScope("chat", chat.id))
            order.append(CommandScope("all_private_chats"))
        else:
            order.append(CommandScope("chat_member", chat.id, user_id))
            if is_admin:
                order.append(CommandScope("chat_administrators", chat.id))
            order.append(CommandScope("chat", chat.id))
            if is_admin:
                order.append(CommandScope("all_chat_administrators"))
            order.append(CommandScope("all_group_chats"))
        order.append(CommandScope("default"))
        for scope in order:
            for lang in ([language] if language else []) + [""]:
                found = self._lists.get((scope, lang))
                if found:
                    return list(found)
        return []
