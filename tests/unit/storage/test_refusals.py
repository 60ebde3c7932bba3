"""Refused attempts on the record: a few rows per person and minute, the rest counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import Database, refusals


async def test_a_flood_is_audited_up_to_the_limit_then_counted_in_one_row(tmp_path: Path) -> None:
    now = [datetime(2026, 12, 1, 9, 30, 5, tzinfo=UTC)]
    db = await Database.open(tmp_path / "r.sqlite3", clock=lambda: now[0])
    try:
        async with db.transaction() as tx:
            ids = [
                await refusals.record(tx, db.now(), 7, "callback.forged", detail={"n": n})
                for n in range(25)
            ]
            # Another person's refusals in the same minute have their own allowance.
            other = await refusals.record(tx, db.now(), 8, "command.refused")
            # No person known: always audited.
            nobody = [
                await refusals.record(tx, db.now(), None, "callback.forged") for _ in range(12)
            ]
        assert all(i is not None for i in ids[: refusals.PER_MINUTE])
        assert all(i is None for i in ids[refusals.PER_MINUTE :])
        assert other is not None and all(i is not None for i in nobody)

        now[0] += timedelta(minutes=1)
        async with db.transaction() as tx:
            assert await refusals.record(tx, db.now(), 7, "command.refused") is not None

        async with db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT action, COUNT(*) FROM audit WHERE actor_id = 7 GROUP BY action"
            )
            windows = await refusals.windows(conn, 7)
            counted = await refusals.counted_between(conn, "2026-12-01T00:00", "2026-12-02T00:00")
            before = await refusals.counted_between(conn, "2026-11-30T00:00", "2026-12-01T09:30")
        assert (counted, before) == (25 - refusals.PER_MINUTE, 0)
        assert {r[0]: r[1] for r in rows} == {
            "callback.forged": refusals.PER_MINUTE,
            refusals.FLOOD_ACTION: 1,
            "command.refused": 1,
        }
        first, second = windows
        assert (first.window_start, first.recorded, first.suppressed) == (
            "2026-12-01T09:30",
            refusals.PER_MINUTE,
            25 - refusals.PER_MINUTE,
        )
        assert (second.recorded, second.suppressed, second.last_action) == (
            1,
            0,
            "command.refused",
        )
    finally:
        await db.close()
