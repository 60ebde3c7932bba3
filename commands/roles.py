"""/role add|del|list: admins manage members' roles in chat."""

from __future__ import annotations

import logging
from datetime import date

from telegram import Message, Update
from telegram.ext import CommandHandler

from bot import formatting, texts
from bot.clock.dates import DateUnreadable, parse_full_day
from bot.config import parse_role
from bot.members import Actor, MemberChange, Told
from bot.outbox.tell import Tell
from commands.common import Context, actor_of, refuse, reply, services
from commands.menu import set_menu
from commands.start import help_text
from storage.models import Role, User

__all__ = ["HANDLERS"]

logger = logging.getLogger(__name__)


def _date_word(word: str) -> bool:
    """Whether a /role word is meant as a date (a volunteer's last day, maybe after 至 or 到)."""
    return word.lstrip("至到")[:1].isdigit() and any(c in word for c in "-/.年")


def _roles_text(roles: frozenset[Role] | list[Role]) -> str:
    return "、".join(texts.ROLE_NAMES[r] for r in Role if r in roles)


def _held_text(
    user_id: int, held: frozenset[Role], ends: dict[tuple[int, Role], tuple[date, bool]]
) -> str:
    """The roles of one member, each with its end if it has one (ended ones marked so)."""
    parts = []
    for role in Role:
        if role not in held:
            continue
        end = ends.get((user_id, role))
        if end is None:
            parts.append(texts.ROLE_NAMES[role])
            continue
        last_day, ended = end
        template = texts.ROLE_LIST_EXPIRED if ended else texts.ROLE_LIST_EXPIRY
        parts.append(texts.ROLE_NAMES[role] + template.format(until=last_day.isoformat()))
    return "、".join(parts)


