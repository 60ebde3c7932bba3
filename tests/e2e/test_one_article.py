"""One article, one draft, against the real bot process: a title, then the body, then a photo
become one draft that the editors receive whole (issue 12)."""

from __future__ import annotations

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import fill_intake, tap
from tests.fixtures_docs import make_png


async def test_a_title_a_body_and_a_photo_sent_apart_make_one_draft(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    officer = union.officer
    await officer.send_text("校运会开幕")
    card = await emu.wait_for_message(officer, has_text("请用下面的按钮"))

    await officer.send_text("本周六上午八点，校运会在田径场开幕。")
    offer = await emu.wait_for_message(officer, has_text("追加到稿件 #1"))
    await tap(officer, offer, texts.BUTTON_APPEND.format(id=1))
    await emu.wait_for_message(officer, has_text(texts.APPENDED.format(id=1)))

    mark = emu.mark()
    await officer.send_photo(make_png(4, 4), caption="开幕式现场")
    offer = await emu.wait_for_message(officer, has_text("它还没有提交"), since=mark)
    await tap(officer, offer, texts.BUTTON_APPEND.format(id=1))
    await emu.wait_for_edit(card, has_text("附件：图片"))
    await fill_intake(union, card)

    # The editors get one draft carrying the photo and the whole text; no second draft exists.
    photo = await emu.wait_for_message(union.editors, lambda m: m.photo is not None)
    assert photo.photo is not None
    editing = await emu.wait_for_message(union.editors, has_text("待排版"))
    assert "稿件 #1" in editing.text and "校运会开幕" in editing.text
    mark = emu.mark()
    await officer.send_text("/my")
    listing = await emu.wait_for_message(officer, has_text("#1"), since=mark)
    assert "#2" not in listing.text
    assert emu.errors == []
