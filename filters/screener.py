"""The screener: built once from a lexicon, then used from any thread.

The constructor normalises the terms and builds the automaton; afterwards the only thing
that changes is the pinyin index, built once on first use under a lock (or by
``prepare()``). So ``screen`` is safe from any number of threads, and the bot can build a
replacement in the background and swap the reference in one assignment: a draft is never
screened against a half-built screener.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Final

from filters.automaton import Automaton
from filters.confirm import Placement, WordEdges, load_dictionary
from filters.lexicon import key_problem, normalised_keys
from filters.model import Hit, LexiconError, Severity, Term, Verdict, severity_rank
from filters.normalise import Normalised, normalise_noting_astral, normalise_term, prepare
from filters.personal import find_personal_data, may_hold_personal_data
from filters.personal import prepare as prepare_personal
from filters.pinyin import PinyinIndex, has_latin
from filters.pinyin import prepare as prepare_pinyin

__all__ = ["Screener", "warm_up"]

logger = logging.getLogger(__name__)

# severity_rank as a dict, looked up for every hit.
_RANK: Final = {severity: severity_rank(severity) for severity in ("pass", "warn", "block")}


def warm_up() -> float:
    """Load jieba's dictionary and build the character tables; returns the seconds taken.

    Call once at start-up so the first draft (or the first Screener build) does not pay it.
    """
    started = time.perf_counter()
    prepare()
    prepare_pinyin()
    prepare_personal()
    load_dictionary()
    elapsed = time.perf_counter() - started
    logger.info("screening warmed up in %.2f s", elapsed)
    return elapsed


class Screener:
    """Screens texts against a fixed lexicon and whitelist.

    Raises LexiconError if a term or whitelist entry is unusable (normalises to nothing or
    to one character, or two terms normalise to the same key).
    """

    __slots__ = (
        "_automaton",
        "_edges",
        "_keys",
        "_pinyin",
        "_pinyin_lock",
        "_terms",
        "_whitelist",
    )

    def __init__(self, terms: Iterable[Term], whitelist: Iterable[str] = ()) -> None:
        started = time.perf_counter()
        self._terms = tuple(terms)
        self._whitelist = tuple(dict.fromkeys(whitelist))
        self._keys = keys = normalised_keys(self._terms)
        whitelist_keys = [_whitelist_key(entry) for entry in self._whitelist]
        self._automaton = Automaton(keys, whitelist_keys)
        # Only terms that must line up with word edges need jieba, so an empty or all-anywhere
        # lexicon builds without loading its dictionary.
        anchored = any(not term.anywhere for term in self._terms)
        self._edges = WordEdges() if anchored else None
        # The pinyin index is only needed for drafts with Latin letters and is the slowest
        # part to build (about a second for 100,000 terms), so it is built on first use or
        # by prepare(); the lock makes concurrent first uses build it once.
        self._pinyin: PinyinIndex | None = None
        self._pinyin_lock = threading.Lock()
        logger.info(
            "screener built: %d terms, %d whitelist entries in %.3f s",
            len(self._terms),
            len(self._whitelist),
            time.perf_counter() - started,
        )

    def prepare(self) -> None:
        """Build the parts made on first use (the pinyin index) now.

        Call it in the same worker thread as the constructor before swapping a new screener
        in, so that no draft waits for it.
        """
        self._pinyin_index()

    def _pinyin_index(self) -> PinyinIndex:
        index = self._pinyin
        if index is None:
            with self._pinyin_lock:
                if self._pinyin is None:
                    started = time.perf_counter()
                    self._pinyin = PinyinIndex(self._keys)
                    logger.info("pinyin index built in %.3f s", time.perf_counter() - started)
                index = self._pinyin
        return index

    @property
    def terms(self) -> tuple[Term, ...]:
        """The lexicon, in the order given."""
        return self._terms

    @property
    def whitelist(self) -> tuple[str, ...]:
        """The whitelist entries, duplicates removed."""
        return self._whitelist

    def screen(self, text: str) -> Verdict:
        """Screen ``text``; spans in the hits index ``text`` itself."""
        norm, astral = normalise_noting_astral(text)
        hits: list[Hit] = []
        found, whitelisted = self._automaton.matches(norm.text)
        allowed = [norm.to_original(start, end) for start, end in whitelisted]
        spans = sorted([(start, end) for start, end, _ in found])
        memo: dict[tuple[int, int], list[tuple[int, int]]] = {}
        # Longest first, so that a hit inside a kept one of at least its term's severity can
        # be passed over unplaced: _tidy would fold it into that one whatever its placement.
        found.sort(key=_longest_first)
        kept: list[tuple[int, int, int]] = []
        for start, end, index in found:
            term = self._terms[index]
            span = norm.to_original(start, end)
            if kept and _folded(span, _RANK[term.severity], kept):
                continue
            hit = self._confirmed(norm, start, end, span, term, spans, memo)
            if hit is not None:
                hits.append(hit)
                kept.append((hit.start, hit.end, _RANK[hit.severity]))
        if self._keys and has_latin(norm.text):
            for start, end, index in self._pinyin_index().find(norm):
                term = self._terms[index]
                span = norm.to_original(start, end)
                hits.append(Hit(term.text, term.category, "warn", *span, "pinyin"))
        if may_hold_personal_data(norm.text, astral):
            hits.extend(find_personal_data(text))
        return Verdict.of(_tidy(hits, allowed))

    def _confirmed(
        self,
        norm: Normalised,
        start: int,
        end: int,
        span: tuple[int, int],
        term: Term,
        spans: list[tuple[int, int]],
        memo: dict[tuple[int, int], list[tuple[int, int]]],
    ) -> Hit | None:
        severity: Severity = term.severity
        if not term.anywhere and self._edges is not None:
            placement = self._edges.place(norm, start, end, spans, memo)
            if placement is Placement.STRADDLING:
                return None
            if placement is Placement.INSIDE:
                severity = "warn"
        original_start, original_end = span
        exact = norm.original[original_start:original_end] == term.text
        return Hit(
            term.text,
            term.category,
            severity,
            original_start,
            original_end,
            "exact" if exact else "normalised",
        )


def _longest_first(found: tuple[int, int, int]) -> int:
    return found[0] - found[1]


def _folded(span: tuple[int, int], rank: int, kept: list[tuple[int, int, int]]) -> bool:
    # _tidy's folding rule: a kept hit of at least this rank that starts earlier and ends no
    # sooner, or starts at the same place and ends later (in original coordinates, where
    # two normalised spans from one expanded character can coincide).
    start, end = span
    for kept_start, kept_end, kept_rank in kept:
        if kept_rank >= rank and (
            (kept_start < start and kept_end >= end) or (kept_start == start and kept_end > end)
        ):
            return True
    return False


def _whitelist_key(entry: str) -> str:
    key = normalise_term(entry)
    problem = key_problem(key)
    if problem is not None:
        raise LexiconError(f"白名单「{entry}」：{problem}")
    return key


def _tidy(hits: list[Hit], allowed: list[tuple[int, int]]) -> tuple[Hit, ...]:
    # Whitelisted stretches suppress every hit inside them; a hit inside a longer hit of at
    # least the same severity adds nothing for the reviewer (发票 inside 代开发票). Both are
    # sweeps over hits sorted by start, so a huge document with many hits stays linear-ish.
    hits = list(dict.fromkeys(hits))
    hits.sort(key=lambda h: (h.start, -h.end, h.severity != "block", h.term))
    allowed.sort()
    result: list[Hit] = []
    allowed_end = -1  # furthest end of the whitelisted spans starting at or before the hit
    next_allowed = 0
    # The furthest end of the kept hits that start earlier, of any severity and of block
    # severity; and the same for the kept hits that start where the current hit does.
    earlier_any = earlier_block = same_any = same_block = -1
    current_start = -1
    for hit in hits:
        start, end = hit.start, hit.end
        while next_allowed < len(allowed) and allowed[next_allowed][0] <= start:
            allowed_end = max(allowed_end, allowed[next_allowed][1])
            next_allowed += 1
        if end <= allowed_end:
            continue
        if start != current_start:
            earlier_any = max(earlier_any, same_any)
            earlier_block = max(earlier_block, same_block)
            same_any = same_block = -1
            current_start = start
        if hit.severity == "block":
            if earlier_block >= end or same_block > end:
                continue
            same_block = max(same_block, end)
        elif earlier_any >= end or same_any > end:
            continue
        same_any = max(same_any, end)
        result.append(hit)
    result.sort(key=lambda h: (h.start, h.end, h.term))
    return tuple(result)
