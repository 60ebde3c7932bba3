"""Article 16's seven-working-day rule, date reading, the wizard, and the filing service.

Expected dates are written out literally from the State Council schedules (as packaged by
chinesecalendar) so that a change in the data or in how the rule counts shows up as a failure.
The rule counts working days strictly between the notice day and the effective day.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.account_changes.rules import (
    MAX_DAYS_AHEAD,
    ChangeKind,
    DateRefused,
    InputRefused,
    NoticeRule,
    Wizard,
    answer_text,
    ask_typed_account,
    choose_account,
    choose_change,
    input_refusal_text,
    parse_date,
    parse_one_line,
    refusal_text,
    reminder_key,
    unknown_note,
)
from bot.account_changes.service import AccountChanges, CancelRefused, WizardRefused
from bot.clock.timing import Timing
from bot.clock.workdays import SHANGHAI, UNKNOWN_YEAR_NOTE, WorkCalendar
from bot.config import ConfigError, UnionConfig, parse_config
from bot.members import Members
from storage import Database
from tests.conftest import ADMIN, OFFICER, REVIEWER1, REVIEWER3, config_data

RULE = NoticeRule(WorkCalendar())

# Years no chinesecalendar release covers (it starts in 2004): only weekends count.
UNKNOWN = 1999


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- the rule on ordinary weeks -------------------------------------------------------------


def test_neither_the_notice_day_nor_the_effective_day_counts() -> None:
    # Monday 2026-11-23: Tue 24 … Wed Dec 2 are the seven working days, so Thursday is first.
    notice = d("2026-11-23")
    assert RULE.earliest(notice) == d("2026-12-03")
    assert RULE.working_days(notice, d("2026-12-03")) == 7
    assert RULE.check(notice, d("2026-12-03")).working_days == 7
    with pytest.raises(DateRefused) as refused:
        RULE.check(notice, d("2026-12-02"))
    assert refused.value.reason == "too_soon"
    assert refused.value.working_days == 6
    assert refused.value.earliest == d("2026-12-03")


def test_a_friday_notice_may_take_effect_after_the_weekend_gap() -> None:
    # Friday 2026-11-27: Mon 30 … Tue Dec 8 are seven; Wednesday Dec 9 is first.
    assert RULE.earliest(d("2026-11-27")) == d("2026-12-09")
    # A notice filed on a Saturday counts the same as one filed on Friday evening.
    assert RULE.earliest(d("2026-11-28")) == d("2026-12-09")


def test_the_effective_day_may_be_a_weekend() -> None:
    # Wednesday 2026-11-18: Thu 19 … Fri 27 are seven; Saturday the 28th is allowed.
    assert RULE.earliest(d("2026-11-18")) == d("2026-11-28")
    assert RULE.check(d("2026-11-18"), d("2026-11-28")).working_days == 7


def test_past_today_and_too_far() -> None:
    today = d("2026-11-24")
    for day, reason in (
        (d("2026-11-20"), "past"),
        (today, "too_soon"),
        (today + timedelta(days=1), "too_soon"),
        (today + timedelta(days=MAX_DAYS_AHEAD + 1), "too_far"),
        (d("9999-12-31"), "too_far"),
    ):
        with pytest.raises(DateRefused) as refused:
            RULE.check(today, day)
        assert refused.value.reason == reason, day
        assert refused.value.earliest == d("2026-12-04")
    assert RULE.check(today, today + timedelta(days=MAX_DAYS_AHEAD)).working_days > 200


# --- Spring Festival ------------------------------------------------------------------------


def test_spring_festival_2026_counts_the_make_up_saturday() -> None:
    # Friday 2026-02-06: Feb 9–13 (5), Saturday Feb 14 is a make-up working day (6), then the
    # holiday Feb 15–23, and Tuesday Feb 24 is the seventh.
    notice = d("2026-02-06")
    assert RULE.earliest(notice) == d("2026-02-25")
    with pytest.raises(DateRefused) as refused:
        RULE.check(notice, d("2026-02-24"))
    assert refused.value.working_days == 6
    assert refused.value.holidays == ("春节",)
    span = RULE.check(notice, d("2026-02-25"))
    assert (span.working_days, span.unknown_years) == (7, ())


def test_spring_festival_2026_filed_on_the_eve() -> None:
    # Friday 2026-02-13: Sat 14 (1), Feb 24–27 (5), Saturday Feb 28 make-up (6), Mon Mar 2 (7).
    assert RULE.earliest(d("2026-02-13")) == d("2026-03-03")
    # Filed in the middle of the holiday: Feb 24–27, Sat 28, Mar 2, Mar 3.
    assert RULE.earliest(d("2026-02-18")) == d("2026-03-04")


def test_a_change_right_after_the_holiday_is_reminded_on_the_make_up_day() -> None:
    # The last working day before Tuesday 2026-02-24 is the make-up Saturday Feb 14.
    assert RULE.reminder_day(d("2026-02-24")) == d("2026-02-14")
    assert RULE.reminder_day(d("2026-03-02")) == d("2026-02-28")


def _spring_2027() -> WorkCalendar:
    """2027's Spring Festival as admins would enter it before the package knows the year.

    Every day of the window is given, so what the package may later say cannot interfere:
    Feb 5–13 off, Sunday Feb 14 a make-up working day, everything else by the weekday rule.
    """
    overrides: dict[date, bool] = {}
    day = d("2027-01-25")
    while day <= d("2027-03-07"):
        overrides[day] = day.weekday() < 5
        day += timedelta(days=1)
    for offset in range(9):
        overrides[d("2027-02-05") + timedelta(days=offset)] = False
    overrides[d("2027-02-14")] = True
    return WorkCalendar(overrides)


def test_spring_festival_2027_from_admin_overrides() -> None:
    rule = NoticeRule(_spring_2027())
    # Monday 2027-02-01: Feb 2, 3, 4 (3), the holiday, Sunday Feb 14 (4), Feb 15, 16, 17 (7).
    assert rule.earliest(d("2027-02-01")) == d("2027-02-18")
    span = rule.check(d("2027-02-01"), d("2027-02-18"))
    assert span.unknown_years == ()
    assert rule.reminder_day(d("2027-02-15")) == d("2027-02-14")
    with pytest.raises(DateRefused) as refused:
        rule.check(d("2027-02-01"), d("2027-02-17"))
    assert refused.value.working_days == 6 and refused.value.unknown_years == ()


# --- National Day and its make-up days --------------------------------------------------------


def test_national_day_2026_counts_the_make_up_saturday() -> None:
    # Wednesday 2026-09-23: Thu 24 (1), Fri 25 is 中秋, Sep 28–30 (4), Oct 1–7 off,
    # Oct 8–9 (6), Saturday Oct 10 is a make-up working day (7): Sunday Oct 11 is first.
    notice = d("2026-09-23")
    assert RULE.earliest(notice) == d("2026-10-11")
    with pytest.raises(DateRefused) as refused:
        RULE.check(notice, d("2026-10-10"))
    assert refused.value.working_days == 6
    assert set(refused.value.holidays) == {"中秋", "国庆节"}
    assert RULE.reminder_day(d("2026-10-11")) == d("2026-10-10")
    assert RULE.reminder_day(d("2026-10-08")) == d("2026-09-30")


def test_national_day_2026_make_up_sunday_before() -> None:
    # Friday 2026-09-18: Sunday Sep 20 is a make-up working day (1), Sep 21–24 (5), 中秋 on
    # Friday 25, Sep 28 (6), Sep 29 (7): Wednesday Sep 30 is first.
    assert RULE.earliest(d("2026-09-18")) == d("2026-09-30")


def test_national_day_2025() -> None:
    # Friday 2025-09-26: Sunday Sep 28 make-up (1), Sep 29–30 (3), Oct 1–8 off, Oct 9–10 (5),
    # Saturday Oct 11 make-up (6), Monday Oct 13 (7).
    assert RULE.earliest(d("2025-09-26")) == d("2025-10-14")


# --- years nobody knows ----------------------------------------------------------------------


def test_unknown_years_count_weekends_only_and_say_so() -> None:
    notice = d(f"{UNKNOWN}-09-29")
    # Weekends only: Sep 30, Oct 1, 4, 5, 6, 7, 8 (Oct 1 would be National Day in reality).
    assert RULE.earliest(notice) == d(f"{UNKNOWN}-10-09")
    span = RULE.check(notice, d(f"{UNKNOWN}-10-09"))
    assert span.unknown_years == (UNKNOWN,)
    with pytest.raises(DateRefused) as refused:
        RULE.check(notice, d(f"{UNKNOWN}-10-08"))
    assert refused.value.unknown_years == (UNKNOWN,)
    note = unknown_note(refused.value.unknown_years)
    assert UNKNOWN_YEAR_NOTE in note and str(UNKNOWN) in note
    assert UNKNOWN_YEAR_NOTE in refusal_text(refused.value)


def test_admin_overrides_make_a_year_known() -> None:
    rule = NoticeRule(WorkCalendar({d(f"{UNKNOWN}-10-01"): False}))
    assert rule.check(d(f"{UNKNOWN}-09-29"), d(f"{UNKNOWN}-10-12")).unknown_years == ()
    # The override takes Oct 1 off, so the seventh working day moves to Oct 11.
    assert rule.earliest(d(f"{UNKNOWN}-09-29")) == d(f"{UNKNOWN}-10-12")
    # A span into the next year names only that year.
    span = rule.check(d(f"{UNKNOWN}-12-20"), d(f"{UNKNOWN + 1}-01-10"))
    assert span.unknown_years == (UNKNOWN + 1,)


def test_known_years_carry_no_note() -> None:
    assert unknown_note(()) == ""
    assert UNKNOWN_YEAR_NOTE not in refusal_text(_refused(d("2026-11-24"), d("2026-11-25")))


def _refused(notice: date, day: date) -> DateRefused:
    with pytest.raises(DateRefused) as refused:
        RULE.check(notice, day)
    return refused.value


# --- reading dates ---------------------------------------------------------------------------

TODAY = d("2026-11-24")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-10", "2026-12-10"),
        ("2026/12/10", "2026-12-10"),
        ("2026.12.10", "2026-12-10"),
        ("2026年12月10日", "2026-12-10"),
        ("20261210", "2026-12-10"),
        (" 2026 - 12 - 10 ", "2026-12-10"),
        ("１２月１０号", "2026-12-10"),
        ("12月10日", "2026-12-10"),
        ("12-10", "2026-12-10"),
        ("12/10", "2026-12-10"),
        ("1月5日", "2027-01-05"),
        ("11月20日", "2026-11-20"),
        ("5-20", "2027-05-20"),
        ("6-1", "2027-06-01"),
        ("10月25日", "2026-10-25"),
        ("10月20日", "2027-10-20"),
    ],
)
def test_dates_as_members_write_them(text: str, expected: str) -> None:
    assert parse_date(text, TODAY) == d(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "malformed"),
        ("下周三", "malformed"),
        ("2026-12", "malformed"),
        ("12月", "malformed"),
        ("2026-12-10 9:00", "malformed"),
        ("2026-12-10至12-20", "malformed"),
        ("2026-02-30", "invalid"),
        ("2026-13-01", "invalid"),
        ("0000-01-01", "invalid"),
        ("13月1日", "invalid"),
        ("2月30日", "invalid"),
        ("00-00", "invalid"),
    ],
)
def test_dates_that_are_not(text: str, reason: str) -> None:
    with pytest.raises(DateRefused) as refused:
        parse_date(text, TODAY)
    assert refused.value.reason == reason
    answer = refusal_text(refused.value)
    assert answer and ("2026-12-10" in answer or "这一天" in answer)


def test_february_29_without_a_year_finds_the_leap_year() -> None:
    assert parse_date("2月29日", d("2027-11-01")) == d("2028-02-29")


def test_refusals_name_the_earliest_day_and_escape_input() -> None:
    too_soon = refusal_text(_refused(TODAY, d("2026-12-01")))
    assert "2026-12-04（周五）" in too_soon and "4 个工作日" in too_soon
    past = refusal_text(_refused(TODAY, d("2026-11-01")))
    assert "已经过去" in past and "2026-12-04（周五）" in past
    far = refusal_text(_refused(TODAY, d("2027-12-01")))
    assert "太远" in far and "2027-11-24" in far
    with pytest.raises(DateRefused) as refused:
        parse_date("<b>明天</b>", TODAY)
    assert "&lt;b&gt;" in refusal_text(refused.value)


# --- the wizard --------------------------------------------------------------------------------

ACCOUNTS = ("微信公众号「测试学生会」", "微博「测试学生会」")


def test_the_wizard_walks_every_step_and_seq_grows() -> None:
    w = Wizard()
    w = choose_account(w, 1, ACCOUNTS)
    assert (w.step, w.account, w.seq) == ("change", ACCOUNTS[1], 1)
    w = choose_change(w, ChangeKind.NAME)
    assert w.step == "detail"
    w = answer_text(w, "  测试大学团委学生会  ", RULE, TODAY)
    assert (w.step, w.detail) == ("date", "测试大学团委学生会")
    w = answer_text(w, "12月10日", RULE, TODAY)
    assert (w.step, w.effective_on) == ("reason", "2026-12-10")
    w = answer_text(w, "机构调整", RULE, TODAY)
    assert w.step == "confirm" and w.complete() and w.seq == 5
    assert Wizard.from_data(json.loads(json.dumps(w.to_data()))) == w


def test_closing_skips_the_detail_and_typed_accounts_are_cleaned() -> None:
    w = ask_typed_account(Wizard())
    assert w.typed and w.step == "account"
    w = answer_text(w, "  抖音 「测试\n学生会」 ", RULE, TODAY)
    assert (w.account, w.typed) == ("抖音 「测试 学生会」", False)
    w = choose_change(w, ChangeKind.CLOSE)
    assert w.step == "date" and w.detail == ""


def test_bad_answers_are_refused_without_moving() -> None:
    w = choose_change(choose_account(Wizard(), 0, ACCOUNTS), ChangeKind.MANAGERS)
    for text, reason in (("   ", "empty"), ("人" * 201, "too_long")):
        with pytest.raises(InputRefused) as refused:
            answer_text(w, text, RULE, TODAY)
        assert refused.value.reason == reason
        assert input_refusal_text(refused.value)
    with pytest.raises(InputRefused):
        choose_account(Wizard(), 2, ACCOUNTS)
    with pytest.raises(InputRefused) as refused:
        answer_text(choose_account(Wizard(), 0, ACCOUNTS), "名称变更", RULE, TODAY)
    assert refused.value.reason == "use_buttons"
    date_step = answer_text(w, "张三、李四", RULE, TODAY)
    for text in ("2026-11-01", "明天", "2026-11-30", "2028-01-01"):
        with pytest.raises(DateRefused):
            answer_text(date_step, text, RULE, TODAY)


def test_stored_wizards_survive_garbage() -> None:
    w = Wizard.from_data({"step": "nonsense", "seq": "7", "typed": "yes", "account": 5})
    assert (w.step, w.seq, w.typed, w.account) == ("account", 0, False, "5")
    assert not w.complete() and w.kind is None and w.effective is None


# --- the one-line form -----------------------------------------------------------------------


def test_one_line_with_and_without_detail() -> None:
    w = parse_one_line("微博「测试」| 名称变更 | 测试新名 | 2026-12-10 | 机构调整", RULE, TODAY)
    assert (w.step, w.account, w.change, w.detail, w.effective_on, w.reason) == (
        "confirm",
        "微博「测试」",
        "name",
        "测试新名",
        "2026-12-10",
        "机构调整",
    )
    w = parse_one_line("抖音｜停用｜12月20日｜不再运营", RULE, TODAY)
    assert (w.change, w.detail, w.effective_on) == ("close", "", "2026-12-20")
    # A detail given for closing is not kept: closing has nothing to become.
    assert parse_one_line("抖音|关闭|随便|12-20|停", RULE, TODAY).detail == ""


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("只有一项", "4 或 5 项"),
        ("a|b|c|d|e|f", "6 项"),
        ("微博|改头换面|新名|12-10|理由", "不认识变更类型"),
        ("微博|名称变更|12-10|理由", "须写明新名称"),
        ("微博|名称变更| |12-10|理由", "须写明新名称"),
        ("|名称变更|新名|12-10|理由", "账号名称不能为空"),
        ("微博|其他|新名|12-10|", "变更理由不能为空"),
    ],
)
def test_one_line_mistakes(text: str, fragment: str) -> None:
    with pytest.raises(InputRefused) as refused:
        parse_one_line(text, RULE, TODAY)
    assert fragment in input_refusal_text(refused.value)


def test_one_line_dates_are_checked() -> None:
    for text, reason in (
        ("微博|停用|2026-11-25|理由", "too_soon"),
        ("微博|停用|2025-11-25|理由", "past"),
        ("微博|停用|2026-02-30|理由", "invalid"),
    ):
        with pytest.raises(DateRefused) as refused:
            parse_one_line(text, RULE, TODAY)
        assert refused.value.reason == reason


# --- the service, over a database with a clock the test moves ---------------------------------


@dataclass
class Clock:
    """A clock the test sets."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 24, 2, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    db: Database
    clock: Clock
    service: AccountChanges
    config: UnionConfig


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    clock = Clock()
    db = await Database.open(tmp_path / "bot.sqlite3", clock=clock)
    data = config_data()
    data["chats"]["admins"] = -100950
    config = parse_config(data)
    await Members(db, config).seed_members()
    service = AccountChanges(db, config, Timing(config.reminders, config.timezone))
    yield World(db, clock, service, config)
    await db.close()


