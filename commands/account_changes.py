"""/account_change (the notice wizard, article 16) and /account_changes (list, cancel)."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from telegram import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import formatting, texts
from bot.account_changes.rules import (
    RECENT_DAYS,
    ChangeKind,
    DateRefused,
    InputRefused,
    Wizard,
    answer_text,
    ask_typed_account,
    change_summary,
    change_unknown_note,
    choose_account,
    choose_change,
    day_text,
    input_refusal_text,
    one_line_until_date,
    parse_one_line,
    refusal_text,
    summary,
    unknown_note,
)
from bot.account_changes.service import AccountChanges, CancelRefused, WizardRefused
from bot.documents import excerpt
from bot.members import Actor
from commands.common import (
    Context,
    actor_of,
    alert,
    draft_number,
    refuse,
    refuse_forged,
    reply,
    services,
    staff_sender,
)
from storage.account_changes import AccountChange
from storage.models import Prompt

__all__ = ["HANDLERS", "adopt_prompt", "answer_prompt"]

logger = logging.getLogger(__name__)

PREFIX = "ac:"
_WIZARD_TAP = re.compile(r"ac:w:([1-9]\d{0,9}):(\d{1,6}):(a1?\d|at|k[nmco]|y|x)")
_CANCEL_TAP = re.compile(r"ac:x:([1-9]\d{0,9})")
_TAGS = re.compile(r"<[^>]+>")
_KIND_CODES = {
    "n": ChangeKind.NAME,
    "m": ChangeKind.MANAGERS,
    "c": ChangeKind.CLOSE,
    "o": ChangeKind.OTHER,
}
_CODE_OF_KIND = {kind: code for code, kind in _KIND_CODES.items()}
# Listings stop short of Telegram's 4096 characters; the rest is counted, not shown.
_LIST_ROOM = 3600
_LIST_DETAIL_CHARS = 30
_CANCEL_BUTTONS = 10


# --- rendering the wizard ---------------------------------------------------------------------


def _button(text: str, prompt_id: int, seq: int, action: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=f"ac:w:{prompt_id}:{seq}:{action}")


def _so_far(svc: AccountChanges, wizard: Wizard) -> str:
    effective = wizard.effective
    days = svc.rule.working_days(svc.today(), effective) if effective else None
    return summary(
        wizard.account, wizard.change, wizard.detail, effective, wizard.reason, days
    ).rstrip("\n")


def _ask(
    svc: AccountChanges, wizard: Wizard, prompt_id: int
) -> tuple[str, InlineKeyboardMarkup | ForceReply]:
    """The message that asks the wizard's current step, with its buttons or reply field."""
    head = texts.AC_HEAD.format(step=texts.AC_STEP_NAMES[wizard.step])
    seq = wizard.seq
    cancel = _button(texts.AC_BUTTON_ABORT, prompt_id, seq, "x")
    force = ForceReply(selective=True)
    accounts = svc.config.accounts
    if wizard.step == "account":
        if not accounts:
            return head + texts.AC_ASK_ACCOUNT_TEXT, force
        if wizard.typed:
            return head + texts.AC_ASK_ACCOUNT_TYPED, force
        rows = [[_button(name, prompt_id, seq, f"a{i}")] for i, name in enumerate(accounts)]
        rows.append([_button(texts.AC_BUTTON_TYPE_ACCOUNT, prompt_id, seq, "at"), cancel])
        return head + texts.AC_ASK_ACCOUNT_BUTTONS, InlineKeyboardMarkup(rows)
    so_far = _so_far(svc, wizard)
    if wizard.step == "change":
        kinds = [
            _button(texts.AC_KIND_NAMES[kind.value], prompt_id, seq, f"k{_CODE_OF_KIND[kind]}")
            for kind in ChangeKind
        ]
        markup = InlineKeyboardMarkup([kinds[:2], kinds[2:], [cancel]])
        return head + texts.AC_ASK_CHANGE.format(so_far=so_far), markup
    if wizard.step == "detail":
        label = texts.AC_DETAIL_LABELS.get(wizard.change, texts.AC_FIELD_LABELS["detail"])
        return head + texts.AC_ASK_DETAIL.format(so_far=so_far, label=label), force
    if wizard.step == "date":
        today = svc.today()
        earliest = svc.rule.earliest(today)
        return (
            head
            + texts.AC_ASK_DATE.format(
                so_far=so_far,
                example=earliest.isoformat(),
                short=texts.AC_SHORT_DATE.format(month=earliest.month, day=earliest.day),
                earliest=day_text(earliest),
                unknown=unknown_note(svc.rule.unknown_years(today, earliest)),
            ),
            force,
        )
    if wizard.step == "reason":
        return head + texts.AC_ASK_REASON.format(so_far=so_far), force
    effective = wizard.effective
    years = svc.rule.unknown_years(svc.today(), effective) if effective else ()
    confirm = _button(texts.AC_BUTTON_CONFIRM, prompt_id, seq, "y")
    return (
        head + texts.AC_CONFIRM.format(summary=so_far, unknown=unknown_note(years)),
        InlineKeyboardMarkup([[confirm, cancel]]),
    )


