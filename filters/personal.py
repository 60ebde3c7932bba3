"""Personal data recognised by shape and checksum: ID-card, mobile and bank-card numbers.

Numbers are read from the original text. Digits may be grouped with spaces, hyphens, dots
or invisible characters (``138 0013 8000``, ``6222-0210-0112-3456``); a number must consist
of whole groups, so it is never a slice of a longer digit run. In a run of several groups
each starting group takes the longest valid number, preferring an ID-card number to a bank
card to a mobile number.

* ID card (身份证号): 17 digits and a check character (digit or X), ISO 7064 MOD 11-2 check,
  a mainland province code and a real birth date (which rules out most random 18-digit
  numbers that happen to pass the check).
* Mobile (手机号): 11 digits starting 13-19; ``+86`` in front is allowed.
* Bank card (银行卡号): 16 to 19 digits, not starting with 0, passing the Luhn check.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterator
from typing import Final

from filters.lazy import Lazy
from filters.model import Hit

__all__ = [
    "CATEGORY",
    "find_personal_data",
    "is_bank_card",
    "is_id_card",
    "is_mobile",
    "may_hold_personal_data",
    "prepare",
]

logger = logging.getLogger(__name__)

CATEGORY: Final = "个人信息"
ID_CARD: Final = "身份证号"
MOBILE: Final = "手机号"
BANK_CARD: Final = "银行卡号"

_SEPARATOR: Final = r"[ \t\u00a0\u3000\-\u2010-\u2015\uff0d.\u200b-\u200d\u2060\ufeff]{1,3}"
# "\d\d*" rather than "\d+": a pattern that opens with a single class lets the regex engine
# skip ahead to the next digit, which makes scanning a long text without numbers much quicker.
_RUN: Final = re.compile(rf"\d\d*(?:{_SEPARATOR}\d+)*(?:[Xx](?![A-Za-z]))?")
_GROUP: Final = re.compile(r"\d+[Xx]?")
_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK: Final = "10X98765432"
_PROVINCES: Final = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
_MOBILE: Final = re.compile(r"1[3-9]\d{9}")
_LONGEST: Final = 19
_SHORTEST: Final = 11


def _long_digits() -> re.Pattern[str]:
    # "[digit][digit]{10}" with the BMP's decimal digits spelt out: a leading single class
    # lets the regex engine skip ahead, and a class is one bitmap lookup where "\d" asks the
    # Unicode database for every character of a long text. Built on first use (a few
    # milliseconds), not at import.
    digits = "".join(re.escape(ch) for ch in map(chr, range(0x10000)) if ch.isdecimal())
    return re.compile(f"[{digits}][{digits}]{{{_SHORTEST - 1}}}")


_LONG_DIGITS: Final = Lazy(_long_digits)


def is_id_card(number: str) -> bool:
    """Whether ``number`` (18 characters, ASCII) is a valid mainland ID-card number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(number, _ID_WEIGHTS, strict=False)) % 11]
    if number[17].upper() != check or int(number[:2]) not in _PROVINCES:
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def is_mobile(number: str) -> bool:
    """Whether ``number`` (ASCII digits) is a mainland mobile number."""
    return _MOBILE.fullmatch(number) is not None


def is_bank_card(number: str) -> bool:
    """Whether ``number`` (ASCII digits) looks like a bank-card number (length and Luhn)."""
    if not 16 <= len(number) <= 19 or not number.isdigit() or number[0] == "0":
        return False
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def prepare() -> None:
    """Build the digit-run pattern now instead of on the first draft."""
    _LONG_DIGITS.get()


def may_hold_personal_data(normalised: str, astral: bool) -> bool:
    """Whether a text may hold a number ``find_personal_data`` finds, from its normalised
    form and whether it has characters beyond the BMP.

    Every separator allowed inside a number is deleted by normalisation and every digit of
    the BMP is kept, so such a number leaves at least ``_SHORTEST`` digits in a row there.
    Digits beyond the BMP are deleted instead, so a text with any character there is always
    searched.
    """
    return astral or _LONG_DIGITS.get().search(normalised) is not None


def find_personal_data(text: str) -> Iterator[Hit]:
    """Hits (category 个人信息, severity warn) for the numbers in ``text``."""
    for run in _RUN.finditer(text):
        if run.end() - run.start() < _SHORTEST:
            continue  # years, dates, counts: too short to hold any of the numbers
        groups = [(m.start(), m.end(), _ascii(m.group())) for m in _GROUP.finditer(run.group())]
        offset = run.start()
        plus = offset > 0 and text[offset - 1] in "+＋"
        i = 0
        while i < len(groups):
            found = _longest_number(groups, i, plus and i == 0)
            if found is None:
                i += 1
                continue
            last, kind, skip = found
            start = offset + groups[i][0] + skip
            yield Hit(kind, CATEGORY, "warn", start, offset + groups[last][1], "pattern")
            i = last + 1


def _longest_number(
    groups: list[tuple[int, int, str]], first: int, after_plus: bool
) -> tuple[int, str, int] | None:
    # (index of the last group, kind, characters skipped at the start) of the best number
    # starting at group ``first``.
    best: tuple[int, str, int] | None = None
    digits = ""
    for last in range(first, len(groups)):
        if digits.endswith("X"):
            break
        digits += groups[last][2]
        if len(digits) > _LONGEST + 2:
            break
        kind = _kind(digits)
        skip = 0
        glued_prefix = after_plus and len(groups[first][2]) > 2  # "+8613800138000"
        if kind is None and glued_prefix and digits.startswith("86") and is_mobile(digits[2:]):
            kind, skip = MOBILE, 2
        if kind is not None:
            best = (last, kind, skip)
    return best


def _kind(digits: str) -> str | None:
    if is_id_card(digits):
        return ID_CARD
    if is_bank_card(digits):
        return BANK_CARD
    if is_mobile(digits):
        return MOBILE
    return None


def _ascii(group: str) -> str:
    # Full-width and other decimal digits count as digits; the check letter is upper-cased.
    if group.isascii():
        return group.upper()
    return "".join(str(unicodedata.decimal(ch)) if ch.isdigit() else ch.upper() for ch in group)
