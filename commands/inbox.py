"""The audience inbox: students' questions in, staff answers out, 认领 / 已处理, /inbox."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import formatting, texts
from bot.formatting import Html
from bot.inbox import cards
from bot.members import Actor
from bot.outbox.cards import fingerprint
from bot.overflow import send_full_text
from commands.common import (
    Context,
    alert,
    carries,
    read_tap,
    refuse,
    refuse_forged,
    reply,
    services,
    staff_sender,
)
from storage.inbox import Question

__all__ = ["HANDLERS", "answer_question", "ask_question", "on_question_tap"]

logger = logging.getLogger(__name__)


def _body(message: Message) -> str:
    return (message.text or message.caption or "").strip()


async def ask_question(context: Context, student: Actor, message: Message) -> None:
    """A student's private message: a new question, a follow-up, or refused as a flood."""
    svc = services(context)
    inbox_chat = svc.config.chats.inbox
    assert inbox_chat is not None
    target = message.reply_to_message
    group = message.media_group_id
    # Several screenshots sent together are one question: the album's later items join it.
    album_of = await svc.inbox.question_of_album(message.chat_id, group) if group else None
    follow_up_of = album_of or (
        await svc.inbox.question_at(message.chat_id, target.message_id) if target else None
    )
    asked = await svc.inbox.ask(student, follow_up_of)
    if asked.kind == "flood" or asked.question_id is None:
        await reply(message, texts.QUESTION_FLOOD.format(count=asked.open_count))
        return
    qid = asked.question_id
    body = _body(message)
    direction = "asked" if asked.kind == "new" else "relayed"
    await svc.inbox.record(
        qid, direction, student.user_id, body, message.chat_id, message.message_id, group
    )
    if album_of is not None and not body:
        # The rest of the album the question came in: each file follows the question's card,
        # with no card of its own and no acknowledgement per file.
        where = await svc.inbox.card(qid)
        copied = await context.bot.copy_message(
            inbox_chat,
            message.chat_id,
            message.message_id,
            reply_to_message_id=where[1] if where else None,
            allow_sending_without_reply=True,
        )
        await svc.inbox.record(qid, "relayed", None, "", inbox_chat, copied.message_id)
        return
    ack: Message | None = None
    if asked.kind == "new":
        question = await svc.inbox.question(qid)
        assert question is not None
        names = formatting.Names({}, svc.config.timezone)
        fitted = cards.question_card(question, body, names)
        card = await context.bot.send_message(
            inbox_chat, fitted.html, reply_markup=cards.keyboard(qid)
        )
        await svc.inbox.record(
            qid, "card", None, fingerprint(fitted.html, None), inbox_chat, card.message_id
        )
        full = await send_full_text(
            context.bot, inbox_chat, fitted, texts.FILE_QUESTION.format(id=qid), card.message_id
        )
        if full is not None:
            # Staff may answer by replying to the file too.
            await svc.inbox.record(qid, "relayed", None, "", inbox_chat, full.message_id)
        ack = await reply(message, texts.QUESTION_RECEIVED.format(id=qid))
    else:
        student_link = Html(formatting.mention(student.user_id, student.name))
        pieces = (
            formatting.split_fit(
                texts.QUESTION_FOLLOWUP_CARD,
                body,
                texts.QUESTION_FOLLOWUP_MORE,
                formatting.MESSAGE_LIMIT,
                id=qid,
                student=student_link,
            )
            if body
            else [
                texts.QUESTION_FOLLOWUP_CARD.format(
                    id=qid, student=student_link, body=texts.QUESTION_ATTACHMENT
                )
            ]
        )
        # A long follow-up goes to the inbox in as many messages as it needs, each one a thread
        # the staff can answer by replying to it.
        card = await context.bot.send_message(inbox_chat, pieces[0])
        await svc.inbox.record(qid, "relayed", None, body, inbox_chat, card.message_id)
        for piece in pieces[1:]:
            more = await context.bot.send_message(inbox_chat, piece)
            await svc.inbox.record(qid, "relayed", None, "", inbox_chat, more.message_id)
        if album_of is None:
            ack = await reply(message, texts.QUESTION_FOLLOWUP.format(id=qid))
    if ack is not None:
        await svc.inbox.record(qid, "relayed", None, "", ack.chat_id, ack.message_id)
    if message.photo or message.document:
        copied = await context.bot.copy_message(
            inbox_chat, message.chat_id, message.message_id, reply_to_message_id=card.message_id
        )
        await svc.inbox.record(qid, "relayed", None, body, inbox_chat, copied.message_id)
    await svc.scheduler.arm()


async def answer_question(context: Context, staff: Actor, message: Message, qid: int) -> None:
    """A staff reply in the inbox chat: relay it to the student and record who answered."""
    svc = services(context)
    if not await svc.members.roles(staff.user_id):
        await refuse(context, message, "not_staff", texts.QUESTION_STAFF_ONLY)
        return
    question = await svc.inbox.question(qid)
    if question is None:
        return
    body = _body(message)
    pieces = formatting.split_fit(
        texts.ANSWER_TO_STUDENT, body, texts.ANSWER_MORE, formatting.MESSAGE_LIMIT, id=qid
    )
    try:
        if body:
            # A long answer goes out in as many messages as it needs, in order, uncut.
            for index, piece in enumerate(pieces):
                sent = await context.bot.send_message(question.student_id, piece)
                await svc.inbox.record(
                    qid,
                    "relayed",
                    staff.user_id,
                    body if index == 0 else "",
                    sent.chat_id,
                    sent.message_id,
                )
        if message.photo or message.document:
            copied = await context.bot.copy_message(
                question.student_id, message.chat_id, message.message_id
            )
            await svc.inbox.record(
                qid, "relayed", staff.user_id, body, question.student_id, copied.message_id
            )
    except Forbidden as exc:
        await reply(message, formatting.error_alert(texts.ANSWER_FAILED, str(exc)))
        return
    except BadRequest as exc:
        # Not the student's doing: say so, and keep Telegram's words in the log.
        logger.warning("answer to question %s refused: %s", qid, exc)
        await reply(message, texts.ANSWER_REFUSED.format(id=qid))
        return
    await svc.inbox.record(qid, "answer", staff.user_id, body, message.chat_id, message.message_id)
    await svc.inbox.answered(qid, staff)
    await refresh_card(context, qid)
    await reply(message, texts.ANSWER_RELAYED.format(id=qid))


