"""The core stories, played by scripted members against the real bot process."""

from __future__ import annotations

import sqlite3

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import (
    approve,
    card_for,
    fill_intake,
    pass_editing,
    reject,
    review_cards,
    submit_text,
    tap,
)
from tests.fixtures_docs import make_docx


async def test_docx_draft_through_editing_and_three_tiers_to_the_channel(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    docx = make_docx(["校园十佳歌手大赛通知", "比赛将于12月5日晚在大学生活动中心举行。"])
    await union.officer.send_document("歌手大赛通知.docx", docx)
    intake = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    assert "校园十佳歌手大赛通知" in intake.text and "歌手大赛通知.docx" in intake.text
    await fill_intake(union, intake)
    assert texts.STATE_NAMES[texts.DraftState.EDITING] in intake.text

    # Editing: the editors get the file and a card; an editor claims it and sends a layout.
    attachment = await emu.wait_for_message(union.editors, lambda m: m.document is not None)
    assert attachment.document is not None and attachment.document.data == docx
    editing = await emu.wait_for_message(union.editors, has_text("待排版"))
    answer = await tap(union.editor, editing, texts.BUTTON_CLAIM)
    assert "已认领" in answer
    await emu.wait_for_edit(editing, lambda m: "王编辑 已认领排版" in m.text)
    laid_out = make_docx(["校园十佳歌手大赛通知", "时间：12月5日 19:00", "地点：大学生活动中心"])
    await union.editor.send_document(
        "歌手大赛通知-排版.docx", laid_out, chat=union.editors, reply_to=editing
    )
    await emu.wait_for_message(union.editors, has_text("第 2 版"))
    await tap(union.editor, editing, texts.BUTTON_SEND)
    await emu.wait_for_edit(editing, lambda m: "已将第 2 版送审" in m.text and not m.buttons)

    # Three tiers, in order; each card carries the file and the text, not the criteria (those
    # come in the reject flow), so the buttons show on a phone's first screen.
    card1 = await card_for(union, union.tier1, 1, 1, 2)
    for criterion in texts.CRITERIA.values():
        assert criterion not in card1.text
    assert "张信息" in card1.text and "王编辑" in card1.text
    assert "地点：大学生活动中心" in card1.text
    tier1_files = [m for m in emu.messages(union.tier1) if m.document is not None]
    assert tier1_files and tier1_files[-1].document is not None
    assert tier1_files[-1].document.data == laid_out
    assert "第 2 级" in await approve(union.reviewer1, card1)
    await emu.wait_for_edit(card1, lambda m: "赵部长 已通过" in m.text and not m.buttons)
    await emu.wait_for_message(union.officer, has_text("已通过第 1 级审核"))

    card2 = await card_for(union, union.tier2, 1, 2, 2)
    assert "赵部长 已通过" in card2.text
    await approve(union.reviewer2, card2)
    card3 = await card_for(union, union.reviewer3, 1, 3, 2)
    assert await approve(union.reviewer3, card3) == texts.APPROVED_FINAL

    # Published: the laid-out file, with category and attribution, recorded in the database.
    post = await emu.wait_for_message(union.channel, lambda m: m.document is not None)
    assert post.document is not None and post.document.data == laid_out
    assert "校园十佳歌手大赛通知" in post.text and "新闻与通知类" in post.text
    assert "校学生会原创" in post.text
    await emu.wait_for_message(union.officer, has_text("已发布到频道"))
    assert len([m for m in emu.messages(union.channel)]) == 1

    await union.admin.send_text("/history 1")
    history = await emu.wait_for_message(union.admin, has_text("审计记录"))
    for action in ("创建稿件", "认领排版", "送审", "审核通过", "已发布"):
        assert action in history.text
    with sqlite3.connect(bot.db) as conn:
        row = conn.execute("SELECT state FROM drafts WHERE id = 1").fetchone()
        published = conn.execute("SELECT message_id FROM publications").fetchall()
    assert row == ("published",) and published == [(post.message_id,)]
    assert emu.errors == []


async def test_rejection_at_tier_two_then_revision_approved_alone(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    intake = await submit_text(union, "迎新晚会回顾\n本次晚会共有两千名同学参加。")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))

    card2 = await card_for(union, union.tier2, 1, 2, 1)
    await reject(union, union.reviewer2, card2, "人数与学工处通报不符，请核实。", ("内容真实准确",))
    await emu.wait_for_message(union.tier2, has_text("已驳回稿件 #1"))
    await emu.wait_for_edit(card2, lambda m: "钱主席 已驳回" in m.text and not m.buttons)
    assert "人数与学工处通报不符" in card2.text and "内容真实准确" in card2.text

    notice = await emu.wait_for_message(union.officer, has_text("被 钱主席 驳回"))
    assert "人数与学工处通报不符" in notice.text and "内容真实准确" in notice.text
    await union.officer.send_text("迎新晚会回顾\n本次晚会共有一千八百名同学参加。", reply_to=notice)
    await emu.wait_for_message(union.officer, has_text("已更新为第 2 版"))

    # Version 2 goes back to its editor, then starts again at tier 1; the old cards can no
    # longer decide anything.
    returned = await emu.wait_for_message(union.editors, has_text("仍由 王编辑 排版"))
    await tap(union.editor, returned, texts.BUTTON_SEND)
    new1 = await card_for(union, union.tier1, 1, 1, 2)
    assert "一千八百" in new1.text
    stale = await union.reviewer2.tap_forged(card2, "rv:1:1:2:a")
    assert "旧版本" in ((await stale.wait_answer()).text or "")
    await approve(union.reviewer1, new1)
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 2))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 2))
    post = await emu.wait_for_message(union.channel, has_text("迎新晚会回顾"))
    assert "一千八百" in post.text and "两千" not in post.text
    with sqlite3.connect(bot.db) as conn:
        approvals = conn.execute(
            "SELECT version, tier FROM decisions WHERE outcome = 'approve' ORDER BY version, tier"
        ).fetchall()
    assert approvals == [(1, 1), (2, 1), (2, 2), (2, 3)]
    assert intake.text.startswith("✅ 稿件 #1")
    assert emu.errors == []


