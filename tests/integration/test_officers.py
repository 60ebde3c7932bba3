"""Officers at intake, played as they would: attribution that agrees with itself, questions that
close when the choice changes, replies that do not become drafts by themselves, confirmed
withdrawals, and 已取消 kept apart from 已撤回 (issue 12, "Officers")."""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram.ext import Application

from bot import texts
from bot.account_changes.rules import NoticeRule
from bot.clock.workdays import SHANGHAI, WorkCalendar
from bot.services import SERVICES_KEY
from storage.models import CATEGORIES
from tests.e2e.harness import Union, has_text
from tests.e2e.story import say, tap
from tests.emulator import BotApiEmulator, Message
from tests.fixtures_docs import make_docx, make_png


async def _draft_count(app: Application) -> int:  # type: ignore[type-arg]
    db = app.bot_data[SERVICES_KEY].db
    async with db.reading() as conn:
        row = await (await conn.execute("SELECT COUNT(*) FROM drafts")).fetchone()
    return int(row[0])


async def _intake_card(union: Union, body: str) -> Message:
    await union.officer.send_text(body)
    return await union.emu.wait_for_message(union.officer, has_text("请用下面的按钮"))


async def _edited(union: Union, card: Message, fragment: str) -> Message:
    return await union.emu.wait_for_edit(card, has_text(fragment))


async def test_a_repost_is_never_original_and_the_union_s_own_always_is(
    app: Application,  # type: ignore[type-arg]
    union: Union,
) -> None:
    card = await _intake_card(union, "转载测试\n正文")
    await tap(union.officer, card, texts.BUTTON_REPOST)
    card = await _edited(union, card, "原创：否")
    assert "转载（来源未填）" in card.text
    assert await tap(union.officer, card, texts.BUTTON_ORIGINAL) == texts.ATTR_REPOST_NOT_ORIGINAL

    await tap(union.officer, card, texts.BUTTON_SCHOOL)
    card = await _edited(union, card, "原创：是")
    refused = await tap(union.officer, card, texts.BUTTON_NOT_ORIGINAL)
    assert refused == texts.ATTR_SCHOOL_IS_ORIGINAL

    # 院级承办 leaves originality to the officer, both ways.
    await tap(union.officer, card, texts.BUTTON_COLLEGE)
    card = await _edited(union, card, "院级承办（承办学院未填）")
    assert "（（" not in card.text
    await tap(union.officer, card, texts.BUTTON_NOT_ORIGINAL)
    card = await _edited(union, card, "原创：否")


