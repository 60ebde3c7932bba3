"""Config and database agreeing, explicitly: ``python -m bot sync-config``.

The config file seeds the members on the first start; from then on the database is the truth
(admins change roles in chat with /role). When the two differ, the differences are listed at
start-up, by ``python -m bot check``, and here, one Chinese line each; this command applies
them, after showing them, in one transaction with an audit row per change. The last admin is
never removed, whatever the config says.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

import aiosqlite

from bot import formatting, texts
from bot.config import ConfigError, MemberConfig, UnionConfig, load_config
from bot.ops.exits import ExitCode, StartupError
from bot.settings import config_path_from_env, db_path_from_env
from storage import Database, audit, roster, users
from storage.db import (
    DatabaseAccessError,
    DatabaseNewerError,
    NotADatabaseError,
    last_stored_day,
    stored_day_end,
)
from storage.models import Role
from storage.roster import Roster

__all__ = [
    "Change",
    "ChangeKind",
    "SyncConflict",
    "alert_text",
    "apply",
    "diff",
    "drift",
    "main",
]

logger = logging.getLogger(__name__)

# The admins' alert lists lines up to this many characters; the command shows them all.
ALERT_BUDGET = 3000


class ChangeKind(StrEnum):
    """What one line of the difference changes."""

    JOIN = "join"
    LEAVE = "leave"
    GRANT = "grant"
    REVOKE = "revoke"
    RENAME = "rename"
    TEAM = "team"
    UNTIL = "until"
    # Not a change: the config names no admin, so the last one keeps the role.
    KEEP_ADMIN = "keep_admin"


@dataclass(frozen=True)
class Change:
    """One difference between the config and the database, and what applying it does."""

    kind: ChangeKind
    user_id: int
    name: str
    roles: tuple[Role, ...] = ()
    before: str | None = None
    after: str | None = None
    # A volunteer's last day, when the change gives the volunteer role.
    until: date | None = None

    def render(self) -> str:
        """The change as one plain-text line (escape it for Telegram HTML)."""
        roles = _role_list(self.roles, self.until)
        ids = {"name": self.name, "user_id": self.user_id}
        if self.kind is ChangeKind.JOIN:
            team = texts.SYNC_JOIN_TEAM.format(team=self.after) if self.after else ""
            return texts.SYNC_JOIN.format(roles=roles, team=team, **ids)
        if self.kind is ChangeKind.LEAVE:
            return texts.SYNC_LEAVE.format(roles=roles, **ids)
        if self.kind is ChangeKind.GRANT:
            return texts.SYNC_GRANT.format(roles=roles, **ids)
        if self.kind is ChangeKind.REVOKE:
            return texts.SYNC_REVOKE.format(roles=roles, **ids)
        if self.kind is ChangeKind.KEEP_ADMIN:
            return texts.SYNC_KEEP_ADMIN.format(**ids)
        template = {
            ChangeKind.RENAME: texts.SYNC_RENAME,
            ChangeKind.TEAM: texts.SYNC_TEAM,
            ChangeKind.UNTIL: texts.SYNC_UNTIL,
        }[self.kind]
        before = self.before if self.before is not None else texts.SYNC_NO_TEAM
        after = self.after if self.after is not None else texts.SYNC_NO_TEAM
        return template.format(before=before, after=after, **ids)

    @property
    def changes_anything(self) -> bool:
        """False for a line that only explains what is kept."""
        return self.kind is not ChangeKind.KEEP_ADMIN


class SyncConflict(RuntimeError):
    """The database changed between showing the differences and applying them."""


def _role_list(roles: Sequence[Role], until: date | None) -> str:
    names = []
    for role in Role:
        if role in roles:
            name = texts.ROLE_NAMES[role]
            if role is Role.VOLUNTEER and until is not None:
                name += texts.SYNC_VOLUNTEER_UNTIL.format(until=until.isoformat())
            names.append(name)
    return "、".join(names)


def _ordered(roles: frozenset[Role] | set[Role]) -> tuple[Role, ...]:
    return tuple(role for role in Role if role in roles)


def _member_changes(
    wanted: MemberConfig, stored: roster.StoredMember, cfg: UnionConfig
) -> list[Change]:
    uid, name = wanted.user_id, wanted.name
    found: list[Change] = []
    if stored.name != name:
        found.append(Change(ChangeKind.RENAME, uid, name, before=stored.name, after=name))
    if stored.team != wanted.team:
        found.append(Change(ChangeKind.TEAM, uid, name, before=stored.team, after=wanted.team))
    want = frozenset(wanted.roles)
    added = _ordered(want - stored.roles)
    if added:
        until = wanted.volunteer_until if Role.VOLUNTEER in added else None
        found.append(Change(ChangeKind.GRANT, uid, name, added, until=until))
    removed = _ordered(stored.roles - want)
    if removed:
        found.append(Change(ChangeKind.REVOKE, uid, name, removed))
    stamp = stored.ends.get(Role.VOLUNTEER)
    if Role.VOLUNTEER in stored.roles & want and wanted.volunteer_until is not None:
        before = last_stored_day(stamp, cfg.timezone) if stamp is not None else None
        if before != wanted.volunteer_until:
            found.append(
                Change(
                    ChangeKind.UNTIL,
                    uid,
                    name,
                    before=before.isoformat() if before else None,
                    after=wanted.volunteer_until.isoformat(),
                    until=wanted.volunteer_until,
                )
            )
    return found


def _keep_last_admin(changes: list[Change], stored: Roster, config: UnionConfig) -> list[Change]:
    """Without an admin in the config, no change takes the admin role away from anyone."""
    if any(Role.ADMIN in m.roles for m in config.members):
        return changes
    kept: list[Change] = []
    for change in changes:
        if change.kind in (ChangeKind.LEAVE, ChangeKind.REVOKE) and Role.ADMIN in change.roles:
            rest = tuple(r for r in change.roles if r is not Role.ADMIN)
            if rest:
                kept.append(Change(change.kind, change.user_id, change.name, rest))
            member = stored.members[change.user_id]
            kept.append(Change(ChangeKind.KEEP_ADMIN, member.user_id, member.name))
        else:
            kept.append(change)
    return kept


def diff(stored: Roster, config: UnionConfig) -> list[Change]:
    """What applying the config's members to the database would change, in the config's order
    and then the members the config no longer names."""
    changes: list[Change] = []
    named = {member.user_id for member in config.members}
    for member in config.members:
        found = stored.members.get(member.user_id)
        if found is None:
            changes.append(
                Change(
                    ChangeKind.JOIN,
                    member.user_id,
                    member.name,
                    _ordered(set(member.roles)),
                    after=member.team,
                    until=member.volunteer_until,
                )
            )
        else:
            changes += _member_changes(member, found, config)
    for uid, found in stored.members.items():
        if uid not in named:
            changes.append(Change(ChangeKind.LEAVE, uid, found.name, _ordered(found.roles)))
    return _keep_last_admin(changes, stored, config)


async def drift(db: Database, config: UnionConfig) -> list[Change]:
    """The differences now; none before the first start has seeded the members."""
    async with db.reading() as conn:
        stored = await roster.read(conn)
    return diff(stored, config) if stored.seeded else []


def alert_text(changes: Sequence[Change]) -> str:
    """The admins' alert at start-up: the differences and the command that applies them."""
    lines = [formatting.e(change.render()) for change in changes]
    shown = formatting.fit_lines(lines, ALERT_BUDGET, texts.SYNC_DRIFT_MORE)
    return texts.SYNC_DRIFT_ALERT.format(count=len(changes), lines=shown)


