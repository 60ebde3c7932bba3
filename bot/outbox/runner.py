"""Sends what the outbox holds: cards, notices, publications; retries what failed.

Runs after every committed action and on a timer, and once at start-up, so a crash between
a state change and its messages only delays them. Deliveries check the draft's state when
they run, so an outdated one (a card for a tier already passed) is settled without sending.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiosqlite
from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot import formatting, texts
from bot.partners.service import queue_offers
from bot.review import keyboards, render
from bot.review.service import Pipeline, Stage
from storage import audit, cards, drafts, lexicon, outbox, users
from storage.drafts import PublicationRefused
from storage.models import REVIEW_STATES, Draft, DraftState, OutboxItem, Role, Version

__all__ = ["Delivery", "fingerprint", "post_as_channel"]

logger = logging.getLogger(__name__)

# Where an urgent draft's heads-up still helps the reviewers.
_URGENT_WAITING = frozenset({DraftState.INTAKE, DraftState.EDITING, *REVIEW_STATES})

MAX_ATTEMPTS = 8


class _Permanent(Exception):
    """A delivery that cannot succeed by retrying (the chat is gone, the bot was blocked)."""


@dataclass(frozen=True, slots=True)
class _Sent:
    chat_id: int
    message_id: int
    rendered: str = ""


def fingerprint(html: str, markup: InlineKeyboardMarkup | None) -> str:
    """What a card shows, so an edit that would change nothing is never sent."""
    buttons = markup.to_json() if markup is not None else ""
    return hashlib.sha256(f"{html}\x00{buttons}".encode()).hexdigest()


class Delivery:
    """The outbox's sender."""

    def __init__(self, bot: Bot, pipeline: Pipeline) -> None:
        self.bot = bot
        self.pipeline = pipeline
        self.db = pipeline.db
        self.config = pipeline.config
        self._lock = asyncio.Lock()
        # Called after each flush, so a reminder planned by the action is armed at once.
        self.on_flushed: Callable[[], Awaitable[None]] | None = None
        # Outbox kinds a feature registers (they need no draft): the sender sends, then the item
        # is marked done; Forbidden/BadRequest give up (admins told), other errors retry.
        self.senders: dict[str, Callable[[OutboxItem], Awaitable[None]]] = {}

    async def flush(self) -> int:
        """Send every pending delivery once; returns how many were settled."""
        settled = 0
        tried: set[int] = set()
        async with self._lock:
            # Deliveries queue further ones (a publication queues its notice): keep going
            # until nothing is left that this flush has not tried.
            while True:
                async with self.db.reading() as conn:
                    items = [i for i in await outbox.pending(conn) if i.id not in tried]
                if not items:
                    break
                for item in items:
                    tried.add(item.id)
                    if await self._run(item):
                        settled += 1
        if self.on_flushed is not None:
            await self.on_flushed()
        return settled

    async def _run(self, item: OutboxItem) -> bool:
        try:
            await self._perform(item)
        except RetryAfter as exc:
            logger.warning(
                "outbox %s (%s): rate limited, retry after %s", item.id, item.kind, exc.retry_after
            )
            await self._failed(item, f"retry after {exc.retry_after}")
            return False
        except (_Permanent, Forbidden, BadRequest) as exc:
            logger.error("outbox %s (%s) failed for good: %s", item.id, item.kind, exc)
            await self._give_up(item, str(exc))
            return True
        except (NetworkError, TelegramError, OSError) as exc:
            logger.warning("outbox %s (%s) failed, will retry: %s", item.id, item.kind, exc)
            if item.attempts + 1 >= MAX_ATTEMPTS:
                await self._give_up(item, str(exc))
                return True
            await self._failed(item, str(exc))
            return False
        return True

    async def _failed(self, item: OutboxItem, error: str) -> None:
        async with self.db.transaction() as tx:
            await outbox.mark_failed(tx, item.id, error)

    async def _give_up(self, item: OutboxItem, error: str) -> None:
        async with self.db.transaction() as tx:
            await outbox.mark_done(tx, item.id, self.db.now())
            await audit.append(
                tx,
                self.db.now(),
                None,
                "delivery.failed",
                item.draft_id,
                None,
                {"kind": item.kind, "error": error[:300]},
            )
        what = texts.DELIVERY_KINDS.get(item.kind, item.kind)
        template = (
            texts.DELIVERY_FAILED_ADMINS
            if item.draft_id is not None
            else texts.DELIVERY_FAILED_ADMINS_NO_DRAFT
        )
        await self.tell_admins(
            template.format(id=item.draft_id, kind=what, error=formatting.e(error[:300]))
        )

    async def tell_admins(self, html: str) -> None:
        """Alert the admins' chat; a failure is logged, never raised (it is already an alert)."""
        chat = self.config.chats.admins
        if chat is None:
            logger.warning("no admins' chat to tell: %s", html)
            return
        try:
            await self.bot.send_message(chat, html, parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            logger.error("could not alert the admins' chat: %s", exc)

    async def _done(self, item: OutboxItem) -> None:
        async with self.db.transaction() as tx:
            await outbox.mark_done(tx, item.id, self.db.now())

    async def _perform(self, item: OutboxItem) -> None:
        sender = self.senders.get(item.kind)
        if sender is not None:
            await sender(item)
            await self._done(item)
            return
        handler = {
            "editing_card": self._editing_card,
            "review_card": self._review_card,
            "refresh": self._refresh,
            "notify": self._notify,
            "publish": self._publish,
            "publish_card": self._publish_card,
        }.get(item.kind)
        if handler is None or item.draft_id is None:
            logger.error("outbox %s has an unknown kind %r; dropped", item.id, item.kind)
            await self._done(item)
            return
        await handler(item, item.draft_id)

    # Loading --------------------------------------------------------------------------------

    async def load(
        self, draft_id: int, version: int | None = None, others: tuple[int, ...] = ()
    ) -> tuple[Draft, Version, formatting.Names]:
        """A draft, one of its versions (the current by default) and the names to render it
        (its people's, and those of ``others``)."""
        async with self.db.reading() as conn:
            draft = await drafts.get(conn, draft_id)
            if draft is None:
                raise _Permanent(f"draft {draft_id} is gone")
            found = await drafts.get_version(conn, draft_id, version or draft.version)
            if found is None:
                raise _Permanent(f"draft {draft_id} has no version {version}")
            ids = {draft.submitter_id, draft.editor_id, *others}
            ids.update(d.reviewer_id for d in await drafts.decisions(conn, draft_id, found.number))
            people = await users.get_many(conn, ids)
        return draft, found, formatting.Names(people, self.config.timezone)

    async def _send_content(self, chat_id: int, draft: Draft, version: Version) -> bool:
        """The draft's file (or its full text, when long) ahead of a card; True if sent."""
        caption = texts.ATTACHMENT_CAPTION.format(id=draft.id, version=version.number)
        if version.file_kind == "document" and version.file_id:
            await self.bot.send_document(chat_id, version.file_id, caption=caption)
            return True
        if version.file_kind == "photo" and version.file_id:
            await self.bot.send_photo(chat_id, version.file_id, caption=caption)
        if len(version.body) > render.CARD_EXCERPT_CHARS:
            await self.bot.send_document(
                chat_id,
                InputFile(
                    version.body.encode("utf-8"),
                    filename=texts.FULL_TEXT_FILE.format(id=draft.id, version=version.number),
                ),
                caption=texts.FULL_TEXT_CAPTION.format(id=draft.id, version=version.number),
            )
            return True
        return False

    async def _send_card(
        self, chat_id: int, html: str, markup: InlineKeyboardMarkup | None
    ) -> _Sent:
        message: Message = await self.bot.send_message(
            chat_id, html, parse_mode=ParseMode.HTML, reply_markup=markup
        )
        return _Sent(message.chat_id, message.message_id, fingerprint(html, markup))

    async def _record(
        self, item: OutboxItem, draft: Draft, version: int, stage: str, sent: list[_Sent]
    ) -> None:
        async with self.db.transaction() as tx:
            at = self.db.now()
            for card in sent:
                await cards.add_card(
                    tx, draft.id, version, stage, card.chat_id, card.message_id, at, card.rendered
                )
            await outbox.mark_done(tx, item.id, at)

    @staticmethod
    async def _warnings(
        conn: aiosqlite.Connection, draft_id: int, version: int
    ) -> list[dict[str, object]]:
        found = await lexicon.screening(conn, draft_id, version)
        return found.hits if found is not None and found.verdict == "warn" else []

    # Cards ----------------------------------------------------------------------------------

    async def _editing_card(self, item: OutboxItem, draft_id: int) -> None:
        draft, version, names = await self.load(draft_id)
        chat = self.config.chats.editors
        if draft.state is not DraftState.EDITING or chat is None:
            await self._done(item)
            return
        await self._send_content(chat, draft, version)
        sent = await self._send_card(
            chat, render.editing_card(draft, names), keyboards.editing(draft)
        )
        await self._record(item, draft, draft.version, Stage.EDITING, [sent])

    async def _review_targets(self, draft: Draft, tier: int) -> list[int]:
        async with self.db.reading() as conn:
            return await users.chat_or_holders(
                conn,
                self.config.chats.tier(tier),
                Role.for_tier(tier),
                (draft.submitter_id, draft.editor_id),
            )

    async def _review_card(self, item: OutboxItem, draft_id: int) -> None:
        tier = int(str(item.payload["tier"]))
        number = int(str(item.payload["version"]))
        draft, version, names = await self.load(draft_id, number)
        if draft.state is not DraftState.review(tier) or draft.version != number:
            await self._done(item)
            return
        async with self.db.reading() as conn:
            decisions = await drafts.decisions(conn, draft_id, number)
            warnings = await self._warnings(conn, draft_id, number)
        sent: list[_Sent] = []
        failures: list[str] = []
        for chat_id in await self._review_targets(draft, tier):
            try:
                long_text = await self._send_content(chat_id, draft, version)
                html = render.review_card(
                    draft, version, tier, decisions, names, long_text, warnings
                )
                sent.append(
                    await self._send_card(chat_id, html, keyboards.review(draft.id, number, tier))
                )
            except (Forbidden, BadRequest) as exc:
                # One reviewer who never opened a chat with the bot must not hold up the others.
                logger.warning("review card for #%s to %s failed: %s", draft.id, chat_id, exc)
                failures.append(f"{chat_id}: {exc}")
        if not sent:
            raise _Permanent("; ".join(failures) or "no reviewer for this tier")
        await self._record(item, draft, number, Stage.review(tier), sent)
        if failures:
            await self.tell_admins(
                texts.DELIVERY_FAILED_ADMINS.format(
                    id=draft.id, kind=item.kind, error=formatting.e("; ".join(failures))
                )
            )

    async def _publish_card(self, item: OutboxItem, draft_id: int) -> None:
        draft, _, names = await self.load(draft_id)
        if draft.state is not DraftState.APPROVED:
            await self._done(item)
            return
        chat = self.config.chats.editors or self.config.chats.admins
        async with self.db.reading() as conn:
            targets = await users.chat_or_holders(conn, chat, Role.ADMIN)
        sent = [
            await self._send_card(
                chat, render.publish_card(draft, names, None, None), keyboards.publish(draft)
            )
            for chat in targets
        ]
        await self._record(item, draft, draft.version, Stage.PUBLISH, sent)

    async def _refresh(self, item: OutboxItem, draft_id: int) -> None:
        edited = await self._edit_cards(draft_id, str(item.payload["stage"]))
        async with self.db.transaction() as tx:
            for card_id, rendered in edited:
                await cards.set_rendered(tx, card_id, rendered)
            await outbox.mark_done(tx, item.id, self.db.now())

    async def refresh_now(self, draft_id: int, stage: str) -> None:
        """Edit every card of a draft's ``stage`` to show where the draft stands now."""
        edited = await self._edit_cards(draft_id, stage)
        if edited:
            async with self.db.transaction() as tx:
                for card_id, rendered in edited:
                    await cards.set_rendered(tx, card_id, rendered)

    async def _edit_cards(self, draft_id: int, stage: str) -> list[tuple[int, str]]:
        """Edit the cards whose view changed; returns (card, fingerprint) of those edited."""
        async with self.db.reading() as conn:
            found = await cards.cards_for(conn, draft_id, stage=stage)
        edited: list[tuple[int, str]] = []
        for card in found:
            draft, version, names = await self.load(draft_id, card.version)
            html, markup = await self._card_view(stage, draft, version, names)
            rendered = fingerprint(html, markup)
            if rendered == card.rendered:
                continue
            try:
                await self.bot.edit_message_text(
                    html,
                    card.chat_id,
                    card.message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
            except BadRequest as exc:
                text = str(exc).lower()
                if "not modified" not in text and "not found" not in text:
                    raise
            edited.append((card.id, rendered))
        return edited

    async def _card_view(
        self, stage: str, draft: Draft, version: Version, names: formatting.Names
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        current = draft.version == version.number
        if stage == Stage.INTAKE:
            if draft.state is DraftState.INTAKE:
                return render.intake_card(draft, version), keyboards.intake(draft)
            if draft.state is DraftState.WITHDRAWN:
                return texts.INTAKE_CANCELLED.format(id=draft.id), None
            return (
                texts.INTAKE_SUBMITTED.format(
                    id=draft.id,
                    title=formatting.e(draft.title),
                    version=draft.version,
                    state=texts.STATE_NAMES[draft.state],
                ),
                None,
            )
        if stage == Stage.EDITING:
            markup = keyboards.editing(draft) if draft.state is DraftState.EDITING else None
            return render.editing_card(draft, names), markup
        if stage == Stage.PUBLISH:
            async with self.db.reading() as conn:
                pub = await drafts.publication(conn, draft.id)
            markup = keyboards.publish(draft) if draft.state is DraftState.APPROVED else None
            return (
                render.publish_card(
                    draft,
                    names,
                    pub.published_by if pub else None,
                    pub.published_at if pub else None,
                ),
                markup,
            )
        tier = int(stage.rsplit("_", 1)[1])
        async with self.db.reading() as conn:
            decisions = await drafts.decisions(conn, draft.id, version.number)
            warnings = await self._warnings(conn, draft.id, version.number)
        html = render.review_card(
            draft,
            version,
            tier,
            decisions,
            names,
            len(version.body) > render.CARD_EXCERPT_CHARS or version.file_kind == "document",
            warnings,
        )
        open_now = current and draft.state is DraftState.review(tier)
        return html, keyboards.review(draft.id, version.number, tier) if open_now else None

    # Notices --------------------------------------------------------------------------------

    async def _notify(self, item: OutboxItem, draft_id: int) -> None:
        payload = item.payload
        chat_id = int(str(payload["chat_id"]))
        who = payload.get("who")
        # Whoever acted (an admin withdrawing, flagging urgent) is named, not numbered.
        draft, version, names = await self.load(draft_id, others=(int(str(who)),) if who else ())
        event = str(payload["event"])
        title = formatting.e(draft.title)
        tier = int(str(payload.get("tier") or 0))
        if event == "progress":
            async with self.db.reading() as conn:
                decided = [
                    d
                    for d in await drafts.decisions(conn, draft_id, version.number)
                    if d.tier == tier
                ]
            html = texts.PROGRESS.format(
                id=draft.id,
                title=title,
                tier=tier,
                tier_name=texts.TIER_NAMES[tier],
                reviewer=names(decided[0].reviewer_id) if decided else texts.NOBODY,
                state=texts.STATE_NAMES[DraftState.review(tier + 1)],
            )
        elif event == "approved":
            html = texts.ALL_APPROVED.format(
                id=draft.id,
                title=title,
                next=texts.NEXT_AUTO if self.config.auto_publish else texts.NEXT_MANUAL,
            )
        elif event == "rejected":
            async with self.db.reading() as conn:
                rejected_version = int(str(payload.get("version") or version.number))
                decided = [
                    d
                    for d in await drafts.decisions(conn, draft_id, rejected_version)
                    if d.tier == tier
                ]
            decision = decided[0] if decided else None
            html = texts.REJECTED_NOTICE.format(
                id=draft.id,
                title=title,
                version=rejected_version,
                tier=tier,
                tier_name=texts.TIER_NAMES.get(tier, ""),
                reviewer=names(decision.reviewer_id) if decision else texts.NOBODY,
                criteria=render.criteria_text(decision.criteria) if decision else texts.NO_CRITERIA,
                reason=formatting.e(decision.reason) if decision else "",
            )
        elif event == "sent":
            html = texts.SENT_NOTICE.format(id=draft.id, title=title, editor=names(draft.editor_id))
        elif event == "withdrawn":
            html = texts.WITHDRAWN_NOTICE.format(
                id=draft.id, title=title, who=names(int(str(who)) if who else None)
            )
        elif event == "published":
            html = texts.PUBLISHED_NOTICE.format(id=draft.id, title=title)
        elif event == "urgent":
            if not draft.urgent or draft.state not in _URGENT_WAITING:
                # Unflagged, decided or withdrawn before the heads-up went out.
                await self._done(item)
                return
            html = texts.URGENT_HEADS_UP.format(
                id=draft.id,
                title=title,
                category=formatting.e(draft.category) or texts.UNSET,
                attribution=render.attribution_text(draft),
                state=texts.STATE_NAMES[draft.state],
                tier=tier,
                tier_name=texts.TIER_NAMES[tier],
                hours=f"{self.config.reminders.urgent_deadline_hours:g}",
            )
        elif event == "urgent_set":
            html = texts.URGENT_SET_NOTICE.format(
                id=draft.id,
                title=title,
                who=names(int(str(who)) if who else None),
                hours=f"{self.config.reminders.urgent_deadline_hours:g}",
            )
        elif event in ("blocked_at_publish", "admins_blocked"):
            async with self.db.reading() as conn:
                found = await lexicon.screening(conn, draft_id, version.number, "publish")
            template = (
                texts.BLOCKED_AT_PUBLISH_NOTICE
                if event == "blocked_at_publish"
                else texts.ADMINS_BLOCKED_AT_PUBLISH
            )
            html = template.format(
                id=draft.id, title=title, hits=formatting.hit_lines(found.hits if found else [])
            )
        else:
            logger.error("unknown notice %r", event)
            await self._done(item)
            return
        try:
            message = await self.bot.send_message(chat_id, html, parse_mode=ParseMode.HTML)
        except Forbidden as exc:
            raise _Permanent(f"chat {chat_id}: {exc}") from exc
        async with self.db.transaction() as tx:
            if "prompt_id" in payload:
                await cards.set_prompt_message(
                    tx, int(str(payload["prompt_id"])), message.message_id
                )
            await outbox.mark_done(tx, item.id, self.db.now())

    # Publishing -----------------------------------------------------------------------------

    async def _publish(self, item: OutboxItem, draft_id: int) -> None:
        number = int(str(item.payload["version"]))
        by = item.payload.get("by")
        by_id = int(str(by)) if by is not None else None
        async with self.db.reading() as conn:
            current = await drafts.get(conn, draft_id)
        if (
            current is not None
            and current.state is DraftState.APPROVED
            and not await self.pipeline.screen_before_publish(draft_id, number)
        ):
            await self._done(item)
            return
        async with self.db.transaction() as tx:
            draft = await drafts.get(tx, draft_id)
            if draft is None or draft.version != number:
                await outbox.mark_done(tx, item.id, self.db.now())
                return
            at = self.db.now()
            if draft.state is DraftState.APPROVED:
                try:
                    started = await drafts.begin_publication(tx, draft_id, number, by_id, at)
                except PublicationRefused as exc:
                    await audit.append(
                        tx, at, by_id, "publish.refused", draft_id, number, {"error": str(exc)}
                    )
                    await outbox.mark_done(tx, item.id, at)
                    logger.error("publication of #%s refused: %s", draft_id, exc)
                    return
                if started:
                    await audit.append(tx, at, by_id, "publish.started", draft_id, number)
            elif draft.state is not DraftState.PUBLISHING:
                await outbox.mark_done(tx, item.id, at)
                return
        draft, version, _ = await self.load(draft_id, number)
        channel = self.config.chats.channel
        try:
            first = await self._post(channel, draft, version)
        except (Forbidden, BadRequest) as exc:
            await self.tell_admins(
                texts.PUBLISH_FAILED_ADMINS.format(id=draft_id, error=formatting.e(str(exc)))
            )
            # A channel misconfiguration is fixed by an admin; keep retrying until then.
            raise NetworkError(str(exc)) from exc
        async with self.db.transaction() as tx:
            at = self.db.now()
            if await drafts.finish_publication(tx, draft_id, first.chat_id, first.message_id, at):
                await audit.append(
                    tx,
                    at,
                    by_id,
                    "publish.done",
                    draft_id,
                    number,
                    {"chat_id": first.chat_id, "message_id": first.message_id},
                )
                await outbox.add(
                    tx,
                    at,
                    "notify",
                    draft_id,
                    {"event": "published", "chat_id": draft.origin_chat_id},
                )
                await outbox.add(tx, at, "refresh", draft_id, {"stage": Stage.PUBLISH})
                # Article 17: each partner's chat is offered the post (bot.reposts sends it).
                await queue_offers(tx, draft_id, at)
            await outbox.mark_done(tx, item.id, at)

    async def _post(self, channel: int, draft: Draft, version: Version) -> _Sent:
        first = await post_as_channel(self.bot, channel, draft, version)
        return _Sent(first.chat_id, first.message_id)


async def post_as_channel(bot: Bot, chat_id: int, draft: Draft, version: Version) -> Message:
    """The post as the channel shows it (text in chunks, or the file with its caption); its first
    message. Partners get their copy the same way."""
    if version.file_kind == "document" and version.file_id:
        return await bot.send_document(
            chat_id,
            version.file_id,
            caption=render.channel_caption(draft, version),
            parse_mode=ParseMode.HTML,
        )
    if version.file_kind == "photo" and version.file_id:
        return await bot.send_photo(
            chat_id,
            version.file_id,
            caption=render.channel_caption(draft, version),
            parse_mode=ParseMode.HTML,
        )
    first: Message | None = None
    for chunk in render.channel_post_chunks(draft, version):
        message = await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML)
        first = first or message
    assert first is not None
    return first