async def test_a_question_left_open_when_the_choice_changed_switches_nothing_back(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    card = await _intake_card(union, "来源提问测试\n正文")
    await tap(union.officer, card, CATEGORIES[0])
    await tap(union.officer, card, texts.BUTTON_REPOST)
    asked = await emu.wait_for_message(union.officer, has_text("写明转载来源"))
    await tap(union.officer, card, texts.BUTTON_SCHOOL)
    card = await _edited(union, card, "署名：校学生会原创")

    # The late answer to the closed question is not taken, and is no draft either.
    answer = await say(union, union.officer, "某公众号", reply_to=asked)
    assert answer.text == texts.NOT_AWAITED.replace("<b>", "").replace("</b>", "")
    assert answer.button_texts == [texts.BUTTON_AS_DRAFT, texts.BUTTON_NOT_DRAFT]
    assert await _draft_count(app) == 1
    await tap(union.officer, answer, texts.BUTTON_NOT_DRAFT)
    await emu.wait_for_message(union.officer, has_text(texts.NOT_DRAFT_OK))
    assert await _draft_count(app) == 1
    await tap(union.officer, card, texts.BUTTON_CONFIRM)
    card = await _edited(union, card, "已提交")
    status = await say(union, union.officer, "/status 1")
    assert "校学生会原创" in status.text and "转载" not in status.text


async def test_a_reply_to_a_bot_message_becomes_a_draft_only_when_confirmed(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    notice = await say(union, union.officer, "/my")
    offer = await say(union, union.officer, "一篇真正的稿件\n正文在这里", reply_to=notice)
    assert texts.BUTTON_AS_DRAFT in offer.button_texts
    assert await _draft_count(app) == 0
    await tap(union.officer, offer, texts.BUTTON_AS_DRAFT)
    card = await emu.wait_for_message(union.officer, has_text("请用下面的按钮"))
    assert "一篇真正的稿件" in card.text
    assert await _draft_count(app) == 1


async def test_a_corrected_date_after_a_refused_one_line_form_answers_the_question(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    today = datetime.now(SHANGHAI).date()
    early = today + timedelta(days=1)
    refused = await say(
        union, union.officer, f"/account_change 抖音「测试」| 停用 | {early.isoformat()} | 不再运营"
    )
    assert "太早了" in refused.text and "回复本消息" in refused.text
    good = NoticeRule(WorkCalendar()).earliest(today)
    confirm = await say(union, union.officer, good.isoformat(), reply_to=refused)
    assert "不再运营" in confirm.text and texts.AC_BUTTON_CONFIRM in confirm.button_texts
    assert await _draft_count(app) == 0


async def test_withdrawal_is_confirmed_and_cancelling_at_intake_reads_cancelled(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    first = await _intake_card(union, "取消测试\n正文")
    await tap(union.officer, first, texts.BUTTON_CANCEL)
    await _edited(union, first, "已取消")

    second = await _intake_card(union, "撤回测试\n正文")
    await tap(union.officer, second, CATEGORIES[0])
    question = await say(union, union.officer, "/withdraw 2")
    assert question.text == texts.WITHDRAW_CONFIRM.format(id=2, title="撤回测试")
    await tap(union.officer, question, texts.BUTTON_WITHDRAW_NO)
    await emu.wait_for_edit(question, has_text(texts.WITHDRAW_KEPT.format(id=2)))
    again = await say(union, union.officer, "/withdraw 2")
    await tap(union.officer, again, texts.BUTTON_WITHDRAW_YES)
    await emu.wait_for_edit(again, has_text("已撤回稿件 #2"))

    mine = await say(union, union.officer, "/my")
    lines = mine.text.splitlines()
    assert any("#1" in line and texts.STATE_CANCELLED in line for line in lines)
    assert any("#2" in line and "已撤回" in line for line in lines)
    assert not any("#1" in line and "已撤回" in line for line in lines)
    status = await say(union, union.officer, "/status 1")
    assert f"状态：{texts.STATE_CANCELLED}" in status.text


async def test_the_intake_card_previews_the_text_read_from_a_file(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    paragraphs = ["迎新晚会通知", "本周五晚七点在大礼堂举行迎新晚会。" * 20]
    await union.officer.send_document("通知.docx", make_docx(paragraphs))
    card = await emu.wait_for_message(union.officer, has_text("请用下面的按钮"))
    count = sum(len(p) for p in paragraphs)
    assert "附件：通知.docx" in card.text
    assert f"正文（共 {count} 字）：迎新晚会通知 本周五晚七点" in card.text
    assert "…" in card.text


async def _versions(app: Application) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
    db = app.bot_data[SERVICES_KEY].db
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            # Each draft's current version.
            "SELECT v.draft_id, v.body, (SELECT group_concat(f.file_kind) FROM version_files f"
            " WHERE f.draft_id = v.draft_id AND f.number = v.number), v.content_hash"
            " FROM versions v"
            " JOIN drafts d ON d.id = v.draft_id AND v.number = d.version ORDER BY v.draft_id"
        )
    return [tuple(row) for row in rows]


async def test_one_article_one_draft_title_body_and_photo_are_offered_to_it(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    card = await _intake_card(union, "校运会报道")
    offer = await say(union, union.officer, "本周六上午在田径场举行校运会开幕式。")
    assert offer.text == texts.APPEND_OFFER.format(id=1, title="校运会报道").replace(
        "<b>", ""
    ).replace("</b>", "")
    assert offer.button_texts == [texts.BUTTON_APPEND.format(id=1), texts.BUTTON_APPEND_NEW]
    hash_before = (await _versions(app))[0][3]
    await tap(union.officer, offer, texts.BUTTON_APPEND.format(id=1))
    await emu.wait_for_message(union.officer, has_text(texts.APPENDED.format(id=1)))
    [(_, body, kind, hash_after)] = await _versions(app)
    assert body == "校运会报道\n\n本周六上午在田径场举行校运会开幕式。" and kind is None
    assert hash_after != hash_before

    # A photo follows: it joins the same draft, and the card names it.
    mark = emu.mark()
    await union.officer.send_photo(make_png(), caption="开幕式现场")
    offer = await emu.wait_for_message(union.officer, has_text("它还没有提交"), since=mark)
    await tap(union.officer, offer, texts.BUTTON_APPEND.format(id=1))
    await _edited(union, card, "附件：图片")
    [(_, body, kind, _)] = await _versions(app)
    assert kind == "photo" and body.endswith("开幕式现场")

    # A second photo joins too: one draft carries several files, and the card counts them.
    mark = emu.mark()
    await union.officer.send_photo(make_png(3, 3), caption="颁奖现场")
    offer = await emu.wait_for_message(union.officer, has_text("它还没有提交"), since=mark)
    await tap(union.officer, offer, texts.BUTTON_APPEND.format(id=1))
    await _edited(union, card, "附件：2 张图片")
    [(_, body, kind, _)] = await _versions(app)
    assert kind == "photo,photo" and body.endswith("开幕式现场\n\n颁奖现场")

    # Or the officer makes the next message a draft of its own.
    mark = emu.mark()
    await union.officer.send_photo(make_png(5, 5), caption="闭幕式")
    offer = await emu.wait_for_message(union.officer, has_text("它还没有提交"), since=mark)
    await tap(union.officer, offer, texts.BUTTON_APPEND_NEW)
    second = await emu.wait_for_message(union.officer, has_text("稿件 #2"), since=mark)
    assert "请用下面的按钮" in second.text
    assert [row[0] for row in await _versions(app)] == [1, 2]
