"""QuietBot: in quiet hours a send arrives without a sound unless its caller said otherwise."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InputFile

from bot.outbox.quiet import QuietBot
from tests.e2e.harness import TOKEN
from tests.emulator import BotApiEmulator, ScriptedUser


class Switch:
    """Quiet hours a test turns on and off."""

    def __init__(self) -> None:
        self.on = False

    def __call__(self) -> bool:
        return self.on


@pytest.fixture
async def quiet(emu: BotApiEmulator) -> AsyncIterator[tuple[QuietBot, Switch]]:
    switch = Switch()
    bot = QuietBot(TOKEN, base_url=emu.api_url, base_file_url=emu.file_url)
    bot.keep_quiet_when(switch)
    async with bot:
        yield bot, switch


@pytest.fixture
def alice(emu: BotApiEmulator) -> ScriptedUser:
    return emu.add_user(1001, "Alice", started=True)


async def test_sends_ring_outside_and_are_silent_inside_quiet_hours(
    emu: BotApiEmulator, quiet: tuple[QuietBot, Switch], alice: ScriptedUser
) -> None:
    bot, switch = quiet
    day = await bot.send_message(alice.id, "白天")
    switch.on = True
    night = await bot.send_message(alice.id, "夜里")
    doc = await bot.send_document(alice.id, InputFile(b"x", filename="a.txt"))
    shown = {m.message_id: m for m in emu.messages(alice)}
    assert not shown[day.message_id].silent
    assert shown[night.message_id].silent and shown[doc.message_id].silent


async def test_a_callers_explicit_choice_is_kept_and_edits_are_untouched(
    emu: BotApiEmulator, quiet: tuple[QuietBot, Switch], alice: ScriptedUser
) -> None:
    bot, switch = quiet
    switch.on = True
    loud = await bot.send_message(alice.id, "紧急", disable_notification=False)
    assert not {m.message_id: m for m in emu.messages(alice)}[loud.message_id].silent
    # Methods without the parameter are sent as they are (no unknown field for Telegram).
    await bot.edit_message_text("改过", chat_id=alice.id, message_id=loud.message_id)
    assert emu.errors == []
