"""The network failing mid-send, and chats the bot cannot reach: nothing is lost or doubled."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.e2e.harness import Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, review_cards, submit_text
from tests.emulator import BotApiEmulator


@pytest.mark.union_config(retry_seconds=0.5)
async def test_a_card_lost_to_the_network_is_sent_on_retry(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await submit_text(union, "网络测试\n正文")
    await pass_editing(union)
    emu.fail_next("sendMessage", n=2, kind="bad_gateway", chat=union.tier2)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    card2 = await card_for(union, union.tier2, 1, 2, 1)
    await approve(union.reviewer2, card2)
    await card_for(union, union.reviewer3, 1, 3, 1)
    assert len(review_cards(union, union.tier2, 2)) == 1


@pytest.mark.union_config(retry_seconds=0.5)
async def test_a_send_whose_answer_was_lost_is_not_repeated_into_a_loop(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await submit_text(union, "丢失应答\n正文")
    await pass_editing(union)
    # Telegram posts the card but the answer never reaches the bot: it sends it once more.
    emu.fail_next("sendMessage", kind="disconnect", chat=union.tier2, take_effect=True)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await emu.wait_for(
        lambda: len(review_cards(union, union.tier2, 2)) == 2,
        what="the card re-sent once",
    )
    first, second = review_cards(union, union.tier2, 2)
    # Both copies carry the same buttons; the first tap decides, the other is told so.
    await approve(union.reviewer2, second)
    late = await union.reviewer2.tap(first, "✅ 通过")
    assert "已通过" in ((await late.wait_answer()).text or "")
    await card_for(union, union.reviewer3, 1, 3, 1)


async def test_an_advisor_who_blocked_the_bot_is_reported_to_the_admins(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    union.reviewer3.block_bot()
    await submit_text(union, "屏蔽测试\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    alert = await emu.wait_for_message(union.admins, has_text("屏蔽了机器人"))
    # In Chinese, naming her and the fix; no raw Bot API text reaches anyone.
    assert "稿件 #1" in alert.text and union.reviewer3.name in alert.text
    assert "解除屏蔽" in alert.text and "Forbidden" not in alert.text
    assert emu.messages(union.channel) == []
    # She unblocks the bot: the card that waited for her arrives, once, and she can decide.
    union.reviewer3.unblock_bot()
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    await emu.wait_for(lambda: len(emu.messages(union.channel)) == 1, what="published once")
    cards = review_cards(union, union.reviewer3, 3)
    assert len(cards) == 1
    assert len([m for m in emu.messages(union.admins) if "屏蔽了机器人" in m.text]) == 1
