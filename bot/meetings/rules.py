"""The union's monthly planning meeting (筹划会): the rule, its dates, and when to remind.

Admins set the rule in chat (``/meeting set 第2个周三 19:00 提前3天,1小时``); ``bot.meetings.spec``
turns the arguments into a :class:`MeetingSchedule`, :func:`describe` reads it back in Chinese,
:func:`to_dict` / :func:`from_dict` store it, and :func:`occurrence` / :func:`next_occurrence`
give the actual meeting times with the holiday rule applied.

Rules that are not obvious from the grammar:

* A day of the month past the month's end means that month's last day (``31`` is "month end":
  28 or 29 February, 30 April, ...), so the meeting never silently skips a month.
* ``第5个周X`` means the 5th such weekday where the month has one and the last one (the 4th)
  where it does not, for the same reason: a monthly meeting happens every month.
* A meeting on a day off (statutory holiday, or a weekend that is not a make-up working day)
  moves to the next working day unless the rule says ``不顺延``. A make-up working day (调休)
  counts as a working day, so a meeting that falls on one stays there.
* For years the holiday data does not cover, only weekends count as days off;
  :attr:`Occurrence.calendar_known` says so, so the caller can add
  :data:`bot.clock.workdays.UNKNOWN_YEAR_NOTE` instead of presenting a guess as fact.

Weekdays are numbered as in :meth:`datetime.date.weekday`: Monday is 0, Sunday is 6.
"""

from __future__ import annotations

import calendar as _gregorian
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Literal

from bot.clock.workdays import SHANGHAI, WorkCalendar

__all__ = [
    "COMMAND",
    "DEFAULT_REMIND_BEFORE",
    "EXAMPLE",
    "MAX_REMIND_BEFORE",
    "MAX_SPEC_LENGTH",
    "WEEKDAY_NAMES",
    "MeetingDay",
    "MeetingSchedule",
    "MeetingSpecError",
    "Occurrence",
    "describe",
    "from_dict",
    "next_occurrence",
    "occurrence",
    "time_spec",
    "to_dict",
]

logger = logging.getLogger(__name__)

COMMAND = "/meeting set"
EXAMPLE = "第2个周三 19:00 提前3天,1小时"
DEFAULT_REMIND_BEFORE: tuple[timedelta, ...] = (timedelta(days=3), timedelta(hours=1))
# Longer than a month would interleave with the previous meeting's reminders and is surely a typo.
MAX_REMIND_BEFORE = timedelta(days=30)

# Anything longer is not a meeting rule; refusing early keeps error messages short.
MAX_SPEC_LENGTH = 500
_FORMAT_VERSION = 1

DayKind = Literal["day", "nth_weekday", "last_weekday"]
_KINDS: tuple[DayKind, ...] = ("day", "nth_weekday", "last_weekday")
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


# --- the rule -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingDay:
    """Which day of each month the meeting is on.

    ``kind == "day"``: ``day`` 1–31 (past the month's end → the month's last day);
    ``"nth_weekday"``: ``nth`` 1–5 and ``weekday`` 0–6 (no 5th → the last one);
    ``"last_weekday"``: ``weekday`` 0–6. Fields a kind does not use must be None.
    """

    kind: DayKind
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown meeting day kind {self.kind!r}")
        used = {
            "day": ("day",),
            "nth_weekday": ("weekday", "nth"),
            "last_weekday": ("weekday",),
        }[self.kind]
        for name in ("day", "weekday", "nth"):
            value = getattr(self, name)
            if name not in used:
                if value is not None:
                    raise ValueError(f"{name} must be None for kind {self.kind!r}")
                continue
            # bool is an int subclass; True as "day 1" would only ever be a bug.
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"{name} must be an int for kind {self.kind!r}")
        if self.day is not None and not 1 <= self.day <= 31:
            raise ValueError("day must be 1..31")
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday)..6 (Sunday)")
        if self.nth is not None and not 1 <= self.nth <= 5:
            raise ValueError("nth must be 1..5")

    @classmethod
    def on_day(cls, day: int) -> MeetingDay:
        """The ``day``-th of every month (past the month's end → its last day)."""
        return cls("day", day=day)

    @classmethod
    def on_nth_weekday(cls, nth: int, weekday: int) -> MeetingDay:
        """The ``nth`` ``weekday`` (0 = Monday) of every month; no 5th → the last one."""
        return cls("nth_weekday", weekday=weekday, nth=nth)

    @classmethod
    def on_last_weekday(cls, weekday: int) -> MeetingDay:
        """The last ``weekday`` (0 = Monday) of every month."""
        return cls("last_weekday", weekday=weekday)

    def in_month(self, year: int, month: int) -> date:
        """The date this rule gives in ``year``-``month``, before any holiday shift."""
        first_weekday, length = _gregorian.monthrange(year, month)
        if self.kind == "day":
            assert self.day is not None
            return date(year, month, min(self.day, length))
        assert self.weekday is not None
        if self.kind == "nth_weekday":
            assert self.nth is not None
            first = 1 + (self.weekday - first_weekday) % 7
            candidate = first + 7 * (self.nth - 1)
            return date(year, month, candidate if candidate <= length else candidate - 7)
        last_weekday = (first_weekday + length - 1) % 7
        return date(year, month, length - (last_weekday - self.weekday) % 7)


