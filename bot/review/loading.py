"""One read of everything a draft's card or notice shows: the draft, a version, the names."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import aiosqlite

from bot.formatting import Names
from bot.outbox.runner import Permanent
from storage import Database, drafts, lexicon, users
from storage.models import Decision, Draft, Version

__all__ = ["DraftLoader", "Loaded"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Loaded:
    """A draft with one version, that version's decisions, the names and its screening warnings."""

    draft: Draft
    version: Version
    names: Names
    decisions: list[Decision]
    warnings: list[dict[str, object]]


class DraftLoader:
    """Reads drafts for the senders; a draft that is gone is a permanent failure."""

    def __init__(self, db: Database, tz: ZoneInfo) -> None:
        self.db = db
        self.tz = tz

    async def load(
        self, draft_id: int, version: int | None = None, others: tuple[int, ...] = ()
    ) -> tuple[Draft, Version, Names]:
        """A draft, one of its versions (the current by default) and the names to render it
        (its people's, and those of ``others``)."""
        async with self.db.reading() as conn:
            found = await self._read(conn, draft_id, version, others, with_warnings=False)
        return found.draft, found.version, found.names

    async def card(self, draft_id: int, version: int | None = None) -> Loaded:
        """Everything a review card shows, in one read: ``load``'s and the version's decisions
        and screening warnings."""
        async with self.db.reading() as conn:
            return await self._read(conn, draft_id, version, (), with_warnings=True)

    async def _read(
        self,
        conn: aiosqlite.Connection,
        draft_id: int,
        version: int | None,
        others: tuple[int, ...],
        with_warnings: bool,
    ) -> Loaded:
        draft = await drafts.get(conn, draft_id)
        if draft is None:
            raise Permanent(f"draft {draft_id} is gone")
        found = await drafts.get_version(conn, draft_id, version or draft.version)
        if found is None:
            raise Permanent(f"draft {draft_id} has no version {version}")
        decided = await drafts.decisions(conn, draft_id, found.number)
        ids = {draft.submitter_id, draft.editor_id, *others}
        ids.update(d.reviewer_id for d in decided)
        people = await users.get_many(conn, ids)
        warnings = await self._warnings(conn, draft_id, found.number) if with_warnings else []
        return Loaded(draft, found, Names(people, self.tz), decided, warnings)

    async def warnings(self, draft_id: int, version: int) -> list[dict[str, object]]:
        """The screening warnings a version's review cards list."""
        async with self.db.reading() as conn:
            return await self._warnings(conn, draft_id, version)

    @staticmethod
    async def _warnings(
        conn: aiosqlite.Connection, draft_id: int, version: int
    ) -> list[dict[str, object]]:
        found = await lexicon.screening(conn, draft_id, version)
        return found.hits if found is not None and found.verdict == "warn" else []
