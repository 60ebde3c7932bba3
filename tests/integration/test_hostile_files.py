"""Files that cost far more than their size, and drafts nobody can see, get a clear answer."""

from __future__ import annotations

import asyncio

import pytest
from telegram.ext import Application

from bot import texts
from bot.documents import ExtractedDocument
from bot.documents.isolated import extract_isolated
from bot.services import SERVICES_KEY
from tests.e2e.harness import Union, has_text
from tests.emulator import BotApiEmulator
from tests.fixtures_docs import make_docx, make_docx_bomb, make_png

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e"


async def _draft_count(app: Application) -> int:  # type: ignore[type-arg]
    db = app.bot_data[SERVICES_KEY].db
    async with db.reading() as conn:
        row = await (await conn.execute("SELECT COUNT(*) FROM drafts")).fetchone()
    return int(row[0])


async def test_a_docx_bomb_is_refused_naming_the_limit_and_the_bot_goes_on(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await union.officer.send_document("通知.docx", make_docx_bomb(30))
    answer = await emu.wait_for_message(union.officer)
    assert answer.text == texts.DOCUMENT_LIMIT_PARAGRAPHS.format(limit="100,000")
    assert await _draft_count(app) == 0
    # The next file, from the same person, is a draft as usual.
    await union.officer.send_document("通知.docx", make_docx(["迎新晚会通知", "正文"]))
    await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    assert emu.errors == []


async def test_an_image_declaring_a_giant_size_is_refused_from_its_header(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    bomb = bytearray(make_png(2, 2))
    bomb[16:24] = (60_000).to_bytes(4, "big") * 2
    await union.officer.send_document("海报.png", bytes(bomb), caption="运动会海报")
    answer = await emu.wait_for_message(union.officer)
    assert answer.text == texts.DOCUMENT_LIMIT_PIXELS.format(
        limit=10_000, width=60_000, height=60_000
    )
    assert await _draft_count(app) == 0
    await union.officer.send_document("海报.png", make_png(4, 4), caption="运动会海报")
    await emu.wait_for_message(union.officer, has_text("稿件 #1"))


async def test_a_draft_of_zero_width_characters_is_refused(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await union.officer.send_text(INVISIBLE)
    assert (await emu.wait_for_message(union.officer)).text == texts.INVISIBLE_DRAFT
    await union.officer.send_photo(make_png(), caption=INVISIBLE)
    assert (await emu.wait_for_message(union.officer)).text == texts.INVISIBLE_DRAFT
    await union.officer.send_document("空白.txt", INVISIBLE.encode(), caption=INVISIBLE)
    assert (await emu.wait_for_message(union.officer)).text == texts.INVISIBLE_DRAFT
    assert await _draft_count(app) == 0
    # Visible text around invisible characters is a draft.
    await union.officer.send_text("\u200b迎新晚会通知\u200b\n正文")
    await emu.wait_for_message(union.officer, has_text("稿件 #1"))


async def test_other_people_are_answered_while_a_file_is_read(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The officer's file takes as long as the test says: reading starts, then waits for the gate.
    reading, gate = asyncio.Event(), asyncio.Event()

    async def slow_read(name: str | None, mime: str | None, data: bytes) -> ExtractedDocument:
        reading.set()
        await gate.wait()
        return await extract_isolated(name, mime, data)

    monkeypatch.setattr("commands.content.extract_isolated", slow_read)
    try:
        await union.officer.send_document("通知.docx", make_docx(["迎新晚会通知", "正文"]))
        await asyncio.wait_for(reading.wait(), 10)
        # Meanwhile another member writes to the bot and is answered.
        await union.reviewer1.send_text("我也想投稿")
        answer = await emu.wait_for_message(union.reviewer1)
        assert answer.text == texts.NOT_OFFICER.format(user_id=union.reviewer1.id)
        assert [m for m in emu.messages(union.officer) if m.from_bot] == []
        # The officer's next message waits for their file, and comes after it.
        await union.officer.send_text("第二篇稿件\n正文")
    finally:
        gate.set()
    first = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    # The draft from the file is still at intake, so the next message is offered to it.
    second = await emu.wait_for_message(union.officer, has_text("它还没有提交"))
    assert "迎新晚会通知" in first.text and "追加到稿件 #1" in second.text
    assert first.seq < second.seq