@dataclass(frozen=True)
class MeetingSchedule:
    """The whole rule: the day, the wall-clock time, where to remind, and how early.

    ``time`` is naive wall-clock time in whole minutes (the time zone is the caller's, passed to
    :func:`occurrence`); ``chats`` and ``remind_before`` must be non-empty and free of
    duplicates, and every reminder lead is a whole number of minutes in (0, 30 days].
    """

    day: MeetingDay
    time: time
    chats: tuple[int, ...]
    remind_before: tuple[timedelta, ...] = DEFAULT_REMIND_BEFORE
    shift_holidays: bool = True

    def __post_init__(self) -> None:
        if self.time.tzinfo is not None:
            raise ValueError("time must be naive wall-clock time; pass the zone to occurrence()")
        if self.time.second or self.time.microsecond:
            raise ValueError("time must be a whole minute")
        if not self.chats:
            raise ValueError("at least one chat is needed")
        for chat in self.chats:
            if not isinstance(chat, int) or isinstance(chat, bool) or chat == 0:
                raise ValueError(f"bad chat id {chat!r}")
        if len(set(self.chats)) != len(self.chats):
            raise ValueError("duplicate chat ids")
        if not self.remind_before:
            raise ValueError("at least one reminder is needed")
        for lead in self.remind_before:
            if not timedelta(0) < lead <= MAX_REMIND_BEFORE or lead % timedelta(minutes=1):
                raise ValueError(f"reminder lead must be whole minutes in (0, 30 days]: {lead}")
        # Two equal leads would produce two reminders with the same key.
        if len(set(self.remind_before)) != len(self.remind_before):
            raise ValueError("duplicate reminder leads")


# --- errors -------------------------------------------------------------------------------------


class MeetingSpecError(ValueError):
    """``/meeting set`` arguments that cannot be understood.

    ``str(error)`` is a Chinese sentence for the admin that ends with a command that works;
    ``example`` is that command's arguments alone.
    """

    def __init__(self, problem: str, example: str = EXAMPLE) -> None:
        super().__init__(f"{problem}。例如：{COMMAND} {example}")
        self.problem = problem
        self.example = example


def time_spec(clock: time) -> str:
    """A time of day as the grammar writes it: ``19:00``."""
    return f"{clock.hour:02d}:{clock.minute:02d}"


# --- reading back -------------------------------------------------------------------------------


def _duration_text(lead: timedelta) -> str:
    minutes = lead // timedelta(minutes=1)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    pieces = [
        f"{value}{unit}"
        for value, unit in ((days, "天"), (hours, "小时"), (minutes, "分钟"))
        if value
    ]
    return "".join(pieces)


def _duration_key(lead: timedelta) -> str:
    minutes = lead // timedelta(minutes=1)
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def describe(schedule: MeetingSchedule) -> str:
    """The rule in Chinese, e.g.
    ``每月第2个周三 19:00（提前 3天、1小时 提醒；遇节假日顺延到下一个工作日）``."""
    day = schedule.day
    notes: list[str] = []
    if day.kind == "day":
        assert day.day is not None
        head = f"每月{day.day}日"
        if day.day > 28:
            notes.append(f"没有{day.day}日的月份取当月最后一天")
    elif day.kind == "nth_weekday":
        assert day.weekday is not None
        name = WEEKDAY_NAMES[day.weekday]
        head = f"每月第{day.nth}个{name}"
        if day.nth == 5:
            notes.append(f"没有第5个{name}的月份取最后一个{name}")
    else:
        assert day.weekday is not None
        head = f"每月最后一个{WEEKDAY_NAMES[day.weekday]}"
    leads = "、".join(_duration_text(lead) for lead in schedule.remind_before)
    notes.append(f"提前 {leads} 提醒")
    notes.append("遇节假日顺延到下一个工作日" if schedule.shift_holidays else "遇节假日也不顺延")
    return f"{head} {time_spec(schedule.time)}（{'；'.join(notes)}）"


# --- storage ------------------------------------------------------------------------------------


