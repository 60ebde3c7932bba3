"""Issue 12, played as the editors and reviewers would: editors in the loop, phone-sized cards,
revisions in context, reasons that take one tap, urgency done right."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from bot import texts
from storage.models import Refusal
from tests.e2e.harness import Union, has_text
from tests.e2e.story import (
    approve,
    card_for,
    fill_intake,
    pass_editing,
    reject,
    say,
    submit_text,
    tap,
)
from tests.emulator import BotApiEmulator

FAST = {
    "deadline_clock": "calendar",
    "quiet_hours": "",
    "review_deadline_hours": 0.0008,
    "original_deadline_hours": 0.0008,
    "nudge_interval_hours": 0.0008,
    "max_nudges": 2,
}


async def test_the_editors_card_carries_the_text_and_the_note(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    body = "社团招新\n本周六上午九点在东区广场举行社团招新，欢迎新同学参加。"
    await union.officer.send_document("社团招新.txt", body.encode(), caption="请配学院合影")
    intake = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    await fill_intake(union, intake)
    card = await emu.wait_for_message(union.editors, has_text("待排版"))
    # The file comes first, then a card with the text itself and the officer's note.
    files = [m for m in emu.messages(union.editors) if m.document is not None]
    assert files and files[0].seq < card.seq
    assert "本周六上午九点在东区广场" in card.text and "附言：请配学院合影" in card.text
    # The title once: the text's first line, the same as the title, is not repeated.
    assert card.text.count("社团招新\n") == 1
    # Replying with a layout before claiming says what to do.
    answer = await say(
        union, union.editor, "社团招新\n排好的版本", chat=union.editors, reply_to=card
    )
    assert answer.text == texts.REFUSALS[Refusal.UNCLAIMED]


async def test_a_rejection_needs_a_criterion_and_templates_fill_the_reason(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    added = await say(union, union.admin, "/reasons add 1 数据与来源不符")
    assert "已添加常用理由 [1]" in added.text
    assert "数据与来源不符" in (await say(union, union.reviewer1, "/reasons")).text
    refused = await say(union, union.reviewer1, "/reasons del 1")
    assert refused.text == texts.REFUSALS[Refusal.NOT_ADMIN]
    await submit_text(union, "迎新晚会\n本周五晚七点举行。")
    await pass_editing(union)
    card = await card_for(union, union.tier1, 1, 1, 1)
    reviewer = union.reviewer1
    await tap(reviewer, card, texts.BUTTON_REJECT)
    prompt = await emu.wait_for_message(union.tier1, has_text("未达标的标准"))
    # No criterion ticked: refused, and the prompt stays.
    assert await tap(reviewer, prompt, texts.BUTTON_REASON) == texts.REJECT_NEED_CRITERION
    early = await say(union, reviewer, "随便写的理由", chat=union.tier1, reply_to=prompt)
    assert early.text == texts.REFUSALS[Refusal.NO_CRITERIA]
    criterion = texts.CRITERIA["1"]
    await tap(reviewer, prompt, texts.UNCHECKED + criterion)
    await emu.wait_for_edit(prompt, lambda m: texts.TICKED + criterion in m.button_texts)
    await tap(reviewer, prompt, texts.BUTTON_REASON)
    template = texts.BUTTON_TEMPLATE.format(text="数据与来源不符")
    await emu.wait_for_edit(prompt, lambda m: template in m.button_texts)
    await tap(reviewer, prompt, template)
    await emu.wait_for_edit(prompt, lambda m: texts.TICKED + "数据与来源不符" in m.button_texts)
    await reviewer.send_text("时间应为七点半", chat=union.tier1, reply_to=prompt)
    await emu.wait_for_edit(card, lambda m: "已驳回" in m.text)
    assert "理由：数据与来源不符；时间应为七点半" in card.text
    assert f"未达标：{criterion}" in card.text


async def test_a_revision_goes_back_to_its_editor_with_the_rejection_and_the_changes(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "运动会通知\n运动会于11月20日举行，共有1200名同学报名。")
    first = await pass_editing(union)
    card = await card_for(union, union.tier1, 1, 1, 1)
    await reject(union, union.reviewer1, card, "报名人数有误", (texts.CRITERIA["1"],))
    # The editor hears of it in the editors' chat, named.
    told = await emu.wait_for_message(union.editors, has_text("你排版的稿件 #1"))
    assert "王编辑" in told.text and "报名人数有误" in told.text
    notice = await emu.wait_for_message(union.officer, has_text("被 赵部长 驳回"))
    assert "新版本会先回到排版编辑（王编辑）" in notice.text
    await union.officer.send_text(
        "运动会通知\n运动会于11月20日举行，共有1300名同学报名。", reply_to=notice
    )
    returned = await emu.wait_for_message(union.editors, has_text("仍由 王编辑 排版"))
    assert "待排版 · 第 2 版" in returned.text
    assert "上一版（第 1 版）被第 1 级（部门负责人）赵部长 驳回" in returned.text
    assert "报名人数有误" in returned.text
    # The old card gave way to the new one; its buttons are gone.
    await emu.wait_for_edit(first, lambda m: "新的排版卡片" in m.text and not m.buttons)
    await tap(union.editor, returned, texts.BUTTON_SEND)
    revised = await card_for(union, union.tier1, 1, 1, 2)
    assert "上一版（第 1 版）被第 1 级（部门负责人）赵部长 驳回：内容真实准确" in revised.text
    source = revised.source or ""
    assert "<s>2</s><u>3</u>" in source
    # This version was laid out (sent on) by the editor, so the card names them.
    assert "排版 王编辑" in revised.text
    await approve(union.reviewer1, revised)
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 2))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 2))
    await emu.wait_for_message(union.editors, has_text("你排版的稿件 #1《运动会通知》已发布"))


async def test_a_long_revision_sends_the_whole_diff_as_a_file(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    old = "长稿\n" + "".join(f"第{i}段内容。\n" for i in range(60))
    new = old
    for i in range(0, 60, 5):
        new = new.replace(f"第{i}段内容。", f"第{i}段内容（已核实）。")
    await submit_text(union, old)
    await pass_editing(union)
    card = await card_for(union, union.tier1, 1, 1, 1)
    await reject(union, union.reviewer1, card, "数字请用汉字")
    notice = await emu.wait_for_message(union.officer, has_text("被 赵部长 驳回"))
    await union.officer.send_text(new, reply_to=notice)
    returned = await emu.wait_for_message(union.editors, has_text("仍由 王编辑 排版"))
    assert texts.REVISION_DIFF_FILE in returned.text
    diff = [
        m
        for m in emu.messages(union.editors)
        if m.document is not None and "对比" in (m.document.file_name or "")
    ]
    assert diff and diff[0].seq < returned.seq
    whole = diff[0].document.data.decode("utf-8")  # type: ignore[union-attr]
    assert whole.count("+ （已核实）") == 12


async def test_urgent_at_tier_3_alerts_tier_3_only(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "紧急通知\n明天停课。")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await card_for(union, union.reviewer3, 1, 3, 1)
    answer = await say(union, union.admin, "/urgent 1")
    assert "标记为紧急" in answer.text
    told = await emu.wait_for_message(union.reviewer3, has_text("紧急稿件"))
    assert "正在第 3 级" in told.text
    for chat in (union.tier1, union.tier2):
        assert not [m for m in emu.messages(chat) if "紧急稿件" in m.text]


@pytest.mark.union_config(reminders=FAST)
async def test_a_nudge_replies_to_the_card_it_is_about(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "长期未审\n正文")
    await pass_editing(union)
    card = await card_for(union, union.tier1, 1, 1, 1)
    nudge = await emu.wait_for_message(union.tier1, has_text("第 1 次提醒"), timeout=30)
    assert nudge.reply_to is not None and nudge.reply_to.message_id == card.message_id
