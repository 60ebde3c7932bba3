"""Working-day arithmetic against the real Chinese holiday schedules of 2024–2026.

Expected dates are written out literally (taken from the State Council notices as packaged by
chinesecalendar) so that a data change in the package shows up as a failing test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.clock.workdays import SHANGHAI, UNKNOWN_YEAR_NOTE, WorkCalendar

CAL = WorkCalendar()

# A year far from any the package will ever cover, before its first year (2004).
UNKNOWN_YEAR = 1999


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


# --- coverage -----------------------------------------------------------------------------------


def test_package_covers_recent_years() -> None:
    assert {2024, 2025, 2026} <= set(CAL.package_years())
    assert CAL.covered_years() == CAL.package_years()
    assert all(CAL.knows_year(year) for year in (2024, 2025, 2026))
    assert not CAL.knows_year(UNKNOWN_YEAR)


def test_agrees_with_package_on_every_covered_day() -> None:
    for year in CAL.package_years():
        for day in days(date(year, 1, 1), date(year, 12, 31)):
            assert CAL.is_workday(day) == chinese_calendar.is_workday(day), day


# --- Spring Festival ----------------------------------------------------------------------------


def test_spring_festival_2025() -> None:
    assert CAL.is_workday(date(2025, 1, 26))  # Sunday, make-up working day
    assert not any(CAL.is_workday(d) for d in days(date(2025, 1, 28), date(2025, 2, 4)))
    assert CAL.is_workday(date(2025, 2, 8))  # Saturday, make-up working day
    assert not CAL.is_workday(date(2025, 2, 9))  # the Sunday after is an ordinary weekend
    assert CAL.holiday_name(date(2025, 1, 29)) == "春节"
    assert CAL.holiday_name(date(2025, 1, 26)) == "春节"
    assert CAL.holiday_name(date(2025, 3, 3)) is None


def test_spring_festival_2024() -> None:
    assert CAL.is_workday(date(2024, 2, 4))  # Sunday
    assert not any(CAL.is_workday(d) for d in days(date(2024, 2, 10), date(2024, 2, 17)))
    assert CAL.is_workday(date(2024, 2, 18))  # Sunday


def test_spring_festival_2026() -> None:
    assert CAL.is_workday(date(2026, 2, 14))  # Saturday
    assert not any(CAL.is_workday(d) for d in days(date(2026, 2, 15), date(2026, 2, 23)))
    assert CAL.is_workday(date(2026, 2, 24))
    assert CAL.is_workday(date(2026, 2, 28))  # Saturday


def test_add_working_days_across_spring_festival_2025() -> None:
    friday = date(2025, 1, 24)
    assert CAL.add_working_days(friday, 1) == date(2025, 1, 26)  # the make-up Sunday
    assert CAL.add_working_days(friday, 2) == date(2025, 1, 27)
    assert CAL.add_working_days(friday, 3) == date(2025, 2, 5)
    assert CAL.working_days_between(friday, date(2025, 2, 5)) == 3
    assert CAL.working_days_between(date(2025, 1, 27), date(2025, 2, 4)) == 0


# --- National Day -------------------------------------------------------------------------------


def test_national_day_2025() -> None:
    assert CAL.is_workday(date(2025, 9, 28))  # Sunday
    assert not any(CAL.is_workday(d) for d in days(date(2025, 10, 1), date(2025, 10, 8)))
    assert CAL.is_workday(date(2025, 10, 9))
    assert CAL.is_workday(date(2025, 10, 11))  # Saturday
    assert CAL.holiday_name(date(2025, 10, 8)) == "国庆节"


def test_national_day_2024() -> None:
    assert CAL.is_workday(date(2024, 9, 29))  # Sunday
    assert not any(CAL.is_workday(d) for d in days(date(2024, 10, 1), date(2024, 10, 7)))
    assert CAL.is_workday(date(2024, 10, 12))  # Saturday


def test_national_day_2026() -> None:
    assert CAL.is_workday(date(2026, 9, 20))  # Sunday
    assert not any(CAL.is_workday(d) for d in days(date(2026, 10, 1), date(2026, 10, 7)))
    assert CAL.is_workday(date(2026, 10, 10))  # Saturday


def test_notice_period_across_national_day_2025() -> None:
    # "Report at least 7 working days ahead" for an event on Friday 2025-10-17.
    event = date(2025, 10, 17)
    # After 9-26: 9-28 (Sunday, make-up), 29, 30, then 10-9, 10, 11 (Saturday, make-up),
    # 13, 14, 15, 16, 17.
    assert CAL.working_days_between(date(2025, 9, 26), event) == 11
    assert CAL.working_days_between(date(2025, 9, 30), event) == 8
    assert CAL.working_days_between(date(2025, 10, 1), event) == 8
    assert CAL.working_days_between(date(2025, 10, 9), event) == 7
    assert CAL.add_working_days(date(2025, 10, 9), 7) == event
    assert CAL.add_working_days(date(2025, 9, 30), 7) == date(2025, 10, 16)


def test_next_workday() -> None:
    assert CAL.next_workday(date(2025, 10, 1)) == date(2025, 10, 9)
    assert CAL.next_workday(date(2025, 10, 11)) == date(2025, 10, 11)  # make-up Saturday
    assert CAL.next_workday(date(2025, 10, 18)) == date(2025, 10, 20)  # ordinary Saturday
    assert CAL.next_workday(date(2025, 10, 20)) == date(2025, 10, 20)


# --- counting edge cases ------------------------------------------------------------------------


def test_counting_conventions() -> None:
    monday = date(2025, 3, 17)
    assert CAL.add_working_days(monday, 0) == monday
    saturday = date(2025, 3, 15)
    assert CAL.add_working_days(saturday, 0) == saturday
    assert CAL.working_days_between(monday, monday) == 0
    assert CAL.working_days_between(saturday, monday) == 1
    assert CAL.working_days_between(monday, saturday) == -1
    assert CAL.add_working_days(date(2025, 3, 14), 1) == monday
    with pytest.raises(ValueError):
        CAL.add_working_days(monday, -1)


def test_accepts_datetimes_as_days() -> None:
    assert CAL.is_workday(datetime(2025, 10, 11, 23, 0))
    assert CAL.next_workday(datetime(2025, 10, 1, 8, 0)) == date(2025, 10, 9)


def test_long_spans_are_cheap() -> None:
    assert CAL.working_days_between(date(1, 1, 1), date(9999, 12, 31)) > 2_500_000
    assert CAL.add_working_days(date(2000, 1, 1), 1_000_000) > date(5800, 1, 1)
    with pytest.raises(OverflowError):
        CAL.add_working_days(date(9999, 12, 1), 100)


# --- overrides ----------------------------------------------------------------------------------


def test_overrides_win_over_package() -> None:
    calendar = WorkCalendar(
        {
            date(2025, 10, 8): True,  # package: National Day holiday (Wednesday)
            date(2025, 10, 11): False,  # package: make-up working Saturday
            date(2025, 11, 12): False,  # ordinary Wednesday, campus day off
            datetime(2025, 11, 15, 12, 0): True,  # ordinary Saturday; datetime keys allowed
        }
    )
    assert calendar.is_workday(date(2025, 10, 8))
    assert not calendar.is_workday(date(2025, 10, 11))
    assert not calendar.is_workday(date(2025, 11, 12))
    assert calendar.is_workday(date(2025, 11, 15))
    assert calendar.holiday_name(date(2025, 10, 8)) is None
    assert calendar.working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 1
    assert CAL.working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    # 10-8, 9, 10 with the overrides; 10-9, 10, 11 without.
    assert calendar.working_days_between(date(2025, 9, 30), date(2025, 10, 12)) == 3
    assert CAL.working_days_between(date(2025, 9, 30), date(2025, 10, 12)) == 3
    assert calendar.working_days_between(date(2025, 10, 10), date(2025, 10, 12)) == 0
    assert calendar.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 8)
    # The default calendar is untouched.
    assert not CAL.is_workday(date(2025, 10, 8))


def test_overrides_are_copied() -> None:
    overrides = {date(2025, 11, 12): False}
    calendar = WorkCalendar(overrides)
    overrides[date(2025, 11, 12)] = True
    assert not calendar.is_workday(date(2025, 11, 12))


def test_overrides_make_a_year_known() -> None:
    # Entering a schedule for a year the package does not know yet.
    calendar = WorkCalendar({date(UNKNOWN_YEAR, 10, 1): False, date(UNKNOWN_YEAR, 9, 26): True})
    assert calendar.knows_year(UNKNOWN_YEAR)
    assert UNKNOWN_YEAR in calendar.covered_years()
    assert UNKNOWN_YEAR not in calendar.package_years()
    assert not calendar.is_workday(date(UNKNOWN_YEAR, 10, 1))  # a Friday
    assert calendar.is_workday(date(UNKNOWN_YEAR, 9, 26))  # a Sunday
    assert calendar.unknown_years(date(UNKNOWN_YEAR, 12, 1), date(UNKNOWN_YEAR, 12, 31)) == ()


# --- unknown years ------------------------------------------------------------------------------


def test_unknown_year_counts_weekends_only() -> None:
    assert not CAL.knows_year(UNKNOWN_YEAR)
    assert CAL.is_workday(date(UNKNOWN_YEAR, 10, 1))  # a Friday: National Day is not known
    assert not CAL.is_workday(date(UNKNOWN_YEAR, 10, 2))  # Saturday
    assert not CAL.is_workday(date(UNKNOWN_YEAR, 10, 3))  # Sunday
    assert CAL.working_days_between(date(UNKNOWN_YEAR, 9, 30), date(UNKNOWN_YEAR, 10, 7)) == 5
    assert CAL.holiday_name(date(UNKNOWN_YEAR, 10, 1)) is None


def test_unknown_years_lists_what_a_span_touches() -> None:
    last = CAL.package_years()[-1]
    assert CAL.unknown_years(date(last, 12, 20), date(last + 1, 1, 10)) == (last + 1,)
    assert CAL.unknown_years(date(last + 2, 1, 1), date(last, 1, 1)) == (last + 1, last + 2)
    assert CAL.unknown_years(date(2025, 1, 1), date(2025, 12, 31)) == ()
    assert UNKNOWN_YEAR_NOTE == "该年份的节假日尚未收录，只按周末计算"


# --- working hours ------------------------------------------------------------------------------


def test_working_hours_within_a_day() -> None:
    assert CAL.add_working_hours(sh(2025, 3, 17, 10, 0), 2) == sh(2025, 3, 17, 12, 0)
    assert CAL.add_working_hours(sh(2025, 3, 17, 7, 0), 1) == sh(2025, 3, 17, 10, 0)
    # Ending exactly at closing time stays on that day.
    assert CAL.add_working_hours(sh(2025, 3, 17, 9, 0), 9) == sh(2025, 3, 17, 18, 0)
    assert CAL.add_working_hours(sh(2025, 3, 17, 9, 0), 18) == sh(2025, 3, 18, 18, 0)
    assert CAL.add_working_hours(sh(2025, 3, 17, 9, 0), 9.5) == sh(2025, 3, 18, 9, 30)
    assert CAL.add_working_hours(sh(2025, 3, 17, 12, 0), 0) == sh(2025, 3, 17, 12, 0)


def test_working_hours_across_weekend() -> None:
    assert CAL.add_working_hours(sh(2025, 3, 14, 17, 0), 2) == sh(2025, 3, 17, 10, 0)
    assert CAL.add_working_hours(sh(2025, 3, 14, 20, 0), 1) == sh(2025, 3, 17, 10, 0)
    assert CAL.add_working_hours(sh(2025, 3, 15, 12, 0), 0) == sh(2025, 3, 17, 9, 0)


def test_working_hours_across_holiday_and_make_up_day() -> None:
    # Tuesday 2025-09-30 17:00: one hour left, then National Day until Thursday 10-09.
    assert CAL.add_working_hours(sh(2025, 9, 30, 17, 0), 3) == sh(2025, 10, 9, 11, 0)
    # Friday 2025-10-10 17:00: the next day is a make-up working Saturday.
    assert CAL.add_working_hours(sh(2025, 10, 10, 17, 0), 2) == sh(2025, 10, 11, 10, 0)
    # Spring Festival 2025, 3 working days of 9 hours from the last morning before it.
    assert CAL.add_working_hours(sh(2025, 1, 27, 9, 0), 27) == sh(2025, 2, 6, 18, 0)


def test_working_hours_time_zones() -> None:
    # 09:00 UTC is 17:00 in Shanghai, on a Friday.
    result = CAL.add_working_hours(datetime(2025, 3, 14, 9, 0, tzinfo=UTC), 2)
    assert result == sh(2025, 3, 17, 10, 0)
    assert result.tzinfo is SHANGHAI
    naive = CAL.add_working_hours(datetime(2025, 3, 14, 17, 0), 2)
    assert naive == sh(2025, 3, 17, 10, 0)
    assert naive.tzinfo is SHANGHAI


def test_working_hours_custom_day() -> None:
    result = CAL.add_working_hours(
        sh(2025, 3, 14, 16, 0), 3, day_start=time(8, 30), day_end=time(17, 30)
    )
    assert result == sh(2025, 3, 17, 10, 0)


@pytest.mark.parametrize(
    ("hours", "day_start", "day_end"),
    [
        (-1.0, time(9), time(18)),
        (float("nan"), time(9), time(18)),
        (float("inf"), time(9), time(18)),
        (1.0, time(18), time(9)),
        (1.0, time(9), time(9)),
        (1.0, time(9, tzinfo=UTC), time(18)),
    ],
)
def test_working_hours_rejects_bad_arguments(hours: float, day_start: time, day_end: time) -> None:
    with pytest.raises(ValueError):
        CAL.add_working_hours(sh(2025, 3, 17, 9, 0), hours, day_start, day_end)


# --- properties ---------------------------------------------------------------------------------

_days = st.dates(min_value=date(2003, 6, 1), max_value=date(2028, 6, 30))
_overrides = st.dictionaries(
    st.dates(min_value=date(2024, 9, 1), max_value=date(2027, 3, 31)), st.booleans(), max_size=40
)


@settings(deadline=None)
@given(start=_days, n=st.integers(min_value=1, max_value=400), overrides=_overrides)
def test_add_working_days_round_trips(start: date, n: int, overrides: dict[date, bool]) -> None:
    calendar = WorkCalendar(overrides)
    result = calendar.add_working_days(start, n)
    assert result > start
    assert calendar.is_workday(result)
    assert calendar.working_days_between(start, result) == n
    # It is the *first* such day.
    assert calendar.working_days_between(start, result - timedelta(days=1)) == n - 1


@settings(deadline=None)
@given(
    start=_days,
    span=st.integers(min_value=-60, max_value=60),
    overrides=_overrides,
)
def test_working_days_between_matches_naive_count(
    start: date, span: int, overrides: dict[date, bool]
) -> None:
    calendar = WorkCalendar(overrides)
    end = start + timedelta(days=span)
    low, high = sorted((start, end))
    naive = sum(calendar.is_workday(d) for d in days(low + timedelta(days=1), high))
    assert calendar.working_days_between(start, end) == (naive if end >= start else -naive)


@settings(deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31)),
    hours=st.floats(min_value=0.01, max_value=200),
)
def test_working_hours_land_in_working_time(start: datetime, hours: float) -> None:
    result = CAL.add_working_hours(start, hours)
    assert result > start.replace(tzinfo=SHANGHAI)
    assert CAL.is_workday(result.date())
    assert time(9) < result.time() <= time(18)
