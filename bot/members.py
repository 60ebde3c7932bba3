"""Managing who holds which role; every change is in the audit trail."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, tzinfo
from enum import StrEnum

from bot.review.service import Actor
from storage import Database, audit, users
from storage.db import last_stored_day, stored_day_end
from storage.models import Role, User

__all__ = ["MemberChange", "Members"]

logger = logging.getLogger(__name__)


class MemberChange(StrEnum):
    """How a role change came out."""

    ADDED = "added"
    ALREADY = "already"
    REMOVED = "removed"
    NOT_HELD = "not_held"
    LAST_ADMIN = "last_admin"
    NOT_ADMIN = "not_admin"
    UNKNOWN_USER = "unknown_user"
    NEEDS_DATE = "needs_date"
    DATE_ONLY_VOLUNTEER = "date_only_volunteer"
    DATE_PAST = "date_past"


class Members:
    """Roles, managed by admins in chat once the config has seeded them."""

    def __init__(self, db: Database, tz: tzinfo) -> None:
        self.db = db
        self.tz = tz

    def today(self) -> date:
        """The union's date now."""
        return self.db.clock().astimezone(self.tz).date()

    async def resolve(self, who: str) -> User | None:
        """A user by @username or numeric id."""
        async with self.db.reading() as conn:
            if who.lstrip("-").isdigit():
                return await users.get(conn, int(who))
            return await users.find_by_username(conn, who)

    async def ensure_user(self, user_id: int, name: str) -> User:
        """A user by id, created with ``name`` if the bot has never seen them."""
        async with self.db.transaction() as tx:
            found = await users.get(tx, user_id)
            if found is None:
                await users.upsert(tx, user_id, name, None, self.db.now())
                found = await users.get(tx, user_id)
        assert found is not None
        return found

    async def grant(
        self, actor: Actor, user: User, roles: Sequence[Role], until: date | None = None
    ) -> tuple[MemberChange, list[Role]]:
        """Give ``roles`` to ``user``; only admins may. A volunteer's role needs its last day."""
        if until is not None and Role.VOLUNTEER not in roles:
            return MemberChange.DATE_ONLY_VOLUNTEER, []
        if Role.VOLUNTEER in roles and until is None:
            return MemberChange.NEEDS_DATE, []
        if until is not None and until < self.today():
            return MemberChange.DATE_PAST, []
        async with self.db.transaction() as tx:
            if Role.ADMIN not in await users.roles_of(tx, actor.user_id):
                return MemberChange.NOT_ADMIN, []
            at = self.db.now()
            lasting = [r for r in roles if r is not Role.VOLUNTEER]
            added = await users.grant(tx, user.user_id, lasting, actor.user_id, at)
            if until is not None:
                ends = stored_day_end(until, self.tz)
                added += await users.grant(
                    tx, user.user_id, [Role.VOLUNTEER], actor.user_id, at, ends
                )
            if not added:
                return MemberChange.ALREADY, []
            detail: dict[str, object] = {
                "user_id": user.user_id,
                "roles": [r.value for r in added],
            }
            if until is not None:
                detail["until"] = until.isoformat()
            await audit.append(tx, at, actor.user_id, "role.granted", detail=detail)
        return MemberChange.ADDED, added

    async def revoke(self, actor: Actor, user: User, role: Role) -> MemberChange:
        """Take ``role`` from ``user``; the last admin cannot be removed."""
        async with self.db.transaction() as tx:
            if Role.ADMIN not in await users.roles_of(tx, actor.user_id):
                return MemberChange.NOT_ADMIN
            if role is Role.ADMIN and [u.user_id for u in await users.holders(tx, Role.ADMIN)] == [
                user.user_id
            ]:
                return MemberChange.LAST_ADMIN
            if not await users.revoke(tx, user.user_id, role):
                return MemberChange.NOT_HELD
            await audit.append(
                tx,
                self.db.now(),
                actor.user_id,
                "role.revoked",
                detail={"user_id": user.user_id, "role": role.value},
            )
        return MemberChange.REMOVED

    async def listing(self) -> list[tuple[User, frozenset[Role]]]:
        """Every member with their roles (ended ones included: see ``role_ends``)."""
        async with self.db.reading() as conn:
            return await users.list_members(conn)

    async def role_ends(self) -> dict[tuple[int, Role], tuple[date, bool]]:
        """The last day of every role that has one, and whether it has ended, by (user, role)."""
        async with self.db.reading() as conn:
            ends = await users.role_expiries(conn)
        now = self.db.now()
        return {key: (last_stored_day(stamp, self.tz), stamp <= now) for key, stamp in ends.items()}
