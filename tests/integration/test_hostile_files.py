"""Files that cost far more than their size, and drafts nobody can see, get a clear answer."""

from __future__ import annotations

from telegram.ext import Application

from bot import texts
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