async def role_command(update: Update, context: Context) -> None:
    """/role add|del|list."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    actor = actor_of(user)
    args = list(context.args or [])
    if Role.ADMIN not in await svc.members.roles(actor.user_id):
        await refuse(context, update, "not_admin", texts.ROLE_ADMIN_ONLY)
        return
    if not args or args[0] not in ("add", "del", "list", "team"):
        await reply(message, texts.ROLE_USAGE)
        return
    if args[0] == "team":
        await _team(context, message, actor, args[1:])
        return
    if args[0] == "list":
        lines = [texts.ROLE_LIST_HEADER]
        ends = await svc.members.role_ends()
        for member, held in await svc.members.listing():
            lines.append(
                texts.ROLE_LIST_LINE.format(
                    name=formatting.e(member.name),
                    username=f" @{formatting.e(member.username)}" if member.username else "",
                    user_id=member.user_id,
                    roles=_held_text(member.user_id, held, ends),
                    team=f"（{formatting.e(member.team)}）" if member.team else "",
                )
            )
        await reply(message, "\n".join(lines))
        return
    until: date | None = None
    dated = [word for word in args if _date_word(word)]
    if dated:
        try:
            until = parse_full_day(dated[0].lstrip("至到"))
        except DateUnreadable:
            await reply(message, formatting.echo(texts.ROLE_BAD_DATE, text=dated[0]))
            return
        args = [word for word in args if word not in dated]
    target: User | None
    rest = args[1:]
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and not replied.from_user.is_bot:
        who_user = replied.from_user
        target = await svc.members.ensure_user(who_user.id, who_user.full_name)
        who = formatting.e(who_user.full_name)
    else:
        if not rest:
            await reply(message, texts.ROLE_USAGE)
            return
        who = formatting.e(rest[0])
        target = await svc.members.resolve(rest[0])
        rest = rest[1:]
        if target is None and rest and rest[0] and args[1].isdigit() and int(args[1]) > 0:
            # A numeric id of someone the bot has not seen yet: the name follows the roles.
            names = [w for w in rest if parse_role(w) is None]
            target = await svc.members.ensure_user(int(args[1]), " ".join(names) or args[1])
            rest = [w for w in rest if parse_role(w) is not None]
    if target is None:
        await reply(message, texts.ROLE_UNKNOWN_USER.format(who=who))
        return
    roles: list[Role] = []
    for word in rest:
        role = parse_role(word)
        if role is None:
            if args[0] == "add" and roles:
                continue
            await reply(
                message,
                formatting.echo(texts.ROLE_UNKNOWN_ROLE, role=word) + "\n" + texts.ROLE_USAGE,
            )
            return
        roles.append(role)
    if not roles:
        await reply(message, texts.ROLE_USAGE)
        return
    who = formatting.e(target.name)
    inbox = svc.config.chats.inbox is not None
    admin = formatting.e(actor.name)
    if args[0] == "add":
        change, added = await svc.members.grant(
            actor, target, roles, until, _told(target, texts.ROLE_GRANTED_NOTICE, admin, inbox)
        )
        if change is MemberChange.ADDED:
            text = texts.ROLE_ADDED.format(who=who, roles=_roles_text(added))
            if until is not None:
                text += texts.ROLE_VOLUNTEER_UNTIL.format(until=until.isoformat())
        elif change is MemberChange.NEEDS_DATE:
            text = texts.ROLE_VOLUNTEER_NEEDS_DATE
        elif change is MemberChange.DATE_ONLY_VOLUNTEER:
            text = texts.ROLE_DATE_ONLY_VOLUNTEER
        elif change is MemberChange.DATE_PAST:
            text = texts.ROLE_DATE_PAST.format(date=until.isoformat() if until else "")
        else:
            text = texts.ROLE_ALREADY.format(who=who)
    else:
        told = _told(target, texts.ROLE_REVOKED_NOTICE, admin, inbox)
        results = [(role, await svc.members.revoke(actor, target, role, told)) for role in roles]
        parts = []
        for role, change in results:
            if change is MemberChange.REMOVED:
                parts.append(texts.ROLE_REMOVED.format(who=who, role=texts.ROLE_NAMES[role]))
            elif change is MemberChange.LAST_ADMIN:
                parts.append(texts.ROLE_LAST_ADMIN)
            else:
                parts.append(texts.ROLE_NOT_HELD.format(who=who, role=texts.ROLE_NAMES[role]))
        text = "\n".join(parts)
    await reply(message, text)
    # The member's menu follows their roles; their notice is in the outbox.
    await set_menu(context.bot, target.user_id, await svc.members.roles(target.user_id), inbox)
    await svc.delivery.flush()


def _told(target: User, template: str, admin: str, inbox: bool) -> Told:
    """The member's notice of a role change, with what they may do now."""

    def notice(changed: list[Role], held: frozenset[Role]) -> Tell:
        html = template.format(
            admin=admin,
            roles=_roles_text(changed),
            held=_roles_text(held) or texts.NO_ROLES_NOW,
            help=help_text(held, inbox),
        )
        return Tell(target.user_id, html)

    return notice


async def _team(context: Context, message: Message, actor: Actor, args: list[str]) -> None:
    """/role team @成员 组名 (an empty name clears it)."""
    svc = services(context)
    if not args:
        await reply(message, texts.ROLE_TEAM_USAGE)
        return
    target = await svc.members.resolve(args[0])
    if target is None:
        await reply(message, texts.ROLE_UNKNOWN_USER.format(who=formatting.e(args[0])))
        return
    team = " ".join(args[1:]).strip()[:30]
    if await svc.members.set_team(actor, target, team) is MemberChange.NOT_ADMIN:
        await reply(message, texts.ROLE_ADMIN_ONLY)
        return
    who = formatting.e(target.name)
    if team:
        await reply(message, texts.ROLE_TEAM_SET.format(who=who, team=formatting.e(team)))
    else:
        await reply(message, texts.ROLE_TEAM_CLEARED.format(who=who))


HANDLERS = [CommandHandler("role", role_command)]
