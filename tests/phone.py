"""How many rows a message's text takes on a phone, to check that a card's buttons show on the
first screen.

The model: a 360-px-wide phone (the narrowest common Android width) shows a message bubble
whose text column is about 288 px; at Telegram's default 16-px font a Chinese character or a
full-width mark is about 16 px wide (18 to a row), a Latin letter, digit or half-width mark
about half that, an emoji a little more than a Chinese character. Each line of the message
starts a new row. Telegram's first screen above the keyboard holds about 18 rows of a message
once the chat header and the input bar are counted.
"""

from __future__ import annotations

import unicodedata

__all__ = ["FIRST_SCREEN_ROWS", "ROW_UNITS", "phone_rows"]

ROW_UNITS = 18.0
FIRST_SCREEN_ROWS = 18


def _width(char: str) -> float:
    if ord(char) >= 0x1F000:
        return 1.2
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    return 0.55


def phone_rows(text: str, row_units: float = ROW_UNITS) -> int:
    """The rows ``text`` (as shown: no HTML) takes before whatever follows it (the buttons)."""
    rows = 0
    for line in text.split("\n"):
        used = 0.0
        line_rows = 1
        for char in line:
            width = _width(char)
            if used + width > row_units:
                line_rows += 1
                used = 0.0
            used += width
        rows += line_rows
    return rows
