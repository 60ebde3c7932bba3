"""Managing who holds which role; every change is in the audit trail."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.config import UnionConfig
from storage import Database, audit, meta, outbox, refusals, users
from storage.db import last_stored_day, stored_day_end
from storage.models import Role, User
from storage.payloads import Payload

__all__ = ["Actor", "MemberChange", "Members", "Told"]

logger = logging.getLogger(__name__)

# Makes a member's notice of a role change: (the roles changed, all the roles now held).
Told = Callable[[list[Role], frozenset[Role]], Payload]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, as Telegram tells it."""

    user_id: int
    name: str
    username: str | None = None


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

    def __init__(self, db: Database, config: UnionConfig) -> None:
        self.db = db
        self.config = config
        self.tz = config.timezone
        self._seen: dict[int, tuple[str, str | None]] = {}

    async def seed_members(self) -> bool:
        """Put the config's members into an empty database; False when already seeded."""
        async with self.db.transaction() as tx:
            if await meta.get(tx, "seeded_at") is not None:
                return False
            at = self.db.now()
            for member in self.config.members:
                await users.upsert(
                    tx, member.user_id, member.name, member.username, at, member.team
                )
                lasting = [r for r in member.roles if r is not Role.VOLUNTEER]
                await users.grant(tx, member.user_id, lasting, None, at)
                if member.volunteer_until is not None:
                    ends = stored_day_end(member.volunteer_until, self.tz)
                    await users.grant(tx, member.user_id, [Role.VOLUNTEER], None, at, ends)
                await audit.append(
                    tx,
                    at,
                    None,
                    "role.seeded",
                    detail={"user_id": member.user_id, "roles": [r.value for r in member.roles]},
                )
            await meta.put(tx, "seeded_at", at)
        logger.info("seeded %d members from the config", len(self.config.members))
        return True

    async def see(self, actor: Actor) -> None:
        """Remember how a user is called; written only when it changed."""
        known = (actor.name, actor.username)
        if self._seen.get(actor.user_id) == known:
            return
        async with self.db.transaction() as tx:
            existing = await users.get(tx, actor.user_id)
            # A config-given name is what the union calls the member; keep it.
            name = (
                existing.name
                if existing and await users.roles_of(tx, actor.user_id)
                else actor.name
            )
            await users.upsert(tx, actor.user_id, name, actor.username, self.db.now())
        self._seen[actor.user_id] = known

    async def roles(self, user_id: int) -> frozenset[Role]:
        """The roles ``user_id`` holds now."""
        async with self.db.reading() as conn:
            return await users.roles_of(conn, user_id)

    async def volunteer_ended(self, user_id: int) -> str | None:
        """The last day of ``user_id``'s volunteer role if it has ended, else None."""
        async with self.db.reading() as conn:
            ends = await users.role_end(conn, user_id, Role.VOLUNTEER)
        # Stored moments compare as text; a role ending later is still held.
        return (
            last_stored_day(ends, self.tz).isoformat()
            if ends is not None and ends <= self.db.now()
            else None
        )

    async def users_by_id(self, ids: Iterable[int | None]) -> dict[int, User]:
        """Users by id, for rendering names."""
        async with self.db.reading() as conn:
            return await users.get_many(conn, ids)

    async def holders(self, role: Role) -> list[User]:
        """Everyone with ``role``."""
        async with self.db.reading() as conn:
            return await users.holders(conn, role)

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
        self,
        actor: Actor,
        user: User,
        roles: Sequence[Role],
        until: date | None = None,
        told: Told | None = None,
    ) -> tuple[MemberChange, list[Role]]:
        """Give ``roles`` to ``user``; only admins may. A volunteer's role needs its last day.

        ``told`` makes the member's notice (from the roles added and all they now hold); it is
        queued in the outbox with the change, so the member hears of it even after a restart.
        """
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
            if told is not None:
                held = await users.roles_of(tx, user.user_id)
                notice = told(added, held)
                await outbox.add(tx, at, notice.KIND, None, notice)
        return MemberChange.ADDED, added

    async def revoke(
        self, actor: Actor, user: User, role: Role, told: Told | None = None
    ) -> MemberChange:
        """Take ``role`` from ``user``; the last admin cannot be removed. ``told`` as in
        ``grant``, with the role taken."""
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
            if told is not None:
                notice = told([role], await users.roles_of(tx, user.user_id))
                await outbox.add(tx, self.db.now(), notice.KIND, None, notice)
        return MemberChange.REMOVED

    async def set_team(self, actor: Actor, user: User, team: str) -> MemberChange:
        """Record which team (组) a member belongs to; only admins may."""
        async with self.db.transaction() as tx:
            if Role.ADMIN not in await users.roles_of(tx, actor.user_id):
                return MemberChange.NOT_ADMIN
            at = self.db.now()
            await users.set_team(tx, user.user_id, team)
            await audit.append(
                tx, at, actor.user_id, "role.team", detail={"user_id": user.user_id, "team": team}
            )
        return MemberChange.ADDED

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

    async def record_forged(self, actor: Actor, data: str, draft_id: int | None = None) -> None:
        """Audit a tap whose callback data the bot never sent (or no longer knows); one naming
        a draft is in that draft's history."""
        await self.record_refusal(actor.user_id, "callback.forged", {"data": data[:80]}, draft_id)

    async def record_refusal(
        self,
        actor_id: int | None,
        action: str,
        detail: Mapping[str, object],
        draft_id: int | None = None,
    ) -> bool:
        """Put a refused attempt on the audit trail, at most a few a minute per person (the rest
        of a flood is counted); True when it got its own audit row."""
        async with self.db.transaction() as tx:
            audited = await refusals.record(
                tx, self.db.now(), actor_id, action, draft_id, detail=detail
            )
        return audited is not None
