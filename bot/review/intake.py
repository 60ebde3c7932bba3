"""Intake: a message becomes a draft; the submitter chooses category, attribution, originality.

Telegram-free, like the rest of the review service.
"""

from __future__ import annotations

import logging
from functools import partial

import aiosqlite

from bot import texts
from bot.documents import title_from_text
from bot.members import Actor
from bot.outbox.payloads import Refresh
from bot.review import attribution, workflow
from bot.review.base import TITLE_LIMIT, Refused, ReviewBase, Stage, clean_title
from bot.review.payloads import (
    IntakeCard,
)
from bot.review.workflow import Refusal
from bot.screening import screened_text
from filters import Verdict
from storage import audit, cards, drafts, users, version_files
from storage.drafts import NewContent
from storage.models import (
    CATEGORIES,
    MAX_FILES,
    SUBMITTER_ROLES,
    Draft,
    DraftState,
    Role,
    Version,
)

__all__ = ["BODY_GAP", "Intake"]

logger = logging.getLogger(__name__)

# The prompts that ask for an intake detail; none outlives the intake.
INTAKE_PROMPTS = ("title", "college", "source", "body")
# How often a merge reads again when an album's next item changed the draft meanwhile.
_MERGE_ATTEMPTS = 3
# What confirm names when the draft has no text yet (an album sent without a caption).
BODY_GAP = "正文"


