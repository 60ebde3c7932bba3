"""The review service's common ground: rules, refusals, audit and queued deliveries.

``ReviewBase`` holds what every action of the review service shares: the audited refusal, the
guarded transaction, the submitter's notices and the deliveries queued for after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

import aiosqlite

from bot import formatting, texts
from bot.clock.timing import Timing
from bot.config import UnionConfig
from bot.documents import title_from_text
from bot.members import Actor
from bot.review import render, standins
from bot.review.payloads import (
    EditingCard,
    Notice,
    ReviewCard,
    Stall,
)
from bot.review.workflow import Refusal
from bot.screening import Screening, hits_record
from filters import Verdict
from storage import Database, audit, cards, drafts, lexicon, outbox, refusals, reminders, users
from storage.db import last_stored_day, stored_time
from storage.drafts import NewContent
from storage.models import (
    Draft,
    DraftState,
    Role,
)
from storage.payloads import Payload
from storage.trips import Work

__all__ = [
    "TITLE_LIMIT",
    "Pending",
    "Refused",
    "ReviewBase",
    "Stage",
    "clean_title",
    "editor_notice",
    "stage_of",
    "state_name",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

TITLE_LIMIT = 60


class Stage:
    """Names of card stages, shared by the service and the delivery."""

    INTAKE = "intake"
    EDITING = "editing"
    PUBLISH = "publish"

    @staticmethod
    def review(tier: int) -> str:
        """The card stage of review tier ``tier``."""
        return f"review_{tier}"


class Refused(Exception):
    """An action the rules do not allow; ``params`` fill the refusal's message."""

    def __init__(self, reason: Refusal, **params: object) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.params = params
        # (actor, draft, version, detail) of an attempt to record once the transaction is undone.
        self.audit: tuple[int, int | None, int | None, dict[str, object]] | None = None
        # True once the attempt is on the audit trail, so the handler does not record it twice.
        self.audited = False


@dataclass(frozen=True, slots=True)
class Pending:
    """What waits for one member: drafts per stage."""

    editing: list[Draft] = field(default_factory=list)
    review: dict[int, list[Draft]] = field(default_factory=dict)