async def _wizard_at_confirm(world: World, effective: str = "2026-12-10") -> tuple[int, int]:
    w = parse_one_line(f"微博「测试」|名称变更|新名|{effective}|机构调整", RULE, TODAY)
    prompt_id = await world.service.open(OFFICER, OFFICER.user_id, w)
    return prompt_id, w.seq


async def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    async with db.reading() as conn:
        return [tuple(r) for r in await conn.execute_fetchall(sql)]


async def test_filing_writes_row_audit_notices_and_reminder_at_once(world: World) -> None:
    prompt_id, seq = await _wizard_at_confirm(world)
    filed = await world.service.file(OFFICER, prompt_id, OFFICER.user_id, seq)
    change = filed.change
    assert (change.id, change.account, change.change, change.detail) == (
        1,
        "微博「测试」",
        "name",
        "新名",
    )
    assert (change.notice_on, change.effective_on, change.working_days) == (
        TODAY,
        d("2026-12-10"),
        11,
    )
    assert not change.weekends_only
    # Thursday Dec 10: the reminder goes out at 09:00 on Wednesday Dec 9, Shanghai time.
    assert filed.remind_on == d("2026-12-09")
    reminders = await _rows(world.db, "SELECT kind, key, due_at, payload FROM reminders")
    due = datetime(2026, 12, 9, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)
    assert reminders == [
        ("account_change", reminder_key(1), due.isoformat(timespec="microseconds"), '{"change": 1}')
    ]
    # Admins' chat, and tier 3 has no chat in this config: the advisor privately.
    items = await _rows(world.db, "SELECT kind, draft_id, payload FROM outbox ORDER BY id")
    targets = [json.loads(str(p))["chat_id"] for _, _, p in items]
    assert targets == [-100950, REVIEWER3.user_id]
    assert {k for k, _, _ in items} == {"account_change"}
    events = await _rows(
        world.db, "SELECT actor_id, action, detail FROM audit WHERE action LIKE 'account%'"
    )
    assert [(a, b) for a, b, _ in events] == [(OFFICER.user_id, "account_change.filed")]
    assert json.loads(str(events[0][2]))["effective_on"] == "2026-12-10"
    closed = await _rows(world.db, f"SELECT closed_at FROM prompts WHERE id = {prompt_id}")
    assert closed[0][0] is not None
    # The same confirmation again (a double tap) files nothing more.
    with pytest.raises(WizardRefused) as again:
        await world.service.file(OFFICER, prompt_id, OFFICER.user_id, seq)
    assert again.value.reason == "closed"
    assert len(await _rows(world.db, "SELECT id FROM account_changes")) == 1


