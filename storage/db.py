"""The SQLite connection: WAL, foreign keys, versioned migrations, serialised transactions."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.trips import Work, drive

__all__ = [
    "PRIVATE_DIR",
    "PRIVATE_FILE",
    "Clock",
    "Database",
    "DatabaseAccessError",
    "DatabaseNewerError",
    "MigrationError",
    "NotADatabaseError",
    "fetch_one",
    "last_stored_day",
    "latest_schema_version",
    "stored_day_end",
    "stored_time",
    "utc_now",
]

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
T = TypeVar("T")

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, params: Iterable[object] = ()
) -> aiosqlite.Row | None:
    """The first row of a query, in one trip to the database thread."""
    rows = await conn.execute_fetchall(sql, tuple(params))
    return next(iter(rows), None)


def stored_time(moment: datetime) -> str:
    """How a moment is stored: ISO 8601 in UTC, so stored times compare correctly as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def stored_day_end(last_day: date, tz: tzinfo) -> str:
    """The stored moment a span whose last local day is ``last_day`` ends: the next midnight."""
    return stored_time(datetime.combine(last_day + timedelta(days=1), time(), tz))


def last_stored_day(stamp: str, tz: tzinfo) -> date:
    """The last local day of a span that ends at the stored moment ``stamp``."""
    return (datetime.fromisoformat(stamp).astimezone(tz) - timedelta(microseconds=1)).date()


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class MigrationError(RuntimeError):
    """The database is newer than this code, or a migration failed."""


class DatabaseNewerError(MigrationError):
    """The database was migrated by a newer version of the bot than this one."""

    def __init__(self, found: int, known: int) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"database schema version {found} is newer than this code knows ({known}); "
            "upgrade the bot before using this database"
        )


class DatabaseAccessError(RuntimeError):
    """The database file or its folder cannot be created, opened or written."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"cannot open {path} for writing: {detail}")


class NotADatabaseError(RuntimeError):
    """The file at the database path exists but is not an SQLite database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is not an SQLite database")


# The database and everything beside it (WAL, shared memory, backups) hold members' ids and
# every draft: readable by the bot's user only.
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def _prepare_private(path: Path) -> None:
    """Create the folder 0700 and the file 0600, tightening an existing file left 0644."""
    try:
        if not path.parent.exists():
            path.parent.mkdir(mode=PRIVATE_DIR, parents=True)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE))
        for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if file.exists() and file.stat().st_mode & 0o077:
                file.chmod(PRIVATE_FILE)
    except OSError as exc:
        raise DatabaseAccessError(path, exc.strerror or str(exc)) from exc


class _Connection(aiosqlite.Connection):
    """aiosqlite's connection, on its own thread, carrying a transaction's ``BEGIN`` on the
    transaction's first trip to that thread instead of a trip of its own."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, 64)
        # A statement to run first on the next trip: a transaction's BEGIN IMMEDIATE.
        self.ahead: str | None = None

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        ahead = self.ahead
        if ahead is None:
            return await super()._execute(fn, *args, **kwargs)  # type: ignore[no-untyped-call]
        self.ahead = None
        raw = self._conn

        def begun() -> Any:
            raw.execute(ahead)
            return fn(*args, **kwargs)

        return await super()._execute(begun)  # type: ignore[no-untyped-call]

    async def at_once(self, work: Work[T]) -> T:
        """Run ``work`` whole on the connection's thread: one trip (``storage.trips``)."""
        raw = self._conn
        result: T = await self._execute(drive, raw, work)
        return result


async def _connect(path: str) -> _Connection:
    def connector() -> sqlite3.Connection:
        return sqlite3.connect(path, isolation_level=None)

    conn = _Connection(connector)
    await conn
    return conn


