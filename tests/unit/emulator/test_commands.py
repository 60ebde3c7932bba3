"""setMyCommands validation and scope storage."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
)
from telegram.error import BadRequest

from tests.emulator import BotApiEmulator, ChatHandle, ScriptedUser


async def test_commands_per_scope_and_language(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser, bob: ScriptedUser, group: ChatHandle
) -> None:
    await bot.set_my_commands([BotCommand("start", "开始")])
    await bot.set_my_commands(
        [BotCommand("submit", "投稿")], scope=BotCommandScopeAllPrivateChats()
    )
    await bot.set_my_commands(
        [BotCommand("review", "审核")], scope=BotCommandScopeChatAdministrators(group.id)
    )
    await bot.set_my_commands(
        [BotCommand("help", "help")], scope=BotCommandScopeAllGroupChats(), language_code="en"
    )
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    private = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert [c.command for c in private] == ["submit"]
    assert emu.commands("chat_administrators", chat=group) == [
        {"command": "review", "description": "审核"}
    ]
    assert [c["command"] for c in emu.visible_commands(alice, group)] == ["review"]
    assert [c["command"] for c in emu.visible_commands(bob, group)] == ["start"]
    assert [c["command"] for c in emu.visible_commands(bob, group, language_code="en")] == ["help"]
    assert [c["command"] for c in emu.visible_commands(bob)] == ["submit"]
    await bot.delete_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert [c["command"] for c in emu.visible_commands(bob)] == ["start"]
    scope_call = emu.calls_to("setMyCommands")[1]
    assert scope_call.param("scope") == {"type": "all_private_chats"}


@pytest.mark.parametrize(
    ("command", "description", "error"),
    [
        ("Start", "大写不行", "Bot_command_invalid"),
        ("with-dash", "x", "Bot_command_invalid"),
        ("x" * 33, "too long", "Bot_command_invalid"),
        ("ok", "", "Bot_command_invalid"),
        ("ok", "d" * 257, "Bot_command_invalid"),
    ],
)
async def test_invalid_commands(bot: Bot, command: str, description: str, error: str) -> None:
    with pytest.raises(BadRequest, match=error):
        await bot.set_my_commands([BotCommand(command, description)])


async def test_at_most_100_commands(bot: Bot) -> None:
    await bot.set_my_commands([BotCommand(f"c{i}", "d") for i in range(100)])
    with pytest.raises(BadRequest, match="Bot_commands_too_much"):
        await bot.set_my_commands([BotCommand(f"c{i}", "d") for i in range(101)])


async def test_chat_scope_needs_a_known_chat(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.set_my_commands([BotCommand("a", "b")], scope=BotCommandScopeChat(-42))
