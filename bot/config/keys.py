"""Keys and placeholders: a misspelt key or a value left from the example is refused by name."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bot.config.model import ConfigError, UnionConfig, did_you_mean

__all__ = [
    "EXAMPLE_CHAT_IDS",
    "EXAMPLE_MEMBER_IDS",
    "EXAMPLE_NAME_MARK",
    "KNOWN_KEYS",
    "check_keys",
    "refuse_placeholders",
]

logger = logging.getLogger(__name__)


# Unknown keys -------------------------------------------------------------------------------

# Every key the config may hold, per table ("" is the top level, "members" each [[members]]).
# A unit test checks that the parser reads no key missing here.
KNOWN_KEYS: Mapping[str, frozenset[str]] = {
    "": frozenset(
        {
            "union",
            "workflow",
            "chats",
            "telegram",
            "reminders",
            "partners",
            "members",
            "assessment",
            "backup",
            "wechat",
        }
    ),
    "union": frozenset({"name", "timezone", "accounts"}),
    "workflow": frozenset({"editing", "auto_publish", "reasons_1", "reasons_2", "reasons_3"}),
    "chats": frozenset({"channel", "editors", "tier1", "tier2", "tier3", "admins", "inbox"}),
    "telegram": frozenset({"rate_limit", "retry_seconds"}),
    "reminders": frozenset(
        {
            "quiet_hours",
            "deadline_clock",
            "workday_start",
            "workday_end",
            "review_deadline_hours",
            "original_deadline_hours",
            "nudge_interval_hours",
            "max_nudges",
            "urgent_deadline_hours",
            "urgent_nudge_interval_hours",
            "ack_window_hours",
            "promise_hours",
            "open_questions_per_student",
            "extra_holidays",
            "extra_workdays",
        }
    ),
    "partners": frozenset({"digest"}),
    "members": frozenset({"id", "name", "username", "team", "roles", "volunteer_until"}),
    "backup": frozenset({"dir", "keep", "schedule"}),
    "wechat": frozenset({"app_id", "api_url", "article_url"}),
}


def check_keys(data: Mapping[str, Any]) -> None:
    """Refuse a key the bot does not know, naming the closest known one.

    A misspelt key would otherwise be ignored silently and leave its default in force.
    """
    for key in data:
        if key not in KNOWN_KEYS[""]:
            table = isinstance(data[key], dict | list)
            raise ConfigError(
                f"[{key}]" if table else key,
                "不是已知的配置节" if table else "不是已知的设置项",
                did_you_mean(key, KNOWN_KEYS[""], table=table)
                + f"可用的节：{'、'.join(f'[{k}]' for k in sorted(KNOWN_KEYS['']))}。",
            )
    for section, known in KNOWN_KEYS.items():
        if not section or section == "members":
            continue
        value = data.get(section)
        if isinstance(value, dict):
            _check_table(value, known, section)
    members = data.get("members")
    if isinstance(members, list):
        for index, entry in enumerate(members, start=1):
            if isinstance(entry, dict):
                _check_table(entry, KNOWN_KEYS["members"], f"members 第 {index} 项")


def _check_table(table: Mapping[str, Any], known: frozenset[str], where: str) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(
                f"{where}.{key}",
                "不是已知的设置项",
                did_you_mean(key, known) + f"这一节可用的设置项：{'、'.join(sorted(known))}。",
            )


# Placeholders -------------------------------------------------------------------------------

# The ids deploy/config.example.toml ships with (a unit test keeps them in step with the file).
EXAMPLE_MEMBER_IDS = frozenset(range(100000001, 100000008))
EXAMPLE_CHAT_IDS = frozenset(range(-1001000000006, -1001000000000))
# The example's stand-in for the union's name, as in "某某大学学生会".
EXAMPLE_NAME_MARK = "某某"


def refuse_placeholders(config: UnionConfig) -> None:
    """Refuse values copied unchanged from the example: they would seed fake admins and chats."""
    found: list[tuple[str, str]] = []
    for index, member in enumerate(config.members, start=1):
        if member.user_id in EXAMPLE_MEMBER_IDS:
            found.append((f"members 第 {index} 项.id", str(member.user_id)))
    for name in ("channel", "editors", "tier1", "tier2", "tier3", "admins", "inbox"):
        value = getattr(config.chats, name)
        if value in EXAMPLE_CHAT_IDS:
            found.append((f"chats.{name}", str(value)))
    if EXAMPLE_NAME_MARK in config.union_name:
        found.append(("union.name", repr(config.union_name)))
    found += [
        ("union.accounts", repr(account))
        for account in config.accounts
        if EXAMPLE_NAME_MARK in account
    ]
    if found:
        shown = "；".join(f"{where} = {value}" for where, value in found[:4])
        if len(found) > 4:
            shown += f" 等 {len(found)} 处"
        raise ConfigError(
            found[0][0],
            f"仍是 deploy/config.example.toml 里的示例占位值（{shown}）",
            "请换成你们自己的：成员 id 是其 Telegram 数字 ID"
            "（成员私聊机器人发送 /start 即可看到），"
            "群聊 id 的查法见 README「查找群聊 id」；union.name 和 accounts 写真实名称；"
            "不需要的群聊整行删掉。",
        )
