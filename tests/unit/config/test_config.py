"""Config and settings: a bad field refuses the start and names the field and the fix."""

from __future__ import annotations

import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.config import (
    EXAMPLE_CHAT_IDS,
    EXAMPLE_MEMBER_IDS,
    KNOWN_KEYS,
    BackupConfig,
    ConfigError,
    load_config,
    parse_config,
)
from bot.settings import DEFAULT_API_URL, Settings, SettingsError
from storage.models import Role
from tests.conftest import config_data

EXAMPLE = Path(__file__).parents[3] / "deploy" / "config.example.toml"


def _filled_example(tmp_path: Path) -> Path:
    """The example with every placeholder replaced, as an admin fills it in."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("某某", "东海")
    text = text.replace("= 1000000", "= 2000000").replace("= -100100000000", "= -100200000000")
    filled = tmp_path / "config.toml"
    filled.write_text(text, encoding="utf-8")
    return filled


def test_the_example_config_is_valid_once_filled_in(tmp_path: Path) -> None:
    config = load_config(_filled_example(tmp_path))
    assert config.chats.tier3 is None
    assert {r for m in config.members for r in m.roles} == set(Role)
    assert config.union_name == "东海大学学生会"


def test_the_example_left_unfilled_is_refused_and_says_why() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(EXAMPLE)
    assert caught.value.field == "members 第 1 项.id"
    message = str(caught.value)
    assert "示例占位值" in message and "100000001" in message and "/start" in message


def test_the_placeholder_sets_match_the_example() -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert {m["id"] for m in data["members"]} == EXAMPLE_MEMBER_IDS
    assert set(data["chats"].values()) == EXAMPLE_CHAT_IDS


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["chats"].update(admins=-1001000000005), "chats.admins"),
        (lambda d: d["union"].update(name="某某大学学生会"), "union.name"),
        (lambda d: d["members"][2].update(id=100000003), "members 第 3 项.id"),
    ],
)
def test_each_kind_of_placeholder_is_refused(mutate: Any, field: str) -> None:
    data = config_data()
    mutate(data)
    with pytest.raises(ConfigError, match="示例占位值") as caught:
        parse_config(data)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("mutate", "field", "suggestion"),
    [
        (lambda d: d.update(unoin=d.pop("union")), "[unoin]", "[union]"),
        (lambda d: d.update(reminders={"review_deadline_huors": 4}),
         "reminders.review_deadline_huors", "review_deadline_hours"),
        (lambda d: d["chats"].update(teir3=-5), "chats.teir3", "tier3"),
        (lambda d: d["members"][0].update(usrename="x"), "members 第 1 项.usrename", "username"),
        (lambda d: d.update(backup={"kep": 3}), "backup.kep", "keep"),
        (lambda d: d.update(assessment={"aproved": 3}), "assessment.aproved", "approved"),
        (lambda d: d.update(nmae="x"), "nmae", None),
    ],
)  # fmt: skip
def test_unknown_keys_are_refused_with_the_closest_known_one(
    mutate: Any, field: str, suggestion: str | None
) -> None:
    data = config_data()
    mutate(data)
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert caught.value.field == field
    message = str(caught.value)
    if suggestion:
        assert f"是不是想写 {suggestion}？" in message
    else:
        assert "是不是想写" not in message


def test_a_misspelt_table_is_named_before_what_it_leaves_missing() -> None:
    data = config_data()
    data["chat"] = data.pop("chats")
    with pytest.raises(ConfigError, match=r"是不是想写 \[chats\]") as caught:
        parse_config(data)
    assert caught.value.field == "[chat]"


class _Reads(dict[str, Any]):
    """A TOML table that records which keys the parser reads."""

    def __init__(self, data: dict[str, Any], where: str, log: set[str]) -> None:
        super().__init__(
            {k: _track(v, f"{where}.{k}" if where else k, log) for k, v in data.items()}
        )
        self.where = where
        self.log = log

    def _note(self, key: str) -> None:
        self.log.add(f"{self.where}.{key}" if self.where else key)

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self._note(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self._note(key)
        return super().__getitem__(key)


def _track(value: Any, where: str, log: set[str]) -> Any:
    if isinstance(value, dict):
        return _Reads(value, where, log)
    if isinstance(value, list):
        return [_track(v, where, log) for v in value]
    return value


def test_every_key_the_parser_reads_is_a_known_key(tmp_path: Path) -> None:
    data = tomllib.loads(_filled_example(tmp_path).read_text(encoding="utf-8"))
    data["backup"] = {"dir": "/srv/backups", "keep": 3, "schedule": "04:00"}
    data["members"][-1]["username"] = "x"
    reads: set[str] = set()
    parse_config(_track(data, "", reads))
    for read in reads:
        table, _, key = read.rpartition(".")
        if table.startswith("assessment"):
            continue  # assessment items are checked against ASSESSMENT_METRICS
        assert key in KNOWN_KEYS[table], f"the parser reads {read}, missing from KNOWN_KEYS"
    read_tables = {read.partition(".")[0] for read in reads}
    assert read_tables >= KNOWN_KEYS[""]


def test_backup_settings() -> None:
    data = config_data()
    assert parse_config(data).backup == BackupConfig()
    data["backup"] = {"dir": "/srv/b", "keep": 3, "schedule": ""}
    assert parse_config(data).backup == BackupConfig(dir=Path("/srv/b"), keep=3, daily_at=None)
    data["backup"] = {"keep": 0}
    with pytest.raises(ConfigError, match=r"backup\.keep"):
        parse_config(data)


def test_a_folder_or_an_unreadable_file_as_the_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="文件夹"):
        load_config(tmp_path)
    locked = _filled_example(tmp_path)
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        pytest.skip("running as root: permissions do not apply")
    with pytest.raises(ConfigError, match="无法读取"):
        load_config(locked)


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
    example = (EXAMPLE.parent / "env.example").read_text(encoding="utf-8")
    (placeholder,) = [line for line in example.splitlines() if line.startswith("BOT_TOKEN=")]
    with pytest.raises(SettingsError, match="占位值"):
        Settings.from_env({"BOT_TOKEN": placeholder.partition("=")[2]})
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


def test_webhook_settings_need_https_and_a_secret() -> None:
    base = {"BOT_TOKEN": "1:abcdef"}
    assert Settings.from_env(base).webhook is None
    with pytest.raises(SettingsError, match="https://"):
        Settings.from_env({**base, "BOT_WEBHOOK_URL": "http://bot.example/tg"})
    with pytest.raises(SettingsError, match="BOT_WEBHOOK_SECRET"):
        Settings.from_env({**base, "BOT_WEBHOOK_URL": "https://bot.example/tg"})
    with pytest.raises(SettingsError, match="BOT_WEBHOOK_PORT"):
        Settings.from_env(
            {
                **base,
                "BOT_WEBHOOK_URL": "https://bot.example/tg",
                "BOT_WEBHOOK_SECRET": "x" * 20,
                "BOT_WEBHOOK_PORT": "99999",
            }
        )
    settings = Settings.from_env(
        {**base, "BOT_WEBHOOK_URL": "https://bot.example/tg/", "BOT_WEBHOOK_SECRET": "x" * 20}
    )
    assert settings.webhook is not None and settings.webhook.path == "/tg"
    assert (settings.webhook.listen, settings.webhook.port) == ("127.0.0.1", 8443)
    assert "x" * 20 not in repr(settings)
