"""Entry point: ``python -m bot``. Reads settings and config, then polls until stopped."""

from __future__ import annotations

import logging
import os
import sys

from bot.app import build_application
from bot.config import ConfigError, load_config
from bot.settings import Settings, SettingsError

logger = logging.getLogger("bot")


def configure_logging() -> None:
    """Log to stderr; keep the token out of the logs (httpx logs request URLs at INFO)."""
    logging.basicConfig(
        level=os.environ.get("BOT_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)


def main() -> int:
    """Start the bot; exit 2 with a message naming the fix when a setting is wrong."""
    configure_logging()
    try:
        settings = Settings.from_env()
        config = load_config(settings.config_path)
    except (SettingsError, ConfigError) as exc:
        print(f"无法启动：{exc}", file=sys.stderr)
        return 2
    application = build_application(settings, config)
    application.run_polling(
        allowed_updates=["message", "callback_query"], drop_pending_updates=False
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
