"""Partner reposts on Telegram: the offer each partner chat gets, and the weekly digest.

An offer is an outbox item queued with the publication: the post itself (rendered as in the
channel, so it names the attribution) and under it a message with the 已转载 button. A
partner chat that refuses (the bot was removed, the chat is gone) settles the offer as failed
at once, with no retries, and the admins hear of that chat once per outage.
"""

from __future__ import annotations

import logging

import aiosqlite
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot import formatting, texts
from bot.outbox.runner import Delivery
from bot.partners.service import (
    OFFER_KIND,
    DigestGroup,
    Offer,
    OfferItem,
    PartnerService,
    admins_digest,
    offer_card,
    partner_digest,
    queue_offers,
    repost_data,
)
from bot.reminders.scheduler import ReminderScheduler, Unreachable
from bot.review.publishing import Publisher, post_as_channel
from storage.models import Draft, OutboxItem, Version
from storage.partners import DIGEST_KIND, Partner
from storage.reminders import Reminder

__all__ = ["Reposts", "repost_keyboard"]

logger = logging.getLogger(__name__)

# Errors that mean the partner's chat itself refuses the bot, rather than the message.
_CHAT_REFUSALS = (
    "chat not found",
    "not enough rights",
    "have no rights",
    "need administrator rights",
    "chat_write_forbidden",
    "deactivated",
    "not a member",
)


