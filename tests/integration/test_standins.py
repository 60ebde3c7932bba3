"""Stand-ins (代审) and handovers through the PTB Application and the emulator."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import Application

from bot import texts
from tests.e2e.harness import Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, say, submit_text
from tests.emulator import BotApiEmulator, ScriptedUser

FAST = {
    "deadline_clock": "calendar",
    "quiet_hours": "",
    "review_deadline_hours": 0.0008,
    "original_deadline_hours": 0.0008,
    "nudge_interval_hours": 0.0008,
    "max_nudges": 2,
}


async def _seen(union: Union, *people: ScriptedUser) -> None:
    """Each writes to the bot once, so it knows their @username."""
    for person in people:
        await say(union, person, "/start")


def _days(first: int, last: int) -> str:
    """``first`` and ``last`` days from the union's today, as /away takes them."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return f"{today + timedelta(days=first)} {today + timedelta(days=last)}"


@pytest.mark.union_config(reminders=FAST)
async def test_the_stand_in_gets_the_card_and_the_nudges_and_decides_in_her_name(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    colleague = emu.add_user(2020, "周老师", username="zhou_ls", started=True)
    await _seen(union, colleague, union.reviewer3)
    done = await say(union, union.admin, f"/away @sun_ls {_days(0, 5)} @zhou_ls")
    assert "已安排代审：孙老师" in done.text and "由 周老师 代为审核第 3 级" in done.text
    told = await emu.wait_for_message(colleague, has_text("安排你在"))
    assert "代 孙老师 审核第 3 级" in told.text and "李管理" in told.text
    listing = await say(union, colleague, "/away")
    assert "孙老师：" in listing.text and "由 周老师 代审（进行中）" in listing.text

    await submit_text(union, "代审稿件\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    card = await card_for(union, colleague, 1, 3, 1)
    await emu.wait_for_message(colleague, has_text("第 1 次提醒"), timeout=30)
    pending = await say(union, colleague, "/pending")
    assert "代审稿件" in pending.text
    await approve(colleague, card)
    await emu.wait_for_message(union.channel, has_text("代审稿件"))
    # While away, the advisor got neither the card nor a nudge.
    assert not [m for m in emu.messages(union.reviewer3) if "稿件 #1" in m.text]

    history = await say(union, union.admin, "/history 1")
    assert "周老师" in history.text and "代 孙老师 审核" in history.text
    ended = await say(union, union.admin, "/away off @sun_ls")
    assert "已结束 孙老师 的 1 项代审安排" in ended.text
    assert texts.AWAY_LIST_EMPTY in (await say(union, union.admin, "/away")).text
    assert emu.errors == []


async def test_a_stand_in_never_decides_a_draft_they_submitted(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    outsider = emu.add_user(2021, "吴老师", username="wu_ls", started=True)
    await _seen(union, outsider, union.officer)
    # A reviewer may name only a member; an admin could name the outsider.
    refused = await say(union, union.reviewer3, f"/away {_days(0, 3)} @wu_ls")
    assert "吴老师 不是学生会新媒体成员" in refused.text
    done = await say(union, union.reviewer3, f"/away {_days(0, 3)} @zhang_xx")
    assert "由 张信息 代为审核第 3 级" in done.text

    intake = await submit_text(union, "自己的稿件\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    # The stand-in submitted it, so the advisor keeps her own card.
    card = await card_for(union, union.reviewer3, 1, 3, 1)
    # The officer has no card of tier 3: review data on his intake card is forged.
    forged = await union.officer.tap_forged(intake, "rv:1:1:3:a")
    assert (await forged.wait_answer()).text == texts.INVALID_BUTTON
    await approve(union.reviewer3, card)
    await emu.wait_for_message(union.channel, has_text("自己的稿件"))


async def test_an_admin_hands_a_tier_to_one_reviewer(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await _seen(union, union.reviewer1, union.reviewer2, union.officer)
    await submit_text(union, "转交稿件\n正文")
    await pass_editing(union)
    group_card = await card_for(union, union.tier1, 1, 1, 1)
    not_admin = await say(union, union.reviewer1, "/handover 1 @zhao_bz")
    assert "只有管理员" in not_admin.text
    usage = await say(union, union.admin, "/handover 1")
    assert usage.text.startswith("用法：/handover")
    wrong = await say(union, union.admin, "/handover 1 @qian_zx")
    assert "钱主席 不能审核稿件 #1 的第 1 级" in wrong.text
    own = await say(union, union.admin, "/handover 1 @zhang_xx")
    assert "张信息 不能审核" in own.text
    done = await say(union, union.admin, "/handover 1 @zhao_bz")
    assert "已把稿件 #1《转交稿件》第 1 级（部门负责人）交给 赵部长" in done.text
    private = await card_for(union, union.reviewer1, 1, 1, 1)
    await approve(union.reviewer1, private)
    # One decision closes both cards.
    await emu.wait_for_edit(group_card, lambda m: not m.buttons)
    await emu.wait_for_edit(private, lambda m: not m.buttons)
    await card_for(union, union.tier2, 1, 2, 1)
    history = await say(union, union.admin, "/history 1")
    assert "转交审核" in history.text and "交给 赵部长" in history.text


async def test_away_answers_every_mistake_in_chinese(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await _seen(union, union.officer, union.editor, union.reviewer3)
    stranger = await say(union, union.stranger, "/away 12-20 @zhao_bz")
    assert stranger.text == texts.AWAY_STAFF_ONLY
    no_one = await say(union, union.reviewer3, "/away 12-20")
    assert no_one.text.startswith(texts.AWAY_NEEDS_STANDIN)
    unknown = await say(union, union.reviewer3, "/away 12-20 @nobody_here")
    assert "找不到 @nobody_here" in unknown.text
    bad = await say(union, union.reviewer3, "/away 13-45 @zhang_xx")
    assert "看不懂日期「13-45」" in bad.text
    not_reviewer = await say(union, union.officer, "/away 12-20 @wang_bj")
    assert "张信息 不担任任何一级审核" in not_reviewer.text
    other = await say(union, union.reviewer2, f"/away @sun_ls {_days(0, 1)} @zhang_xx")
    assert "只有管理员可以为他人安排" in other.text
    nothing = await say(union, union.reviewer3, "/away off")
    assert "孙老师 目前没有代审安排" in nothing.text
    helped = await say(union, union.reviewer3, "/help")
    assert "/away 12-20 @代审人" in helped.text
    admin_help = await say(union, union.admin, "/help")
    assert "/handover 编号 @审核人" in admin_help.text