class Intake(ReviewBase):
    """The submitter's part, up to confirming the draft."""

    async def submit(
        self,
        actor: Actor,
        origin_chat_id: int,
        content: NewContent,
        title: str | None,
        reply_to: int | None = None,
    ) -> tuple[Draft, bool]:
        """Start a draft from a message; returns it and whether it is new (not a re-delivery).

        The draft is screened first; a blocked one waits in ``blocked`` for a clean version,
        a clean one gets its intake card (in reply to ``reply_to``, in groups).
        """
        text = screened_text(content)
        verdict = await self.screening.screen(text)

        async def work(tx: aiosqlite.Connection) -> tuple[Draft, bool]:
            roles = await users.roles_of(tx, actor.user_id)
            if not SUBMITTER_ROLES & roles:
                raise await self._not_submitter(tx, actor.user_id)
            if content.source_msg_id is not None and content.source_chat_id is not None:
                existing = await drafts.by_source(tx, content.source_chat_id, content.source_msg_id)
                if existing is not None:
                    found = await drafts.get(tx, existing)
                    assert found is not None
                    return found, False
            at = self.db.now()
            draft_id = await drafts.create(
                tx, at, actor.user_id, origin_chat_id, clean_title(title, content), content
            )
            await audit.append(tx, at, actor.user_id, "draft.created", draft_id, 1)
            if Role.VOLUNTEER in roles and Role.OFFICER not in roles:
                await drafts.mark_volunteer(tx, draft_id)
            if await self._record_screening(tx, at, draft_id, 1, verdict, text):
                await drafts.block(tx, draft_id, DraftState.INTAKE, 1, DraftState.INTAKE, at)
            else:
                await self._queue(tx, at, draft_id, IntakeCard(origin_chat_id, reply_to))
            created = await drafts.get(tx, draft_id)
            assert created is not None
            return created, True

        return await self._atomic(work)

    async def choose(self, actor: Actor, draft_id: int, action: str) -> Draft:
        """Apply an intake button: c<n> category, a<s|c|r> attribution, o<1|0> original,
        u<1|0> urgent."""

        async def work(tx: aiosqlite.Connection) -> Draft:
            draft = await self._intake_draft(tx, actor, draft_id)
            at = self.db.now()
            change: dict[str, object] = {}
            if action[0] == "u":
                urgent = action[1] == "1"
                if await drafts.set_urgent(tx, draft_id, urgent):
                    await self._queue(tx, at, draft_id, Refresh(Stage.INTAKE))
                    await audit.append(
                        tx,
                        at,
                        actor.user_id,
                        "draft.urgent",
                        draft_id,
                        draft.version,
                        {"urgent": urgent},
                    )
                return await self._get(tx, draft_id, actor)
            if action[0] == "a" and draft.by_volunteer:
                raise await self._refusal(
                    tx,
                    actor,
                    draft,
                    Refusal.VOLUNTEER_ATTRIBUTION,
                    draft.version,
                    None,
                    {"action": "attribution"},
                )
            if action[0] == "c":
                change["category"] = CATEGORIES[int(action[1])]
            elif action[0] == "a":
                kind = {"s": "school", "c": "college", "r": "repost"}[action[1]]
                change["attribution"] = kind
                # Keep an already given detail when the same kind is chosen again.
                if kind == draft.attribution:
                    change["college"], change["source"] = draft.college, draft.source
                implied = attribution.implied_original(kind)
                if implied is not None:
                    change["original"] = implied
                # A question about the detail of another attribution must not switch it back.
                await cards.close_draft_prompts(tx, draft_id, attribution.stale_details(kind), at)
            elif action[0] == "o":
                original = action[1] == "1"
                # A volunteer's draft is the union's by article 12, original or not.
                why = (
                    None
                    if draft.by_volunteer
                    else attribution.conflict(draft.attribution, original)
                )
                if why is not None:
                    raise await self._conflict(tx, actor, draft, "original", why)
                change["original"] = original
            await drafts.update_intake(tx, draft_id, at, **change)  # type: ignore[arg-type]
            await self._queue(tx, at, draft_id, Refresh(Stage.INTAKE))
            await audit.append(
                tx,
                at,
                actor.user_id,
                "draft.intake_updated",
                draft_id,
                draft.version,
                {k: v for k, v in change.items() if v is not None},
            )
            updated = await drafts.get(tx, draft_id)
            assert updated is not None
            return updated

        return await self._atomic(work)

    async def set_intake_detail(self, actor: Actor, draft_id: int, kind: str, text: str) -> Draft:
        """Set the title, the college (院级承办) or the source (转载) from a reply."""

        async def work(tx: aiosqlite.Connection) -> Draft:
            draft = await self._intake_draft(tx, actor, draft_id)
            at = self.db.now()
            value = " ".join(text.split())
            wanted = {"college": "college", "source": "repost"}.get(kind)
            if wanted is not None and draft.attribution not in (None, wanted):
                now = texts.ATTRIBUTION_NAMES.get(draft.attribution or "", "")
                why = texts.ATTR_STALE_PROMPT.format(now=now)
                raise await self._conflict(tx, actor, draft, kind, why)
            if kind == "title":
                await drafts.update_intake(
                    tx, draft_id, at, title=title_from_text(value, TITLE_LIMIT)
                )
            elif kind == "college":
                await drafts.update_intake(
                    tx, draft_id, at, attribution="college", college=value[:100]
                )
            else:
                await drafts.update_intake(
                    tx, draft_id, at, attribution="repost", source=value[:300], original=False
                )
            await audit.append(
                tx,
                at,
                actor.user_id,
                "draft.intake_updated",
                draft_id,
                draft.version,
                {kind: value},
            )
            await self._queue(tx, at, draft_id, Refresh(Stage.INTAKE))
            updated = await drafts.get(tx, draft_id)
            assert updated is not None
            return updated

        return await self._atomic(work)

    async def _conflict(
        self, tx: aiosqlite.Connection, actor: Actor, draft: Draft, action: str, why: str
    ) -> Refused:
        """A refusal of a choice that would contradict the attribution, saying why."""
        refused = await self._refusal(
            tx, actor, draft, Refusal.ATTRIBUTION_CONFLICT, draft.version, None, {"action": action}
        )
        refused.params["why"] = why
        return refused

    @staticmethod
    def missing(draft: Draft) -> list[str]:
        """What the submitter still has to choose before confirming."""
        gaps = []
        if draft.category is None:
            gaps.append("类别")
        if draft.attribution is None:
            gaps.append("署名")
        elif draft.attribution == "college" and not draft.college:
            gaps.append("承办学院")
        elif draft.attribution == "repost" and not draft.source:
            gaps.append("转载来源")
        if draft.original is None:
            gaps.append("是否原创")
        return gaps

    async def confirm(self, actor: Actor, draft_id: int) -> Draft | list[str]:
        """Send the draft on (to editing or tier 1), or return what is still missing."""

        async def work(tx: aiosqlite.Connection) -> Draft | list[str]:
            draft = await self._intake_draft(tx, actor, draft_id)
            if not SUBMITTER_ROLES & await users.roles_of(tx, actor.user_id):
                # A volunteer whose role ended while the card was open; cancelling still works.
                refused = await self._not_submitter(tx, actor.user_id)
                refused.audit = (actor.user_id, draft_id, draft.version, {"action": "confirm"})
                raise refused
            gaps = self.missing(draft)
            version = await drafts.get_version(tx, draft_id, draft.version)
            if version is not None and not version.body.strip():
                # No draft goes on without text, even an album whose items had no caption.
                gaps.insert(0, BODY_GAP)
            if gaps:
                return gaps
            why = (
                None
                if draft.by_volunteer
                else attribution.conflict(draft.attribution, draft.original)
            )
            if why is not None:
                raise await self._conflict(tx, actor, draft, "confirm", why)
            at = self.db.now()
            await cards.close_draft_prompts(tx, draft_id, INTAKE_PROMPTS, at)
            target = workflow.state_after_intake(self.config.editing)
            await drafts.transition(tx, draft_id, DraftState.INTAKE, draft.version, target, at)
            await audit.append(tx, at, actor.user_id, "draft.submitted", draft_id, draft.version)
            await self._queue(tx, at, draft_id, Refresh(Stage.INTAKE))
            await self._queue_stage(tx, at, draft_id, draft.version, target)
            if draft.urgent:
                await self._queue_heads_up(tx, at, draft, target, holder=False)
            updated = await drafts.get(tx, draft_id)
            assert updated is not None
            return updated

        return await self._atomic(work)

    async def at_intake(self, submitter_id: int) -> Draft | None:
        """The submitter's newest draft not yet confirmed, to which more may be added."""
        async with self.db.reading() as conn:
            return await drafts.at_intake_of(conn, submitter_id)

    async def album_draft(self, submitter_id: int, media_group_id: str) -> Draft | None:
        """The submitter's draft at intake that an earlier item of this album started."""
        async with self.db.reading() as conn:
            found = await version_files.album_at_intake(conn, submitter_id, media_group_id)
            return await drafts.get(conn, found) if found is not None else None

    async def continues_album(self, draft_id: int, media_group_id: str) -> bool:
        """Whether the draft's current version holds files of this album already (an editor's
        layout sent as an album: its later items add to the version its first item made)."""
        async with self.db.reading() as conn:
            draft = await drafts.get(conn, draft_id)
            version = await drafts.get_version(conn, draft_id, draft.version) if draft else None
        return version is not None and any(
            f.media_group_id == media_group_id for f in version.files
        )

    async def _with_album(self, draft_id: int, content: NewContent) -> NewContent:
        """``content`` after the current version's when both are of one album, else as is."""
        groups = {f.media_group_id for f in content.files if f.media_group_id}
        if not groups:
            return content
        async with self.db.reading() as conn:
            draft = await drafts.get(conn, draft_id)
            version = await drafts.get_version(conn, draft_id, draft.version) if draft else None
        if version is None or not groups & {f.media_group_id for f in version.files}:
            return content
        merged = _merged(version, content)
        if len(merged.files) > MAX_FILES:
            raise Refused(
                Refusal.TOO_MANY_FILES, id=draft_id, count=len(version.files), limit=MAX_FILES
            )
        return merged

    async def album_elsewhere(self, submitter_id: int, media_group_id: str) -> Draft | None:
        """The submitter's draft, no longer at intake, that an earlier item of this album went
        into (stopped by screening, or cancelled, while the album arrived)."""
        async with self.db.reading() as conn:
            found = await version_files.album_holder(conn, submitter_id, media_group_id)
            return await drafts.get(conn, found) if found is not None else None

    async def append(self, actor: Actor, draft_id: int, content: NewContent) -> Draft:
        """Add a follow-up message (more text, another file or photo, the next item of an
        album) to a draft still at intake: one article, one draft. The content hash covers what
        was added, and the whole text is screened again."""
        async with self.db.reading() as conn:
            current = await drafts.get(conn, draft_id)
            old = await drafts.get_version(conn, draft_id, current.version) if current else None
        merged = _merged(old, content) if old is not None else content
        text = screened_text(merged)
        verdict = await self.screening.screen(text)

        async def work(tx: aiosqlite.Connection) -> Draft:
            if content.source_msg_id is not None and content.source_chat_id is not None:
                existing = await drafts.by_source(tx, content.source_chat_id, content.source_msg_id)
                if existing is not None:
                    # Telegram delivered the message again: it is in the draft already.
                    return await self._get(tx, existing, actor)
            draft = await self._intake_draft(tx, actor, draft_id)
            if old is not None and len(merged.files) > MAX_FILES:
                raise Refused(
                    Refusal.TOO_MANY_FILES, id=draft_id, count=len(old.files), limit=MAX_FILES
                )
            if old is None or old.number != draft.version:
                raise Refused(Refusal.CLOSED, state=texts.STATE_NAMES[draft.state])
            at = self.db.now()
            # Versions are immutable: what was added makes the next version, still at intake.
            number = await drafts.add_version(
                tx,
                draft_id,
                [DraftState.INTAKE],
                draft.version,
                DraftState.INTAKE,
                actor.user_id,
                merged,
                at,
            )
            if number is None:
                raise Refused(Refusal.CLOSED, state=texts.STATE_NAMES[draft.state])
            await audit.append(
                tx,
                at,
                actor.user_id,
                "draft.appended",
                draft_id,
                number,
                {"kind": content.files[0].kind if content.files else "text"},
            )
            if await self._record_screening(tx, at, draft_id, number, verdict, text):
                await drafts.block(tx, draft_id, DraftState.INTAKE, number, DraftState.INTAKE, at)
            await self._queue(tx, at, draft_id, Refresh(Stage.INTAKE))
            updated = await drafts.get(tx, draft_id)
            assert updated is not None
            return updated

        return await self._atomic(work)

    async def merge(self, actor: Actor, album_id: int, into_id: int) -> Draft:
        """Fold the draft an album started into the officer's earlier draft still at intake
        (its text after, its files after), and cancel the album's draft: one article, one
        draft. The album's items still to come then join the earlier draft, which now holds
        files of that album. Returns the earlier draft."""
        stale = (0, 0)
        for _ in range(_MERGE_ATTEMPTS):
            async with self.db.reading() as conn:
                into = await drafts.get(conn, into_id)
                album = await drafts.get(conn, album_id)
                old = await drafts.get_version(conn, into_id, into.version) if into else None
                added = await drafts.get_version(conn, album_id, album.version) if album else None
            if old is None or added is None or album_id == into_id:
                raise Refused(Refusal.NOT_FOUND)
            merged = _merged(old, NewContent(body=added.body, note=added.note, files=added.files))
            text = screened_text(merged)
            verdict = await self.screening.screen(text)
            folded = await self._atomic(
                partial(self._fold, actor, album_id, into_id, (old, added, merged), verdict, text)
            )
            if isinstance(folded, Draft):
                return folded
            stale = folded
        # The album kept growing under every attempt; the officer may tap again.
        raise Refused(Refusal.STALE_VERSION, version=stale[0], current=stale[1])

    async def _fold(
        self,
        actor: Actor,
        album_id: int,
        into_id: int,
        versions: tuple[Version, Version, NewContent],
        verdict: Verdict,
        text: str,
        tx: aiosqlite.Connection,
    ) -> Draft | tuple[int, int]:
        """``merge``'s transaction: the earlier draft, or (album version read, album version
        now) when an item of the album arrived since the versions were read."""
        old, added, merged = versions
        target = await self._intake_draft(tx, actor, into_id)
        source = await self._intake_draft(tx, actor, album_id)
        if target.version != old.number or source.version != added.number:
            # An item of the album arrived meanwhile: merge what is there now.
            return added.number, source.version
        if len(merged.files) > MAX_FILES:
            raise Refused(Refusal.TOO_MANY_FILES, id=into_id, count=len(old.files), limit=MAX_FILES)
        at = self.db.now()
        number = await drafts.add_version(
            tx,
            into_id,
            [DraftState.INTAKE],
            target.version,
            DraftState.INTAKE,
            actor.user_id,
            merged,
            at,
        )
        moved = await drafts.transition(
            tx, album_id, DraftState.INTAKE, source.version, DraftState.WITHDRAWN, at
        )
        assert number is not None and moved
        detail = {"kind": "album", "merged": album_id}
        await audit.append(tx, at, actor.user_id, "draft.appended", into_id, number, detail)
        await audit.append(
            tx,
            at,
            actor.user_id,
            "draft.cancelled",
            album_id,
            source.version,
            {"merged_into": into_id},
        )
        await cards.close_draft_prompts(tx, album_id, INTAKE_PROMPTS, at)
        await self._queue(tx, at, album_id, Refresh(Stage.INTAKE))
        if await self._record_screening(tx, at, into_id, number, verdict, text):
            await drafts.block(tx, into_id, DraftState.INTAKE, number, DraftState.INTAKE, at)
        await self._queue(tx, at, into_id, Refresh(Stage.INTAKE))
        return await self._get(tx, into_id, actor)

    async def cancelled(self, draft_ids: list[int]) -> set[int]:
        """Which of these drafts were cancelled at intake (never submitted), not withdrawn."""
        async with self.db.reading() as conn:
            return await audit.drafts_with(conn, "draft.cancelled", draft_ids)

    async def state_name(self, draft: Draft) -> str:
        """Where the draft stands, in words; a draft dropped at intake reads 已取消."""
        if draft.state is DraftState.WITHDRAWN and await self.cancelled([draft.id]):
            return texts.STATE_CANCELLED
        return texts.STATE_NAMES[draft.state]

    async def cancel(self, actor: Actor, draft_id: int) -> Draft:
        """Drop a draft that was never confirmed."""

        async def work(tx: aiosqlite.Connection) -> Draft:
            draft = await self._intake_draft(tx, actor, draft_id)
            at = self.db.now()
            await drafts.transition(
                tx, draft_id, DraftState.INTAKE, draft.version, DraftState.WITHDRAWN, at
            )
            await audit.append(tx, at, actor.user_id, "draft.cancelled", draft_id, draft.version)
            await cards.close_draft_prompts(tx, draft_id, INTAKE_PROMPTS, at)
            await self._queue(tx, at, draft_id, Refresh(Stage.INTAKE))
            updated = await drafts.get(tx, draft_id)
            assert updated is not None
            return updated

        return await self._atomic(work)


def _merged(old: Version, added: NewContent) -> NewContent:
    """A draft's content with a follow-up message added after it (whose message it records, so
    a second delivery of that message is recognised): the texts joined, the files in order."""
    return NewContent(
        body="\n\n".join(part for part in (old.body, added.body) if part),
        note="\n".join(part for part in (old.note, added.note) if part),
        files=old.files + added.files,
        source_chat_id=added.source_chat_id,
        source_msg_id=added.source_msg_id,
    )
