"""Matching Latin letters against the pinyin of the lexicon's Chinese terms.

Rule (all pinyin hits are ``warn``):

* Every term made only of Chinese characters is indexed by its toneless full pinyin
  (``赌博`` → ``dubo``), and terms of three or more characters also by their initials
  (``代开发票`` → ``dkfp``). Polyphonic characters contribute each of their readings
  (up to three; ``ü`` counts as both ``v`` and ``u``); a term with several polyphonic
  characters gets combinations of their first two readings, at most eight spellings.
* Full pinyin must be at least four letters long; shorter strings (``ai``, ``ba``) are noise.
  Three-letter initials containing a vowel are left out: they are ordinary English words
  (``the``, ``and``, ``you``) far more often than abbreviations.
* Candidates are the stretches of ASCII letters in the normalised text, split into pieces
  where the original had something between the letters (a space, a dot, an emoji). A
  candidate is one piece or several consecutive pieces, so ``dubo``, ``du bo`` and
  ``d.u.b.o`` all match, but ``dubo`` inside the English word ``dubois`` does not. Initials
  are only taken from a single piece or from pieces of one letter each (``d k f p``).
* One Latin stretch reports at most ``MAX_TERMS_PER_SPELLING`` terms (the first in lexicon
  order) per way of reading it.
* Readings come from pypinyin's per-character table, so they do not depend on context
  (长城 is indexed as both ``zhangcheng`` and ``changcheng``).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, islice, product
from operator import ne
from pathlib import Path
from typing import Final

from filters.lazy import Lazy
from filters.normalise import Normalised

__all__ = [
    "MAX_TERMS_PER_SPELLING",
    "MIN_FULL",
    "MIN_INITIALS_TERM",
    "PinyinIndex",
    "has_latin",
    "prepare",
]

logger = logging.getLogger(__name__)

MIN_FULL: Final = 4
MIN_INITIALS_TERM: Final = 3
# In a big lexicon one abbreviation can stand for dozens of terms; a reviewer needs the
# warning, not every homophone.
MAX_TERMS_PER_SPELLING: Final = 3
_MAX_READINGS: Final = 3
_MAX_VARIANTS: Final = 8
_VOWELS: Final = frozenset("aeiou")
# Not "[a-z]+": a pattern opening with a single class is scanned several times faster.
_LATIN: Final = re.compile(r"[a-z][a-z]*")
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


def prepare() -> None:
    """Build the pinyin tables now instead of at the first screener build."""
    _get_tables()


def _get_tables() -> _Tables:
    return _TABLES.get()


def _character_readings() -> dict[int, str]:
    """pypinyin's single-character table: code point → readings ("zhōng,zhòng")."""
    # Importing pypinyin itself loads its phrase dictionary too (a tenth of a second and
    # about 50 MB), which screening never uses; the character table is read from its own
    # file when it is where pypinyin keeps it, and through pypinyin otherwise.
    spec = importlib.util.find_spec("pypinyin")  # finds the package without importing it
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location, "pinyin_dict.json")
        if path.is_file():
            raw: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
            return {int(code): readings for code, readings in raw.items()}
    from pypinyin.pinyin_dict import pinyin_dict

    return dict(pinyin_dict)


def _build_tables() -> _Tables:
    # pypinyin's single-character table read directly: a pypinyin.pinyin() call per
    # character is much slower and gives the same readings for a lone character.
    per_char: dict[str, tuple[str, ...]] = {}
    for code, raw in _character_readings().items():
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