async def _apply_one(
    tx: aiosqlite.Connection,
    change: Change,
    member: MemberConfig | None,
    config: UnionConfig,
    at: str,
) -> None:
    uid = change.user_id
    if change.kind in (ChangeKind.JOIN, ChangeKind.RENAME, ChangeKind.TEAM):
        assert member is not None
        await roster.set_profile(tx, uid, member.name, member.username, member.team, at)
    if change.kind in (ChangeKind.JOIN, ChangeKind.GRANT):
        lasting = [r for r in change.roles if r is not Role.VOLUNTEER]
        await users.grant(tx, uid, lasting, None, at)
    # ``until`` is set exactly when the change gives the volunteer role or moves its last day.
    if change.until is not None:
        ends = stored_day_end(change.until, config.timezone)
        await users.grant(tx, uid, [Role.VOLUNTEER], None, at, ends)
    if change.kind in (ChangeKind.LEAVE, ChangeKind.REVOKE):
        for role in change.roles:
            await users.revoke(tx, uid, role)


async def apply(db: Database, config: UnionConfig, shown: Sequence[Change]) -> int:
    """Apply the differences the user saw, in one transaction with an audit row each; returns
    how many changed. SyncConflict (and nothing changed) if the database moved meanwhile."""
    by_id = {member.user_id: member for member in config.members}
    async with db.transaction() as tx:
        changes = diff(await roster.read(tx), config)
        if changes != list(shown):
            raise SyncConflict(texts.SYNC_CHANGED_MEANWHILE)
        at = db.now()
        applied = 0
        for change in changes:
            if not change.changes_anything:
                continue
            await _apply_one(tx, change, by_id.get(change.user_id), config, at)
            detail: dict[str, object] = {
                "user_id": change.user_id,
                "change": change.kind.value,
                "text": change.render(),
            }
            if change.roles:
                detail["roles"] = [r.value for r in change.roles]
            await audit.append(tx, at, None, "member.synced", detail=detail)
            applied += 1
    logger.info("sync-config applied %d changes from the config", applied)
    return applied


