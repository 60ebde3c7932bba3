"""/jubao: a member reports a group message, the admins get it, an admin marks it handled."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from telegram.ext import Application

from bot import texts
from bot.services import Services
from tests.e2e.harness import Union, has_text
from tests.e2e.story import say, tap
from tests.emulator import BotApiEmulator, Message

RUMOUR = "明天全校停课！<转发扩散>"


def _services(app: Application) -> Services:  # type: ignore[type-arg]
    found = app.bot_data["services"]
    assert isinstance(found, Services)
    return found


async def _actions(app: Application) -> list[str]:  # type: ignore[type-arg]
    async with _services(app).db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT action FROM audit WHERE action LIKE 'report.%' OR action = 'callback.forged'"
            " ORDER BY id"
        )
    return [row[0] for row in rows]


async def _actions_when(
    app: Application,  # type: ignore[type-arg]
    ready: Callable[[list[str]], bool],
) -> list[str]:
    """The report actions once ``ready`` holds (deliveries finish after the bot's answer)."""
    for _ in range(200):
        actions = await _actions(app)
        if ready(actions):
            return actions
        await asyncio.sleep(0.05)
    return actions


async def _rumour(union: Union, text: str = RUMOUR) -> Message:
    """A stranger posts something false in the tier-1 group (the bot does not see it)."""
    return await union.stranger.send_text(text, chat=union.tier1)


async def _report(union: Union, target: Message, command: str = "/jubao 造谣") -> Message:
    """The officer replies to ``target`` with ``command``; returns the bot's answer."""
    return await say(union, union.officer, command, chat=target.chat, reply_to=target)


async def test_a_report_reaches_the_admins_and_the_button_closes_it(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await say(union, union.officer, "/start")  # so the bot may tell her privately later
    rumour = await _rumour(union)
    ack = await _report(union, rumour)
    assert ack.text == texts.JUBAO_FILED.format(id=1)
    assert ack.reply_to is not None and ack.reply_to.text.startswith("/jubao")
    assert "停课" not in ack.text

    card = await emu.wait_for_message(union.admins, has_text("举报 #1"))
    assert "群聊：一审群（部门负责人）" in card.text and "理由：造谣" in card.text
    assert "举报人：张信息" in card.text and "发送人：路人甲 @passerby" in card.text
    assert RUMOUR in card.text and "<转发扩散>" in card.text
    link = f"https://t.me/c/2000000002/{rumour.message_id}"
    assert link in card.text
    assert any(e.get("url") == link for e in card.entities)
    assert any(e.get("type") == "blockquote" for e in card.entities)
    assert card.buttons == [[(texts.BUTTON_JUBAO_HANDLED, "jb:1")]]

    # Someone in the admins' chat who is not an admin cannot close it.
    union.admins.add_member(union.editor)
    assert await tap(union.editor, card, texts.BUTTON_JUBAO_HANDLED) == texts.JUBAO_ADMIN_ONLY
    assert card.buttons and card.text.endswith(texts.JUBAO_STATUS_OPEN)

    answer = await tap(union.admin, card, texts.BUTTON_JUBAO_HANDLED)
    assert answer == texts.JUBAO_HANDLED.format(id=1, also="")
    await emu.wait_for_edit(card, lambda m: "✅ 已由 李管理 于" in m.text and not m.buttons)
    notice = await emu.wait_for_message(union.officer, has_text("已由管理员处理"))
    assert notice.text == texts.JUBAO_NOTICE.format(id=1, chat="一审群（部门负责人）")
    assert await _actions_when(app, lambda a: "report.notified" in a) == [
        "report.filed",
        "report.card_sent",
        "report.refused",
        "report.handled",
        "report.notified",
    ]
    assert emu.errors == []


async def test_wrong_uses_get_clear_answers_and_change_nothing(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    rumour = await _rumour(union)
    usage = await say(union, union.officer, "/jubao", chat=union.tier1)
    assert usage.text.startswith("用法：在群里回复要举报的消息")
    assert "管理员：" not in usage.text
    stranger = await say(
        union, union.stranger, "/jubao 我也举报", chat=union.tier1, reply_to=rumour
    )
    assert stranger.text == texts.JUBAO_NOT_MEMBER
    bot_said = await _report(union, usage)
    assert bot_said.text == texts.JUBAO_BOT_MESSAGE
    too_long = await _report(union, rumour, "/jubao " + "长" * 201)
    assert too_long.text == texts.JUBAO_REASON_TOO_LONG.format(limit=200, length=201)

    assert (await _report(union, rumour)).text == texts.JUBAO_FILED.format(id=1)
    again = await _report(union, rumour, "/jubao 再举报一次")
    assert again.text == texts.JUBAO_DUPLICATE_OPEN.format(id=1)

    private = await say(union, union.officer, "/jubao")
    assert private.text.startswith("用法：") and "管理员：" not in private.text
    assert (await say(union, union.officer, "/jubao done 1")).text == texts.JUBAO_ADMIN_ONLY
    assert (await say(union, union.admin, "/jubao done 一")).text == texts.JUBAO_DONE_USAGE
    assert (await say(union, union.admin, "/jubao done")).text == texts.JUBAO_DONE_USAGE
    missing = await say(union, union.admin, "/jubao done 99")
    assert missing.text == texts.JUBAO_NOT_FOUND.format(id=99)
    long_note = await say(union, union.admin, "/jubao done 1 " + "注" * 201)
    assert long_note.text == texts.JUBAO_NOTE_TOO_LONG.format(limit=200, length=201)

    card = await emu.wait_for_message(union.admins, has_text("举报 #1"))
    for data in ("jb:999", "jb:x", "jb:1:1"):
        handle = await union.admin.tap_forged(card, data)
        assert (await handle.wait_answer()).text == texts.INVALID_BUTTON
    # A genuine report number on a message that is not its card is forged too.
    other = await union.admin.send_text("随便一条消息", chat=union.admins)
    handle = await union.admin.tap_forged(other, "jb:1")
    assert (await handle.wait_answer()).text == texts.INVALID_BUTTON

    listing = await say(union, union.admin, "/jubao")
    assert "1 条" in listing.text and "#1 " in listing.text
    assert card.buttons
    assert await _actions(app) == [
        "report.refused",  # not a member
        "report.refused",  # the bot's own message
        "report.refused",  # reason too long
        "report.filed",
        "report.card_sent",
        "report.refused",  # reported twice
        "report.refused",  # /jubao done by a non-admin
        "callback.forged",
        "callback.forged",
        "callback.forged",
        "callback.forged",
    ]


async def test_admins_list_open_reports_and_close_one_by_command(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    basic = emu.add_group(-4012345, "2026级新生群", members=[union.officer, union.stranger])
    old_post = await union.stranger.send_text("加群领取补贴，扫码转账即可", chat=basic)
    assert (await _report(union, old_post, "/jubao 欺诈")).text == texts.JUBAO_FILED.format(id=1)
    rumour = await _rumour(union)
    assert (await _report(union, rumour)).text == texts.JUBAO_FILED.format(id=2)
    # A second member reports the same message: its own number, closed together with #2.
    union.tier1.add_member(union.editor)
    by_editor = await say(union, union.editor, "/jubao", chat=union.tier1, reply_to=rumour)
    assert by_editor.text == texts.JUBAO_FILED.format(id=3)

    first_card = await emu.wait_for_message(union.admins, has_text("举报 #1"))
    assert "该群是普通群" in first_card.text and "扫码转账" in first_card.text
    assert "t.me" not in first_card.text
    third = await emu.wait_for_message(union.admins, has_text("举报 #3"))
    assert "同一消息的其他待处理举报：#2" in third.text and "理由：（未填写）" in third.text

    listing = await say(union, union.admin, "/jubao")
    lines = listing.text.split("\n")
    assert "3 条" in lines[0]
    assert lines[1].startswith("#1 · 0 分钟前 · 2026级新生群 · 举报人 张信息 · 理由：欺诈")
    assert "普通群，无链接；摘录：加群领取补贴" in lines[2]
    assert lines[3].startswith("#2 ") and "t.me/c/2000000002/" in lines[4]
    assert lines[5].startswith("#3 ") and "举报人 王编辑" in lines[5]
    in_admins = await say(union, union.admin, "/jubao", chat=union.admins)
    assert in_admins.text == listing.text
    in_group = await say(union, union.admin, "/jubao", chat=union.tier2)
    assert in_group.text.startswith("用法：") and "管理员：" in in_group.text

    second_card = await emu.wait_for_message(union.admins, has_text("举报 #2"))
    done = await say(union, union.admin, "/jubao done #2 已删除并提醒发送人")
    assert done.text == texts.JUBAO_HANDLED.format(id=2, also=texts.JUBAO_ALSO.format(ids="#3"))
    for card in (second_card, third):
        await emu.wait_for_edit(card, lambda m: "备注：已删除并提醒发送人" in m.text)
        assert not card.buttons
    assert first_card.buttons
    remaining = await say(union, union.admin, "/jubao")
    assert "1 条" in remaining.text and "#2" not in remaining.text and "#1 " in remaining.text
    again = await say(union, union.admin, "/jubao done 3")
    assert again.text.startswith("举报 #3 已由 李管理 于")
    repeat = await _report(union, rumour)
    assert repeat.text.startswith("你已经举报过这条消息（举报 #2），管理员已于")

    # Neither reporter ever opened a private chat with the bot: logged, nothing else fails.
    actions = await _actions_when(app, lambda a: a.count("report.notice_failed") == 2)
    assert actions.count("report.notice_failed") == 2 and "report.notified" not in actions
    assert not [m for m in emu.messages(union.admins) if "发送失败" in m.text]


@pytest.mark.union_config(admins_chat=False, retry_seconds=0.5)
async def test_without_an_admins_chat_each_admin_gets_the_card_privately(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await say(union, union.admin, "/start")
    await say(union, union.reviewer2, "/start")
    # Two more admins: one the network fails once, one who never opened a chat with the bot.
    for who in (union.reviewer2, union.editor):
        added = await say(union, union.admin, f"/role add {who.id} admin")
        assert "添加角色" in added.text
    emu.fail_next("sendMessage", kind="bad_gateway", chat=union.reviewer2)
    rumour = await _rumour(union)
    assert (await _report(union, rumour)).text == texts.JUBAO_FILED.format(id=1)
    card = await emu.wait_for_message(union.admin, has_text("举报 #1"))
    late = await emu.wait_for_message(union.reviewer2, has_text("举报 #1"), timeout=15)
    assert card.buttons == late.buttons == [[(texts.BUTTON_JUBAO_HANDLED, "jb:1")]]
    assert not [m for m in emu.messages(union.admins) if "举报" in m.text]
    # The retry skipped the admin who already had the card.
    assert len([m for m in emu.messages(union.admin) if "举报 #1" in m.text]) == 1
    await tap(union.reviewer2, late, texts.BUTTON_JUBAO_HANDLED)
    for copy in (card, late):
        await emu.wait_for_edit(copy, lambda m: "已由 钱主席" in m.text and not m.buttons)
    actions = await _actions_when(app, lambda a: "report.notice_failed" in a)
    assert actions[0] == "report.filed" and actions[-2:] == [
        "report.handled",
        "report.notice_failed",
    ]
    assert actions.count("report.card_sent") == 2 and "report.card_failed" in actions


@pytest.mark.union_config(retry_seconds=0.5)
async def test_a_card_lost_to_the_network_is_sent_once_on_retry(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    emu.fail_next("sendMessage", n=2, kind="bad_gateway", chat=union.admins)
    rumour = await _rumour(union)
    assert (await _report(union, rumour)).text == texts.JUBAO_FILED.format(id=1)
    card = await emu.wait_for_message(union.admins, has_text("举报 #1"), timeout=15)
    emu.fail_next("editMessageText", n=1, kind="disconnect", chat=union.admins)
    await tap(union.admin, card, texts.BUTTON_JUBAO_HANDLED)
    await emu.wait_for_edit(card, lambda m: "已由 李管理" in m.text, timeout=15)
    assert len([m for m in emu.messages(union.admins) if "举报 #1" in m.text]) == 1
    assert (await _actions(app)).count("report.card_sent") == 1
