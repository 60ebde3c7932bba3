"""The drafting and review service: every action a user takes on a draft, Telegram-free.

Each action is one transaction: it checks the workflow rules, changes state with a guarded
update, appends its audit event and queues its deliveries in the outbox. Handlers render the
answer; the delivery service sends the queued messages after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

import aiosqlite

from bot import render, texts, workflow
from bot.config import UnionConfig
from bot.documents import title_from_text
from bot.reminders import Timing
from bot.screening import Screening, hits_record, screened_text
from bot.workflow import Refusal
from filters import Verdict
from storage import Database, audit, cards, drafts, lexicon, meta, outbox, reminders, users
from storage.db import last_stored_day, stored_day_end, stored_time
from storage.drafts import NewContent
from storage.models import (
    CATEGORIES,
    REVIEW_STATES,
    SUBMITTER_ROLES,
    AuditEvent,
    Decision,
    Draft,
    DraftState,
    Prompt,
    Role,
    User,
)

__all__ = [
    "TITLE_LIMIT",
    "Actor",
    "Pipeline",
    "Refused",
    "Stage",
]

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, as Telegram tells it."""

    user_id: int
    name: str
    username: str | None = None


@dataclass(frozen=True, slots=True)
class Pending:
    """What waits for one member: drafts per stage."""

    editing: list[Draft] = field(default_factory=list)
    review: dict[int, list[Draft]] = field(default_factory=dict)


