"""Flood control (off by default) and test-injected failures."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from tests.emulator import BotApiEmulator, ChatHandle, RateLimitConfig, ScriptedUser

from .conftest import TOKEN, FakeClock

# PTB warns about its own RetryAfter.retry_after type change whenever one is raised.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_no_flood_control_by_default(bot: Bot, group: ChatHandle) -> None:
    for index in range(30):
        await bot.send_message(group.id, f"消息 {index}")


async def test_group_limit_is_20_per_minute(
    emu: BotApiEmulator, bot: Bot, group: ChatHandle, clock: FakeClock
) -> None:
    emu.set_rate_limits(True)
    for index in range(20):
        await bot.send_message(group.id, f"消息 {index}")
    with pytest.raises(RetryAfter):
        await bot.send_message(group.id, "too many")
    assert emu.errors[-1].error_code == 429
    assert "Too Many Requests: retry after 3" in str(emu.errors[-1].description)
    clock.advance(3)
    await bot.send_message(group.id, "after waiting")


async def test_private_chat_allows_bursts_but_not_floods(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser, clock: FakeClock
) -> None:
    emu.set_rate_limits(RateLimitConfig(private_burst=3, private_per_second=1))
    for _ in range(3):
        await bot.send_message(alice.id, "burst")
    with pytest.raises(RetryAfter):
        await bot.send_message(alice.id, "flood")
    clock.advance(1)
    await bot.send_message(alice.id, "one per second is fine")


async def test_global_limit(emu: BotApiEmulator, bot: Bot, clock: FakeClock) -> None:
    emu.set_rate_limits(RateLimitConfig(global_per_second=5, private_burst=100))
    users = [emu.add_user(2000 + i, f"U{i}", started=True) for i in range(6)]
    for user in users[:5]:
        await bot.send_message(user.id, "hi")
    with pytest.raises(RetryAfter):
        await bot.send_message(users[5].id, "hi")


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("http500", NetworkError),
        ("bad_gateway", NetworkError),
        ("disconnect", NetworkError),
        ("retry_after", RetryAfter),
    ],
)
async def test_injected_failures(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser, kind: str, error: type[Exception]
) -> None:
    fault = emu.fail_next("sendMessage", kind=kind)  # type: ignore[arg-type]
    with pytest.raises(error):
        await bot.send_message(alice.id, "lost")
    assert fault.hits == 1
    assert emu.messages(alice) == []
    await bot.send_message(alice.id, "retried")
    assert [m.text for m in emu.messages(alice)] == ["retried"]
    assert emu.errors == []  # injected failures are not the bot's errors
    assert emu.calls_to("sendMessage")[0].injected == kind


async def test_timeout_and_take_effect(emu: BotApiEmulator, alice: ScriptedUser) -> None:
    impatient = HTTPXRequest(read_timeout=0.5)
    async with Bot(TOKEN, base_url=emu.api_url, request=impatient) as bot:
        emu.fail_next("sendMessage", kind="timeout", take_effect=True)
        with pytest.raises(TimedOut):
            await bot.send_message(alice.id, "did it arrive?")
    # The message was delivered although the bot saw a timeout: retrying would duplicate it.
    assert [m.text for m in emu.messages(alice)] == ["did it arrive?"]


async def test_fault_can_target_one_chat(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser, group: ChatHandle
) -> None:
    emu.fail_next("sendMessage", kind="http500", chat=group)
    await bot.send_message(alice.id, "private works")
    with pytest.raises(NetworkError):
        await bot.send_message(group.id, "group fails")
