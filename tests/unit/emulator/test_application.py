"""A real PTB Application (polling, handlers) runs against the emulator without errors."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.emulator import BotApiEmulator, ChatHandle, ScriptedUser

from .conftest import TOKEN


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("同意", callback_data="agree")]])
    await update.effective_message.reply_html("<b>欢迎</b>，请确认守则", reply_markup=markup)


async def agree(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("已确认")
    await query.edit_message_text("✅ 已确认守则")


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    file = await message.document.get_file()
    data = await file.download_as_bytearray()
    await message.reply_text(f"收到 {message.document.file_name}，{len(data)} 字节")


async def test_polling_application_round_trip(
    emu: BotApiEmulator, alice: ScriptedUser, group: ChatHandle
) -> None:
    app = (
        Application.builder().token(TOKEN).base_url(emu.api_url).base_file_url(emu.file_url).build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(agree))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=10)
        try:
            await converse(emu, alice, group)
        finally:
            await app.updater.stop()
            await app.stop()
    emu.assert_no_errors()
    assert emu.pending_updates == []


async def converse(emu: BotApiEmulator, alice: ScriptedUser, group: ChatHandle) -> None:
    await alice.send_text("/start")
    welcome = await emu.wait_for_message(chat=alice)
    assert welcome.html == "<b>欢迎</b>，请确认守则"
    tap = await alice.tap(welcome, "同意")
    assert (await tap.wait_answer()).text == "已确认"
    await emu.wait_for_edit(welcome)
    assert welcome.text == "✅ 已确认守则" and welcome.buttons == []
    await alice.send_document("守则.pdf", b"%PDF" * 10)
    receipt = await emu.wait_for_message(chat=alice)
    assert receipt.text == "收到 守则.pdf，40 字节"
    # In groups PTB quotes the command; privacy mode still delivers commands.
    command = await alice.send_text("/start@union_bot", chat=group)
    quoted = await emu.wait_for_message(chat=group)
    assert quoted.reply_to_id == command.message_id
