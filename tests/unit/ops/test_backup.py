"""Backups taken while the bot writes restore to an intact database missing nothing committed."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import Database, drafts, users
from storage.backup import DatabaseInUseError, IntegrityError, backup, inspect, restore
from storage.db import NotADatabaseError, latest_schema_version
from storage.drafts import NewContent
from storage.models import DraftState


async def _submit_and_approve(db: Database, n: int) -> int:
    """One draft through tier 1, in one transaction, as a decision is."""
    async with db.transaction() as tx:
        at = db.now()
        draft_id = await drafts.create(tx, at, 1, 1, f"稿件 {n}", NewContent(body=f"正文 {n}"))
        await drafts.transition(tx, draft_id, DraftState.INTAKE, 1, DraftState.REVIEW_1, at)
        moved = await drafts.record_decision(tx, draft_id, 1, 1, 2, True, at)
        assert moved is DraftState.REVIEW_2
    return draft_id


async def test_backups_during_write_traffic_restore_intact_and_complete(tmp_path: Path) -> None:
    live = tmp_path / "data" / "bot.sqlite3"
    db = await Database.open(live)
    async with db.transaction() as tx:
        for uid in (1, 2):
            await users.upsert(tx, uid, f"u{uid}", None, db.now())
    committed: list[int] = []
    stop = asyncio.Event()
    twenty_more = asyncio.Event()

    async def traffic() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            committed.append(await _submit_and_approve(db, n))
            if n % 20 == 0:
                twenty_more.set()

    writer = asyncio.create_task(traffic())
    taken: list[tuple[Path, set[int]]] = []
    written_meanwhile = 0
    start = datetime(2026, 3, 1, tzinfo=UTC)
    try:
        for i in range(5):
            twenty_more.clear()
            await twenty_more.wait()
            before = set(committed)
            result = await backup(live, tmp_path / "backups", keep=3, now=start + timedelta(i))
            written_meanwhile += len(committed) - len(before)
            taken.append((result.path, before))
    finally:
        stop.set()
        await writer
        await db.close()

    kept = sorted((tmp_path / "backups").glob("*.sqlite3"))
    assert [p.name for p in kept] == [p.name for p, _ in taken[-3:]]
    assert len(committed) >= 100
    # The writer kept committing while the backups were being taken.
    assert written_meanwhile > 0
    for number, (path, before) in enumerate(taken[-3:]):
        target = tmp_path / f"restored-{number}" / "bot.sqlite3"
        restored = await restore(path, target, now=start)
        assert restored.info.version == latest_schema_version() and restored.saved is None
        with closing(sqlite3.connect(target)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            found = {row[0] for row in conn.execute("SELECT id FROM drafts")}
            decided = dict(conn.execute("SELECT draft_id, COUNT(*) FROM decisions GROUP BY 1"))
            states = {row[0] for row in conn.execute("SELECT DISTINCT state FROM drafts")}
        # Everything committed before the backup began is there, each draft with its decision:
        # a snapshot, not a torn copy.
        assert before <= found
        assert decided == dict.fromkeys(found, 1)
        assert states == {DraftState.REVIEW_2.value}
        reopened = await Database.open(target)
        await reopened.close()


async def test_restore_refuses_while_the_bot_has_the_database_open(tmp_path: Path) -> None:
    live = tmp_path / "bot.sqlite3"
    db = await Database.open(live)
    try:
        copy = await backup(live, tmp_path / "b", keep=2, now=datetime(2026, 1, 1, tzinfo=UTC))
        with pytest.raises(DatabaseInUseError):
            await restore(copy.path, live, now=datetime(2026, 1, 2, tzinfo=UTC))
        assert (await inspect(live)).version == latest_schema_version()
    finally:
        await db.close()
    result = await restore(copy.path, live, now=datetime(2026, 1, 2, tzinfo=UTC))
    assert result.saved is not None and result.saved.exists()
    assert result.path.stat().st_mode & 0o777 == 0o600


async def test_a_damaged_or_foreign_backup_changes_nothing(tmp_path: Path) -> None:
    live = tmp_path / "bot.sqlite3"
    await (await Database.open(live)).close()
    before = live.read_bytes()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 300)
    with pytest.raises(NotADatabaseError):
        await restore(junk, live, now=datetime(2026, 1, 2, tzinfo=UTC))
    torn = tmp_path / "torn.sqlite3"
    good = await backup(live, tmp_path / "b", keep=2, now=datetime(2026, 1, 1, tzinfo=UTC))
    data = bytearray(good.path.read_bytes())
    data[4096 * 2 : 4096 * 2 + 512] = b"\xff" * 512
    torn.write_bytes(bytes(data))
    with pytest.raises((IntegrityError, NotADatabaseError)):
        await restore(torn, live, now=datetime(2026, 1, 2, tzinfo=UTC))
    assert live.read_bytes() == before
