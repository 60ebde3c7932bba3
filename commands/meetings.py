"""/meeting and /agenda: the monthly planning meeting's schedule and agenda."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot import formatting, texts
from bot.meetings.rules import MeetingSchedule, MeetingSpecError, Occurrence, describe
from commands.common import (
    Context,
    actor_of,
    is_staff,
    refuse,
    reply,
    services,
    staff_sender,
)
from storage.models import Role

__all__ = ["HANDLERS"]

logger = logging.getLogger(__name__)


def _when(occurrence: Occurrence) -> str:
    local = occurrence.at
    return f"{local:%Y-%m-%d}（周{texts.WEEKDAYS[local.weekday()]}）{local:%H:%M}"


def _summary(template: str, schedule: MeetingSchedule, occurrence: Occurrence) -> str:
    shifted = (
        texts.MEETING_SHIFTED.format(planned=occurrence.planned.isoformat())
        if occurrence.shifted
        else ""
    )
    unknown = (
        ""
        if occurrence.calendar_known
        else texts.MEETING_UNKNOWN_YEAR.format(year=occurrence.at.year)
    )
    return template.format(
        rule=formatting.e(describe(schedule)),
        next=_when(occurrence),
        shifted=shifted,
        unknown=unknown,
    )


async def meeting_command(update: Update, context: Context) -> None:
    """/meeting, /meeting set <spec>, /meeting off."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    if not await is_staff(context, user.id):
        # The schedule is the union's; a former volunteer or an outsider is not told it.
        await refuse(context, update, "not_member", texts.MEETING_MEMBERS_ONLY)
        return
    args = list(context.args or [])
    if not args:
        found = await svc.meetings.schedule()
        if found is None:
            await reply(message, texts.MEETING_NONE)
            return
        where = texts.MEETING_WHERE.format(where=_places(context, message, found[0].chats))
        await reply(
            message, _summary(texts.MEETING_SHOW, found[0], svc.meetings.next(found[0])) + where
        )
        return
    if args[0] not in ("set", "off"):
        await reply(message, texts.MEETING_USAGE)
        return
    if Role.ADMIN not in await svc.members.roles(user.id):
        await refuse(context, update, "not_admin", texts.MEETING_ADMIN_ONLY)
        return
    if args[0] == "off":
        await svc.meetings.off(actor_of(user))
        await svc.scheduler.arm()
        await reply(message, texts.MEETING_OFF)
        return
    spec = (message.text or "").split(maxsplit=2)[2:] or [""]
    before = await svc.meetings.schedule()
    try:
        schedule, occurrence = await svc.meetings.set(actor_of(user), spec[0], message.chat_id)
    except MeetingSpecError as exc:
        await reply(message, formatting.echo(texts.MEETING_BAD_SPEC, error=str(exc)))
        return
    await svc.scheduler.arm()
    where = _places(context, message, schedule.chats)
    text = _summary(texts.MEETING_SET, schedule, occurrence) + texts.MEETING_WHERE.format(
        where=where
    )
    old = before[0].chats if before is not None else ()
    if old and set(old) != set(schedule.chats):
        text += texts.MEETING_MOVED.format(old=_places(context, message, old), new=where)
        for chat_id in set(old) - set(schedule.chats):
            # The chat that used to hear the reminders is told they went elsewhere.
            try:
                await context.bot.send_message(
                    chat_id,
                    texts.MEETING_MOVED_AWAY.format(who=formatting.e(user.full_name), new=where),
                )
            except TelegramError as exc:
                logger.info("could not tell chat %s the reminders moved: %s", chat_id, exc)
    await reply(message, text)


def _places(context: Context, message: Message, chats: tuple[int, ...]) -> str:
    """Where reminders go, in words: this chat, a configured chat by its role, or a number."""
    configured = services(context).config.chats
    names = []
    for chat_id in chats:
        if chat_id == message.chat_id:
            title = message.chat.title
            names.append(
                texts.MEETING_HERE.format(title=formatting.e(title))
                if title
                else texts.MEETING_HERE_PRIVATE
            )
            continue
        role = next((k for k in texts.CHAT_NAMES if getattr(configured, k, None) == chat_id), None)
        names.append(texts.CHAT_NAMES[role] if role else texts.CHAT_UNKNOWN.format(chat_id=chat_id))
    return "、".join(names)


async def agenda_command(update: Update, context: Context) -> None:
    """/agenda <topic> adds a topic to the next meeting; /agenda alone shows the agenda."""
    sender = await staff_sender(update, context, texts.AGENDA_STAFF_ONLY)
    if sender is None:
        return
    message, user = sender
    svc = services(context)
    topic = " ".join((message.text or "").split()[1:])
    found = await svc.meetings.schedule()
    if found is None:
        await reply(message, texts.MEETING_NONE)
        return
    if not topic:
        meeting = svc.meetings.next(found[0]).at.date()
        topics = await svc.meetings.agenda(meeting)
        lines = "\n".join(
            texts.MEETING_AGENDA_LINE.format(n=n, topic=formatting.e(t), who=formatting.e(w))
            for n, (w, t) in enumerate(topics, start=1)
        )
        await reply(
            message,
            texts.AGENDA_SHOW.format(
                date=meeting.isoformat(), agenda=lines or texts.MEETING_AGENDA_EMPTY
            ),
        )
        return
    added = await svc.meetings.add_topic(actor_of(user), topic[:200])
    assert added is not None
    await reply(message, texts.AGENDA_ADDED.format(date=added[0].isoformat(), count=added[1]))


HANDLERS = [CommandHandler("meeting", meeting_command), CommandHandler("agenda", agenda_command)]
