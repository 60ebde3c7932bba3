"""Stalled drafts are nudged, then escalated to the admins; nudges stop once the draft moves."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import Application

from tests.e2e.harness import Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, submit_text
from tests.emulator import BotApiEmulator

FAST = {
    "deadline_clock": "calendar",
    "quiet_hours": "",
    "review_deadline_hours": 0.0008,
    "original_deadline_hours": 0.0008,
    "nudge_interval_hours": 0.0008,
    "max_nudges": 3,
}


@pytest.mark.union_config(reminders=FAST)
async def test_a_stalled_review_is_nudged_then_escalated_then_stops(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await submit_text(union, "长期未审\n正文")
    await pass_editing(union)
    card = await card_for(union, union.tier1, 1, 1, 1)
    first = await emu.wait_for_message(union.tier1, has_text("第 1 次提醒"), timeout=30)
    assert "稿件 #1《长期未审》在第 1 级审核（部门负责人）已等待" in first.text
    await emu.wait_for_message(union.tier1, has_text("第 2 次提醒"), timeout=30)
    escalated = await emu.wait_for_message(union.admins, has_text("请管理员协调"), timeout=30)
    assert "稿件 #1" in escalated.text
    await approve(union.reviewer1, card)
    card2 = await card_for(union, union.tier2, 1, 2, 1)
    # Tier 2 now gets its own nudges; tier 1 gets none beyond those already due.
    await emu.wait_for_message(union.tier2, has_text("第 1 次提醒"), timeout=30)
    tier1_nudges = [m for m in emu.messages(union.tier1) if "次提醒" in m.text]
    assert len(tier1_nudges) <= 3
    await approve(union.reviewer2, card2)
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    await emu.wait_for_message(union.channel, has_text("长期未审"))
    assert emu.errors == []


@pytest.mark.union_config(reminders={**FAST, "quiet_hours": "00:00-23:59"})
async def test_nudges_due_in_quiet_hours_wait_for_the_morning(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await submit_text(union, "夜间稿件\n正文")
    await pass_editing(union)
    await card_for(union, union.tier1, 1, 1, 1)
    db = app.bot_data["services"].db
    morning = datetime.now(UTC) + timedelta(minutes=1)

    async def postponed() -> bool:
        async with db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT due_at FROM reminders WHERE key LIKE 'stall:1:1:review_1:%'"
            )
        return any(datetime.fromisoformat(r[0]) > morning for r in rows)

    for _ in range(200):
        if await postponed():
            break
        await asyncio.sleep(0.05)
    assert await postponed()
    assert not [m for m in emu.messages(union.tier1) if "次提醒" in m.text]
    # Stored as UTC text, or SQL's text comparison of due times would put them hours off.
    async with db.reading() as conn:
        stored = await conn.execute_fetchall("SELECT due_at FROM reminders")
    assert all(row[0].endswith("+00:00") for row in stored)


@pytest.mark.union_config(reminders={**FAST, "review_deadline_hours": 0.002})
async def test_a_group_that_removed_the_bot_fails_once_and_the_admins_hear_once(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "无人审核\n正文")
    await pass_editing(union)
    await card_for(union, union.tier1, 1, 1, 1)
    union.tier1.remove_bot()
    alert = await emu.wait_for_message(union.admins, has_text("无法向会话"), timeout=60)
    assert str(union.tier1.id) in alert.text
    db = app.bot_data["services"].db

    async def settled() -> list[str]:
        async with db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT state FROM reminders WHERE key LIKE 'stall:1:1:review_1:%' ORDER BY key"
            )
        return [row[0] for row in rows]

    for _ in range(1200):
        # "sending" is the moment between claiming a row and settling it.
        if not {"pending", "sending"} & set(await settled()):
            break
        await asyncio.sleep(0.05)
    assert await settled() == ["failed", "failed", "failed"]
    alerts = [m for m in emu.messages(union.admins) if "无法向会话" in m.text]
    assert len(alerts) == 1


async def test_a_reminder_due_during_a_stalled_loop_still_fires_at_once(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    import time

    from storage import reminders

    svc = app.bot_data["services"]
    fired: list[str] = []

    async def record(reminder: object) -> str:
        fired.append(getattr(reminder, "key", ""))
        return "sent"

    svc.scheduler.handlers["probe"] = record
    due = datetime.now(UTC) + timedelta(seconds=0.3)
    async with svc.db.transaction() as tx:
        await reminders.add(tx, "probe", "probe:1", due.isoformat(timespec="microseconds"))
    await svc.scheduler.arm()
    # A blocked loop (a long GC pause, a stolen CPU) carries the due time past by over a second.
    time.sleep(1.5)  # noqa: ASYNC251 - the stall is the point of the test
    for _ in range(100):
        if fired:
            break
        await asyncio.sleep(0.05)
    assert fired == ["probe:1"]