async def test_a_confirmation_that_came_too_late_files_nothing(world: World) -> None:
    prompt_id, seq = await _wizard_at_confirm(world, "2026-12-04")
    # The member confirms the next morning: Dec 4 is now too soon.
    world.clock.now += timedelta(days=1)
    with pytest.raises(DateRefused) as refused:
        await world.service.file(OFFICER, prompt_id, OFFICER.user_id, seq)
    assert refused.value.reason == "too_soon" and refused.value.earliest == d("2026-12-05")
    for table in ("account_changes", "outbox", "reminders"):
        assert await _rows(world.db, f"SELECT * FROM {table}") == [], table
    assert await _rows(world.db, "SELECT * FROM audit WHERE action LIKE 'account%'") == []
    assert (await _rows(world.db, "SELECT closed_at FROM prompts"))[0][0] is None


async def test_only_the_owner_with_the_current_step_may_file(world: World) -> None:
    prompt_id, seq = await _wizard_at_confirm(world)
    with pytest.raises(WizardRefused) as refused:
        await world.service.file(ADMIN, prompt_id, OFFICER.user_id, seq)
    assert refused.value.reason == "not_yours"
    with pytest.raises(WizardRefused) as refused:
        await world.service.file(OFFICER, prompt_id, ADMIN.user_id, seq)
    assert refused.value.reason == "forged"
    with pytest.raises(WizardRefused) as refused:
        await world.service.file(OFFICER, prompt_id, OFFICER.user_id, seq - 1)
    assert refused.value.reason == "stale"
    with pytest.raises(WizardRefused) as refused:
        await world.service.file(OFFICER, 999, OFFICER.user_id, seq)
    assert refused.value.reason == "forged"
    assert await _rows(world.db, "SELECT * FROM account_changes") == []


