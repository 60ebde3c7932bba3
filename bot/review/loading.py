"""One read of everything a draft's card or notice shows: the draft, a version, the names."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

import aiosqlite

from bot import texts
from bot.formatting import Names
from bot.outbox.runner import Permanent
from bot.review import changes
from bot.review.render import Revision
from storage import Database, audit, drafts, lexicon, users
from storage.models import Decision, Draft, User, Version

__all__ = ["DraftLoader"]

logger = logging.getLogger(__name__)

# The audit event of an editor sending a version on from layout.
LAID_OUT = "editing.sent"


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

        async def read(
            conn: aiosqlite.Connection,
        ) -> tuple[Draft | None, Version | None, dict[int, User]]:
            draft = await drafts.get(conn, draft_id)
            if draft is None:
                return None, None, {}
            found = await drafts.get_version(conn, draft_id, version or draft.version)
            if found is None:
                return draft, None, {}
            ids = {draft.submitter_id, draft.editor_id, *others}
            ids.update(d.reviewer_id for d in await drafts.decisions(conn, draft_id, found.number))
            return draft, found, await users.get_many(conn, ids)

        # Four reads in one trip to the database thread.
        draft, found, people = await self.db.at_once(read)
        if draft is None:
            raise Permanent(texts.DRAFT_GONE.format(id=draft_id))
        if found is None:
            raise Permanent(texts.VERSION_GONE.format(id=draft_id, version=version))
        return draft, found, Names(people, self.tz)

    async def warnings(self, draft_id: int, version: int) -> list[dict[str, object]]:
        """The screening warnings a version's review cards list."""
        async with self.db.reading() as conn:
            found = await lexicon.screening(conn, draft_id, version)
        return found.hits if found is not None and found.verdict == "warn" else []

    async def laid_out(self, draft_id: int, version: int) -> bool:
        """Whether ``version`` went through layout (an editor sent it on), so cards name the
        editor only for what the editor really laid out."""
        async with self.db.reading() as conn:
            return await audit.has_event(conn, draft_id, LAID_OUT, version)

    async def review_facts(
        self, draft_id: int, version: int
    ) -> tuple[list[Decision], bool, list[dict[str, object]]]:
        """What a version's review card shows besides the draft, in one trip: its decisions,
        whether it was laid out, and its screening warnings."""

        async def read(
            conn: aiosqlite.Connection,
        ) -> tuple[list[Decision], bool, list[dict[str, object]]]:
            found = await lexicon.screening(conn, draft_id, version)
            return (
                await drafts.decisions(conn, draft_id, version),
                await audit.has_event(conn, draft_id, LAID_OUT, version),
                found.hits if found is not None and found.verdict == "warn" else [],
            )

        return await self.db.at_once(read)

    async def revision(
        self, draft: Draft, version: Version
    ) -> tuple[Revision | None, list[changes.Change]]:
        """For a version that follows a rejection: why the last rejected version failed and the
        changes since it (all of them, for the file); (None, []) for any other version."""

        async def rejected(conn: aiosqlite.Connection) -> tuple[Decision, Version | None] | None:
            for number in range(version.number - 1, 0, -1):
                rejections = [
                    d
                    for d in await drafts.decisions(conn, draft.id, number)
                    if d.outcome == "reject"
                ]
                if rejections:
                    return rejections[0], await drafts.get_version(conn, draft.id, number)
            return None

        # The versions before this one, back to the last rejection, in one trip.
        last = await self.db.at_once(rejected) if version.number > 1 else None
        if last is None:
            return None, []
        decision, previous = last
        if previous is None:
            return None, []
        found = changes.changes(previous.body, version.body)
        return Revision(previous.number, decision, changes.compact(found)), found
