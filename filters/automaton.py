"""An Aho-Corasick automaton (ahocorasick_rs) over normalised keys.

ahocorasick_rs matches on the UTF-8 bytes of the text in Rust and reports character
offsets, so unlike pyahocorasick (whose nodes scan their children one by one) a lexicon
whose terms start with thousands of different characters needs no re-encoding of the
text. Small lexicons get a DFA, the fastest to search; big ones the contiguous NFA, which
builds several times faster and in a fraction of the memory while searching nearly as fast.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Final

import ahocorasick_rs

__all__ = ["DFA_MAX_KEYS", "Automaton"]

logger = logging.getLogger(__name__)

# Up to this many keys the DFA is built (a few milliseconds for 2,000 keys); beyond it the
# DFA's build time and memory grow faster than its search time drops.
DFA_MAX_KEYS: Final = 20_000


class Automaton:
    """All keys matched at once; read-only once built, so safe to share between threads."""

    __slots__ = ("_automaton", "_order", "_terms", "_whitelisted")

    def __init__(self, term_keys: Sequence[str], whitelist_keys: Iterable[str]) -> None:
        listed = set(whitelist_keys)
        # Which terms are whitelisted too; a scan of the terms only when there is a whitelist.
        whitelisted = [i for i, key in enumerate(term_keys) if key in listed] if listed else []
        self._terms = len(term_keys)
        self._whitelisted = frozenset(whitelisted)
        extra = sorted(listed.difference(term_keys[i] for i in whitelisted))
        keys = [*term_keys, *extra] if extra else term_keys
        # The automaton is given the keys in sorted order: its trie is then built along
        # shared prefixes, a tenth faster for 100,000 keys; ``_order`` maps its pattern
        # indexes back to the keys'.
        self._order = sorted(range(len(keys)), key=keys.__getitem__)
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        if keys:
            implementation = (
                ahocorasick_rs.Implementation.DFA
                if len(keys) <= DFA_MAX_KEYS
                else ahocorasick_rs.Implementation.ContiguousNFA
            )
            # Patterns are only ever reported by index, so the automaton need not keep them.
            self._automaton = ahocorasick_rs.AhoCorasick(
                [keys[i] for i in self._order], store_patterns=False, implementation=implementation
            )
        logger.debug("automaton: %d keys", len(keys))

    def matches(self, text: str) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
        """Every occurrence of every key in normalised ``text``, overlapping ones included:
        (start, end, term index) of the terms' occurrences, and (start, end) of the
        whitelisted ones."""
        if self._automaton is None or not text:
            return [], []
        order = self._order
        raw = [
            (order[index], start, end)
            for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True)
        ]
        terms, whitelisted = self._terms, self._whitelisted
        found = [(start, end, index) for index, start, end in raw if index < terms]
        if len(found) == len(raw) and not whitelisted:
            return found, []
        allowed = [
            (start, end) for index, start, end in raw if index >= terms or index in whitelisted
        ]
        return found, allowed