async def test_a_new_wizard_closes_the_old_one(world: World) -> None:
    first, seq = await _wizard_at_confirm(world)
    await _wizard_at_confirm(world)
    with pytest.raises(WizardRefused) as refused:
        await world.service.file(OFFICER, first, OFFICER.user_id, seq)
    assert refused.value.reason == "closed"


async def test_steps_are_guarded_and_stored_before_their_message(world: World) -> None:
    prompt_id = await world.service.open(OFFICER, OFFICER.user_id, Wizard())
    assert await world.service.attach(prompt_id, 0, 10)
    moved = choose_account(Wizard(), 0, ACCOUNTS)
    assert await world.service.advance(prompt_id, 0, moved)
    # A second answer to step 0 (a double tap) loses, and so does its message.
    assert not await world.service.advance(prompt_id, 0, moved)
    assert not await world.service.attach(prompt_id, 0, 11)
    # Until the new message is recorded, the wizard is found by its member and chat.
    found = await world.service.open_wizard(OFFICER.user_id, OFFICER.user_id)
    assert found is not None and found[0].message_id == 10 and found[1] == moved
    assert await world.service.open_wizard(ADMIN.user_id, OFFICER.user_id) is None
    assert await world.service.attach(prompt_id, moved.seq, 12)
    prompt, wizard = await world.service.load(OFFICER, prompt_id, OFFICER.user_id)
    assert (prompt.message_id, wizard) == (12, moved)
    await world.service.abandon(prompt_id)
    assert await world.service.open_wizard(OFFICER.user_id, OFFICER.user_id) is None
    assert not await world.service.advance(prompt_id, moved.seq, moved.next())


