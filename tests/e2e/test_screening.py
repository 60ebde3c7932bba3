"""Screening in the real process: a blocked draft never reaches review; warnings reach reviewers."""

from __future__ import annotations

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import approve, card_for, fill_intake, pass_editing


async def test_a_classified_marker_blocks_intake_until_fixed(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    await union.officer.send_text("学生会工作会议纪要\n本纪要为 机 密 资料，不得外传。")
    notice = await emu.wait_for_message(union.officer, has_text("未通过关键词筛查"))
    assert "「机密资料」涉密·变形" in notice.text and "【机 密 资料】" in notice.text
    assert "「不得外传」涉密·原文" in notice.text
    assert "请用下面的按钮" not in "".join(m.text for m in emu.messages(union.officer))
    assert not [m for m in emu.messages(union.editors) if "待排版" in m.text]

    await union.officer.send_text("学生会工作会议纪要\n会议讨论了下学期活动安排。", reply_to=notice)
    card = await emu.wait_for_message(union.officer, has_text("请用下面的按钮"))
    assert "第 2 版" not in card.text and "稿件 #1" in card.text
    await fill_intake(union, card)
    await emu.wait_for_message(union.editors, has_text("待排版"))

    await union.admin.send_text("/history 1")
    history = await emu.wait_for_message(union.admin, has_text("审计记录"))
    assert "关键词筛查：禁止" in history.text


async def test_a_warning_goes_on_to_review_and_every_card_lists_it(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    await union.officer.send_text("招募启事\n招募兼职，不涉及刷单，联系 13812345678。")
    card = await emu.wait_for_message(union.officer, has_text("请用下面的按钮"))
    await fill_intake(union, card)
    await pass_editing(union)
    card1 = await card_for(union, union.tier1, 1, 1, 1)
    assert "关键词提示" in card1.text and "「刷单」" in card1.text
    assert "个人信息" in card1.text and "13812345678" in card1.text
    await approve(union.reviewer1, card1)
    card2 = await card_for(union, union.tier2, 1, 2, 1)
    assert "「刷单」" in card2.text
    await approve(union.reviewer2, card2)
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    await emu.wait_for_message(union.channel, has_text("招募启事"))
    assert texts.WARN_SECTION.split("<b>")[0].strip() in card1.text
