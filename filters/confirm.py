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
4. otherwise jieba decides: a window of the normalised text around the hit (``WINDOW``
   characters each side, and never past a gap outside the hit, as jieba never reads past
   punctuation in the original) is segmented with jieba's dictionary and its
   maximum-probability route (what ``lcut(HMM=False)`` does: no HMM, so unknown characters
   stay single and cannot be glued onto the term), with the lexicon terms known as words;
   the edge counts if a word starts there, and is crossed if a word spans it.

The hit is then *aligned* (both edges count: full severity), a *sub-word* (one longer word
covers the whole hit, and the hit is one of the words that word splits into: full
severity), *inside* a longer word (one word covers the whole hit without being split there,
or a Latin edge is glued: downgraded to warn unless the term is marked ``anywhere``) or
*straddling* (a word crosses an edge and none covers the hit: dropped).

The sub-word test follows jieba's search mode (``cut_for_search``), which cuts a long word
into the dictionary words inside it, but asks for the words the long word *splits into*:
jieba's route over the word alone with the word itself left out, and again inside the piece
covering the hit if there is one. So a classification marker with a suffix (绝密 in 绝密级,
机密 in 国家机密) or the head of a compound (台独 in 台独分子) keeps its severity, while
characters that only sit inside a word (家机 in 国家机密, or 中国 in 发展中国家, which splits
into 发展 中 国家, where plain search mode would have cut out 中国) are still downgraded. The
split uses jieba's dictionary only: every hit is a lexicon term, so counting the lexicon
would make every covered hit a sub-word. Hits across two words stay straddling (日本 in
今日本店 is dropped), since no one word covers them.

Terms jieba does not know, or knows as rare, get frequency ``TERM_FREQUENCY``: enough to
hold together against their own characters, not enough to outweigh real words around them
(a higher floor breaks the boundary traps, a lower one loses terms between random words).

The terms are not added to a tokenizer up front: the only lexicon terms that can occur in a
window are the ones the automaton found there, so those are laid over jieba's DAG for that
window. The result is the segmentation a tokenizer with every term added would give, but a
100,000-term lexicon costs nothing to build and the dictionary (~15 MB) is never copied.
Each window depends only on the text around its own hit, so the decision for a hit does not
change with what else the draft contains.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from bisect import bisect_left
from collections.abc import Sequence
from enum import Enum
from typing import Any, Final

from filters.normalise import Normalised

__all__ = ["TERM_FREQUENCY", "WINDOW", "Placement", "WordEdges", "load_dictionary"]

logger = logging.getLogger(__name__)

TERM_FREQUENCY: Final = 100
# Characters of context on each side of a hit; jieba's words are rarely longer than this
# (over 99.8% of the word occurrences its dictionary counts have at most 6 characters), so
# segmentation near the hit does not depend on where the window was cut: 8 and 6 gave the
# same verdicts on 1,500 texts of random dictionary words, and 6 screens about 8% faster.
WINDOW: Final = 6

_base: Any = None
_base_lock = threading.Lock()


class Placement(Enum):
    """Where a hit sits relative to the words around it."""

    ALIGNED = "aligned"
    # Inside one longer word, as one of the words it splits into (绝密 in 绝密级).
    SUBWORD = "subword"
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
            # Imported here: importing jieba alone takes a tenth of a second, which a bot
            # start-up that builds its screener in the background need not wait for.
            import jieba

            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _base = tokenizer
            logger.info("jieba dictionary loaded in %.2f s", time.perf_counter() - started)
        return _base


