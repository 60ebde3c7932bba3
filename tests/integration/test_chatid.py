"""/chatid and /start in a group: an admin learns the group's id and whether the bot can work
there; anyone else gets one short line; the group menu offers it."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

from telegram import Chat, ChatMemberLeft, ChatMemberRestricted, User
from telegram.constants import ChatType
from telegram.ext import Application

from bot import texts
from bot.config import parse_config
from commands.chatid import can_post, configured_as
from tests.conftest import config_data
from tests.e2e.harness import Union
from tests.e2e.story import say
from tests.emulator import BotApiEmulator


async def test_an_admin_learns_aconfigured_as_groups_id_and_standing(
    app: Application,  # type: ignore[type-arg]
    union: Union,
) -> None:
    answer = await say(union, union.admin, "/chatid", chat=union.tier2)
    assert answer.text == (
        f"本群「二审群（主席团）」的 id：{union.tier2.id}\n"
        f"机器人在群里的身份：{texts.CHATID_STATUS_MEMBER}；{texts.CHATID_CAN_POST}。\n"
        "配置中这个群是：二审群（chats.tier2）。"
    )
    # The id is code, so a tap copies it.
    assert any(e["type"] == "code" for e in answer.entities)
    # /start in a group answers the same.
    again = await say(union, union.admin, "/start", chat=union.admins)
    assert f"id：{union.admins.id}" in again.text and "管理员群（chats.admins）" in again.text


async def test_a_new_group_where_the_bot_is_admin_and_one_where_it_cannot_read(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    new = emu.add_group(-1002000000070, "新的三审群", members=[union.admin], bot_admin=True)
    answer = await say(union, union.admin, "/chatid@" + app.bot.username, chat=new)
    assert f"id：{new.id}" in answer.text
    assert f"{texts.CHATID_STATUS_ADMIN}；{texts.CHATID_CAN_POST}" in answer.text
    assert answer.text.endswith(texts.CHATID_NOT_CONFIGURED.format(chat_id=new.id))


async def test_others_get_a_short_answer_without_internals(
    app: Application,  # type: ignore[type-arg]
    union: Union,
) -> None:
    answer = await say(union, union.officer, "/chatid", chat=union.tier1)
    assert answer.text == texts.CHATID_NOT_ADMIN
    answer = await say(union, union.stranger, "/start", chat=union.tier1)
    assert answer.text == texts.CHATID_NOT_ADMIN
    private = await say(union, union.stranger, "/chatid")
    assert str(union.stranger.id) in private.text and "/chatid" in private.text


async def test_the_group_menu_offers_it(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
) -> None:
    menu = emu.commands("all_group_chats")
    assert {"command": "chatid", "description": texts.COMMAND_DESCRIPTIONS["chatid"]} in menu


def test_a_chat_used_twice_names_both_uses() -> None:
    data = config_data()
    data["chats"]["tier2"] = data["chats"]["tier1"]
    config = parse_config(data)
    assert configured_as(config, config.chats.tier1) == texts.CHATID_CONFIGURED.format(
        names="一审群（chats.tier1）、二审群（chats.tier2）"
    )
    assert configured_as(config, -100999) == texts.CHATID_NOT_CONFIGURED.format(chat_id=-100999)


async def test_a_restricted_bot_may_post_only_if_its_restriction_allows() -> None:
    chat = Chat(-1002000000071, ChatType.SUPERGROUP, title="禁言群")
    bot_user = User(777000, "bot", is_bot=True)
    # Every right but sending, granted; PTB's list of rights grows with the Bot API.
    rights = {
        name: True
        for name in inspect.signature(ChatMemberRestricted).parameters
        if name.startswith("can_") and name != "can_send_messages"
    }
    never = datetime(2038, 1, 1, tzinfo=UTC)
    muted = ChatMemberRestricted(
        bot_user, True, can_send_messages=False, until_date=never, **rights
    )
    allowed = ChatMemberRestricted(
        bot_user, True, can_send_messages=True, until_date=never, **rights
    )
    assert await can_post(chat, muted) is False
    assert await can_post(chat, allowed) is True
    assert await can_post(chat, ChatMemberLeft(bot_user)) is False
