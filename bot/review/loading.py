"""One read of everything a draft's card or notice shows: the draft, a version, the names."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

import aiosqlite

from bot import texts
from bot.formatting import Names
from bot.outbox.runner import Permanent
from bot.review import changes
from bot.review.render import Revision
from storage import Database, audit, drafts, lexicon, users
from storage.models import Decision, Draft, User, Version

__all__ = ["Context", "DraftLoader", "ReviewFacts"]

logger = logging.getLogger(__name__)

# The audit event of an editor sending a version on from layout.
LAID_OUT = "editing.sent"


ReviewFacts = tuple[list[Decision], bool, list[dict[str, object]]]
_Rejection = tuple[Decision, Version | None]


@dataclass(frozen=True, slots=True)
class Context:
    """A draft's version as its cards show it: the names to show and, after a rejection, what
    changed since (``changes`` all of them, for the file); ``facts`` when asked for."""

    draft: Draft
    version: Version
    names: Names
    revision: Revision | None
    changed: list[changes.Change]
    facts: ReviewFacts | None


class DraftLoader:
    """Reads drafts for the senders; a draft that is gone is a permanent failure.

    Each method is one trip to the database thread, however many reads it makes.
    """

    def __init__(self, db: Database, tz: ZoneInfo) -> None:
        self.db = db
        self.tz = tz

    async def load(
        self, draft_id: int, version: int | None = None, others: tuple[int, ...] = ()
    ) -> tuple[Draft, Version, Names]:
        """A draft, one of its versions (the current by default) and the names to render it
        (its people's, and those of ``others``)."""
        found = await self.db.at_once(
            partial(_draft, draft_id=draft_id, number=version, others=others)
        )
        draft, version_found, people = self._found(draft_id, version, found)
        return draft, version_found, Names(people, self.tz)

    async def context(
        self, draft_id: int, number: int | None = None, *, facts: bool = False
    ) -> Context:
        """The draft and a version (the current by default) with its names and, after a
        rejection, the changes since, the rejecting reviewer named too; with ``facts``, what a
        review card shows besides: its decisions, whether it was laid out, and its screening
        warnings."""

        async def read(
            conn: aiosqlite.Connection,
        ) -> tuple[_Found, _Rejection | None, ReviewFacts | None]:
            found = await _draft(conn, draft_id, number, ())
            draft, version, people = found
            if draft is None or version is None:
                return found, None, None
            last = await _last_rejection(conn, draft.id, version.number)
            if last is not None and last[0].reviewer_id not in people:
                people.update(await users.get_many(conn, [last[0].reviewer_id]))
            return found, last, await _facts(conn, draft_id, version.number) if facts else None

        found, last, extra = await self.db.at_once(read)
        draft, version, people = self._found(draft_id, number, found)
        revision, changed = _revision(version, last)
        return Context(draft, version, Names(people, self.tz), revision, changed, extra)

    async def laid_out(self, draft_id: int, version: int) -> bool:
        """Whether ``version`` went through layout (an editor sent it on), so cards name the
        editor only for what the editor really laid out."""
        async with self.db.reading() as conn:
            return await audit.has_event(conn, draft_id, LAID_OUT, version)

    @staticmethod
    def _found(
        draft_id: int, number: int | None, found: _Found
    ) -> tuple[Draft, Version, dict[int, User]]:
        draft, version, people = found
        if draft is None:
            raise Permanent(texts.DRAFT_GONE.format(id=draft_id))
        if version is None:
            raise Permanent(texts.VERSION_GONE.format(id=draft_id, version=number))
        return draft, version, people


_Found = tuple[Draft | None, Version | None, dict[int, User]]


async def _draft(
    conn: aiosqlite.Connection, draft_id: int, number: int | None, others: tuple[int, ...]
) -> _Found:
    draft = await drafts.get(conn, draft_id)
    if draft is None:
        return None, None, {}
    found = await drafts.get_version(conn, draft_id, number or draft.version)
    if found is None:
        return draft, None, {}
    ids = {draft.submitter_id, draft.editor_id, *others}
    ids.update(d.reviewer_id for d in await drafts.decisions(conn, draft_id, found.number))
    return draft, found, await users.get_many(conn, ids)


async def _facts(conn: aiosqlite.Connection, draft_id: int, version: int) -> ReviewFacts:
    found = await lexicon.screening(conn, draft_id, version)
    return (
        await drafts.decisions(conn, draft_id, version),
        await audit.has_event(conn, draft_id, LAID_OUT, version),
        found.hits if found is not None and found.verdict == "warn" else [],
    )


async def _last_rejection(
    conn: aiosqlite.Connection, draft_id: int, number: int
) -> _Rejection | None:
    """The last rejection of a version before ``number``, with that version."""
    for earlier in range(number - 1, 0, -1):
        rejections = [
            d for d in await drafts.decisions(conn, draft_id, earlier) if d.outcome == "reject"
        ]
        if rejections:
            return rejections[0], await drafts.get_version(conn, draft_id, earlier)
    return None


def _revision(
    version: Version, last: _Rejection | None
) -> tuple[Revision | None, list[changes.Change]]:
    if last is None:
        return None, []
    decision, previous = last
    if previous is None:
        return None, []
    found = changes.changes(previous.body, version.body)
    return Revision(previous.number, decision, changes.compact(found)), found