async def test_cancelling(world: World) -> None:
    prompt_id, seq = await _wizard_at_confirm(world)
    await world.service.file(OFFICER, prompt_id, OFFICER.user_id, seq)
    # A reviewer who neither filed it nor is an admin may not; the attempt is audited.
    with pytest.raises(CancelRefused) as refused:
        await world.service.cancel(REVIEWER1, 1, "不想")
    assert refused.value.reason == "not_allowed"
    with pytest.raises(CancelRefused) as refused:
        await world.service.cancel(ADMIN, 2)
    assert refused.value.reason == "not_found"
    cancelled = await world.service.cancel(ADMIN, 1, "  账号  暂不改名 ")
    assert cancelled.cancelled and cancelled.cancelled_by == ADMIN.user_id
    assert cancelled.cancel_reason == "账号 暂不改名"
    with pytest.raises(CancelRefused) as refused:
        await world.service.cancel(OFFICER, 1)
    assert refused.value.reason == "already"
    actions = [
        a
        for (a,) in await _rows(
            world.db, "SELECT action FROM audit WHERE action LIKE 'account%' ORDER BY id"
        )
    ]
    assert actions == [
        "account_change.filed",
        "account_change.refused",
        "account_change.cancelled",
    ]
    cancels = await _rows(
        world.db, "SELECT payload FROM outbox WHERE payload LIKE '%cancelled%' ORDER BY id"
    )
    chats = [json.loads(str(p))["chat_id"] for (p,) in cancels]
    # The admins' chat, the advisor, and the filer (someone else cancelled it).
    assert chats == [-100950, REVIEWER3.user_id, OFFICER.user_id]
    assert await world.service.upcoming() == []
    assert [c.id for c in await world.service.recent()] == [1]


