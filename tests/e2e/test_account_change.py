"""An account-change notice (article 16) through the real process: the wizard survives a
SIGKILL, a too-early date is refused with the earliest allowed one, the admins and the advisor
are told, and the reminder arrives once on the last working day before the change."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from bot import texts
from bot.account_changes.rules import NoticeRule, day_text, reminder_key
from bot.clock.workdays import SHANGHAI, UNKNOWN_YEAR_NOTE, WorkCalendar
from storage.db import stored_time
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import say, tap

ACCOUNTS = ["微信公众号「测试学生会」", "微博「测试学生会」"]
RULE = NoticeRule(WorkCalendar())


def _today() -> date:
    return datetime.now(SHANGHAI).date()


@pytest.mark.union_config(accounts=ACCOUNTS, reminders={"quiet_hours": ""})
async def test_an_account_change_notice_from_wizard_to_reminder(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    officer = union.officer
    start = await say(union, officer, "/account_change")
    assert ACCOUNTS[0] in start.button_texts and texts.AC_BUTTON_TYPE_ACCOUNT in start.button_texts
    mark = emu.mark()
    await tap(officer, start, ACCOUNTS[0])
    change = await emu.wait_for_message(officer, has_text("变更什么"), since=mark)
    mark = emu.mark()
    await tap(officer, change, texts.AC_KIND_NAMES["managers"])
    detail = await emu.wait_for_message(officer, has_text("新的管理人员"), since=mark)
    asked = await say(union, officer, "王编辑、赵部长", reply_to=detail)
    earliest = RULE.earliest(_today())
    assert day_text(earliest) in asked.text

    too_soon = await say(union, officer, (earliest - timedelta(days=1)).isoformat(), reply_to=asked)
    assert "太早了" in too_soon.text and f"最早可在 {day_text(earliest)} 生效" in too_soon.text

    # The power goes out mid-wizard; after the restart the same prompt takes the answer.
    await bot.kill()
    await bot.start()
    reason = await say(union, officer, earliest.strftime("%Y/%m/%d"), reply_to=too_soon)
    assert "变更理由" in reason.text and day_text(earliest) in reason.text
    confirm = await say(union, officer, "换届，新一届管理员接手", reply_to=reason)
    assert "王编辑、赵部长" in confirm.text and texts.AC_BUTTON_CONFIRM in confirm.button_texts
    await tap(officer, confirm, texts.AC_BUTTON_CONFIRM)
    await emu.wait_for_edit(confirm, has_text("已提交账号变更报备 #1"))
    remind_on = RULE.reminder_day(earliest)
    assert day_text(remind_on) in confirm.text and not confirm.buttons

    notice = await emu.wait_for_message(union.admins, has_text("新媒体账号变更报备 #1"))
    assert "管理人员变更" in notice.text and "王编辑、赵部长" in notice.text
    assert "张信息" in notice.text and day_text(earliest) in notice.text
    advisor = await emu.wait_for_message(union.reviewer3, has_text("新媒体账号变更报备 #1"))
    assert "换届" in advisor.text

    # A second notice for a change next year (weekends only, if the calendar lacks the year).
    later = max(min(date(_today().year + 1, 1, 8), _today() + timedelta(days=300)), earliest)
    unknown = RULE.unknown_years(_today(), later)
    second = await say(union, officer, f"/account_change 抖音「测试」| 停用 | {later} | 不再运营")
    assert (UNKNOWN_YEAR_NOTE in second.text) == bool(unknown)
    await tap(officer, second, texts.AC_BUTTON_CONFIRM)
    await emu.wait_for_edit(second, has_text("#2"))
    second_notice = await emu.wait_for_message(union.admins, has_text("报备 #2"))
    assert (UNKNOWN_YEAR_NOTE in second_notice.text) == bool(unknown)

    listing = await say(union, union.admin, "/account_changes")
    assert listing.text.index("#1") < listing.text.index("#2")
    assert texts.AC_BUTTON_CANCEL_NOTICE.format(id=1) in listing.button_texts

    # The bot is down while the working day before #1 arrives (moved to now in the database);
    # it sends the reminder on start, once, even across another SIGKILL.
    await bot.kill()
    with sqlite3.connect(bot.db) as conn:
        conn.execute(
            "UPDATE reminders SET due_at = ? WHERE key = ?",
            (stored_time(datetime.now(UTC)), reminder_key(1)),
        )
    await bot.start()
    for chat in (union.admins, union.reviewer3, officer):
        reminder = await emu.wait_for_message(chat, has_text("账号变更即将生效"), timeout=30)
        assert "#1" in reminder.text and day_text(earliest) in reminder.text
    await bot.kill()
    await bot.start()
    await say(union, officer, "/account_changes")
    reminders = [m for m in emu.messages(union.admins) if "账号变更即将生效" in m.text]
    assert len(reminders) == 1
    assert "#2" not in reminders[0].text
    assert emu.errors == []
