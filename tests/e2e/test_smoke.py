"""The bot starts, registers its commands and greets people by role."""

from __future__ import annotations

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text


async def test_start_registers_commands_and_greets(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    await union.officer.send_text("/start")
    greeting = await emu.wait_for_message(union.officer, has_text("你好"))
    assert (
        str(union.officer.id) in greeting.text
        and texts.ROLE_NAMES[next(iter(texts.ROLE_NAMES))] not in greeting.text
    )
    assert "信息员" in greeting.text
    await union.stranger.send_text("/start")
    stranger = await emu.wait_for_message(union.stranger, has_text("你好"))
    assert texts.HELP_STRANGER in stranger.text
    commands = emu.calls_to("setMyCommands")
    assert len(commands) == 2
    assert emu.errors == []
