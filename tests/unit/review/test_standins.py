"""Stand-ins (代审) and handovers over a real database with a movable clock, without Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock.dates import DateUnreadable
from bot.clock.timing import Timing
from bot.config import UnionConfig
from bot.members import Actor, Members
from bot.review import standins as deciders
from bot.review.away import LONGEST_DAYS, AwayProblem, AwayRefused, StandIns, parse_span
from bot.review.service import Pipeline, Refused
from bot.review.workflow import Refusal
from bot.screening import Screening
from storage import Database, audit, drafts, outbox, users
from storage.drafts import NewContent
from storage.models import DraftState, User
from tests.conftest import ADMIN, EDITOR, OFFICER, REVIEWER1, REVIEWER2, REVIEWER3, STRANGER

# 10:00 in Shanghai on 10 December 2026.
START = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
TODAY = date(2026, 12, 10)


class World:
    """The review service and the stand-ins over one database, with a clock the test moves."""

    def __init__(
        self, db: Database, pipeline: Pipeline, service: StandIns, moments: list[datetime]
    ):
        self.db = db
        self.pipeline = pipeline
        self.service = service
        self.moments = moments

    def move_to(self, moment: datetime) -> None:
        self.moments[0] = moment

    async def user(self, actor: Actor) -> User:
        async with self.db.transaction() as tx:
            await users.upsert(tx, actor.user_id, actor.name, actor.username, self.db.now())
            found = await users.get(tx, actor.user_id)
        assert found is not None
        return found

    async def at_tier(self, tier: int, by: Actor = OFFICER) -> int:
        """A new draft by ``by``, laid out and approved up to ``tier``."""
        pipeline = self.pipeline
        draft, _ = await pipeline.submit(by, by.user_id, NewContent(body="标题\n正文"), None)
        for choice in ("c0", "as", "o1"):
            await pipeline.choose(by, draft.id, choice)
        await pipeline.confirm(by, draft.id)
        await pipeline.claim(EDITOR, draft.id, 1)
        await pipeline.send_to_review(EDITOR, draft.id, 1)
        for done, reviewer in zip(range(1, tier), (REVIEWER1, REVIEWER2), strict=False):
            await pipeline.approve(reviewer, draft.id, 1, done)
        return draft.id


@pytest.fixture
async def world(tmp_path: Path, config: UnionConfig) -> AsyncIterator[World]:
    moments = [START]
    db = await Database.open(tmp_path / "bot.sqlite3", clock=lambda: moments[0])
    screening = Screening(db)
    await screening.start()
    await Members(db, config).seed_members()
    pipeline = Pipeline(db, config, screening, Timing(config.reminders, config.timezone))
    yield World(db, pipeline, StandIns(db, config), moments)
    await db.close()


def test_spans_are_read_as_local_days() -> None:
    assert parse_span(["12-20"], TODAY) == (TODAY, date(2026, 12, 20))
    assert parse_span(["12-15", "12-20"], TODAY) == (date(2026, 12, 15), date(2026, 12, 20))
    assert parse_span(["12-28至1-5"], TODAY) == (date(2026, 12, 28), date(2027, 1, 5))
    assert parse_span(["2026-12-15", "到", "2026-12-16"], TODAY)[1] == date(2026, 12, 16)
    for bad in (["明天"], ["12-1", "12-2", "12-3"], ["2-30"]):
        with pytest.raises(DateUnreadable):
            parse_span(bad, TODAY)


async def test_a_stand_in_decides_only_while_the_span_is_in_force(world: World) -> None:
    teacher, colleague = await world.user(REVIEWER3), await world.user(STRANGER)
    draft_id = await world.at_tier(3)
    # An admin names someone with no role (another teacher) from tomorrow to the 12th.
    done = await world.service.set_away(
        ADMIN, teacher, colleague, date(2026, 12, 11), date(2026, 12, 12)
    )
    assert done.tiers == (3,) and not done.replaced
    with pytest.raises(Refused) as early:
        await world.pipeline.approve(STRANGER, draft_id, 1, 3)
    assert early.value.reason is Refusal.NOT_REVIEWER
    # The last local day counts: 23:59 in Shanghai on the 12th.
    world.move_to(datetime(2026, 12, 12, 15, 59, tzinfo=UTC))
    async with world.db.reading() as conn:
        assert await deciders.tiers_for(conn, STRANGER.user_id) == {3}
        draft = await drafts.get(conn, draft_id)
        assert draft is not None
        # The teacher's private card goes to the stand-in (tier 3 has no group).
        assert await deciders.reviewers(conn, None, 3, draft) == [STRANGER.user_id]
    assert await world.service.stands_in(STRANGER.user_id)
    pending = await world.pipeline.pending_for(STRANGER.user_id)
    assert [d.id for d in pending.review[3]] == [draft_id]
    assert await world.pipeline.approve(STRANGER, draft_id, 1, 3) is DraftState.APPROVED
    async with world.db.reading() as conn:
        events = await audit.for_draft(conn, draft_id)
    approved = [e for e in events if e.action == "review.approved"]
    assert approved[-1].actor_id == STRANGER.user_id
    assert approved[-1].detail == {"tier": 3, "on_behalf_of": REVIEWER3.user_id}
    # Midnight: the span is over.
    world.move_to(datetime(2026, 12, 12, 16, 0, tzinfo=UTC))
    assert not await world.service.stands_in(STRANGER.user_id)
    other = await world.at_tier(3)
    with pytest.raises(Refused) as late:
        await world.pipeline.approve(STRANGER, other, 1, 3)
    assert late.value.reason is Refusal.NOT_REVIEWER


async def test_a_stand_in_who_submitted_the_draft_is_refused(world: World) -> None:
    teacher, officer = await world.user(REVIEWER3), await world.user(OFFICER)
    # A reviewer may name a member: the officer stands in for the teacher.
    await world.service.set_away(REVIEWER3, teacher, officer, TODAY, TODAY)
    draft_id = await world.at_tier(3)
    with pytest.raises(Refused) as caught:
        await world.pipeline.approve(OFFICER, draft_id, 1, 3)
    assert caught.value.reason is Refusal.OWN_DRAFT
    async with world.db.reading() as conn:
        draft = await drafts.get(conn, draft_id)
        assert draft is not None
        # Her card stays with her: the stand-in could not act on it.
        assert await deciders.reviewers(conn, None, 3, draft) == [REVIEWER3.user_id]
        refused = [e for e in await audit.for_draft(conn, draft_id) if e.action == "review.refused"]
    assert refused[-1].actor_id == OFFICER.user_id
    assert refused[-1].detail["refusal"] == Refusal.OWN_DRAFT.value


async def test_a_stand_in_cannot_decide_two_tiers_of_one_version(world: World) -> None:
    teacher, chair = await world.user(REVIEWER3), await world.user(REVIEWER2)
    await world.service.set_away(REVIEWER3, teacher, chair, TODAY, date(2026, 12, 20))
    draft_id = await world.at_tier(3)  # 钱主席 approved tier 2
    with pytest.raises(Refused) as caught:
        await world.pipeline.approve(REVIEWER2, draft_id, 1, 3)
    assert caught.value.reason is Refusal.STANDIN_TWICE
    assert await world.pipeline.approve(REVIEWER3, draft_id, 1, 3) is DraftState.APPROVED


async def test_who_may_arrange_what(world: World) -> None:
    teacher, stranger = await world.user(REVIEWER3), await world.user(STRANGER)
    chair, officer = await world.user(REVIEWER2), await world.user(OFFICER)
    cases: list[tuple[Actor, User, User, date, date, AwayProblem]] = [
        (REVIEWER3, teacher, stranger, TODAY, TODAY, AwayProblem.NOT_MEMBER),
        (REVIEWER2, teacher, officer, TODAY, TODAY, AwayProblem.NOT_ADMIN),
        (OFFICER, officer, chair, TODAY, TODAY, AwayProblem.NOT_REVIEWER),
        (REVIEWER3, teacher, teacher, TODAY, TODAY, AwayProblem.SELF),
        (REVIEWER3, teacher, chair, TODAY, TODAY - timedelta(days=1), AwayProblem.BACKWARDS),
        (REVIEWER3, teacher, chair, TODAY - timedelta(days=3), TODAY - timedelta(days=1),
         AwayProblem.ENDED),
        (REVIEWER3, teacher, chair, TODAY, TODAY + timedelta(days=LONGEST_DAYS),
         AwayProblem.TOO_LONG),
    ]  # fmt: skip
    for actor, reviewer, standin, first, last, problem in cases:
        with pytest.raises(AwayRefused) as caught:
            await world.service.set_away(actor, reviewer, standin, first, last)
        assert caught.value.problem is problem, (actor, reviewer, standin, first, last)
    # A stand-in who is away over the same days cannot take it on.
    await world.service.set_away(REVIEWER2, chair, officer, TODAY, TODAY)
    with pytest.raises(AwayRefused) as away:
        await world.service.set_away(REVIEWER3, teacher, chair, TODAY, TODAY)
    assert away.value.problem is AwayProblem.STANDIN_AWAY


async def test_a_new_span_replaces_an_overlapping_one_and_off_ends_it(world: World) -> None:
    teacher = await world.user(REVIEWER3)
    chair, officer = await world.user(REVIEWER2), await world.user(OFFICER)
    first = await world.service.set_away(REVIEWER3, teacher, chair, TODAY, date(2026, 12, 15))
    second = await world.service.set_away(
        ADMIN, teacher, officer, date(2026, 12, 14), date(2026, 12, 18)
    )
    assert [s.id for s in second.replaced] == [first.span.id]
    spans, people = await world.service.listing()
    assert [(s.reviewer_id, s.standin_id) for s in spans] == [(REVIEWER3.user_id, OFFICER.user_id)]
    assert people[OFFICER.user_id].name == OFFICER.name
    assert not world.service.in_force(spans[0])
    assert world.service.days_of(spans[0]) == (date(2026, 12, 14), date(2026, 12, 18))
    with pytest.raises(AwayRefused) as caught:
        await world.service.end_away(REVIEWER2, teacher)
    assert caught.value.problem is AwayProblem.NOT_ADMIN
    ended = await world.service.end_away(REVIEWER3, teacher)
    assert [s.id for s in ended] == [second.span.id]
    assert (await world.service.listing())[0] == []
    with pytest.raises(AwayRefused) as nothing:
        await world.service.end_away(REVIEWER3, teacher)
    assert nothing.value.problem is AwayProblem.NOTHING
    async with world.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT action FROM audit WHERE action LIKE 'standin.%' ORDER BY id"
        )
        notices = [i for i in await outbox.pending(conn) if i.kind == "standin_notice"]
    assert [r[0] for r in rows] == ["standin.set", "standin.set", "standin.ended"]
    assert len(notices) == 2


async def test_an_admin_hands_a_pending_tier_to_one_holder(world: World) -> None:
    chair, teacher = await world.user(REVIEWER2), await world.user(REVIEWER3)
    officer, stranger = await world.user(OFFICER), await world.user(STRANGER)
    draft_id = await world.at_tier(2)
    with pytest.raises(AwayRefused) as not_admin:
        await world.service.hand_over(REVIEWER1, draft_id, chair)
    assert not_admin.value.problem is AwayProblem.NOT_ADMIN
    for person in (officer, teacher, stranger):
        with pytest.raises(AwayRefused) as caught:
            await world.service.hand_over(ADMIN, draft_id, person)
        assert caught.value.problem is AwayProblem.CANNOT_DECIDE
    # Standing in for the chair, the officer could decide tier 2, but not his own draft.
    await world.service.set_away(REVIEWER2, chair, officer, TODAY, TODAY)
    with pytest.raises(AwayRefused) as own:
        await world.service.hand_over(ADMIN, draft_id, officer)
    assert own.value.problem is AwayProblem.OWN_DRAFT
    await world.service.end_away(REVIEWER2, chair)
    with pytest.raises(AwayRefused) as missing:
        await world.service.hand_over(ADMIN, 99, chair)
    assert missing.value.problem is AwayProblem.NOT_FOUND

    done = await world.service.hand_over(ADMIN, draft_id, chair)
    assert done.tier == 2 and done.on_behalf_of is None
    async with world.db.reading() as conn:
        cards = [i.payload for i in await outbox.pending(conn) if i.kind == "review_card"]
        draft = await drafts.get(conn, draft_id)
        assert draft is not None
        # Nudges follow the handover: the tier's group and the person it went to.
        assert await deciders.reviewers(conn, -100912, 2, draft, follow_handover=True) == [
            -100912,
            REVIEWER2.user_id,
        ]
        assert await deciders.reviewers(conn, -100912, 2, draft) == [-100912]
        events = await audit.for_draft(conn, draft_id)
    assert cards[-1] == {"version": 1, "tier": 2, "chat_id": REVIEWER2.user_id}
    handed = [e for e in events if e.action == "review.handover"]
    assert handed[-1].actor_id == ADMIN.user_id
    assert handed[-1].detail == {"tier": 2, "to": REVIEWER2.user_id}

    # Handed to a stand-in, the audit names whom they stand in for.
    await world.pipeline.approve(REVIEWER2, draft_id, 1, 2)
    await world.service.set_away(ADMIN, teacher, stranger, TODAY, TODAY)
    done = await world.service.hand_over(ADMIN, draft_id, stranger)
    assert done.tier == 3 and done.on_behalf_of == REVIEWER3.user_id
    # A draft past review has no tier to hand over.
    await world.pipeline.approve(STRANGER, draft_id, 1, 3)
    with pytest.raises(AwayRefused) as closed:
        await world.service.hand_over(ADMIN, draft_id, teacher)
    assert closed.value.problem is AwayProblem.NOT_WAITING


async def test_a_stand_ins_rejection_names_both_people(world: World) -> None:
    teacher, colleague = await world.user(REVIEWER3), await world.user(STRANGER)
    await world.service.set_away(ADMIN, teacher, colleague, TODAY, TODAY)
    draft_id = await world.at_tier(3)
    await world.pipeline.open_rejection(STRANGER, draft_id, 1, 3, STRANGER.user_id)
    state = await world.pipeline.reject(STRANGER, draft_id, 1, 3, ["真实准确"], "数据有误")
    assert state is DraftState.REJECTED
    async with world.db.reading() as conn:
        events = await audit.for_draft(conn, draft_id)
    rejected = [e for e in events if e.action == "review.rejected"][-1]
    assert rejected.actor_id == STRANGER.user_id
    assert rejected.detail["on_behalf_of"] == REVIEWER3.user_id
    assert rejected.detail["reason"] == "数据有误"
