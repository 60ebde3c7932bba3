"""Shared fixtures: a migrated database on a temporary file and a small union config."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.clock.timing import Timing
from bot.config import UnionConfig, parse_config
from bot.members import Actor, Members
from bot.review.service import Pipeline
from bot.screening import Screening
from storage import Database
from tests.e2e.harness import TOKEN, Union, build_union
from tests.emulator import BotApiEmulator

OFFICER = Actor(1001, "张信息", "officer")
EDITOR = Actor(1002, "王编辑", "editor")
REVIEWER1 = Actor(1003, "赵部长", "r1")
REVIEWER2 = Actor(1004, "钱主席", "r2")
REVIEWER3 = Actor(1005, "孙老师", "r3")
ADMIN = Actor(1006, "李管理", "admin")
STRANGER = Actor(1099, "路人", "stranger")


def config_data(**workflow: Any) -> dict[str, Any]:
    """A valid config document; ``workflow`` overrides the workflow table."""
    return {
        "union": {"name": "测试大学学生会"},
        "workflow": {"editing": True, "auto_publish": True, **workflow},
        "chats": {"channel": -100900, "editors": -100901, "tier1": -100911, "tier2": -100912},
        "telegram": {"rate_limit": False},
        "members": [
            {"id": OFFICER.user_id, "name": OFFICER.name, "roles": ["officer"], "team": "新闻稿组"},
            {"id": EDITOR.user_id, "name": EDITOR.name, "roles": ["editor"]},
            {"id": REVIEWER1.user_id, "name": REVIEWER1.name, "roles": ["reviewer1"]},
            {"id": REVIEWER2.user_id, "name": REVIEWER2.name, "roles": ["主席团成员"]},
            {"id": REVIEWER3.user_id, "name": REVIEWER3.name, "roles": ["指导老师"]},
            {"id": ADMIN.user_id, "name": ADMIN.name, "roles": ["admin", "officer"]},
        ],
    }


@pytest.fixture
def config() -> UnionConfig:
    """The test union's config."""
    return parse_config(config_data())


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh database on a temporary file."""
    database = await Database.open(tmp_path / "bot.sqlite3")
    yield database
    await database.close()


@pytest.fixture
async def pipeline(db: Database, config: UnionConfig) -> Pipeline:
    """The review service over a seeded database."""
    screening = Screening(db)
    await screening.start()
    await Members(db, config).seed_members()
    return Pipeline(db, config, screening, Timing(config.reminders, config.timezone))


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    """A strict Bot API emulator on 127.0.0.1."""
    async with BotApiEmulator(token=TOKEN, bot_username="union_test_bot") as emulator:
        yield emulator


@pytest.fixture
def union(emu: BotApiEmulator) -> Union:
    """The scripted union: members, groups and the channel."""
    return build_union(emu)
