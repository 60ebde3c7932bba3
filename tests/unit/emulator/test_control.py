"""The test-facing API: waiting, claiming, call log, transcript."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError

from tests.emulator import BotApiEmulator, ChatHandle, ScriptedUser, WaitTimeout


async def test_wait_for_message_walks_forward(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    await bot.send_message(alice.id, "一")
    await bot.send_message(alice.id, "二")
    assert (await emu.wait_for_message(chat=alice)).text == "一"
    assert (await emu.wait_for_message(chat=alice)).text == "二"
    later = asyncio.create_task(
        emu.wait_for_message(chat=alice, predicate=lambda m: "三" in m.text)
    )
    await asyncio.sleep(0)
    await bot.send_message(alice.id, "第三条")
    assert (await asyncio.wait_for(later, 10)).text == "第三条"


async def test_wait_for_message_since_mark(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    await bot.send_message(alice.id, "old")
    mark = emu.mark()
    await bot.send_message(alice.id, "new")
    assert (await emu.wait_for_message(chat=alice, since=mark)).text == "new"


async def test_wait_timeout_explains_what_happened(
    emu: BotApiEmulator, alice: ScriptedUser
) -> None:
    await alice.send_text("有人吗")
    with pytest.raises(WaitTimeout, match="有人吗"):
        await emu.wait_for_message(chat=alice, timeout=0.05)


async def test_wait_for_edit_and_call(emu: BotApiEmulator, bot: Bot, alice: ScriptedUser) -> None:
    sent = await bot.send_message(alice.id, "待审")
    message = await emu.wait_for_message(chat=alice)
    edit = asyncio.create_task(emu.wait_for_edit(message, lambda m: "已通过" in m.text))
    await bot.edit_message_text("已通过", alice.id, sent.message_id)
    assert (await asyncio.wait_for(edit, 10)).history[0].text == "待审"
    call = await emu.wait_for_call("editMessageText")
    assert call.ok and call.params["text"] == "已通过"


async def test_messages_include_users_and_edits(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser, group: ChatHandle
) -> None:
    await alice.send_text("/submit", chat=group)
    sent = await bot.send_message(group.id, "收到")
    await bot.edit_message_text("收到，审核中", group.id, sent.message_id)
    assert [(m.from_bot, m.text) for m in emu.messages(group)] == [
        (False, "/submit"),
        (True, "收到，审核中"),
    ]


async def test_assert_no_errors(emu: BotApiEmulator, bot: Bot, alice: ScriptedUser) -> None:
    emu.assert_no_errors()
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(9999, "x")
    with pytest.raises(AssertionError, match="chat not found"):
        emu.assert_no_errors()


async def test_transcript_reads_like_a_conversation(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser, group: ChatHandle
) -> None:
    await alice.send_document("稿件.docx", b"x" * 2048, caption="/submit 迎新推文", chat=group)
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("通过", callback_data="ok"),
                InlineKeyboardButton("驳回", callback_data="no"),
            ]
        ]
    )
    card = await bot.send_message(
        group.id, "<b>待审</b>：迎新推文\n提交人 Alice", parse_mode="HTML", reply_markup=markup
    )
    message = await emu.wait_for_message(chat=group)
    handle = await alice.tap(message, "通过")
    await bot.answer_callback_query(handle.id, "请先填写意见", show_alert=True)
    await bot.edit_message_reply_markup(group.id, card.message_id)
    await bot.delete_message(group.id, card.message_id)
    alice.block_bot()
    assert emu.transcript(group) == "\n".join(
        [
            "[审核一组] Alice #1: 📎 稿件.docx (2.0 KB)",
            "    /submit 迎新推文",
            "[审核一组] 🤖 union_bot #2: 待审：迎新推文",
            "    提交人 Alice",
            "    [通过] [驳回]",
            "[审核一组] Alice 点击了 #2 的按钮 [通过]",
            "    ↳ 弹窗: 请先填写意见",
            "[审核一组] 🤖 union_bot 移除了 #2 的按钮",
            "[审核一组] 🤖 union_bot 删除了 #2",
        ]
    )
    assert "[私聊·Alice] Alice 屏蔽了机器人" in emu.transcript()


async def test_wait_for_call_sees_a_long_poll_while_it_runs(emu: BotApiEmulator, bot: Bot) -> None:
    mark = emu.mark()
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
    call = await emu.wait_for_call("getUpdates", since=mark)
    assert not call.done and call.params["timeout"] == "30"
    await emu.wait_until_polling()
    poll.cancel()
    with pytest.raises(asyncio.CancelledError):
        await poll


async def test_late_answer_names_its_tap(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("通过", callback_data="ok")]])
    await bot.send_message(alice.id, "待审", reply_markup=markup)
    handle = await alice.tap(await emu.wait_for_message(chat=alice), "通过")
    await bot.send_message(alice.id, "处理中")
    await bot.answer_callback_query(handle.id)
    assert emu.transcript().splitlines()[-1] == (
        "[私聊·Alice] 🤖 union_bot 回应了 Alice 对 #1 的点击 [通过]: (已应答，无提示)"
    )


async def test_emulator_bugs_are_loud(
    emu: BotApiEmulator, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.emulator import server

    async def broken(ctx: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setitem(server._IMPLEMENTED, "getchat", ("getChat", broken))
    with pytest.raises(NetworkError, match="boom"):
        await bot.get_chat(1)
    assert isinstance(emu.internal_errors[0], RuntimeError)
    with pytest.raises(AssertionError, match="boom"):
        emu.assert_no_errors()
