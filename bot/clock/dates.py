"""Reading the dates members type: one place, so every command accepts the same forms."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date, timedelta

__all__ = ["RECENT_DAYS", "DateUnreadable", "parse_day", "parse_full_day"]

logger = logging.getLogger(__name__)

# A month and day without a year that fell this recently means the day just gone.
RECENT_DAYS = 31

_FULL = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SHORT = re.compile(r"(\d{1,2})[-/.月](\d{1,2})[日号]?")


class DateUnreadable(ValueError):
    """Not a date: ``malformed`` (no date form at all) or ``invalid`` (no such day)."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _full(clean: str) -> date | None:
    if m := _FULL.fullmatch(clean) or _COMPACT.fullmatch(clean):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise DateUnreadable("invalid", clean[:30]) from exc
    return None


def parse_full_day(text: str) -> date:
    """A date with its year: 2026-12-10, 2026/12/10, 2026.12.10, 2026年12月10日, 20261210.

    Full-width digits and spaces are fine.
    """
    clean = _clean(text)
    found = _full(clean)
    if found is None:
        raise DateUnreadable("malformed", clean[:30])
    return found


def parse_day(text: str, today: date) -> date:
    """A date with or without its year: the full forms, or 12月10日 and 12-10.

    Without a year, the next occurrence from today, unless that day fell within the last month:
    "11月20日" written on 24 November means the day just gone, not next year's.
    """
    clean = _clean(text)
    found = _full(clean)
    if found is not None:
        return found
    if m := _SHORT.fullmatch(clean):
        month, day = int(m[1]), int(m[2])
        candidates = []
        # Four years ahead, so 2月29日 finds the next leap year.
        for year in range(today.year - 1, today.year + 5):
            try:
                candidates.append(date(year, month, day))
            except ValueError:
                continue
        if not candidates:
            raise DateUnreadable("invalid", clean[:30])
        recent = [c for c in candidates if today - timedelta(days=RECENT_DAYS) <= c < today]
        if recent:
            return recent[-1]
        return min(c for c in candidates if c >= today)
    raise DateUnreadable("malformed", clean[:30])
