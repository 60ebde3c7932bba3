"""Config and settings: a bad field refuses the start and names the field and the fix."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.config import ConfigError, load_config, parse_config
from bot.settings import DEFAULT_API_URL, Settings, SettingsError
from storage.models import Role
from tests.conftest import config_data


def test_the_example_config_is_valid() -> None:
    config = load_config(Path(__file__).parents[2] / "deploy" / "config.example.toml")
    assert config.chats.tier3 is None
    assert {r for m in config.members for r in m.roles} == set(Role)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["chats"].pop("channel"), "chats.channel"),
        (lambda d: d["chats"].update(editors="x"), "chats.editors"),
        (lambda d: d["chats"].pop("editors"), "chats.editors"),
        (lambda d: d.pop("members"), "[[members]]"),
        (lambda d: d["members"][0].update(id="abc"), "members 第 1 项.id"),
        (lambda d: d["members"][1].update(id=1001), "members 第 2 项.id"),
        (lambda d: d["members"][0].update(roles=["boss"]), "members 第 1 项.roles"),
        (lambda d: d["members"][0].update(team="宣传组"), "members 第 1 项.team"),
        (lambda d: d["members"][4].update(roles=["officer"]), "members"),
        (lambda d: d["workflow"].update(editing="yes"), "workflow.editing"),
        (lambda d: d["union"].update(timezone="Mars/Base"), "union.timezone"),
    ],
)
def test_bad_fields_are_named(mutate: Any, field: str) -> None:
    data = config_data()
    mutate(data)
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert caught.value.field == field
    assert field in str(caught.value)


def test_editors_chat_is_optional_without_editing() -> None:
    data = config_data(editing=False)
    data["chats"].pop("editors")
    assert parse_config(data).chats.editors is None


def test_missing_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="不存在"):
        load_config(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[union\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML"):
        load_config(broken)


def test_settings_need_a_token_and_hide_it() -> None:
    with pytest.raises(SettingsError, match="BOT_TOKEN"):
        Settings.from_env({})
    with pytest.raises(SettingsError, match="格式"):
        Settings.from_env({"BOT_TOKEN": "nocolon"})
    with pytest.raises(SettingsError, match="BOT_API_URL"):
        Settings.from_env({"BOT_TOKEN": "1:a", "BOT_API_URL": "ftp://x"})
    settings = Settings.from_env({"BOT_TOKEN": "123:SECRET"})
    assert "SECRET" not in repr(settings)
    assert settings.api_url == DEFAULT_API_URL
    assert settings.db_path == Path("data/bot.sqlite3")


def test_volunteers_need_their_last_day() -> None:
    data = config_data()
    data["members"].append({"id": 4242, "name": "周志愿", "roles": ["志愿者"]})
    with pytest.raises(ConfigError) as missing:
        parse_config(data)
    assert missing.value.field == "members 第 7 项.volunteer_until"
    data["members"][-1]["volunteer_until"] = "2026-02-30"
    with pytest.raises(ConfigError, match="不是日期"):
        parse_config(data)
    data["members"][-1]["volunteer_until"] = "2026-12-31"
    member = parse_config(data).members[-1]
    assert member.roles == (Role.VOLUNTEER,) and member.volunteer_until == date(2026, 12, 31)
    data["members"][0]["volunteer_until"] = "2026-12-31"
    with pytest.raises(ConfigError, match="只对志愿者有意义"):
        parse_config(data)