class Database:
    """One aiosqlite connection shared by the repositories.

    A single connection is enough for one bot process; the lock keeps one coroutine's
    transaction from interleaving with another's statements on that connection.
    """

    def __init__(self, conn: _Connection, clock: Clock = utc_now) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.clock = clock

    @classmethod
    async def open(cls, path: str | Path, clock: Clock = utc_now) -> Database:
        """Open (creating if needed) the database at ``path`` and apply pending migrations."""
        if str(path) != ":memory:":
            _prepare_private(Path(path))
        try:
            conn = await _connect(str(path))
        except sqlite3.Error as exc:
            raise DatabaseAccessError(Path(path), str(exc)) from exc
        # On any failure from here on the connection is closed: its worker thread would
        # otherwise keep the process alive after the error, with no output.
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA busy_timeout=5000")
            db = cls(conn, clock)
            # SQL that asks "is this still in force" (e.g. a role's expiry) uses the same clock as
            # the code, so tests that move the clock move it too.
            await conn.create_function("clock_now", 0, db.now)
            await db._migrate()
        except BaseException as exc:
            await conn.close()
            typed = _explain(Path(path), exc)
            if typed is exc:
                raise
            raise typed from exc
        return db

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

    def now(self) -> str:
        """The clock's time as stored in the database (ISO 8601, UTC)."""
        return stored_time(self.clock())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed on success, rolled back on any error.

        Its BEGIN rides on its first statement's trip to the database thread, and the COMMIT
        (with what ``_before_commit`` adds) is one trip: a transaction of one statement costs
        two trips, not four.
        """
        async with self._lock:
            conn = self._conn
            conn.ahead = "BEGIN IMMEDIATE"
            try:
                yield conn
            except BaseException:
                if conn.ahead is not None:
                    # Nothing ran: there is no transaction to roll back.
                    conn.ahead = None
                else:
                    await conn.at_once(_rollback)
                raise
            closing = self._before_commit()
            if conn.ahead is not None and closing is None:
                # Nothing ran and nothing is to be added: no transaction at all.
                conn.ahead = None
                return
            await conn.at_once(_committing(closing))

    async def atomically(self, work: Work[T]) -> T:
        """``work`` as one write transaction in one trip to the database thread: BEGIN, the
        work, what ``_before_commit`` adds, COMMIT (or ROLLBACK on any error)."""
        async with self._lock:
            closing = self._before_commit()

            async def unit(conn: aiosqlite.Connection) -> T:
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    result = await work(conn)
                except BaseException:
                    await _rollback(conn)
                    raise
                await _committing(closing)(conn)
                return result

            return await self._conn.at_once(unit)

    def _before_commit(self) -> Work[None] | None:
        """Statements to add at the end of every write transaction (none here)."""
        return None

    async def at_once(self, work: Work[T]) -> T:
        """Run ``work`` (a unit of reads, or a write that commits by itself) in one trip to
        the database thread, not interleaved with a running transaction."""
        async with self._lock:
            return await self._conn.at_once(work)

    @asynccontextmanager
    async def single(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for one writing statement, which SQLite commits by itself.

        A lone UPDATE or INSERT is atomic without a BEGIN and a COMMIT around it, so this
        saves two statements over ``transaction()``; anything of two statements or more, or
        a read that decides a write, belongs in ``transaction()``. It is for bookkeeping
        (settling a delivery, marking an update handled): unlike a transaction of
        ``storage.updates.JournaledDatabase``, it does not count as an update's action.
        """
        async with self._lock:
            yield self._conn

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for reads, not interleaved with a running transaction."""
        async with self._lock:
            yield self._conn

    async def schema_version(self) -> int:
        """The highest migration applied."""
        async with self.reading() as conn:
            cursor = await conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        cursor = await self._conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        row = await cursor.fetchone()
        current = int(row[0]) if row else 0
        available = _available_migrations()
        known = max((number for number, _, _ in available), default=0)
        if current > known:
            raise DatabaseNewerError(current, known)
        for number, name, sql in available:
            if number <= current:
                continue
            logger.info("applying migration %s", name)
            try:
                # executescript commits on its own, so the migration and its record are one script.
                await self._conn.executescript(
                    "BEGIN IMMEDIATE;\n"
                    + sql
                    + f"\nINSERT INTO schema_migrations (version, name, applied_at)"
                    f" VALUES ({number}, '{name}', '{self.now()}');\nCOMMIT;"
                )
            except Exception as exc:
                if self._conn.in_transaction:
                    await self._conn.execute("ROLLBACK")
                raise MigrationError(f"migration {name} failed: {exc}") from exc


async def _rollback(conn: aiosqlite.Connection) -> None:
    # A BEGIN that failed (the database busy) left no transaction to roll back.
    if conn.in_transaction:
        await conn.execute("ROLLBACK")


def _committing(closing: Work[None] | None) -> Work[None]:
    async def commit(conn: aiosqlite.Connection) -> None:
        try:
            if closing is not None:
                await closing(conn)
            await conn.execute("COMMIT")
        except BaseException:
            await _rollback(conn)
            raise

    return commit


def _explain(path: Path, exc: BaseException) -> BaseException:
    """The typed error for a failure while opening, or ``exc`` itself when it is no such case."""
    if (
        isinstance(exc, sqlite3.DatabaseError)
        and not isinstance(exc, sqlite3.OperationalError)
        and ("not a database" in str(exc) or "malformed" in str(exc))
    ):
        return NotADatabaseError(path)
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if "readonly" in text or "unable to open" in text or "disk I/O" in text:
            return DatabaseAccessError(path, text)
    return exc


def latest_schema_version() -> int:
    """The schema version this code migrates a database to."""
    return len(_available_migrations())


def _available_migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("storage") / "migrations"
    found: list[tuple[int, str, str]] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise MigrationError(f"migrations must be numbered 1..n without gaps, found {numbers}")
    return found
