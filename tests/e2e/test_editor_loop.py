"""The editor in the loop and the revision in context, against the real bot process: a draft
laid out, rejected, revised, laid out again by the same editor, and published."""

from __future__ import annotations

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import approve, card_for, reject, submit_text, tap

BODY = "校运会志愿者招募\n本次校运会需要志愿者80名，报名截止到11月15日。"
REVISED = "校运会志愿者招募\n本次校运会需要志愿者120名，报名截止到11月18日。"


async def test_the_editor_lays_out_hears_the_rejection_and_gets_the_revision_back(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    await submit_text(union, BODY)

    # The editors' card shows the text; a layout before the claim is answered with what to do.
    editing = await emu.wait_for_message(union.editors, has_text("待排版"))
    assert "需要志愿者80名" in editing.text
    early = emu.mark()
    await union.editor.send_text(BODY, chat=union.editors, reply_to=editing)
    hint = await emu.wait_for_message(union.editors, since=early)
    assert hint.text == texts.REFUSALS[texts.Refusal.UNCLAIMED]
    await tap(union.editor, editing, texts.BUTTON_CLAIM)
    await emu.wait_for_edit(editing, lambda m: texts.BUTTON_SEND in m.button_texts)
    await tap(union.editor, editing, texts.BUTTON_SEND)
    await emu.wait_for_edit(editing, lambda m: "已送审" in m.text and "待排版" not in m.text)

    # Tier 2 rejects; the editor hears of it where they work.
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    card2 = await card_for(union, union.tier2, 1, 2, 1)
    await reject(union, union.reviewer2, card2, "人数与学生处通知不符", (texts.CRITERIA["1"],))
    told = await emu.wait_for_message(union.editors, has_text("你排版的稿件 #1"))
    assert "钱主席 驳回" in told.text and "人数与学生处通知不符" in told.text

    # The officer revises; the same editor gets it back, with why and what changed.
    notice = await emu.wait_for_message(union.officer, has_text("被 钱主席 驳回"))
    await union.officer.send_text(REVISED, reply_to=notice)
    back = await emu.wait_for_message(union.editors, has_text("仍由 王编辑 排版"))
    assert "上一版（第 1 版）被第 2 级（主席团成员）钱主席 驳回" in back.text
    assert "<s>8</s><u>12</u>0名" in (back.source or "")
    await emu.wait_for_message(union.editors, has_text("修改稿（第 2 版）已回到排版"))
    await tap(union.editor, back, texts.BUTTON_SEND)

    # Tier 1 sees the same context on the new card: the reason, the criterion, the diff.
    card1 = await card_for(union, union.tier1, 1, 1, 2)
    assert "内容真实准确；理由：人数与学生处通知不符" in card1.text
    source = card1.source or ""
    assert "<s>5</s><u>8</u>" in source
    await approve(union.reviewer1, card1)
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 2))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 2))
    post = await emu.wait_for_message(union.channel, has_text("校运会志愿者招募"))
    assert "需要志愿者120名" in post.text
    await emu.wait_for_message(union.editors, has_text("你排版的稿件 #1《校运会志愿者招募》已发布"))
    assert emu.errors == []