async def test_forged_tap_by_a_stranger_and_a_double_tap(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    await submit_text(union, "社团招新\n欢迎加入。")
    await pass_editing(union)
    card1 = await card_for(union, union.tier1, 1, 1, 1)

    # A member of the group who is no reviewer presses 通过: refused, nothing changes.
    refused = await tap(union.stranger, card1, texts.BUTTON_APPROVE)
    assert refused == texts.refusal(texts.Refusal.NOT_REVIEWER, tier=1, tier_name="部门负责人")
    # The submitter forges a tier-1 approval of her own draft; then garbage data.
    own = await union.officer.tap_forged(card1, "rv:1:1:1:a")
    assert (await own.wait_answer()).text == refused
    garbage = await union.stranger.tap_forged(card1, "rv:1:1:1:a;DROP TABLE drafts")
    garbage_answer = await garbage.wait_answer()
    assert garbage_answer.text == texts.INVALID_BUTTON and garbage_answer.show_alert
    missing = await union.stranger.tap_forged(card1, "rv:999:1:1:a")
    assert (await missing.wait_answer()).text is not None

    # The reviewer taps twice in a row: one decision, the second tap is told who decided.
    first = await union.reviewer1.tap(card1, texts.BUTTON_APPROVE)
    second = await union.reviewer1.tap_forged(card1, "rv:1:1:1:a")
    assert "第 2 级" in ((await first.wait_answer()).text or "")
    second_text = (await second.wait_answer()).text or ""
    assert "赵部长 已通过" in second_text
    await card_for(union, union.tier2, 1, 2, 1)
    await emu.wait_for(lambda: not emu.unanswered_callbacks(), what="every tap answered")
    with sqlite3.connect(bot.db) as conn:
        decisions = conn.execute("SELECT tier, reviewer_id FROM decisions").fetchall()
        refusals = conn.execute(
            "SELECT actor_id FROM audit WHERE action IN ('review.refused', 'callback.forged')"
        ).fetchall()
    assert decisions == [(1, union.reviewer1.id)]
    assert sorted(r[0] for r in refusals) == sorted(
        [
            union.stranger.id,
            union.officer.id,
            union.stranger.id,
            union.stranger.id,
            union.reviewer1.id,
        ]
    )
    assert len(review_cards(union, union.tier2, 2)) == 1
    assert emu.errors == []


async def test_killed_after_tier_one_approval_then_restarted(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    await submit_text(union, "讲座预告\n本周五下午两点，图书馆报告厅。")
    await pass_editing(union)
    card1 = await card_for(union, union.tier1, 1, 1, 1)

    # Tier 2's card hangs in flight, and the bot is killed right then: the approval is
    # committed, its delivery is not.
    hang = emu.fail_next("sendMessage", n=1, kind="timeout", chat=union.tier2)
    handle = await union.reviewer1.tap(card1, texts.BUTTON_APPROVE)
    await handle.wait_answer()
    await emu.wait_for(lambda: hang.remaining == 0, what="tier 2's card in flight")
    await bot.kill()
    assert not review_cards(union, union.tier2, 2)

    await bot.start()
    card2 = await card_for(union, union.tier2, 1, 2, 1)
    await approve(union.reviewer2, card2)
    card3 = await card_for(union, union.reviewer3, 1, 3, 1)
    await approve(union.reviewer3, card3)
    await emu.wait_for_message(union.channel, has_text("讲座预告"))
    await emu.wait_for_message(union.officer, has_text("已发布到频道"))

    # Restart once more: nothing is sent again.
    await bot.kill()
    mark = emu.mark()
    await bot.start()
    await union.officer.send_text("/status 1")
    status = await emu.wait_for_message(union.officer, has_text("已发布"))
    assert status.seq > mark
    tier2_cards = review_cards(union, union.tier2, 2)
    posts = [m for m in emu.messages(union.channel) if "讲座预告" in m.text]
    assert len(tier2_cards) == 1 and len(posts) == 1
