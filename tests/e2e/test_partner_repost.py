"""Partner reposts in the real process: offers, 已转载, a partner that left, the weekly digest."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text, write_config
from tests.e2e.story import approve, card_for, pass_editing, say, submit_text, tap
from tests.emulator import Message

SHANGHAI = ZoneInfo("Asia/Shanghai")
QUIET_OFF: dict[str, object] = {"quiet_hours": ""}


async def _publish(union: Union, body: str, draft_id: int) -> Message:
    await submit_text(union, body)
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, draft_id, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, draft_id, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, draft_id, 3, 1))
    return await union.emu.wait_for_message(union.channel, has_text(body.split("\n")[0]))


def _offers(messages: list[Message]) -> list[Message]:
    return [m for m in messages if "欢迎转载" in m.text]


@pytest.mark.union_config(reminders=QUIET_OFF)
async def test_partners_get_posts_record_reposts_and_a_weekly_digest(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    wang = emu.add_user(3001, "计院小王")
    li = emu.add_user(3002, "计院小李")
    zhao = emu.add_user(3003, "外院小赵")
    cs = emu.add_group(-1003000000001, "计算机学院学生会", members=[wang, li, union.admin])
    fl = emu.add_group(-1003000000002, "外国语学院学生会", members=[zhao, union.admin])

    # An admin registers one partner inside its group, the other by chat id in private.
    added = await say(union, union.admin, "/partner add 计算机学院学生会", chat=cs)
    assert "已登记合作单位 #1「计算机学院学生会」" in added.text
    unseen = await say(union, union.admin, "/partner add -1003000000099 不存在的群")
    assert "机器人看不到会话" in unseen.text and "没有做任何改动" in unseen.text
    added = await say(union, union.admin, f"/partner add {fl.id} 外国语学院学生会")
    assert "已登记合作单位 #2" in added.text
    # The foreign-languages college removes the bot before anything is published.
    fl.remove_bot()

    # A post goes through three tiers to the channel; the partner gets it with a button.
    channel_post = await _publish(union, "秋季运动会通知\n11月28日在东区田径场举行。", 1)
    assert "校学生会原创" in channel_post.text
    post = await emu.wait_for_message(cs, has_text("11月28日在东区田径场举行"))
    offer = await emu.wait_for_message(cs, lambda m: texts.BUTTON_REPOSTED in m.button_texts)
    assert post.text == channel_post.text and offer.reply_to is post
    assert "《秋季运动会通知》" in offer.text and "注明来源「测试大学学生会」" in offer.text
    alert = await emu.wait_for_message(union.admins, has_text("无法送达"))
    assert "合作单位 #2「外国语学院学生会」" in alert.text and "不会重试" in alert.text

    # Anyone in the partner's group may press 已转载; a second press is told who did.
    assert await tap(wang, offer, texts.BUTTON_REPOSTED) == texts.REPOST_THANKS
    await emu.wait_for_edit(offer, lambda m: "已转载 · 计院小王 · " in m.text and not m.buttons)
    again = await li.tap_forged(offer, "rp:1")
    assert ((await again.wait_answer()).text or "").startswith("已登记过了：计院小王")

    # A second post: offered again; the partner that left is not retried, admins told once.
    await _publish(union, "图书馆延长开放\n考试周开放至23点。", 2)
    second = await emu.wait_for_message(
        cs, lambda m: texts.BUTTON_REPOSTED in m.button_texts and "图书馆延长开放" in m.text
    )
    listing = await say(union, union.admin, "/partner list")
    assert "#1 计算机学院学生会" in listing.text
    assert "已推送 2 · 已转载 1 · 待转载 1" in listing.text
    assert "已推送 0 · 已转载 0 · 待转载 0 · 发送失败 2" in listing.text
    assert "机器人无法向该群发送消息" in listing.text
    assert len([m for m in emu.messages(union.admins) if "无法送达" in m.text]) == 1
    assert [m for m in emu.messages(fl) if m.from_bot] == []

    # The admins set the digest to a moment from now and restart the bot (SIGKILL).
    await bot.kill()
    due = (datetime.now(SHANGHAI) + timedelta(seconds=25)).replace(microsecond=0)
    spec = f"周{texts.WEEKDAYS[due.weekday()]} {due:%H:%M:%S}"
    write_config(union, bot.config, reminders=QUIET_OFF, partner_digest=spec)
    await bot.start()
    digest = await emu.wait_for_message(union.admins, has_text("转载周报"), timeout=90)
    assert datetime.fromtimestamp(digest.date, SHANGHAI) >= due - timedelta(seconds=1)
    assert "1 个合作单位共 1 篇" in digest.text
    assert "#1 计算机学院学生会（1 篇）" in digest.text and "《图书馆延长开放》" in digest.text
    assert "秋季运动会通知" not in digest.text
    reminder = await emu.wait_for_message(cs, has_text("待转载内容"))
    assert "《图书馆延长开放》" in reminder.text and "（1 篇）" in reminder.text

    # Pressing the remaining button settles it; the restart repeated no offer.
    assert await tap(li, second, texts.BUTTON_REPOSTED) == texts.REPOST_THANKS
    await emu.wait_for_edit(second, lambda m: "已转载 · 计院小李 · " in m.text)
    assert len(_offers(emu.messages(cs))) == 2
    assert [m for m in emu.messages(fl) if m.from_bot] == []

    def stored() -> tuple[list[tuple[object, ...]], list[str]]:
        with sqlite3.connect(bot.db) as conn:
            rows = conn.execute(
                "SELECT partner_id, draft_id, state, reposted_by_name FROM reposts ORDER BY id"
            ).fetchall()
            digests = conn.execute(
                "SELECT state FROM reminders WHERE kind = 'partner_digest' ORDER BY id"
            ).fetchall()
        return rows, [d[0] for d in digests]

    # The digest job settles its row (and plans next week's) just after its last message.
    for _ in range(200):
        rows, digests = stored()
        if "sending" not in digests and len(digests) == 3:
            break
        await asyncio.sleep(0.05)
    assert rows == [
        (1, 1, "reposted", "计院小王"),
        (2, 1, "failed", None),
        (1, 2, "reposted", "计院小李"),
        (2, 2, "failed", None),
    ]
    # Monday's default digest was replaced by the new schedule; next week's is planned.
    assert digests == ["skipped", "sent", "pending"]
