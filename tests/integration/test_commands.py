"""Following drafts along, managing roles, and manual publishing, as users type them."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from bot import texts
from tests.e2e.harness import Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, reject, say, submit_text, tap
from tests.emulator import BotApiEmulator


async def test_status_my_pending_history(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await submit_text(union, "社团巡礼\n第一期")
    await union.editor.send_text("/pending")
    pending = await emu.wait_for_message(union.editor, has_text("等待你处理"))
    assert "#1《社团巡礼》" in pending.text and texts.PENDING_EDITING in pending.text
    await pass_editing(union)
    assert "#1《社团巡礼》" in (await say(union, union.reviewer1, "/pending")).text
    assert (await say(union, union.reviewer2, "/pending")).text == texts.PENDING_EMPTY

    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await union.officer.send_text("/status 1")
    status = await emu.wait_for_message(union.officer, has_text("状态："))
    assert texts.STATE_NAMES[texts.DraftState.REVIEW_2] in status.text
    assert "✅ 第 1 级（部门负责人）：赵部长" in status.text
    await union.officer.send_text("/my")
    assert (
        "#1《社团巡礼》" in (await emu.wait_for_message(union.officer, has_text("我的稿件"))).text
    )
    assert (await say(union, union.officer, "/status abc")).text == texts.STATUS_USAGE
    assert (await say(union, union.officer, "/status 99")).text == texts.REFUSALS[
        texts.Refusal.NOT_FOUND
    ]
    assert (await say(union, union.stranger, "/history 1")).text == texts.NOT_STAFF
    await union.reviewer2.send_text("/history 1")
    history = await emu.wait_for_message(union.reviewer2, has_text("审计记录"))
    assert "赵部长 · 审核通过（第 1 版） · 第 1 级" in history.text


async def test_roles_are_managed_in_chat_by_admins_only(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await union.stranger.send_text("/start")
    await emu.wait_for_message(union.stranger)
    assert (
        await say(union, union.officer, "/role add @passerby officer")
    ).text == texts.ROLE_ADMIN_ONLY
    await union.admin.send_text("/role add @passerby 信息员")
    assert "信息员" in (await emu.wait_for_message(union.admin, has_text("已为"))).text
    # The new officer can submit at once; the database, not the config, is the truth now.
    await union.stranger.send_text("新人投稿\n正文")
    await emu.wait_for_message(union.stranger, has_text("稿件 #1"))
    assert "新 部长" in (await say(union, union.admin, "/role add 3001 reviewer1 新 部长")).text
    assert "不认识" in (await say(union, union.admin, "/role add @nobody officer")).text
    assert "未知角色" in (await say(union, union.admin, "/role add @passerby boss")).text
    assert (await say(union, union.admin, "/role del @li_gl admin")).text == texts.ROLE_LAST_ADMIN
    assert "已移除" in (await say(union, union.admin, "/role del @passerby officer")).text
    await union.admin.send_text("/role list")
    listing = (await emu.wait_for_message(union.admin, has_text("成员与角色"))).text
    assert "路人甲" not in listing and "新 部长" in listing and "张信息" in listing
    assert (await say(union, union.admin, "/role")).text == texts.ROLE_USAGE


async def test_revise_command_after_rejection(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await submit_text(union, "志愿活动\n时间待定")
    await pass_editing(union)
    card = await card_for(union, union.tier1, 1, 1, 1)
    await reject(union, union.reviewer1, card, "时间要写清楚", (texts.CRITERIA["1"],))
    await emu.wait_for_message(union.officer, has_text("被 赵部长 驳回"))
    await union.officer.send_text("/revise 1")
    ask = await emu.wait_for_message(union.officer, has_text("修改稿"))
    await union.officer.send_text("志愿活动\n时间：周六上午九点", reply_to=ask)
    await emu.wait_for_message(union.officer, has_text("第 2 版"))
    # Editing is on: the revision goes back to the editor who claimed it, who sends it on.
    returned = await emu.wait_for_message(union.editors, has_text("仍由 王编辑 排版"))
    mark = emu.mark()
    await tap(union.editor, returned, texts.BUTTON_SEND)
    new_card = await card_for(union, union.tier1, 1, 1, 2)
    await emu.wait_for_message(union.officer, has_text("排版并送审"), since=mark)
    assert "周六上午九点" in new_card.text
    assert "只有被驳回的稿件" in (await say(union, union.officer, "/revise 1")).text


@pytest.mark.union_config(auto_publish=False)
async def test_manual_publishing_waits_for_the_button(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await submit_text(union, "期末提醒\n注意复习")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    publish_card = await emu.wait_for_message(union.editors, has_text("待发布"))
    assert emu.messages(union.channel) == []
    assert (
        await tap(union.officer, publish_card, texts.BUTTON_PUBLISH)
        == texts.REFUSALS[texts.Refusal.NOT_PUBLISHER]
    )
    assert await tap(union.editor, publish_card, texts.BUTTON_PUBLISH) == texts.PUBLISH_STARTED
    await emu.wait_for_message(union.channel, has_text("期末提醒"))
    await emu.wait_for_edit(publish_card, lambda m: "已由 王编辑 发布" in m.text and not m.buttons)
    assert len(emu.messages(union.channel)) == 1


async def test_submit_in_a_group_as_a_reply(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    draft = await union.officer.send_text("群里写的稿子\n正文", chat=union.tier1)
    await union.officer.send_text("/submit", chat=union.tier1)
    assert (await emu.wait_for_message(union.tier1)).text == texts.SUBMIT_USAGE
    await union.officer.send_text("/submit", chat=union.tier1, reply_to=draft)
    card = await emu.wait_for_message(union.tier1, has_text("稿件 #1"))
    # Only the submitter may fill the card in.
    assert await tap(union.stranger, card, texts.BUTTON_SCHOOL) == texts.INTAKE_ONLY_SUBMITTER
    await union.officer.send_text("/submit", chat=union.tier1, reply_to=draft)
    again = await emu.wait_for_message(union.tier1)
    assert "稿件 #1" in again.text and "稿件 #2" not in again.text
