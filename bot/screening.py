"""Keyword screening for drafts: the live lexicon, swapped atomically, and its management.

The screener is immutable; a lexicon change builds a new one off the event loop and then
replaces the reference in one assignment, so a draft is never screened against a half-built
automaton. Large texts are screened in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from filters import (
    LexiconError,
    Screener,
    Term,
    Verdict,
    default_terms,
    format_lexicon,
    format_whitelist,
    parse_lexicon,
    warm_up,
)
from storage import Database, audit, lexicon, meta
from storage.drafts import NewContent
from storage.lexicon import LexiconEntry

__all__ = ["INLINE_SCREEN_CHARS", "LexiconChange", "Screening", "hits_record", "screened_text"]

logger = logging.getLogger(__name__)

# Below this many characters screening is quicker than a thread hop.
INLINE_SCREEN_CHARS = 4000


@dataclass(frozen=True, slots=True)
class LexiconChange:
    """How a lexicon edit came out."""

    added: int = 0
    changed: int = 0
    removed: int = 0


def screened_text(content: NewContent) -> str:
    """Everything of a version that is screened: file names, note (caption) and text."""
    return "\n".join(part for part in (content.file_names, content.note, content.body) if part)


def hits_record(verdict: Verdict, text: str) -> list[dict[str, object]]:
    """The hits as stored, with the quoted context the people will see."""
    return [
        {
            "term": hit.term,
            "category": hit.category,
            "severity": hit.severity,
            "found_by": hit.found_by,
            "quote": hit.quote(text),
        }
        for hit in verdict.hits
    ]


def _return_freed_memory() -> None:
    """Hand the heap the dictionaries' build freed back to the system (glibc keeps it).

    About 4 MB of resident memory once, right after the warm-up; a C library without
    ``malloc_trim`` (musl, macOS) is left alone.
    """
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def _build(terms: list[Term], allowed: list[str]) -> Screener:
    """A screener with every index built, so no draft pays for a lazy build on the loop."""
    screener = Screener(terms, allowed)
    screener.prepare()
    return screener


def _term(entry: LexiconEntry) -> Term:
    return Term(entry.term, entry.severity, entry.category, entry.anywhere)  # type: ignore[arg-type]


def _entry(term: Term) -> LexiconEntry:
    return LexiconEntry(term.text, term.severity, term.category, term.anywhere)


class Screening:
    """The union's screener and lexicon."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._screener = Screener(())
        self._rebuild_lock = asyncio.Lock()
        self._warming: asyncio.Task[float] | None = None

    @property
    def screener(self) -> Screener:
        """The screener in force now (empty until the warm-up has built it: see ``ready``)."""
        return self._screener

    async def start(self) -> float:
        """Seed the default lexicon once, then load the dictionaries and build the screener."""
        await self.seed()
        return await self.warm()

    async def seed(self) -> None:
        """Store the default lexicon, the first time the database is used."""
        async with self.db.transaction() as tx:
            if await meta.get(tx, "lexicon_seeded_at") is None:
                at = self.db.now()
                await lexicon.replace_terms(tx, [_entry(t) for t in default_terms()], None, at)
                await meta.put(tx, "lexicon_seeded_at", at)

    def warm(self) -> asyncio.Task[float]:
        """Load the dictionaries and build the screener in the background, once.

        The bot starts this right after it begins polling, so start-up does not wait for
        jieba's dictionary; whatever needs the screener earlier (an update replayed before
        polling, a draft in the first second) starts it and waits. Await the task for the
        seconds the dictionaries took.
        """
        if self._warming is None:
            self._warming = asyncio.create_task(self._warm(), name="screening warm-up")
        return self._warming

    async def _warm(self) -> float:
        seconds = await asyncio.to_thread(warm_up)
        await self.rebuild()
        await asyncio.to_thread(_return_freed_memory)
        logger.info(
            "screening ready: jieba loaded in %.2f s, %d terms", seconds, len(self._screener.terms)
        )
        return seconds

    async def ready(self) -> Screener:
        """The screener in force, once the warm-up has built it (a failed one raises again)."""
        task = self.warm()
        if not task.done():
            # Shielded: a handler cancelled while it waits must not cancel everyone's warm-up.
            await asyncio.shield(task)
        task.result()
        return self._screener

    async def close(self) -> None:
        """Stop a warm-up still under way (the bot is shutting down)."""
        task = self._warming
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def rebuild(self) -> None:
        """Build a screener from the stored lexicon and put it in force."""
        async with self._rebuild_lock:
            async with self.db.reading() as conn:
                terms = [_term(e) for e in await lexicon.all_terms(conn)]
                allowed = await lexicon.all_allowed(conn)
            self._screener = await asyncio.to_thread(_build, terms, allowed)

    async def screen(self, text: str) -> Verdict:
        """Screen ``text`` with the screener in force when the call began (after the warm-up)."""
        screener = await self.ready()
        if len(text) <= INLINE_SCREEN_CHARS:
            return screener.screen(text)
        return await asyncio.to_thread(screener.screen, text)

    # Management -------------------------------------------------------------------------------

    def _validated(self, current: Sequence[Term], incoming: Sequence[Term]) -> list[Term]:
        """The lexicon after merging ``incoming``; raises LexiconError if it would be invalid."""
        merged = {t.text: t for t in current}
        for term in incoming:
            merged[term.text] = term
        terms = list(merged.values())
        # Parsing the merged file runs every check (single characters, disguised duplicates).
        parse_lexicon(format_lexicon(terms))
        return terms

    async def add(self, actor_id: int, lines: str) -> LexiconChange:
        """Add or change terms given in lexicon-file lines; all or nothing."""
        incoming = parse_lexicon(lines)
        if not incoming:
            raise LexiconError("没有可导入的词条")
        async with self.db.transaction() as tx:
            current = [_term(e) for e in await lexicon.all_terms(tx)]
            self._validated(current, incoming)
            at = self.db.now()
            added, changed = await lexicon.upsert_terms(
                tx, [_entry(t) for t in incoming], actor_id, at
            )
            await audit.append(
                tx,
                at,
                actor_id,
                "lexicon.added",
                detail={"terms": [t.text for t in incoming][:50], "count": len(incoming)},
            )
        await self.rebuild()
        return LexiconChange(added=added, changed=changed)

    async def delete(self, actor_id: int, term: str) -> bool:
        """Remove a term."""
        async with self.db.transaction() as tx:
            removed = await lexicon.delete_term(tx, term)
            if removed:
                await audit.append(
                    tx, self.db.now(), actor_id, "lexicon.deleted", detail={"term": term}
                )
        if removed:
            await self.rebuild()
        return removed

    async def allow(self, actor_id: int, term: str) -> bool:
        """Whitelist a term, suppressing the hits it covers."""
        term = term.strip()
        if len(term) < 2:
            raise LexiconError("白名单词条至少两个字")
        async with self.db.transaction() as tx:
            added = await lexicon.add_allowed(tx, term, actor_id, self.db.now())
            if added:
                await audit.append(
                    tx, self.db.now(), actor_id, "lexicon.allowed", detail={"term": term}
                )
        if added:
            await self.rebuild()
        return added

    async def disallow(self, actor_id: int, term: str) -> bool:
        """Take a term off the whitelist."""
        async with self.db.transaction() as tx:
            removed = await lexicon.delete_allowed(tx, term)
            if removed:
                await audit.append(
                    tx, self.db.now(), actor_id, "lexicon.disallowed", detail={"term": term}
                )
        if removed:
            await self.rebuild()
        return removed

    async def terms(self) -> list[Term]:
        """The stored lexicon."""
        async with self.db.reading() as conn:
            return [_term(e) for e in await lexicon.all_terms(conn)]

    async def allowed(self) -> list[str]:
        """The whitelist."""
        async with self.db.reading() as conn:
            return await lexicon.all_allowed(conn)

    async def export(self) -> tuple[str, str]:
        """The lexicon and whitelist files."""
        return format_lexicon(await self.terms()), format_whitelist(await self.allowed())
