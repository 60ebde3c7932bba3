"""Settings from the environment; the token never appears in a repr or a log line."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_FILE_URL",
    "Settings",
    "SettingsError",
    "Webhook",
    "config_path_from_env",
    "db_path_from_env",
    "health_port_from_env",
]

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_FILE_URL = "https://api.telegram.org/file/bot"


class SettingsError(ValueError):
    """A required setting is missing or malformed; the message says which and how to fix it."""


# Telegram's rule for the webhook secret token.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")


@dataclass(frozen=True)
class Webhook:
    """Webhook mode: Telegram POSTs updates to ``url``; the bot listens on ``listen:port``."""

    url: str
    secret: str = field(repr=False)
    listen: str = "127.0.0.1"
    port: int = 8443

    @property
    def path(self) -> str:
        """The path the bot serves, the same as the public URL's (a reverse proxy keeps it)."""
        return urlsplit(self.url).path.rstrip("/") or "/"


def config_path_from_env(env: Mapping[str, str]) -> Path:
    """BOT_CONFIG, or config.toml in the working folder."""
    return Path(env.get("BOT_CONFIG", "").strip() or "config.toml")


def db_path_from_env(env: Mapping[str, str]) -> Path:
    """BOT_DB, or data/bot.sqlite3 in the working folder."""
    return Path(env.get("BOT_DB", "").strip() or "data/bot.sqlite3")


def _port(env: Mapping[str, str], name: str, default: int | None) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingsError(f"{name} 应当是 1 到 65535 之间的端口号，现在是 {raw!r}。")
    return int(raw)


def health_port_from_env(env: Mapping[str, str]) -> int | None:
    """BOT_HEALTH_PORT: where GET /healthz answers (off when unset)."""
    return _port(env, "BOT_HEALTH_PORT", None)


def _webhook(env: Mapping[str, str]) -> Webhook | None:
    url = env.get("BOT_WEBHOOK_URL", "").strip()
    if not url:
        return None
    if not url.startswith("https://") or not urlsplit(url).hostname:
        raise SettingsError(
            f"BOT_WEBHOOK_URL 必须是 https:// 开头的公网地址（Telegram 只向 HTTPS 推送），"
            f"现在是 {url!r}；例如 https://bot.example.edu.cn/telegram。"
        )
    secret = env.get("BOT_WEBHOOK_SECRET", "").strip()
    if not _SECRET.match(secret):
        raise SettingsError(
            "使用 BOT_WEBHOOK_URL 时须设置 BOT_WEBHOOK_SECRET：16–256 个字母、数字、_ 或 -，"
            "Telegram 每次推送都带上它，机器人拒绝不带的请求；可用 openssl rand -hex 32 生成。"
        )
    return Webhook(
        url=url,
        secret=secret,
        listen=env.get("BOT_WEBHOOK_LISTEN", "").strip() or "127.0.0.1",
        port=_port(env, "BOT_WEBHOOK_PORT", 8443) or 8443,
    )


@dataclass(frozen=True)
class Settings:
    """Where the bot finds its token, config, database and Bot API server."""

    token: str = field(repr=False)
    config_path: Path
    db_path: Path
    api_url: str = DEFAULT_API_URL
    file_url: str = DEFAULT_FILE_URL
    # None: long polling (the default).
    webhook: Webhook | None = None
    health_port: int | None = None
    # The 公众号's AppSecret (WECHAT_APP_SECRET): only ever in the environment, never in the config.
    wechat_secret: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read BOT_TOKEN, BOT_CONFIG, BOT_DB, BOT_API_URL, BOT_FILE_URL, BOT_WEBHOOK_* and
        BOT_HEALTH_PORT."""
        env = os.environ if env is None else env
        token = env.get("BOT_TOKEN", "").strip()
        if not token:
            raise SettingsError(
                "缺少环境变量 BOT_TOKEN：请向 @BotFather 申请机器人令牌，然后运行 "
                "`BOT_TOKEN=123456:ABC... make run`（不要把令牌写进仓库）。"
            )
        if "replace-with" in token:
            raise SettingsError(
                "BOT_TOKEN 仍是 deploy/env.example 里的占位值：请换成 @BotFather 给出的完整令牌。"
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
            config_path=config_path_from_env(env),
            db_path=db_path_from_env(env),
            wechat_secret=env.get("WECHAT_APP_SECRET", "").strip() or None,
            api_url=api_url,
            file_url=file_url,
            webhook=_webhook(env),
            health_port=health_port_from_env(env),
        )
