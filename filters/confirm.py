"""Confirming automaton hits against word edges with jieba.

The automaton finds a term wherever its characters appear in the normalised text, including
across word edges (日本 in 今日本店, 台独 in 讲台独自, 城管 in 长城管理处). Each edge of a hit
is classified, cheapest test first:

1. the start or end of the text: an edge;
2. something was deleted there in the original (a space, punctuation, an emoji): an edge,
   because the writer put a break there (dodging characters go *inside* a term, so they
   never turn a real word into a fake edge);
3. two ASCII letters or two ASCII digits touching: glued (the term is part of a longer
   Latin word or number);
4. otherwise jieba decides: a window of the normalised text around the hit is segmented
   (dictionary only, no HMM, so unknown characters stay single and cannot be glued onto
   the term) by a tokenizer that knows the lexicon terms; the edge counts if a word starts
   there, and is crossed if a word spans it.

The hit is then *aligned* (both edges count: full severity), *inside* a longer word (one
word covers the whole hit, or a Latin edge is glued: downgraded to warn unless the term is
marked ``anywhere``) or *straddling* (a word crosses an edge and none covers the hit: dropped).

Terms jieba does not know, or knows as rare, are given frequency ``TERM_FREQUENCY``: enough to
hold together against their own characters, not enough to outweigh real words around them
(a higher floor breaks the boundary traps, a lower one loses terms between random words).
Each window depends only on the text around its own hit, so the decision for a hit does not
change with what else the draft contains.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from enum import Enum
from typing import Any, Final

import jieba

from filters.normalise import Normalised

__all__ = ["TERM_FREQUENCY", "WINDOW", "Placement", "WordEdges", "load_dictionary"]

logger = logging.getLogger(__name__)

TERM_FREQUENCY: Final = 100
# Characters of context on each side of a hit; jieba's words are rarely longer than this,
# so segmentation near the hit does not depend on where the window was cut.
WINDOW: Final = 8

_base: Any = None
_base_lock = threading.Lock()


class Placement(Enum):
    """Where a hit sits relative to the words around it."""

    ALIGNED = "aligned"
    INSIDE = "inside"
    STRADDLING = "straddling"


class _Edge(Enum):
    BOUNDARY = 0
    GLUED = 1
    CROSSED = 2
    UNKNOWN = 3


def load_dictionary() -> float:
    """Load jieba's dictionary into the shared base tokenizer; returns the seconds it took."""
    started = time.perf_counter()
    _base_tokenizer()
    return time.perf_counter() - started


def _base_tokenizer() -> Any:
    # A private tokenizer rather than jieba's global one: nobody else can add words to it,
    # so sharing it read-only between screeners and threads is safe.
    global _base
    if _base is not None:
        return _base
    with _base_lock:
        if _base is None:
            started = time.perf_counter()
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _base = tokenizer
            logger.info("jieba dictionary loaded in %.2f s", time.perf_counter() - started)
        return _base


class WordEdges:
    """A jieba tokenizer that knows the lexicon terms; read-only once built."""

    __slots__ = ("_tokenizer",)

    def __init__(self, keys: Iterable[str]) -> None:
        base = _base_tokenizer()
        freq: dict[str, int] = base.FREQ
        missing = [key for key in keys if not key.isascii() and freq.get(key, 0) < TERM_FREQUENCY]
        if not missing:
            tokenizer = base
        else:
            # A fresh Tokenizer given a copy of the loaded dictionary (milliseconds, where
            # initialize() would reload the dictionary file for a second), with the words
            # entered the way Tokenizer.add_word does it: the word with its frequency, each
            # prefix with 0 so the DAG walk continues through it. Done in bulk because
            # add_word's per-call overhead dominates for a 100,000-term lexicon.
            words = dict(freq)
            total = base.total + sum(TERM_FREQUENCY - words.get(key, 0) for key in missing)
            words.update(dict.fromkeys(missing, TERM_FREQUENCY))
            prefixes = {key[:end] for key in missing for end in range(1, len(key))}
            prefixes.difference_update(words.keys())
            words.update(dict.fromkeys(prefixes, 0))
            tokenizer = jieba.Tokenizer()
            tokenizer.FREQ = words
            tokenizer.total = total
            tokenizer.initialized = True
        self._tokenizer = tokenizer
        logger.debug("word edges: %d terms added to the tokenizer", len(missing))

    def place(self, norm: Normalised, start: int, end: int, memo: dict[Any, Any]) -> Placement:
        """Classify the hit ``norm.text[start:end]``; ``memo`` caches windows for one text."""
        left = _cheap_edge(norm, start)
        right = _cheap_edge(norm, end)
        if _Edge.UNKNOWN in (left, right):
            lo = max(0, start - WINDOW)
            hi = min(len(norm.text), end + WINDOW)
            words = memo.get((lo, hi))
            if words is None:
                words = self._segment(norm.text[lo:hi], lo)
                memo[(lo, hi)] = words
            if left is _Edge.UNKNOWN:
                left = _path_edge(words, start)
            if right is _Edge.UNKNOWN:
                right = _path_edge(words, end)
            if _Edge.CROSSED in (left, right):
                covered = any(ws <= start and end <= we for ws, we in words)
                return Placement.INSIDE if covered else Placement.STRADDLING
        if left is _Edge.BOUNDARY and right is _Edge.BOUNDARY:
            return Placement.ALIGNED
        return Placement.INSIDE

    def _segment(self, window: str, offset: int) -> list[tuple[int, int]]:
        # jieba's own DAG and max-probability route (what lcut(HMM=False) runs), kept as word
        # spans so the edges can be looked up by position.
        dag = self._tokenizer.get_DAG(window)
        route: dict[int, tuple[float, int]] = {}
        self._tokenizer.calc(window, dag, route)
        words = []
        i = 0
        while i < len(window):
            j = route[i][1] + 1
            words.append((offset + i, offset + j))
            i = j
        return words


def _cheap_edge(norm: Normalised, position: int) -> _Edge:
    text = norm.text
    if position <= 0 or position >= len(text) or norm.gap_before(position):
        return _Edge.BOUNDARY
    before, after = text[position - 1], text[position]
    if before.isascii() and after.isascii():
        if (before.isalpha() and after.isalpha()) or (before.isdigit() and after.isdigit()):
            return _Edge.GLUED
        return _Edge.BOUNDARY
    if before.isascii() or after.isascii():
        return _Edge.BOUNDARY  # Latin or digits next to Chinese: jieba splits them too
    return _Edge.UNKNOWN


def _path_edge(words: list[tuple[int, int]], position: int) -> _Edge:
    for word_start, word_end in words:
        if word_start < position < word_end:
            return _Edge.CROSSED
        if word_start >= position:
            break
    return _Edge.BOUNDARY
