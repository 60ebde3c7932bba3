"""The review service end to end over a real database, without Telegram."""

from __future__ import annotations

import asyncio

import pytest

from bot import texts
from bot.review.service import Pipeline, Refused
from bot.review.workflow import Refusal
from storage import audit, drafts, outbox, users
from storage.drafts import NewContent
from storage.models import CATEGORIES, DraftState, Role
from tests.conftest import ADMIN, EDITOR, OFFICER, REVIEWER1, REVIEWER2, REVIEWER3, STRANGER


async def _confirmed(pipeline: Pipeline, body: str = "标题\n正文") -> int:
    draft, new = await pipeline.submit(OFFICER, OFFICER.user_id, NewContent(body=body), None)
    assert new
    await pipeline.choose(OFFICER, draft.id, "c0")
    await pipeline.choose(OFFICER, draft.id, "as")
    await pipeline.choose(OFFICER, draft.id, "o1")
    result = await pipeline.confirm(OFFICER, draft.id)
    assert not isinstance(result, list)
    return draft.id


async def _at_review(pipeline: Pipeline) -> int:
    draft_id = await _confirmed(pipeline)
    await pipeline.claim(EDITOR, draft_id, 1)
    await pipeline.layout(EDITOR, draft_id, NewContent(body="标题\n排好的正文"))
    await pipeline.send_to_review(EDITOR, draft_id, 2)
    return draft_id


async def _events(pipeline: Pipeline, draft_id: int) -> list[str]:
    async with pipeline.db.reading() as conn:
        return [e.action for e in await audit.for_draft(conn, draft_id)]


async def _outbox_kinds(pipeline: Pipeline) -> list[str]:
    """What the review queued beyond the submitter's own intake card and its refreshes."""
    async with pipeline.db.reading() as conn:
        return [
            item.kind
            for item in await outbox.pending(conn)
            if item.kind != "intake_card" and item.payload.get("stage") != "intake"
        ]


async def test_intake_needs_every_choice(pipeline: Pipeline) -> None:
    draft, _ = await pipeline.submit(
        OFFICER, OFFICER.user_id, NewContent(body="第一行\n正文"), None
    )
    assert draft.title == "第一行" and draft.state is DraftState.INTAKE
    assert await pipeline.confirm(OFFICER, draft.id) == ["类别", "署名", "是否原创"]
    await pipeline.choose(OFFICER, draft.id, "c3")
    await pipeline.choose(OFFICER, draft.id, "ac")
    await pipeline.choose(OFFICER, draft.id, "o0")
    assert await pipeline.confirm(OFFICER, draft.id) == ["承办学院"]
    updated = await pipeline.set_intake_detail(OFFICER, draft.id, "college", "  计算机   学院 ")
    assert updated.college == "计算机 学院" and updated.category == CATEGORIES[3]
    confirmed = await pipeline.confirm(OFFICER, draft.id)
    assert not isinstance(confirmed, list) and confirmed.state is DraftState.EDITING
    assert await _outbox_kinds(pipeline) == ["editing_card"]


async def test_only_officers_submit(pipeline: Pipeline) -> None:
    with pytest.raises(Refused) as caught:
        await pipeline.submit(STRANGER, STRANGER.user_id, NewContent(body="x"), None)
    assert caught.value.reason is Refusal.NOT_OFFICER


async def test_a_redelivered_message_does_not_make_a_second_draft(pipeline: Pipeline) -> None:
    content = NewContent(body="正文", source_chat_id=OFFICER.user_id, source_msg_id=42)
    first, new = await pipeline.submit(OFFICER, OFFICER.user_id, content, None)
    again, new_again = await pipeline.submit(OFFICER, OFFICER.user_id, content, None)
    assert new and not new_again and again.id == first.id


async def test_three_tiers_in_order_then_publication_is_queued(pipeline: Pipeline) -> None:
    draft_id = await _at_review(pipeline)
    with pytest.raises(Refused) as caught:
        await pipeline.approve(REVIEWER2, draft_id, 2, 2)
    assert caught.value.reason is Refusal.NOT_YET
    assert await pipeline.approve(REVIEWER1, draft_id, 2, 1) is DraftState.REVIEW_2
    assert await pipeline.approve(REVIEWER2, draft_id, 2, 2) is DraftState.REVIEW_3
    assert await pipeline.approve(REVIEWER3, draft_id, 2, 3) is DraftState.APPROVED
    kinds = await _outbox_kinds(pipeline)
    assert kinds.count("review_card") == 3 and kinds[-1] == "publish"
    assert (await _events(pipeline, draft_id)).count("review.approved") == 3


async def test_refused_attempts_are_audited_and_change_nothing(pipeline: Pipeline) -> None:
    draft_id = await _at_review(pipeline)
    for actor, tier, reason in [
        (STRANGER, 1, Refusal.NOT_REVIEWER),
        (REVIEWER2, 1, Refusal.NOT_REVIEWER),
        (EDITOR, 1, Refusal.NOT_REVIEWER),
    ]:
        with pytest.raises(Refused) as caught:
            await pipeline.approve(actor, draft_id, 2, tier)
        assert caught.value.reason is reason
    with pytest.raises(Refused) as stale:
        await pipeline.approve(REVIEWER1, draft_id, 1, 1)
    assert stale.value.reason is Refusal.STALE_VERSION
    draft = await pipeline.draft(draft_id)
    assert draft.state is DraftState.REVIEW_1
    assert (await _events(pipeline, draft_id)).count("review.refused") == 4


