"""SIGKILL while messages wait: each goes out once after the restart; a post caught mid-send waits
for an admin to say whether it appeared, instead of being posted twice."""

from __future__ import annotations

import pytest

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, review_cards, submit_text

pytestmark = pytest.mark.e2e


@pytest.mark.union_config(retry_seconds=0.3)
async def test_killed_while_items_back_off_each_goes_out_once(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    await submit_text(union, "退避中被杀\n正文")
    await pass_editing(union)
    card1 = await card_for(union, union.tier1, 1, 1, 1)
    outage = emu.fail_next("sendMessage", n=10_000, kind="bad_gateway", chat=union.tier2)
    handle = await union.reviewer1.tap(card1, texts.BUTTON_APPROVE)
    await handle.wait_answer()
    # The officer's progress notice goes out; the tier-2 card backs off after failing twice.
    await emu.wait_for(lambda: outage.hits >= 2, what="tier 2's card retried")
    await bot.kill()
    outage.remaining = 0
    await bot.start()
    card2 = await card_for(union, union.tier2, 1, 2, 1)
    await approve(union.reviewer2, card2)
    await card_for(union, union.reviewer3, 1, 3, 1)
    assert len(review_cards(union, union.tier2, 2)) == 1
    progress = [m for m in emu.messages(union.officer) if "第 1 级" in m.text and "通过" in m.text]
    assert len(progress) == 1


async def test_a_post_caught_mid_send_waits_for_an_admin(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    await submit_text(union, "发布中断\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    # The channel takes the post but the answer never comes back, and the bot dies meanwhile.
    hang = emu.fail_next("sendMessage", kind="timeout", chat=union.channel, take_effect=True)
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    await emu.wait_for(lambda: hang.hits == 1, what="the post in flight")
    await bot.kill()
    await bot.start()
    question = await emu.wait_for_message(union.admins, has_text("无法确定频道里是否已经发出"))
    assert "稿件 #1" in question.text
    assert len(emu.messages(union.channel)) == 1
    # An admin looks at the channel, sees the post and says so: recorded, not posted again.
    await union.admin.tap(question, texts.BUTTON_POSTED)
    await emu.wait_for_message(union.officer, has_text("已发布"))
    await union.officer.send_text("/status 1")
    await emu.wait_for_message(union.officer, has_text("已发布"))
    assert len(emu.messages(union.channel)) == 1
