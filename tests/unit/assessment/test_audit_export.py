"""Date ranges for the audit export."""

from __future__ import annotations

from datetime import date

import pytest

from bot.assessment.audit_csv import AuditRange, RangeError, parse_range

TODAY = date(2026, 11, 24)


def test_default_is_the_last_thirty_days() -> None:
    assert parse_range([], TODAY) == AuditRange(date(2026, 10, 26), TODAY)


def test_one_or_two_dates() -> None:
    assert parse_range(["2026-11-01"], TODAY) == AuditRange(date(2026, 11, 1), TODAY)
    assert parse_range(["2026-11-01", "2026-11-02"], TODAY) == AuditRange(
        date(2026, 11, 1), date(2026, 11, 2)
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["2026-13-01"], "2026-13-01"),
        (["昨天"], "昨天"),
        (["2026-11-05", "2026-11-01"], "晚于"),
        (["2026-11-01", "2026-11-02", "2026-11-03"], "用法"),
    ],
)
def test_bad_ranges_say_what_is_wrong(args: list[str], fragment: str) -> None:
    with pytest.raises(RangeError, match=fragment):
        parse_range(args, TODAY)
