"""Fixtures: a running emulator and a real PTB Bot pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from tests.emulator import BotApiEmulator, ChatHandle, ScriptedUser

TOKEN = "123456:TEST-TOKEN"


class FakeClock:
    """Monotonic time that only moves when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def emu(clock: FakeClock) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="union_bot", clock=clock) as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.api_url, base_file_url=emu.file_url) as client:
        yield client


@pytest.fixture
def alice(emu: BotApiEmulator) -> ScriptedUser:
    return emu.add_user(1001, "Alice", username="alice", started=True)


@pytest.fixture
def bob(emu: BotApiEmulator) -> ScriptedUser:
    return emu.add_user(1002, "Bob", username="bob_reviewer")


@pytest.fixture
def group(emu: BotApiEmulator, alice: ScriptedUser, bob: ScriptedUser) -> ChatHandle:
    return emu.add_group(-1001234567890, "审核一组", members=[alice, bob], owner=alice)
