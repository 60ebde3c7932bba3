"""Personal data: ID-card, mobile and bank-card numbers, with checksums and spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filters import Screener, normalise
from filters.normalise import normalise_noting_astral
from filters.personal import (
    find_personal_data,
    is_bank_card,
    is_id_card,
    is_mobile,
    may_hold_personal_data,
)
from tests.unit.filters.support import id_number, luhn_number

VALID_ID = id_number("11010519491231002")  # the well-known sample, check character X
OTHER_ID = id_number("44030620010215123")
CARD = luhn_number("622202100112345678")  # 19 digits


def _found(text: str) -> list[tuple[str, str]]:
    return [(hit.term, text[hit.start : hit.end]) for hit in find_personal_data(text)]


def test_checks() -> None:
    assert VALID_ID == "11010519491231002X"
    assert is_id_card(VALID_ID) and is_id_card(VALID_ID.lower())
    assert is_id_card(OTHER_ID)
    wrong_check = VALID_ID[:17] + "1"
    assert not is_id_card(wrong_check)
    assert not is_id_card(id_number("11010519491332002"))  # month 13
    assert not is_id_card(id_number("99010519491231002"))  # no such province
    assert is_mobile("13800138000") and not is_mobile("12800138000")
    assert is_bank_card(CARD)
    assert not is_bank_card(CARD[:-1] + str((int(CARD[-1]) + 1) % 10))
    assert not is_bank_card(luhn_number("012345678901234"))  # leading zero


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"身份证号：{VALID_ID}。", [("身份证号", VALID_ID)]),
        (f"身份证号：{VALID_ID.lower()}", [("身份证号", VALID_ID.lower())]),
        (
            f"身份证 {VALID_ID[:6]} {VALID_ID[6:14]} {VALID_ID[14:]}",
            [("身份证号", VALID_ID[:6] + " " + VALID_ID[6:14] + " " + VALID_ID[14:])],
        ),
        (f"号码 {VALID_ID[:17]}1", []),
        (f"编号 9{VALID_ID}", []),  # part of a longer digit run
        ("电话 13800138000", [("手机号", "13800138000")]),
        ("电话 138 0013 8000 谢谢", [("手机号", "138 0013 8000")]),
        ("电话 138-0013-8000", [("手机号", "138-0013-8000")]),
        ("电话 +8613800138000", [("手机号", "13800138000")]),
        ("电话 １３８００１３８０００", [("手机号", "１３８００１３８０００")]),
        ("订单 138001380001", []),  # twelve digits
        ("订单 213800138000", []),
        ("电话 12800138000", []),
        ("电话：13800138000，13900139000", [("手机号", "13800138000"), ("手机号", "13900139000")]),
        ("2024 13800138000", [("手机号", "13800138000")]),
        (f"卡号 {CARD}", [("银行卡号", CARD)]),
        (
            f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}",
            [("银行卡号", f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}")],
        ),
        (f"卡号 {CARD[:-1]}{(int(CARD[-1]) + 1) % 10}", []),
        ("没有数字", []),
    ],
)
def test_finds_numbers_with_their_spans(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_personal_data_hits_are_warn_in_their_category() -> None:
    verdict = Screener([]).screen(f"身份证 {OTHER_ID}，手机 13800138000，卡 {CARD}")
    assert verdict.verdict == "warn"
    assert [(h.term, h.category, h.severity, h.found_by) for h in verdict.hits] == [
        ("身份证号", "个人信息", "warn", "pattern"),
        ("手机号", "个人信息", "warn", "pattern"),
        ("银行卡号", "个人信息", "warn", "pattern"),
    ]


# Digit groups of every kind the finder reads, joined by its separators or by anything else.
_PIECES = st.one_of(
    st.sampled_from(
        ["13800138000", VALID_ID, CARD, "+86", "１３８", "٣", "𝟙", "𐒡", "x", "X", "年", "，"]
    ),
    st.text("0123456789", min_size=1, max_size=6),
    st.sampled_from([" ", "-", ".", "\u00a0", "\u3000", "\u2014", "\uff0d", "\u200b", "\ufeff"]),
)


@settings(deadline=None, max_examples=400)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_the_prefilter_never_hides_a_number(text: str) -> None:
    if list(find_personal_data(text)):
        norm, astral = normalise_noting_astral(text)
        assert norm.text == normalise(text).text
        assert astral == any(ord(ch) > 0xFFFF for ch in text)
        assert may_hold_personal_data(norm.text, astral)
