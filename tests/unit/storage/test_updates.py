"""The update journal's rows: recorded once, handled once, replayed in order, given up, pruned."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Database, meta
from storage import updates as journal
from storage.updates import Journaled, JournaledDatabase, Received, acting_for

MONDAY = "2026-12-07T08:00:00.000000+00:00"
TUESDAY = "2026-12-08T08:00:00.000000+00:00"
NEXT_WEEK = "2026-12-14T08:00:00.000000+00:00"


def _update(update_id: int, text: str = "稿件") -> Received:
    payload = {"update_id": update_id, "message": {"message_id": update_id, "text": text}}
    return Received(update_id, json.dumps(payload, ensure_ascii=False))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "journal.sqlite3")
    yield database
    await database.close()


async def _rows(db: Database) -> list[tuple[int, int, str | None, str | None]]:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT update_id, replays, handled_at, outcome FROM update_journal ORDER BY update_id"
        )
    return [(int(r[0]), int(r[1]), r[2], r[3]) for r in rows]


async def test_new_updates_are_recorded_and_a_resend_is_known(db: Database) -> None:
    async with db.transaction() as tx:
        first = await journal.record(tx, MONDAY, [_update(7), _update(8)], resent_after=MONDAY)
    async with db.transaction() as tx:
        again = await journal.record(tx, MONDAY, [_update(8), _update(9)], resent_after=MONDAY)
    assert first == [7, 8] and again == [9]
    assert [row[0] for row in await _rows(db)] == [7, 8, 9]
    async with db.reading() as conn:
        stored = await conn.execute_fetchall(
            "SELECT payload FROM update_journal WHERE update_id = 8"
        )
    assert json.loads(next(iter(stored))[0])["message"]["text"] == "稿件"


async def test_a_known_id_from_before_the_resend_window_is_a_new_update(db: Database) -> None:
    async with db.transaction() as tx:
        await journal.record(tx, MONDAY, [_update(5, "旧的")], resent_after=MONDAY)
        await journal.mark_acted(tx, MONDAY, 5)
        assert await journal.mark_handled(tx, MONDAY, 5)
    # A week later Telegram picked ids at random and 5 came up again, with another message.
    async with db.transaction() as tx:
        reused = await journal.record(tx, NEXT_WEEK, [_update(5, "新的")], resent_after=TUESDAY)
        waiting = await journal.waiting(tx)
    assert reused == [5] and not waiting[0].acted
    assert [(w.update_id, json.loads(w.payload)["message"]["text"]) for w in waiting] == [
        (5, "新的")
    ]


async def test_marking_handled_happens_once_and_only_for_known_waiting_updates(
    db: Database,
) -> None:
    async with db.transaction() as tx:
        await journal.record(tx, MONDAY, [_update(1)], resent_after=MONDAY)
        assert await journal.mark_handled(tx, TUESDAY, 1)
        assert not await journal.mark_handled(tx, TUESDAY, 1)
        assert not await journal.mark_handled(tx, TUESDAY, 404)
        assert not await journal.abandon(tx, TUESDAY, 1)
    assert await _rows(db) == [(1, 0, TUESDAY, "handled")]


async def test_waiting_updates_come_in_id_order_with_their_replays_counted(
    db: Database,
) -> None:
    async with db.transaction() as tx:
        await journal.record(tx, MONDAY, [_update(3), _update(1), _update(2)], MONDAY)
        await journal.mark_handled(tx, MONDAY, 2)
        await journal.count_replay(tx, 3)
        await journal.count_replay(tx, 3)
        # A settled update is not replayed, so its count stays.
        await journal.count_replay(tx, 2)
        waiting = await journal.waiting(tx)
    assert [(w.update_id, w.replays) for w in waiting] == [(1, 0), (3, 2)]
    assert waiting[0] == Journaled(1, _update(1).payload, 0)
    async with db.transaction() as tx:
        assert await journal.abandon(tx, TUESDAY, 3)
        assert [w.update_id for w in await journal.waiting(tx)] == [1]
    assert await _rows(db) == [
        (1, 0, None, None),
        (2, 0, MONDAY, "handled"),
        (3, 2, TUESDAY, "abandoned"),
    ]


async def test_prune_deletes_only_settled_rows_older_than_the_cut(db: Database) -> None:
    async with db.transaction() as tx:
        await journal.record(tx, MONDAY, [_update(n) for n in (1, 2, 3, 4)], MONDAY)
        await journal.mark_handled(tx, MONDAY, 1)
        await journal.abandon(tx, MONDAY, 2)
        await journal.mark_handled(tx, NEXT_WEEK, 3)
    async with db.transaction() as tx:
        assert await journal.prune(tx, TUESDAY) == 2
    # The waiting update is kept however old it is.
    assert [row[0] for row in await _rows(db)] == [3, 4]


async def test_the_table_refuses_inconsistent_rows(db: Database) -> None:
    async with db.transaction() as tx:
        await journal.record(tx, MONDAY, [_update(1)], MONDAY)
    bad = (
        "INSERT INTO update_journal (update_id, payload, received_at) VALUES (2, 'not json', 'x')",
        "UPDATE update_journal SET handled_at = 'x' WHERE update_id = 1",
        "UPDATE update_journal SET outcome = 'lost', handled_at = 'x' WHERE update_id = 1",
    )
    for sql in bad:
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as tx:
                await tx.execute(sql)
    assert await _rows(db) == [(1, 0, None, None)]


async def test_a_transaction_committed_for_an_update_records_that_it_acted_in_itself(
    tmp_path: Path,
) -> None:
    db = await JournaledDatabase.open(tmp_path / "acting.sqlite3")
    try:
        async with db.transaction() as tx:
            await journal.record(tx, MONDAY, [_update(n) for n in (1, 2, 3, 4)], MONDAY)
        with acting_for(1):
            async with db.transaction() as tx:
                await meta.put(tx, "one", "acted")
        # An action that fails leaves no trace, and neither does its mark.
        with acting_for(2), pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await meta.put(tx, "two", "rolled back")
                raise RuntimeError("refused")
        # Bookkeeping inside an update's handling is no action of its own.
        with acting_for(3), acting_for(None):
            async with db.transaction() as tx:
                await meta.put(tx, "three", "bookkeeping")
        async with db.transaction() as tx:
            await meta.put(tx, "four", "outside any update")
        async with db.reading() as conn:
            acted = {w.update_id: w.acted for w in await journal.waiting(conn)}
            assert await meta.get(conn, "two") is None
        assert acted == {1: True, 2: False, 3: False, 4: False}
    finally:
        await db.close()
