"""Matching Latin letters against the pinyin of the lexicon's Chinese terms.

Rule (all pinyin hits are ``warn``):

* Every term made only of Chinese characters is indexed by its toneless full pinyin
  (``赌博`` → ``dubo``; every reading of a polyphonic character, ``ü`` as both ``v`` and ``u``),
  and, for terms of three or more characters, by its initials (``代开发票`` → ``dkfp``).
  Three-letter initials containing a vowel are left out: they are ordinary English words
  (``the``, ``and``, ``you``) far more often than abbreviations.
* Full pinyin must be at least four letters long; shorter strings (``ai``, ``ba``) are noise.
* Candidates are the stretches of ASCII letters in the normalised text, split into pieces
  where the original had something between the letters (a space, a dot, an emoji). A
  candidate is one piece or several consecutive pieces, so ``dubo``, ``du bo`` and
  ``d.u.b.o`` all match, but ``dubo`` inside the English word ``dubois`` does not. Initials
  are only taken from a single piece or from pieces of one letter each (``d k f p``).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice, product
from typing import Final

from pypinyin.pinyin_dict import pinyin_dict as PINYIN_DICT

from filters.normalise import Normalised

__all__ = ["PinyinIndex"]

logger = logging.getLogger(__name__)

MIN_FULL: Final = 4
MIN_INITIALS_TERM: Final = 3
_MAX_READINGS: Final = 3
_MAX_VARIANTS: Final = 8
_VOWELS: Final = frozenset("aeiou")
_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003ffff]+")
_LATIN: Final = re.compile(r"[a-z]+")

# Readings depend only on the character, so they are cached for the process. Written only
# while an index is being built (under the lock), never while screening.
_readings: dict[str, tuple[str, ...]] = {}
_readings_lock = threading.Lock()


def _char_readings(chars: set[str]) -> dict[str, tuple[str, ...]]:
    # pypinyin's single-character table ("zhōng,zhòng" by code point) read directly: going
    # through pypinyin.pinyin() per character is twenty times slower and gives the same
    # readings for a lone character.
    with _readings_lock:
        for ch in chars - _readings.keys():
            readings: list[str] = []
            for syllable in (PINYIN_DICT.get(ord(ch)) or "").split(","):
                for spelling in _toneless(syllable):
                    if spelling not in readings:
                        readings.append(spelling)
            _readings[ch] = tuple(readings[:_MAX_READINGS])
        return {ch: _readings[ch] for ch in chars}


@lru_cache(maxsize=4096)
def _toneless(syllable: str) -> tuple[str, ...]:
    # "lǜ" is typed both "lv" and "lu"; tone marks are dropped.
    decomposed = unicodedata.normalize("NFKD", syllable.strip())
    spellings = []
    for form in (decomposed.replace("u\u0308", "v"), decomposed):
        plain = "".join(ch for ch in form if not unicodedata.combining(ch))
        if plain.isascii() and plain.isalpha() and plain not in spellings:
            spellings.append(plain.lower())
    return tuple(spellings)


class PinyinIndex:
    """Term indices by pinyin and initials; read-only once built."""

    __slots__ = ("_full", "_initials", "_longest")

    def __init__(self, keys: Sequence[str]) -> None:
        han = [(i, key) for i, key in enumerate(keys) if _HAN.fullmatch(key)]
        readings = _char_readings(set("".join(key for _, key in han)))
        # Most characters have one reading: their terms are spelled with two str.translate
        # calls, and only terms with a polyphonic character go through the combinations.
        first = {ord(ch): r[0] for ch, r in readings.items() if r}
        initial = {ord(ch): r[0][0] for ch, r in readings.items() if r}
        polyphonic = frozenset(ch for ch, r in readings.items() if len(r) > 1)
        unknown = frozenset(ch for ch, r in readings.items() if not r)
        full: dict[str, tuple[int, ...]] = {}
        initials: dict[str, tuple[int, ...]] = {}
        for index, key in han:
            if not unknown.isdisjoint(key):
                continue  # a character without a known reading: no pinyin for this term
            if polyphonic.isdisjoint(key):
                spellings: Iterable[str] = (key.translate(first),)
                abbreviations: Iterable[str] = (key.translate(initial),)
            else:
                per_char = [readings[ch] for ch in key]
                spellings = {"".join(s) for s in islice(product(*per_char), _MAX_VARIANTS)}
                firsts = [sorted({r[0] for r in rs}) for rs in per_char]
                abbreviations = {"".join(s) for s in islice(product(*firsts), _MAX_VARIANTS)}
            for spelling in spellings:
                if len(spelling) >= MIN_FULL:
                    full[spelling] = (*full.get(spelling, ()), index)
            if len(key) >= MIN_INITIALS_TERM:
                for abbreviation in abbreviations:
                    if len(abbreviation) > 3 or _VOWELS.isdisjoint(abbreviation):
                        initials[abbreviation] = (*initials.get(abbreviation, ()), index)
        self._full = full
        self._initials = initials
        self._longest = max(map(len, [*full, *initials]), default=0)
        logger.debug("pinyin index: %d spellings, %d abbreviations", len(full), len(initials))

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


def _pieces(norm: Normalised, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    piece_start = start
    for position in range(start + 1, end):
        if norm.gap_before(position):
            pieces.append((piece_start, position))
            piece_start = position
    pieces.append((piece_start, end))
    return pieces
