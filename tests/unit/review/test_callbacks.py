"""Callback data: round trips, and forged or malformed data parsed to nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.review.callbacks import (
    MAX_CALLBACK_BYTES,
    ClaimTap,
    IntakeTap,
    PublishTap,
    RejectTap,
    ReviewTap,
    SendTap,
    parse,
)

TAPS = [
    ReviewTap(9_999_999_999, 9_999_999_999, 3, True),
    ReviewTap(1, 1, 1, False),
    RejectTap(12, "2"),
    RejectTap(12, "n"),
    IntakeTap(5, "c5"),
    IntakeTap(5, "go"),
    ClaimTap(3, 2),
    SendTap(3, 2),
    PublishTap(7, 1),
]


@pytest.mark.parametrize("tap", TAPS)
def test_round_trip_within_telegram_limit(tap: object) -> None:
    data = tap.encode()  # type: ignore[attr-defined]
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert parse(data) == tap


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "rv:1:1:4:a",
        "rv:0:1:1:a",
        "rv:1:1:1:z",
        "rv:01:1:1:a",
        "rv:1:1:1:a:extra",
        "rv:-1:1:1:a",
        "in:1:c6",
        "in:1:zz",
        "rj:1:4",
        "ed:1:1:q",
        "pb:1",
        "x" * 65,
        "rv:1:1:1:a\n",
        "ｒｖ:1:1:1:a",
    ],
)
def test_malformed_data_is_rejected(data: str | None) -> None:
    assert parse(data) is None


@given(st.text(max_size=80))
def test_parse_never_raises(data: str) -> None:
    parse(data)
