"""Telegram-HTML building blocks every feature uses: escaping, names, times, fitting to limits.

Pure functions: no Telegram objects, no I/O.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import texts
from storage.models import User

__all__ = [
    "CALLBACK_LIMIT",
    "CAPTION_LIMIT",
    "MESSAGE_LIMIT",
    "Field",
    "Fitted",
    "Html",
    "Names",
    "Part",
    "clip",
    "e",
    "echo",
    "error_alert",
    "explain_error",
    "fit",
    "fit_escaped",
    "fit_lines",
    "fmt_time",
    "hit_lines",
    "joined",
    "mention",
    "pack",
    "plain_text",
    "render",
    "split_escaped",
    "split_fit",
    "units",
    "visible_units",
    "waited",
]

# Telegram's limits, in what it counts after parsing the HTML (see ``visible_units``).
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_LIMIT = 200


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
    """As many lines of HTML as fit in ``budget`` (counted as Telegram counts, see
    ``visible_units``), then ``more`` with how many were left out."""
    kept: list[str] = []
    used = 0
    for line in lines:
        length = visible_units(line)
        if used + length + 1 > budget:
            kept.append(more.format(count=len(lines) - len(kept)))
            break
        kept.append(line)
        used += length + 1
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


# Fitting user text into templates -------------------------------------------------------------
#
# Telegram measures a message after parsing its HTML: tags count nothing, ``&lt;`` counts as the
# one character it stands for. We count UTF-16 code units, which is never less than the characters
# Telegram counts, so whatever fits here fits there.

ELLIPSIS = "…"
_TAG = re.compile(r"<[^>]*>")


class Html(str):
    """Telegram HTML that is already safe (escaped user text, tags): kept whole, never cut."""

    __slots__ = ()


@dataclass(frozen=True, slots=True, init=False)
class Part:
    """A template and its fields, nested in another template's field; its user text can shrink."""

    template: str
    fields: Mapping[str, Field]

    def __init__(self, template: str, /, **fields: Field) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "fields", fields)


# A plain ``str`` is user text: escaped, and shortened when the whole does not fit.
Field = str | int | float | Html | Part


@dataclass(frozen=True, slots=True)
class Fitted:
    """A rendered message within its limit; ``cut`` tells whether some user text was shortened,
    and ``full_text`` is the whole message as plain text, to send as a file when it was."""

    html: str
    cut: bool
    full_text: str