async def _ask_step(
    context: Context,
    chat_id: int,
    prompt_id: int,
    seq: int,
    wizard: Wizard,
    error: str = "",
) -> bool:
    """Move the wizard from step ``seq`` to ``wizard`` and send the message asking it.

    The step is stored first, so a restart between the two loses no answer; False (nothing
    sent) when another answer to the same step won, e.g. a double tap.
    """
    svc = services(context).account_changes
    if wizard.seq != seq and not await svc.advance(prompt_id, seq, wizard):
        return False
    html, markup = _ask(svc, wizard, prompt_id)
    if error:
        html = f"{error}\n\n{html}"
    sent = await context.bot.send_message(chat_id, html, reply_markup=markup)
    if not await svc.attach(prompt_id, wizard.seq, sent.message_id):
        logger.info("account-change wizard %s moved on while step %s was sent", prompt_id, seq)
    return True


async def _edit(context: Context, message: Message, html: str) -> None:
    """Replace a wizard message's text and drop its buttons; a vanished message is fine."""
    try:
        await context.bot.edit_message_text(html, message.chat.id, message.message_id)
    except BadRequest as exc:
        logger.info("could not edit wizard message %s: %s", message.message_id, exc)


# --- /account_change --------------------------------------------------------------------------


async def account_change_command(update: Update, context: Context) -> None:
    """/account_change starts the wizard; with ``账号 | 类型 | …`` it fills it in one line."""
    sender = await staff_sender(update, context, texts.AC_NOT_STAFF)
    if sender is None:
        return
    message, user = sender
    if message.chat.type != "private":
        await refuse(context, update, "private_only", texts.AC_PRIVATE_ONLY)
        return
    svc = services(context).account_changes
    rest = (message.text or "").partition(" ")[2].strip()
    wizard = Wizard()
    if rest:
        try:
            wizard = parse_one_line(rest, svc.rule, svc.today())
        except InputRefused as exc:
            await reply(message, input_refusal_text(exc))
            return
        except DateRefused as exc:
            # Only the date was wrong: ask for it, so the reply with a corrected date is the
            # answer to a question (never mistaken for a new draft), the rest kept.
            at_date = one_line_until_date(rest)
            prompt_id = await svc.open(actor_of(user), message.chat_id, at_date)
            await _ask_step(
                context, message.chat_id, prompt_id, at_date.seq, at_date, refusal_text(exc)
            )
            return
    prompt_id = await svc.open(actor_of(user), message.chat_id, wizard)
    await _ask_step(context, message.chat_id, prompt_id, wizard.seq, wizard)