class ReviewBase:
    """Shared by every part of the review service."""

    def __init__(
        self, db: Database, config: UnionConfig, screening: Screening, timing: Timing
    ) -> None:
        self.db = db
        self.config = config
        self.screening = screening
        self.timing = timing
        # Run in the transaction of a tier-3 approval: (transaction, draft id, moment). The
        # publication feature queues the 定稿 and the 公众号 draft box here.
        self.after_approve: list[Callable[[aiosqlite.Connection, int, str], Awaitable[None]]] = []

    async def _not_submitter(self, tx: aiosqlite.Connection, user_id: int) -> Refused:
        """Why ``user_id`` may not send drafts: never could, or their volunteer role ended."""
        ended = await users.role_end(tx, user_id, Role.VOLUNTEER)
        if ended is None:
            return Refused(Refusal.NOT_OFFICER, user_id=user_id)
        return Refused(Refusal.ROLE_ENDED, until=self._day(ended))

    def _day(self, stamp: str) -> str:
        return last_stored_day(stamp, self.config.timezone).isoformat()

    async def _intake_draft(self, tx: aiosqlite.Connection, actor: Actor, draft_id: int) -> Draft:
        draft = await drafts.get(tx, draft_id)
        if draft is None:
            raise Refused(Refusal.NOT_FOUND)
        if draft.submitter_id != actor.user_id:
            raise Refused(Refusal.NOT_SUBMITTER)
        if draft.state is not DraftState.INTAKE:
            raise Refused(Refusal.CLOSED, state=state_name(draft.state))
        return draft

    async def _queue_stage(
        self, tx: aiosqlite.Connection, at: str, draft_id: int, version: int, state: DraftState
    ) -> None:
        if state is DraftState.EDITING:
            await self._queue(tx, at, draft_id, EditingCard(version))
        elif state.tier is not None:
            await self._queue(tx, at, draft_id, ReviewCard(version, state.tier))
        await self._plan_nudges(tx, draft_id, version, state)

    async def _plan_nudges(
        self, tx: aiosqlite.Connection, draft_id: int, version: int, state: DraftState
    ) -> None:
        """Schedule the nudges for a draft that now waits at editing or a review tier."""
        if state is not DraftState.EDITING and state.tier is None:
            return
        draft = await drafts.get(tx, draft_id)
        original = bool(draft and draft.original)
        urgent = bool(draft and draft.urgent)
        # Deadlines run from when the draft entered the stage, even when planned later (a draft
        # flagged urgent after it has waited a while is due at once).
        entered = datetime.fromisoformat(draft.updated_at) if draft else self.db.clock()
        for nudge in self.timing.nudges(draft_id, version, state.value, entered, original, urgent):
            await reminders.add(
                tx,
                Stall.KIND,
                nudge.key,
                stored_time(nudge.due),
                draft_id,
                Stall(state.value, version, nudge.number, nudge.escalate, urgent),
                # Flagging urgent and back brings the nudges of the old flavour back.
                revive_skipped=True,
            )

    async def _queue_heads_up(
        self,
        tx: aiosqlite.Connection,
        at: str,
        draft: Draft,
        state: DraftState,
        holder: bool = True,
    ) -> None:
        """Article 10: the tier that holds the draft (unless ``holder`` is off: its card goes out
        now anyway) and every tier still to come hear of it now; tiers that already approved this
        version are left alone.

        Decisions stay sequential; this only gets reviewers ready. Each target is its own
        outbox item, so a retry never tells anyone twice.
        """
        for tier in (1, 2, 3):
            if state.tier is not None and (
                tier < state.tier or (tier == state.tier and not holder)
            ):
                continue
            # The tier holding the draft already has its card: it is asked to act now.
            event = "urgent_now" if tier == state.tier else "urgent"
            targets = await standins.reviewers(tx, self.config.chats.tier(tier), tier, draft)
            for chat_id in targets:
                await self._queue(tx, at, draft.id, Notice(event=event, chat_id=chat_id, tier=tier))

    # Helpers --------------------------------------------------------------------------------

    async def _record_screening(
        self,
        tx: aiosqlite.Connection,
        at: str,
        draft_id: int,
        version: int,
        verdict: Verdict,
        text: str,
    ) -> bool:
        """Store a version's verdict and audit a warning or block; True when it blocks."""
        hits = hits_record(verdict, text)
        await lexicon.record_screening(tx, draft_id, version, "submit", verdict.verdict, hits, at)
        if verdict.verdict != "pass":
            await audit.append(
                tx,
                at,
                None,
                f"screening.{'blocked' if verdict.verdict == 'block' else 'warned'}",
                draft_id,
                version,
                {"stage": "submit", "terms": [h["term"] for h in hits]},
            )
        return verdict.verdict == "block"

    async def _permitted(
        self,
        tx: aiosqlite.Connection,
        actor: Actor,
        draft_id: int,
        rule: Callable[[Draft, frozenset[Role]], Refusal | None],
        action: str,
        version: int | None = None,
    ) -> Draft:
        """The draft, if ``rule`` lets the actor do ``action``; else an audited refusal."""
        draft = await self._get(tx, draft_id, actor)
        refusal = rule(draft, await users.roles_of(tx, actor.user_id))
        if refusal is not None:
            raise await self._refusal(
                tx, actor, draft, refusal, version or draft.version, None, {"action": action}
            )
        return draft

    async def _get(self, tx: aiosqlite.Connection, draft_id: int, actor: Actor) -> Draft:
        draft = await drafts.get(tx, draft_id)
        if draft is None:
            refused = Refused(Refusal.NOT_FOUND)
            refused.audit = (actor.user_id, draft_id, None, {"refusal": Refusal.NOT_FOUND.value})
            raise refused
        return draft

    async def _refusal(
        self,
        tx: aiosqlite.Connection,
        actor: Actor,
        draft: Draft,
        refusal: Refusal,
        version: int,
        tier: int | None,
        detail: Mapping[str, object],
    ) -> Refused:
        """A Refused to raise, carrying the audit event of the refused attempt."""
        refused = Refused(refusal, **await self._params(tx, draft, version, tier))
        refused.audit = (actor.user_id, draft.id, version, {"refusal": refusal.value, **detail})
        return refused

    async def _atomic(self, work: Work[T]) -> T:
        """``work`` as one write transaction in one trip to the database thread
        (``Database.atomically``: it may await nothing but the database); an attempt it refuses
        is audited after it is rolled back."""
        try:
            return await self.db.atomically(work)
        except Refused as exc:
            if exc.audit is not None:
                actor_id, draft_id, version, detail = exc.audit
                async with self.db.transaction() as tx:
                    await refusals.record(
                        tx, self.db.now(), actor_id, "review.refused", draft_id, version, detail
                    )
                exc.audited = True
            raise

    async def _params(
        self, tx: aiosqlite.Connection, draft: Draft, version: int, tier: int | None
    ) -> dict[str, object]:
        """Everything a refusal message may mention."""
        params: dict[str, object] = {
            "until": texts.UNSET,
            "state": state_name(draft.state),
            "version": version,
            "current": draft.version,
            "tier": tier or "",
            "tier_name": texts.TIER_NAMES.get(tier or 0, ""),
            "who": texts.NOBODY,
        }
        if draft.by_volunteer:
            ended = await users.role_end(tx, draft.submitter_id, Role.VOLUNTEER)
            if ended is not None:
                params["until"] = self._day(ended)
        if draft.editor_id is not None:
            editor = await users.get(tx, draft.editor_id)
            params["who"] = formatting.e(editor.name if editor else str(draft.editor_id))
        if tier is not None:
            decided = [d for d in await drafts.decisions(tx, draft.id, version) if d.tier == tier]
            if decided:
                people = {decided[0].reviewer_id: await users.get(tx, decided[0].reviewer_id)}
                names = formatting.Names(
                    {k: v for k, v in people.items() if v is not None}, self.config.timezone
                )
                params["who"] = render.decided_by(decided[0], names)
            elif draft.state in (DraftState.WITHDRAWN, DraftState.REJECTED):
                params["who"] = state_name(draft.state)
        return params

    async def _notify_submitter(
        self,
        tx: aiosqlite.Connection,
        at: str,
        draft: Draft,
        event: str,
        tier: int | None = None,
        who: int | None = None,
    ) -> None:
        prompt_id = None
        if event in ("rejected", "blocked_at_publish"):
            prompt_id = await cards.open_prompt(
                tx, at, "revise", draft.submitter_id, draft.origin_chat_id, draft.id, draft.version
            )
        notice = Notice(event, draft.origin_chat_id, tier=tier, who=who, prompt_id=prompt_id)
        await self._queue(tx, at, draft.id, notice)

    async def _notify_editor(
        self,
        tx: aiosqlite.Connection,
        at: str,
        draft: Draft,
        event: str,
        tier: int | None = None,
        version: int | None = None,
    ) -> None:
        """Tell the editor who laid the draft out (rejections, revisions back to them)."""
        notice = editor_notice(self.config, draft, event, tier=tier, version=version)
        if notice is not None:
            await self._queue(tx, at, draft.id, notice)

    @staticmethod
    async def _queue(tx: aiosqlite.Connection, at: str, draft_id: int, payload: Payload) -> None:
        """Queue a delivery of this draft, sent once the transaction commits."""
        await outbox.add(tx, at, payload.KIND, draft_id, payload)


def state_name(state: DraftState) -> str:
    return texts.STATE_NAMES[state]


def stage_of(state: DraftState) -> str | None:
    if state is DraftState.EDITING:
        return Stage.EDITING
    if state.tier is not None:
        return Stage.review(state.tier)
    if state is DraftState.INTAKE:
        return Stage.INTAKE
    return None


def clean_title(title: str | None, content: NewContent) -> str:
    """The given title, else the first line of the text, else the first file's name."""
    for candidate in (title, content.body, *(f.name for f in content.files)):
        if candidate and candidate.strip():
            return title_from_text(candidate, TITLE_LIMIT)
    return "（无标题）"


def editor_notice(
    config: UnionConfig,
    draft: Draft,
    event: str,
    tier: int | None = None,
    version: int | None = None,
) -> Notice | None:
    """A notice to the editor who laid ``draft`` out: in the editors' chat, where the editor
    works and is mentioned by name, else privately; None when nobody laid it out."""
    if draft.editor_id is None:
        return None
    chat = config.chats.editors if config.chats.editors is not None else draft.editor_id
    return Notice(event, chat, tier=tier, who=draft.editor_id, version=version)
