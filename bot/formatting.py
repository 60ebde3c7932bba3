"""Telegram-HTML building blocks every feature uses: escaping, names, times, fitting to limits.

Pure functions: no Telegram objects, no I/O.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import texts
from storage.models import User

__all__ = [
    "CAPTION_LIMIT",
    "MESSAGE_LIMIT",
    "Names",
    "e",
    "fit_escaped",
    "fit_lines",
    "fmt_time",
    "hit_lines",
    "mention",
    "split_escaped",
    "waited",
]

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


class Names:
    """Display names of users, looked up once per rendering."""

    def __init__(self, users: Mapping[int, User], tz: ZoneInfo) -> None:
        self._users = users
        self.tz = tz

    def __call__(self, user_id: int | None) -> str:
        if user_id is None:
            return texts.NOBODY
        user = self._users.get(user_id)
        return html.escape(user.name if user else str(user_id))


def e(text: str | None) -> str:
    """Escape user text for Telegram HTML."""
    return html.escape(text or "", quote=False)


def mention(user_id: int, name: str) -> str:
    """A link that mentions a user by id."""
    return f'<a href="tg://user?id={user_id}">{e(name)}</a>'


def waited(seconds: float, days: bool = False) -> str:
    """How long, roughly: minutes under two hours, then hours (then days past two, if asked)."""
    minutes = max(0, int(seconds // 60))
    if minutes < 120:
        return texts.WAITED_MINUTES.format(minutes=minutes)
    if days and minutes >= 48 * 60:
        return texts.WAITED_DAYS.format(days=minutes // (24 * 60))
    return texts.WAITED_HOURS.format(hours=minutes // 60)


def fit_lines(lines: Sequence[str], budget: int, more: str) -> str:
    """As many lines as fit in ``budget`` characters, then ``more`` with how many were left out."""
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget:
            kept.append(more.format(count=len(lines) - len(kept)))
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def fmt_time(stamp: str, tz: ZoneInfo) -> str:
    """A stored UTC timestamp as local ``YYYY-MM-DD HH:MM``."""
    return datetime.fromisoformat(stamp).astimezone(tz).strftime("%Y-%m-%d %H:%M")


MAX_LISTED_HITS = 12


def hit_lines(hits: Sequence[Mapping[str, object]]) -> str:
    """Screening hits, one per line with their context, escaped; long lists are cut."""
    lines = [
        texts.HIT_LINE.format(
            term=e(str(hit.get("term", ""))),
            category=e(str(hit.get("category", ""))),
            found_by=texts.FOUND_BY_NAMES.get(str(hit.get("found_by", "")), ""),
            quote=e(str(hit.get("quote", ""))),
        )
        for hit in hits[:MAX_LISTED_HITS]
    ]
    if len(hits) > MAX_LISTED_HITS:
        lines.append(texts.MORE_HITS.format(count=len(hits) - MAX_LISTED_HITS))
    return "\n".join(lines)


_ESCAPED_LENGTH = {"&": 5, "<": 4, ">": 4}


def fit_escaped(text: str, room: int) -> int:
    """How many leading characters of ``text`` fit in ``room`` once escaped.

    Telegram counts UTF-16 code units, so a character outside the BMP (most emoji) costs two.
    """
    used = 0
    for index, char in enumerate(text):
        used += _ESCAPED_LENGTH.get(char) or (2 if ord(char) > 0xFFFF else 1)
        if used > room:
            return index
    return len(text)


def split_escaped(text: str, first_room: int, room: int) -> list[str]:
    """Cut raw text into escaped pieces that fit, preferring to cut at line breaks."""
    pieces: list[str] = []
    budget = first_room
    rest = text
    while rest:
        cut = max(fit_escaped(rest, budget), 1)
        if cut < len(rest):
            newline = rest.rfind("\n", 0, cut)
            if newline >= cut // 2:
                cut = newline + 1
        pieces.append(e(rest[:cut]).strip("\n"))
        rest = rest[cut:]
        budget = room
    return pieces
