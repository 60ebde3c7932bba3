"""The monthly planning meeting: parsing the rule, reading it back, storing it, and its dates.

Holiday expectations are real dates from the State Council schedules as packaged by
chinesecalendar, written out literally so a data change in the package shows up here.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.clock.workdays import SHANGHAI, WorkCalendar
from bot.meetings.rules import (
    COMMAND,
    DEFAULT_REMIND_BEFORE,
    EXAMPLE,
    MeetingDay,
    MeetingSchedule,
    MeetingSpecError,
    Occurrence,
    describe,
    from_dict,
    next_occurrence,
    occurrence,
    to_dict,
)
from bot.meetings.spec import parse_spec

CAL = WorkCalendar()
CHAT = -100500
UNKNOWN_YEAR = 2027

needs_unknown_2027 = pytest.mark.skipif(
    CAL.knows_year(UNKNOWN_YEAR),
    reason="the installed chinesecalendar already covers 2027; these tests are about a gap",
)


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def schedule(
    day: MeetingDay,
    clock: time = time(19),
    *,
    chats: tuple[int, ...] = (CHAT,),
    remind_before: tuple[timedelta, ...] = DEFAULT_REMIND_BEFORE,
    shift_holidays: bool = True,
) -> MeetingSchedule:
    return MeetingSchedule(day, clock, chats, remind_before, shift_holidays)


def meeting(spec: str, year: int, month: int, calendar: WorkCalendar = CAL) -> Occurrence:
    return occurrence(parse_spec(spec, CHAT), year, month, calendar, SHANGHAI)


D3, H1 = timedelta(days=3), timedelta(hours=1)


# --- parsing: the examples the admins are shown -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 19:00", schedule(MeetingDay.on_day(15))),
        ("每月15日 19:00 提前3天,1小时", schedule(MeetingDay.on_day(15))),
        ("第2个周三 19:30", schedule(MeetingDay.on_nth_weekday(2, 2), time(19, 30))),
        (
            "最后一个周五 18:00 群=-1001,-1002",
            schedule(MeetingDay.on_last_weekday(4), time(18), chats=(-1001, -1002)),
        ),
        (
            "第二个星期三 19点 提前1天",
            schedule(MeetingDay.on_nth_weekday(2, 2), remind_before=(timedelta(days=1),)),
        ),
        (EXAMPLE, schedule(MeetingDay.on_nth_weekday(2, 2))),
    ],
)
def test_documented_examples_parse(text: str, expected: MeetingSchedule) -> None:
    assert parse_spec(text, CHAT) == expected


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15日 19:00", MeetingDay.on_day(15)),
        ("15号 19:00", MeetingDay.on_day(15)),
        ("每个月的15号 19:00", MeetingDay.on_day(15)),
        ("十五号 19:00", MeetingDay.on_day(15)),
        ("三十一日 19:00", MeetingDay.on_day(31)),
        ("1 19:00", MeetingDay.on_day(1)),
        ("第2周三 19:00", MeetingDay.on_nth_weekday(2, 2)),
        ("每月第2个周三 19:00", MeetingDay.on_nth_weekday(2, 2)),
        ("第一个礼拜一 19:00", MeetingDay.on_nth_weekday(1, 0)),
        ("第5个周日 19:00", MeetingDay.on_nth_weekday(5, 6)),
        ("第3个星期天 19:00", MeetingDay.on_nth_weekday(3, 6)),
        ("第3个周7 19:00", MeetingDay.on_nth_weekday(3, 6)),
        ("第1个周3 19:00", MeetingDay.on_nth_weekday(1, 2)),
        ("最后一个星期五 19:00", MeetingDay.on_last_weekday(4)),
        ("每月最后一个周六 19:00", MeetingDay.on_last_weekday(5)),
        ("最后周一 19:00", MeetingDay.on_last_weekday(0)),
    ],
)
def test_day_forms(text: str, day: MeetingDay) -> None:
    assert parse_spec(text, CHAT).day == day


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("15 19:00", time(19)),
        ("15 19：00", time(19)),
        ("15 9:05", time(9, 5)),
        ("15 19点", time(19)),
        ("15 19点30", time(19, 30)),
        ("15 19点30分", time(19, 30)),
        ("15 19时30分", time(19, 30)),
        ("15 19点半", time(19, 30)),
        ("15 十九点", time(19)),
        ("15 晚上7点", time(19)),
        ("15 晚上七点半", time(19, 30)),
        ("15 晚上 7:15", time(19, 15)),
        ("15 下午3点", time(15)),
        ("15 晚上19点", time(19)),
        ("15 上午9点", time(9)),
        ("15 中午12点", time(12)),
        ("15 中午1点", time(13)),
        ("15 0:00", time(0)),
        ("15 23:59", time(23, 59)),
    ],
)
def test_time_forms(text: str, clock: time) -> None:
    assert parse_spec(text, CHAT).time == clock


@pytest.mark.parametrize(
    ("text", "leads"),
    [
        ("15 19:00", (D3, H1)),
        ("15 19:00 提前3天,1小时", (D3, H1)),
        ("15 19:00 提前 3天 1小时", (D3, H1)),
        ("15 19:00 提前3天、1小时提醒", (D3, H1)),
        ("15 19:00 提前3天和1小时", (D3, H1)),
        ("15 19:00 提前1小时,3天", (D3, H1)),  # farthest first whatever the order typed
        ("15 19:00 提前1天2小时", (timedelta(days=1), timedelta(hours=2))),
        ("15 19:00 提前30分钟", (timedelta(minutes=30),)),
        ("15 19:00 提前一天", (timedelta(days=1),)),
        ("15 19:00 提前两个小时", (timedelta(hours=2),)),
        ("15 19:00 remind=3d,1h", (D3, H1)),
        ("15 19:00 REMIND = 2D, 90M", (timedelta(days=2), timedelta(minutes=90))),
        ("15 19:00 提醒=1h", (H1,)),
        ("15 19:00 提前1天,1天", (timedelta(days=1),)),
        ("15 19:00 提前30天", (timedelta(days=30),)),
        # After the list a comma may separate the next part, and a day may follow the list.
        ("15 提前3天，19:00", (D3,)),
        ("提前3天 15日 19:00", (D3,)),
    ],
)
def test_reminder_forms(text: str, leads: tuple[timedelta, ...]) -> None:
    assert parse_spec(text, CHAT).remind_before == leads


def test_chats_default_to_the_chat_of_the_command() -> None:
    assert parse_spec("15 19:00", CHAT).chats == (CHAT,)
    assert parse_spec("15 19:00 群=-1001", CHAT).chats == (-1001,)
    assert parse_spec("15 19:00 chats=-1001, -1002、-1003", CHAT).chats == (-1001, -1002, -1003)
    assert parse_spec("15 19:00 群：－1001，－1001", CHAT).chats == (-1001,)


def test_shift_option() -> None:
    assert parse_spec("15 19:00", CHAT).shift_holidays is True
    assert parse_spec("15 19:00 顺延", CHAT).shift_holidays is True
    assert parse_spec("15 19:00 不顺延", CHAT).shift_holidays is False
    assert parse_spec("不要顺延 15 19:00", CHAT).shift_holidays is False


@pytest.mark.parametrize(
    "text",
    [
        "１５日　１９：００　提前３天，１小时",
        "每月15日19点 提前3天,1小时",
        "  15日   19:00  ",
        "19:00 15日 提前3天,1小时",
        "第２个周三，19:00，提前3天，1小时",
        "15日\n19:00",
    ],
)
def test_forgiving_about_order_spaces_and_full_width(text: str) -> None:
    parsed = parse_spec(text, CHAT)
    assert parsed.time == time(19)
    assert parsed.remind_before == (D3, H1)


# --- parsing: errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "哪天开会"),
        ("   ", "哪天开会"),
        ("15", "缺少开会时间"),
        ("第2个周三", "缺少开会时间"),
        ("19:00", "缺少开会的日子"),
        ("15 25:00", "时间「25:00」不对"),
        ("15 19:60", "时间「19:60」不对"),
        ("15 25点", "时间「25点」不对"),
        ("15 晚上12点", "时间「晚上12点」不对"),
        ("15 上午15点", "时间「上午15点」不对"),
        ("0 19:00", "日期「0」不对"),
        ("32 19:00", "日期「32」不对"),
        ("32号 19:00", "日期「32号」不对"),
        ("第0个周三 19:00", "第几个只能是 1–5"),
        ("第6个周三 19:00", "第几个只能是 1–5"),
        ("第2个周八 19:00", "不认识「第2个周八」"),
        ("最后一个星期X 19:00", "不认识「最后一个星期x」"),
        ("第2个周 19:00", "没写星期几"),
        ("15 19:00 提前3周", "「3周」的单位不对"),
        ("15 19:00 提前1日", "「1日」的单位不对"),
        ("15 19:00 提前3天,2周", "「2周」的单位不对"),
        ("15 19:00 提前3", "缺少单位"),
        ("15 19:00 提前", "「提前」后面要写提前多久"),
        ("15 19:00 提前0分钟", "要提前 1 分钟到 30 天"),
        ("15 19:00 提前31天", "要提前 1 分钟到 30 天"),
        ("15 19:00 提前1天 提前1小时", "提醒时间写了两次"),
        ("15 19:00 群=abc", "群号「abc」不对"),
        ("15 19:00 群=0", "群号「0」不对"),
        ("15 19:00 群=-100123,", "群号「」不对"),
        ("15 19:00 群=-1 群=-2", "群号写了两次"),
        ("15 19:00 顺延 不顺延", "矛盾"),
        ("15 19:00 20:00", "写了两个时间「19:00」和「20:00」"),
        ("15 第2个周三 19:00", "写了两个日子"),
        ("hello", "看不懂「hello」"),
        ("15 19:00 每周开", "看不懂「每周开」"),
        ("x" * 600, "太长"),
    ],
)
def test_errors_explain_and_show_a_working_example(text: str, fragment: str) -> None:
    with pytest.raises(MeetingSpecError) as caught:
        parse_spec(text, CHAT)
    error = caught.value
    message = str(error)
    assert isinstance(error, ValueError)
    assert fragment in message
    assert message.endswith(f"例如：{COMMAND} {error.example}")
    parse_spec(error.example, CHAT)  # the example must itself work


def test_missing_time_example_keeps_the_admins_day() -> None:
    with pytest.raises(MeetingSpecError) as caught:
        parse_spec("最后一个周五", CHAT)
    assert caught.value.example == "最后一个周五 19:00"


@settings(max_examples=300)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("0123456789０１２:：点时半日号天小分钟第个周星期最后一二三四五六七八九十")
            + list("提前醒群顺延不每月,，、 -=hdmremindchats上下午晚xyz")
        ),
        max_size=40,
    )
)
def test_any_text_parses_or_raises_a_spec_error(text: str) -> None:
    try:
        parsed = parse_spec(text, CHAT)
    except MeetingSpecError as error:
        parse_spec(error.example, CHAT)
    else:
        assert describe(parsed)


# --- describe -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "第2个周三 19:00",
            "每月第2个周三 19:00（提前 3天、1小时 提醒；遇节假日顺延到下一个工作日）",
        ),
        (
            "15 9:05 提前1天2小时 不顺延",
            "每月15日 09:05（提前 1天、2小时 提醒；遇节假日也不顺延）",
        ),
        (
            "31日 18:00 提前90分钟",
            "每月31日 18:00（没有31日的月份取当月最后一天；提前 1小时30分钟 提醒；"
            "遇节假日顺延到下一个工作日）",
        ),
        (
            "第5个周五 18:00 提前 26h",
            "每月第5个周五 18:00（没有第5个周五的月份取最后一个周五；提前 1天2小时 提醒；"
            "遇节假日顺延到下一个工作日）",
        ),
        (
            "最后一个周日 14:30 提前30分钟",
            "每月最后一个周日 14:30（提前 30分钟 提醒；遇节假日顺延到下一个工作日）",
        ),
    ],
)
def test_describe(text: str, expected: str) -> None:
    assert describe(parse_spec(text, CHAT)) == expected


# --- the dataclasses check themselves -----------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: MeetingDay("day"),
        lambda: MeetingDay("day", day=0),
        lambda: MeetingDay("day", day=32),
        lambda: MeetingDay("day", day=True),
        lambda: MeetingDay("day", day=15, weekday=2),
        lambda: MeetingDay("nth_weekday", weekday=2),
        lambda: MeetingDay("nth_weekday", weekday=2, nth=6),
        lambda: MeetingDay("nth_weekday", weekday=7, nth=1),
        lambda: MeetingDay("last_weekday", weekday=-1),
        lambda: MeetingDay("last_weekday", weekday=4, nth=1),
        lambda: MeetingDay("weekly", weekday=4),  # type: ignore[arg-type]
        lambda: schedule(MeetingDay.on_day(1), time(19, 0, 30)),
        lambda: schedule(MeetingDay.on_day(1), time(19, tzinfo=UTC)),
        lambda: schedule(MeetingDay.on_day(1), chats=()),
        lambda: schedule(MeetingDay.on_day(1), chats=(0,)),
        lambda: schedule(MeetingDay.on_day(1), chats=(-1, -1)),
        lambda: schedule(MeetingDay.on_day(1), remind_before=()),
        lambda: schedule(MeetingDay.on_day(1), remind_before=(timedelta(0),)),
        lambda: schedule(MeetingDay.on_day(1), remind_before=(timedelta(seconds=30),)),
        lambda: schedule(MeetingDay.on_day(1), remind_before=(timedelta(days=31),)),
        lambda: schedule(MeetingDay.on_day(1), remind_before=(H1, H1)),
    ],
)
def test_invalid_rules_are_refused(build: Any) -> None:
    with pytest.raises(ValueError):
        build()


# --- storage ------------------------------------------------------------------------------------


def test_to_dict_is_plain_json() -> None:
    stored = to_dict(parse_spec("第2个周三 19:30 提前3天,1小时 群=-1001,-1002 不顺延", CHAT))
    assert stored == {
        "version": 1,
        "day": {"kind": "nth_weekday", "day": None, "weekday": 2, "nth": 2},
        "time": "19:30",
        "chats": [-1001, -1002],
        "remind_before_minutes": [4320, 60],
        "shift_holidays": False,
    }
    assert json.loads(json.dumps(stored)) == stored


@pytest.mark.parametrize(
    "text",
    ["15 19:00", "31日 8:05 提前90分钟 不顺延", "第5个周日 19:30 群=-1,-2", "最后一个周五 18:00"],
)
def test_round_trip_through_json(text: str) -> None:
    original = parse_spec(text, CHAT)
    assert from_dict(json.loads(json.dumps(to_dict(original)))) == original


def test_from_dict_fills_in_options_missing_from_old_rows() -> None:
    day = {"kind": "day", "day": 15, "weekday": None, "nth": None}
    loaded = from_dict({"day": day, "time": "19:00", "chats": [CHAT]})
    assert loaded == schedule(MeetingDay.on_day(15))


@pytest.mark.parametrize(
    "change",
    [
        {"version": 2},
        {"day": None},
        {"day": {"kind": "weekly", "weekday": 2}},
        {"day": {"kind": "day", "day": "15"}},
        {"day": {"kind": "day", "day": 40}},
        {"time": 1900},
        {"time": "25:00"},
        {"chats": -1001},
        {"chats": ["-1001"]},
        {"chats": [True]},
        {"remind_before_minutes": 60},
        {"remind_before_minutes": [1.5]},
        {"remind_before_minutes": []},
        {"shift_holidays": "yes"},
    ],
)
def test_from_dict_refuses_malformed_rows(change: dict[str, Any]) -> None:
    stored = to_dict(schedule(MeetingDay.on_day(15)))
    stored.update(change)
    with pytest.raises(ValueError):
        from_dict(stored)


days_of_month = st.one_of(
    st.integers(1, 31).map(MeetingDay.on_day),
    st.builds(MeetingDay.on_nth_weekday, st.integers(1, 5), st.integers(0, 6)),
    st.integers(0, 6).map(MeetingDay.on_last_weekday),
)
schedules = st.builds(
    MeetingSchedule,
    day=days_of_month,
    time=st.builds(time, st.integers(0, 23), st.integers(0, 59)),
    chats=st.lists(
        st.integers(-(10**13), 10**13).filter(bool), min_size=1, max_size=3, unique=True
    ).map(tuple),
    remind_before=st.lists(
        st.integers(1, 30 * 24 * 60).map(lambda minutes: timedelta(minutes=minutes)),
        min_size=1,
        max_size=4,
        unique=True,
    ).map(tuple),
    shift_holidays=st.booleans(),
)


@given(schedules)
def test_every_schedule_round_trips(original: MeetingSchedule) -> None:
    assert from_dict(json.loads(json.dumps(to_dict(original)))) == original
    assert describe(original).startswith("每月")


# --- the date the rule gives --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year", "month", "expected"),
    [
        (31, 2025, 2, date(2025, 2, 28)),
        (31, 2024, 2, date(2024, 2, 29)),  # leap year
        (30, 2026, 2, date(2026, 2, 28)),
        (29, 2100, 2, date(2100, 2, 28)),  # not a leap year
        (31, 2026, 4, date(2026, 4, 30)),
        (31, 2026, 3, date(2026, 3, 31)),
        (1, 2026, 3, date(2026, 3, 1)),
    ],
)
def test_day_past_the_month_end_is_the_last_day(
    day: int, year: int, month: int, expected: date
) -> None:
    assert MeetingDay.on_day(day).in_month(year, month) == expected


def test_weekday_rules() -> None:
    # April 2026 begins on a Wednesday, February 2026 on a Sunday.
    assert MeetingDay.on_nth_weekday(1, 2).in_month(2026, 4) == date(2026, 4, 1)
    assert MeetingDay.on_nth_weekday(2, 2).in_month(2026, 4) == date(2026, 4, 8)
    assert MeetingDay.on_nth_weekday(5, 2).in_month(2026, 4) == date(2026, 4, 29)
    assert MeetingDay.on_nth_weekday(1, 6).in_month(2026, 2) == date(2026, 2, 1)
    assert MeetingDay.on_nth_weekday(2, 2).in_month(2026, 12) == date(2026, 12, 9)
    assert MeetingDay.on_last_weekday(4).in_month(2026, 10) == date(2026, 10, 30)
    assert MeetingDay.on_last_weekday(1).in_month(2026, 3) == date(2026, 3, 31)
    assert MeetingDay.on_last_weekday(5).in_month(2026, 2) == date(2026, 2, 28)


def test_a_missing_fifth_weekday_is_the_last_one() -> None:
    # February 2026 has four Wednesdays (4, 11, 18, 25).
    assert MeetingDay.on_nth_weekday(5, 2).in_month(2026, 2) == date(2026, 2, 25)
    assert MeetingDay.on_nth_weekday(5, 2).in_month(2026, 2) == MeetingDay.on_last_weekday(
        2
    ).in_month(2026, 2)


@given(days_of_month, st.integers(1900, 2100), st.integers(1, 12))
def test_the_rule_stays_in_its_month(day: MeetingDay, year: int, month: int) -> None:
    planned = day.in_month(year, month)
    assert (planned.year, planned.month) == (year, month)
    if day.kind != "day":
        assert planned.weekday() == day.weekday
    if day.kind == "last_weekday":
        assert (planned + timedelta(days=7)).month != month


# --- holidays -----------------------------------------------------------------------------------


def test_spring_festival_2026_moves_the_meeting() -> None:
    # 15–23 February 2026 are off; the 24th (Tuesday) is the first working day after.
    third_tuesday = meeting("第3个周二 19:00", 2026, 2)
    assert third_tuesday.planned == date(2026, 2, 17)
    assert third_tuesday.at == sh(2026, 2, 24, 19)
    assert third_tuesday.shifted
    assert third_tuesday.calendar_known
    assert meeting("15日 19:00", 2026, 2).at == sh(2026, 2, 24, 19)


def test_spring_festival_2025_pushes_january_into_february() -> None:
    # Friday 31 January 2025 is in the Spring Festival holiday (28 Jan – 4 Feb).
    last_friday = meeting("最后一个周五 18:00", 2025, 1)
    assert last_friday.planned == date(2025, 1, 31)
    assert last_friday.at == sh(2025, 2, 5, 18)
    assert last_friday.shifted


def test_national_day_2026_moves_the_meeting() -> None:
    # Friday 2 October 2026 is National Day holiday; 1–7 October are off.
    first_friday = meeting("第1个周五 19:00", 2026, 10)
    assert first_friday.planned == date(2026, 10, 2)
    assert first_friday.at == sh(2026, 10, 8, 19)
    assert first_friday.shifted
    assert meeting("第1个周四 19:00", 2026, 10).at == sh(2026, 10, 8, 19)
    # 2025: National Day and Mid-Autumn together, 1–8 October.
    assert meeting("第1个周三 19:00", 2025, 10).at == sh(2025, 10, 9, 19)


def test_may_day_moves_the_meeting() -> None:
    # 2026: 1–5 May are off (Friday 1st to Tuesday 5th).
    may_day = meeting("1日 19:00", 2026, 5)
    assert may_day.planned == date(2026, 5, 1)
    assert may_day.at == sh(2026, 5, 6, 19)
    # 2025: 1–5 May are off (Thursday 1st to Monday 5th).
    assert meeting("第1个周四 19:00", 2025, 5).at == sh(2025, 5, 6, 19)


def test_a_make_up_working_weekend_day_keeps_the_meeting() -> None:
    # Saturday 10 October 2026 and Saturday 28 February 2026 are make-up working days (调休).
    make_up = meeting("第2个周六 10:00", 2026, 10)
    assert make_up.planned == date(2026, 10, 10)
    assert make_up.at == sh(2026, 10, 10, 10)
    assert not make_up.shifted
    assert meeting("28日 10:00", 2026, 2).at == sh(2026, 2, 28, 10)
    assert meeting("4日 10:00", 2026, 1).at == sh(2026, 1, 4, 10)  # Sunday, 元旦 make-up day
    # An ordinary Saturday moves to Monday.
    ordinary = meeting("第2个周六 10:00", 2026, 11)
    assert ordinary.planned == date(2026, 11, 14)
    assert ordinary.at == sh(2026, 11, 16, 10)
    assert ordinary.shifted


def test_no_shift_keeps_the_holiday_date() -> None:
    kept = meeting("第1个周五 19:00 不顺延", 2026, 10)
    assert kept.planned == date(2026, 10, 2)
    assert kept.at == sh(2026, 10, 2, 19)
    assert not kept.shifted
    assert kept.calendar_known


def test_an_ordinary_working_day_is_not_shifted() -> None:
    plain = meeting("第2个周三 19:00", 2026, 12)
    assert plain == Occurrence(date(2026, 12, 9), sh(2026, 12, 9, 19), False, True)


@needs_unknown_2027
def test_unknown_year_counts_weekends_only_and_says_so() -> None:
    # 1 January 2027 is a Friday: surely New Year's Day off, but the data does not say so yet.
    new_year = meeting("1日 19:00", 2027, 1)
    assert new_year.at == sh(2027, 1, 1, 19)
    assert not new_year.shifted
    assert not new_year.calendar_known
    # 1 May 2027 is a Saturday: moved to Monday by the weekend rule alone.
    may_day = meeting("1日 19:00", 2027, 5)
    assert may_day.at == sh(2027, 5, 3, 19)
    assert may_day.shifted
    assert not may_day.calendar_known


@needs_unknown_2027
def test_overrides_make_an_unknown_year_known() -> None:
    calendar = WorkCalendar({date(2027, 1, 1): False})
    new_year = meeting("1日 19:00", 2027, 1, calendar)
    assert new_year.at == sh(2027, 1, 4, 19)
    assert new_year.shifted
    assert new_year.calendar_known


def test_a_shift_into_an_unknown_year_is_flagged() -> None:
    # Thursday 31 December 2026 is off by override; 2027 is then consulted for the next day.
    calendar = WorkCalendar({date(2026, 12, 31): False})
    year_end = meeting("31日 19:00", 2026, 12, calendar)
    assert year_end.at == sh(2027, 1, 1, 19)
    assert year_end.calendar_known == CAL.knows_year(UNKNOWN_YEAR)


# --- time zone ----------------------------------------------------------------------------------


def test_shanghai_wall_clock_without_dst() -> None:
    rule = parse_spec("15 19:00", CHAT)
    for month in range(1, 13):
        at = occurrence(rule, 2026, month, CAL, SHANGHAI).at
        assert at.tzinfo is SHANGHAI
        assert at.utcoffset() == timedelta(hours=8)
        assert at.time() == time(19)
        assert at.astimezone(UTC).time() == time(11)


def test_other_time_zone_keeps_the_wall_clock() -> None:
    at = occurrence(parse_spec("第2个周三 19:00", CHAT), 2026, 12, CAL, UTC).at
    assert at == datetime(2026, 12, 9, 19, tzinfo=UTC)


# --- the next meeting ---------------------------------------------------------------------------


def test_next_occurrence_in_the_same_month() -> None:
    rule = parse_spec("第2个周三 19:00", CHAT)
    assert next_occurrence(rule, sh(2026, 12, 1), CAL, SHANGHAI).at == sh(2026, 12, 9, 19)
    assert next_occurrence(rule, sh(2026, 12, 9, 18, 59), CAL).at == sh(2026, 12, 9, 19)


def test_next_occurrence_is_strictly_after() -> None:
    rule = parse_spec("第2个周三 19:00", CHAT)
    assert next_occurrence(rule, sh(2026, 12, 9, 19), CAL, SHANGHAI).at == sh(2027, 1, 13, 19)
    # The same instant given in UTC.
    in_utc = datetime(2026, 12, 9, 11, tzinfo=UTC)
    assert next_occurrence(rule, in_utc, CAL, SHANGHAI).at == sh(2027, 1, 13, 19)
    just_before = datetime(2026, 12, 9, 10, 59, tzinfo=UTC)
    assert next_occurrence(rule, just_before, CAL, SHANGHAI).at == sh(2026, 12, 9, 19)


def test_next_occurrence_across_the_year_boundary() -> None:
    rule = parse_spec("第2个周三 19:00", CHAT)
    assert next_occurrence(rule, sh(2024, 12, 31, 23, 59), CAL).at == sh(2025, 1, 8, 19)
    last_friday = parse_spec("最后一个周五 18:00", CHAT)
    upcoming = next_occurrence(last_friday, sh(2026, 12, 25, 18), CAL, SHANGHAI)
    assert upcoming.planned == date(2027, 1, 29)
    assert upcoming.at == sh(2027, 1, 29, 18)
    assert upcoming.calendar_known == CAL.knows_year(UNKNOWN_YEAR)


def test_next_occurrence_finds_last_months_meeting_moved_by_a_holiday() -> None:
    rule = parse_spec("最后一个周五 18:00", CHAT)
    moved = next_occurrence(rule, sh(2025, 2, 1), CAL, SHANGHAI)
    assert moved.planned == date(2025, 1, 31)
    assert moved.at == sh(2025, 2, 5, 18)
    following = next_occurrence(rule, moved.at, CAL, SHANGHAI)
    assert following.planned == date(2025, 2, 28)
    assert following.at == sh(2025, 2, 28, 18)


def test_next_occurrence_needs_an_aware_datetime() -> None:
    with pytest.raises(ValueError):
        next_occurrence(parse_spec("15 19:00", CHAT), datetime(2026, 1, 1), CAL, SHANGHAI)


# --- reminders ----------------------------------------------------------------------------------


def test_reminder_keys_and_dues() -> None:
    rule = parse_spec("第2个周三 19:00", CHAT)
    upcoming = next_occurrence(rule, sh(2026, 12, 1), CAL, SHANGHAI)
    assert upcoming.reminders(rule) == [
        ("meeting:2026-12-09:3d", sh(2026, 12, 6, 19)),
        ("meeting:2026-12-09:1h", sh(2026, 12, 9, 18)),
    ]


def test_reminder_keys_name_the_actual_date_and_every_lead() -> None:
    rule = parse_spec("第1个周五 19:00 提前 1h 90m 2天 30分钟", CHAT)
    moved = occurrence(rule, 2026, 10, CAL, SHANGHAI)
    assert moved.reminders(rule) == [
        ("meeting:2026-10-08:2d", sh(2026, 10, 6, 19)),
        ("meeting:2026-10-08:90m", sh(2026, 10, 8, 17, 30)),
        ("meeting:2026-10-08:1h", sh(2026, 10, 8, 18)),
        ("meeting:2026-10-08:30m", sh(2026, 10, 8, 18, 30)),
    ]


def test_reminders_are_sorted_by_due_whatever_the_stored_order() -> None:
    rule = schedule(MeetingDay.on_day(15), remind_before=(H1, D3, timedelta(hours=26)))
    keys = [key for key, _ in occurrence(rule, 2026, 12, CAL, SHANGHAI).reminders(rule)]
    assert keys == ["meeting:2026-12-15:3d", "meeting:2026-12-15:26h", "meeting:2026-12-15:1h"]


def test_reminder_keys_survive_a_restart() -> None:
    rule = parse_spec("最后一个周五 18:00 提前3天,1小时", CHAT)
    first = next_occurrence(rule, sh(2026, 3, 1), CAL, SHANGHAI).reminders(rule)
    reloaded = from_dict(json.loads(json.dumps(to_dict(rule))))
    again = next_occurrence(reloaded, sh(2026, 3, 20), WorkCalendar(), SHANGHAI)
    assert again.reminders(reloaded) == first


def test_reminders_skip_nothing_even_when_due_has_passed() -> None:
    rule = parse_spec("15 19:00", CHAT)
    now = sh(2026, 12, 15, 12)
    upcoming = next_occurrence(rule, now, CAL, SHANGHAI)
    reminders = upcoming.reminders(rule)
    assert len(reminders) == 2
    assert reminders[0][1] < now < reminders[1][1]


# --- properties ---------------------------------------------------------------------------------

WEEKDAY_WORDS = ("周一", "周二", "星期三", "周四", "星期五", "周六", "周日")


@st.composite
def specs(draw: st.DrawFn) -> tuple[str, MeetingSchedule]:
    """A spec as an admin might type it, with the schedule it must give."""
    kind = draw(st.sampled_from(("day", "nth_weekday", "last_weekday")))
    weekday = draw(st.integers(0, 6))
    if kind == "day":
        number = draw(st.integers(1, 31))
        day = MeetingDay.on_day(number)
        day_text = draw(st.sampled_from((f"{number}", f"{number}日", f"每月{number}号")))
    elif kind == "nth_weekday":
        nth = draw(st.integers(1, 5))
        day = MeetingDay.on_nth_weekday(nth, weekday)
        day_text = f"第{nth}个{WEEKDAY_WORDS[weekday]}"
    else:
        day = MeetingDay.on_last_weekday(weekday)
        day_text = f"最后一个{WEEKDAY_WORDS[weekday]}"
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    time_text = draw(st.sampled_from((f"{hour}:{minute:02d}", f"{hour}点{minute}")))
    leads = draw(st.lists(st.sampled_from((D3, H1, timedelta(days=1))), max_size=3, unique=True))
    remind_text = ""
    if leads:
        words = {D3: "3天", H1: "1小时", timedelta(days=1): "1天"}
        remind_text = "提前" + ",".join(words[lead] for lead in leads)
    shift = draw(st.booleans())
    pieces = [day_text, time_text, remind_text, "" if shift else "不顺延"]
    text = " ".join(draw(st.permutations(pieces)))
    expected = MeetingSchedule(
        day,
        time(hour, minute),
        (CHAT,),
        tuple(sorted(leads, reverse=True)) or DEFAULT_REMIND_BEFORE,
        shift,
    )
    return text, expected


instants = st.datetimes(
    min_value=datetime(2003, 6, 1), max_value=datetime(2028, 6, 30), timezones=st.just(SHANGHAI)
) | st.datetimes(
    min_value=datetime(2003, 6, 1), max_value=datetime(2028, 6, 30), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(specs(), instants)
def test_next_occurrence_properties(spec: tuple[str, MeetingSchedule], after: datetime) -> None:
    text, expected = spec
    rule = parse_spec(text, CHAT)
    assert rule == expected
    upcoming = next_occurrence(rule, after, CAL, SHANGHAI)
    day = upcoming.at.date()

    assert upcoming.at > after
    assert upcoming.at.tzinfo is SHANGHAI
    assert upcoming.at.time() == rule.time
    assert upcoming.calendar_known == (
        CAL.knows_year(upcoming.planned.year) and CAL.knows_year(day.year)
    )
    if rule.shift_holidays and CAL.knows_year(day.year):
        assert CAL.is_workday(day)
    if upcoming.shifted:
        # Moved to the *next* working day: every day skipped was a day off.
        assert rule.shift_holidays
        assert day > upcoming.planned
        skipped = (day - upcoming.planned).days
        assert not any(CAL.is_workday(upcoming.planned + timedelta(days=i)) for i in range(skipped))
    else:
        assert day == upcoming.planned

    # Nothing is skipped: no meeting of a nearby month falls between `after` and the answer.
    local = after.astimezone(SHANGHAI)
    for offset in range(-2, 3):
        year, month = divmod(local.year * 12 + local.month - 1 + offset, 12)
        other = occurrence(rule, year, month + 1, CAL, SHANGHAI)
        assert not after < other.at < upcoming.at
