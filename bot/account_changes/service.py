"""Account-change notices (article 16): the service over the wizard, filing and cancelling."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import aiosqlite

from bot import formatting
from bot.account_changes.rules import (
    LIMITS,
    OUTBOX_KIND,
    RECENT_DAYS,
    REMINDER_KIND,
    WIZARD_KIND,
    NoticeRule,
    Wizard,
    reminder_key,
)
from bot.clock.timing import Timing
from bot.config import UnionConfig
from bot.members import Actor
from storage import Database, account_changes, audit, cards, outbox, reminders, users
from storage.account_changes import AccountChange, NewAccountChange
from storage.db import stored_time
from storage.models import Prompt, Role
from storage.payloads import Payload

__all__ = [
    "AccountChanges",
    "CancelRefused",
    "ChangeNotice",
    "ChangeReminder",
    "Filed",
    "WizardRefused",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChangeNotice(Payload):
    """A notice of a filed (or cancelled) account change to one chat (an outbox payload)."""

    change: int
    chat_id: int
    event: str = "filed"


@dataclass(frozen=True, slots=True)
class ChangeReminder(Payload):
    """The reminder on the last working day before a change takes effect."""

    change: int


# --- the service ------------------------------------------------------------------------------


class WizardRefused(Exception):
    """A tap or reply that cannot act on this wizard: forged, closed, not yours, stale."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CancelRefused(Exception):
    """A cancellation the rules do not allow: not_found, not_allowed, already, in_effect."""

    def __init__(self, reason: str, change: AccountChange | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.change = change


@dataclass(frozen=True, slots=True)
class Filed:
    """An accepted notice and the day its reminder goes out."""

    change: AccountChange
    remind_on: date


class AccountChanges:
    """Filing, listing and cancelling account-change notices."""

    def __init__(self, db: Database, config: UnionConfig, timing: Timing) -> None:
        self.db = db
        self.config = config
        self.timing = timing
        self.rule = NoticeRule(timing.calendar)

    def today(self) -> date:
        """The union's local date by the clock."""
        return self.db.clock().astimezone(self.timing.tz).date()

    # Wizard ---------------------------------------------------------------------------------

    async def open(self, actor: Actor, chat_id: int, wizard: Wizard) -> int:
        """Start a wizard (closing the member's unfinished ones); returns the prompt's id."""
        async with self.db.transaction() as tx:
            at = self.db.now()
            await account_changes.close_open_wizards(tx, WIZARD_KIND, actor.user_id, at)
            return await cards.open_prompt(
                tx, at, WIZARD_KIND, actor.user_id, chat_id, data=wizard.to_data()
            )

    async def load(self, actor: Actor, prompt_id: int, chat_id: int) -> tuple[Prompt, Wizard]:
        """The wizard ``actor`` acts on; raises WizardRefused when they may not."""
        async with self.db.reading() as conn:
            prompt = await cards.prompt(conn, prompt_id)
        return self._check(prompt, actor, chat_id)

    @staticmethod
    def _check(prompt: Prompt | None, actor: Actor, chat_id: int) -> tuple[Prompt, Wizard]:
        if prompt is None or prompt.kind != WIZARD_KIND or prompt.chat_id != chat_id:
            raise WizardRefused("forged")
        if prompt.closed_at is not None:
            raise WizardRefused("closed")
        if prompt.user_id != actor.user_id:
            raise WizardRefused("not_yours")
        return prompt, Wizard.from_data(prompt.data)

    async def advance(self, prompt_id: int, seq: int, wizard: Wizard) -> bool:
        """Store the next step before its message is sent; False if another answer won.

        The message is attached afterwards (:meth:`attach`); should the bot stop in between,
        :meth:`open_wizard` lets a reply to the new message still find this wizard.
        """
        async with self.db.transaction() as tx:
            if not await self._at_step(tx, prompt_id, seq):
                return False
            await cards.update_prompt_data(tx, prompt_id, wizard.to_data())
        return True

    async def attach(self, prompt_id: int, seq: int, message_id: int) -> bool:
        """Record the message asking step ``seq``; False if the wizard moved on or closed."""
        async with self.db.transaction() as tx:
            if not await self._at_step(tx, prompt_id, seq):
                return False
            await cards.set_prompt_message(tx, prompt_id, message_id)
        return True

    @staticmethod
    async def _at_step(tx: aiosqlite.Connection, prompt_id: int, seq: int) -> bool:
        """Whether the wizard is still open and at step ``seq``."""
        prompt = await cards.prompt(tx, prompt_id)
        return (
            prompt is not None
            and prompt.closed_at is None
            and Wizard.from_data(prompt.data).seq == seq
        )

    async def open_wizard(self, user_id: int, chat_id: int) -> tuple[Prompt, Wizard] | None:
        """The member's unfinished wizard in this chat, if any (there is at most one)."""
        async with self.db.reading() as conn:
            prompt = await account_changes.open_wizard(conn, WIZARD_KIND, user_id, chat_id)
        return (prompt, Wizard.from_data(prompt.data)) if prompt is not None else None

    async def abandon(self, prompt_id: int) -> bool:
        """Close a wizard without filing anything; False if it was closed already."""
        async with self.db.transaction() as tx:
            return await cards.close_prompt(tx, prompt_id, self.db.now())

    async def file(self, actor: Actor, prompt_id: int, chat_id: int, seq: int) -> Filed:
        """File the wizard's notice: the row, its audit event, notices and reminder, at once.

        The date is checked again against today (the member may confirm days later). Raises
        WizardRefused (closed, stale, not_yours, forged) or DateRefused; nothing is written then.
        """
        async with self.db.transaction() as tx:
            prompt, wizard = self._check(await cards.prompt(tx, prompt_id), actor, chat_id)
            effective = wizard.effective
            kind = wizard.kind
            if wizard.seq != seq or wizard.step != "confirm" or not wizard.complete():
                raise WizardRefused("stale")
            assert effective is not None and kind is not None
            today = self.today()
            span = self.rule.check(today, effective)
            at = self.db.now()
            new = NewAccountChange(
                account=wizard.account,
                change=kind.value,
                detail=wizard.detail if kind.needs_detail else "",
                effective_on=effective,
                reason=wizard.reason,
                filed_by=actor.user_id,
                notice_on=today,
                working_days=span.working_days,
                weekends_only=bool(span.unknown_years),
            )
            change_id = await account_changes.add(tx, new, at)
            await audit.append(
                tx,
                at,
                actor.user_id,
                "account_change.filed",
                detail={
                    "change_id": change_id,
                    "account": new.account,
                    "change": new.change,
                    "detail": new.detail,
                    "effective_on": effective.isoformat(),
                    "working_days": span.working_days,
                    "weekends_only": new.weekends_only,
                },
            )
            for target in await self.targets(tx, exclude=actor.user_id):
                await outbox.add(tx, at, OUTBOX_KIND, None, ChangeNotice(change_id, target))
            remind_on = self.rule.reminder_day(effective)
            await reminders.add(
                tx,
                REMINDER_KIND,
                reminder_key(change_id),
                stored_time(self.reminder_due(remind_on)),
                payload=ChangeReminder(change_id),
            )
            await cards.close_prompt(tx, prompt.id, at)
            change = await account_changes.get(tx, change_id)
        assert change is not None
        logger.info("account change #%s filed by %s", change_id, actor.user_id)
        return Filed(change, remind_on)

    def reminder_due(self, remind_on: date) -> datetime:
        """The start of the working day ``remind_on``, in the union's time zone."""
        return datetime.combine(remind_on, self.timing.config.workday_start, self.timing.tz)

    async def targets(self, conn: aiosqlite.Connection, exclude: int | None = None) -> list[int]:
        """The admins' chat (else each admin) and the tier-3 chat (else each advisor).

        ``exclude`` (the member acting) is left out of private chats: they hear it directly.
        """
        found: list[int] = []
        for chat, role in (
            (self.config.chats.admins, Role.ADMIN),
            (self.config.chats.tier3, Role.REVIEWER3),
        ):
            candidates = await users.chat_or_holders(conn, chat, role, (exclude,))
            found += [c for c in candidates if c not in found]
        return found

    # Reading --------------------------------------------------------------------------------

    async def get(self, change_id: int) -> AccountChange | None:
        """The notice with this number."""
        async with self.db.reading() as conn:
            return await account_changes.get(conn, change_id)

    async def upcoming(self) -> list[AccountChange]:
        """Accepted notices not yet in effect, soonest first."""
        async with self.db.reading() as conn:
            return await account_changes.upcoming(conn, self.today())

    async def recent(self, days: int = RECENT_DAYS) -> list[AccountChange]:
        """Notices that took effect or were cancelled within the last ``days`` days."""
        today = self.today()
        async with self.db.reading() as conn:
            return await account_changes.recent(conn, today - timedelta(days=days), today)

    async def names(self, ids: Iterable[int | None]) -> formatting.Names:
        """Display names for rendering."""
        async with self.db.reading() as conn:
            people = await users.get_many(conn, ids)
        return formatting.Names(people, self.timing.tz)

    async def cancellable(
        self, user_id: int, changes: Iterable[AccountChange]
    ) -> list[AccountChange]:
        """Those of ``changes`` that ``user_id`` may cancel: admins any, members their own."""
        async with self.db.reading() as conn:
            admin = Role.ADMIN in await users.roles_of(conn, user_id)
        return [c for c in changes if admin or c.filed_by == user_id]

    # Cancelling -----------------------------------------------------------------------------

    async def cancel(self, actor: Actor, change_id: int, reason: str = "") -> AccountChange:
        """Withdraw a notice before it takes effect; everyone told of it hears of this too.

        Raises CancelRefused; a refusal for lack of rights is audited.
        """
        refused: CancelRefused | None = None
        async with self.db.transaction() as tx:
            change = await account_changes.get(tx, change_id)
            at = self.db.now()
            if change is None:
                raise CancelRefused("not_found")
            allowed = actor.user_id == change.filed_by or Role.ADMIN in await users.roles_of(
                tx, actor.user_id
            )
            if not allowed:
                # Audited here, raised once the transaction has kept the audit event.
                refused = CancelRefused("not_allowed", change)
                await audit.append(
                    tx,
                    at,
                    actor.user_id,
                    "account_change.refused",
                    detail={"change_id": change_id, "refusal": refused.reason},
                )
            elif change.cancelled:
                raise CancelRefused("already", change)
            elif change.effective_on <= self.today():
                raise CancelRefused("in_effect", change)
            else:
                clean = " ".join(reason.split())[: LIMITS["reason"]]
                await account_changes.cancel(tx, change_id, actor.user_id, at, clean)
                await audit.append(
                    tx,
                    at,
                    actor.user_id,
                    "account_change.cancelled",
                    detail={"change_id": change_id, "reason": clean},
                )
                targets = await self.targets(tx, exclude=actor.user_id)
                if change.filed_by != actor.user_id and change.filed_by not in targets:
                    targets.append(change.filed_by)
                for target in targets:
                    await outbox.add(
                        tx,
                        at,
                        OUTBOX_KIND,
                        None,
                        ChangeNotice(change_id, target, "cancelled"),
                    )
                updated = await account_changes.get(tx, change_id)
        if refused is not None:
            raise refused
        assert updated is not None
        logger.info("account change #%s cancelled by %s", change_id, actor.user_id)
        return updated