async def answer_prompt(context: Context, actor: Actor, message: Message, prompt: Prompt) -> None:
    """A reply to the wizard's current message: the answer to its step."""
    svc = services(context).account_changes
    wizard = Wizard.from_data(prompt.data)
    text = message.text or ""
    if text.strip() in texts.AC_ABORT_WORDS:
        await svc.abandon(prompt.id)
        await reply(message, texts.AC_ABORTED)
        return
    error = ""
    try:
        moved = answer_text(wizard, text, svc.rule, svc.today())
    except InputRefused as exc:
        if exc.reason == "use_buttons":
            await reply(message, texts.AC_USE_BUTTONS)
            return
        error, moved = input_refusal_text(exc), wizard.next()
    except DateRefused as exc:
        # The prompt stays open: the refusal itself asks again.
        error, moved = refusal_text(exc), wizard.next()
    if not await _ask_step(context, message.chat_id, prompt.id, wizard.seq, moved, error):
        await reply(message, texts.PROMPT_CLOSED)


async def adopt_prompt(context: Context, actor: Actor, target: Message) -> Prompt | None:
    """The wizard a reply to ``target`` answers when a restart lost which message asked it.

    The step is stored before its message is sent; if the bot stopped before recording the
    message, a reply to a newer wizard message asking the stored step still counts. An update
    handled again after a kill asks the same step twice: a reply to the earlier of the two
    questions counts too (it must never become a draft).
    """
    found = await services(context).account_changes.open_wizard(actor.user_id, target.chat.id)
    if found is None:
        return None
    prompt, wizard = found
    if prompt.message_id == target.message_id:
        return None
    head = _TAGS.sub("", texts.AC_HEAD.format(step=texts.AC_STEP_NAMES[wizard.step])).strip()
    if head not in (target.text or ""):
        return None
    if not await services(context).account_changes.attach(prompt.id, wizard.seq, target.message_id):
        return None
    logger.info("account-change wizard %s adopted message %s", prompt.id, target.message_id)
    return replace(prompt, message_id=target.message_id)


# --- buttons ----------------------------------------------------------------------------------


async def on_tap(update: Update, context: Context) -> None:
    """A button of the wizard (``ac:w:…``) or a cancel button of a listing (``ac:x:…``)."""
    query = update.callback_query
    if query is None or update.effective_user is None:
        return
    actor = actor_of(update.effective_user)
    data = query.data or ""
    svc = services(context)
    if m := _CANCEL_TAP.fullmatch(data):
        await _cancel_tap(context, query, actor, int(m[1]))
        return
    m = _WIZARD_TAP.fullmatch(data)
    message = query.message
    if m is None or not isinstance(message, Message):
        await refuse_forged(context, query, actor)
        return
    prompt_id, seq, action = int(m[1]), int(m[2]), m[3]
    try:
        prompt, wizard = await svc.account_changes.load(actor, prompt_id, message.chat.id)
    except WizardRefused as exc:
        await _refused_tap(context, query, actor, exc)
        return
    # The message may be newer than the one recorded, if a restart came between the two.
    if wizard.seq != seq or (prompt.message_id or 0) > message.message_id:
        await refuse(context, query, "stale", texts.AC_STALE)
        return
    if action == "x":
        await svc.account_changes.abandon(prompt.id)
        await alert(query, texts.DONE, show_alert=False)
        await _edit(context, message, texts.AC_ABORTED)
        return
    if action == "y":
        await _confirm(context, query, message, actor, prompt, wizard)
        return
    try:
        moved = _choose(svc.account_changes, wizard, action)
    except InputRefused:
        await refuse(context, query, "stale", texts.AC_STALE)
        return
    if not await svc.account_changes.advance(prompt.id, wizard.seq, moved):
        await refuse(context, query, "stale", texts.AC_STALE)
        return
    await alert(query, texts.DONE, show_alert=False)
    head = texts.AC_HEAD.format(step=texts.AC_STEP_NAMES[wizard.step])
    chosen = _so_far(svc.account_changes, moved)
    await _edit(context, message, head + texts.AC_CHOSEN.format(so_far=chosen))
    # Already advanced: sending with the new seq only attaches the message.
    await _ask_step(context, message.chat.id, prompt.id, moved.seq, moved)


