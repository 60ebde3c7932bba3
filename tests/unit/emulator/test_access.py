"""Who the bot may write to: Telegram's 403s and related 400s."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden

from tests.emulator import BotApiEmulator, ChatHandle, ScriptedUser


async def test_cannot_initiate_conversation(bot: Bot, bob: ScriptedUser) -> None:
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(bob.id, "hi")
    await bob.send_text("你好")
    await bot.send_message(bob.id, "hi")


async def test_blocked_by_user(bot: Bot, alice: ScriptedUser) -> None:
    alice.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(alice.id, "hi")
    alice.unblock_bot()
    await bot.send_message(alice.id, "hi")


async def test_kicked_from_group(bot: Bot, group: ChatHandle) -> None:
    await bot.send_message(group.id, "before")
    group.remove_bot()
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(group.id, "after")


async def test_not_a_member(emu: BotApiEmulator, bot: Bot, alice: ScriptedUser) -> None:
    basic = emu.add_group(-4001, "旧群", members=[alice], bot_member=False)
    with pytest.raises(Forbidden, match="bot is not a member of the group chat"):
        await bot.send_message(basic.id, "x")
    channel = emu.add_channel(-1007000, "别人的频道", bot_member=False)
    with pytest.raises(Forbidden, match="bot is not a member of the channel chat"):
        await bot.send_message(channel.id, "x")


async def test_channel_needs_admin_rights(emu: BotApiEmulator, bot: Bot) -> None:
    channel = emu.add_channel(-1007001, "学生会发布频道", bot_admin=False)
    with pytest.raises(BadRequest, match="Need administrator rights in the channel chat"):
        await bot.send_message(channel.id, "公告")
    channel.set_bot_admin()
    posted = await bot.send_message(channel.id, "公告")
    assert posted.sender_chat is not None and posted.sender_chat.id == channel.id


async def test_group_migration(emu: BotApiEmulator, bot: Bot, alice: ScriptedUser) -> None:
    basic = emu.add_group(-4002, "审核组", members=[alice])
    upgraded = basic.migrate_to_supergroup(-1004002)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(basic.id, "x")
    assert caught.value.new_chat_id == upgraded.id
    await bot.send_message(upgraded.id, "x")


async def test_deleting_others_messages_needs_admin(
    bot: Bot, alice: ScriptedUser, group: ChatHandle
) -> None:
    said = await alice.send_text("/cmd", chat=group)
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        await bot.delete_message(group.id, said.message_id)
    group.set_bot_admin()
    assert await bot.delete_message(group.id, said.message_id)


async def test_users_cannot_do_impossible_things(
    emu: BotApiEmulator, alice: ScriptedUser, bob: ScriptedUser
) -> None:
    from tests.emulator import EmulatorUsageError

    other = emu.add_group(-1008000, "别的群", members=[bob])
    with pytest.raises(EmulatorUsageError, match="not a member"):
        await alice.send_text("hi", chat=other)
    alice.block_bot()
    with pytest.raises(EmulatorUsageError, match="blocked the bot"):
        await alice.send_text("hi")
