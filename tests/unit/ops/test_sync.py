"""Config and database: the differences as one Chinese line each, applied in one transaction with
audit rows, refused when the database moved meanwhile, never removing the last admin."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot import texts
from bot.config import UnionConfig, parse_config
from bot.members import Members
from bot.ops.check import check_members
from bot.ops.sync import ChangeKind, SyncConflict, alert_text, apply, drift
from storage import Database, audit, roster, users
from storage.models import Role, User
from tests.conftest import ADMIN, EDITOR, OFFICER, REVIEWER1, REVIEWER2, REVIEWER3, config_data

NEWCOMER = 1007


def _edited() -> dict[str, Any]:
    """The test union's config after the union's reshuffle: one of each kind of difference."""
    data = config_data()
    members = {m["id"]: m for m in data["members"]}
    # A changed role: the officer now lays out drafts instead.
    members[OFFICER.user_id]["roles"] = ["editor"]
    # A new team, a new name.
    members[EDITOR.user_id]["team"] = "设计组"
    members[REVIEWER3.user_id]["name"] = "孙红老师"
    # A removed member, and a new one (a volunteer until the end of the year).
    del members[REVIEWER2.user_id]
    members[REVIEWER1.user_id]["roles"] = ["reviewer1", "reviewer2"]
    members[NEWCOMER] = {
        "id": NEWCOMER,
        "name": "周新人",
        "username": "zhou_xr",
        "roles": ["志愿者"],
        "volunteer_until": "2026-12-31",
        "team": "新闻稿组",
    }
    data["members"] = list(members.values())
    return data


async def _seeded(db: Database, config: UnionConfig) -> None:
    assert await Members(db, config).seed_members()


async def test_nothing_differs_before_the_first_start_or_right_after_it(
    db: Database, config: UnionConfig
) -> None:
    assert await drift(db, parse_config(_edited())) == []
    await _seeded(db, config)
    assert await drift(db, config) == []


async def test_each_difference_is_one_chinese_line(db: Database, config: UnionConfig) -> None:
    await _seeded(db, config)
    changes = await drift(db, parse_config(_edited()))
    assert [change.render() for change in changes] == [
        "～ 张信息（1001）：增加角色 编辑（宣传媒体部）",
        "～ 张信息（1001）：取消角色 信息员",
        "～ 王编辑（1002）：所在组 （无） → 设计组",
        "～ 赵部长（1003）：增加角色 主席团成员（二审）",
        "～ 孙红老师（1005）：姓名 孙老师 → 孙红老师",
        "＋ 新成员 周新人（1007）：志愿者（至 2026-12-31），新闻稿组",
        "－ 移除成员 钱主席（1004）：取消 主席团成员（二审）",
    ]


async def test_applying_makes_them_agree_in_one_transaction_with_audit_rows(
    db: Database, config: UnionConfig
) -> None:
    await _seeded(db, config)
    edited = parse_config(_edited())
    changes = await drift(db, edited)
    assert await apply(db, edited, changes) == len(changes) == 7
    assert await drift(db, edited) == []
    async with db.reading() as conn:
        assert await users.roles_of(conn, OFFICER.user_id) == {Role.EDITOR}
        assert await users.roles_of(conn, REVIEWER2.user_id) == frozenset()
        assert await users.roles_of(conn, REVIEWER1.user_id) == {Role.REVIEWER1, Role.REVIEWER2}
        assert await users.roles_of(conn, NEWCOMER) == {Role.VOLUNTEER}
        newcomer = await users.get(conn, NEWCOMER)
        assert newcomer is not None
        assert newcomer == User(NEWCOMER, "周新人", "zhou_xr", "新闻稿组")
        editor = await users.get(conn, EDITOR.user_id)
        assert editor is not None and editor.team == "设计组"
        events = await audit.between(conn, "0", "9")
    synced = [e for e in events if e.action == "member.synced"]
    assert [e.detail["text"] for e in synced] == [c.render() for c in changes]
    assert all(e.actor_id is None for e in synced)


async def test_a_team_dropped_from_the_config_is_dropped(db: Database, config: UnionConfig) -> None:
    await _seeded(db, config)
    data = config_data()
    del data["members"][0]["team"]
    edited = parse_config(data)
    changes = await drift(db, edited)
    assert [c.render() for c in changes] == ["～ 张信息（1001）：所在组 新闻稿组 → （无）"]
    await apply(db, edited, changes)
    async with db.reading() as conn:
        officer = await users.get(conn, OFFICER.user_id)
    assert officer is not None and officer.team is None


async def test_a_volunteers_last_day_moves(db: Database) -> None:
    data = _edited()
    first = parse_config(data)
    await _seeded(db, first)
    data["members"][-1]["volunteer_until"] = "2027-01-31"
    later = parse_config(data)
    changes = await drift(db, later)
    assert [c.render() for c in changes] == [
        "～ 周新人（1007）：志愿期最后一天 2026-12-31 → 2027-01-31"
    ]
    await apply(db, later, changes)
    assert await Members(db, later).role_ends() == {
        (NEWCOMER, Role.VOLUNTEER): (date(2027, 1, 31), False)
    }


async def test_the_last_admin_is_kept_whatever_the_config_says(
    db: Database, config: UnionConfig
) -> None:
    await _seeded(db, config)
    # The parser refuses a config without an admin; the sync does not rely on it.
    without_admin = dataclasses.replace(
        config, members=tuple(m for m in config.members if m.user_id != ADMIN.user_id)
    )
    changes = await drift(db, without_admin)
    assert [(c.kind, c.roles) for c in changes] == [
        (ChangeKind.LEAVE, (Role.OFFICER,)),
        (ChangeKind.KEEP_ADMIN, ()),
    ]
    assert [c.render() for c in changes] == [
        "－ 移除成员 李管理（1006）：取消 信息员",
        texts.SYNC_KEEP_ADMIN.format(name="李管理", user_id=1006),
    ]
    assert await apply(db, without_admin, changes) == 1
    async with db.reading() as conn:
        assert await users.roles_of(conn, ADMIN.user_id) == {Role.ADMIN}
    # Once the config names another admin, the old one can go.
    data = config_data()
    data["members"] = [m for m in data["members"] if m["id"] != ADMIN.user_id]
    data["members"][0]["roles"] = ["officer", "admin"]
    handed_over = parse_config(data)
    changes = await drift(db, handed_over)
    assert {c.kind for c in changes} == {ChangeKind.GRANT, ChangeKind.LEAVE}
    await apply(db, handed_over, changes)
    async with db.reading() as conn:
        assert [u.user_id for u in await users.holders(conn, Role.ADMIN)] == [OFFICER.user_id]


async def test_nothing_changes_when_the_database_moved_after_showing(
    db: Database, config: UnionConfig
) -> None:
    await _seeded(db, config)
    edited = parse_config(_edited())
    shown = await drift(db, edited)
    # Meanwhile an admin gives someone a role in chat.
    members = Members(db, config)
    stranger = await members.ensure_user(1099, "路人")
    await members.grant(ADMIN, stranger, [Role.OFFICER])
    with pytest.raises(SyncConflict):
        await apply(db, edited, shown)
    async with db.reading() as conn:
        assert await users.roles_of(conn, OFFICER.user_id) == {Role.OFFICER}
        assert await users.get(conn, NEWCOMER) is None


async def test_the_admins_alert_escapes_names_and_names_the_command(
    db: Database, config: UnionConfig
) -> None:
    await _seeded(db, config)
    data = config_data()
    data["members"][1]["name"] = "<b>王</b>&编辑"
    text = alert_text(await drift(db, parse_config(data)))
    assert "&lt;b&gt;王&lt;/b&gt;&amp;编辑" in text and "<b>王" not in text
    assert "python -m bot sync-config" in text


async def test_a_long_list_is_cut_for_the_admins_and_says_how_many_are_left(
    db: Database, config: UnionConfig
) -> None:
    await _seeded(db, config)
    data = config_data()
    data["members"] += [
        {"id": 5000 + i, "name": f"新成员{i:03d}" * 4, "roles": ["officer"]} for i in range(200)
    ]
    text = alert_text(await drift(db, parse_config(data)))
    assert len(text) < 4096
    left = text.count("＋ 新成员")
    assert 0 < left < 200
    assert texts.SYNC_DRIFT_MORE.format(count=200 - left) in text


async def test_the_check_reads_the_file_without_changing_it(
    tmp_path: Path, config: UnionConfig
) -> None:
    path = tmp_path / "bot.sqlite3"
    assert check_members(path, config).ok is True
    db = await Database.open(path)
    try:
        assert check_members(path, config).text == texts.CHECK_SYNC_FRESH
        await _seeded(db, config)
        assert check_members(path, config).text == texts.CHECK_SYNC_OK
        edited = parse_config(_edited())
        item = check_members(path, edited)
        assert item.ok is False and item.fix == texts.CHECK_SYNC_FIX
        assert "－ 移除成员 钱主席（1004）" in item.text and "7 处不同" in item.text
        assert roster.read_file(path).members.keys() == {
            OFFICER.user_id,
            EDITOR.user_id,
            REVIEWER1.user_id,
            REVIEWER2.user_id,
            REVIEWER3.user_id,
            ADMIN.user_id,
        }
    finally:
        await db.close()
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("不是数据库" * 100, encoding="utf-8")
    assert check_members(not_sqlite, config).ok is None


def test_the_command_asks_at_a_terminal_and_a_no_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.ops import sync

    path = tmp_path / "bot.sqlite3"
    config_file = tmp_path / "config.toml"
    config_file.write_text(_toml(_edited()), encoding="utf-8")

    async def seed() -> None:
        db = await Database.open(path)
        await _seeded(db, parse_config(config_data()))
        await db.close()

    asyncio.run(seed())
    monkeypatch.setenv("BOT_DB", str(path))
    monkeypatch.setenv("BOT_CONFIG", str(config_file))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    answers = iter(["no", "是"])
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", answer)
    assert sync.main(assume_yes=False) == 1
    assert capsys.readouterr().out.strip().endswith(texts.SYNC_CANCELLED)
    assert roster.read_file(path).members.keys().isdisjoint({NEWCOMER})
    assert sync.main(assume_yes=False) == 0
    assert capsys.readouterr().out.strip().endswith(texts.SYNC_DONE.format(count=7))
    assert prompts == [texts.SYNC_CONFIRM.format(count=7)] * 2
    assert NEWCOMER in roster.read_file(path).members


def _toml(data: dict[str, Any]) -> str:
    """A config document as TOML (the subset config_data uses)."""

    def value(v: object) -> str:
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return json.dumps(v, ensure_ascii=False) if isinstance(v, str) else str(v)

    lines: list[str] = []
    for table, body in data.items():
        if table == "members":
            continue
        lines.append(f"[{table}]")
        lines += [f"{key} = {value(v)}" for key, v in body.items()]
    for member in data["members"]:
        lines.append("[[members]]")
        lines += [f"{key} = {value(v)}" for key, v in member.items()]
    return "\n".join(lines) + "\n"