async def test_a_notice_in_effect_cannot_be_cancelled(world: World) -> None:
    prompt_id, seq = await _wizard_at_confirm(world)
    await world.service.file(OFFICER, prompt_id, OFFICER.user_id, seq)
    world.clock.now = datetime(2026, 12, 9, 16, 0, tzinfo=UTC)  # Dec 10, 00:00 in Shanghai
    with pytest.raises(CancelRefused) as refused:
        await world.service.cancel(OFFICER, 1)
    assert refused.value.reason == "in_effect"
    assert await world.service.upcoming() == []
    assert [c.id for c in await world.service.recent()] == [1]


async def test_unknown_years_are_recorded_with_the_notice(tmp_path: Path) -> None:
    clock = Clock(datetime(UNKNOWN, 9, 28, 2, 0, tzinfo=UTC))
    db = await Database.open(tmp_path / "old.sqlite3", clock=clock)
    try:
        config = parse_config(config_data())
        await Members(db, config).seed_members()
        service = AccountChanges(db, config, Timing(config.reminders, config.timezone))
        rule = service.rule
        w = parse_one_line(f"微博|停用|{UNKNOWN}-10-20|不再运营", rule, d(f"{UNKNOWN}-09-28"))
        prompt_id = await service.open(OFFICER, OFFICER.user_id, w)
        filed = await service.file(OFFICER, prompt_id, OFFICER.user_id, w.seq)
        assert filed.change.weekends_only
        # No admins' chat here either: each admin (and the advisor) gets it privately.
        async with db.reading() as conn:
            rows = await conn.execute_fetchall("SELECT payload FROM outbox ORDER BY id")
        assert [json.loads(r[0])["chat_id"] for r in rows] == [ADMIN.user_id, REVIEWER3.user_id]
    finally:
        await db.close()


# --- the config's account list -----------------------------------------------------------------


def test_the_account_list_in_the_config() -> None:
    data = config_data()
    assert parse_config(data).accounts == ()
    data["union"]["accounts"] = [" 微博「测试」 ", "抖音", "抖音"]
    assert parse_config(data).accounts == ("微博「测试」", "抖音")
    for bad in ("微博", [""], [3], ["号" * 61], [f"账号{i}" for i in range(21)]):
        data["union"]["accounts"] = bad
        with pytest.raises(ConfigError) as refused:
            parse_config(data)
        assert refused.value.field == "union.accounts" and "accounts = [" in str(refused.value)
