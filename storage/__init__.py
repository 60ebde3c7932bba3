"""aiosqlite storage: the connection, migrations, and repositories returning dataclasses."""

from storage.db import Clock, Database, MigrationError, utc_now

__all__ = ["Clock", "Database", "MigrationError", "utc_now"]
