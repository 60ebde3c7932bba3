"""Account-change notices (article 16): the seven-working-day rule and the wizard, pure.

Telegram-free. How "提前至少七个工作日" is counted here, precisely:

* the notice counts from the day it is filed (``notice_on``, the union's local date);
* neither the filing day (part of it is already gone) nor the effective day (the change
  happens at its start) counts: at least seven whole working days must lie strictly between
  them;
* working days follow :class:`bot.clock.workdays.WorkCalendar`: statutory holidays and make-up
  working days (调休) from ``chinesecalendar``, then the admins' overrides.

So a notice filed on day D may take effect at the earliest on the day after the seventh
working day after D (``add_working_days(D, 7) + 1 day``), which may be a weekend. This is the
strict reading: whoever reads the article more leniently is satisfied too. For a year whose
holidays nobody entered, only weekends count as days off, and every answer says so.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from bot import formatting, texts
from bot.clock.dates import DateUnreadable, parse_day
from bot.clock.workdays import UNKNOWN_YEAR_NOTE, WorkCalendar
from storage.account_changes import AccountChange

__all__ = [
    "LIMITS",
    "MAX_DAYS_AHEAD",
    "NOTICE_WORKING_DAYS",
    "OUTBOX_KIND",
    "RECENT_DAYS",
    "REMINDER_KIND",
    "WIZARD_KIND",
    "ChangeKind",
    "DateRefused",
    "InputRefused",
    "NoticeRule",
    "Span",
    "Wizard",
    "change_summary",
    "change_summary_part",
    "change_unknown_note",
    "day_text",
    "one_line_until_date",
    "parse_date",
    "parse_one_line",
    "reminder_key",
    "summary",
    "summary_part",
    "unknown_note",
]

logger = logging.getLogger(__name__)

NOTICE_WORKING_DAYS = 7
# A notice for a change more than a year away is a typo or a plan, not a notice.
MAX_DAYS_AHEAD = 365
# How far back /account_changes all looks for notices in effect or cancelled.
RECENT_DAYS = 30
WIZARD_KIND = "account_change"
REMINDER_KIND = "account_change"
OUTBOX_KIND = "account_change"
LIMITS: Mapping[str, int] = {"account": 60, "detail": 200, "reason": 500}


class ChangeKind(StrEnum):
    """What changes about the account."""

    NAME = "name"
    MANAGERS = "managers"
    CLOSE = "close"
    OTHER = "other"

    @property
    def needs_detail(self) -> bool:
        """Whether the member must say what it becomes (the new name, the new managers...)."""
        return self is not ChangeKind.CLOSE


def reminder_key(change_id: int) -> str:
    """The unique key of a notice's "takes effect next" reminder."""
    return f"account_change:{change_id}"


# --- the rule ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """An accepted effective date: how many working days lie between, and what was unknown."""

    notice_on: date
    effective_on: date
    working_days: int
    earliest: date
    unknown_years: tuple[int, ...]
    holidays: tuple[str, ...]


