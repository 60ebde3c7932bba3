"""When reminders fall due: quiet hours, deadlines in working hours, nudge plans. Pure logic."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock.workdays import WorkCalendar
from bot.config import RemindersConfig

__all__ = ["Nudge", "Timing", "stall_key"]

logger = logging.getLogger(__name__)


def stall_key(draft_id: int, version: int, stage: str, number: int, urgent: bool = False) -> str:
    """The unique key of the ``number``-th nudge for a draft waiting at ``stage``.

    Urgent nudges have keys of their own, so flagging a draft urgent and back never collides.
    """
    return f"stall:{draft_id}:{version}:{stage}:{'u' if urgent else ''}{number}"


@dataclass(frozen=True, slots=True)
class Nudge:
    """One planned nudge; from the second on, the admins are told too."""

    key: str
    due: datetime
    number: int
    escalate: bool


class Timing:
    """The union's clock rules: working days and hours, quiet hours, review deadlines."""

    def __init__(self, config: RemindersConfig, tz: ZoneInfo) -> None:
        self.config = config
        self.tz = tz
        self.calendar = WorkCalendar(config.calendar_overrides)

    def in_quiet_hours(self, moment: datetime) -> bool:
        """Whether ``moment`` falls in the quiet hours (which may span midnight)."""
        start, end = self.config.quiet_start, self.config.quiet_end
        if start is None or end is None:
            return False
        local = moment.astimezone(self.tz).time()
        if start <= end:
            return start <= local < end
        return local >= start or local < end

    def after_quiet_hours(self, moment: datetime) -> datetime:
        """``moment``, or the end of the quiet hours it falls in."""
        if not self.in_quiet_hours(moment):
            return moment
        end = self.config.quiet_end
        assert end is not None
        local = moment.astimezone(self.tz)
        candidate = datetime.combine(local.date(), end, self.tz)
        if candidate <= local:
            candidate += timedelta(days=1)
        return candidate

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """A deadline ``hours`` after ``start``: in working hours, or on the plain clock."""
        if not self.config.working_hours:
            return start + timedelta(hours=hours)
        return self.calendar.add_working_hours(
            start,
            hours,
            day_start=self.config.workday_start,
            day_end=self.config.workday_end,
            tz=self.tz,
        )

    def nudges(
        self,
        draft_id: int,
        version: int,
        stage: str,
        entered: datetime,
        original: bool,
        urgent: bool = False,
    ) -> list[Nudge]:
        """The nudges for a draft that entered ``stage`` at ``entered``.

        Originals get longer (article 14). Urgent drafts (article 10) get the short urgent
        deadline on the plain clock: an emergency does not wait for Monday morning.
        """
        config = self.config
        if urgent:
            due = entered + timedelta(hours=config.urgent_deadline_hours)
            interval = timedelta(hours=config.urgent_nudge_interval_hours)
        else:
            deadline_hours = (
                config.original_deadline_hours if original else config.review_deadline_hours
            )
            due = self.add_hours(entered, deadline_hours)
        plan = []
        for number in range(1, config.max_nudges + 1):
            plan.append(
                Nudge(
                    stall_key(draft_id, version, stage, number, urgent),
                    due,
                    number,
                    number >= 2,
                )
            )
            due = due + interval if urgent else self.add_hours(due, config.nudge_interval_hours)
        return plan

    def workday_bounds(self) -> tuple[time, time]:
        """The working day's start and end."""
        return self.config.workday_start, self.config.workday_end
