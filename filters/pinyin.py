"""Matching Latin letters against the pinyin of the lexicon's Chinese terms.

Rule (all pinyin hits are ``warn``):

* Every term made only of Chinese characters is indexed by its toneless full pinyin
  (``赌博`` → ``dubo``), and terms of three or more characters also by their initials
  (``代开发票`` → ``dkfp``). Polyphonic characters contribute each of their readings
  (up to three; ``ü`` counts as both ``v`` and ``u``), at most eight spellings per term.
* Full pinyin must be at least four letters long; shorter strings (``ai``, ``ba``) are noise.
  Three-letter initials containing a vowel are left out: they are ordinary English words
  (``the``, ``and``, ``you``) far more often than abbreviations.
* Candidates are the stretches of ASCII letters in the normalised text, split into pieces
  where the original had something between the letters (a space, a dot, an emoji). A
  candidate is one piece or several consecutive pieces, so ``dubo``, ``du bo`` and
  ``d.u.b.o`` all match, but ``dubo`` inside the English word ``dubois`` does not. Initials
  are only taken from a single piece or from pieces of one letter each (``d k f p``).
* Readings come from pypinyin's per-character table, so they do not depend on context
  (长城 is indexed as both ``zhangcheng`` and ``changcheng``).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice, product
from typing import Final

from pypinyin.pinyin_dict import pinyin_dict

from filters.normalise import Normalised

__all__ = ["MIN_FULL", "MIN_INITIALS_TERM", "PinyinIndex", "prepare"]

logger = logging.getLogger(__name__)

MIN_FULL: Final = 4
MIN_INITIALS_TERM: Final = 3
_MAX_READINGS: Final = 3
_MAX_VARIANTS: Final = 8
_VOWELS: Final = frozenset("aeiou")
_LATIN: Final = re.compile(r"[a-z]+")
_BMP: Final = 0x10000
# Table entry that makes a key fail the "ASCII letters only" test, so that keys with Latin
# letters, digits or characters without a reading get no pinyin.
_POISON: Final = "\x00"


@dataclass(frozen=True, slots=True)
class _Tables:
    # str.translate tables over the BMP: the first, second and third reading (a character
    # with fewer readings repeats its last one), the first reading's initial, and a mark
    # per polyphonic character (everything else but "\n" deleted) to count them.
    readings: tuple[list[str], list[str], list[str]]
    initials: tuple[list[str], list[str], list[str]]
    polyphonic: list[str]
    per_char: dict[str, tuple[str, ...]]


_tables: _Tables | None = None
_tables_lock = threading.Lock()


def prepare() -> None:
    """Build the pinyin tables now instead of at the first screener build."""
    _get_tables()


def _get_tables() -> _Tables:
    global _tables
    tables = _tables
    if tables is not None:
        return tables
    with _tables_lock:
        if _tables is None:
            _tables = _build_tables()
        return _tables


def _build_tables() -> _Tables:
    # pypinyin's single-character table ("zhōng,zhòng" by code point) read directly: a
    # pypinyin.pinyin() call per character is much slower and gives the same readings for a
    # lone character.
    per_char: dict[str, tuple[str, ...]] = {}
    for code, raw in pinyin_dict.items():
        if code >= _BMP:
            continue  # str.translate tables cannot index beyond the BMP
        readings: list[str] = []
        for syllable in raw.split(","):
            for spelling in _toneless(syllable):
                if spelling not in readings:
                    readings.append(spelling)
        if readings:
            per_char[chr(code)] = tuple(readings[:_MAX_READINGS])
    poisoned = [ch if ord(ch) > 0x7F else _POISON for ch in map(chr, range(_BMP))]
    poisoned[ord("\n")] = "\n"
    columns = ([*poisoned], [*poisoned], [*poisoned])
    initials = ([*poisoned], [*poisoned], [*poisoned])
    polyphonic = [""] * _BMP
    polyphonic[ord("\n")] = "\n"
    for ch, readings_of_char in per_char.items():
        for column in range(3):
            reading = readings_of_char[min(column, len(readings_of_char) - 1)]
            columns[column][ord(ch)] = reading
            initials[column][ord(ch)] = reading[0]
        if len(readings_of_char) > 1:
            polyphonic[ord(ch)] = "x"
    logger.debug("pinyin tables: %d characters", len(per_char))
    return _Tables(columns, initials, polyphonic, per_char)


def _toneless(syllable: str) -> tuple[str, ...]:
    # "lǜ" is typed both "lv" and "lu"; tone marks are dropped.
    decomposed = unicodedata.normalize("NFKD", syllable.strip().lower())
    spellings: list[str] = []
    for form in (decomposed.replace("u\u0308", "v"), decomposed):
        plain = "".join(ch for ch in form if not unicodedata.combining(ch))
        if plain.isascii() and plain.isalpha() and plain not in spellings:
            spellings.append(plain)
    return tuple(spellings)


class PinyinIndex:
    """Term indices by pinyin and initials; read-only once built."""

    __slots__ = ("_full", "_initials", "_longest")

    def __init__(self, keys: Sequence[str]) -> None:
        tables = _get_tables()
        # Built for 100,000-term lexicons: all keys are spelled at once by str.translate over
        # one joined string (keys never contain "\n"), and only terms with two or more
        # polyphonic characters need per-term combinations.
        joined = "\n".join(keys)
        spelled = [joined.translate(table).split("\n") for table in tables.readings]
        abbreviated = [joined.translate(table).split("\n") for table in tables.initials]
        polyphonic = joined.translate(tables.polyphonic).split("\n")
        full: dict[str, list[int]] = {}
        initials: dict[str, list[int]] = {}
        for index, (key, marks) in enumerate(zip(keys, polyphonic, strict=True)):
            if len(marks) >= 2:
                self._add_combinations(key, index, tables.per_char, full, initials)
                continue
            first = spelled[0][index]
            if not (first.isascii() and first.isalpha()):
                continue  # not all Chinese characters with a known reading
            # With at most one polyphonic character, its three columns are all the spellings.
            spellings = {first, spelled[1][index], spelled[2][index]} if marks else (first,)
            for spelling in spellings:
                if len(spelling) >= MIN_FULL:
                    full.setdefault(spelling, []).append(index)
            if len(key) >= MIN_INITIALS_TERM:
                column = abbreviated[0][index]
                shorts = {column, abbreviated[1][index], abbreviated[2][index]} if marks else (column,)
                for abbreviation in shorts:
                    if _usable_initials(abbreviation):
                        initials.setdefault(abbreviation, []).append(index)
        self._full = {k: tuple(v) for k, v in full.items()}
        self._initials = {k: tuple(v) for k, v in initials.items()}
        self._longest = max(map(len, [*self._full, *self._initials]), default=0)
        logger.debug("pinyin index: %d spellings, %d abbreviations", len(full), len(initials))

    @staticmethod
    def _add_combinations(
        key: str,
        index: int,
        per_char: dict[str, tuple[str, ...]],
        full: dict[str, list[int]],
        initials: dict[str, list[int]],
    ) -> None:
        readings = [per_char.get(ch, ()) for ch in key]
        if not all(readings):
            return
        combinations = list(islice(product(*readings), _MAX_VARIANTS))
        for spelling in dict.fromkeys("".join(c) for c in combinations):
            if len(spelling) >= MIN_FULL:
                full.setdefault(spelling, []).append(index)
        if len(key) >= MIN_INITIALS_TERM:
            for abbreviation in dict.fromkeys("".join(s[0] for s in c) for c in combinations):
                if _usable_initials(abbreviation):
                    initials.setdefault(abbreviation, []).append(index)

    def __len__(self) -> int:
        return len(self._full) + len(self._initials)

    def find(self, norm: Normalised) -> Iterator[tuple[int, int, int]]:
        """(start, end, term index) in normalised coordinates for each pinyin match."""
        if not self._longest:
            return
        text = norm.text
        for run in _LATIN.finditer(text):
            pieces = _pieces(norm, run.start(), run.end())
            for i, (start, _) in enumerate(pieces):
                single_letters = True
                for j in range(i, len(pieces)):
                    end = pieces[j][1]
                    if end - start > self._longest:
                        break
                    single_letters = single_letters and pieces[j][1] - pieces[j][0] == 1
                    candidate = text[start:end]
                    for index in self._full.get(candidate, ()):
                        yield start, end, index
                    if i == j or single_letters:
                        for index in self._initials.get(candidate, ()):
                            yield start, end, index


def _usable_initials(abbreviation: str) -> bool:
    return len(abbreviation) > 3 or _VOWELS.isdisjoint(abbreviation)


def _pieces(norm: Normalised, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    piece_start = start
    for position in range(start + 1, end):
        if norm.gap_before(position):
            pieces.append((piece_start, position))
            piece_start = position
    pieces.append((piece_start, end))
    return pieces