async def test_double_tap_gives_one_decision_and_names_the_decider(pipeline: Pipeline) -> None:
    draft_id = await _at_review(pipeline)
    results = await asyncio.gather(
        pipeline.approve(REVIEWER1, draft_id, 2, 1),
        pipeline.approve(REVIEWER1, draft_id, 2, 1),
        return_exceptions=True,
    )
    refusals = [r for r in results if isinstance(r, Refused)]
    assert len(refusals) == 1 and refusals[0].reason is Refusal.ALREADY_DECIDED
    assert REVIEWER1.name in str(refusals[0].params["who"])
    _, decisions = await pipeline.view(draft_id)
    assert len(decisions) == 1


async def test_rejection_revision_and_fresh_approvals(pipeline: Pipeline) -> None:
    draft_id = await _at_review(pipeline)
    await pipeline.approve(REVIEWER1, draft_id, 2, 1)
    state = await pipeline.reject(REVIEWER2, draft_id, 2, 2, ["1", "3"], "数据有误")
    assert state is DraftState.REJECTED
    with pytest.raises(Refused) as caught:
        await pipeline.revise(STRANGER, draft_id, NewContent(body="x"))
    assert caught.value.reason is Refusal.NOT_SUBMITTER
    revised = await pipeline.revise(OFFICER, draft_id, NewContent(body="标题\n改好的正文"))
    # Editing is on: the revision goes back to the editor who laid it out, still claimed.
    assert revised.version == 3 and revised.state is DraftState.EDITING
    assert revised.editor_id == EDITOR.user_id
    sent = await pipeline.send_to_review(EDITOR, draft_id, 3)
    assert sent.state is DraftState.REVIEW_1
    # Tier 1's approval of version 2 does not carry over.
    _, decisions = await pipeline.view(draft_id)
    assert decisions == []
    with pytest.raises(Refused):
        await pipeline.approve(REVIEWER2, draft_id, 3, 2)


async def test_withdraw_before_approval_only(pipeline: Pipeline) -> None:
    draft_id = await _at_review(pipeline)
    with pytest.raises(Refused):
        await pipeline.withdraw(STRANGER, draft_id)
    withdrawn = await pipeline.withdraw(OFFICER, draft_id)
    assert withdrawn.state is DraftState.WITHDRAWN
    with pytest.raises(Refused) as caught:
        await pipeline.approve(REVIEWER1, draft_id, 2, 1)
    assert caught.value.reason is Refusal.CLOSED


async def test_manual_publishing_needs_an_editor_or_admin(pipeline: Pipeline) -> None:
    pipeline.config = type(pipeline.config)(**{**pipeline.config.__dict__, "auto_publish": False})
    draft_id = await _at_review(pipeline)
    for actor, tier in ((REVIEWER1, 1), (REVIEWER2, 2), (REVIEWER3, 3)):
        await pipeline.approve(actor, draft_id, 2, tier)
    assert (await _outbox_kinds(pipeline))[-1] == "publish_card"
    with pytest.raises(Refused) as caught:
        await pipeline.request_publish(REVIEWER3, draft_id, 2)
    assert caught.value.reason is Refusal.NOT_PUBLISHER
    await pipeline.request_publish(ADMIN, draft_id, 2)
    assert (await _outbox_kinds(pipeline))[-1] == "publish"


async def test_pending_lists_what_waits_for_my_tier(pipeline: Pipeline) -> None:
    draft_id = await _confirmed(pipeline)
    assert [d.id for d in (await pipeline.pending_for(EDITOR.user_id)).editing] == [draft_id]
    await pipeline.claim(EDITOR, draft_id, 1)
    await pipeline.send_to_review(EDITOR, draft_id, 1)
    assert [d.id for d in (await pipeline.pending_for(REVIEWER1.user_id)).review[1]] == [draft_id]
    assert (await pipeline.pending_for(REVIEWER2.user_id)).review == {}


async def test_one_member_holding_every_tier_approves_only_one_tier(pipeline: Pipeline) -> None:
    # Article 13: 部门负责人——主席团成员——指导老师三级 are three people, whatever roles one holds.
    async with pipeline.db.transaction() as tx:
        await users.grant(
            tx, REVIEWER1.user_id, [Role.REVIEWER2, Role.REVIEWER3], None, pipeline.db.now()
        )
    draft_id = await _at_review(pipeline)
    assert await pipeline.approve(REVIEWER1, draft_id, 2, 1) is DraftState.REVIEW_2
    with pytest.raises(Refused) as caught:
        await pipeline.approve(REVIEWER1, draft_id, 2, 2)
    assert caught.value.reason is Refusal.OTHER_TIER
    assert await pipeline.approve(REVIEWER2, draft_id, 2, 2) is DraftState.REVIEW_3
    with pytest.raises(Refused) as caught:
        await pipeline.approve(REVIEWER1, draft_id, 2, 3)
    assert caught.value.reason is Refusal.OTHER_TIER
    assert texts.refusal(caught.value.reason, **caught.value.params) == (
        "第十三条：三级审核须由三人分别完成。你已审核过这份稿件第 2 版的另一级，"
        "不能再审核第 3 级（指导老师），请由其他指导老师审核。"
    )
    # Nor may they reject the next tier (the tap that opens a rejection is refused first).
    with pytest.raises(Refused) as caught:
        await pipeline.check_review(REVIEWER1, draft_id, 2, 3)
    assert caught.value.reason is Refusal.OTHER_TIER
    async with pipeline.db.reading() as conn:
        decided = await drafts.decisions(conn, draft_id, 2)
    assert [(d.tier, d.reviewer_id) for d in decided] == [
        (1, REVIEWER1.user_id),
        (2, REVIEWER2.user_id),
    ]
    assert (await _events(pipeline, draft_id)).count("review.refused") == 3
    # A third person completes the review.
    assert await pipeline.approve(REVIEWER3, draft_id, 2, 3) is DraftState.APPROVED