class DateRefused(ValueError):
    """An effective date the rule does not accept; the fields say why and what would do."""

    def __init__(
        self,
        reason: str,
        text: str = "",
        day: date | None = None,
        earliest: date | None = None,
        latest: date | None = None,
        working_days: int = 0,
        unknown_years: tuple[int, ...] = (),
        holidays: tuple[str, ...] = (),
        today: date | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text
        self.day = day
        self.earliest = earliest
        self.latest = latest
        self.working_days = working_days
        self.unknown_years = unknown_years
        self.holidays = holidays
        self.today = today


class NoticeRule:
    """Article 16's notice period over a working-day calendar."""

    def __init__(self, calendar: WorkCalendar, days: int = NOTICE_WORKING_DAYS) -> None:
        self.calendar = calendar
        self.days = days

    def earliest(self, notice_on: date) -> date:
        """The first day a change noticed on ``notice_on`` may take effect."""
        return self.calendar.add_working_days(notice_on, self.days) + timedelta(days=1)

    def latest(self, notice_on: date) -> date:
        """The last day a notice filed on ``notice_on`` may name."""
        return notice_on + timedelta(days=MAX_DAYS_AHEAD)

    def working_days(self, notice_on: date, effective_on: date) -> int:
        """Working days strictly between the two days (0 when they are adjacent or reversed)."""
        if effective_on <= notice_on + timedelta(days=1):
            return 0
        return self.calendar.working_days_between(notice_on, effective_on - timedelta(days=1))

    def unknown_years(self, notice_on: date, effective_on: date) -> tuple[int, ...]:
        """Years of the span counted with weekends only (no holiday data, no overrides)."""
        return self.calendar.unknown_years(notice_on, max(effective_on, notice_on))

    def holidays(self, notice_on: date, effective_on: date) -> tuple[str, ...]:
        """Names of the holidays whose days off fall strictly between the two days."""
        names: list[str] = []
        day = notice_on + timedelta(days=1)
        # Bounded by MAX_DAYS_AHEAD: callers check the range first.
        while day < effective_on:
            name = self.calendar.holiday_name(day)
            if name and not self.calendar.is_workday(day) and name not in names:
                names.append(name)
            day += timedelta(days=1)
        return tuple(names)

    def check(self, notice_on: date, effective_on: date) -> Span:
        """The span if ``effective_on`` is allowed for a notice filed on ``notice_on``.

        Raises DateRefused: ``past`` (before the notice day), ``too_far`` (over a year away)
        or ``too_soon`` (fewer than seven working days between), naming the earliest day.
        """
        earliest = self.earliest(notice_on)
        latest = self.latest(notice_on)

        def refuse(reason: str, between: int = 0) -> DateRefused:
            return DateRefused(
                reason,
                day=effective_on,
                earliest=earliest,
                latest=latest,
                working_days=between,
                unknown_years=self.unknown_years(notice_on, earliest),
                holidays=self.holidays(notice_on, min(effective_on, latest)),
                today=notice_on,
            )

        if effective_on < notice_on:
            raise refuse("past")
        if effective_on > latest:
            raise refuse("too_far")
        between = self.working_days(notice_on, effective_on)
        if between < self.days:
            raise refuse("too_soon", between)
        return Span(
            notice_on=notice_on,
            effective_on=effective_on,
            working_days=between,
            earliest=earliest,
            unknown_years=self.unknown_years(notice_on, effective_on),
            holidays=self.holidays(notice_on, effective_on),
        )

    def reminder_day(self, effective_on: date) -> date:
        """The last working day before ``effective_on``: when "takes effect next" is sent."""
        day = effective_on - timedelta(days=1)
        # The longest run of days off in China is about ten days; a month is plenty.
        for _ in range(31):
            if self.calendar.is_workday(day):
                return day
            day -= timedelta(days=1)
        return effective_on - timedelta(days=1)


# --- reading dates ----------------------------------------------------------------------------


def parse_date(text: str, today: date) -> date:
    """A date as members write it (see ``bot.dates.parse_day``); DateRefused when it is none."""
    try:
        return parse_day(text, today)
    except DateUnreadable as exc:
        raise DateRefused(exc.reason, exc.text) from exc


# --- the wizard -------------------------------------------------------------------------------


class InputRefused(ValueError):
    """An answer the wizard cannot take; ``reason`` and ``params`` fill the message."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


STEPS = ("account", "change", "detail", "date", "reason", "confirm")


@dataclass(frozen=True, slots=True)
class Wizard:
    """The answers collected so far; lives in the prompt's data, so a restart loses nothing.

    ``seq`` grows with every step, so a button or reply meant for an earlier step is stale.
    """

    step: str = "account"
    seq: int = 0
    account: str = ""
    change: str = ""
    detail: str = ""
    effective_on: str = ""
    reason: str = ""
    typed: bool = False

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> Wizard:
        """The wizard stored in a prompt (unknown or malformed fields fall back to defaults)."""
        step = str(data.get("step", "account"))
        seq = data.get("seq", 0)
        return cls(
            step=step if step in STEPS else "account",
            seq=seq if isinstance(seq, int) and not isinstance(seq, bool) else 0,
            account=str(data.get("account", "")),
            change=str(data.get("change", "")),
            detail=str(data.get("detail", "")),
            effective_on=str(data.get("effective_on", "")),
            reason=str(data.get("reason", "")),
            typed=data.get("typed") is True,
        )

    def to_data(self) -> dict[str, object]:
        """What the prompt stores."""
        return asdict(self)

    @property
    def kind(self) -> ChangeKind | None:
        """The change type chosen, if any."""
        try:
            return ChangeKind(self.change)
        except ValueError:
            return None

    @property
    def effective(self) -> date | None:
        """The effective date given, if any."""
        try:
            return date.fromisoformat(self.effective_on)
        except ValueError:
            return None

    def next(self, **changes: object) -> Wizard:
        """This wizard one step further (``seq`` grows)."""
        return replace(self, seq=self.seq + 1, **changes)  # type: ignore[arg-type]

    def complete(self) -> bool:
        """Whether every answer the confirm step needs is there."""
        kind = self.kind
        return (
            bool(self.account and self.reason)
            and kind is not None
            and (bool(self.detail) or not kind.needs_detail)
            and self.effective is not None
        )


def _field(name: str, text: str) -> str:
    """An answer, trimmed (an account name also kept to one line), within its limit."""
    clean = " ".join((text or "").split()) if name == "account" else (text or "").strip()
    label = texts.AC_FIELD_LABELS[name]
    if not clean:
        raise InputRefused("empty", label=label)
    limit = LIMITS[name]
    if len(clean) > limit:
        raise InputRefused("too_long", label=label, limit=limit, length=len(clean))
    return clean


def _after_change(wizard: Wizard, kind: ChangeKind, **changes: object) -> Wizard:
    step = "detail" if kind.needs_detail else "date"
    return wizard.next(step=step, change=kind.value, **changes)


def choose_account(wizard: Wizard, index: int, accounts: Sequence[str]) -> Wizard:
    """An account picked from the configured list."""
    if not 0 <= index < len(accounts):
        raise InputRefused("stale")
    return wizard.next(step="change", account=accounts[index], typed=False)


def ask_typed_account(wizard: Wizard) -> Wizard:
    """「其他账号」: the account will be typed in a reply."""
    return wizard.next(typed=True)


def choose_change(wizard: Wizard, kind: ChangeKind) -> Wizard:
    """A change type picked; closing needs no detail."""
    return _after_change(wizard, kind, detail="")


def answer_text(wizard: Wizard, text: str, rule: NoticeRule, today: date) -> Wizard:
    """A typed answer to the current step; raises InputRefused or DateRefused."""
    if wizard.step == "account":
        return wizard.next(step="change", account=_field("account", text), typed=False)
    if wizard.step == "detail":
        return wizard.next(step="date", detail=_field("detail", text))
    if wizard.step == "date":
        day = parse_date(text, today)
        try:
            rule.check(today, day)
        except DateRefused as exc:
            exc.text = (text or "").strip()[:30]
            raise
        # A reason given with the one-line form survives a corrected date.
        step = "confirm" if wizard.reason else "reason"
        return wizard.next(step=step, effective_on=day.isoformat())
    if wizard.step == "reason":
        return wizard.next(step="confirm", reason=_field("reason", text))
    raise InputRefused("use_buttons")


def parse_one_line(text: str, rule: NoticeRule, today: date) -> Wizard:
    """``账号 | 类型 | 内容 | 日期 | 理由`` (the content may be left out for closing).

    Returns a wizard at its confirm step: the member still confirms. Raises InputRefused
    (``one_line`` with a ``problem``) or DateRefused.
    """
    wizard = one_line_until_date(text)
    parts = [p.strip() for p in re.split(r"[|｜]", text)]
    wizard = answer_text(replace(wizard, reason=""), parts[-2], rule, today)
    return answer_text(wizard, parts[-1], rule, today)


def one_line_until_date(text: str) -> Wizard:
    """The one-line form read up to its date: a wizard asking the date, the reason kept.

    When only the date (or the reason) of a one-line form is refused, the member answers the
    wizard's date question instead of typing the whole line again. Raises InputRefused.
    """
    parts = [p.strip() for p in re.split(r"[|｜]", text)]
    if len(parts) not in (4, 5):
        raise InputRefused("one_line", problem=texts.AC_ONE_LINE_PARTS.format(count=len(parts)))
    kind_word = parts[1].replace(" ", "")
    if kind_word not in texts.AC_KIND_WORDS:
        raise InputRefused(
            "one_line", problem=formatting.echo(texts.AC_ONE_LINE_KIND, text=parts[1][:20])
        )
    kind = ChangeKind(texts.AC_KIND_WORDS[kind_word])
    detail = parts[2] if len(parts) == 5 else ""
    if kind.needs_detail and not detail:
        raise InputRefused(
            "one_line",
            problem=texts.AC_ONE_LINE_DETAIL.format(
                kind=texts.AC_KIND_NAMES[kind.value], label=texts.AC_DETAIL_LABELS[kind.value]
            ),
        )
    wizard = Wizard()
    wizard = wizard.next(step="change", account=_field("account", parts[0]))
    kept = _field("detail", detail) if detail and kind.needs_detail else ""
    wizard = _after_change(wizard, kind, detail=kept)
    if wizard.step == "detail":
        wizard = wizard.next(step="date")
    try:
        reason = _field("reason", parts[-1])
    except InputRefused:
        reason = ""
    return replace(wizard, reason=reason)


# --- rendering (pure) -------------------------------------------------------------------------


def day_text(day: date) -> str:
    """2026-12-10（周四）."""
    return texts.AC_DAY.format(date=day.isoformat(), weekday=texts.WEEKDAYS[day.weekday()])


def unknown_note(years: Iterable[int]) -> str:
    """The warning that some years were counted with weekends only; empty when none."""
    found = sorted(set(years))
    if not found:
        return ""
    return texts.AC_UNKNOWN_YEAR.format(
        years="、".join(str(y) for y in found), note=UNKNOWN_YEAR_NOTE
    )


def summary_part(
    account: str,
    change: str,
    detail: str,
    effective_on: date | None,
    reason: str,
    working_days: int | None,
) -> formatting.Part:
    """The lines describing a notice, each ending in a newline; its user text can be fitted."""
    lines: list[formatting.Field] = []
    if account:
        lines.append(formatting.Part(texts.AC_LINE_ACCOUNT, account=account))
    if change:
        lines.append(
            formatting.Html(
                texts.AC_LINE_CHANGE.format(change=texts.AC_KIND_NAMES.get(change, change))
            )
        )
    if detail:
        lines.append(
            formatting.Part(
                texts.AC_LINE_DETAIL,
                label=formatting.Html(
                    texts.AC_DETAIL_LABELS.get(change, texts.AC_FIELD_LABELS["detail"])
                ),
                detail=detail,
            )
        )
    if effective_on is not None:
        lines.append(
            formatting.Html(
                texts.AC_LINE_DATE.format(date=day_text(effective_on), days=working_days)
            )
        )
    if reason:
        lines.append(formatting.Part(texts.AC_LINE_REASON, reason=reason))
    return formatting.joined(lines)


def summary(
    account: str,
    change: str,
    detail: str,
    effective_on: date | None,
    reason: str,
    working_days: int | None,
) -> str:
    """The lines describing a notice (escaped), each ending in a newline."""
    return formatting.render(
        "{s}", s=summary_part(account, change, detail, effective_on, reason, working_days)
    )


def change_summary_part(change: AccountChange) -> formatting.Part:
    """The lines describing a filed notice, to fit into a message."""
    return summary_part(
        change.account,
        change.change,
        change.detail,
        change.effective_on,
        change.reason,
        change.working_days,
    )


def change_summary(change: AccountChange) -> str:
    """The lines describing a filed notice."""
    return formatting.render("{s}", s=change_summary_part(change))


def change_unknown_note(change: AccountChange, rule: NoticeRule) -> str:
    """The weekends-only warning for a filed notice; empty when its span had holiday data."""
    if not change.weekends_only:
        return ""
    return unknown_note(rule.unknown_years(change.notice_on, change.effective_on))


def refusal_text(exc: DateRefused) -> str:
    """The answer to a date the rule refused."""
    earliest = day_text(exc.earliest) if exc.earliest else ""
    note = unknown_note(exc.unknown_years)
    if exc.reason == "malformed":
        return formatting.echo(texts.AC_DATE_MALFORMED, text=exc.text)
    if exc.reason == "invalid":
        return formatting.echo(texts.AC_DATE_INVALID, text=exc.text)
    assert exc.day is not None
    if exc.reason == "past":
        return texts.AC_DATE_PAST.format(date=day_text(exc.day), earliest=earliest) + note
    if exc.reason == "too_far":
        latest = day_text(exc.latest) if exc.latest else ""
        return texts.AC_DATE_TOO_FAR.format(date=day_text(exc.day), latest=latest)
    holidays = texts.AC_HOLIDAYS.format(names="、".join(exc.holidays)) if exc.holidays else ""
    return (
        texts.AC_DATE_TOO_SOON.format(
            date=day_text(exc.day),
            today=exc.today.isoformat() if exc.today else "",
            days=exc.working_days,
            holidays=holidays,
            earliest=earliest,
        )
        + note
    )


def input_refusal_text(exc: InputRefused) -> str:
    """The answer to a wizard input that cannot be taken."""
    if exc.reason == "empty":
        return texts.AC_EMPTY.format(**exc.params)
    if exc.reason == "too_long":
        return texts.AC_TOO_LONG.format(**exc.params)
    if exc.reason == "one_line":
        return texts.AC_ONE_LINE_BAD.format(
            problem=exc.params.get("problem", ""), usage=texts.AC_ONE_LINE_USAGE
        )
    if exc.reason == "stale":
        return texts.AC_STALE
    return texts.AC_USE_BUTTONS
