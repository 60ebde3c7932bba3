"""Partner reposts in-process: /partner, offers after publication, 已转载, failures, the digest."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import aiosqlite
import pytest
from telegram.ext import Application

from bot import texts
from bot.services import Services
from storage import audit, outbox
from storage import partners as store
from storage.partners import DIGEST_KIND
from tests.e2e.harness import Union, has_text
from tests.e2e.story import approve, card_for, fill_intake, pass_editing, say, submit_text, tap
from tests.emulator import BotApiEmulator, ChatHandle, Message, ScriptedUser
from tests.fixtures_docs import make_docx

QUIET_OFF: dict[str, object] = {"quiet_hours": ""}
pytestmark = pytest.mark.union_config(reminders=QUIET_OFF)


@dataclass
class Partners:
    """Two partner colleges' groups and their staff (not union members)."""

    cs: ChatHandle
    fl: ChatHandle
    cs_staff: ScriptedUser
    cs_other: ScriptedUser
    fl_staff: ScriptedUser


def _partners(union: Union) -> Partners:
    emu = union.emu
    cs_staff = emu.add_user(3001, "计院小王", username="jy_wang")
    cs_other = emu.add_user(3002, "计院小李")
    fl_staff = emu.add_user(3003, "外院小赵")
    cs = emu.add_group(
        -1003000000001, "计算机学院学生会", members=[cs_staff, cs_other, union.admin]
    )
    fl = emu.add_group(-1003000000002, "外国语学院学生会", members=[fl_staff, union.admin])
    return Partners(cs, fl, cs_staff, cs_other, fl_staff)


def _services(app: Application) -> Services:  # type: ignore[type-arg]
    found: Any = app.bot_data["services"]
    assert isinstance(found, Services)
    return found


def _reading(app: Application) -> AbstractAsyncContextManager[aiosqlite.Connection]:  # type: ignore[type-arg]
    return _services(app).db.reading()


def _count(emu: BotApiEmulator, chat: ChatHandle, text: str) -> int:
    """How many messages in ``chat`` contain ``text``."""
    return len([m for m in emu.messages(chat) if text in m.text])


async def _register(union: Union, p: Partners) -> Partners:
    """One partner registered from inside its group, the other by chat id in private."""
    added = await say(union, union.admin, "/partner add 计算机学院学生会", chat=p.cs)
    assert "已登记合作单位 #1「计算机学院学生会」" in added.text
    added = await say(union, union.admin, f"/partner add {p.fl.id} 外国语学院学生会")
    assert "已登记合作单位 #2「外国语学院学生会」" in added.text
    return p


async def _through_review(union: Union, draft_id: int) -> None:
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, draft_id, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, draft_id, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, draft_id, 3, 1))


async def _publish(union: Union, body: str, draft_id: int) -> None:
    """A text draft from submission to the channel."""
    await submit_text(union, body)
    await _through_review(union, draft_id)
    title = body.split("\n", 1)[0]
    await union.emu.wait_for_message(union.channel, has_text(title))


async def _offer(union: Union, chat: ChatHandle, title: str) -> Message:
    return await union.emu.wait_for_message(
        chat, lambda m: texts.BUTTON_REPOSTED in m.button_texts and title in m.text
    )


async def _reposts(app: Application) -> list[store.Repost]:  # type: ignore[type-arg]
    async with _reading(app) as conn:
        rows = await conn.execute_fetchall("SELECT id FROM reposts ORDER BY id")
        found = [await store.repost(conn, int(row[0])) for row in rows]
    return [r for r in found if r is not None]


async def _settled(
    app: Application,  # type: ignore[type-arg]
    count: int,
) -> list[store.Repost]:
    """The offers once ``count`` of them have left ``pending`` (the bot records after sending)."""
    for _ in range(200):
        found = await _reposts(app)
        if len([r for r in found if r.state != "pending"]) >= count:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"offers still pending: {await _reposts(app)}")