def _choose(svc: AccountChanges, wizard: Wizard, action: str) -> Wizard:
    """The wizard after a choice button; InputRefused when the button does not fit the step."""
    if wizard.step == "account" and not wizard.typed and svc.config.accounts:
        if action == "at":
            return ask_typed_account(wizard)
        if action.startswith("a"):
            return choose_account(wizard, int(action[1:]), svc.config.accounts)
    if wizard.step == "change" and action.startswith("k"):
        return choose_change(wizard, _KIND_CODES[action[1]])
    raise InputRefused("stale")


async def _refused_tap(
    context: Context, query: CallbackQuery, actor: Actor, exc: WizardRefused
) -> None:
    if exc.reason == "forged":
        await refuse_forged(context, query, actor)
    elif exc.reason == "not_yours":
        await refuse(context, query, "prompt_not_yours", texts.PROMPT_NOT_YOURS)
    elif exc.reason == "closed":
        await refuse(context, query, "prompt_closed", texts.PROMPT_CLOSED)
    else:
        await refuse(context, query, "stale", texts.AC_STALE)


async def _confirm(
    context: Context,
    query: CallbackQuery,
    message: Message,
    actor: Actor,
    prompt: Prompt,
    wizard: Wizard,
) -> None:
    svc = services(context)
    try:
        filed = await svc.account_changes.file(actor, prompt.id, message.chat.id, wizard.seq)
    except WizardRefused as exc:
        await _refused_tap(context, query, actor, exc)
        return
    except DateRefused as exc:
        # Confirmed too late (e.g. the next day): ask for the date again, nothing was filed.
        problem = refusal_text(exc)
        await alert(query, texts.AC_REDO_DATE)
        await _edit(context, message, texts.AC_TOO_SOON_AT_CONFIRM.format(problem=problem))
        redo = wizard.next(step="date", effective_on="")
        await _ask_step(context, message.chat.id, prompt.id, wizard.seq, redo, problem)
        return
    await alert(query, texts.DONE, show_alert=False)
    change = filed.change
    await _edit(
        context,
        message,
        texts.AC_FILED.format(
            id=change.id,
            summary=change_summary(change).rstrip("\n"),
            unknown=change_unknown_note(change, svc.account_changes.rule),
            remind=day_text(filed.remind_on),
        ),
    )
    await svc.delivery.flush()
    await svc.scheduler.arm()


# --- /account_changes -------------------------------------------------------------------------


async def account_changes_command(update: Update, context: Context) -> None:
    """/account_changes [all | cancel N [理由]]."""
    sender = await staff_sender(update, context, texts.AC_LIST_NOT_STAFF)
    if sender is None:
        return
    message, user = sender
    args = (message.text or "").split(maxsplit=3)[1:]
    if not args or args[0].lower() in ("all", "全部", "recent", "最近"):
        html, markup = await _listing(context, user.id, bool(args))
        await reply(message, html, reply_markup=markup)
        return
    if args[0].lower() not in ("cancel", "撤销") or len(args) < 2:
        await reply(message, texts.AC_LIST_USAGE)
        return
    change_id = draft_number(args[1:2])
    if not change_id:
        await reply(message, texts.AC_BAD_NUMBER)
        return
    svc = services(context)
    reason = args[2] if len(args) > 2 else ""
    try:
        await svc.account_changes.cancel(actor_of(user), change_id, reason)
    except CancelRefused as exc:
        if exc.reason == "not_allowed":
            # The service put this one on the record already.
            await reply(message, _cancel_refusal(exc, change_id))
        else:
            await refuse(context, message, exc.reason, _cancel_refusal(exc, change_id))
        return
    await reply(message, texts.AC_CANCELLED.format(id=change_id))
    await svc.delivery.flush()