class WordEdges:
    """Word edges from jieba's dictionary plus the lexicon terms; read-only, thread-safe."""

    __slots__ = ("_freq", "_logtotal", "_tokenizer")

    def __init__(self) -> None:
        self._tokenizer = _base_tokenizer()
        self._freq: dict[str, int] = self._tokenizer.FREQ
        self._logtotal = math.log(self._tokenizer.total)

    def place(
        self,
        norm: Normalised,
        start: int,
        end: int,
        terms: Sequence[tuple[int, int]],
        memo: dict[tuple[int, int], list[tuple[int, int]]],
    ) -> Placement:
        """Classify the hit ``norm.text[start:end]``.

        ``terms`` are the spans of all lexicon terms found in the text, sorted; ``memo``
        caches segmented windows for this one text.
        """
        left = _cheap_edge(norm, start)
        right = _cheap_edge(norm, end)
        if left is _Edge.UNKNOWN or right is _Edge.UNKNOWN:
            text = norm.text
            # The writer's own breaks (deleted punctuation, spaces) end the window, as they
            # end jieba's blocks in the original text.
            lo, hi = norm.between_gaps(
                max(0, start - WINDOW), start, end, min(len(text), end + WINDOW)
            )
            if not (
                (left is _Edge.UNKNOWN and self._may_cross(text, start, lo, hi, terms))
                or (right is _Edge.UNKNOWN and self._may_cross(text, end, lo, hi, terms))
            ):
                # No word of the window's DAG spans the edge, so every segmentation,
                # the best one included, has a word edge there: no need to compute it.
                return Placement.INSIDE if _Edge.GLUED in (left, right) else Placement.ALIGNED
            words = memo.get((lo, hi))
            if words is None:
                words = self._segment(text, lo, hi, terms)
                memo[(lo, hi)] = words
            if left is _Edge.UNKNOWN:
                left = _path_edge(words, start)
            if right is _Edge.UNKNOWN:
                right = _path_edge(words, end)
            if left is _Edge.CROSSED or right is _Edge.CROSSED:
                for word_start, word_end in words:
                    if word_start <= start and end <= word_end:
                        word = text[word_start:word_end]
                        if _Edge.GLUED not in (left, right) and self._is_subword(
                            word, start - word_start, end - word_start
                        ):
                            return Placement.SUBWORD
                        return Placement.INSIDE
                return Placement.STRADDLING
        if left is _Edge.BOUNDARY and right is _Edge.BOUNDARY:
            return Placement.ALIGNED
        return Placement.INSIDE

    def _may_cross(
        self, text: str, position: int, lo: int, hi: int, terms: Sequence[tuple[int, int]]
    ) -> bool:
        # Whether a dictionary word or another lexicon term inside [lo, hi) spans ``position``.
        # jieba's dictionary holds every prefix of every word (with frequency 0 if it is not a
        # word itself), so a word from ``word_start`` can only cross the edge if the fragment
        # reaching one character past it is there: one lookup rules out most starts.
        freq = self._freq
        after = position + 1
        # Nearest starts first: short words are the likeliest to cross.
        for word_start in range(position - 1, lo - 1, -1):
            if text[word_start:after] in freq:
                end = after
                while end <= hi:
                    count = freq.get(text[word_start:end])
                    if count is None:
                        break
                    if count:
                        return True
                    end += 1
        for i in range(bisect_left(terms, (lo, lo)), len(terms)):
            term_start, term_end = terms[i]
            if term_start >= position:
                break
            if term_end > position and term_end <= hi:
                return True
        return False

    def _segment(
        self, text: str, lo: int, hi: int, terms: Sequence[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        window = text[lo:hi]
        term_ends: dict[int, list[int]] = {}
        extra: set[str] = set()
        for term_start, term_end in terms[bisect_left(terms, (lo, lo)) :]:
            if term_start >= hi:
                break
            if term_end <= hi:
                term_ends.setdefault(term_start - lo, []).append(term_end - lo)
                extra.add(text[term_start:term_end])
        route = self._route(window, term_ends, extra)
        words = []
        i = 0
        while i < len(window):
            j = route[i]
            words.append((lo + i, lo + j))
            i = j
        return words

    def _is_subword(self, word: str, start: int, end: int) -> bool:
        # Whether word[start:end] is one of the words ``word`` splits into: jieba's route
        # over ``word`` alone with ``word`` itself left out (绝密级 → 绝密 级, 台独分子 →
        # 台独 分子, 发展中国家 → 发展 中 国家), again inside the piece that covers the span
        # if one does (日本东京大学 → 日本 东京大学 → 东京 大学).
        while True:
            route = self._route(word, {}, set(), whole=False)
            piece_start = 0
            while piece_start < len(word):
                piece_end = route[piece_start]
                if piece_end > start:
                    break
                piece_start = piece_end
            if (piece_start, piece_end) == (start, end):
                return True
            if piece_start > start or piece_end < end or piece_end - piece_start < 2:
                return False  # the span crosses a piece's edge
            word = word[piece_start:piece_end]
            start, end = start - piece_start, end - piece_start

    def _route(
        self,
        window: str,
        term_ends: dict[int, list[int]],
        extra: set[str],
        whole: bool = True,
    ) -> list[int]:
        # Tokenizer.calc's maximum-probability route over Tokenizer.get_DAG's graph (same
        # scores, same tie-break on the later end), with the lexicon terms found in the window
        # as extra edges whose frequency is at least TERM_FREQUENCY. The graph is walked
        # right to left as it is built, so no DAG is stored. ``route[i]`` is the end of the
        # word starting at ``i``. Without ``whole``, the window itself is not one of the words.
        get, logtotal, log = self._freq.get, self._logtotal, math.log
        n = len(window)
        scores = [0.0] * (n + 1)
        route = [0] * n
        for idx in range(n - 1, -1, -1):
            best = -math.inf
            best_end = idx + 1
            found = False
            # The longest word that may start here (the window itself only if ``whole``).
            last = n if whole or idx else n - 1
            end = idx + 1
            fragment = window[idx]
            count = get(fragment)
            while count is not None:
                if count:
                    found = True
                    if count < TERM_FREQUENCY and fragment in extra:
                        count = TERM_FREQUENCY
                    score = log(count) - logtotal + scores[end]
                    if score >= best:
                        best = score
                        best_end = end
                if end >= last:
                    break
                end += 1
                fragment = window[idx:end]
                count = get(fragment)
            if idx in term_ends:
                for term_end in term_ends[idx]:
                    found = True
                    count = get(window[idx:term_end]) or 1
                    if count < TERM_FREQUENCY:
                        count = TERM_FREQUENCY
                    score = log(count) - logtotal + scores[term_end]
                    if score > best or (score == best and term_end > best_end):
                        best = score
                        best_end = term_end
            if not found:
                # No word starts here: the character alone (get_DAG's placeholder).
                best = log(get(window[idx]) or 1) - logtotal + scores[idx + 1]
                best_end = idx + 1
            scores[idx] = best
            route[idx] = best_end
        return route


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
