"""Chinese working days: statutory holidays, make-up working days (调休) and admin overrides.

Holiday data comes from the ``chinesecalendar`` package, which only knows the years for which the
State Council had published its schedule when the installed version was released (usually each
November for the following year). For other years the admins can enter overrides; for years
nobody knows, only weekends count as days off, and :meth:`WorkCalendar.knows_year` /
:meth:`WorkCalendar.unknown_years` let the caller say so (see :data:`UNKNOWN_YEAR_NOTE`) rather
than guess silently.

All counting is arithmetic over the (small) set of days that differ from the plain Monday–Friday
rule, so spans of any length cost the same and a hostile date range cannot stall the bot.
"""

from __future__ import annotations

import bisect
import functools
import logging
import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import chinese_calendar

__all__ = [
    "SHANGHAI",
    "UNKNOWN_YEAR_NOTE",
    "WorkCalendar",
]

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
UNKNOWN_YEAR_NOTE = "该年份的节假日尚未收录，只按周末计算"


def _weekday_rule(day: date) -> bool:
    return day.weekday() < 5


@functools.cache
def _package_data() -> tuple[frozenset[int], dict[date, bool], dict[date, str]]:
    """Years the package covers, its exceptions to the weekday rule, and holiday names.

    Built once from the package's public tables and checked day by day against its own
    ``is_workday``, so a change in how the package combines the tables cannot go unnoticed.
    """
    listed = set(chinese_calendar.holidays) | set(chinese_calendar.workdays)
    if not listed:
        return frozenset(), {}, {}
    # The package accepts every year between its first and last listed one.
    years = frozenset(range(min(listed).year, max(listed).year + 1))
    exceptions: dict[date, bool] = {}
    names: dict[date, str] = {}
    for day in listed:
        working = bool(chinese_calendar.is_workday(day))
        if working != _weekday_rule(day):
            exceptions[day] = working
        _, name = chinese_calendar.get_holiday_detail(day)
        if name:
            names[day] = _chinese_holiday_name(name)
    logger.debug("chinesecalendar covers %d–%d", min(years), max(years))
    return years, exceptions, names


def _chinese_holiday_name(english: str) -> str:
    for holiday in chinese_calendar.Holiday:
        if holiday.value == english:
            return str(getattr(holiday, "chinese", english))
    return english


