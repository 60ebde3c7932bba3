"""An Aho-Corasick automaton (pyahocorasick) over normalised keys.

pyahocorasick looks up a node's children by linear scan, so a lexicon whose terms start with
2,000 different characters costs ~2,000 comparisons per character of text at the root. Each
character is therefore re-encoded as two "digits" from two disjoint private-use ranges (a
high digit then a low digit, base about the square root of the alphabet size), which keeps
every node's fan-out near that square root. Because high and low digits never overlap, a
match can only start on a character boundary; characters that occur in no key all encode to
one sentinel pair that matches nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from math import isqrt
from typing import Any, Final

import ahocorasick

__all__ = ["Automaton", "Match"]

logger = logging.getLogger(__name__)

_HIGH: Final = 0xE000
_LOW: Final = 0xE800
_BMP: Final = 0x10000
_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")

# (start, end) in normalised text, the index of the term with this key (-1 if none), whether
# the key is a whitelist entry.
Match = tuple[int, int, int, bool]


class Automaton:
    """All keys matched at once; read-only once built, so safe to share between threads."""

    __slots__ = ("_astral", "_automaton", "_lengths", "_sentinel", "_table", "_whitelisted")

    def __init__(self, term_keys: Sequence[str], whitelist_keys: Iterable[str]) -> None:
        # Payloads are plain ints (term index, or -1 - n for the n-th whitelist-only key):
        # a tuple per key would cost more than the trie insertion itself for big lexicons.
        term_index = {key: i for i, key in enumerate(term_keys)}
        whitelist_keys = list(whitelist_keys)
        extra = [key for key in dict.fromkeys(whitelist_keys) if key not in term_index]
        self._whitelisted = frozenset(
            term_index[key] for key in whitelist_keys if key in term_index
        )
        self._lengths = [len(key) for key in extra]
        alphabet = sorted(set("".join(term_keys)) | set("".join(extra)))
        # Below 0x800 for any Unicode alphabet, so the two digit ranges never meet.
        base = max(2, isqrt(len(alphabet)) + 1)
        self._sentinel = chr(_HIGH + base) + chr(_LOW + base)
        self._table = [self._sentinel] * _BMP
        self._astral: dict[str, str] = {}
        for index, ch in enumerate(alphabet):
            code = chr(_HIGH + index // base) + chr(_LOW + index % base)
            if ord(ch) < _BMP:
                self._table[ord(ch)] = code
            else:
                self._astral[ch] = code
        self._automaton: Any = None
        if term_keys or extra:
            automaton = ahocorasick.Automaton()
            for index, code in enumerate(self._encode_all(term_keys)):
                automaton.add_word(code, index)
            for index, code in enumerate(self._encode_all(extra)):
                automaton.add_word(code, -1 - index)
            automaton.make_automaton()
            self._automaton = automaton
        logger.debug(
            "automaton: %d keys over %d characters (base %d)",
            len(term_keys) + len(extra),
            len(alphabet),
            base,
        )

    def _encode(self, text: str) -> str:
        encoded = text.translate(self._table)
        if len(encoded) == 2 * len(text):
            return encoded
        return self._encode_astral(encoded)

    def _encode_astral(self, encoded: str) -> str:
        # str.translate leaves characters beyond the BMP untouched (its table is a list);
        # they are the only ones left that are not private-use code digits.
        astral, sentinel = self._astral, self._sentinel
        return _ASTRAL.sub(lambda m: astral.get(m.group(), sentinel), encoded)

    def _encode_all(self, keys: Sequence[str]) -> list[str]:
        # One translate over all keys joined instead of one call per key. Keys never
        # contain "\n", and it encodes to itself here.
        if not keys:
            return []
        table = [*self._table]
        table[ord("\n")] = "\n"
        encoded = "\n".join(keys).translate(table)
        if self._astral or _ASTRAL.search(encoded):
            encoded = self._encode_astral(encoded)
        return encoded.split("\n")

    def find(self, text: str, term_keys: Sequence[str]) -> Iterator[Match]:
        """Every occurrence of every key in normalised ``text``, overlapping ones included.

        ``term_keys`` must be the sequence the automaton was built from.
        """
        if self._automaton is None or not text:
            return
        for last, value in self._automaton.iter(self._encode(text)):
            end = (last + 1) // 2
            if value >= 0:
                yield end - len(term_keys[value]), end, value, value in self._whitelisted
            else:
                yield end - self._lengths[-1 - value], end, -1, True
