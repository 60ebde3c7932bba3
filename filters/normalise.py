"""Text normalisation with a map back to the original positions.

Text and lexicon terms go through the same per-character function, so a term matches its
disguised forms: compatibility forms (NFKD, which also folds full-width letters and digits to
ASCII and Kangxi radicals to ideographs), case folding, accents stripped (``dǔ bó`` → ``du bo``),
traditional → simplified Chinese, and every character that is not a letter or a digit deleted
(spaces, punctuation, symbols, emoji, zero-width and other invisible characters).

The function is applied per character rather than to whole strings on purpose: a term must
normalise the same way on its own as inside a sentence, and per-character work is what lets each
normalised character point back at the original character it came from.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, overload

from filters.lazy import Lazy

__all__ = [
    "Normalised",
    "normalise",
    "normalise_noting_astral",
    "normalise_term",
    "normalise_terms",
    "prepare",
]

logger = logging.getLogger(__name__)

_BMP = 0x10000
# Ideographs OpenCC is asked about: the unified blocks (compatibility ideographs decompose into
# these before the lookup).
_HAN_BLOCKS = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000))
# Hangul fillers are letters by category but render as nothing, which makes them a dodge.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Outside the BMP only these ranges are kept: CJK extensions (planes 2 and 3, kept as they are)
# and the styled letters and digits (𝐝𝐮𝐛𝐨, 🄰) that decompose to ASCII. Everything else there
# (emoji, tags, historic scripts) cannot be part of a Chinese term and is dropped.
_ASTRAL_HAN = (0x20000, 0x40000)
_ASTRAL_STYLED = ((0x1D400, 0x1D800), (0x1F100, 0x1F200), (0x1FBF0, 0x1FBFA))
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Above one changed character in this many, one translate of the whole text is quicker than
# replacing the changed characters one by one.
_TRANSLATE_RATIO = 32


@dataclass(frozen=True, slots=True)
class Normalised:
    """The normalised form of ``original``.

    ``index_map[i]`` is the index in ``original`` of the character that produced ``text[i]``;
    it never decreases, and consecutive equal entries mean one original character expanded.
    """

    original: str
    text: str
    index_map: Sequence[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalised ``text[start:end]`` (``start < end``)."""
        return self.index_map[start], self.index_map[end - 1] + 1

    def between_gaps(self, lo: int, start: int, end: int, hi: int) -> tuple[int, int]:
        """``(lo, hi)`` narrowed to the nearest gaps before ``start`` and after ``end``.

        Gaps inside ``text[start:end]`` are ignored (``lo <= start < end <= hi``).
        """
        index_map = self.index_map
        if isinstance(index_map, _RunMap):
            return index_map.between_starts(lo, start, end, hi)
        if isinstance(index_map, range):
            return lo, hi
        left = next((i for i in range(start, lo, -1) if self.gap_before(i)), lo)
        right = next((i for i in range(end, hi) if self.gap_before(i)), hi)
        return left, right

    def gap_before(self, i: int) -> bool:
        """Whether characters were deleted between ``text[i - 1]`` and ``text[i]``."""
        if not 0 < i < len(self.text):
            return False
        index_map = self.index_map
        if isinstance(index_map, _RunMap):
            return index_map.starts_run(i)
        return index_map[i] - index_map[i - 1] > 1


class _RunMap(Sequence[int]):
    """An index map stored as runs of consecutive original indices."""

    __slots__ = ("_length", "_norm", "_orig", "_starts")

    def __init__(self, run_norm: list[int], run_orig: list[int], length: int) -> None:
        self._norm = run_norm
        self._orig = run_orig
        self._length = length
        # Runs are separated by deleted characters, so every run start but the first
        # follows a gap; word-edge checks ask about gaps far more often than about indices.
        self._starts = frozenset(run_norm)

    def between_starts(self, lo: int, start: int, end: int, hi: int) -> tuple[int, int]:
        """``(lo, hi)`` narrowed to the last run start in (lo, start] and the first in [end, hi)."""
        runs = self._norm
        left = runs[bisect_right(runs, start) - 1]
        after = bisect_left(runs, end)
        right = runs[after] if after < len(runs) else hi
        return max(lo, left), min(hi, right)

    def starts_run(self, index: int) -> bool:
        """Whether a run starts at ``index`` (for ``0 < index``: whether a gap precedes it)."""
        return index in self._starts

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        run = bisect_right(self._norm, index) - 1
        return self._orig[run] + index - self._norm[run]