def _cancel_refusal(exc: CancelRefused, change_id: int) -> str:
    if exc.reason == "not_allowed":
        return texts.AC_CANCEL_NOT_ALLOWED.format(id=change_id)
    if exc.reason == "already":
        return texts.AC_CANCEL_ALREADY.format(id=change_id)
    if exc.reason == "in_effect" and exc.change is not None:
        return texts.AC_CANCEL_IN_EFFECT.format(
            id=change_id, date=day_text(exc.change.effective_on)
        )
    return texts.AC_CANCEL_NOT_FOUND.format(id=change_id)


async def _cancel_tap(context: Context, query: CallbackQuery, actor: Actor, change_id: int) -> None:
    svc = services(context)
    try:
        await svc.account_changes.cancel(actor, change_id)
    except CancelRefused as exc:
        if exc.reason == "not_found":
            await refuse_forged(context, query, actor)
            return
        if exc.reason == "not_allowed":
            # The service put this one on the record already.
            await alert(query, _cancel_refusal(exc, change_id))
        else:
            await refuse(context, query, exc.reason, _cancel_refusal(exc, change_id))
        return
    await alert(query, texts.AC_CANCELLED.format(id=change_id))
    await svc.delivery.flush()
    message = query.message
    if isinstance(message, Message):
        html, markup = await _listing(context, actor.user_id, False)
        try:
            await context.bot.edit_message_text(
                html, message.chat.id, message.message_id, reply_markup=markup
            )
        except BadRequest as exc:
            logger.info("could not refresh the account-change list: %s", exc)


def _line(change: AccountChange, names: formatting.Names, flags: str) -> str:
    detail = excerpt(change.detail, _LIST_DETAIL_CHARS)
    return texts.AC_LIST_LINE.format(
        id=change.id,
        date=day_text(change.effective_on),
        account=formatting.e(change.account),
        change=texts.AC_KIND_NAMES.get(change.change, change.change),
        detail=texts.AC_LIST_DETAIL.format(detail=formatting.e(detail)) if detail else "",
        filer=names(change.filed_by),
        flags=(texts.AC_LIST_UNKNOWN if change.weekends_only else "") + flags,
    )


async def _listing(
    context: Context, user_id: int, include_recent: bool
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Upcoming notices (and recent ones), with cancel buttons for those the user may cancel."""
    svc = services(context).account_changes
    upcoming = await svc.upcoming()
    recent = await svc.recent() if include_recent else []
    names = await svc.names(c.filed_by for c in [*upcoming, *recent])
    lines: list[str] = []
    if upcoming:
        lines.append(texts.AC_LIST_HEADER.format(count=len(upcoming)))
        lines += [_line(c, names, "") for c in upcoming]
    else:
        lines.append(texts.AC_LIST_EMPTY)
    if include_recent:
        lines.append(texts.AC_LIST_RECENT_HEADER.format(days=RECENT_DAYS))
        lines += [
            _line(c, names, texts.AC_LIST_CANCELLED if c.cancelled else texts.AC_LIST_DONE)
            for c in recent
        ] or [texts.AC_LIST_NONE_RECENT]
    buttons = [
        InlineKeyboardButton(
            texts.AC_BUTTON_CANCEL_NOTICE.format(id=c.id), callback_data=f"ac:x:{c.id}"
        )
        for c in await svc.cancellable(user_id, upcoming)
    ][:_CANCEL_BUTTONS]
    if buttons:
        lines.append(texts.AC_LIST_FOOTER)
    html = formatting.fit_lines(lines, _LIST_ROOM, texts.AC_LIST_MORE)
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return html, InlineKeyboardMarkup(rows) if rows else None


HANDLERS = [
    CommandHandler("account_change", account_change_command),
    CommandHandler("account_changes", account_changes_command),
    CallbackQueryHandler(on_tap, pattern=rf"^{PREFIX}"),
]