_TABLES = Lazy(_build_tables)


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
        # All keys are spelled at once by str.translate over one joined string (keys never
        # contain "\n"), and keys that are not all Chinese simply get spellings no Latin
        # candidate can equal; only terms with two or more polyphonic characters need
        # per-term combinations.
        joined = "\n".join(keys)
        marks = _spell(joined, tables.polyphonic)
        spellings = _spell(joined, tables.readings[0])
        spelled_terms = list(range(len(keys)))
        # Initials are only ever looked up for three letters or more (_usable_initials), so
        # shorter terms get none; and a column repeating the one before it (a character with
        # two readings repeats its last in the third column) adds nothing.
        long = [i for i, key in enumerate(keys) if len(key) >= MIN_INITIALS_TERM]
        abbreviations = _spell("\n".join([keys[i] for i in long]), tables.initials[0])
        abbreviated_terms = long
        # With one polyphonic character, the second and third columns are its other readings.
        single = [i for i, m in enumerate(marks) if len(m) == 1]
        if single:
            joined_single = "\n".join([keys[i] for i in single])
            _add_columns(spellings, spelled_terms, joined_single, single, tables.readings)
            single_long = [i for i in single if len(keys[i]) >= MIN_INITIALS_TERM]
            joined_long = "\n".join([keys[i] for i in single_long])
            _add_columns(
                abbreviations, abbreviated_terms, joined_long, single_long, tables.initials
            )
        for i in [i for i, m in enumerate(marks) if len(m) >= 2]:
            more_spellings, more_abbreviations = _combinations(keys[i], tables.per_char)
            spellings += more_spellings
            spelled_terms += [i] * len(more_spellings)
            if len(keys[i]) >= MIN_INITIALS_TERM:
                abbreviations += more_abbreviations
                abbreviated_terms += [i] * len(more_abbreviations)
        self._full = _Lookup(spellings, spelled_terms)
        self._initials = _Lookup(abbreviations, abbreviated_terms)
        self._longest = max(self._full.longest, self._initials.longest)
        logger.debug(
            "pinyin index: %d spellings, %d abbreviations", len(self._full), len(self._initials)
        )

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
                    if end - start >= MIN_FULL:
                        for index in self._full.get(candidate):
                            yield start, end, index
                    if (i == j or single_letters) and _usable_initials(candidate):
                        for index in self._initials.get(candidate):
                            yield start, end, index


class _Lookup:
    """Spelling → term indices (in lexicon order, possibly repeated)."""

    __slots__ = ("_table", "longest")

    def __init__(self, spellings: list[str], terms: list[int]) -> None:
        table: dict[str, list[int]] = {}
        for spelling, index in zip(spellings, terms, strict=True):
            table.setdefault(spelling, []).append(index)
        self._table = table
        self.longest = max(map(len, table), default=0)

    def __len__(self) -> int:
        return len(self._table)

    def get(self, spelling: str) -> list[int]:
        """The terms spelled so, at most ``MAX_TERMS_PER_SPELLING`` in lexicon order."""
        indices = self._table.get(spelling, ())
        return sorted(set(indices))[:MAX_TERMS_PER_SPELLING]


def has_latin(text: str) -> bool:
    """Whether normalised ``text`` has any ASCII letters, i.e. anything to check here."""
    return _LATIN.search(text) is not None


def _usable_initials(candidate: str) -> bool:
    # Initials are only kept for terms of three or more characters, and three letters with a
    # vowel look like an English word more often than an abbreviation.
    if len(candidate) < MIN_INITIALS_TERM:
        return False
    return len(candidate) > 3 or _VOWELS.isdisjoint(candidate)


def _add_columns(
    spellings: list[str],
    terms: list[int],
    joined: str,
    indices: list[int],
    columns: tuple[list[str], list[str], list[str]],
) -> None:
    # The second and third columns' spellings of the keys ``joined`` (those of ``indices``),
    # each left out where it equals the column before it.
    before = _spell(joined, columns[0])
    for column in columns[1:]:
        spelled = _spell(joined, column)
        differs = list(map(ne, spelled, before))
        spellings += compress(spelled, differs)
        terms += compress(indices, differs)
        before = spelled


def _spell(joined: str, table: list[str]) -> list[str]:
    # The per-key results of one translate over keys joined by "\n" (no keys: no results).
    return joined.translate(table).split("\n") if joined else []


def _combinations(key: str, per_char: dict[str, tuple[str, ...]]) -> tuple[list[str], list[str]]:
    # Spellings of a term with several polyphonic characters, other than the all-first one
    # (which the caller has already); at most two readings each keeps this cheap.
    readings = [per_char.get(ch, ())[:2] for ch in key]
    if not all(readings):
        return [], []
    combinations = list(islice(product(*readings), 1, _MAX_VARIANTS))
    spellings = list(dict.fromkeys("".join(c) for c in combinations))
    abbreviations = list(dict.fromkeys("".join(s[0] for s in c) for c in combinations))
    return spellings, abbreviations


def _pieces(norm: Normalised, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    piece_start = start
    for position in range(start + 1, end):
        if norm.gap_before(position):
            pieces.append((piece_start, position))
            piece_start = position
    pieces.append((piece_start, end))
    return pieces