async def refresh_card(context: Context, qid: int) -> None:
    """Show on the card who claimed, answered or settled the question."""
    svc = services(context)
    question = await svc.inbox.question(qid)
    where = await svc.inbox.card(qid)
    if question is None or where is None:
        return
    chat_id, message_id, body = where
    people = await svc.members.users_by_id(
        [question.claimed_by, question.first_reply_by, question.settled_by]
    )
    html = cards.question_card(question, body, formatting.Names(people, svc.config.timezone)).html
    markup = cards.keyboard(qid) if question.state == "open" else None
    try:
        await context.bot.edit_message_text(html, chat_id, message_id, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            logger.warning("could not refresh question card %s: %s", qid, exc)
    except TelegramError as exc:
        logger.warning("could not refresh question card %s: %s", qid, exc)


async def on_question_tap(update: Update, context: Context) -> None:
    """认领 or 已处理 on a question card."""
    tapped = await read_tap(update, context, cards.parse)
    if tapped is None:
        return
    query, staff, tap = tapped.query, tapped.actor, tapped.tap
    svc = services(context)
    if not await svc.members.roles(staff.user_id):
        await refuse(context, query, "not_staff", texts.QUESTION_STAFF_ONLY)
        return
    question = await svc.inbox.question(tap.question_id)
    # The tap must come from that question's own card, not data copied onto another message.
    on = tapped.message
    card_of = await svc.inbox.question_at(on.chat.id, on.message_id) if on else None
    # A card whose send's answer was lost is not recorded; its own buttons vouch for it.
    unrecorded = on is not None and card_of is None and carries(on, query.data)
    if question is None or not (card_of == question.id or unrecorded):
        await refuse_forged(context, query, staff)
        return
    if question.state == "resolved":
        await refuse(context, query, "closed", texts.QUESTION_CLOSED)
        return
    if tap.action == "c":
        if not await svc.inbox.claim(question.id, staff):
            people = await svc.members.users_by_id([question.claimed_by])
            who = formatting.Names(people, svc.config.timezone)(question.claimed_by)
            text = texts.QUESTION_ALREADY_CLAIMED.format(who=who)
            await refuse(context, query, "claimed", text)
            return
        await alert(query, texts.QUESTION_CLAIMED.format(id=question.id), show_alert=False)
    else:
        if await svc.inbox.resolve(question.id, staff):
            await _tell_settled(context, question)
        await alert(query, texts.QUESTION_RESOLVED.format(id=question.id), show_alert=False)
    await refresh_card(context, question.id)


async def _tell_settled(context: Context, question: Question) -> None:
    """The student was promised a reply: a question settled without one is not left silent."""
    if question.first_reply_at is not None:
        return
    try:
        await context.bot.send_message(
            question.student_id, texts.QUESTION_SETTLED_TO_STUDENT.format(id=question.id)
        )
    except TelegramError as exc:
        logger.info("student of question %s not told it was settled: %s", question.id, exc)


async def inbox_command(update: Update, context: Context) -> None:
    """/inbox: questions waiting for a first reply, oldest first, with the reply figures."""
    sender = await staff_sender(update, context, texts.QUESTION_STAFF_ONLY)
    if sender is None:
        return
    message = sender[0]
    svc = services(context)
    waiting = await svc.inbox.waiting()
    figures = await svc.inbox.figures()
    now = svc.db.clock()
    people = await svc.members.users_by_id(q.claimed_by for q in waiting)
    names = formatting.Names(people, svc.config.timezone)
    lines = [texts.INBOX_HEADER.format(count=len(waiting))] if waiting else [texts.INBOX_EMPTY]
    for q in waiting:
        age = now - datetime.fromisoformat(q.asked_at)
        lines.append(
            texts.INBOX_LINE.format(
                id=q.id,
                student=formatting.e(q.student_name),
                age=formatting.waited(age.total_seconds()),
                promise=texts.INBOX_PROMISE.format(
                    deadline=formatting.fmt_time(q.promised_by, names.tz)
                )
                if q.promised_by
                else "",
                claimed=texts.INBOX_CLAIMED.format(who=names(q.claimed_by)) if q.claimed_by else "",
            )
        )
    median = (
        formatting.waited(figures.median_first_reply.total_seconds())
        if figures.median_first_reply is not None
        else texts.INBOX_NO_FIGURES
    )
    lines.append(
        texts.INBOX_FIGURES.format(
            median=median, on_time=figures.on_time, late=figures.late, overdue=figures.overdue
        )
    )
    await reply(message, "\n".join(lines))


HANDLERS = [
    CommandHandler("inbox", inbox_command),
    CallbackQueryHandler(on_question_tap, pattern=cards.PATTERN),
]
