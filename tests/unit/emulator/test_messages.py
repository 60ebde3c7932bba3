"""sendMessage / edits / deletes through a real PTB Bot."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, InvalidToken

from tests.emulator import BotApiEmulator, ScriptedUser

from .conftest import TOKEN


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in buttons]])


async def test_get_me_describes_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.username == "union_bot"
    assert me.id == 123456
    assert me.is_bot
    assert me.can_read_all_group_messages is False  # privacy mode is on by default


async def test_wrong_token_is_unauthorized(emu: BotApiEmulator) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("123456:WRONG", base_url=emu.api_url):
            pass


async def test_unknown_method_is_not_found(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):  # how PTB reports Telegram's 404 "Not Found"
        await bot.do_api_request("noSuchMethod")
    assert emu.errors[-1].error_code == 404


async def test_send_html_stores_plain_text_and_entities(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    sent = await bot.send_message(alice.id, "<b>待审</b> 稿件 &lt;1&gt;", parse_mode=ParseMode.HTML)
    assert sent.text == "待审 稿件 <1>"
    assert sent.text_html == "<b>待审</b> 稿件 &lt;1&gt;"
    stored = emu.last_message(alice)
    assert stored is not None
    assert stored.text == "待审 稿件 <1>"
    assert stored.html == "<b>待审</b> 稿件 &lt;1&gt;"
    assert stored.from_bot
    assert stored.message_id == sent.message_id


async def test_message_ids_increase_per_chat(bot: Bot, alice: ScriptedUser) -> None:
    first = await bot.send_message(alice.id, "one")
    await alice.send_text("two")
    third = await bot.send_message(alice.id, "three")
    assert third.message_id == first.message_id + 2


async def test_html_parse_error_raises_bad_request(bot: Bot, alice: ScriptedUser) -> None:
    with pytest.raises(BadRequest, match='nsupported start tag "foo" at byte offset 0'):
        await bot.send_message(alice.id, "<foo>bar</foo>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="find end tag corresponding to start tag"):
        await bot.send_message(alice.id, "<b>unclosed", parse_mode=ParseMode.HTML)


async def test_empty_and_too_long_text(bot: Bot, alice: ScriptedUser) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(alice.id, "<b></b>  ", parse_mode=ParseMode.HTML)
    await bot.send_message(alice.id, "字" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(alice.id, "字" * 4097)
    # The limit applies after parsing: markup does not count.
    await bot.send_message(alice.id, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)


async def test_callback_data_limit_is_64_bytes(bot: Bot, alice: ScriptedUser) -> None:
    await bot.send_message(alice.id, "ok", reply_markup=keyboard(("a", "x" * 64)))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(alice.id, "no", reply_markup=keyboard(("a", "审" * 22)))


async def test_edit_not_modified_and_keyboard_removal(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    markup = keyboard(("通过", "ok"), ("驳回", "no"))
    sent = await bot.send_message(alice.id, "稿件", reply_markup=markup)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("稿件", alice.id, sent.message_id, reply_markup=markup)
    # Same text without reply_markup is a change: Telegram drops the keyboard.
    await bot.edit_message_text("稿件", alice.id, sent.message_id)
    stored = emu.last_message(alice)
    assert stored is not None
    assert stored.buttons == []
    assert stored.edited
    assert stored.history[0].text == "稿件"


async def test_edit_reply_markup_and_caption_rules(bot: Bot, alice: ScriptedUser) -> None:
    sent = await bot.send_message(alice.id, "text")
    await bot.edit_message_reply_markup(
        alice.id, sent.message_id, reply_markup=keyboard(("a", "b"))
    )
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.edit_message_caption(alice.id, sent.message_id, caption="c")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", alice.id, 999)


async def test_bot_cannot_edit_user_messages(bot: Bot, alice: ScriptedUser) -> None:
    mine = await alice.send_text("我的消息")
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("篡改", alice.id, mine.message_id)


async def test_delete_message(emu: BotApiEmulator, bot: Bot, alice: ScriptedUser) -> None:
    sent = await bot.send_message(alice.id, "bye")
    assert await bot.delete_message(alice.id, sent.message_id)
    assert emu.messages(alice) == []
    assert emu.messages(alice, include_deleted=True)[0].deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(alice.id, sent.message_id)


async def test_reply_to_missing_message(bot: Bot, alice: ScriptedUser) -> None:
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(alice.id, "re", reply_parameters=ReplyParameters(message_id=42))
    sent = await bot.send_message(
        alice.id,
        "re",
        reply_parameters=ReplyParameters(message_id=42, allow_sending_without_reply=True),
    )
    assert sent.reply_to_message is None


async def test_reply_carries_the_replied_message(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    question = await alice.send_text("在吗")
    answer = await bot.send_message(alice.id, "在", reply_to_message_id=question.message_id)
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "在吗"
    stored = emu.last_message(alice)
    assert stored is not None and stored.reply_to_id == question.message_id


async def test_copy_and_forward(emu: BotApiEmulator, bot: Bot, alice: ScriptedUser) -> None:
    channel = emu.add_channel(-1009876543210, "学生会发布频道", username="union_news")
    original = await alice.send_text("投稿 #活动")
    copied = await bot.copy_message("@union_news", alice.id, original.message_id)
    forwarded = await bot.forward_message(channel.id, alice.id, original.message_id)
    posts = emu.messages(channel)
    assert [m.text for m in posts] == ["投稿 #活动", "投稿 #活动"]
    assert posts[0].message_id == copied.message_id
    assert forwarded.forward_origin is not None
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(channel.id, alice.id, 999)


async def test_chat_not_found(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(555, "hello?")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message("@nobody_here", "hello?")


async def test_get_chat_and_members(bot: Bot, alice: ScriptedUser, group: object) -> None:
    chat = await bot.get_chat(-1001234567890)
    assert chat.title == "审核一组"
    member = await bot.get_chat_member(-1001234567890, alice.id)
    assert member.status == "creator"
    admins = await bot.get_chat_administrators(-1001234567890)
    assert [a.user.id for a in admins] == [alice.id]
    assert await bot.get_chat_member_count(-1001234567890) == 3


async def test_send_chat_action_validates_action(bot: Bot, alice: ScriptedUser) -> None:
    assert await bot.send_chat_action(alice.id, "typing")
    with pytest.raises(BadRequest, match="Wrong parameter action in request"):
        await bot.send_chat_action(alice.id, "dancing")


async def test_unimplemented_real_method_is_reported(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(Exception, match="emulator does not support sendPoll"):
        await bot.send_poll(1001, "q", ["a", "b"])
    assert emu.errors[-1].error_code == 501


async def test_same_token_constant(emu: BotApiEmulator) -> None:
    assert emu.token == TOKEN
    assert emu.api_url.endswith("/bot")
    assert emu.file_url.endswith("/file/bot")
