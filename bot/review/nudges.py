"""Nudges for drafts waiting too long in layout or at a review tier, escalated to the admins."""

from __future__ import annotations

import logging
from datetime import datetime

from bot import formatting, texts
from bot.reminders.scheduler import ReminderKind
from bot.review import standins
from bot.review.payloads import Stall
from storage import drafts
from storage.models import Draft, DraftState
from storage.reminders import Reminder

__all__ = ["StallReminders"]

logger = logging.getLogger(__name__)


class StallReminders(ReminderKind):
    """Nudges for drafts waiting too long in editing or at a review tier."""

    def register(self) -> None:
        """Handle ``stall`` reminders."""
        self.scheduler.handlers[Stall.KIND] = self._stall

    async def _stall(self, reminder: Reminder) -> str:
        payload = Stall.read(reminder.payload)
        if reminder.draft_id is None:
            return "no draft"
        async with self.db.reading() as conn:
            draft = await drafts.get(conn, reminder.draft_id)
        state = DraftState(payload.state)
        if draft is None or draft.state is not state:
            return "the draft moved on"
        # Layout versions bump the version while the draft stays in editing.
        if draft.version != payload.version and state is not DraftState.EDITING:
            return "a newer version waits"
        if payload.urgent != draft.urgent:
            # Flagging re-planned the nudges with the deadlines that apply now.
            return "the draft's urgency changed"
        now = self.scheduler.now()
        if self.timing.in_quiet_hours(now):
            return "quiet"
        waited = now - datetime.fromisoformat(draft.updated_at)
        if state is DraftState.EDITING:
            stage = texts.NUDGE_STAGE_EDITING
            targets = [c for c in (self.config.chats.editors,) if c is not None]
        else:
            tier = state.tier or 1
            stage = texts.NUDGE_STAGE_REVIEW.format(tier=tier, tier_name=texts.TIER_NAMES[tier])
            targets = await self._reviewers(tier, draft)
        if not await self.scheduler.claim(reminder):
            return "taken"
        fields = {
            "id": draft.id,
            "title": formatting.e(draft.title),
            "stage": stage,
            "waited": formatting.waited(waited.total_seconds()),
            "number": payload.number,
            "urgent": texts.URGENT_MARK if draft.urgent else "",
        }
        await self.scheduler.send(targets, texts.NUDGE.format(**fields))
        if payload.escalate and self.config.chats.admins is not None:
            await self.scheduler.send(
                [self.config.chats.admins], texts.NUDGE_ESCALATED.format(**fields)
            )
        return "sent"

    async def _reviewers(self, tier: int, draft: Draft) -> list[int]:
        async with self.db.reading() as conn:
            return await standins.reviewers(
                conn, self.config.chats.tier(tier), tier, draft, follow_handover=True
            )