@dataclass(frozen=True, slots=True)
class _Tables:
    # per BMP code point: its normalised string ("" when deleted)
    bmp: list[str]
    # runs of characters that normalise to nothing (BMP and astral), as a capturing group
    drop: re.Pattern[str]
    # the same for BMP characters only: a class without astral ranges is one bitmap lookup
    # per character in the regex engine, several times quicker to scan
    drop_bmp: re.Pattern[str]
    # characters that expand to several characters or need the slow astral lookup
    slow: re.Pattern[str]
    # those, and any character beyond the BMP: text without any takes the quickest path
    unusual: re.Pattern[str]
    # BMP characters that normalise to one other character (traditional, full-width,
    # capitals...): text without any needs no translate at all
    changed: re.Pattern[str]


def _t2s_table() -> dict[str, str]:
    converter = _open_cc()
    chars = [chr(cp) for block in _HAN_BLOCKS for cp in block]
    # One call for all characters; the newlines keep OpenCC's phrase rules from spanning two
    # characters, so each line is that character's own conversion.
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        logger.warning("OpenCC changed the line count; converting characters one by one")
        converted = [converter.convert(ch) for ch in chars]
    return {
        src: dst for src, dst in zip(chars, converted, strict=True) if len(dst) == 1 and dst != src
    }


def _open_cc() -> Any:
    # Imported only to build the tables once, off the import path.
    import opencc

    # Packagings differ on whether the config needs its .json suffix.
    try:
        return opencc.OpenCC("t2s")
    except Exception:
        return opencc.OpenCC("t2s.json")


def _char_form(ch: str, t2s: dict[str, str]) -> str:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
    kept = []
    for c in text:
        category = unicodedata.category(c)
        letter_or_digit = category[0] == "N" or (category[0] == "L" and category != "Lm")
        if letter_or_digit and c not in _INVISIBLE_LETTERS:
            kept.append(t2s.get(c, c))
    return unicodedata.normalize("NFC", "".join(kept))


def _fixed_form(ch: str, t2s: dict[str, str]) -> str:
    # Iterate until stable so that normalising normalised text changes nothing.
    form = _char_form(ch, t2s)
    for _ in range(4):
        again = "".join(_char_form(c, t2s) for c in form)
        if again == form:
            break
        form = again
    return form


def _astral_form(cp: int, t2s: dict[str, str]) -> str:
    if _ASTRAL_HAN[0] <= cp < _ASTRAL_HAN[1]:
        return chr(cp)
    if any(lo <= cp < hi for lo, hi in _ASTRAL_STYLED):
        return _fixed_form(chr(cp), t2s)
    return ""


def _ranges(codes: Iterator[int]) -> str:
    # Compact "a-b" ranges for a regex character class.
    parts: list[str] = []
    start = prev = -2
    for cp in codes:
        if cp != prev + 1:
            if start >= 0:
                parts.append(_class_range(start, prev))
            start = cp
        prev = cp
    if start >= 0:
        parts.append(_class_range(start, prev))
    return "".join(parts)


def _class_range(lo: int, hi: int) -> str:
    return re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"


def _build_tables() -> _Tables:
    t2s = _t2s_table()
    bmp = [_fixed_form(chr(cp), t2s) for cp in range(_BMP)]
    gaps = "".join(_class_range(lo, hi - 1) for lo, hi in _astral_gaps())
    dropped = _ranges(cp for cp in range(_BMP) if not bmp[cp])
    expanding = _ranges(cp for cp in range(_BMP) if len(bmp[cp]) > 1)
    changed = _ranges(cp for cp in range(_BMP) if len(bmp[cp]) == 1 and bmp[cp] != chr(cp))
    styled = "".join(_class_range(lo, hi - 1) for lo, hi in _ASTRAL_STYLED)
    return _Tables(
        bmp=bmp,
        drop=re.compile(f"([{dropped}{gaps}]+)"),
        drop_bmp=re.compile(f"([{dropped}]+)"),
        slow=re.compile(f"[{expanding}{styled}]"),
        unusual=re.compile(f"[{expanding}\U00010000-\U0010ffff]"),
        changed=re.compile(f"[{changed}]"),
    )