def units(text: str) -> int:
    """Length in UTF-16 code units: a character outside the BMP (most emoji) counts two."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def plain_text(markup: str) -> str:
    """What Telegram shows for ``markup``: tags dropped, entities read as their characters."""
    return html.unescape(_TAG.sub("", markup))


def visible_units(markup: str) -> int:
    """The length Telegram checks against its limits, counted in UTF-16 code units."""
    return units(plain_text(markup))


def _fitting(text: str, limit: int) -> int:
    """How many leading characters of ``text`` fit in ``limit`` UTF-16 code units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 code units, ending in an ellipsis when cut."""
    if units(text) <= limit:
        return text
    if limit <= 0:
        return ""
    return text[: _fitting(text, limit - 1)].rstrip() + ELLIPSIS


def _leaves(fields: Mapping[str, Field]) -> Iterator[str]:
    for value in fields.values():
        if isinstance(value, Part):
            yield from _leaves(value.fields)
        elif isinstance(value, str) and not isinstance(value, Html):
            yield value


def _render(template: str, fields: Mapping[str, Field], supply: Iterator[str]) -> str:
    # Leaves are taken in the order ``_leaves`` yields them, so ``supply`` lines up with them.
    filled: dict[str, object] = {}
    for name, value in fields.items():
        if isinstance(value, Part):
            filled[name] = _render(value.template, value.fields, supply)
        elif isinstance(value, Html):
            filled[name] = str(value)
        elif isinstance(value, str):
            filled[name] = e(next(supply))
        else:
            filled[name] = value
    return template.format(**filled)


def joined(parts: Sequence[Field], separator: str = "") -> Part:
    """Several fields one after another, as one field (e.g. a list of lines)."""
    template = (
        separator.replace("{", "{{")
        .replace("}", "}}")
        .join(f"{{p{index}}}" for index in range(len(parts)))
    )
    return Part(template, **{f"p{index}": part for index, part in enumerate(parts)})


def render(template: str, /, **fields: Field) -> str:
    """``template`` filled in full: user text escaped, nothing cut (see ``fit`` for limits)."""
    return _render(template, fields, iter(list(_leaves(fields))))


def _cap(lengths: Sequence[int], budget: int) -> int:
    """The largest length every leaf can be held to so that together they fit ``budget``."""
    low, high = 0, max(lengths)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(length, middle) for length in lengths) <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def fit(template: str, limit: int = MESSAGE_LIMIT, /, **fields: Field) -> Fitted:
    """``template`` filled so Telegram accepts it: the longest user texts are shortened first,
    each ending in an ellipsis, until the message is within ``limit``.

    Fields: a plain ``str`` is user text (escaped here, may be shortened), ``Html`` is kept as
    it is, a ``Part`` nests a template whose user text may be shortened too; numbers are fixed.
    """
    leaves = list(_leaves(fields))
    whole = _render(template, fields, iter(leaves))
    full_text = plain_text(whole).strip()
    if visible_units(whole) <= limit:
        return Fitted(whole, False, full_text)
    fixed = visible_units(_render(template, fields, iter([""] * len(leaves))))
    budget = limit - fixed
    lengths = [units(leaf) for leaf in leaves]
    if leaves and budget >= len(leaves):
        cap = _cap(lengths, budget)
        while cap > 0:
            shortened = _render(template, fields, iter([clip(leaf, cap) for leaf in leaves]))
            if visible_units(shortened) <= limit:
                return Fitted(shortened, True, full_text)
            cap -= 1
    # The fixed text alone is over the limit: keep the words, drop the formatting.
    return Fitted(e(clip(full_text, limit)), True, full_text)


# Enough of an error for the admins to recognise it; the log keeps the rest.
ERROR_SHOWN = 300


def error_alert(template: str, error: str, /, **fields: Field) -> str:
    """An admins' alert about an error (``{error}``), told in Chinese (``explain_error``),
    shortened to ``ERROR_SHOWN`` units, escaped, and the whole alert fitted like any message."""
    return fit(
        template, MESSAGE_LIMIT, error=clip(explain_error(error), ERROR_SHOWN), **fields
    ).html


def explain_error(error: str) -> str:
    """A Bot API error as people read it, in Chinese; an error already in Chinese is kept.

    Telegram's own wording ("Bad Request: chat not found") is for the log, not the admins.
    """
    text = error.lower()
    for words, meaning in texts.API_ERRORS:
        if words in text:
            return meaning
    if any("\u4e00" <= ch <= "\u9fff" for ch in error):
        return error
    return texts.API_ERROR_UNKNOWN


# An error message that repeats what the user typed keeps enough of it to be recognised and room
# for the help that often follows it in the same message.
ECHO_LIMIT = 500


def echo(template: str, /, **fields: Field) -> str:
    """A reply that quotes the user's own words (a bad date, an unknown role), fitted short."""
    return fit(template, ECHO_LIMIT, **fields).html


def split_fit(
    template: str,
    text: str,
    more: str = "{body}",
    limit: int = MESSAGE_LIMIT,
    /,
    **fields: Field,
) -> list[str]:
    """User ``text`` in the ``body`` field of ``template``, over as many messages as it needs.

    The first message is ``template`` with the first piece; the others are ``more`` (same fields)
    with the next pieces. Pieces end at line breaks where one is near. Nothing is cut.
    """
    first_room = limit - visible_units(fit(template, limit, body="", **fields).html)
    room = limit - visible_units(fit(more, limit, body="", **fields).html)
    pieces = _pieces(text, max(first_room, 1), max(room, 1))
    messages = [fit(template, limit, body=Html(e(pieces[0])), **fields).html]
    messages += [fit(more, limit, body=Html(e(piece)), **fields).html for piece in pieces[1:]]
    return messages


def _pieces(text: str, first_room: int, room: int) -> list[str]:
    pieces: list[str] = []
    budget = first_room
    rest = text
    while units(rest) > budget:
        cut = max(_fitting(rest, budget), 1)
        newline = rest.rfind("\n", 0, cut)
        if newline >= cut // 2:
            cut = newline + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
        budget = room
    pieces.append(rest)
    # Telegram refuses a message that is only white space; such a piece carries nothing.
    return [pieces[0], *(piece for piece in pieces[1:] if piece.strip())]


def pack(lines: Sequence[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Lines of HTML (each within ``limit``) joined into as few messages as fit."""
    messages: list[str] = []
    chunk: list[str] = []
    size = 0
    for line in lines:
        length = visible_units(line)
        if chunk and size + 1 + length > limit:
            messages.append("\n".join(chunk))
            chunk, size = [], 0
        size += length + (1 if chunk else 0)
        chunk.append(line)
    if chunk:
        messages.append("\n".join(chunk))
    return messages