def to_dict(schedule: MeetingSchedule) -> dict[str, Any]:
    """A JSON-safe dict for the database; :func:`from_dict` reads it back."""
    return {
        "version": _FORMAT_VERSION,
        "day": {
            "kind": schedule.day.kind,
            "day": schedule.day.day,
            "weekday": schedule.day.weekday,
            "nth": schedule.day.nth,
        },
        "time": time_spec(schedule.time),
        "chats": list(schedule.chats),
        "remind_before_minutes": [lead // timedelta(minutes=1) for lead in schedule.remind_before],
        "shift_holidays": schedule.shift_holidays,
    }


def _int(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"stored meeting schedule: {what} must be an int, got {value!r}")
    return value


def _optional_int(value: object, what: str) -> int | None:
    return None if value is None else _int(value, what)


def from_dict(data: Mapping[str, Any]) -> MeetingSchedule:
    """The schedule :func:`to_dict` stored. Raises ValueError when the data is malformed.

    ``remind_before_minutes`` and ``shift_holidays`` may be missing (defaults apply), so rows
    written before those options existed still load.
    """
    version = data.get("version", _FORMAT_VERSION)
    if version != _FORMAT_VERSION:
        raise ValueError(f"stored meeting schedule: unsupported version {version!r}")
    raw_day = data.get("day")
    if not isinstance(raw_day, Mapping):
        raise ValueError("stored meeting schedule: day must be a mapping")
    kind = raw_day.get("kind")
    if kind not in _KINDS:
        raise ValueError(f"stored meeting schedule: unknown day kind {kind!r}")
    day = MeetingDay(
        kind=kind,
        day=_optional_int(raw_day.get("day"), "day.day"),
        weekday=_optional_int(raw_day.get("weekday"), "day.weekday"),
        nth=_optional_int(raw_day.get("nth"), "day.nth"),
    )
    raw_time = data.get("time")
    if not isinstance(raw_time, str):
        raise ValueError("stored meeting schedule: time must be a string")
    clock = time.fromisoformat(raw_time)
    chats = data.get("chats")
    if not isinstance(chats, list | tuple):
        raise ValueError("stored meeting schedule: chats must be a list")
    leads = data.get("remind_before_minutes")
    if leads is None:
        remind_before = DEFAULT_REMIND_BEFORE
    elif isinstance(leads, list | tuple):
        remind_before = tuple(
            timedelta(minutes=_int(lead, "remind_before_minutes")) for lead in leads
        )
    else:
        raise ValueError("stored meeting schedule: remind_before_minutes must be a list")
    shift = data.get("shift_holidays", True)
    if not isinstance(shift, bool):
        raise ValueError("stored meeting schedule: shift_holidays must be a bool")
    return MeetingSchedule(
        day=day,
        time=clock,
        chats=tuple(_int(chat, "chats") for chat in chats),
        remind_before=remind_before,
        shift_holidays=shift,
    )


# --- dates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One meeting: the date the rule gives and when it actually takes place."""

    planned: date
    at: datetime
    shifted: bool
    calendar_known: bool

    def reminders(self, schedule: MeetingSchedule) -> list[tuple[str, datetime]]:
        """``(key, due)`` for every lead in ``schedule.remind_before``, earliest due first.

        Nothing is skipped, not even dues already past: whether a late reminder is still worth
        sending is the caller's decision. The key (``meeting:2026-12-09:3d``) depends only on
        the actual meeting date and the lead, so it is the same after a restart and a stored
        reminder is recognised; if the holiday data later moves the meeting, the new date gets
        new keys and the reminders go out again for it.
        """
        day = self.at.date().isoformat()
        pairs = [
            (f"meeting:{day}:{_duration_key(lead)}", self.at - lead)
            for lead in schedule.remind_before
        ]
        return sorted(pairs, key=lambda pair: pair[1])


def occurrence(
    schedule: MeetingSchedule,
    year: int,
    month: int,
    calendar: WorkCalendar,
    tz: tzinfo = SHANGHAI,
) -> Occurrence:
    """The meeting of ``year``-``month`` (it may move into the next month on a long holiday)."""
    planned = schedule.day.in_month(year, month)
    day = planned
    if schedule.shift_holidays and not calendar.is_workday(planned):
        day = calendar.next_workday(planned)
    known = not calendar.unknown_years(planned, day)
    if not known:
        logger.debug("meeting on %s: holidays of that year unknown, weekends only", planned)
    # Round-tripping through UTC turns a wall time inside a DST gap into a real instant; for
    # Asia/Shanghai (no DST since 1991) it changes nothing.
    at = datetime.combine(day, schedule.time, tzinfo=tz).astimezone(UTC).astimezone(tz)
    return Occurrence(planned=planned, at=at, shifted=day != planned, calendar_known=known)


def next_occurrence(
    schedule: MeetingSchedule,
    after: datetime,
    calendar: WorkCalendar,
    tz: tzinfo = SHANGHAI,
) -> Occurrence:
    """The first meeting strictly after ``after`` (an aware datetime).

    The previous month's meeting is considered too, since a holiday can push it past ``after``
    (the last Friday of January 2025 fell in the Spring Festival and moved to 5 February).
    """
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("after must be an aware datetime")
    local = after.astimezone(tz)
    # Meeting times never decrease from one month to the next (planned dates increase and
    # next_workday keeps order), so the first one after ``after`` is the earliest; the month
    # after ``after``'s always qualifies, so three months suffice.
    for offset in (-1, 0, 1):
        year, month = divmod(local.year * 12 + local.month - 1 + offset, 12)
        if not MINYEAR <= year <= MAXYEAR:
            continue
        candidate = occurrence(schedule, year, month + 1, calendar, tz)
        if candidate.at > after:
            return candidate
    raise OverflowError("no meeting between `after` and the end of the calendar")