class Pipeline:
    """Drafts from intake through editing and three review tiers to publication."""

    def __init__(self, db: Database, config: UnionConfig, screening: Screening) -> None:
        self.db = db
        self.config = config
        self.screening = screening
        self.timing = Timing(config.reminders, config.timezone)
        self._seen: dict[int, tuple[str, str | None]] = {}

    # People ---------------------------------------------------------------------------------

    async def seed_members(self) -> bool:
        """Put the config's members into an empty database; False when already seeded."""
        async with self.db.transaction() as tx:
            if await meta.get(tx, "seeded_at") is not None:
                return False
            at = self.db.now()
            for member in self.config.members:
                await users.upsert(
                    tx, member.user_id, member.name, member.username, at, member.team
                )
                lasting = [r for r in member.roles if r is not Role.VOLUNTEER]
                await users.grant(tx, member.user_id, lasting, None, at)
                if member.volunteer_until is not None:
                    ends = stored_day_end(member.volunteer_until, self.config.timezone)
                    await users.grant(tx, member.user_id, [Role.VOLUNTEER], None, at, ends)
                await audit.append(
                    tx,
                    at,
                    None,
                    "role.seeded",
                    detail={"user_id": member.user_id, "roles": [r.value for r in member.roles]},
                )
            await meta.put(tx, "seeded_at", at)
        logger.info("seeded %d members from the config", len(self.config.members))
        return True

    async def see(self, actor: Actor) -> None:
        """Remember how a user is called; written only when it changed."""
        known = (actor.name, actor.username)
        if self._seen.get(actor.user_id) == known:
            return
        async with self.db.transaction() as tx:
            existing = await users.get(tx, actor.user_id)
            # A config-given name is what the union calls the member; keep it.
            name = (
                existing.name
                if existing and await users.roles_of(tx, actor.user_id)
                else actor.name
            )
            await users.upsert(tx, actor.user_id, name, actor.username, self.db.now())
        self._seen[actor.user_id] = known

    async def roles(self, user_id: int) -> frozenset[Role]:
        """The roles ``user_id`` holds now."""
        async with self.db.reading() as conn:
            return await users.roles_of(conn, user_id)

    async def volunteer_ended(self, user_id: int) -> str | None:
        """The last day of ``user_id``'s volunteer role if it has ended, else None."""
        async with self.db.reading() as conn:
            ends = await users.role_end(conn, user_id, Role.VOLUNTEER)
        # Stored moments compare as text; a role ending later is still held.
        return self._day(ends) if ends is not None and ends <= self.db.now() else None

    async def users_by_id(self, ids: Iterable[int | None]) -> dict[int, User]:
        """Users by id, for rendering names."""
        async with self.db.reading() as conn:
            return await users.get_many(conn, ids)

    async def holders(self, role: Role) -> list[User]:
        """Everyone with ``role``."""
        async with self.db.reading() as conn:
            return await users.holders(conn, role)

    # Reading drafts -------------------------------------------------------------------------

    async def draft(self, draft_id: int) -> Draft:
        """The draft, or Refused(NOT_FOUND)."""
        async with self.db.reading() as conn:
            found = await drafts.get(conn, draft_id)
        if found is None:
            raise Refused(Refusal.NOT_FOUND)
        return found

    async def view(self, draft_id: int) -> tuple[Draft, list[Decision]]:
        """A draft with the decisions on its current version."""
        async with self.db.reading() as conn:
            found = await drafts.get(conn, draft_id)
            if found is None:
                raise Refused(Refusal.NOT_FOUND)
            return found, await drafts.decisions(conn, draft_id, found.version)

    async def history(self, draft_id: int) -> tuple[Draft, list[AuditEvent]]:
        """A draft with its whole audit trail."""
        async with self.db.reading() as conn:
            found = await drafts.get(conn, draft_id)
            if found is None:
                raise Refused(Refusal.NOT_FOUND)
            return found, await audit.for_draft(conn, draft_id)

    async def mine(self, user_id: int, limit: int = 15) -> list[Draft]:
        """A member's latest drafts."""
        async with self.db.reading() as conn:
            return await drafts.list_by_submitter(conn, user_id, limit)

    async def pending_for(self, user_id: int) -> Pending:
        """Drafts waiting for the member's roles, excluding their own."""
        roles = await self.roles(user_id)
        result = Pending()
        async with self.db.reading() as conn:
            if Role.EDITOR in roles:
                result.editing.extend(
                    d
                    for d in await drafts.list_in_states(conn, [DraftState.EDITING])
                    if d.editor_id in (None, user_id) and d.submitter_id != user_id
                )
            for tier in (1, 2, 3):
                if Role.for_tier(tier) in roles:
                    waiting = await drafts.list_in_states(conn, [DraftState.review(tier)])
                    mine = [d for d in waiting if user_id not in (d.submitter_id, d.editor_id)]
                    if mine:
                        result.review[tier] = mine
        return result

    # Intake ---------------------------------------------------------------------------------

    async def submit(
        self, actor: Actor, origin_chat_id: int, content: NewContent, title: str | None
    ) -> tuple[Draft, bool]:
        """Start a draft from a message; returns it and whether it is new (not a re-delivery).

        The draft is screened first; a blocked one waits in ``blocked`` for a clean version.
        """
        text = screened_text(content)
        verdict = await self.screening.screen(text)
        async with self._tx() as tx:
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
            created = await drafts.get(tx, draft_id)
        assert created is not None
        return created, True

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
            raise Refused(Refusal.CLOSED, state=_state_name(draft.state))
        return draft

    async def choose(self, actor: Actor, draft_id: int, action: str) -> Draft:
        """Apply an intake button: c<n> category, a<s|c|r> attribution, o<1|0> original,
        u<1|0> urgent."""
        async with self._tx() as tx:
            draft = await self._intake_draft(tx, actor, draft_id)
            at = self.db.now()
            change: dict[str, object] = {}
            if action[0] == "u":
                urgent = action[1] == "1"
                if await drafts.set_urgent(tx, draft_id, urgent):
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
            elif action[0] == "o":
                change["original"] = action[1] == "1"
            await drafts.update_intake(tx, draft_id, at, **change)  # type: ignore[arg-type]
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

    async def set_intake_detail(self, actor: Actor, draft_id: int, kind: str, text: str) -> Draft:
        """Set the title, the college (院级承办) or the source (转载) from a reply."""
        async with self._tx() as tx:
            draft = await self._intake_draft(tx, actor, draft_id)
            at = self.db.now()
            value = " ".join(text.split())
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
                    tx, draft_id, at, attribution="repost", source=value[:300]
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
            updated = await drafts.get(tx, draft_id)
        assert updated is not None
        return updated

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
        async with self._tx() as tx:
            draft = await self._intake_draft(tx, actor, draft_id)
            if not SUBMITTER_ROLES & await users.roles_of(tx, actor.user_id):
                # A volunteer whose role ended while the card was open; cancelling still works.
                refused = await self._not_submitter(tx, actor.user_id)
                refused.audit = (actor.user_id, draft_id, draft.version, {"action": "confirm"})
                raise refused
            gaps = self.missing(draft)
            if gaps:
                return gaps
            at = self.db.now()
            target = workflow.state_after_intake(self.config.editing)
            await drafts.transition(tx, draft_id, DraftState.INTAKE, draft.version, target, at)
            await audit.append(tx, at, actor.user_id, "draft.submitted", draft_id, draft.version)
            await self._queue_stage(tx, at, draft_id, draft.version, target)
            if draft.urgent:
                await self._queue_heads_up(tx, at, draft, target)
            updated = await drafts.get(tx, draft_id)
        assert updated is not None
        return updated

    async def cancel(self, actor: Actor, draft_id: int) -> Draft:
        """Drop a draft that was never confirmed."""
        async with self._tx() as tx:
            draft = await self._intake_draft(tx, actor, draft_id)
            at = self.db.now()
            await drafts.transition(
                tx, draft_id, DraftState.INTAKE, draft.version, DraftState.WITHDRAWN, at
            )
            await audit.append(tx, at, actor.user_id, "draft.cancelled", draft_id, draft.version)
            updated = await drafts.get(tx, draft_id)
        assert updated is not None
        return updated

    async def _queue_stage(
        self, tx: aiosqlite.Connection, at: str, draft_id: int, version: int, state: DraftState
    ) -> None:
        if state is DraftState.EDITING:
            await outbox.add(tx, at, "editing_card", draft_id, {"version": version})
        elif state.tier is not None:
            await outbox.add(
                tx, at, "review_card", draft_id, {"version": version, "tier": state.tier}
            )
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
                "stall",
                nudge.key,
                stored_time(nudge.due),
                draft_id,
                {
                    "state": state.value,
                    "version": version,
                    "number": nudge.number,
                    "escalate": nudge.escalate,
                    "urgent": urgent,
                },
                # Flagging urgent and back brings the nudges of the old flavour back.
                revive_skipped=True,
            )

    async def _queue_heads_up(
        self, tx: aiosqlite.Connection, at: str, draft: Draft, state: DraftState
    ) -> None:
        """Article 10: every tier that does not hold the draft yet hears of it now.

        Decisions stay sequential; this only gets reviewers ready. Each target is its own
        outbox item, so a retry never tells anyone twice.
        """
        for tier in (1, 2, 3):
            if tier == state.tier:
                continue
            targets = await users.chat_or_holders(
                tx,
                self.config.chats.tier(tier),
                Role.for_tier(tier),
                (draft.submitter_id, draft.editor_id),
            )
            for chat_id in targets:
                await outbox.add(
                    tx,
                    at,
                    "notify",
                    draft.id,
                    {"event": "urgent", "chat_id": chat_id, "tier": tier},
                )

    async def mark_urgent(self, actor: Actor, draft_id: int, urgent: bool) -> Draft | None:
        """An admin flags (or unflags) a draft urgent; None when it already was so.

        A waiting draft's nudges are re-planned with the deadlines that now apply, its cards
        are refreshed to show the flag, and the tiers that do not hold it yet are told.
        """
        async with self._tx() as tx:
            draft = await self._permitted(
                tx,
                actor,
                draft_id,
                lambda d, roles: workflow.check_urgent(d, roles),
                "urgent",
            )
            if not await drafts.set_urgent(tx, draft_id, urgent):
                return None
            at = self.db.now()
            await audit.append(
                tx, at, actor.user_id, "draft.urgent", draft_id, draft.version, {"urgent": urgent}
            )
            waiting = draft.state is DraftState.EDITING or draft.state in REVIEW_STATES
            if waiting:
                await reminders.skip_for_draft(
                    tx, "stall", draft_id, at, "urgent" if urgent else "no longer urgent"
                )
                await self._plan_nudges(tx, draft_id, draft.version, draft.state)
            stage = _stage_of(draft.state)
            if stage is not None:
                await outbox.add(tx, at, "refresh", draft_id, {"stage": stage})
            if urgent and waiting:
                await self._queue_heads_up(tx, at, draft, draft.state)
            if urgent and actor.user_id != draft.submitter_id:
                await self._notify_submitter(tx, at, draft, "urgent_set", who=actor.user_id)
            return await self._get(tx, draft_id, actor)

    # Editing --------------------------------------------------------------------------------

    async def claim(self, actor: Actor, draft_id: int, version: int) -> Draft:
        """An editor takes on the layout of a draft."""
        async with self._tx() as tx:
            draft = await self._permitted(
                tx,
                actor,
                draft_id,
                lambda d, roles: workflow.check_claim(d, version, actor.user_id, roles),
                "claim",
                version,
            )
            at = self.db.now()
            if draft.editor_id is None:
                await drafts.set_editor(tx, draft_id, version, actor.user_id, at)
                await audit.append(tx, at, actor.user_id, "editing.claimed", draft_id, version)
                await outbox.add(tx, at, "refresh", draft_id, {"stage": Stage.EDITING})
            return await self._get(tx, draft_id, actor)

    async def layout(self, actor: Actor, draft_id: int, content: NewContent) -> Draft:
        """The claiming editor sends the laid-out version (stays in editing until sent)."""
        text = screened_text(content)
        verdict = await self.screening.screen(text)
        async with self._tx() as tx:
            draft = await self._get(tx, draft_id, actor)
            refusal = workflow.check_send_to_review(draft, draft.version, actor.user_id)
            if refusal is not None:
                raise await self._refusal(
                    tx, actor, draft, refusal, draft.version, None, {"action": "layout"}
                )
            at = self.db.now()
            blocked = verdict.verdict == "block"
            number = await drafts.add_version(
                tx,
                draft_id,
                [DraftState.EDITING],
                draft.version,
                DraftState.BLOCKED if blocked else DraftState.EDITING,
                actor.user_id,
                content,
                at,
                resume_state=DraftState.EDITING if blocked else None,
            )
            if number is None:
                raise Refused(Refusal.CLOSED, state=_state_name(draft.state))
            await audit.append(tx, at, actor.user_id, "editing.version", draft_id, number)
            await self._record_screening(tx, at, draft_id, number, verdict, text)
            await outbox.add(tx, at, "refresh", draft_id, {"stage": Stage.EDITING})
            return await self._get(tx, draft_id, actor)

    async def send_to_review(self, actor: Actor, draft_id: int, version: int) -> Draft:
        """The claiming editor sends the current version to tier 1."""
        async with self._tx() as tx:
            draft = await self._get(tx, draft_id, actor)
            refusal = workflow.check_send_to_review(draft, version, actor.user_id)
            if refusal is not None:
                raise await self._refusal(
                    tx, actor, draft, refusal, version, None, {"action": "send"}
                )
            at = self.db.now()
            if not await drafts.transition(
                tx, draft_id, DraftState.EDITING, version, DraftState.REVIEW_1, at
            ):
                raise Refused(Refusal.CLOSED, state=_state_name(draft.state))
            await audit.append(tx, at, actor.user_id, "editing.sent", draft_id, version)
            await outbox.add(tx, at, "refresh", draft_id, {"stage": Stage.EDITING})
            await self._queue_stage(tx, at, draft_id, version, DraftState.REVIEW_1)
            await self._notify_submitter(tx, at, draft, "sent")
            return await self._get(tx, draft_id, actor)

    # Review ---------------------------------------------------------------------------------

    async def check_review(self, actor: Actor, draft_id: int, version: int, tier: int) -> Draft:
        """Raise Refused (and audit the attempt) unless the actor may decide now."""
        async with self._tx() as tx:
            draft = await drafts.get(tx, draft_id)
            if draft is None:
                refused = Refused(Refusal.NOT_FOUND)
                refused.audit = (
                    actor.user_id,
                    draft_id,
                    version,
                    {"refusal": Refusal.NOT_FOUND.value, "tier": tier},
                )
                raise refused
            roles = await users.roles_of(tx, actor.user_id)
            decided = await drafts.decisions(tx, draft_id, version)
            refusal = workflow.check_decision(draft, version, tier, actor.user_id, roles, decided)
            if refusal is not None:
                raise await self._refusal(
                    tx, actor, draft, refusal, version, tier, {"tier": tier, "version": version}
                )
            return draft

    async def approve(self, actor: Actor, draft_id: int, version: int, tier: int) -> DraftState:
        """Tier ``tier`` approves ``version``; returns the draft's new state."""
        return await self._decide(actor, draft_id, version, tier, True, (), "")

    async def reject(
        self,
        actor: Actor,
        draft_id: int,
        version: int,
        tier: int,
        criteria: Iterable[str],
        reason: str,
    ) -> DraftState:
        """Tier ``tier`` rejects ``version`` with the failed criteria and a reason."""
        return await self._decide(actor, draft_id, version, tier, False, tuple(criteria), reason)

    async def _decide(
        self,
        actor: Actor,
        draft_id: int,
        version: int,
        tier: int,
        approve: bool,
        criteria: tuple[str, ...],
        reason: str,
    ) -> DraftState:
        async with self._tx() as tx:
            draft = await self._get(tx, draft_id, actor)
            roles = await users.roles_of(tx, actor.user_id)
            decided = await drafts.decisions(tx, draft_id, version)
            refusal = workflow.check_decision(draft, version, tier, actor.user_id, roles, decided)
            at = self.db.now()
            new_state = None
            if refusal is None:
                new_state = await drafts.record_decision(
                    tx, draft_id, version, tier, actor.user_id, approve, at, criteria, reason
                )
                if new_state is None:
                    refusal = Refusal.ALREADY_DECIDED
            if refusal is not None or new_state is None:
                reason_code = refusal or Refusal.ALREADY_DECIDED
                raise await self._refusal(
                    tx, actor, draft, reason_code, version, tier, {"tier": tier, "version": version}
                )
            detail: dict[str, object] = {"tier": tier}
            if not approve:
                detail.update(criteria=list(criteria), reason=reason)
            action = "review.approved" if approve else "review.rejected"
            await audit.append(tx, at, actor.user_id, action, draft_id, version, detail)
            await outbox.add(tx, at, "refresh", draft_id, {"stage": Stage.review(tier)})
            if not approve:
                await self._notify_submitter(tx, at, draft, "rejected", tier=tier)
            elif new_state.tier is not None:
                await self._queue_stage(tx, at, draft_id, version, new_state)
                await self._notify_submitter(tx, at, draft, "progress", tier=tier)
            else:
                await self._notify_submitter(tx, at, draft, "approved")
                kind = "publish" if self.config.auto_publish else "publish_card"
                await outbox.add(tx, at, kind, draft_id, {"version": version})
            return new_state

    async def open_rejection(
        self, actor: Actor, draft_id: int, version: int, tier: int, chat_id: int
    ) -> int:
        """Start a rejection: a prompt for criteria and reason; returns the prompt's id."""
        await self.check_review(actor, draft_id, version, tier)
        async with self.db.transaction() as tx:
            return await cards.open_prompt(
                tx,
                self.db.now(),
                "reject",
                actor.user_id,
                chat_id,
                draft_id,
                version,
                tier,
                {"criteria": []},
            )

    async def prompt(self, prompt_id: int) -> Prompt | None:
        """A prompt by id."""
        async with self.db.reading() as conn:
            return await cards.prompt(conn, prompt_id)

    async def prompt_at(self, chat_id: int, message_id: int) -> Prompt | None:
        """The open prompt that is this message."""
        async with self.db.reading() as conn:
            return await cards.prompt_at(conn, chat_id, message_id)

    async def open_prompt(
        self,
        kind: str,
        actor: Actor,
        chat_id: int,
        draft_id: int | None,
        data: Mapping[str, object] | None = None,
    ) -> int:
        """Open a prompt whose message is about to be sent."""
        async with self.db.transaction() as tx:
            return await cards.open_prompt(
                tx, self.db.now(), kind, actor.user_id, chat_id, draft_id, data=data
            )

    async def attach_prompt(self, prompt_id: int, message_id: int) -> None:
        """Link a prompt to the message that asks it."""
        async with self.db.transaction() as tx:
            await cards.set_prompt_message(tx, prompt_id, message_id)

    async def update_prompt(self, prompt_id: int, data: Mapping[str, object]) -> None:
        """Change a prompt's collected data (e.g. the ticked criteria)."""
        async with self.db.transaction() as tx:
            await cards.update_prompt_data(tx, prompt_id, data)

    async def close_prompt(self, prompt_id: int) -> bool:
        """Close a prompt; False when it was already closed."""
        async with self.db.transaction() as tx:
            return await cards.close_prompt(tx, prompt_id, self.db.now())

    async def record_card(
        self,
        draft_id: int,
        version: int,
        stage: str,
        chat_id: int,
        message_id: int,
        rendered: str,
    ) -> None:
        """Remember a card sent directly by a handler (e.g. the intake card)."""
        async with self.db.transaction() as tx:
            await cards.add_card(
                tx, draft_id, version, stage, chat_id, message_id, self.db.now(), rendered
            )

    async def card_at(self, chat_id: int, message_id: int) -> tuple[str, int] | None:
        """(stage, draft) of the card that is this message."""
        async with self.db.reading() as conn:
            card = await cards.card_at(conn, chat_id, message_id)
        return (card.stage, card.draft_id) if card else None

    # Revision, withdrawal, publishing ------------------------------------------------------

    async def may_revise(self, actor: Actor, draft_id: int) -> Draft:
        """The draft, if ``actor`` may send it a new version now; else an audited refusal."""
        async with self._tx() as tx:
            return await self._revisable(tx, actor, draft_id)

    async def _revisable(self, tx: aiosqlite.Connection, actor: Actor, draft_id: int) -> Draft:
        return await self._permitted(
            tx,
            actor,
            draft_id,
            lambda d, roles: workflow.check_revise(d, actor.user_id, roles),
            "revise",
        )

    async def revise(self, actor: Actor, draft_id: int, content: NewContent) -> Draft:
        """A new version of a rejected or blocked draft.

        After a rejection it starts again at tier 1; after a block it resumes where it was
        headed. A version that fails screening leaves the draft blocked.
        """
        text = screened_text(content)
        verdict = await self.screening.screen(text)
        async with self._tx() as tx:
            draft = await self._revisable(tx, actor, draft_id)
            at = self.db.now()
            target = workflow.state_after_revision(draft)
            blocked = verdict.verdict == "block"
            number = await drafts.add_version(
                tx,
                draft_id,
                [DraftState.REJECTED, DraftState.BLOCKED],
                draft.version,
                DraftState.BLOCKED if blocked else target,
                actor.user_id,
                content,
                at,
                resume_state=target if blocked else None,
            )
            if number is None:
                raise Refused(Refusal.NOT_REJECTED, state=_state_name(draft.state))
            await audit.append(tx, at, actor.user_id, "draft.revised", draft_id, number)
            await self._record_screening(tx, at, draft_id, number, verdict, text)
            if target is DraftState.EDITING:
                # The editors' card is still there: it shows the new version and its buttons.
                await outbox.add(tx, at, "refresh", draft_id, {"stage": Stage.EDITING})
                await self._plan_nudges(tx, draft_id, number, target)
            elif not blocked:
                await self._queue_stage(tx, at, draft_id, number, target)
            return await self._get(tx, draft_id, actor)

    async def withdraw(self, actor: Actor, draft_id: int) -> Draft:
        """Withdraw a draft before it is approved."""
        async with self._tx() as tx:
            draft = await self._permitted(
                tx,
                actor,
                draft_id,
                lambda d, roles: workflow.check_withdraw(d, actor.user_id, roles),
                "withdraw",
            )
            at = self.db.now()
            if not await drafts.transition(
                tx, draft_id, workflow.WITHDRAWABLE, draft.version, DraftState.WITHDRAWN, at
            ):
                raise Refused(Refusal.CLOSED, state=_state_name(draft.state))
            await audit.append(tx, at, actor.user_id, "draft.withdrawn", draft_id, draft.version)
            stage = _stage_of(draft.state)
            if stage is not None:
                await outbox.add(tx, at, "refresh", draft_id, {"stage": stage})
            if actor.user_id != draft.submitter_id:
                await self._notify_submitter(tx, at, draft, "withdrawn", who=actor.user_id)
            return await self._get(tx, draft_id, actor)

    async def request_publish(self, actor: Actor, draft_id: int, version: int) -> None:
        """发布 pressed (manual publishing): queue the publication of an approved version."""
        async with self._tx() as tx:
            await self._permitted(
                tx,
                actor,
                draft_id,
                lambda d, roles: workflow.check_publish(d, version, roles),
                "publish",
                version,
            )
            await outbox.add(
                tx, self.db.now(), "publish", draft_id, {"version": version, "by": actor.user_id}
            )

    async def screening_of(
        self, draft_id: int, version: int, stage: str = "submit"
    ) -> lexicon.Screening | None:
        """The verdict a version got at a stage."""
        async with self.db.reading() as conn:
            return await lexicon.screening(conn, draft_id, version, stage)

    async def screen_before_publish(self, draft_id: int, version: int) -> bool:
        """Screen an approved version again with today's lexicon; False when it is now blocked.

        A block stops the publication: the draft waits for a new version, which is reviewed
        from tier 1 again, and the submitter and the admins are told.
        """
        async with self.db.reading() as conn:
            found = await drafts.get_version(conn, draft_id, version)
        if found is None:
            return False
        text = screened_text(
            NewContent(body=found.body, note=found.note, file_name=found.file_name)
        )
        verdict = await self.screening.screen(text)
        async with self.db.transaction() as tx:
            at = self.db.now()
            hits = hits_record(verdict, text)
            await lexicon.record_screening(
                tx, draft_id, version, "publish", verdict.verdict, hits, at
            )
            if verdict.verdict != "block":
                return True
            draft = await drafts.get(tx, draft_id)
            if draft is None or not await drafts.block(
                tx, draft_id, DraftState.APPROVED, version, DraftState.REVIEW_1, at
            ):
                return False
            await audit.append(
                tx,
                at,
                None,
                "screening.blocked",
                draft_id,
                version,
                {"stage": "publish", "terms": [h["term"] for h in hits]},
            )
            await self._notify_submitter(tx, at, draft, "blocked_at_publish")
            if self.config.chats.admins is not None:
                await outbox.add(
                    tx,
                    at,
                    "notify",
                    draft_id,
                    {"event": "admins_blocked", "chat_id": self.config.chats.admins},
                )
        return False

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

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction whose refused attempts are audited after it is rolled back."""
        try:
            async with self.db.transaction() as tx:
                yield tx
        except Refused as exc:
            if exc.audit is not None:
                actor_id, draft_id, version, detail = exc.audit
                async with self.db.transaction() as tx:
                    await audit.append(
                        tx, self.db.now(), actor_id, "review.refused", draft_id, version, detail
                    )
            raise

    async def record_forged(self, actor: Actor, data: str) -> None:
        """Audit a tap whose callback data the bot never sent (or no longer knows)."""
        async with self.db.transaction() as tx:
            await audit.append(
                tx, self.db.now(), actor.user_id, "callback.forged", detail={"data": data[:80]}
            )

    async def _params(
        self, tx: aiosqlite.Connection, draft: Draft, version: int, tier: int | None
    ) -> dict[str, object]:
        """Everything a refusal message may mention."""
        params: dict[str, object] = {
            "until": texts.UNSET,
            "state": _state_name(draft.state),
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
            params["who"] = render.e(editor.name if editor else str(draft.editor_id))
        if tier is not None:
            decided = [d for d in await drafts.decisions(tx, draft.id, version) if d.tier == tier]
            if decided:
                people = {decided[0].reviewer_id: await users.get(tx, decided[0].reviewer_id)}
                names = render.Names(
                    {k: v for k, v in people.items() if v is not None}, self.config.timezone
                )
                params["who"] = render.decided_by(decided[0], names)
            elif draft.state in (DraftState.WITHDRAWN, DraftState.REJECTED):
                params["who"] = _state_name(draft.state)
        return params

    async def _notify_submitter(
        self, tx: aiosqlite.Connection, at: str, draft: Draft, event: str, **params: object
    ) -> None:
        payload: dict[str, object] = {"event": event, "chat_id": draft.origin_chat_id, **params}
        if event in ("rejected", "blocked_at_publish"):
            payload["prompt_id"] = await cards.open_prompt(
                tx, at, "revise", draft.submitter_id, draft.origin_chat_id, draft.id, draft.version
            )
        await outbox.add(tx, at, "notify", draft.id, payload)


def _state_name(state: DraftState) -> str:
    return texts.STATE_NAMES[state]


def _stage_of(state: DraftState) -> str | None:
    if state is DraftState.EDITING:
        return Stage.EDITING
    if state.tier is not None:
        return Stage.review(state.tier)
    if state is DraftState.INTAKE:
        return Stage.INTAKE
    return None


def clean_title(title: str | None, content: NewContent) -> str:
    """The given title, else the first line of the text, else the file name."""
    for candidate in (title, content.body, content.file_name):
        if candidate and candidate.strip():
            return title_from_text(candidate, TITLE_LIMIT)
    return "（无标题）"
