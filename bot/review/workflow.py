"""The review state machine's rules: who may do what to a draft, and what comes next.

Pure functions over storage records; no Telegram, no I/O. The storage layer enforces the
same ordering with guarded updates, so these rules decide the answer a user sees and the
database decides the race.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from storage.models import (
    REVIEW_STATES,
    SUBMITTER_ROLES,
    Decision,
    Draft,
    DraftState,
    Refusal,
    Role,
)

__all__ = [
    "CLOSED_STATES",
    "Refusal",
    "StandIn",
    "check_claim",
    "check_decision",
    "check_publish",
    "check_rejection",
    "check_revise",
    "check_send_to_review",
    "check_urgent",
    "check_withdraw",
    "on_behalf_of",
    "private_reviewers",
    "state_after_intake",
    "state_after_revision",
]

CLOSED_STATES = frozenset(
    {DraftState.PUBLISHING, DraftState.PUBLISHED, DraftState.WITHDRAWN, DraftState.BLOCKED}
)
WITHDRAWABLE = frozenset(
    {
        DraftState.INTAKE,
        DraftState.EDITING,
        *REVIEW_STATES,
        DraftState.REJECTED,
        DraftState.BLOCKED,
    }
)


def state_after_intake(editing: bool) -> DraftState:
    """Where a confirmed draft goes: to the editors, or straight to tier 1."""
    return DraftState.EDITING if editing else DraftState.REVIEW_1


@dataclass(frozen=True, slots=True)
class StandIn:
    """The actor stands in now for ``reviewer_id``, who holds ``roles``."""

    reviewer_id: int
    roles: frozenset[Role]


def on_behalf_of(
    draft: Draft,
    tier: int,
    roles: Collection[Role],
    stand_ins: Collection[StandIn],
) -> int | None:
    """For whom the actor would decide ``tier``: None in their own right (or not at all).

    A stand-in decides for an away holder of the tier's role; never for a holder who submitted
    or laid out this draft, since that holder could not decide it either.
    """
    role = Role.for_tier(tier)
    if role in roles:
        return None
    eligible = sorted(
        s.reviewer_id
        for s in stand_ins
        if role in s.roles and s.reviewer_id not in (draft.submitter_id, draft.editor_id)
    )
    return eligible[0] if eligible else None


def check_decision(
    draft: Draft,
    version: int,
    tier: int,
    actor_id: int,
    roles: Collection[Role],
    stand_ins: Collection[StandIn] = (),
    decided: Iterable[Decision] = (),
) -> Refusal | None:
    """May ``actor_id`` decide ``tier`` on ``version`` of ``draft`` now?

    Allowed to a holder of the tier's role, or to an active stand-in for one (``stand_ins``).
    ``decided`` are the decisions already made on ``version``: whoever made one of them may
    not decide another tier of it, whatever roles they hold (article 13: three tiers, three
    people); a stand-in is told so in their own words.
    """
    decisions = list(decided)
    if Role.for_tier(tier) not in roles:
        if on_behalf_of(draft, tier, roles, stand_ins) is None:
            return Refusal.NOT_REVIEWER
        if any(d.reviewer_id == actor_id and d.tier != tier for d in decisions):
            return Refusal.STANDIN_TWICE
    if actor_id == draft.submitter_id:
        return Refusal.OWN_DRAFT
    if actor_id == draft.editor_id:
        return Refusal.EDITED_IT
    if version != draft.version:
        return Refusal.STALE_VERSION
    current = draft.state.tier
    if draft.state in (DraftState.PUBLISHING, DraftState.PUBLISHED, DraftState.REJECTED):
        return Refusal.ALREADY_DECIDED
    if draft.state in CLOSED_STATES:
        return Refusal.CLOSED
    if current is None:
        if draft.state is DraftState.APPROVED:
            return Refusal.ALREADY_DECIDED
        return Refusal.NOT_YET
    if current > tier:
        return Refusal.ALREADY_DECIDED
    if current < tier:
        return Refusal.NOT_YET
    if any(d.reviewer_id == actor_id and d.tier != tier for d in decisions):
        return Refusal.OTHER_TIER
    return None


def check_claim(
    draft: Draft, version: int, actor_id: int, roles: Collection[Role]
) -> Refusal | None:
    """May an editor claim the layout of this draft?"""
    if Role.EDITOR not in roles:
        return Refusal.NOT_EDITOR
    if version != draft.version:
        return Refusal.STALE_VERSION
    if draft.state is not DraftState.EDITING:
        return Refusal.CLOSED
    if draft.editor_id is not None:
        return Refusal.CLAIMED if draft.editor_id != actor_id else None
    return None


def check_send_to_review(draft: Draft, version: int, actor_id: int) -> Refusal | None:
    """May the claiming editor send this version on (or a layout of it) to tier 1?"""
    if draft.state is not DraftState.EDITING:
        return Refusal.CLOSED
    if draft.editor_id is None:
        return Refusal.UNCLAIMED
    if draft.editor_id != actor_id:
        return Refusal.NOT_CLAIMANT
    if version != draft.version:
        return Refusal.STALE_VERSION
    return None


def check_rejection(criteria: Collection[str]) -> Refusal | None:
    """A rejection names at least one failed criterion (the README's rule)."""
    return None if criteria else Refusal.NO_CRITERIA


def check_revise(draft: Draft, actor_id: int, roles: Collection[Role]) -> Refusal | None:
    """May ``actor_id`` send a new version of a rejected or blocked draft?"""
    if Role.ADMIN not in roles and actor_id != draft.editor_id:
        if actor_id != draft.submitter_id:
            return Refusal.NOT_SUBMITTER
        # A submitter whose volunteer role ended mid-draft can no longer change it.
        if not SUBMITTER_ROLES & set(roles):
            return Refusal.ROLE_ENDED if draft.by_volunteer else Refusal.NOT_OFFICER
    if draft.state not in (DraftState.REJECTED, DraftState.BLOCKED):
        return Refusal.NOT_REJECTED
    return None


def state_after_revision(draft: Draft, editing: bool = False) -> DraftState:
    """Where a new version goes: after a rejection, back to layout (article 11: the editors lay
    out what the officers send) when ``editing`` is on, else to tier 1; after a block, where the
    block stopped it (tier 1 for a block found at publication).

    Changed content is never approved by approvals of earlier content, so nothing past tier 1
    is resumed.
    """
    if draft.state is DraftState.BLOCKED and draft.resume_state in (
        DraftState.INTAKE,
        DraftState.EDITING,
    ):
        return draft.resume_state
    if draft.state is DraftState.REJECTED and editing:
        return DraftState.EDITING
    return DraftState.REVIEW_1


def check_withdraw(draft: Draft, actor_id: int, roles: Collection[Role]) -> Refusal | None:
    """May ``actor_id`` withdraw the draft? Only before approval."""
    if actor_id != draft.submitter_id and Role.ADMIN not in roles:
        return Refusal.NOT_SUBMITTER
    if draft.state not in WITHDRAWABLE:
        return Refusal.CLOSED
    return None


URGENT_FLAGGABLE = frozenset(
    {
        DraftState.INTAKE,
        DraftState.EDITING,
        *REVIEW_STATES,
        DraftState.REJECTED,
        DraftState.BLOCKED,
    }
)


def check_urgent(draft: Draft, roles: Collection[Role]) -> Refusal | None:
    """May someone with ``roles`` flag or unflag the draft as urgent? Admins, before approval."""
    if Role.ADMIN not in roles:
        return Refusal.NOT_ADMIN
    if draft.state not in URGENT_FLAGGABLE:
        return Refusal.CLOSED
    return None


def check_publish(draft: Draft, version: int, roles: Collection[Role]) -> Refusal | None:
    """May someone with ``roles`` press 发布 on this version? (Approvals are checked in storage.)"""
    if Role.EDITOR not in roles and Role.ADMIN not in roles:
        return Refusal.NOT_PUBLISHER
    if version != draft.version:
        return Refusal.STALE_VERSION
    if draft.state in (DraftState.PUBLISHING, DraftState.PUBLISHED):
        return Refusal.ALREADY_DECIDED
    if draft.state is not DraftState.APPROVED:
        return Refusal.NOT_APPROVED
    return None


def private_reviewers(
    holders: Sequence[int],
    away: Mapping[int, int],
    exclude: Collection[int | None],
    not_standing_in: Collection[int | None] = (),
) -> list[int]:
    """Who gets a tier's cards and nudges privately: each holder, or their stand-in if away.

    ``exclude`` (the draft's submitter and editor) gets nothing. An away holder keeps their own
    card when their stand-in may not decide this draft (``exclude`` or ``not_standing_in``, such
    as a stand-in who decided another tier of it): a draft is never left with nobody.
    """
    targets: list[int] = []
    for holder in holders:
        if holder in exclude:
            continue
        standin = away.get(holder)
        if standin is not None and standin not in exclude and standin not in not_standing_in:
            target = standin
        else:
            target = holder
        if target not in targets:
            targets.append(target)
    return targets
