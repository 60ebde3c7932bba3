"""The review rules, decided without Telegram or a database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.review.workflow import (
    Refusal,
    check_claim,
    check_decision,
    check_publish,
    check_revise,
    check_send_to_review,
    check_urgent,
    check_withdraw,
    state_after_intake,
)
from storage.models import Decision, Draft, DraftState, Role

DRAFT = Draft(
    id=1,
    submitter_id=10,
    editor_id=20,
    title="t",
    category="文体类",
    attribution="school",
    college=None,
    source=None,
    original=True,
    state=DraftState.REVIEW_2,
    version=3,
    origin_chat_id=10,
    created_at="",
    updated_at="",
)
R1, R2, R3 = {Role.REVIEWER1}, {Role.REVIEWER2}, {Role.REVIEWER3}


@pytest.mark.parametrize(
    ("draft", "version", "tier", "actor", "roles", "expected"),
    [
        (DRAFT, 3, 2, 30, R2, None),
        (DRAFT, 3, 2, 30, R1, Refusal.NOT_REVIEWER),
        (DRAFT, 3, 2, 10, R2, Refusal.OWN_DRAFT),
        (DRAFT, 3, 2, 20, R2, Refusal.EDITED_IT),
        (DRAFT, 2, 2, 30, R2, Refusal.STALE_VERSION),
        (DRAFT, 3, 1, 30, R1, Refusal.ALREADY_DECIDED),
        (DRAFT, 3, 3, 30, R3, Refusal.NOT_YET),
        (replace(DRAFT, state=DraftState.APPROVED), 3, 3, 30, R3, Refusal.ALREADY_DECIDED),
        (replace(DRAFT, state=DraftState.REJECTED), 3, 2, 30, R2, Refusal.ALREADY_DECIDED),
        (replace(DRAFT, state=DraftState.WITHDRAWN), 3, 2, 30, R2, Refusal.CLOSED),
        (replace(DRAFT, state=DraftState.EDITING), 3, 1, 30, R1, Refusal.NOT_YET),
    ],
)
def test_who_may_decide(
    draft: Draft, version: int, tier: int, actor: int, roles: set[Role], expected: Refusal | None
) -> None:
    assert check_decision(draft, version, tier, actor, roles) == expected


def _decision(tier: int, reviewer: int, version: int = 3) -> Decision:
    return Decision(1, 1, version, tier, "h", reviewer, "approve", (), "", "")


ALL_TIERS = R1 | R2 | R3


@pytest.mark.parametrize(
    ("state", "tier", "decided", "expected"),
    [
        # One member holding all three reviewer roles: article 13 means three people.
        (DraftState.REVIEW_2, 2, [_decision(1, 30)], Refusal.OTHER_TIER),
        (DraftState.REVIEW_3, 3, [_decision(1, 31), _decision(2, 30)], Refusal.OTHER_TIER),
        (DraftState.REVIEW_3, 3, [_decision(1, 30), _decision(2, 31)], Refusal.OTHER_TIER),
        # Others decided the earlier tiers: fine.
        (DraftState.REVIEW_3, 3, [_decision(1, 31), _decision(2, 32)], None),
        (DraftState.REVIEW_2, 2, [_decision(1, 31)], None),
        # A decision on an older version does not count against this one.
        (DraftState.REVIEW_1, 1, [], None),
    ],
)
def test_one_person_decides_one_tier_of_a_version(
    state: DraftState, tier: int, decided: list[Decision], expected: Refusal | None
) -> None:
    draft = replace(DRAFT, state=state)
    assert check_decision(draft, 3, tier, 30, ALL_TIERS, decided=decided) is expected


def test_role_is_checked_before_anything_else() -> None:
    # A stranger learns nothing about the draft's state from the refusal.
    stale = replace(DRAFT, state=DraftState.PUBLISHED)
    assert check_decision(stale, 1, 2, 99, set()) is Refusal.NOT_REVIEWER


def test_editing_claims() -> None:
    editing = replace(DRAFT, state=DraftState.EDITING, editor_id=None)
    assert check_claim(editing, 3, 20, {Role.EDITOR}) is None
    assert check_claim(editing, 3, 20, {Role.OFFICER}) is Refusal.NOT_EDITOR
    assert check_claim(replace(editing, editor_id=21), 3, 20, {Role.EDITOR}) is Refusal.CLAIMED
    assert check_claim(replace(editing, editor_id=20), 3, 20, {Role.EDITOR}) is None
    assert check_send_to_review(replace(editing, editor_id=21), 3, 20) is Refusal.NOT_CLAIMANT
    assert check_send_to_review(replace(editing, editor_id=20), 2, 20) is Refusal.STALE_VERSION


def test_revise_withdraw_publish() -> None:
    rejected = replace(DRAFT, state=DraftState.REJECTED)
    assert check_revise(rejected, 10, {Role.OFFICER}) is None
    assert check_revise(rejected, 99, {Role.OFFICER}) is Refusal.NOT_SUBMITTER
    assert check_revise(DRAFT, 10, {Role.OFFICER}) is Refusal.NOT_REJECTED
    assert check_withdraw(DRAFT, 10, set()) is None
    assert check_withdraw(DRAFT, 99, {Role.ADMIN}) is None
    assert check_withdraw(replace(DRAFT, state=DraftState.APPROVED), 10, set()) is Refusal.CLOSED
    approved = replace(DRAFT, state=DraftState.APPROVED)
    assert check_publish(approved, 3, {Role.EDITOR}) is None
    assert check_publish(approved, 3, {Role.REVIEWER3}) is Refusal.NOT_PUBLISHER
    assert check_publish(DRAFT, 3, {Role.ADMIN}) is Refusal.NOT_APPROVED


def test_a_submitter_who_lost_the_role_cannot_revise_but_admins_can() -> None:
    rejected = replace(DRAFT, state=DraftState.REJECTED)
    volunteered = replace(rejected, by_volunteer=True)
    assert check_revise(volunteered, 10, {Role.VOLUNTEER}) is None
    assert check_revise(volunteered, 10, set()) is Refusal.ROLE_ENDED
    assert check_revise(rejected, 10, set()) is Refusal.NOT_OFFICER
    assert check_revise(volunteered, 99, {Role.ADMIN}) is None
    assert check_revise(volunteered, DRAFT.editor_id or 0, {Role.EDITOR}) is None


def test_only_admins_flag_urgent_and_only_before_approval() -> None:
    assert check_urgent(DRAFT, {Role.ADMIN}) is None
    assert check_urgent(DRAFT, {Role.OFFICER, Role.REVIEWER3}) is Refusal.NOT_ADMIN
    for state in (DraftState.APPROVED, DraftState.PUBLISHED, DraftState.WITHDRAWN):
        assert check_urgent(replace(DRAFT, state=state), {Role.ADMIN}) is Refusal.CLOSED


def test_state_after_intake() -> None:
    assert state_after_intake(True) is DraftState.EDITING
    assert state_after_intake(False) is DraftState.REVIEW_1
