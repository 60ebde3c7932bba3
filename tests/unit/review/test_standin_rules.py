"""Stand-ins (代审) in the review rules: who may decide for whom, and where cards go."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.review.workflow import (
    Refusal,
    StandIn,
    check_decision,
    on_behalf_of,
    private_reviewers,
)
from storage.models import Decision, Draft, DraftState, Role

# Submitted by 10, laid out by 20, waiting at tier 3 (version 3).
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
    state=DraftState.REVIEW_3,
    version=3,
    origin_chat_id=10,
    created_at="",
    updated_at="",
)
TEACHER = 50  # holds tier 3, away
FOR_TEACHER = [StandIn(TEACHER, frozenset({Role.REVIEWER3}))]


@pytest.mark.parametrize(
    ("actor", "roles", "stand_ins", "decided", "expected"),
    [
        # No role and no stand-in: refused as before.
        (60, set(), [], {}, Refusal.NOT_REVIEWER),
        # Standing in for a tier-3 holder: allowed at tier 3.
        (60, set(), FOR_TEACHER, {}, None),
        # Standing in for someone who holds another tier only: still refused.
        (60, set(), [StandIn(TEACHER, frozenset({Role.REVIEWER2}))], {}, Refusal.NOT_REVIEWER),
        # The stand-in is the draft's submitter or editor: refused like anyone else.
        (10, {Role.OFFICER}, FOR_TEACHER, {}, Refusal.OWN_DRAFT),
        (20, {Role.EDITOR}, FOR_TEACHER, {}, Refusal.EDITED_IT),
        # The stand-in already decided tier 2 of this version: tier 3 would be skipped.
        (60, {Role.REVIEWER2}, FOR_TEACHER, {1: 30, 2: 60}, Refusal.STANDIN_TWICE),
        # Someone else decided tier 2: fine.
        (60, {Role.REVIEWER2}, FOR_TEACHER, {1: 30, 2: 40}, None),
        # A holder of both roles who decided tier 2 may not decide tier 3 too (article 13).
        (60, {Role.REVIEWER2, Role.REVIEWER3}, [], {2: 60}, Refusal.OTHER_TIER),
    ],
)
def test_a_stand_in_decides_the_tiers_of_whom_they_stand_in_for(
    actor: int,
    roles: set[Role],
    stand_ins: list[StandIn],
    decided: dict[int, int],
    expected: Refusal | None,
) -> None:
    decisions = [
        Decision(1, 1, 3, t, "h", who, "approve", (), "", "") for t, who in decided.items()
    ]
    assert check_decision(DRAFT, 3, 3, actor, roles, stand_ins, decisions) == expected


def test_no_stand_in_skips_the_order_of_tiers() -> None:
    early = replace(DRAFT, state=DraftState.REVIEW_2)
    assert check_decision(early, 3, 3, 60, set(), FOR_TEACHER) is Refusal.NOT_YET
    assert check_decision(early, 2, 3, 60, set(), FOR_TEACHER) is Refusal.STALE_VERSION


def test_a_stand_in_never_decides_for_a_reviewer_who_submitted_the_draft() -> None:
    # The away teacher submitted this one: her stand-in may not decide it in her name.
    own = replace(DRAFT, submitter_id=TEACHER)
    assert on_behalf_of(own, 3, set(), FOR_TEACHER) is None
    assert check_decision(own, 3, 3, 60, set(), FOR_TEACHER) is Refusal.NOT_REVIEWER


def test_on_behalf_of_names_the_reviewer_only_for_a_stand_in() -> None:
    assert on_behalf_of(DRAFT, 3, set(), FOR_TEACHER) == TEACHER
    assert on_behalf_of(DRAFT, 3, {Role.REVIEWER3}, FOR_TEACHER) is None
    two = [StandIn(52, frozenset({Role.REVIEWER3})), StandIn(51, frozenset({Role.REVIEWER3}))]
    assert on_behalf_of(DRAFT, 3, set(), two) == 51


@pytest.mark.parametrize(
    ("holders", "away", "exclude", "not_standing_in", "expected"),
    [
        ([50, 51], {}, (), (), [50, 51]),
        # The away teacher's card goes to her stand-in instead.
        ([50, 51], {50: 60}, (), (), [60, 51]),
        # A stand-in who holds the role too gets one card, not two.
        ([50, 51], {50: 51}, (), (), [51]),
        # The stand-in submitted the draft: the teacher keeps her card (nobody else could).
        ([50], {50: 10}, (10, 20), (), [50]),
        # The stand-in decided another tier of it: likewise.
        ([50], {50: 60}, (10, 20), (60,), [50]),
        # The submitter holds the role: left out, away or not.
        ([10, 50], {10: 60}, (10, 20), (), [50]),
    ],
)
def test_private_cards_go_to_the_stand_in_of_an_away_holder(
    holders: list[int],
    away: dict[int, int],
    exclude: tuple[int, ...],
    not_standing_in: tuple[int, ...],
    expected: list[int],
) -> None:
    assert private_reviewers(holders, away, exclude, not_standing_in) == expected
