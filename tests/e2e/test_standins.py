"""代审 through the real process: while the advisor is away her stand-in gets the card and the
nudges and decides in her name; a stand-in never decides a draft they submitted."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, say, submit_text

NUDGE_SOON = {
    "deadline_clock": "calendar",
    "quiet_hours": "",
    "review_deadline_hours": 0.0008,
    "original_deadline_hours": 0.0008,
    "nudge_interval_hours": 0.0008,
    "max_nudges": 2,
}


@pytest.mark.union_config(reminders=NUDGE_SOON)
async def test_a_stand_in_decides_while_the_advisor_is_away(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    colleague = emu.add_user(2020, "周老师", username="zhou_ls", started=True)
    for person in (colleague, union.reviewer3, union.officer):
        await say(union, person, "/start")
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    last = today + timedelta(days=4)
    done = await say(union, union.admin, f"/away @sun_ls {last.month}-{last.day} @zhou_ls")
    assert f"孙老师 在 {today} 至 {last}" in done.text and "由 周老师 代为审核第 3 级" in done.text
    await emu.wait_for_message(colleague, has_text("代 孙老师 审核第 3 级"))

    # The arrangement outlives a restart: it is a row, not a job.
    await bot.kill()
    await bot.start()
    await submit_text(union, "寒假留校安排\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    card = await card_for(union, colleague, 1, 3, 1)
    nudge = await emu.wait_for_message(colleague, has_text("第 1 次提醒"), timeout=30)
    assert "稿件 #1《寒假留校安排》" in nudge.text
    await approve(colleague, card)
    await emu.wait_for_edit(card, lambda m: "周老师 已通过" in m.text and not m.buttons)
    await emu.wait_for_message(union.channel, has_text("寒假留校安排"))
    # The advisor was spared both the card and the nudge while away.
    assert not [m for m in emu.messages(union.reviewer3) if "稿件 #1" in m.text]
    history = await say(union, union.admin, "/history 1")
    assert "周老师" in history.text and "代 孙老师 审核" in history.text

    # Now the officer stands in; on his own draft he is refused, and the advisor keeps her card.
    replaced = await say(union, union.reviewer3, f"/away {last} @zhang_xx")
    assert "由 张信息 代为审核第 3 级" in replaced.text and "已替换" in replaced.text
    intake = await submit_text(union, "社团招新\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 2, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 2, 2, 1))
    own = await card_for(union, union.reviewer3, 2, 3, 1)
    # The stand-in has no card of tier 3 for his own draft: review data elsewhere is forged.
    forged = await union.officer.tap_forged(intake, "rv:2:1:3:a")
    assert (await forged.wait_answer()).text == texts.INVALID_BUTTON
    await approve(union.reviewer3, own)
    await emu.wait_for_message(union.channel, has_text("社团招新"))
    audit = await say(union, union.admin, "/history 2")
    forged_line = f"张信息 · {texts.ACTIONS['callback.forged']}"
    assert forged_line in audit.text
