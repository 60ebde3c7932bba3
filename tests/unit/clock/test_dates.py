"""Dates as members type them, read the same way by every command."""

from __future__ import annotations

from datetime import date

import pytest

from bot.clock.dates import DateUnreadable, parse_day, parse_full_day

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-10",
        "2026/12/10",
        "2026.12.10",
        "2026年12月10日",
        "20261210",
        " ２０２６-１２-１０ ",
    ],
)
def test_every_full_form_reads_the_same_day(text: str) -> None:
    assert parse_full_day(text) == date(2026, 12, 10)
    assert parse_day(text, TODAY) == date(2026, 12, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12月10日", date(2026, 12, 10)),
        ("12-10", date(2026, 12, 10)),
        ("11月20日", date(2026, 11, 20)),  # days ago: the day just gone, not next year's
        ("1月5日", date(2027, 1, 5)),
        ("2月29日", date(2028, 2, 29)),  # the next leap year
    ],
)
def test_a_day_without_its_year_is_the_nearest_sensible_one(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("2026-02-30", "invalid"), ("13月1日", "invalid"), ("下周一", "malformed"), ("", "malformed")],
)
def test_what_is_not_a_date_says_why(text: str, reason: str) -> None:
    with pytest.raises(DateUnreadable) as refused:
        parse_day(text, TODAY)
    assert refused.value.reason == reason


def test_a_full_day_needs_its_year() -> None:
    with pytest.raises(DateUnreadable) as refused:
        parse_full_day("12月10日")
    assert refused.value.reason == "malformed"