def repost_keyboard(repost_id: int) -> InlineKeyboardMarkup:
    """The 已转载 button under an offer."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.BUTTON_REPOSTED, callback_data=repost_data(repost_id))]]
    )


def _chat_refused(exc: TelegramError) -> bool:
    if isinstance(exc, Forbidden):
        return True
    text = str(exc).lower()
    return any(fragment in text for fragment in _CHAT_REFUSALS)


class Reposts:
    """Sends offers (an outbox kind) and the weekly digest (a reminder kind)."""

    def __init__(
        self,
        bot: Bot,
        partners: PartnerService,
        scheduler: ReminderScheduler,
        delivery: Delivery,
    ) -> None:
        self.bot = bot
        self.partners = partners
        self.scheduler = scheduler
        self.delivery = delivery
        self.tell_admins = delivery.tell_admins
        self.config = partners.config
        self.tz = partners.tz

    def register(self, publisher: Publisher) -> None:
        """Offer every publication to the partners; handle the ``repost_offer`` outbox kind and
        the ``partner_digest`` reminders."""
        publisher.after_publish.append(self._offer_publication)
        self.delivery.register(OFFER_KIND, self.send_offer)
        self.scheduler.handlers[DIGEST_KIND] = self.digest

    @staticmethod
    async def _offer_publication(tx: aiosqlite.Connection, draft_id: int, at: str) -> None:
        # Article 17: each partner's chat is offered the post, in the publication's transaction.
        await queue_offers(tx, draft_id, at)

    # Sending to a partner ----------------------------------------------------------------

    async def _to_partner(
        self,
        partner: Partner,
        html: str,
        markup: InlineKeyboardMarkup | None = None,
        reply_to: int | None = None,
    ) -> tuple[Partner, Message]:
        """Send to the partner's chat, following it once if the group became a supergroup."""
        try:
            sent = await self.bot.send_message(
                partner.chat_id,
                html,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                reply_to_message_id=reply_to,
                allow_sending_without_reply=True,
            )
        except ChatMigrated as exc:
            partner = await self._follow(partner, exc)
            sent = await self.bot.send_message(
                partner.chat_id, html, parse_mode=ParseMode.HTML, reply_markup=markup
            )
        return partner, sent

    async def _follow(self, partner: Partner, exc: ChatMigrated) -> Partner:
        if not await self.partners.moved(partner, exc.new_chat_id):
            raise BadRequest(f"group upgraded to {exc.new_chat_id}, already another partner")
        found = await self.partners.find("id", partner.id)
        assert found is not None
        return found

    async def _post(self, partner: Partner, draft: Draft, version: Version) -> tuple[Partner, int]:
        """The post as the channel shows it; returns the partner (it may have moved) and its id."""
        try:
            return partner, await self._post_to(partner.chat_id, draft, version)
        except ChatMigrated as exc:
            partner = await self._follow(partner, exc)
            return partner, await self._post_to(partner.chat_id, draft, version)

    async def _post_to(self, chat_id: int, draft: Draft, version: Version) -> int:
        return (await post_as_channel(self.bot, chat_id, draft, version)).message_id

    async def _unreachable(self, partner: Partner, error: str) -> None:
        await self.tell_admins(
            formatting.error_alert(
                texts.PARTNER_UNREACHABLE_ADMINS,
                error,
                id=partner.id,
                name=partner.name,
                chat=partner.chat_id,
            )
        )

    # The offer ---------------------------------------------------------------------------

    async def send_offer(self, item: OutboxItem) -> None:
        """One outbox item: the post, then the 已转载 button, to one partner's chat."""
        offer = await self.partners.offer(OfferItem.read(item.payload).repost)
        if offer is None or offer.repost.state != "pending":
            return
        repost, partner = offer.repost, offer.partner
        if partner.removed_at is not None:
            await self.partners.failed(repost, partner, "partner removed", reachable=True)
            return
        try:
            await self._deliver(offer)
        except RetryAfter:
            raise
        except (Forbidden, BadRequest) as exc:
            refused = _chat_refused(exc)
            if await self.partners.failed(repost, partner, str(exc), reachable=not refused):
                await self._unreachable(partner, str(exc))
            elif not refused:
                await self.tell_admins(
                    formatting.error_alert(
                        texts.DELIVERY_FAILED_ADMINS,
                        str(exc),
                        id=repost.draft_id,
                        kind=formatting.Html(
                            texts.DELIVERY_KINDS.get(item.kind, texts.KIND_UNKNOWN)
                        ),
                    )
                )

    async def _deliver(self, offer: Offer) -> None:
        repost, partner = offer.repost, offer.partner
        post_id = repost.post_message_id if repost.chat_id == partner.chat_id else None
        if post_id is None:
            partner, post_id = await self._post(partner, offer.draft, offer.version)
            await self.partners.copy_sent(repost.id, partner.chat_id, post_id)
        html = offer_card(self.config.union_name, offer.draft, None, self.tz)
        partner, card = await self._to_partner(
            partner, html, repost_keyboard(repost.id), reply_to=post_id
        )
        await self.partners.offered(repost, partner, card.chat_id, card.message_id)

    # The weekly digest -------------------------------------------------------------------

    async def digest(self, reminder: Reminder) -> str:
        """The weekly list of offers not yet reposted, to the admins and to each partner."""
        # Next week's digest is planned whatever becomes of this one.
        await self.partners.ensure_digest()
        if self.scheduler.timing.in_quiet_hours(self.scheduler.now()):
            return "quiet"
        groups = await self.partners.digest()
        if not groups:
            return "nothing outstanding"
        if not await self.scheduler.claim(reminder):
            return "taken"
        admins = self.config.chats.admins
        if admins is not None:
            try:
                await self.scheduler.send([admins], admins_digest(groups, self.tz))
            except Unreachable:
                logger.error("the admins' chat cannot get the partner digest")
        for group in groups:
            await self._digest_to(group)
        return "sent"

    async def _digest_to(self, group: DigestGroup) -> None:
        partner = group.partner
        html = partner_digest(self.config.union_name, group, self.tz)
        try:
            partner, _ = await self._to_partner(partner, html)
        except (Forbidden, BadRequest) as exc:
            logger.warning("digest to partner %s failed: %s", partner.id, exc)
            if await self.partners.unreachable(partner, str(exc)[:300]):
                await self._unreachable(partner, str(exc))
            return
        await self.partners.reachable(partner)