async def _actions(app: Application) -> list[str]:  # type: ignore[type-arg]
    async with _reading(app) as conn:
        events = await audit.between(conn, "", "9999")
    return [e.action for e in events if e.action.startswith(("partner.", "repost.", "callback."))]


async def test_partner_commands_refuse_bad_input_and_change_nothing(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    p = _partners(union)
    gone = emu.add_group(-1003000000003, "已移除机器人的群", members=[union.admin])
    gone.remove_bot()
    never = emu.add_group(-1003000000004, "机器人不在的群", members=[union.admin], bot_member=False)
    mute_channel = emu.add_channel(-1003000000005, "外院频道", bot_admin=False)

    assert (await say(union, union.stranger, "/partner list")).text == texts.PARTNER_STAFF_ONLY
    refused = await say(union, union.officer, f"/partner add {p.cs.id} 计院")
    assert refused.text == texts.PARTNER_ADMIN_ONLY
    assert (await say(union, union.admin, "/partner")).text == texts.PARTNER_USAGE
    assert (await say(union, union.admin, "/partner add 计院")).text == texts.PARTNER_NEED_CHAT
    bad = await say(union, union.admin, "/partner add 12345 计院")
    assert "「12345」不是群或频道的 chat id" in bad.text
    assert (await say(union, union.admin, f"/partner add {p.cs.id}")).text == (
        texts.PARTNER_NEED_NAME
    )
    long = await say(union, union.admin, f"/partner add {p.cs.id} {'长' * 41}")
    assert "最多 40 字" in long.text
    own = await say(union, union.admin, f"/partner add {union.tier1.id} 一审群")
    assert "本学生会自己的群或频道" in own.text
    unknown = await say(union, union.admin, "/partner add -1009999999999 不存在的群")
    assert "机器人看不到会话" in unknown.text and "找不到该会话" in unknown.text
    assert "chat not found" not in unknown.text.lower()
    kicked = await say(union, union.admin, f"/partner add {gone.id} 已移除")
    assert "机器人看不到会话" in kicked.text and "机器人已被移出" in kicked.text
    absent = await say(union, union.admin, f"/partner add {never.id} 不在")
    assert "机器人看不到会话" in absent.text
    channel = await say(union, union.admin, f"/partner add {mute_channel.id} 外院频道")
    assert "还不是频道「外院频道」的管理员" in channel.text
    assert (await say(union, union.admin, "/partner list")).text == texts.PARTNER_LIST_EMPTY
    assert await _actions(app) == []

    await _register(union, p)
    again = await say(union, union.admin, "/partner add 另一个名字", chat=p.cs)
    assert "已经是合作单位 #1「计算机学院学生会」" in again.text
    assert "不是合作单位编号" in (await say(union, union.admin, "/partner del 计院")).text
    assert "找不到合作单位「99」" in (await say(union, union.admin, "/partner del 99")).text
    listing = await say(union, union.officer, "/partner list")
    assert "合作单位（2 个）" in listing.text
    assert f"#1 计算机学院学生会 {p.cs.id}" in listing.text
    assert "已推送 0 · 已转载 0 · 待转载 0" in listing.text
    removed = await say(union, union.admin, f"/partner del {p.fl.id}")
    assert "已移除合作单位 #2「外国语学院学生会」" in removed.text
    assert "已经移除了" in (await say(union, union.admin, "/partner del 2")).text
    # Removed from inside the group itself, then restored under the same number.
    assert "已移除合作单位 #1" in (await say(union, union.admin, "/partner del", chat=p.cs)).text
    back = await say(union, union.admin, "/partner add 计院学生会", chat=p.cs)
    assert "已重新启用合作单位 #1「计院学生会」" in back.text
    assert await _actions(app) == [
        "partner.added",
        "partner.added",
        "partner.removed",
        "partner.removed",
        "partner.restored",
    ]
    assert len(emu.errors) == 3 and all(c.method == "getChat" for c in emu.errors)


async def test_a_publication_is_offered_to_each_partner_and_a_tap_is_recorded_once(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    p = await _register(union, _partners(union))
    await _publish(union, "校运会报名开始\n本周五前到体育部报名。", 1)
    offers, posts = {}, {}
    for chat in (p.cs, p.fl):
        post = posts[chat.id] = await emu.wait_for_message(chat, has_text("本周五前到体育部报名"))
        # The post is the channel's: title, category and attribution, no button.
        assert "校运会报名开始" in post.text and "校学生会原创" in post.text
        assert post.buttons == []
        offers[chat.id] = await _offer(union, chat, "校运会报名开始")
        assert offers[chat.id].reply_to is post and "测试大学学生会" in offers[chat.id].text
        assert "校学生会原创" in offers[chat.id].text
    offer, fl_offer = offers[p.cs.id], offers[p.fl.id]
    first, second = await _settled(app, 2)
    assert (first.state, first.chat_id, first.message_id) == ("offered", p.cs.id, offer.message_id)
    assert second.state == "offered" and second.chat_id == p.fl.id

    # A forged tap from the other partner's chat names this offer: refused, nothing changes.
    forged = await p.fl_staff.tap_forged(fl_offer, f"rp:{first.id}")
    assert (await forged.wait_answer()).text == texts.INVALID_BUTTON
    malformed = await p.fl_staff.tap_forged(fl_offer, "rp:abc")
    assert (await malformed.wait_answer()).text == texts.INVALID_BUTTON
    # The offer's data on another message of the right chat (the post itself) is forged too.
    elsewhere = await p.cs_staff.tap_forged(posts[p.cs.id], f"rp:{first.id}")
    assert (await elsewhere.wait_answer()).text == texts.INVALID_BUTTON
    assert (await _reposts(app))[0].state == "offered"

    assert await tap(p.cs_staff, offer, texts.BUTTON_REPOSTED) == texts.REPOST_THANKS
    await emu.wait_for_edit(offer, lambda m: "已转载</b>" in m.html and not m.buttons)
    assert "已转载 · 计院小王 · " in offer.text
    # The button is gone from the card; a client that kept it sends the same data again.
    late = await p.cs_other.tap_forged(offer, f"rp:{first.id}")
    answer = (await late.wait_answer()).text or ""
    assert answer.startswith("已登记过了：计院小王 于 ")
    first, second = await _reposts(app)
    assert first.state == "reposted" and first.reposted_by == p.cs_staff.id
    assert first.reposted_by_name == "计院小王" and second.state == "offered"
    actions = await _actions(app)
    assert actions.count("repost.marked") == 1 and actions.count("callback.forged") == 3
    assert actions.count("repost.queued") == 1

    listing = await say(union, union.admin, "/partner list")
    assert "已推送 1 · 已转载 1 · 待转载 0" in listing.text
    assert "已推送 1 · 已转载 0 · 待转载 1" in listing.text
    # A partner removed later gets no more posts; its old button still records a repost.
    await say(union, union.admin, "/partner del 2")
    await _publish(union, "社团招新\n欢迎加入。", 2)
    await _offer(union, p.cs, "社团招新")
    assert not [m for m in emu.messages(p.fl) if "社团招新" in m.text]
    assert await tap(p.fl_staff, fl_offer, texts.BUTTON_REPOSTED) == texts.REPOST_THANKS
    assert emu.errors == []


async def test_a_partner_that_removed_the_bot_fails_at_once_and_admins_hear_once(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    p = await _register(union, _partners(union))
    p.fl.remove_bot()
    await _publish(union, "第一篇\n正文一", 1)
    await _offer(union, p.cs, "第一篇")
    alert = await emu.wait_for_message(union.admins, has_text("无法送达"))
    assert "合作单位 #2「外国语学院学生会」" in alert.text and "机器人已被移出" in alert.text
    await _publish(union, "第二篇\n正文二", 2)
    await _offer(union, p.cs, "第二篇")
    await _services(app).delivery.flush()
    reposts = await _reposts(app)
    assert [(r.partner_id, r.state) for r in reposts] == [
        (1, "offered"),
        (2, "failed"),
        (1, "offered"),
        (2, "failed"),
    ]
    assert all("kicked" in (r.detail or "") for r in reposts if r.state == "failed")
    # No retry loop: one attempt per post, nothing left in the outbox, one alert.
    to_fl = [c for c in emu.calls if str(c.params.get("chat_id")) == str(p.fl.id)]
    assert [c.method for c in to_fl] == ["getChat", "sendMessage", "sendMessage"]
    async with _reading(app) as conn:
        assert [i.kind for i in await outbox.pending(conn)] == []
    assert _count(emu, union.admins, "无法送达") == 1
    listing = await say(union, union.admin, "/partner list")
    assert "发送失败 2" in listing.text and "机器人无法向该群发送消息" in listing.text

    # The bot is back: the next post goes out and a later outage is reported again.
    p.fl.add_bot()
    await _publish(union, "第三篇\n正文三", 3)
    await _offer(union, p.fl, "第三篇")
    assert "无法向该群" not in (await say(union, union.admin, "/partner list")).text
    p.fl.remove_bot()
    await _publish(union, "第四篇\n正文四", 4)
    await emu.wait_for_message(union.admins, has_text("无法送达"))
    assert _count(emu, union.admins, "无法送达") == 2


@pytest.mark.union_config(retry_seconds=0.5, reminders=QUIET_OFF)
async def test_a_file_post_is_sent_once_when_its_button_message_is_retried(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    p = await _register(union, _partners(union))
    docx = make_docx(["摄影大赛通知", "作品提交截止12月1日。"])
    await union.officer.send_document("摄影大赛.docx", docx)
    intake = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    await fill_intake(union, intake)
    # The button message to one partner fails twice on the network; the file is not resent.
    emu.fail_next("sendMessage", n=2, kind="bad_gateway", chat=p.cs)
    await _through_review(union, 1)
    offer = await _offer(union, p.cs, "摄影大赛通知")
    files = [m for m in emu.messages(p.cs) if m.document is not None]
    assert len(files) == 1 and files[0].document is not None
    assert files[0].document.data == docx and "校学生会原创" in files[0].text
    assert offer.reply_to is files[0]
    assert len([m for m in emu.messages(p.cs) if m.buttons]) == 1
    await _offer(union, p.fl, "摄影大赛通知")
    assert [r.state for r in await _settled(app, 2)] == ["offered", "offered"]


async def test_a_long_post_in_a_group_upgraded_to_a_supergroup_follows_the_group(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    staff = emu.add_user(3101, "体院小孙")
    basic = emu.add_group(-3100, "体育学院学生会", members=[staff, union.admin])
    assert (
        "已登记合作单位 #1" in (await say(union, union.admin, f"/partner add {basic.id} 体院")).text
    )
    upgraded = basic.migrate_to_supergroup(-1003100000000)
    # Within what a user may send, yet with the channel's header it takes two messages.
    body = "长文通知\n" + "这是一段很长的正文。" * 409
    await _publish(union, body, 1)
    offer = await _offer(union, upgraded, "长文通知")
    chunks = [m for m in emu.messages(upgraded) if not m.buttons]
    assert len(chunks) == 2 and "长文通知" in chunks[0].text
    assert offer.reply_to is chunks[0]
    async with _reading(app) as conn:
        partner = await store.get(conn, 1)
    assert partner is not None and partner.chat_id == upgraded.id
    assert "partner.moved" in await _actions(app)
    assert await tap(staff, offer, texts.BUTTON_REPOSTED) == texts.REPOST_THANKS


async def _fire_digest(app: Application, emu: BotApiEmulator) -> int:  # type: ignore[type-arg]
    """Fire the planned digest now; returns the emulator's mark from just before."""
    svc = _services(app)
    mark = emu.mark()
    async with svc.db.transaction() as tx:
        # Due now, under a key of its own: the real key is next week's, planned when it fires.
        await tx.execute(
            "UPDATE reminders SET due_at = ?, key = key || ':now' || id"
            " WHERE kind = ? AND state = 'pending'",
            (svc.db.now(), DIGEST_KIND),
        )
    await svc.scheduler.run_due()
    return mark


async def _digest_rows(app: Application) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    async with _reading(app) as conn:
        rows = await conn.execute_fetchall(
            "SELECT key, state FROM reminders WHERE kind = ? ORDER BY id", (DIGEST_KIND,)
        )
    return [(str(r[0]), str(r[1])) for r in rows]


async def test_the_weekly_digest_lists_what_is_outstanding_and_is_silent_otherwise(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    p = await _register(union, _partners(union))
    # Nothing published yet: nothing is sent, and next week's digest is planned.
    mark = await _fire_digest(app, emu)
    [(key, state), (next_key, next_state)] = await _digest_rows(app)
    assert ":now" in key and state == "skipped" and next_state == "pending"
    assert next_key.startswith("partners:digest:") and "T09:00:00" in next_key
    assert [m for m in emu.bot_messages() if m.seq > mark] == []

    await _publish(union, "读书月活动\n正文", 1)
    await _publish(union, "志愿者招募\n正文", 2)
    first = await _offer(union, p.cs, "读书月活动")
    await _offer(union, p.cs, "志愿者招募")
    await _offer(union, p.fl, "志愿者招募")
    await tap(p.cs_staff, first, texts.BUTTON_REPOSTED)
    for fl_offer in [m for m in emu.messages(p.fl) if m.buttons]:
        await tap(p.fl_staff, fl_offer, texts.BUTTON_REPOSTED)
    mark = await _fire_digest(app, emu)
    digest = await emu.wait_for_message(union.admins, has_text("转载周报"), since=mark)
    assert "1 个合作单位共 1 篇" in digest.text
    assert "#1 计算机学院学生会（1 篇）" in digest.text and "稿件 #2《志愿者招募》" in digest.text
    assert "读书月活动" not in digest.text and "外国语学院" not in digest.text
    reminder = await emu.wait_for_message(p.cs, has_text("待转载内容"), since=mark)
    assert "（1 篇）" in reminder.text and "《志愿者招募》" in reminder.text
    assert [m for m in emu.messages(p.fl) if m.seq > mark] == []
    states = [s for _, s in await _digest_rows(app)]
    assert states == ["skipped", "sent", "pending"]

    # Everything reposted: the next digest sends nothing.
    last = [m for m in emu.messages(p.cs) if m.buttons][-1]
    await tap(p.cs_staff, last, texts.BUTTON_REPOSTED)
    mark = await _fire_digest(app, emu)
    assert [m for m in emu.bot_messages() if m.seq > mark] == []
    assert [s for _, s in await _digest_rows(app)][-2:] == ["skipped", "pending"]


async def test_a_digest_to_a_partner_that_removed_the_bot_is_reported_once(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    p = await _register(union, _partners(union))
    await _publish(union, "迎新晚会\n正文", 1)
    await _offer(union, p.cs, "迎新晚会")
    await _offer(union, p.fl, "迎新晚会")
    p.fl.remove_bot()
    mark = await _fire_digest(app, emu)
    digest = await emu.wait_for_message(union.admins, has_text("转载周报"), since=mark)
    assert "2 个合作单位共 2 篇" in digest.text
    await emu.wait_for_message(p.cs, has_text("待转载内容"), since=mark)
    alert = await emu.wait_for_message(union.admins, has_text("无法送达"), since=mark)
    assert "#2「外国语学院学生会」" in alert.text
    await _fire_digest(app, emu)
    assert _count(emu, union.admins, "无法送达") == 1
    assert _count(emu, union.admins, "转载周报") == 2