class WorkCalendar:
    """Working-day arithmetic for mainland China.

    ``overrides`` maps a date to True (working day) or False (day off) and beats the package,
    e.g. to enter next year's schedule before a new ``chinesecalendar`` is released or to mark a
    campus-specific day off. The mapping is copied; build a new calendar to change it.
    Instances are immutable and safe to share between threads.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        package_years, package_exceptions, names = _package_data()
        self._package_years = package_years
        self._names = names
        self._overrides: dict[date, bool] = {
            _as_date(day): bool(working) for day, working in (overrides or {}).items()
        }
        self._override_years = frozenset(day.year for day in self._overrides)
        exceptions = dict(package_exceptions)
        for day, working in self._overrides.items():
            if working == _weekday_rule(day):
                # Overriding back to the plain rule must also cancel the package's exception.
                exceptions.pop(day, None)
            else:
                exceptions[day] = working
        self._exceptions = exceptions
        self._exception_days = sorted(exceptions)

    # --- what is known ----------------------------------------------------------------------

    def covered_years(self) -> tuple[int, ...]:
        """Years with holiday data (package or overrides), ascending."""
        return tuple(sorted(self._package_years | self._override_years))

    def package_years(self) -> tuple[int, ...]:
        """Years the installed ``chinesecalendar`` covers, ascending."""
        return tuple(sorted(self._package_years))

    def knows_year(self, year: int) -> bool:
        """Whether holidays of ``year`` are known, from the package or from at least one override.

        When False, :meth:`is_workday` treats only weekends as days off.
        """
        return year in self._package_years or year in self._override_years

    def unknown_years(self, start: date, end: date) -> tuple[int, ...]:
        """The years touched by ``start``..``end`` (either order) whose holidays are unknown.

        Lets a caller that computed a deadline add :data:`UNKNOWN_YEAR_NOTE` when it matters.
        """
        low, high = sorted((_as_date(start).year, _as_date(end).year))
        return tuple(year for year in range(low, high + 1) if not self.knows_year(year))

    def holiday_name(self, day: date) -> str | None:
        """The Chinese name of the holiday a day off or make-up working day belongs to
        ("春节", "国庆节", ...), from the package; None for ordinary days and overrides."""
        day = _as_date(day)
        if day in self._overrides:
            return None
        return self._names.get(day)

    # --- single days ------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day: overrides, then the package, then Monday–Friday."""
        day = _as_date(day)
        return self._exceptions.get(day, _weekday_rule(day))

    def next_workday(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        day = _as_date(day)
        return day if self.is_workday(day) else self.add_working_days(day, 1)

    # --- counting ---------------------------------------------------------------------------

    def working_days_between(self, start: date, end: date) -> int:
        """Working days strictly after ``start`` up to and including ``end``.

        So ``working_days_between(d, d) == 0`` and, for a deadline, "7 working days ahead" means
        ``working_days_between(today, event_day) >= 7``. If ``end`` is before ``start`` the
        result is the negated count the other way round.
        """
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        count = _weekdays_after(start, end)
        low = bisect.bisect_right(self._exception_days, start)
        high = bisect.bisect_right(self._exception_days, end)
        for day in self._exception_days[low:high]:
            count += 1 if self._exceptions[day] else -1
        return count

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted).

        ``n == 0`` returns ``start`` unchanged (use :meth:`next_workday` to roll forward).
        Raises ValueError for negative ``n`` and OverflowError past ``date.max``.
        """
        start = _as_date(start)
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return start
        # Grow an upper bound, then binary-search the first day whose count reaches n; that day
        # is necessarily a working day, since the count only grows on working days.
        span = n + n // 2 + 7
        while True:
            bound = _shift(start, span)
            if self.working_days_between(start, bound) >= n:
                break
            if bound == date.max:
                raise OverflowError("no such working day before date.max")
            span *= 2
        low, high = 1, (bound - start).days
        while low < high:
            middle = (low + high) // 2
            if self.working_days_between(start, start + timedelta(days=middle)) >= n:
                high = middle
            else:
                low = middle + 1
        return start + timedelta(days=low)

    def add_working_hours(
        self,
        start: datetime,
        hours: float,
        day_start: time = time(9),
        day_end: time = time(18),
        tz: tzinfo = SHANGHAI,
    ) -> datetime:
        """The moment ``hours`` of working time after ``start``.

        Working time is ``day_start``–``day_end`` (wall clock in ``tz``) on working days. A start
        outside working time begins at the next ``day_start``; a deadline that falls exactly at
        ``day_end`` stays there rather than moving to the next morning. A naive ``start`` is taken
        to be in ``tz``; the result is always aware, in ``tz``.
        """
        if not math.isfinite(hours) or hours < 0:
            raise ValueError("hours must be a finite, non-negative number")
        if day_start.tzinfo is not None or day_end.tzinfo is not None:
            raise ValueError("day_start and day_end are wall-clock times without tzinfo")
        if day_start >= day_end:
            raise ValueError("day_start must be before day_end")

        local = start.replace(tzinfo=tz) if start.tzinfo is None else start.astimezone(tz)
        day, clock = local.date(), local.time().replace(tzinfo=None)
        remaining = timedelta(hours=hours)
        day_length = _between(day_start, day_end)

        if not self.is_workday(day) or clock >= day_end:
            day, clock = self.add_working_days(day, 1), day_start
        elif clock < day_start:
            clock = day_start
        left_today = _between(clock, day_end)
        if remaining <= left_today:
            return _at(day, clock, tz) + remaining

        remaining -= left_today
        full_days, rest = divmod(remaining, day_length)
        if rest:
            return _at(self.add_working_days(day, full_days + 1), day_start, tz) + rest
        return _at(self.add_working_days(day, full_days), day_end, tz)


def _as_date(day: date) -> date:
    # datetime is a subclass of date; mixing the two would break dict lookups and comparisons.
    return day.date() if isinstance(day, datetime) else day


def _shift(day: date, days: int) -> date:
    """``day + days``, clamped to ``date.max``."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def _weekdays_after(start: date, end: date) -> int:
    """Monday–Friday days in (start, end]; ``end >= start``."""
    days = (end - start).days
    weeks, extra = divmod(days, 7)
    count = weeks * 5
    weekday = start.weekday()
    for offset in range(1, extra + 1):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count


def _between(earlier: time, later: time) -> timedelta:
    return datetime.combine(date.min, later) - datetime.combine(date.min, earlier)


def _at(day: date, clock: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)
