"""Who decides a tier and who hears of it, with stand-ins (代审) and handovers taken into account.

The rules are pure (``workflow.check_decision``, ``workflow.private_reviewers``); this module
reads what they need inside the caller's transaction, so the service, the cards and the nudges
all ask the same questions the same way.
"""

from __future__ import annotations

import logging

import aiosqlite

from bot.review import workflow
from bot.review.workflow import Refusal, StandIn
from storage import drafts, standins, users
from storage.models import Draft, Role

__all__ = ["check_decision", "reviewers", "stand_ins_of", "tiers_for"]

logger = logging.getLogger(__name__)


async def stand_ins_of(conn: aiosqlite.Connection, user_id: int) -> list[StandIn]:
    """For whom ``user_id`` stands in now, with those reviewers' roles."""
    return [
        StandIn(reviewer, await users.roles_of(conn, reviewer))
        for reviewer in await standins.covering(conn, user_id)
    ]


async def check_decision(
    conn: aiosqlite.Connection, draft: Draft, version: int, tier: int, actor_id: int
) -> tuple[Refusal | None, int | None]:
    """The workflow's answer for this actor, and for whom they would decide (None: themselves)."""
    roles = await users.roles_of(conn, actor_id)
    stand_ins = await stand_ins_of(conn, actor_id)
    decided = await drafts.decisions(conn, draft.id, version)
    refusal = workflow.check_decision(draft, version, tier, actor_id, roles, stand_ins, decided)
    if refusal is not None:
        return refusal, None
    return None, workflow.on_behalf_of(draft, tier, roles, stand_ins)


async def tiers_for(conn: aiosqlite.Connection, user_id: int) -> set[int]:
    """The tiers ``user_id`` may decide now: by their own roles, or standing in for someone."""
    held = set(await users.roles_of(conn, user_id))
    for stand_in in await stand_ins_of(conn, user_id):
        held |= stand_in.roles
    return {tier for tier in (1, 2, 3) if Role.for_tier(tier) in held}


async def reviewers(
    conn: aiosqlite.Connection,
    chat_id: int | None,
    tier: int,
    draft: Draft,
    follow_handover: bool = False,
) -> list[int]:
    """Where a tier's cards (or nudges) about ``draft`` go.

    The tier's group if it has one: anyone there with the role, or standing in, decides.
    Otherwise each holder privately, an away holder's stand-in in their place. With
    ``follow_handover``, a version handed to one person goes to that person (and the group).
    """
    exclude = (draft.submitter_id, draft.editor_id)
    if follow_handover:
        handed = await standins.handover(conn, draft.id, draft.version, tier)
        if handed is not None:
            return [c for c in (chat_id, handed.user_id) if c is not None]
    if chat_id is not None:
        return [chat_id]
    holders = [u.user_id for u in await users.holders(conn, Role.for_tier(tier))]
    earlier = [
        d.reviewer_id
        for d in await drafts.decisions(conn, draft.id, draft.version)
        if d.tier != tier
    ]
    return workflow.private_reviewers(holders, await standins.away_now(conn), exclude, earlier)
