"""Reviewers who are away (代审) and drafts handed to one reviewer: the service, Telegram-free.

A reviewer (or an admin for them) names a stand-in for a span of local days, both ends
included. While it is in force the stand-in decides the reviewer's tiers and gets the cards and
nudges the reviewer would have got privately; the decision's audit event names both. An admin
can hand one draft's pending tier to one person who may decide it: a card goes to them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import ClassVar

from bot.clock.dates import DateUnreadable, parse_day
from bot.config import UnionConfig
from bot.members import Actor
from bot.review import standins as deciders
from bot.review.payloads import ReviewCard
from bot.review.workflow import Refusal
from storage import Database, audit, drafts, outbox, standins, users
from storage.db import last_stored_day, stored_day_end, stored_time
from storage.models import Draft, Role, User
from storage.payloads import Payload
from storage.standins import Span

__all__ = [
    "LONGEST_DAYS",
    "AwayProblem",
    "AwayRefused",
    "AwaySet",
    "HandedOver",
    "StandInNotice",
    "StandIns",
    "parse_span",
]

logger = logging.getLogger(__name__)

# A longer absence is a change of who holds the role, which /role does.
LONGEST_DAYS = 92

_SPAN_MARKS = re.compile(r"[至到~～—–]")


class AwayProblem(StrEnum):
    """Why an arrangement or a handover is refused; each has a message in the texts."""

    NOT_REVIEWER = "not_reviewer"
    NOT_ADMIN = "not_admin"
    SELF = "self"
    NOT_MEMBER = "not_member"
    ENDED = "ended"
    BACKWARDS = "backwards"
    TOO_LONG = "too_long"
    STANDIN_AWAY = "standin_away"
    NOTHING = "nothing"
    NOT_FOUND = "not_found"
    NOT_WAITING = "not_waiting"
    CANNOT_DECIDE = "cannot_decide"
    OWN_DRAFT = "own_draft"
    EDITED_IT = "edited_it"
    DECIDED_OTHER = "decided_other"


class AwayRefused(Exception):
    """An arrangement or handover the rules do not allow."""

    def __init__(self, problem: AwayProblem, **params: object) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.params = params


@dataclass(frozen=True, slots=True)
class AwaySet:
    """A recorded arrangement: its span as local days, the tiers it covers, what it replaced."""

    span: Span
    first: date
    last: date
    tiers: tuple[int, ...]
    replaced: list[Span]


@dataclass(frozen=True, slots=True)
class HandedOver:
    """A draft's pending tier, handed to ``user_id`` (standing in for ``on_behalf_of``)."""

    draft: Draft
    tier: int
    user_id: int
    on_behalf_of: int | None


@dataclass(frozen=True, slots=True)
class StandInNotice(Payload):
    """The stand-in hears that they stand in (an outbox delivery)."""

    KIND: ClassVar[str] = "standin_notice"
    span: int


def parse_span(words: list[str], today: date) -> tuple[date, date]:
    """The first and last day of ``12-20`` (today to then), ``12-15 12-20`` or ``12-15至12-20``."""
    joined = " ".join(words).strip()
    parts = [p for p in _SPAN_MARKS.sub(" ", joined).split() if p]
    if not parts or len(parts) > 2:
        raise DateUnreadable("malformed", joined[:30])
    days = [parse_day(p, today) for p in parts]
    return (today, days[0]) if len(days) == 1 else (days[0], days[1])


