"""Reminder timing and storage: quiet hours, deadlines, nudge plans, keys settled once."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock.timing import Timing, stall_key
from bot.config import parse_config
from storage import Database, reminders
from tests.conftest import config_data

TZ = ZoneInfo("Asia/Shanghai")


def _timing(**options: object) -> Timing:
    data = config_data()
    data["reminders"] = options
    config = parse_config(data)
    return Timing(config.reminders, TZ)


def test_quiet_hours_span_midnight() -> None:
    timing = _timing(quiet_hours="23:00-07:30")
    late = datetime(2026, 11, 24, 23, 30, tzinfo=TZ)
    early = datetime(2026, 11, 25, 6, 0, tzinfo=TZ)
    day = datetime(2026, 11, 25, 12, 0, tzinfo=TZ)
    assert timing.in_quiet_hours(late) and timing.in_quiet_hours(early)
    assert not timing.in_quiet_hours(day)
    assert timing.after_quiet_hours(late) == datetime(2026, 11, 25, 7, 30, tzinfo=TZ)
    assert timing.after_quiet_hours(early) == datetime(2026, 11, 25, 7, 30, tzinfo=TZ)
    assert timing.after_quiet_hours(day) == day
    assert not _timing(quiet_hours="").in_quiet_hours(late)


def test_deadlines_count_working_hours_across_a_holiday() -> None:
    timing = _timing(review_deadline_hours=9, nudge_interval_hours=4, max_nudges=3)
    # Friday 2026-09-30 16:00; National Day holidays run 10-01..10-07 (Sat 10-10 is a workday).
    entered = datetime(2026, 9, 30, 16, 0, tzinfo=TZ)
    plan = timing.nudges(7, 2, "review_1", entered, original=False)
    assert [n.key for n in plan] == [stall_key(7, 2, "review_1", n) for n in (1, 2, 3)]
    assert plan[0].due == datetime(2026, 10, 8, 16, 0, tzinfo=TZ)
    assert plan[1].due == datetime(2026, 10, 9, 11, 0, tzinfo=TZ)
    assert [n.escalate for n in plan] == [False, True, True]


def test_originals_get_longer_and_calendar_clock_is_plain() -> None:
    timing = _timing(deadline_clock="calendar", review_deadline_hours=1, original_deadline_hours=2)
    entered = datetime(2026, 11, 28, 22, 0, tzinfo=TZ)  # a Saturday night
    assert timing.nudges(1, 1, "editing", entered, False)[0].due == entered + timedelta(hours=1)
    assert timing.nudges(1, 1, "editing", entered, True)[0].due == entered + timedelta(hours=2)


def test_config_errors_name_the_field() -> None:
    import pytest

    from bot.config import ConfigError

    for options, field in [
        ({"quiet_hours": "23-7"}, "reminders.quiet_hours"),
        ({"deadline_clock": "lunar"}, "reminders.deadline_clock"),
        ({"review_deadline_hours": 0}, "reminders.review_deadline_hours"),
        ({"extra_holidays": ["2027-13-01"]}, "reminders.extra_holidays"),
    ]:
        data = config_data()
        data["reminders"] = options
        with pytest.raises(ConfigError) as caught:
            parse_config(data)
        assert caught.value.field == field
    data = config_data()
    data["reminders"] = {"extra_holidays": ["2027-02-08"], "workday_start": "08:30"}
    parsed = parse_config(data).reminders
    assert parsed.workday_start == time(8, 30)
    assert parsed.calendar_overrides[datetime(2027, 2, 8).date()] is False


async def test_a_key_is_scheduled_once_and_settled_once(db: Database) -> None:
    due = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    async with db.transaction() as tx:
        assert await reminders.add(tx, "stall", "k1", due)
        assert not await reminders.add(tx, "stall", "k1", due)
        assert await reminders.earliest_due(tx) == due
        (item,) = await reminders.due(tx, datetime(2026, 1, 2, tzinfo=UTC).isoformat())
        assert await reminders.settle(tx, item.id, "sent", db.now())
        assert not await reminders.settle(tx, item.id, "sent", db.now())
        assert await reminders.earliest_due(tx) is None
        assert await reminders.mark_unreachable(tx, -5, "gone", db.now())
        assert not await reminders.mark_unreachable(tx, -5, "gone", db.now())


async def test_a_reminder_caught_mid_send_is_not_sent_again(db: Database) -> None:
    due = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    later = datetime(2026, 1, 2, tzinfo=UTC).isoformat()
    async with db.transaction() as tx:
        await reminders.add(tx, "stall", "a", due)
        await reminders.add(tx, "stall", "b", due)
        first, second = await reminders.due(tx, later)
        assert await reminders.claim(tx, first.id)
        assert not await reminders.claim(tx, first.id)
        assert await reminders.claim(tx, second.id)
        await reminders.release(tx, second.id, later)
    # The process dies here; on start the claimed one is settled, the released one waits.
    async with db.transaction() as tx:
        assert await reminders.interrupted(tx, db.now()) == ["a"]
        assert [r.key for r in await reminders.due(tx, later)] == ["b"]


def test_stored_times_are_utc_text_that_sorts() -> None:
    from storage.db import stored_time

    shanghai = datetime(2026, 11, 25, 7, 30, tzinfo=TZ)
    utc = datetime(2026, 11, 24, 23, 45, tzinfo=UTC)
    assert stored_time(shanghai) == "2026-11-24T23:30:00.000000+00:00"
    assert stored_time(shanghai) < stored_time(utc)


def test_urgent_drafts_count_plain_hours_even_over_a_holiday() -> None:
    timing = _timing(urgent_deadline_hours=2, urgent_nudge_interval_hours=1, max_nudges=3)
    # The eve of National Day, 22:00: no working hours until 10-08, yet urgent means now.
    entered = datetime(2026, 9, 30, 22, 0, tzinfo=TZ)
    plan = timing.nudges(7, 1, "review_2", entered, original=True, urgent=True)
    assert [n.key for n in plan] == [stall_key(7, 1, "review_2", n, urgent=True) for n in (1, 2, 3)]
    assert plan[0].key == "stall:7:1:review_2:u1"
    assert [n.due for n in plan] == [entered + timedelta(hours=h) for h in (2, 3, 4)]
    ordinary = timing.nudges(7, 1, "review_2", entered, original=True)
    assert {n.key for n in ordinary}.isdisjoint({n.key for n in plan})
    assert ordinary[0].due > plan[-1].due


async def test_planning_revives_a_skipped_nudge_but_never_a_sent_one(db: Database) -> None:
    async with db.transaction() as tx:
        assert await reminders.add(
            tx, "stall", "k1", "2026-01-01T00:00:00+00:00", revive_skipped=True
        )
        assert not await reminders.add(
            tx, "stall", "k1", "2026-01-02T00:00:00+00:00", revive_skipped=True
        )
        assert await reminders.skip_pending(tx, "stall", db.now(), "test") == 1
        # Without revive_skipped, a skipped reminder stays skipped.
        assert not await reminders.add(tx, "stall", "k1", "2026-01-03T00:00:00+00:00")
        assert await reminders.add(
            tx, "stall", "k1", "2026-01-03T00:00:00+00:00", revive_skipped=True
        )
        await tx.execute("UPDATE reminders SET state = 'sent' WHERE key = 'k1'")
        assert not await reminders.add(
            tx, "stall", "k1", "2026-01-04T00:00:00+00:00", revive_skipped=True
        )
        rows = await tx.execute_fetchall("SELECT state, due_at FROM reminders WHERE key = 'k1'")
    assert [(r[0], r[1]) for r in rows] == [("sent", "2026-01-03T00:00:00+00:00")]