def _explain(exc: Exception, path: Path) -> str:
    if isinstance(exc, NotADatabaseError):
        return texts.STARTUP_DB_NOT_SQLITE.format(path=exc.path)
    if isinstance(exc, DatabaseAccessError):
        return texts.STARTUP_DB_NOT_WRITABLE.format(path=exc.path, detail=exc.detail)
    if isinstance(exc, DatabaseNewerError):
        return texts.STARTUP_DB_NEWER.format(path=path, found=exc.found, known=exc.known)
    raise exc


def _confirmed(count: int, assume_yes: bool) -> bool | None:
    """True to apply, False when the user declined, None when nobody can be asked."""
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        return None
    answer = input(texts.SYNC_CONFIRM.format(count=count))
    return answer.strip().lower() in ("y", "yes", "是")


async def _sync(config: UnionConfig, config_path: Path, db_path: Path, assume_yes: bool) -> int:
    db = await Database.open(db_path)
    try:
        async with db.reading() as conn:
            stored = await roster.read(conn)
        if not stored.seeded:
            print(texts.SYNC_NOT_SEEDED.format(path=db_path))
            return int(ExitCode.OK)
        changes = diff(stored, config)
        if not changes:
            print(texts.SYNC_IN_STEP)
            return int(ExitCode.OK)
        print(texts.SYNC_HEADER.format(config=config_path, path=db_path, count=len(changes)))
        for change in changes:
            print(change.render())
        # input() blocks; the database waits, which is harmless for a person answering.
        confirmed = await asyncio.to_thread(_confirmed, len(changes), assume_yes)
        if confirmed is None:
            print(texts.SYNC_NEEDS_YES, file=sys.stderr)
            return int(ExitCode.FAILED)
        if not confirmed:
            print(texts.SYNC_CANCELLED)
            return int(ExitCode.FAILED)
        try:
            applied = await apply(db, config, changes)
        except SyncConflict as exc:
            print(texts.SYNC_FAILED.format(reason=exc), file=sys.stderr)
            return int(ExitCode.FAILED)
        print(texts.SYNC_DONE.format(count=applied))
        return int(ExitCode.OK)
    finally:
        await db.close()


def main(assume_yes: bool) -> int:
    """``python -m bot sync-config [--yes]``: show the differences, ask, apply."""
    config_path = config_path_from_env(os.environ)
    db_path = db_path_from_env(os.environ)
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise StartupError(str(exc), ExitCode.CONFIG) from exc
    if not db_path.exists():
        print(texts.SYNC_NO_DATABASE.format(path=db_path))
        return int(ExitCode.OK)
    try:
        return asyncio.run(_sync(config, config_path, db_path, assume_yes))
    except (DatabaseAccessError, NotADatabaseError, DatabaseNewerError) as exc:
        print(texts.SYNC_FAILED.format(reason=_explain(exc, db_path)), file=sys.stderr)
        return int(ExitCode.DATABASE)
