"""getUpdates: long polling, offsets, allowed_updates, privacy mode and 409 conflicts."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot
from telegram.error import Conflict

from tests.emulator import BotApiEmulator, ChatHandle, ScriptedUser

from .conftest import TOKEN


async def test_long_poll_returns_as_soon_as_a_user_writes(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
    await emu.wait_until_polling()
    await alice.send_text("/submit 活动推文")
    updates = await asyncio.wait_for(poll, timeout=10)
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.text == "/submit 活动推文"
    assert message.from_user is not None and message.from_user.id == alice.id
    assert message.entities[0].type == "bot_command"


async def test_offset_confirms_and_update_ids_increase(bot: Bot, alice: ScriptedUser) -> None:
    for text in ("1", "2", "3"):
        await alice.send_text(text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["1", "2"]
    assert first[1].update_id == first[0].update_id + 1
    again = await bot.get_updates()  # unconfirmed updates come back
    assert len(again) == 3
    rest = await bot.get_updates(offset=first[1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["3"]


async def test_negative_offset_keeps_the_last_updates(bot: Bot, alice: ScriptedUser) -> None:
    for text in ("1", "2", "3"):
        await alice.send_text(text)
    last = await bot.get_updates(offset=-1)
    assert [u.message.text for u in last if u.message] == ["3"]


async def test_allowed_updates_filter_new_updates(bot: Bot, alice: ScriptedUser) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    await alice.send_text("ignored")
    assert await bot.get_updates() == ()


async def test_privacy_mode_hides_plain_group_chatter(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser, group: ChatHandle
) -> None:
    await alice.send_text("大家好", chat=group)
    await alice.send_text("/status@union_bot", chat=group)
    await alice.send_text("/other@another_bot", chat=group)
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["/status@union_bot"]
    assert len(emu.messages(group)) == 3  # the chat still holds everything
    group.set_bot_admin()
    await alice.send_text("管理员能看到", chat=group)
    updates = await bot.get_updates(offset=updates[-1].update_id + 1)
    texts = [u.message.text for u in updates if u.message]
    assert texts == ["管理员能看到"]


async def test_second_poller_terminates_the_first(emu: BotApiEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
    await emu.wait_until_polling()
    async with Bot(TOKEN, base_url=emu.api_url) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, timeout=10)


async def test_abandoned_poll_is_not_a_conflict(emu: BotApiEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
    await emu.wait_until_polling()
    poll.cancel()
    with pytest.raises(asyncio.CancelledError):
        await poll
    assert await bot.get_updates(timeout=0) == ()
    assert emu.errors == []


async def test_webhook_blocks_polling_until_deleted(bot: Bot, alice: ScriptedUser) -> None:
    await bot.set_webhook("https://example.com/hook")
    assert (await bot.get_webhook_info()).url == "https://example.com/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await alice.send_text("pending")
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_block_and_kick_send_my_chat_member(
    bot: Bot, alice: ScriptedUser, group: ChatHandle
) -> None:
    alice.block_bot()
    group.remove_bot()
    updates = await bot.get_updates()
    statuses = [
        (u.my_chat_member.chat.id, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member
    ]
    assert statuses == [(alice.id, "kicked"), (group.id, "kicked")]
