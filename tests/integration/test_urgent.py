"""Urgent drafts (article 10): every tier hears at once, decisions stay in order."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from telegram.ext import Application

from bot import texts
from storage.models import CATEGORIES
from tests.e2e.harness import Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, say, submit_text, tap
from tests.emulator import BotApiEmulator

QUIET = {"quiet_hours": "", "deadline_clock": "calendar"}


async def _stall_rows(app: Application, draft_id: int) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    db = app.bot_data["services"].db
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT key, state, due_at FROM reminders WHERE kind = 'stall' AND draft_id = ?"
            " ORDER BY key",
            (draft_id,),
        )
    return [(row[0], row[1], row[2]) for row in rows]


@pytest.mark.union_config(reminders=QUIET)
async def test_an_urgent_submission_alerts_every_tier_but_decisions_stay_in_order(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    officer = union.officer
    await officer.send_text("突发：暴雨停课通知\n明天全校停课。")
    card = await emu.wait_for_message(officer, has_text("请用下面的按钮"))
    assert "紧急：否" in card.text
    await tap(officer, card, CATEGORIES[0])
    await tap(officer, card, texts.BUTTON_SCHOOL)
    await tap(officer, card, texts.BUTTON_NOT_ORIGINAL)
    await tap(officer, card, texts.BUTTON_URGENT)
    await emu.wait_for_edit(card, lambda m: "紧急：是" in m.text)
    await tap(officer, card, texts.BUTTON_CONFIRM)

    editing = await emu.wait_for_message(union.editors, has_text("待排版"))
    assert "紧急稿件" in editing.text
    # Tiers 1 and 2 (groups) and the advisor (privately) are told before any card reaches them.
    heads_ups = {}
    for chat in (union.tier1, union.tier2, union.reviewer3):
        heads_up = await emu.wait_for_message(chat, has_text("紧急稿件预告"))
        assert "#1《突发：暴雨停课通知》" in heads_up.text and "2 小时" in heads_up.text
        assert heads_up.buttons == []
        heads_ups[chat.id] = heads_up
    # The nudges follow the urgent deadline on the plain clock: two hours after the stage began.
    rows = await _stall_rows(app, 1)
    assert [key for key, _, _ in rows][:2] == ["stall:1:1:editing:u1", "stall:1:1:editing:u2"]
    first_due = datetime.fromisoformat(rows[0][2])
    second_due = datetime.fromisoformat(rows[1][2])
    assert second_due - first_due == timedelta(hours=1)

    await tap(union.editor, editing, texts.BUTTON_CLAIM)
    await emu.wait_for_edit(editing, lambda m: texts.BUTTON_SEND in m.button_texts)
    await tap(union.editor, editing, texts.BUTTON_SEND)
    card1 = await card_for(union, union.tier1, 1, 1, 1)
    assert "紧急稿件" in card1.text
    # Tier 2 was alerted, yet cannot decide before tier 1: there is no card, and a forged tap fails.
    forged = await union.reviewer2.tap_forged(heads_ups[union.tier2.id], "rv:1:1:2:a")
    answer = await forged.wait_answer()
    assert answer.text == texts.INVALID_BUTTON
    await approve(union.reviewer1, card1)
    card2 = await card_for(union, union.tier2, 1, 2, 1)
    assert "紧急稿件" in card2.text
    # Only one heads-up per chat: a retry of the outbox never repeats it.
    assert len([m for m in emu.messages(union.tier2) if "紧急稿件预告" in m.text]) == 1


@pytest.mark.union_config(
    reminders={**QUIET, "urgent_deadline_hours": 0.0008, "urgent_nudge_interval_hours": 0.0008}
)
async def test_an_urgent_draft_is_nudged_within_its_short_deadline(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "普通稿件\n正文")
    await pass_editing(union)
    await card_for(union, union.tier1, 1, 1, 1)
    # The ordinary deadline is a working day away; flagging it urgent makes it due at once.
    done = await say(union, union.admin, "/urgent 1")
    assert "已将稿件 #1《普通稿件》标记为紧急" in done.text
    nudge = await emu.wait_for_message(union.tier1, has_text("第 1 次提醒"), timeout=30)
    assert "紧急" in nudge.text and "稿件 #1《普通稿件》" in nudge.text
    rows = await _stall_rows(app, 1)
    ordinary = [
        state for key, state, _ in rows if key.startswith("stall:1:1:review_1:") and ":u" not in key
    ]
    assert ordinary and set(ordinary) == {"skipped"}


@pytest.mark.union_config(reminders=QUIET)
async def test_admins_flag_later_and_only_admins_before_approval(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "校园十佳歌手\n决赛通知")
    await pass_editing(union)
    card1 = await card_for(union, union.tier1, 1, 1, 1)
    assert "紧急稿件" not in card1.text

    await emu.wait_for_message(union.officer, has_text("已由 王编辑 排版并送审"))
    refused = await say(union, union.officer, "/urgent 1")
    assert "只有管理员可以这样做" in refused.text
    usage = await say(union, union.admin, "/urgent")
    assert "用法：/urgent 稿件编号" in usage.text
    missing = await say(union, union.admin, "/urgent 99")
    assert "找不到这份稿件" in missing.text

    done = await say(union, union.admin, "/urgent 1")
    assert "标记为紧急" in done.text
    # Tier 1 holds the card: it is refreshed with the flag; tiers 2 and 3 get the heads-up.
    await emu.wait_for_edit(card1, lambda m: "紧急稿件" in m.text)
    await emu.wait_for_message(union.tier2, has_text("紧急稿件预告"))
    await emu.wait_for_message(union.reviewer3, has_text("紧急稿件预告"))
    told = await emu.wait_for_message(union.officer, has_text("已被 李管理 标记为紧急"))
    assert "#1《校园十佳歌手》" in told.text
    again = await say(union, union.admin, "/urgent 1")
    assert "已经是这个状态" in again.text
    cleared = await say(union, union.admin, "/urgent 1 取消")
    assert "已取消稿件 #1《校园十佳歌手》的紧急标记" in cleared.text
    await emu.wait_for_edit(card1, lambda m: "紧急稿件" not in m.text)

    db = app.bot_data["services"].db
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT detail FROM audit WHERE action = 'draft.urgent' ORDER BY id"
        )
        refusals = await conn.execute_fetchall(
            "SELECT detail FROM audit WHERE action = 'review.refused'"
        )
    assert [row[0] for row in rows] == ['{"urgent": true}', '{"urgent": false}']
    assert any("not_admin" in row[0] for row in refusals)

    await approve(union.reviewer1, card1)
    card2 = await card_for(union, union.tier2, 1, 2, 1)
    await approve(union.reviewer2, card2)
    card3 = await card_for(union, union.reviewer3, 1, 3, 1)
    await approve(union.reviewer3, card3)
    await emu.wait_for_message(union.channel, has_text("校园十佳歌手"))
    closed = await say(union, union.admin, "/urgent 1")
    assert "不能再操作" in closed.text
