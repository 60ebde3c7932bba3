"""Bad input gets a clear answer in Chinese and loses nothing."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from bot import texts
from bot.review.service import TITLE_LIMIT
from bot.services import SERVICES_KEY
from storage import drafts
from storage.models import DraftState
from tests.e2e.harness import Union, has_text
from tests.e2e.story import approve, card_for, fill_intake, pass_editing, submit_text, tap
from tests.emulator import BotApiEmulator
from tests.fixtures_docs import corrupt, make_docx, make_encrypted_pdf, make_pdf, make_png


async def _draft_count(app: Application) -> int:  # type: ignore[type-arg]
    db = app.bot_data[SERVICES_KEY].db
    async with db.reading() as conn:
        row = await (await conn.execute("SELECT COUNT(*) FROM drafts")).fetchone()
    return int(row[0])


async def test_staff_who_are_not_officers_are_told_how_to_get_access(
    app: Application,  # type: ignore[type-arg]
    union: Union,
) -> None:
    await union.reviewer1.send_text("我也想投稿")
    answer = await union.emu.wait_for_message(union.reviewer1)
    assert answer.text == texts.NOT_OFFICER.format(user_id=union.reviewer1.id)
    assert await _draft_count(app) == 0


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("报表.xlsx", b"PK\x03\x04 not really", "不支持的文件类型"),
        ("坏文件.docx", corrupt(make_docx(["正文"])), "文件已损坏"),
        ("坏文件.pdf", corrupt(make_pdf(["text"])), "文件已损坏"),
        ("加密.pdf", make_encrypted_pdf(["secret text"]), "PDF 已加密"),
        ("空白.docx", make_docx([]), "没有可读取的文字"),
        ("乱码.txt", bytes(range(128, 256)) * 4, "文件"),
    ],
)
async def test_broken_files_are_refused_with_a_reason_and_nothing_is_stored(
    app: Application,
    union: Union,
    name: str,
    data: bytes,
    expected: str,  # type: ignore[type-arg]
) -> None:
    await union.officer.send_document(name, data)
    answer = await union.emu.wait_for_message(union.officer)
    assert expected in answer.text
    assert await _draft_count(app) == 0
    assert union.emu.errors == []


async def test_a_file_over_twenty_megabytes_is_not_downloaded(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    big = b"a" * (20 * 1024 * 1024 + 1)
    await union.officer.send_document("长文.txt", big)
    answer = await emu.wait_for_message(union.officer)
    assert "20 MB" in answer.text
    assert emu.calls_to("getFile") == [] and await _draft_count(app) == 0


async def test_a_photo_needs_a_caption_and_a_captioned_photo_is_a_draft(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await union.officer.send_photo(make_png())
    assert (await emu.wait_for_message(union.officer)).text == texts.EMPTY_DRAFT
    await union.officer.send_photo(make_png(), caption="运动会剪影\n摄影：拍摄组")
    card = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    assert "运动会剪影" in card.text


async def test_a_download_failing_mid_way_keeps_nothing_and_says_so(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    emu.fail_next("getFile", kind="disconnect")
    await union.officer.send_document("通知.docx", make_docx(["通知", "正文"]))
    assert (await emu.wait_for_message(union.officer)).text == texts.DOWNLOAD_FAILED
    assert await _draft_count(app) == 0
    # Sending it again works.
    await union.officer.send_document("通知.docx", make_docx(["通知", "正文"]))
    await emu.wait_for_message(union.officer, has_text("稿件 #1"))


async def test_long_text_cards_show_an_excerpt_and_carry_the_full_text(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    body = "长篇通讯<稿>\n" + "学生会&各部门携手，" * 600
    assert len(body) > 4096
    await union.officer.send_document("长篇通讯.txt", body.encode())
    card = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    await fill_intake(union, card)
    await pass_editing(union)
    review = await card_for(union, union.tier1, 1, 1, 1)
    assert len(review.text) < 4096 and "长篇通讯<稿>" in review.text
    files = [m for m in emu.messages(union.tier1) if m.document is not None]
    assert files and files[-1].document is not None
    assert files[-1].document.data.decode() == body
    await approve(union.reviewer1, review)
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    post = await emu.wait_for_message(union.channel)
    assert post.document is not None and len(post.text) <= 1024
    assert emu.errors == []


async def test_a_long_pasted_text_is_posted_in_parts(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await union.officer.send_text("年度总结\n" + "一" * 4090)
    card = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    await fill_intake(union, card)
    await pass_editing(union)
    # Tier 1 gets the full text as a file, since the card only holds an excerpt.
    review = await card_for(union, union.tier1, 1, 1, 1)
    assert [m for m in emu.messages(union.tier1) if m.document is not None]
    await approve(union.reviewer1, review)
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    await emu.wait_for(lambda: len(emu.messages(union.channel)) == 2, what="two channel posts")
    assert "".join(m.text for m in emu.messages(union.channel)).count("一") == 4090


async def test_intake_refuses_to_submit_with_missing_choices(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await union.officer.send_text("草稿")
    card = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    answer = await tap(union.officer, card, texts.BUTTON_CONFIRM)
    assert answer == texts.INTAKE_MISSING.format(missing="类别、署名、是否原创")
    # 院级承办 asks for the college by a reply; 转载 for the source.
    await tap(union.officer, card, texts.BUTTON_COLLEGE)
    ask = await emu.wait_for_message(union.officer, has_text("承办学院"))
    await union.officer.send_text("外国语学院", reply_to=ask)
    await emu.wait_for_edit(card, has_text("院级承办（外国语学院）"))
    await tap(union.officer, card, texts.BUTTON_TITLE)
    ask_title = await emu.wait_for_message(union.officer, has_text("新标题"))
    await union.officer.send_text("标" * (TITLE_LIMIT + 10), reply_to=ask_title)
    await emu.wait_for_edit(card, has_text("《" + "标" * (TITLE_LIMIT - 1) + "…》"))


async def test_replies_to_someone_elses_prompt_and_unknown_taps(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    card = await submit_text(union, "投稿\n正文")
    editing = await emu.wait_for_message(union.editors, has_text("待排版"))
    # The officer (no editor) cannot claim; another draft's data on this card is forged.
    refused = await tap(union.officer, editing, texts.BUTTON_CLAIM)
    assert refused == texts.REFUSALS[texts.Refusal.NOT_EDITOR]
    forged = await union.editor.tap_forged(editing, "ed:42:1:c")
    assert (await forged.wait_answer()).text == texts.INVALID_BUTTON
    assert "已提交" in card.text


async def test_withdraw_then_nothing_more_happens(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await submit_text(union, "撤回测试\n正文")
    await pass_editing(union)
    review = await card_for(union, union.tier1, 1, 1, 1)
    await union.stranger.send_text("/withdraw 1")
    assert (
        texts.REFUSALS[texts.Refusal.NOT_SUBMITTER]
        in (await emu.wait_for_message(union.stranger)).text
    )
    await union.officer.send_text("/withdraw 1")
    question = await emu.wait_for_message(union.officer, has_text("确定撤回稿件 #1"))
    await union.officer.tap(question, texts.BUTTON_WITHDRAW_YES)
    await emu.wait_for_edit(question, has_text("已撤回稿件 #1"))
    await emu.wait_for_edit(review, lambda m: not m.buttons and "失效" in m.text)
    late = await union.reviewer1.tap_forged(review, "rv:1:1:1:a")
    assert "撤回" in ((await late.wait_answer()).text or "")
    db = app.bot_data[SERVICES_KEY].db
    async with db.reading() as conn:
        draft = await drafts.get(conn, 1)
    assert draft is not None and draft.state is DraftState.WITHDRAWN


async def test_a_files_caption_is_a_note_not_the_title(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    docx = make_docx(["运动会成绩公告", "田径项目成绩如下。"])
    await union.officer.send_document("成绩.docx", docx, caption="请审核，谢谢")
    card = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    assert "《运动会成绩公告》" in card.text and "附言：请审核，谢谢" in card.text
    await fill_intake(union, card)
    await pass_editing(union)
    review = await card_for(union, union.tier1, 1, 1, 1)
    assert "附言：请审核，谢谢" in review.text
    await approve(union.reviewer1, review)
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    post = await emu.wait_for_message(union.channel)
    assert post.text.startswith("运动会成绩公告") and "请审核" not in post.text
