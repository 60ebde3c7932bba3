"""The drafting and review service: every action a user takes on a draft, Telegram-free.

Each action is one transaction: it checks the workflow rules, changes state with a guarded
update, appends its audit event and queues its deliveries in the outbox. Handlers render the
answer; the delivery service sends the queued messages after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import aiosqlite

from bot.members import Actor
from bot.outbox.payloads import Refresh
from bot.review import standins, workflow
from bot.review.base import TITLE_LIMIT, Pending, Refused, Stage, clean_title, stage_of, state_name
from bot.review.intake import Intake
from bot.review.payloads import (
    IntakeCard,
    Notice,
    Publish,
    PublishCard,
    ReviewCard,
    Stall,
)
from bot.review.workflow import Refusal
from bot.screening import hits_record, screened_text
from storage import audit, cards, drafts, lexicon, reminders, users
from storage.drafts import NewContent
from storage.models import (
    REVIEW_STATES,
    AuditEvent,
    Decision,
    Draft,
    DraftState,
    Role,
)

__all__ = [
    "TITLE_LIMIT",
    "Pipeline",
    "Refused",
    "Stage",
    "clean_title",
]

logger = logging.getLogger(__name__)


class Pipeline(Intake):
    """Drafts from intake through editing and three review tiers to publication."""

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
        result = Pending()
        async with self.db.reading() as conn:
            roles = await users.roles_of(conn, user_id)
            if Role.EDITOR in roles:
                result.editing.extend(
                    d
                    for d in await drafts.list_in_states(conn, [DraftState.EDITING])
                    if d.editor_id in (None, user_id) and d.submitter_id != user_id
                )
            tiers = await standins.tiers_for(conn, user_id)
            for tier in (1, 2, 3):
                if tier in tiers:
                    waiting = await drafts.list_in_states(conn, [DraftState.review(tier)])
                    mine = [d for d in waiting if user_id not in (d.submitter_id, d.editor_id)]
                    if mine:
                        result.review[tier] = mine
        return result

    async def mark_urgent(self, actor: Actor, draft_id: int, urgent: bool) -> Draft | None:
        """An admin flags (or unflags) a draft urgent; None when it already was so.

        A waiting draft's nudges are re-planned with the deadlines that now apply, its cards
        are refreshed to show the flag, and the tiers that do not hold it yet are told.
        """

        async def work(tx: aiosqlite.Connection) -> Draft | None:
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
                    tx, Stall.KIND, draft_id, at, "urgent" if urgent else "no longer urgent"
                )
                await self._plan_nudges(tx, draft_id, draft.version, draft.state)
            stage = stage_of(draft.state)
            if stage is not None:
                await self._queue(tx, at, draft_id, Refresh(stage))
            if urgent and waiting:
                await self._queue_heads_up(tx, at, draft, draft.state)
            if urgent and actor.user_id != draft.submitter_id:
                await self._notify_submitter(tx, at, draft, "urgent_set", who=actor.user_id)
            return await self._get(tx, draft_id, actor)

        return await self._atomic(work)

    # Editing --------------------------------------------------------------------------------

    async def claim(self, actor: Actor, draft_id: int, version: int) -> Draft:
        """An editor takes on the layout of a draft."""

        async def work(tx: aiosqlite.Connection) -> Draft:
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
                await self._queue(tx, at, draft_id, Refresh(Stage.EDITING))
            return await self._get(tx, draft_id, actor)

        return await self._atomic(work)

    async def layout(self, actor: Actor, draft_id: int, content: NewContent) -> Draft:
        """The claiming editor sends the laid-out version (stays in editing until sent); a
        layout sent as an album is one version holding every item."""
        content = await self._with_album(draft_id, content)
        text = screened_text(content)
        verdict = await self.screening.screen(text)

        async def work(tx: aiosqlite.Connection) -> Draft:
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
                raise Refused(Refusal.CLOSED, state=state_name(draft.state))
            await audit.append(tx, at, actor.user_id, "editing.version", draft_id, number)
            await self._record_screening(tx, at, draft_id, number, verdict, text)
            await self._queue(tx, at, draft_id, Refresh(Stage.EDITING))
            return await self._get(tx, draft_id, actor)

        return await self._atomic(work)

    async def send_to_review(self, actor: Actor, draft_id: int, version: int) -> Draft:
        """The claiming editor sends the current version to tier 1."""

        async def work(tx: aiosqlite.Connection) -> Draft:
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
                raise Refused(Refusal.CLOSED, state=state_name(draft.state))
            await audit.append(tx, at, actor.user_id, "editing.sent", draft_id, version)
            await self._queue(tx, at, draft_id, Refresh(Stage.EDITING))
            await self._queue_stage(tx, at, draft_id, version, DraftState.REVIEW_1)
            await self._notify_submitter(tx, at, draft, "sent")
            return await self._get(tx, draft_id, actor)

        return await self._atomic(work)

    # Review ---------------------------------------------------------------------------------

    async def check_review(self, actor: Actor, draft_id: int, version: int, tier: int) -> Draft:
        """Raise Refused (and audit the attempt) unless the actor may decide now."""

        async def work(tx: aiosqlite.Connection) -> Draft:
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
            refusal, _ = await standins.check_decision(tx, draft, version, tier, actor.user_id)
            if refusal is not None:
                raise await self._refusal(
                    tx, actor, draft, refusal, version, tier, {"tier": tier, "version": version}
                )
            return draft

        return await self._atomic(work)

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
        async def work(tx: aiosqlite.Connection) -> DraftState:
            draft = await self._get(tx, draft_id, actor)
            refusal, for_whom = await standins.check_decision(
                tx, draft, version, tier, actor.user_id
            )
            at = self.db.now()
            new_state = None
            if refusal is None and not approve:
                refusal = workflow.check_rejection(criteria)
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
            if for_whom is not None:
                detail["on_behalf_of"] = for_whom
            if not approve:
                detail.update(criteria=list(criteria), reason=reason)
            action = "review.approved" if approve else "review.rejected"
            await audit.append(tx, at, actor.user_id, action, draft_id, version, detail)
            await self._queue(tx, at, draft_id, Refresh(Stage.review(tier)))
            if not approve:
                await self._notify_submitter(tx, at, draft, "rejected", tier=tier)
                await self._notify_editor(tx, at, draft, "editor_rejected", tier=tier)
            elif new_state.tier is not None:
                await self._queue_stage(tx, at, draft_id, version, new_state)
                await self._notify_submitter(tx, at, draft, "progress", tier=tier)
            else:
                await self._notify_submitter(tx, at, draft, "approved")
                for hook in self.after_approve:
                    await hook(tx, draft_id, at)
                await self._queue(
                    tx,
                    at,
                    draft_id,
                    Publish(version) if self.config.auto_publish else PublishCard(version),
                )
            return new_state

        return await self._atomic(work)

    async def resend_card(
        self, actor: Actor, draft_id: int, version: int, tier: int, chat_id: int
    ) -> Draft:
        """The live review card again, to ``chat_id`` (a reviewer who lost theirs, via /pending)."""
        draft = await self.check_review(actor, draft_id, version, tier)
        async with self.db.transaction() as tx:
            await self._queue(tx, self.db.now(), draft_id, ReviewCard(version, tier, chat_id))
        return draft

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

    async def on_card(
        self, chat_id: int, message_id: int, draft_id: int, version: int | None, stage: str
    ) -> bool | None:
        """Whether this message is the card the bot sent for ``draft_id`` at ``stage`` (and of
        ``version``, when given); None when no card is recorded at this message."""
        async with self.db.reading() as conn:
            card = await cards.card_at(conn, chat_id, message_id)
        if card is None:
            return None
        return (
            card.draft_id == draft_id
            and card.stage == stage
            and (version is None or card.version == version)
        )

    async def card_at(self, chat_id: int, message_id: int) -> tuple[str, int] | None:
        """(stage, draft) of the card that is this message."""
        async with self.db.reading() as conn:
            card = await cards.card_at(conn, chat_id, message_id)
        return (card.stage, card.draft_id) if card else None

    # Revision, withdrawal, publishing ------------------------------------------------------

    async def may_revise(self, actor: Actor, draft_id: int) -> Draft:
        """The draft, if ``actor`` may send it a new version now; else an audited refusal."""

        async def work(tx: aiosqlite.Connection) -> Draft:
            return await self._revisable(tx, actor, draft_id)

        return await self._atomic(work)

    async def _revisable(self, tx: aiosqlite.Connection, actor: Actor, draft_id: int) -> Draft:
        return await self._permitted(
            tx,
            actor,
            draft_id,
            lambda d, roles: workflow.check_revise(d, actor.user_id, roles),
            "revise",
        )

    async def revise(
        self,
        actor: Actor,
        draft_id: int,
        content: NewContent,
        chat_id: int | None = None,
        reply_to: int | None = None,
    ) -> Draft:
        """A new version of a rejected or blocked draft.

        After a rejection it starts again at tier 1; after a block it resumes where it was
        headed (a draft blocked at intake gets its intake card in ``chat_id``, in reply to
        ``reply_to``). A version that fails screening leaves the draft blocked.
        """
        text = screened_text(content)
        verdict = await self.screening.screen(text)

        async def work(tx: aiosqlite.Connection) -> Draft:
            draft = await self._revisable(tx, actor, draft_id)
            at = self.db.now()
            editing = self.config.editing and self.config.chats.editors is not None
            target = workflow.state_after_revision(draft, editing)
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
                raise Refused(Refusal.NOT_REJECTED, state=state_name(draft.state))
            await audit.append(tx, at, actor.user_id, "draft.revised", draft_id, number)
            await self._record_screening(tx, at, draft_id, number, verdict, text)
            if target is DraftState.EDITING and draft.state is DraftState.REJECTED and not blocked:
                # Back to layout: a new card (with the content and what changed) to the editors,
                # the old ones closed, and the editor who laid it out told.
                await self._queue_stage(tx, at, draft_id, number, target)
                await self._queue(tx, at, draft_id, Refresh(Stage.EDITING))
                await self._notify_editor(tx, at, draft, "editor_revised", version=number)
            elif target is DraftState.EDITING:
                # The editors' card is still there: it shows the new version and its buttons.
                await self._queue(tx, at, draft_id, Refresh(Stage.EDITING))
                await self._plan_nudges(tx, draft_id, number, target)
            elif target is DraftState.INTAKE and not blocked:
                card = IntakeCard(draft.origin_chat_id if chat_id is None else chat_id, reply_to)
                await self._queue(tx, at, draft_id, card)
            elif not blocked:
                await self._queue_stage(tx, at, draft_id, number, target)
            return await self._get(tx, draft_id, actor)

        return await self._atomic(work)

    async def withdraw(self, actor: Actor, draft_id: int) -> Draft:
        """Withdraw a draft before it is approved."""

        async def work(tx: aiosqlite.Connection) -> Draft:
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
                raise Refused(Refusal.CLOSED, state=state_name(draft.state))
            await audit.append(tx, at, actor.user_id, "draft.withdrawn", draft_id, draft.version)
            stage = stage_of(draft.state)
            if stage is not None:
                await self._queue(tx, at, draft_id, Refresh(stage))
            if actor.user_id != draft.submitter_id:
                await self._notify_submitter(tx, at, draft, "withdrawn", who=actor.user_id)
            return await self._get(tx, draft_id, actor)

        return await self._atomic(work)

    async def request_publish(self, actor: Actor, draft_id: int, version: int) -> None:
        """发布 pressed (manual publishing): queue the publication of an approved version."""

        async def work(tx: aiosqlite.Connection) -> None:
            await self._permitted(
                tx,
                actor,
                draft_id,
                lambda d, roles: workflow.check_publish(d, version, roles),
                "publish",
                version,
            )
            await self._queue(tx, self.db.now(), draft_id, Publish(version, by=actor.user_id))

        await self._atomic(work)

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
        text = screened_text(NewContent(body=found.body, note=found.note, files=found.files))
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
                await self._queue(
                    tx,
                    at,
                    draft_id,
                    Notice(event="admins_blocked", chat_id=self.config.chats.admins),
                )
        return False
