"""The operator's subcommands as a shell runs them: check, backup while the bot runs, restore."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot import texts
from bot.ops.startup import ExitCode
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.test_startup_failures import _run

pytestmark = pytest.mark.e2e

EXAMPLE = Path(__file__).parents[2] / "deploy" / "config.example.toml"


async def test_check_exits_zero_only_when_everything_passes(bot: BotProcess) -> None:
    code, out, _ = await _run(bot.env(), "check")
    assert code == ExitCode.OK and out.strip().endswith(texts.CHECK_ALL_PASSED)
    assert "❌" not in out
    code, out, _ = await _run({**bot.env(), "BOT_CONFIG": str(EXAMPLE)}, "check")
    assert code == ExitCode.FAILED and "❌ " + texts.CHECK_CONFIG_BAD in out


async def test_backup_while_running_then_restore_after_stopping(
    bot: BotProcess, union: Union, tmp_path: Path
) -> None:
    await union.officer.send_text("/start")
    await union.emu.wait_for_message(union.officer, has_text("你好"))
    folder = tmp_path / "backups"
    code, out, err = await _run(bot.env(), "backup", str(folder))
    assert code == ExitCode.OK, err
    (copy,) = folder.glob("*.sqlite3")
    assert str(copy) in out and copy.stat().st_mode & 0o777 == 0o600
    # While the bot runs, a restore is refused and changes nothing.
    code, _, err = await _run(bot.env(), "restore", "--yes", str(copy))
    assert code == ExitCode.DATABASE and texts.RESTORE_RUNNING in err
    # Without --yes and without a terminal, it explains and does nothing.
    assert await bot.stop() == 0
    code, _, err = await _run(bot.env(), "restore", str(copy))
    assert code == ExitCode.FAILED and "--yes" in err
    with closing(sqlite3.connect(bot.db)) as conn, conn:
        conn.execute("DELETE FROM users")
    code, out, err = await _run(bot.env(), "restore", "--yes", str(copy))
    assert code == ExitCode.OK, err
    with closing(sqlite3.connect(bot.db)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] > 0
    assert list(bot.db.parent.glob("bot.sqlite3.before-restore-*"))
    await bot.start()
    await union.officer.send_text("/help")
    await union.emu.wait_for_message(union.officer, has_text("你可以这样用"))
