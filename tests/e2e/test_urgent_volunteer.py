"""A volunteer's urgent draft: every tier is alerted at once, reviewed in order, published as
the union's own (articles 10 and 12), through the real process."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot import texts
from storage.models import CATEGORIES
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, say, tap


@pytest.mark.union_config(reminders={"quiet_hours": ""})
async def test_a_volunteers_urgent_draft_reaches_the_channel_as_the_unions(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    volunteer = emu.add_user(2010, "周志愿", username="zhou_zy")
    last_day = (date.today() + timedelta(days=20)).isoformat()
    added = await say(union, union.admin, f"/role add 2010 志愿者 {last_day} 周志愿")
    assert f"志愿期至 {last_day}" in added.text

    await volunteer.send_text("突发：图书馆临时闭馆\n今晚 8 点起闭馆检修。")
    card = await emu.wait_for_message(volunteer, has_text("请用下面的按钮"))
    assert "校学生会（志愿者供稿" in card.text and texts.BUTTON_COLLEGE not in card.button_texts
    await tap(volunteer, card, CATEGORIES[0])
    await tap(volunteer, card, texts.BUTTON_NOT_ORIGINAL)
    await tap(volunteer, card, texts.BUTTON_URGENT)
    await tap(volunteer, card, texts.BUTTON_CONFIRM)
    await emu.wait_for_edit(card, lambda m: "已提交" in m.text)

    # Article 10: all three tiers hear of it at once; none has a button to skip ahead.
    for chat in (union.tier1, union.tier2, union.reviewer3):
        heads_up = await emu.wait_for_message(chat, has_text("紧急稿件预告"))
        assert "图书馆临时闭馆" in heads_up.text and not heads_up.buttons
    editing = await pass_editing(union)
    assert "紧急稿件" in editing.text
    card1 = await card_for(union, union.tier1, 1, 1, 1)
    assert "紧急稿件" in card1.text
    await approve(union.reviewer1, card1)
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))

    post = await emu.wait_for_message(union.channel, has_text("图书馆临时闭馆"))
    # The union's, and not claimed as original: the volunteer said it is not.
    header = post.text.splitlines()[1]
    assert header.endswith(texts.CHANNEL_ATTR_UNION) and "原创" not in header
    assert "志愿者" not in post.text
    pending = await say(union, union.admin, "/history 1")
    assert "周志愿" in pending.text
