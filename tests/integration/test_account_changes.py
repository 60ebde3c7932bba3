"""Account-change notices (article 16) in chat: the wizard, bad input, notices, the list,
cancelling, and the reminder on the last working day before a change takes effect."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, timedelta

import pytest
from telegram.ext import Application

from bot import texts
from bot.account_changes.rules import NoticeRule, day_text, reminder_key
from bot.clock.workdays import SHANGHAI, UNKNOWN_YEAR_NOTE, WorkCalendar
from bot.services import Services
from storage.db import stored_time
from tests.e2e.harness import Union, has_text
from tests.e2e.story import say, tap
from tests.emulator import BotApiEmulator, Message, ScriptedUser

ACCOUNTS = ["微信公众号「测试学生会」", "微博「测试学生会」"]
RULE = NoticeRule(WorkCalendar())
QUIET_OFF = {"quiet_hours": ""}


def today() -> date:
    return datetime.now(SHANGHAI).date()


def services(app: Application) -> Services:  # type: ignore[type-arg]
    found = app.bot_data["services"]
    assert isinstance(found, Services)
    return found


async def tap_then(union: Union, user: ScriptedUser, message: Message, button: str) -> Message:
    """Tap a button and return the next message the bot sends ``user``."""
    mark = union.emu.mark()
    await tap(user, message, button)
    return await union.emu.wait_for_message(user, since=mark)


async def rows(app: Application, sql: str) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
    async with services(app).db.reading() as conn:
        return [tuple(r) for r in await conn.execute_fetchall(sql)]


async def fire_reminder(app: Application, key: str) -> None:  # type: ignore[type-arg]
    """Make the reminder due now and wait until it is settled.

    A timer-driven pass (the outbox retry re-arms the scheduler) may claim it first, so the
    test waits for the row rather than for its own run_due().
    """
    svc = services(app)
    async with svc.db.transaction() as tx:
        await tx.execute("UPDATE reminders SET due_at = ? WHERE key = ?", (svc.db.now(), key))
    await svc.scheduler.run_due()
    for _ in range(200):
        found = await rows(app, f"SELECT state FROM reminders WHERE key = '{key}'")
        if found and found[0][0] not in ("pending", "sending"):
            return
        await asyncio.sleep(0.05)


@pytest.mark.union_config(accounts=ACCOUNTS, reminders=QUIET_OFF)
async def test_a_notice_step_by_step_with_every_kind_of_bad_date(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    officer = union.officer
    start = await say(union, officer, "/account_change")
    assert "第 16 条" in start.text and start.button_texts[:2] == ACCOUNTS
    change = await tap_then(union, officer, start, ACCOUNTS[1])
    await emu.wait_for_edit(start, lambda m: not m.buttons and ACCOUNTS[1] in m.text)
    assert "变更什么" in change.text
    detail = await tap_then(union, officer, change, texts.AC_KIND_NAMES["name"])
    assert "新名称" in detail.text and detail.reply_markup == {
        "force_reply": True,
        "selective": True,
    }
    asked = await say(union, officer, "测试大学<团委>学生会", reply_to=detail)
    earliest = RULE.earliest(today())
    assert day_text(earliest) in asked.text and "生效日期" in asked.text

    # Malformed, impossible, past, too soon and too far: each answer names what is wrong and
    # asks again; nothing is filed.
    attempts = [
        ("下周三", "没能识别日期"),
        ("2月30日", "没有「2月30日」这一天"),
        ((today() - timedelta(days=3)).isoformat(), "已经过去"),
        ((earliest - timedelta(days=1)).isoformat(), "太早了"),
        ((today() + timedelta(days=400)).isoformat(), "太远了"),
    ]
    for text, fragment in attempts:
        again = await say(union, officer, text, reply_to=asked)
        assert fragment in again.text, (text, again.text)
        if fragment != "太远了":
            assert day_text(earliest) in again.text
        assert "回复本消息" in again.text
        asked = again
    assert await rows(app, "SELECT * FROM account_changes") == []

    # The earliest day, written without a year, is accepted.
    reason = await say(union, officer, f"{earliest.month}月{earliest.day}日", reply_to=asked)
    assert "变更理由" in reason.text
    confirm = await say(union, officer, "学院机构调整", reply_to=reason)
    assert confirm.button_texts == [texts.AC_BUTTON_CONFIRM, texts.AC_BUTTON_ABORT]
    assert "测试大学&lt;团委&gt;学生会" not in confirm.text
    assert "测试大学<团委>学生会" in confirm.text and day_text(earliest) in confirm.text
    assert "提前 7 个工作日" in confirm.text
    unknown = RULE.unknown_years(today(), earliest)
    assert (UNKNOWN_YEAR_NOTE in confirm.text) == bool(unknown)

    assert await tap(officer, confirm, texts.AC_BUTTON_CONFIRM) == texts.DONE
    await emu.wait_for_edit(confirm, has_text("已提交账号变更报备 #1"))
    assert not confirm.buttons
    remind_on = RULE.reminder_day(earliest)
    assert day_text(remind_on) in confirm.text

    # The admins' chat and the advisor (tier 3 has no group) hear of it.
    notice = await emu.wait_for_message(union.admins, has_text("新媒体账号变更报备 #1"))
    for fragment in (ACCOUNTS[1], "名称变更", "测试大学<团委>学生会", "学院机构调整", "张信息"):
        assert fragment in notice.text
    await emu.wait_for_message(union.reviewer3, has_text("新媒体账号变更报备 #1"))

    due = datetime.combine(remind_on, datetime.min.time().replace(hour=9), SHANGHAI)
    assert await rows(
        app, "SELECT kind, key, due_at, state FROM reminders WHERE kind LIKE 'acc%'"
    ) == [("account_change", reminder_key(1), stored_time(due), "pending")]
    events = await rows(
        app, "SELECT actor_id, detail FROM audit WHERE action = 'account_change.filed'"
    )
    assert events[0][0] == officer.id
    assert json.loads(str(events[0][1]))["effective_on"] == earliest.isoformat()

    listing = await say(union, union.reviewer1, "/account_changes")
    assert "#1" in listing.text and ACCOUNTS[1] in listing.text and not listing.buttons

    # The working day before arrives: the reminder goes to the admins, the advisor and the filer.
    await fire_reminder(app, reminder_key(1))
    for chat in (union.admins, union.reviewer3, officer):
        reminder = await emu.wait_for_message(chat, has_text("账号变更即将生效"))
        assert day_text(earliest) in reminder.text and "#1" in reminder.text
    assert await rows(app, "SELECT state FROM reminders WHERE kind = 'account_change'") == [
        ("sent",)
    ]
    assert emu.errors == []


@pytest.mark.union_config(reminders=QUIET_OFF)
async def test_one_line_form_cancel_and_the_reminder_is_skipped(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    day = RULE.earliest(today()) + timedelta(days=3)
    confirm = await say(
        union, union.officer, f"/account_change 抖音「测试」| 停用 | {day.isoformat()} | 不再运营"
    )
    assert "停用关闭" in confirm.text and day_text(day) in confirm.text
    await tap(union.officer, confirm, texts.AC_BUTTON_CONFIRM)
    await emu.wait_for_edit(confirm, has_text("#1"))
    await emu.wait_for_message(union.admins, has_text("报备 #1"))

    # A reviewer may not cancel someone else's notice; the attempt is audited.
    refused = await say(union, union.reviewer1, "/account_changes cancel 1")
    assert refused.text == texts.AC_CANCEL_NOT_ALLOWED.format(id=1)
    for bad in ("/account_changes cancel", "/account_changes cancel x", "/account_changes foo"):
        answer = await say(union, union.admin, bad)
        assert answer.text in (texts.AC_LIST_USAGE, texts.AC_BAD_NUMBER), bad
    assert (await say(union, union.admin, "/account_changes cancel 9")).text == (
        texts.AC_CANCEL_NOT_FOUND.format(id=9)
    )

    # The admin sees a cancel button in the list and uses it.
    listing = await say(union, union.admin, "/account_changes")
    assert listing.button_texts == [texts.AC_BUTTON_CANCEL_NOTICE.format(id=1)]
    tapped = await tap(union.admin, listing, texts.AC_BUTTON_CANCEL_NOTICE.format(id=1))
    assert tapped == texts.AC_CANCELLED.format(id=1)
    await emu.wait_for_edit(listing, lambda m: texts.AC_LIST_EMPTY in m.text and not m.buttons)
    for chat in (union.admins, union.reviewer3, union.officer):
        cancelled = await emu.wait_for_message(chat, has_text("已由 李管理 撤销"))
        assert "抖音「测试」" in cancelled.text
    again = await say(union, union.officer, "/account_changes cancel 1")
    assert again.text == texts.AC_CANCEL_ALREADY.format(id=1)
    recent = await say(union, union.officer, "/account_changes all")
    assert "#1" in recent.text and "已撤销" in recent.text

    # When its day comes, the cancelled notice's reminder is skipped, not sent.
    await fire_reminder(app, reminder_key(1))
    assert await rows(app, "SELECT state, detail FROM reminders WHERE kind = 'account_change'") == [
        ("skipped", "the notice was cancelled")
    ]
    assert not [m for m in emu.messages(union.admins) if "即将生效" in m.text]
    actions = await rows(app, "SELECT action FROM audit WHERE action LIKE 'account%' ORDER BY id")
    assert [a for (a,) in actions] == [
        "account_change.filed",
        "account_change.refused",
        "account_change.cancelled",
    ]


async def test_who_may_file_and_buttons_that_are_not_theirs(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    assert (await say(union, union.stranger, "/account_change")).text == texts.AC_NOT_STAFF
    assert (await say(union, union.stranger, "/account_changes")).text == texts.AC_LIST_NOT_STAFF
    group = await say(union, union.admin, "/account_change", chat=union.admins)
    assert group.text == texts.AC_PRIVATE_ONLY

    # Without an account list, the account is asked for by reply; 取消 ends the wizard.
    first = await say(union, union.editor, "/account_change")
    assert "回复本消息" in first.text and not first.buttons
    assert (await say(union, union.editor, "取消", reply_to=first)).text == texts.AC_ABORTED
    start = await say(union, union.editor, "/account_change")
    too_long = await say(union, union.editor, "号" * 61, reply_to=start)
    assert "账号名称太长了" in too_long.text and "回复本消息" in too_long.text
    change = await say(union, union.editor, "B站", reply_to=too_long)
    assert "变更什么" in change.text and "B站" in change.text
    data = dict(change.buttons[0])[texts.AC_KIND_NAMES["name"]]
    assert data is not None
    prompt_id = data.split(":")[2]

    # Someone else's wizard, forged data, a stale step: alerts, and nothing changes.
    own = await say(union, union.admin, "/account_changes")
    handle = await union.admin.tap_forged(own, data)
    assert (await handle.wait_answer()).text == texts.INVALID_BUTTON
    handle = await union.editor.tap_forged(change, "ac:w:1:0:zz")
    assert (await handle.wait_answer()).text == texts.INVALID_BUTTON
    handle = await union.editor.tap_forged(change, f"ac:w:{prompt_id}:0:kn")
    assert (await handle.wait_answer()).text == texts.AC_STALE
    handle = await union.editor.tap_forged(change, f"ac:x:{prompt_id}9")
    assert (await handle.wait_answer()).text == texts.INVALID_BUTTON
    forged = await rows(app, "SELECT COUNT(*) FROM audit WHERE action = 'callback.forged'")
    assert forged == [(3,)]

    # A reply that is not a button choice, then 停用关闭 skips straight to the date.
    assert (
        await say(union, union.editor, "名称变更", reply_to=change)
    ).text == texts.AC_USE_BUTTONS
    asked = await tap_then(union, union.editor, change, texts.AC_KIND_NAMES["close"])
    assert "生效日期" in asked.text
    reason = await say(union, union.editor, RULE.earliest(today()).isoformat(), reply_to=asked)
    confirm = await say(union, union.editor, "不再运营", reply_to=reason)
    # Confirmed days later, the date no longer leaves seven working days: nothing is filed,
    # and the date is asked again.
    async with services(app).db.transaction() as tx:
        await tx.execute(
            "UPDATE prompts SET data = json_set(data, '$.effective_on', ?) WHERE closed_at IS NULL",
            ((today() + timedelta(days=1)).isoformat(),),
        )
    mark = emu.mark()
    assert await tap(union.editor, confirm, texts.AC_BUTTON_CONFIRM) == texts.AC_REDO_DATE
    await emu.wait_for_edit(confirm, lambda m: "报备还没有提交" in m.text and not m.buttons)
    redo = await emu.wait_for_message(union.editor, has_text("生效日期"), since=mark)
    assert "太早了" in redo.text and day_text(RULE.earliest(today())) in redo.text
    assert await rows(app, "SELECT * FROM account_changes") == []
    # The reason already given is kept: a corrected date goes straight to the confirmation.
    confirm = await say(union, union.editor, RULE.earliest(today()).isoformat(), reply_to=redo)
    assert "不再运营" in confirm.text and texts.AC_BUTTON_CONFIRM in confirm.button_texts
    # Aborting from the confirm step's button files nothing.
    assert await tap(union.editor, confirm, texts.AC_BUTTON_ABORT) == texts.DONE
    await emu.wait_for_edit(confirm, has_text(texts.AC_ABORTED))
    assert await rows(app, "SELECT * FROM account_changes") == []
    assert await rows(app, "SELECT COUNT(*) FROM prompts WHERE closed_at IS NULL") == [(0,)]
    assert emu.errors == []


async def test_a_step_whose_message_was_not_recorded_still_takes_the_answer(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    editor = union.editor
    start = await say(union, editor, "/account_change")
    change = await say(union, editor, "B站「测试」", reply_to=start)
    asked = await tap_then(union, editor, change, texts.AC_KIND_NAMES["close"])

    async def forget_message(latest: Message) -> None:
        # As if the bot stopped after storing the step but before recording its message.
        sql = "SELECT message_id FROM prompts WHERE kind = 'account_change' AND closed_at IS NULL"
        for _ in range(200):
            if await rows(app, sql) == [(latest.message_id,)]:
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the step's message was never recorded")
        async with services(app).db.transaction() as tx:
            await tx.execute(
                "UPDATE prompts SET message_id = ? WHERE kind = 'account_change'",
                (change.message_id,),
            )

    await forget_message(asked)
    # A reply to a newer bot message that does not ask this step is not taken as the answer.
    other = await say(union, editor, "/account_changes")
    unrelated = await say(union, editor, "2026-12-31", reply_to=other)
    assert "变更理由" not in unrelated.text
    reason = await say(union, editor, RULE.earliest(today()).isoformat(), reply_to=asked)
    assert "变更理由" in reason.text
    confirm = await say(union, editor, "不再运营", reply_to=reason)
    await forget_message(confirm)
    assert await tap(editor, confirm, texts.AC_BUTTON_CONFIRM) == texts.DONE
    await emu.wait_for_edit(confirm, has_text("已提交账号变更报备 #1"))
    # An old step's button stays stale.
    handle = await editor.tap_forged(change, "ac:w:1:2:kn")
    assert (await handle.wait_answer()).text in (texts.AC_STALE, texts.PROMPT_CLOSED)

    # The bot was down through the whole day before: once the change is in effect the
    # reminder is skipped, not sent late.
    svc = services(app)
    async with svc.db.transaction() as tx:
        await tx.execute(
            "UPDATE account_changes SET notice_on = ?, effective_on = ?",
            ((today() - timedelta(days=10)).isoformat(), today().isoformat()),
        )
        await tx.execute(
            "UPDATE reminders SET due_at = ? WHERE kind = 'account_change'", (svc.db.now(),)
        )
    await svc.scheduler.run_due()
    assert await rows(app, "SELECT state, detail FROM reminders WHERE kind = 'account_change'") == [
        ("skipped", "the change is already in effect")
    ]
    assert not [m for m in emu.messages(union.admins) if "即将生效" in m.text]
