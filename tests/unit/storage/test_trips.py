"""Trips to aiosqlite's thread: a unit of work in one, a transaction's BEGIN and COMMIT riding on
its statements, and every guarantee of a transaction kept (rollback, a BEGIN that fails)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from storage import Database, meta, users
from storage import updates as journal
from storage.models import User
from storage.trips import UnitSuspended
from storage.updates import JournaledDatabase, Received, acting_for

MONDAY = "2026-12-07T08:00:00.000000+00:00"


class Trips:
    """Counts the hand-overs to the database thread of every aiosqlite connection."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> Trips:
    counter = Trips()
    original = aiosqlite.Connection._execute

    async def counting(
        self: aiosqlite.Connection, fn: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        counter.count += 1
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)
    return counter


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await JournaledDatabase.open(tmp_path / "trips.sqlite3")
    yield database
    await database.close()


async def _value(db: Database, key: str) -> str | None:
    async with db.reading() as conn:
        return await meta.get(conn, key)


async def test_a_unit_of_repository_reads_is_one_trip(db: Database, trips: Trips) -> None:
    async with db.transaction() as tx:
        for n in (1, 2, 3):
            await users.upsert(tx, n, f"成员{n}", None, MONDAY)
        await meta.put(tx, "k", "v")

    async def read(conn: aiosqlite.Connection) -> tuple[dict[int, User], User | None, str | None]:
        return (
            await users.get_many(conn, [1, 2]),
            await users.get(conn, 3),
            await meta.get(conn, "k"),
        )

    before = trips.count
    many, one, value = await db.at_once(read)
    assert trips.count - before == 1
    assert sorted(many) == [1, 2] and one is not None and one.name == "成员3" and value == "v"


async def test_a_unit_that_awaits_anything_but_the_database_is_refused(db: Database) -> None:
    async def wanders(conn: aiosqlite.Connection) -> None:
        await asyncio.sleep(0)

    with pytest.raises(UnitSuspended):
        await db.at_once(wanders)
    # The connection is still usable afterwards.
    assert await _value(db, "k") is None


async def test_a_transaction_of_one_statement_is_two_trips_and_an_empty_one_none(
    db: Database, trips: Trips
) -> None:
    before = trips.count
    async with db.transaction():
        pass
    assert trips.count == before
    async with db.transaction() as tx:
        await meta.put(tx, "k", "v")
    assert trips.count - before == 2
    assert await _value(db, "k") == "v"


async def test_a_failed_statement_rolls_back_what_the_transaction_did(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await meta.put(tx, "first", "kept only if all succeed")
            await tx.execute("INSERT INTO meta (key, value) VALUES (NULL, NULL)")
    assert await _value(db, "first") is None
    # An error before any statement leaves no transaction behind either.
    with pytest.raises(RuntimeError):
        async with db.transaction():
            raise RuntimeError("refused before writing")
    async with db.transaction() as tx:
        await meta.put(tx, "after", "fine")
    assert await _value(db, "after") == "fine"


async def test_a_begin_that_finds_the_database_locked_raises_that_and_leaves_it_usable(
    db: Database, tmp_path: Path
) -> None:
    async with db.single() as conn:
        await conn.execute("PRAGMA busy_timeout=0")
    other = sqlite3.connect(tmp_path / "trips.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            async with db.transaction() as tx:
                await meta.put(tx, "k", "never")
        other.execute("ROLLBACK")
    finally:
        other.close()
    async with db.transaction() as tx:
        await meta.put(tx, "k", "now")
    assert await _value(db, "k") == "now"


async def test_atomically_is_one_trip_all_or_nothing_and_marks_the_update_acted(
    db: Database, trips: Trips
) -> None:
    async with db.transaction() as tx:
        await journal.record(tx, MONDAY, [Received(7, "{}"), Received(8, "{}")], MONDAY)

    async def both(conn: aiosqlite.Connection) -> int:
        await meta.put(conn, "a", "1")
        await meta.put(conn, "b", "2")
        return 2

    before = trips.count
    with acting_for(7):
        assert await db.atomically(both) == 2
    assert trips.count - before == 1

    async def half(conn: aiosqlite.Connection) -> None:
        await meta.put(conn, "c", "3")
        raise RuntimeError("refused halfway")

    with acting_for(8), pytest.raises(RuntimeError):
        await db.atomically(half)
    assert (await _value(db, "b"), await _value(db, "c")) == ("2", None)
    async with db.reading() as conn:
        acted = {w.update_id: w.acted for w in await journal.waiting(conn)}
    assert acted == {7: True, 8: False}
