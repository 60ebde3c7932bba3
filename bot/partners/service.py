"""Partner colleges' reposts (article 17): partners, offers, 已转载 and the weekly digest.

Telegram-free. A publication queues one offer per active partner in its own transaction
(:func:`queue_offers`); ``bot.partners.reposts`` sends the offers and the digest and reports
back here; ``commands.partners`` handles ``/partner`` and the 已转载 button.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import aiosqlite

from bot import formatting, texts
from bot.clock.timing import Timing
from bot.config import UnionConfig
from bot.members import Actor
from bot.review import render
from storage import Database, audit, drafts, outbox, reminders
from storage import partners as store
from storage.db import stored_time
from storage.models import Draft, Version
from storage.partners import Outstanding, Partner, PartnerCounts, Repost
from storage.payloads import Payload

__all__ = [
    "MAX_NAME",
    "OFFER_KIND",
    "REPOST_PREFIX",
    "Added",
    "DigestDue",
    "DigestGroup",
    "Marked",
    "Offer",
    "OfferItem",
    "PartnerService",
    "admins_digest",
    "clean_name",
    "digest_key",
    "next_digest",
    "offer_card",
    "parse_chat_id",
    "parse_ref",
    "partner_digest",
    "queue_offers",
    "repost_data",
    "repost_tap",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OfferItem(Payload):
    """One offer (the post, then the 已转载 button) to one partner (an outbox payload)."""

    repost: int


@dataclass(frozen=True, slots=True)
class DigestDue(Payload):
    """The weekly digest due at ``at`` (a reminder's payload)."""

    at: str


# The outbox kind that sends one offer (the post, then the 已转载 button) to a partner's chat.
OFFER_KIND = "repost_offer"
MAX_NAME = 40
# A digest is one message; lines past this budget are summed up as "……另有 N 篇".
_DIGEST_BUDGET = 3800

# The 已转载 button's callback data: ``rp:<repost id>``.
REPOST_PREFIX = "rp:"
_REPOST_TAP = re.compile(r"rp:([1-9]\d{0,17})")
_CHAT_ID = re.compile(r"-[1-9]\d{0,18}")
_PARTNER_NUMBER = re.compile(r"[#＃]?([1-9]\d{0,8})")


# Parsing -------------------------------------------------------------------------------------


def clean_name(text: str) -> str:
    """A partner's name with its whitespace collapsed."""
    return " ".join(text.split())


def parse_chat_id(text: str) -> int | None:
    """A group's or channel's chat id (negative, e.g. -1001234567890), or None."""
    text = text.strip().replace("－", "-")
    return int(text) if _CHAT_ID.fullmatch(text) else None


def parse_ref(text: str) -> tuple[str, int] | None:
    """``/partner del`` takes a partner's number (``3``, ``#3``) or its chat id."""
    chat_id = parse_chat_id(text)
    if chat_id is not None:
        return "chat", chat_id
    match = _PARTNER_NUMBER.fullmatch(text.strip())
    return ("id", int(match[1])) if match else None


def repost_data(repost_id: int) -> str:
    """The 已转载 button's callback data."""
    return f"{REPOST_PREFIX}{repost_id}"


def repost_tap(data: str | None) -> int | None:
    """The offer a 已转载 tap names, or None when the data is malformed."""
    match = _REPOST_TAP.fullmatch(data or "")
    return int(match[1]) if match else None


# The digest's timing -------------------------------------------------------------------------


def next_digest(after: datetime, weekday: int, at: time, tz: tzinfo) -> datetime:
    """The first ``weekday`` at ``at`` (local time) strictly after ``after``."""
    local = after.astimezone(tz)
    day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    candidate = datetime.combine(day, at, tz)
    if candidate <= local:
        candidate = datetime.combine(day + timedelta(days=7), at, tz)
    return candidate


def digest_key(due: datetime, tz: tzinfo) -> str:
    """The unique key of the digest due at ``due``: one per week and configured time."""
    return f"partners:digest:{due.astimezone(tz):%Y-%m-%dT%H:%M:%S}"


# Rendering -----------------------------------------------------------------------------------


def offer_card(union: str, draft: Draft, repost: Repost | None, tz: ZoneInfo) -> str:
    """The message under the post in a partner's chat; names who reposted once someone did."""
    done: formatting.Field = formatting.Html("")
    if repost is not None and repost.state == "reposted" and repost.reposted_at:
        done = formatting.Part(
            texts.REPOST_DONE_LINE,
            who=repost.reposted_by_name or str(repost.reposted_by),
            at=formatting.Html(formatting.fmt_time(repost.reposted_at, tz)),
        )
    return formatting.fit(
        texts.REPOST_OFFER + "{done}",
        union=union,
        title=draft.title,
        category=draft.category or formatting.Html(texts.UNSET),
        attribution=formatting.Html(render.attribution_text(draft)),
        original=formatting.Html(
            texts.CHANNEL_ORIGINAL
            if render.channel_original(draft.attribution, draft.original)
            else ""
        ),
        done=done,
    ).html


def _day(stamp: str, tz: tzinfo) -> str:
    return datetime.fromisoformat(stamp).astimezone(tz).strftime("%m-%d")


@dataclass(frozen=True, slots=True)
class DigestGroup:
    """One partner and its offers not yet reposted, oldest first."""

    partner: Partner
    items: tuple[Outstanding, ...]


def admins_digest(groups: Sequence[DigestGroup], tz: tzinfo) -> str:
    """The admins' weekly list of offers still outstanding, by partner."""
    total = sum(len(g.items) for g in groups)
    header = texts.PARTNER_DIGEST_ADMINS.format(count=total, partners=len(groups))
    lines: list[str] = []
    for group in groups:
        lines.append(
            texts.PARTNER_DIGEST_SECTION.format(
                id=group.partner.id, name=formatting.e(group.partner.name), count=len(group.items)
            )
        )
        lines += [
            texts.PARTNER_DIGEST_LINE.format(
                draft=item.draft_id, title=formatting.e(item.title), at=_day(item.sent_at, tz)
            )
            for item in group.items
        ]
    return (
        header
        + "\n"
        + formatting.fit_lines(
            lines, _DIGEST_BUDGET - formatting.visible_units(header), texts.PARTNER_DIGEST_MORE
        )
    )


def partner_digest(union: str, group: DigestGroup, tz: tzinfo) -> str:
    """What one partner's chat is reminded of: its own outstanding posts only."""
    lines = [
        texts.PARTNER_DIGEST_PARTNER_LINE.format(
            title=formatting.e(item.title), at=_day(item.sent_at, tz)
        )
        for item in group.items
    ]
    return formatting.fit(
        texts.PARTNER_DIGEST_PARTNER,
        union=union,
        count=len(group.items),
        lines=formatting.Html(
            formatting.fit_lines(
                lines,
                _DIGEST_BUDGET - formatting.visible_units(texts.PARTNER_DIGEST_PARTNER),
                texts.PARTNER_DIGEST_MORE,
            )
        ),
    ).html


# Queued with the publication -----------------------------------------------------------------


async def queue_offers(tx: aiosqlite.Connection, draft_id: int, at: str) -> list[int]:
    """Inside a publication's transaction: one pending repost and one outbox item per partner."""
    queued: list[int] = []
    partner_ids: list[int] = []
    for partner in await store.active(tx):
        repost_id = await store.queue(tx, partner.id, draft_id, at)
        if repost_id is None:
            continue
        await outbox.add(tx, at, OFFER_KIND, draft_id, OfferItem(repost_id))
        queued.append(repost_id)
        partner_ids.append(partner.id)
    if queued:
        await audit.append(tx, at, None, "repost.queued", draft_id, None, {"partners": partner_ids})
    return queued


# The service ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Added:
    """What ``/partner add`` did: ``added``, ``restored`` or ``exists``."""

    outcome: str
    partner: Partner


@dataclass(frozen=True, slots=True)
class Offer:
    """Everything sending one offer needs."""

    repost: Repost
    partner: Partner
    draft: Draft
    version: Version


@dataclass(frozen=True, slots=True)
class Marked:
    """What a 已转载 tap did: ``done``, ``already`` or ``forged`` (nothing changed)."""

    outcome: str
    repost: Repost | None = None
    draft: Draft | None = None


class PartnerService:
    """Partners, their offers and the weekly digest, over the database."""

    def __init__(self, db: Database, timing: Timing, config: UnionConfig) -> None:
        self.db = db
        self.config = config
        self.tz = timing.tz

    def own_chats(self) -> frozenset[int]:
        """The union's own chats, which are never partners."""
        chats = self.config.chats
        found = {chats.channel, chats.editors, chats.tier1, chats.tier2, chats.tier3}
        found |= {chats.admins, chats.inbox}
        return frozenset(c for c in found if c is not None)

    async def add(self, actor: Actor, chat_id: int, name: str) -> Added:
        """Register a chat as a partner (or restore a removed one)."""
        async with self.db.transaction() as tx:
            at = self.db.now()
            partner, outcome = await store.add(tx, chat_id, name, actor.user_id, at)
            if outcome != "exists":
                await audit.append(
                    tx,
                    at,
                    actor.user_id,
                    f"partner.{outcome}",
                    detail={"partner": partner.id, "chat_id": chat_id, "name": name},
                )
        await self.ensure_digest()
        return Added(outcome, partner)

    async def find(self, kind: str, value: int) -> Partner | None:
        """A partner by number (``id``) or chat id (``chat``), removed or not."""
        async with self.db.reading() as conn:
            if kind == "chat":
                return await store.by_chat(conn, value)
            return await store.get(conn, value)

    async def remove(self, actor: Actor, partner: Partner) -> bool:
        """Stop offering posts to a partner; offers not yet sent are settled as failed."""
        async with self.db.transaction() as tx:
            at = self.db.now()
            if not await store.remove(tx, partner.id, at):
                return False
            settled = await store.fail_pending_of(tx, partner.id, "partner removed")
            await audit.append(
                tx,
                at,
                actor.user_id,
                "partner.removed",
                detail={
                    "partner": partner.id,
                    "chat_id": partner.chat_id,
                    "name": partner.name,
                    "unsent": settled,
                },
            )
        # The last partner gone: its digest goes too.
        await self.ensure_digest()
        return True

    async def listing(self) -> list[PartnerCounts]:
        """Active partners with their offers counted."""
        async with self.db.reading() as conn:
            return await store.counts(conn)

    # Offers ------------------------------------------------------------------------------

    async def offer(self, repost_id: int) -> Offer | None:
        """An offer with its partner, draft and the version published, if all still exist."""
        async with self.db.reading() as conn:
            repost = await store.repost(conn, repost_id)
            if repost is None:
                return None
            partner = await store.get(conn, repost.partner_id)
            draft = await drafts.get(conn, repost.draft_id)
            published = await drafts.publication(conn, repost.draft_id)
            version = (
                await drafts.get_version(conn, repost.draft_id, published.version)
                if published is not None
                else None
            )
        if partner is None or draft is None or version is None:
            return None
        return Offer(repost, partner, draft, version)

    async def copy_sent(self, repost_id: int, chat_id: int, message_id: int) -> None:
        """The post went out; a retry only sends the button message."""
        async with self.db.transaction() as tx:
            await store.record_copy(tx, repost_id, chat_id, message_id)

    async def offered(
        self, repost: Repost, partner: Partner, chat_id: int, message_id: int
    ) -> bool:
        """The button message is in the partner's chat."""
        async with self.db.transaction() as tx:
            done = await store.mark_offered(tx, repost.id, chat_id, message_id, self.db.now())
            await store.set_reachable(tx, partner.id)
        return done

    async def failed(self, repost: Repost, partner: Partner, error: str, reachable: bool) -> bool:
        """The offer could not be sent; True when the admins should hear of this chat now.

        ``reachable`` is False when the chat itself refused (the bot was removed, the chat is
        gone): the admins are told once per outage, not once per post.
        """
        async with self.db.transaction() as tx:
            at = self.db.now()
            if not await store.mark_failed(tx, repost.id, error):
                return False
            await audit.append(
                tx,
                at,
                None,
                "repost.failed",
                repost.draft_id,
                None,
                {"partner": partner.id, "chat_id": partner.chat_id, "error": error[:300]},
            )
            return not reachable and await store.set_unreachable(tx, partner.id, at)

    async def unreachable(self, partner: Partner, error: str) -> bool:
        """A message to the partner's chat was refused; True the first time (tell the admins)."""
        async with self.db.transaction() as tx:
            at = self.db.now()
            first = await store.set_unreachable(tx, partner.id, at)
            if first:
                await audit.append(
                    tx,
                    at,
                    None,
                    "partner.unreachable",
                    detail={"partner": partner.id, "chat_id": partner.chat_id, "error": error},
                )
        return first

    async def reachable(self, partner: Partner) -> None:
        """A message to the partner's chat got through."""
        async with self.db.transaction() as tx:
            await store.set_reachable(tx, partner.id)

    async def moved(self, partner: Partner, chat_id: int) -> bool:
        """The partner's group became a supergroup with a new id; False if that id is taken."""
        async with self.db.transaction() as tx:
            if not await store.move_chat(tx, partner.id, chat_id):
                return False
            await audit.append(
                tx,
                self.db.now(),
                None,
                "partner.moved",
                detail={"partner": partner.id, "from": partner.chat_id, "to": chat_id},
            )
        return True

    async def mark_reposted(
        self, actor: Actor, repost_id: int, chat_id: int, message_id: int | None
    ) -> Marked:
        """已转载 pressed in ``chat_id``: recorded once, refused from any other chat."""
        async with self.db.transaction() as tx:
            repost = await store.repost(tx, repost_id)
            if repost is None:
                return Marked("forged")
            partner = await store.get(tx, repost.partner_id)
            # Where the offer went, or (if its send was never recorded) the partner's chat.
            if partner is None or chat_id not in (repost.chat_id, partner.chat_id):
                return Marked("forged", repost)
            # The button lives on the offer it was sent with; its data on another message of
            # that chat is forged.
            sent_on = (repost.chat_id, repost.message_id)
            if sent_on[1] is not None and chat_id == sent_on[0] and message_id != sent_on[1]:
                return Marked("forged", repost)
            draft = await drafts.get(tx, repost.draft_id)
            if repost.state == "reposted":
                return Marked("already", repost, draft)
            at = self.db.now()
            if not await store.mark_reposted(
                tx, repost.id, actor.user_id, actor.name, at, chat_id, message_id
            ):
                return Marked("already", repost, draft)
            await audit.append(
                tx,
                at,
                actor.user_id,
                "repost.marked",
                repost.draft_id,
                None,
                {
                    "repost": repost.id,
                    "partner": partner.id,
                    "chat_id": chat_id,
                    "name": actor.name[:100],
                },
            )
            updated = await store.repost(tx, repost.id)
        return Marked("done", updated, draft)

    # The weekly digest -------------------------------------------------------------------

    async def digest(self) -> list[DigestGroup]:
        """Active partners with offers not yet reposted; empty when nothing is outstanding."""
        async with self.db.reading() as conn:
            items = await store.outstanding(conn)
            partners = {p.id: p for p in await store.active(conn)}
        groups: dict[int, list[Outstanding]] = {}
        for item in items:
            groups.setdefault(item.partner_id, []).append(item)
        return [
            DigestGroup(partners[pid], tuple(found))
            for pid, found in groups.items()
            if pid in partners
        ]

    async def ensure_digest(self) -> datetime | None:
        """Schedule the next weekly digest (once); returns when it is due, None when off.

        Only while there are partners: a union without any has no digest row at all.
        """
        spec = self.config.partners
        async with self.db.transaction() as tx:
            at = self.db.now()
            if spec.digest_weekday is None or not await store.active(tx):
                await store.skip_other_digests(tx, None, at)
                return None
            due = next_digest(self.db.clock(), spec.digest_weekday, spec.digest_time, self.tz)
            key = digest_key(due, self.tz)
            await store.skip_other_digests(tx, key, at)
            # Switching the digest off and on (or removing the last partner and adding one) in
            # the same week brings that week's skipped digest back.
            await reminders.add(
                tx,
                store.DIGEST_KIND,
                key,
                stored_time(due),
                payload=DigestDue(due.isoformat()),
                revive_skipped=True,
            )
        return due
