"""/away: stand-ins for reviewers who are away (代审); /handover: one draft's tier to one person."""

from __future__ import annotations

import logging
from datetime import date

from telegram import Message, Update
from telegram.ext import CommandHandler

from bot import formatting, texts
from bot.clock.dates import DateUnreadable, parse_full_day
from bot.review.away import AwayRefused, parse_span
from bot.review.away_notices import tiers_text
from commands.common import (
    Context,
    actor_of,
    draft_number,
    refuse,
    reply,
    services,
    staff_sender,
)
from storage.models import DraftState, User

__all__ = ["HANDLERS", "problem_text"]

logger = logging.getLogger(__name__)

OFF_WORDS = frozenset({"off", "结束", "取消"})


def _is_person(word: str) -> bool:
    """Whether a word names a person: @username, or a numeric id that is not a date."""
    if word.startswith(("@", "＠")):
        return True
    if not word.isdigit() or len(word) < 5:
        return False
    try:
        parse_full_day(word)
    except DateUnreadable:
        return True
    return False


def problem_text(exc: AwayRefused) -> str:
    """The Chinese message for a refused arrangement or handover."""
    params: dict[str, object] = {}
    for key, value in exc.params.items():
        if isinstance(value, DraftState):
            params[key] = texts.STATE_NAMES[value]
        elif isinstance(value, date):
            params[key] = value.isoformat()
        elif isinstance(value, str):
            params[key] = formatting.e(value)
        else:
            params[key] = value
    return texts.AWAY_PROBLEMS[exc.problem.value].format(**params)


async def _person(message: Message, context: Context, word: str) -> User | None:
    """The member ``word`` names; if unknown, the sender is told how to fix it."""
    found = await services(context).members.resolve(word.lstrip("@＠"))
    if found is None:
        await reply(message, texts.AWAY_UNKNOWN_USER.format(who=formatting.e(word)))
    return found


async def _listing(message: Message, context: Context) -> None:
    svc = services(context)
    spans, people = await svc.standins.listing()
    if not spans:
        await reply(message, texts.AWAY_LIST_EMPTY)
        return
    names = formatting.Names(people, svc.config.timezone)
    lines = [texts.AWAY_LIST_HEADER]
    for span in spans:
        first, last = svc.standins.days_of(span)
        lines.append(
            texts.AWAY_LIST_LINE.format(
                reviewer=names(span.reviewer_id),
                first=first.isoformat(),
                last=last.isoformat(),
                standin=names(span.standin_id),
                now=texts.AWAY_LIST_NOW if svc.standins.in_force(span) else "",
            )
        )
    await reply(message, "\n".join(lines))


async def away_command(update: Update, context: Context) -> None:
    """/away [@reviewer] <days> @stand-in | /away | /away off [@reviewer]."""
    sender = await staff_sender(update, context, texts.AWAY_STAFF_ONLY)
    if sender is None:
        return
    message, user = sender
    svc = services(context)
    actor = actor_of(user)
    args = list(context.args or [])
    if not args:
        await _listing(message, context)
        return
    me = await svc.members.ensure_user(actor.user_id, actor.name)
    if args[0].lower() in OFF_WORDS:
        reviewer = me if len(args) < 2 else await _person(message, context, args[1])
        if reviewer is None:
            return
        try:
            ended = await svc.standins.end_away(actor, reviewer)
        except AwayRefused as exc:
            await refuse(context, message, exc.problem.value, problem_text(exc))
            return
        await reply(
            message,
            texts.AWAY_ENDED.format(reviewer=formatting.e(reviewer.name), count=len(ended)),
        )
        return
    people = [word for word in args if _is_person(word)]
    days = [word for word in args if not _is_person(word)]
    if not people:
        await reply(message, texts.AWAY_NEEDS_STANDIN + "\n\n" + texts.AWAY_USAGE)
        return
    if len(people) > 2 or not days:
        await reply(message, texts.AWAY_USAGE)
        return
    try:
        first, last = parse_span(days, svc.standins.today())
    except DateUnreadable:
        await reply(message, texts.AWAY_BAD_DATE.format(text=formatting.e(" ".join(days))))
        return
    reviewer = me if len(people) == 1 else await _person(message, context, people[0])
    if reviewer is None:
        return
    standin = await _person(message, context, people[-1])
    if standin is None:
        return
    try:
        done = await svc.standins.set_away(actor, reviewer, standin, first, last)
    except AwayRefused as exc:
        await refuse(context, message, exc.problem.value, problem_text(exc))
        return
    fields = {
        "reviewer": formatting.e(reviewer.name),
        "standin": formatting.e(standin.name),
        "first": done.first.isoformat(),
        "last": done.last.isoformat(),
        "tiers": tiers_text(done.tiers),
    }
    text = texts.AWAY_SET.format(**fields)
    grouped = [t for t in done.tiers if svc.config.chats.tier(t) is not None]
    if grouped:
        text += texts.AWAY_GROUP_NOTE.format(tiers=tiers_text(grouped), standin=fields["standin"])
    if done.replaced:
        text += texts.AWAY_REPLACED.format(count=len(done.replaced))
    await reply(message, text)
    # The stand-in's notice is queued; send it now rather than at the next retry.
    await svc.delivery.flush()


async def handover_command(update: Update, context: Context) -> None:
    """/handover N @who: an admin hands draft N's pending tier to one person."""
    sender = await staff_sender(update, context, texts.HANDOVER_STAFF_ONLY)
    if sender is None:
        return
    message, user = sender
    svc = services(context)
    args = list(context.args or [])
    number = draft_number(args)
    if number is None or len(args) != 2:
        await reply(message, texts.HANDOVER_USAGE)
        return
    target = await _person(message, context, args[1])
    if target is None:
        return
    try:
        done = await svc.standins.hand_over(actor_of(user), number, target)
    except AwayRefused as exc:
        await refuse(context, message, exc.problem.value, problem_text(exc))
        return
    behalf = ""
    if done.on_behalf_of is not None:
        principal = await svc.members.users_by_id([done.on_behalf_of])
        names = formatting.Names(principal, svc.config.timezone)
        behalf = texts.ON_BEHALF.format(reviewer=names(done.on_behalf_of))
    await reply(
        message,
        texts.HANDOVER_DONE.format(
            id=done.draft.id,
            title=formatting.e(done.draft.title),
            tier=done.tier,
            tier_name=texts.TIER_NAMES[done.tier],
            who=formatting.e(target.name),
            behalf=behalf,
        ),
    )
    await svc.delivery.flush()


HANDLERS = [
    CommandHandler("away", away_command),
    CommandHandler("handover", handover_command),
]