_TABLES = Lazy(_build_tables)


def _astral_gaps() -> list[tuple[int, int]]:
    # Astral ranges dropped wholesale: everything outside the kept ranges.
    kept = sorted([_ASTRAL_HAN, *_ASTRAL_STYLED])
    gaps = []
    cursor = _BMP
    for lo, hi in kept:
        if lo > cursor:
            gaps.append((cursor, lo))
        cursor = max(cursor, hi)
    gaps.append((cursor, 0x110000))
    return gaps


def prepare() -> None:
    """Build the normalisation tables now (a few tenths of a second) instead of on first use."""
    _get_tables()


def _get_tables() -> _Tables:
    return _TABLES.get()


def normalise(text: str) -> Normalised:
    """Normalise ``text`` and keep, for every normalised character, its original index."""
    return normalise_noting_astral(text)[0]


def normalise_noting_astral(text: str) -> tuple[Normalised, bool]:
    """``normalise(text)``, and whether ``text`` has characters beyond the BMP (found on
    the way, so that callers need not scan the text again)."""
    tables = _get_tables()
    if tables.unusual.search(text) is None:
        return _normalise_fast(text, tables, tables.drop_bmp), False
    astral = _ASTRAL.search(text) is not None
    if astral and tables.slow.search(text) is None:
        return _normalise_fast(text, tables, tables.drop), True
    return _normalise_slow(text, tables), astral


def _normalise_fast(text: str, tables: _Tables, drop: re.Pattern[str]) -> Normalised:
    # Every character maps to zero or one character here. Splitting on the deleted runs
    # (a capturing regex, so kept and deleted pieces alternate) and summing piece lengths
    # with accumulate() all run in C; str.translate then maps the kept characters, if any
    # needs it (a list-table translate costs about as much as everything else together).
    # The index map is stored as one entry per kept run rather than one per character.
    parts = drop.split(text)
    if len(parts) == 1:
        return Normalised(text, _translated(text, tables), range(len(text)))
    kept = parts[0::2]
    run_orig = list(accumulate(map(len, parts), initial=0))[0::2]
    run_norm = list(accumulate(map(len, kept), initial=0))
    length = run_norm.pop()
    index_map = _RunMap(run_norm, run_orig, length)
    return Normalised(text, _translated("".join(kept), tables), index_map)


def _translated(text: str, tables: _Tables) -> str:
    # A draft in simplified Chinese has a handful of such characters at most: replacing
    # just those is far cheaper than translating all of them.
    changed = tables.changed.findall(text)
    if not changed:
        return text
    if len(changed) * _TRANSLATE_RATIO > len(text):
        return text.translate(tables.bmp)
    bmp = tables.bmp
    return tables.changed.sub(lambda match: bmp[ord(match.group())], text)


def _normalise_slow(text: str, tables: _Tables) -> Normalised:
    bmp = tables.bmp
    t2s: dict[str, str] = {}  # styled astral letters are never Han, so no conversion is needed
    parts: list[str] = []
    index_map = array("q")
    for i, ch in enumerate(text):
        cp = ord(ch)
        form = bmp[cp] if cp < _BMP else _astral_form(cp, t2s)
        if form:
            parts.append(form)
            index_map.extend([i] * len(form))
    return Normalised(text, "".join(parts), index_map)


def normalise_term(text: str) -> str:
    """The normalised form of a lexicon term or whitelist entry (same as ``normalise``)."""
    # No index map is needed, so the whole term goes through str.translate; only characters
    # beyond the BMP (which translate leaves alone) need the full path.
    if text.isascii() or max(text) < "\U00010000":
        return text.translate(_get_tables().bmp)
    return normalise(text).text


def normalise_terms(texts: list[str]) -> list[str]:
    """``normalise_term`` of each text, in bulk."""
    # One translate over all texts joined by "\n" (kept as the separator for this call),
    # unless a text holds "\n" itself or characters beyond the BMP.
    joined = "\n".join(texts)
    if not texts or joined.count("\n") != len(texts) - 1:
        return [normalise_term(text) for text in texts]
    if joined.isascii() or _ASTRAL.search(joined) is None:
        table = [*_get_tables().bmp]
        table[ord("\n")] = "\n"
        return joined.translate(table).split("\n")
    return [normalise_term(text) for text in texts]
