"""``python -m bot check`` against the emulator: each item passes or fails with its fix; and the
daily backup job in the running application."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram.ext import Application

from bot import texts
from bot.config import BackupConfig
from bot.ops.backups import schedule_backups
from bot.ops.check import Item, render, run_checks
from storage import Database
from storage.backup import inspect
from storage.db import latest_schema_version
from tests.e2e.harness import TOKEN, Union, write_config
from tests.emulator import BotApiEmulator

EXAMPLE = Path(__file__).parents[2] / "deploy" / "config.example.toml"


def _env(emu: BotApiEmulator, config: Path, db: Path, token: str = TOKEN) -> dict[str, str]:
    return {
        "BOT_TOKEN": token,
        "BOT_CONFIG": str(config),
        "BOT_DB": str(db),
        "BOT_API_URL": emu.api_url,
        "BOT_FILE_URL": emu.file_url,
    }


def _failed(items: list[Item]) -> list[Item]:
    return [item for item in items if item.ok is False]


async def test_a_correct_setup_passes_every_item(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml")
    items = await run_checks(_env(emu, config, tmp_path / "data" / "bot.sqlite3"))
    assert _failed(items) == []
    text = render(items, config)
    assert text.endswith(texts.CHECK_ALL_PASSED)
    # Every configured chat was looked at, and the advisor (no tier-3 group) was tried privately.
    assert len([i for i in items if "chats." in i.text]) == 6
    assert any("孙老师" in i.text and i.ok for i in items)
    assert str(emu.calls_to("sendChatAction")[0].params["chat_id"]) == str(union.reviewer3.id)
    # The check changes nothing: no database is created, nothing is posted.
    assert not (tmp_path / "data" / "bot.sqlite3").exists()
    assert not emu.calls_to("sendMessage")


async def test_the_example_left_unfilled_fails_on_its_placeholders(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    items = await run_checks(_env(emu, EXAMPLE, tmp_path / "bot.sqlite3"))
    config_item = items[0]
    assert config_item.ok is False and "示例占位值" in config_item.fix
    assert any(i.ok is None and i.fix == texts.CHECK_NEEDS_CONFIG for i in items)
    assert not emu.calls_to("getChat")


async def test_a_chat_without_the_bot_and_a_channel_where_it_cannot_post(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml")
    emu.add_group(-1002000000077, "机器人不在的群", members=[union.reviewer2], bot_member=False)
    emu.add_channel(-1002000000078, "机器人不是管理员的频道", bot_admin=False)
    text = config.read_text(encoding="utf-8")
    text = text.replace(f"tier2 = {union.tier2.id}", "tier2 = -1002000000077")
    text = text.replace(f"channel = {union.channel.id}", "channel = -1002000000078")
    config.write_text(text, encoding="utf-8")
    items = await run_checks(_env(emu, config, tmp_path / "bot.sqlite3"))
    failed = {item.text: item.fix for item in _failed(items)}
    assert failed == {
        "二审群 chats.tier2 = -1002000000077": failed["二审群 chats.tier2 = -1002000000077"],
        "发布频道 chats.channel = -1002000000078": texts.CHECK_CHANNEL_NOT_ADMIN,
    }
    assert "拉进群" in failed["二审群 chats.tier2 = -1002000000077"]


async def test_a_reviewer_who_never_started_the_bot(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml", admins_chat=False)
    # Tier 1 without a group: the department head gets cards privately but never wrote to the bot.
    text = config.read_text(encoding="utf-8").replace(f"tier1 = {union.tier1.id}\n", "")
    config.write_text(text, encoding="utf-8")
    items = await run_checks(_env(emu, config, tmp_path / "bot.sqlite3"))
    failed = _failed(items)
    assert [item.text for item in failed] == [
        texts.CHECK_PRIVATE_BAD.format(
            role="部门负责人", name="赵部长", user_id=union.reviewer1.id
        ),
        texts.CHECK_PRIVATE_BAD.format(role="管理员", name="李管理", user_id=union.admin.id),
    ]
    assert "/start" in failed[0].fix and "chats.tier1" in failed[0].fix
    assert "chats.admins" in failed[1].fix
    await union.reviewer1.send_text("/start")
    items = await run_checks(_env(emu, config, tmp_path / "bot.sqlite3"))
    assert [item.text for item in _failed(items)] == [failed[1].text]


async def test_a_rejected_token_is_one_item_without_the_token(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml")
    wrong = "777000:NOT-THE-RIGHT-SECRET"
    items = await run_checks(_env(emu, config, tmp_path / "bot.sqlite3", token=wrong))
    failed = _failed(items)
    assert [item.text for item in failed] == [texts.CHECK_TOKEN_BAD]
    assert failed[0].fix == texts.STARTUP_TOKEN_REJECTED
    assert "NOT-THE-RIGHT-SECRET" not in render(items, config)


async def test_database_states(emu: BotApiEmulator, union: Union, tmp_path: Path) -> None:
    config = write_config(union, tmp_path / "config.toml")
    db_path = tmp_path / "bot.sqlite3"
    await (await Database.open(db_path)).close()
    items = await run_checks(_env(emu, config, db_path))
    assert _failed(items) == []
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future.sql', 'x')")
    items = await run_checks(_env(emu, config, db_path))
    (failed,) = _failed(items)
    assert failed.text == texts.CHECK_DB_BAD.format(path=db_path) and "999" in failed.fix


async def test_the_daily_backup_job_writes_a_checked_backup(
    app: Application,  # type: ignore[type-arg]
    tmp_path: Path,
) -> None:
    settings = BackupConfig(dir=tmp_path / "backups", keep=2, daily_at=time(3, 30))
    schedule_backups(app, tmp_path / "bot.sqlite3", settings)
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name("backup")
    assert job.next_t is not None
    assert job.next_t.astimezone(ZoneInfo("Asia/Shanghai")).time() == time(3, 30)
    for _ in range(3):
        await job.run(app)
    kept = sorted((tmp_path / "backups").glob("bot-*.sqlite3"))
    assert 1 <= len(kept) <= 2
    info = await inspect(kept[-1])
    assert info.version == latest_schema_version()
