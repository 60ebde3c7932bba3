"""Settings from the environment; the token never appears in a repr or a log line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DEFAULT_API_URL", "DEFAULT_FILE_URL", "Settings", "SettingsError"]

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_FILE_URL = "https://api.telegram.org/file/bot"


class SettingsError(ValueError):
    """A required setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    """Where the bot finds its token, config, database and Bot API server."""

    token: str = field(repr=False)
    config_path: Path
    db_path: Path
    api_url: str = DEFAULT_API_URL
    file_url: str = DEFAULT_FILE_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read BOT_TOKEN, BOT_CONFIG, BOT_DB, BOT_API_URL and BOT_FILE_URL."""
        env = os.environ if env is None else env
        token = env.get("BOT_TOKEN", "").strip()
        if not token:
            raise SettingsError(
                "缺少环境变量 BOT_TOKEN：请向 @BotFather 申请机器人令牌，然后运行 "
                "`BOT_TOKEN=123456:ABC... make run`（不要把令牌写进仓库）。"
            )
        if ":" not in token:
            raise SettingsError(
                "BOT_TOKEN 的格式不对：应当形如 123456789:AAE...（@BotFather 给出的完整令牌）。"
            )
        api_url = env.get("BOT_API_URL", "").strip() or DEFAULT_API_URL
        file_url = env.get("BOT_FILE_URL", "").strip() or DEFAULT_FILE_URL
        for name, url in (("BOT_API_URL", api_url), ("BOT_FILE_URL", file_url)):
            if not url.startswith(("http://", "https://")):
                raise SettingsError(
                    f"{name} 必须是 http:// 或 https:// 开头的地址，现在是 {url!r}。"
                )
        return cls(
            token=token,
            config_path=Path(env.get("BOT_CONFIG", "").strip() or "config.toml"),
            db_path=Path(env.get("BOT_DB", "").strip() or "data/bot.sqlite3"),
            api_url=api_url,
            file_url=file_url,
        )