class StandIns:
    """Away spans and handovers; every change is one transaction with its audit event."""

    def __init__(self, db: Database, config: UnionConfig) -> None:
        self.db = db
        self.config = config
        self.tz = config.timezone

    def today(self) -> date:
        """The union's date now."""
        return self.db.clock().astimezone(self.tz).date()

    def days_of(self, span: Span) -> tuple[date, date]:
        """A span's first and last local day."""
        starts = datetime.fromisoformat(span.starts_at).astimezone(self.tz).date()
        return starts, last_stored_day(span.ends_at, self.tz)

    async def set_away(
        self, actor: Actor, reviewer: User, standin: User, first: date, last: date
    ) -> AwaySet:
        """``standin`` decides for ``reviewer`` from ``first`` to ``last`` (local days).

        A reviewer names their own stand-in among the union's members; an admin may name
        anyone the bot knows (say, another teacher) and arrange it for any reviewer. An
        arrangement that overlaps an earlier one of the same reviewer replaces it.
        """
        if last < first:
            raise AwayRefused(AwayProblem.BACKWARDS, first=first, last=last)
        if last < self.today():
            raise AwayRefused(AwayProblem.ENDED, last=last)
        if (last - first).days + 1 > LONGEST_DAYS:
            raise AwayRefused(AwayProblem.TOO_LONG, days=LONGEST_DAYS)
        if reviewer.user_id == standin.user_id:
            raise AwayRefused(AwayProblem.SELF)
        starts_at = stored_time(datetime.combine(first, time(), self.tz))
        ends_at = stored_day_end(last, self.tz)
        async with self.db.transaction() as tx:
            actor_roles = await users.roles_of(tx, actor.user_id)
            admin = Role.ADMIN in actor_roles
            if actor.user_id != reviewer.user_id and not admin:
                raise AwayRefused(AwayProblem.NOT_ADMIN)
            held = await users.roles_of(tx, reviewer.user_id)
            tiers = tuple(t for t in (1, 2, 3) if Role.for_tier(t) in held)
            if not tiers:
                raise AwayRefused(AwayProblem.NOT_REVIEWER, who=reviewer.name)
            if not admin and not await users.roles_of(tx, standin.user_id):
                raise AwayRefused(AwayProblem.NOT_MEMBER, who=standin.name)
            # A stand-in who is away too would pass the cards on to nobody who can act.
            if await standins.overlapping(tx, standin.user_id, starts_at, ends_at):
                raise AwayRefused(AwayProblem.STANDIN_AWAY, who=standin.name)
            at = self.db.now()
            replaced = await standins.overlapping(tx, reviewer.user_id, starts_at, ends_at)
            for old in replaced:
                await standins.cancel(tx, old.id, actor.user_id, at)
            span_id = await standins.add(
                tx, reviewer.user_id, standin.user_id, starts_at, ends_at, actor.user_id, at
            )
            await audit.append(
                tx,
                at,
                actor.user_id,
                "standin.set",
                detail={
                    "reviewer_id": reviewer.user_id,
                    "standin_id": standin.user_id,
                    "first": first.isoformat(),
                    "last": last.isoformat(),
                    "tiers": list(tiers),
                    "replaced": [old.id for old in replaced],
                },
            )
            notice = StandInNotice(span_id)
            await outbox.add(tx, at, notice.KIND, None, notice)
            span = await standins.get(tx, span_id)
        assert span is not None
        logger.info("stand-in %s for %s set", standin.user_id, reviewer.user_id)
        return AwaySet(span, first, last, tiers, replaced)

    async def end_away(self, actor: Actor, reviewer: User) -> list[Span]:
        """Call off the reviewer's arrangements in force or to come; the ones called off."""
        async with self.db.transaction() as tx:
            admin = Role.ADMIN in await users.roles_of(tx, actor.user_id)
            if actor.user_id != reviewer.user_id and not admin:
                raise AwayRefused(AwayProblem.NOT_ADMIN)
            found = await standins.listing(tx, reviewer.user_id)
            if not found:
                raise AwayRefused(AwayProblem.NOTHING, who=reviewer.name)
            at = self.db.now()
            for span in found:
                await standins.cancel(tx, span.id, actor.user_id, at)
                await audit.append(
                    tx,
                    at,
                    actor.user_id,
                    "standin.ended",
                    detail={
                        "reviewer_id": span.reviewer_id,
                        "standin_id": span.standin_id,
                        "span": span.id,
                    },
                )
        return found

    async def span(self, span_id: int) -> tuple[Span, dict[int, User]] | None:
        """One arrangement (called off or not) with the people it names."""
        async with self.db.reading() as conn:
            found = await standins.get(conn, span_id)
            if found is None:
                return None
            people = await users.get_many(conn, (found.reviewer_id, found.standin_id, found.set_by))
        return found, people

    async def listing(self) -> tuple[list[Span], dict[int, User]]:
        """Arrangements in force or to come, with the people they name."""
        async with self.db.reading() as conn:
            spans = await standins.listing(conn)
            people = await users.get_many(
                conn, [s.reviewer_id for s in spans] + [s.standin_id for s in spans]
            )
        return spans, people

    async def stands_in(self, user_id: int) -> bool:
        """Whether ``user_id`` stands in for someone now."""
        async with self.db.reading() as conn:
            return bool(await standins.covering(conn, user_id))

    async def roles_of(self, user_id: int) -> frozenset[Role]:
        """The roles ``user_id`` holds now."""
        async with self.db.reading() as conn:
            return await users.roles_of(conn, user_id)

    def in_force(self, span: Span) -> bool:
        """Whether ``span`` is in force now (rather than still to come)."""
        return span.starts_at <= self.db.now()

    async def hand_over(self, actor: Actor, draft_id: int, target: User) -> HandedOver:
        """An admin hands the draft's pending tier to ``target``, who gets a card of their own.

        The target must be able to decide it now: a holder of the tier's role or an active
        stand-in for one, never the draft's submitter or editor. Others may still decide.
        """
        async with self.db.transaction() as tx:
            if Role.ADMIN not in await users.roles_of(tx, actor.user_id):
                raise AwayRefused(AwayProblem.NOT_ADMIN)
            draft = await drafts.get(tx, draft_id)
            if draft is None:
                raise AwayRefused(AwayProblem.NOT_FOUND, id=draft_id)
            tier = draft.state.tier
            if tier is None:
                raise AwayRefused(AwayProblem.NOT_WAITING, id=draft_id, state=draft.state)
            refusal, for_whom = await deciders.check_decision(
                tx, draft, draft.version, tier, target.user_id
            )
            if refusal is not None:
                problem = {
                    Refusal.OWN_DRAFT: AwayProblem.OWN_DRAFT,
                    Refusal.EDITED_IT: AwayProblem.EDITED_IT,
                    Refusal.STANDIN_TWICE: AwayProblem.DECIDED_OTHER,
                }.get(refusal, AwayProblem.CANNOT_DECIDE)
                raise AwayRefused(problem, who=target.name, tier=tier, id=draft_id)
            at = self.db.now()
            await standins.hand_over(
                tx, draft.id, draft.version, tier, target.user_id, actor.user_id, at
            )
            detail: dict[str, object] = {"tier": tier, "to": target.user_id}
            if for_whom is not None:
                detail["on_behalf_of"] = for_whom
            await audit.append(
                tx, at, actor.user_id, "review.handover", draft.id, draft.version, detail
            )
            card = ReviewCard(draft.version, tier, chat_id=target.user_id)
            await outbox.add(tx, at, card.KIND, draft.id, card)
        return HandedOver(draft, tier, target.user_id, for_whom)
