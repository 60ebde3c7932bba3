"""The short ways of bot.ops.wire give what PTB's own would send, and keep what the bot reads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram import (
    CopyTextButton,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LoginUrl,
    Message,
    ReplyKeyboardMarkup,
    SwitchInlineQueryChosenChat,
    WebAppInfo,
)

from bot.ops.wire import plain_keyboard, trim_echo

BUTTONS = [
    InlineKeyboardButton("✅ 通过", callback_data="r:12:3:1:a"),
    InlineKeyboardButton("打开原文", url="https://mp.weixin.qq.com/s/abc"),
    InlineKeyboardButton("登录", login_url=LoginUrl("https://union.example/login")),
    InlineKeyboardButton("小程序", web_app=WebAppInfo("https://union.example/app")),
    InlineKeyboardButton("复制", copy_text=CopyTextButton("稿件 #12")),
    InlineKeyboardButton("付款", pay=True),
    InlineKeyboardButton("转发", switch_inline_query="稿件"),
    InlineKeyboardButton("本聊天", switch_inline_query_current_chat=""),
    InlineKeyboardButton(
        "选聊天", switch_inline_query_chosen_chat=SwitchInlineQueryChosenChat("稿件", True)
    ),
    InlineKeyboardButton("醒目", callback_data="x", style="primary"),
    InlineKeyboardButton("带表情", callback_data="y", icon_custom_emoji_id="5368324170671202286"),
    InlineKeyboardButton("新字段", callback_data="z", api_kwargs={"future_field": 1}),
]


@pytest.mark.parametrize("button", BUTTONS, ids=lambda b: b.text)
def test_each_kind_of_button_is_sent_as_ptb_sends_it(button: InlineKeyboardButton) -> None:
    markup = InlineKeyboardMarkup([[button, InlineKeyboardButton("另一个", callback_data="o")]])
    assert plain_keyboard(markup) == markup.to_dict()


def test_a_card_keyboard_of_rows_is_sent_as_ptb_sends_it() -> None:
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"类别{i}", callback_data=f"i:7:c{i}") for i in range(3)],
            [InlineKeyboardButton("确认", callback_data="i:7:ok")],
            [],
        ]
    )
    assert plain_keyboard(markup) == markup.to_dict()
    # And it is plain JSON, as the Bot API takes it.
    assert json.loads(json.dumps(plain_keyboard(markup))) == markup.to_dict()


@pytest.mark.parametrize(
    "other",
    [
        None,
        ReplyKeyboardMarkup([["是", "否"]]),
        ForceReply(),
        InlineKeyboardMarkup([], api_kwargs={"extra": True}),
    ],
    ids=["none", "reply-keyboard", "force-reply", "with-api-kwargs"],
)
def test_anything_else_is_left_to_ptb(other: object) -> None:
    assert plain_keyboard(other) is other


def _sent(**extra: Any) -> dict[str, Any]:
    return {
        "message_id": 41,
        "date": 1_780_000_000,
        "chat": {"id": -100123, "type": "supergroup", "title": "一级审核群"},
        "from": {"id": 1, "is_bot": True, "first_name": "bot"},
        "text": "稿件 #12",
        **extra,
    }


def test_a_sent_message_keeps_what_the_bot_reads_back() -> None:
    sent = _sent(
        entities=[{"type": "bold", "offset": 0, "length": 5}],
        reply_markup={"inline_keyboard": [[{"text": "通过", "callback_data": "a"}]]},
        reply_to_message=_sent(),
        document={"file_id": "F1", "file_unique_id": "U1", "file_name": "通知.docx"},
        media_group_id="77",
    )
    trim_echo(sent)
    message = Message.de_json(sent, None)
    assert (message.message_id, message.chat.id, message.media_group_id) == (41, -100123, "77")
    assert message.document is not None and message.document.file_id == "F1"
    assert message.reply_markup is None and message.entities == ()
    assert message.reply_to_message is None


def test_an_album_is_trimmed_message_by_message_and_other_results_are_untouched() -> None:
    album = [_sent(caption_entities=[{"type": "bold", "offset": 0, "length": 1}]) for _ in "ab"]
    trim_echo(album)
    assert all("caption_entities" not in m for m in album)
    chat = {"id": -100123, "type": "supergroup", "title": "群", "pinned_message": _sent()}
    before = json.dumps(chat)
    for result in (chat, True, {"message_id": 5}, [1, 2]):
        trim_echo(result)
    assert json.dumps(chat) == before
