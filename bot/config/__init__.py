"""The union's config file (TOML): members, chats and workflow options, strictly validated.

Unknown keys are refused first (with the closest known one), then each value, then anything
left unchanged from the example config.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.config.keys import (
    EXAMPLE_CHAT_IDS,
    EXAMPLE_MEMBER_IDS,
    KNOWN_KEYS,
    check_keys,
    refuse_placeholders,
)
from bot.config.model import (
    ASSESSMENT_METRICS,
    EXAMPLE_HINT,
    ROLE_ALIASES,
    AssessmentConfig,
    BackupConfig,
    ChatsConfig,
    ConfigError,
    MemberConfig,
    PartnersConfig,
    RemindersConfig,
    UnionConfig,
    WeChatConfig,
    parse_role,
)
from bot.config.parse import parse_values

__all__ = [
    "ASSESSMENT_METRICS",
    "EXAMPLE_CHAT_IDS",
    "EXAMPLE_MEMBER_IDS",
    "KNOWN_KEYS",
    "ROLE_ALIASES",
    "AssessmentConfig",
    "BackupConfig",
    "ChatsConfig",
    "ConfigError",
    "MemberConfig",
    "PartnersConfig",
    "RemindersConfig",
    "UnionConfig",
    "WeChatConfig",
    "load_config",
    "parse_config",
    "parse_role",
]


def load_config(path: Path) -> UnionConfig:
    """Read and validate the config file at ``path``."""
    if path.is_dir():
        raise ConfigError(
            "BOT_CONFIG",
            f"指向的 {path} 是一个文件夹，不是配置文件",
            "请让 BOT_CONFIG 指向 config.toml 文件本身（例如 /etc/union-bot/config.toml）。",
        )
    if not path.exists():
        raise ConfigError(
            "BOT_CONFIG",
            f"指向的文件 {path} 不存在",
            "请复制 deploy/config.example.toml 为 config.toml 并填写成员和群聊，"
            "或用环境变量 BOT_CONFIG 指定配置文件路径。",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"不是合法的 TOML（{exc}）", EXAMPLE_HINT) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), "不是 UTF-8 编码", "请用 UTF-8 保存配置文件。") from exc
    except OSError as exc:
        raise ConfigError(
            "BOT_CONFIG",
            f"指向的文件 {path} 无法读取（{exc.strerror or exc}）",
            "请检查文件权限：运行机器人的用户须能读取它（例如 chmod 640 并把组设为该用户）。",
        ) from exc
    return parse_config(data)


def parse_config(data: Mapping[str, Any]) -> UnionConfig:
    """Validate a parsed TOML document: unknown keys first, then each value, then placeholders."""
    check_keys(data)
    config = parse_values(data)
    refuse_placeholders(config)
    return config
