"""Starting the bot: settings, config, the database and the token checked first, each failure one
Chinese line and an exit code that tells a supervisor whether a restart can help."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from telegram import Bot, User
from telegram.error import BadRequest, InvalidToken, NetworkError
from telegram.ext import Application

from bot import texts
from bot.config import ConfigError, UnionConfig, load_config
from bot.ops import health
from bot.ops.exits import ExitCode, StartupError
from bot.ops.transport import ProxyRefused, bot_api_request
from bot.settings import Settings, SettingsError
from storage import Database
from storage.db import DatabaseAccessError, DatabaseNewerError, NotADatabaseError

__all__ = [
    "ExitCode",
    "StartupError",
    "describe",
    "load",
    "open_database",
    "plain_bot",
    "proxy_setting",
    "verify_token",
]

logger = logging.getLogger(__name__)


def load() -> tuple[Settings, UnionConfig]:
    """Settings from the environment and the config they point at."""
    try:
        settings = Settings.from_env()
        return settings, load_config(settings.config_path)
    except (SettingsError, ConfigError) as exc:
        raise StartupError(str(exc), ExitCode.CONFIG) from exc


def proxy_setting() -> str:
    """The proxy in force, as the network message names it (without any password in it)."""
    raw = next(
        (os.environ[name] for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")
         if os.environ.get(name)),
        "",
    )  # fmt: skip
    if not raw:
        return texts.STARTUP_PROXY_UNSET
    parts = urlsplit(raw if "://" in raw else f"http://{raw}")
    shown = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return texts.STARTUP_PROXY_SET.format(proxy=shown)


def describe(exc: BaseException, settings: Settings) -> StartupError | None:
    """The start-up failure ``exc`` stands for, or None when it is a bug (keep the traceback)."""
    if isinstance(exc, StartupError):
        return exc
    if isinstance(exc, InvalidToken):
        return StartupError(texts.STARTUP_TOKEN_REJECTED, ExitCode.TOKEN)
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        host = urlsplit(settings.api_url).netloc
        if isinstance(exc, ProxyRefused):
            hint = texts.STARTUP_PROXY_LOGIN if exc.status.split(" ")[1:2] == ["407"] else ""
            message = texts.STARTUP_PROXY_REFUSED.format(
                host=host, status=exc.status, hint=hint, proxy=proxy_setting()
            )
        else:
            detail = str(exc.__cause__ or exc).replace(settings.token, "…")
            message = texts.STARTUP_NETWORK.format(host=host, detail=detail, proxy=proxy_setting())
        return StartupError(message, ExitCode.NETWORK)
    if isinstance(exc, DatabaseAccessError):
        message = texts.STARTUP_DB_NOT_WRITABLE.format(path=exc.path, detail=exc.detail)
        return StartupError(message, ExitCode.DATABASE)
    if isinstance(exc, NotADatabaseError):
        return StartupError(texts.STARTUP_DB_NOT_SQLITE.format(path=exc.path), ExitCode.DATABASE)
    if isinstance(exc, DatabaseNewerError):
        message = texts.STARTUP_DB_NEWER.format(
            path=settings.db_path, found=exc.found, known=exc.known
        )
        return StartupError(message, ExitCode.DATABASE)
    return None


async def open_database(settings: Settings) -> Database:
    """The database, migrated; a failure is a StartupError."""
    try:
        return await Database.open(settings.db_path)
    except Exception as exc:
        failure = describe(exc, settings)
        if failure is None:
            raise
        raise failure from exc


def plain_bot(settings: Settings) -> Bot:
    """A bot for a few requests outside the application (start-up and ``check``), sending
    them the way the application does."""
    return Bot(
        settings.token,
        base_url=settings.api_url,
        base_file_url=settings.file_url,
        request=bot_api_request(settings.api_url, pool_size=4),
        get_updates_request=bot_api_request(settings.api_url, pool_size=1),
    )


async def verify_token(settings: Settings) -> User:
    """The bot's own account (getMe); a rejected token or no network is a StartupError."""
    bot = plain_bot(settings)
    try:
        async with bot:
            return bot.bot
    except Exception as exc:
        failure = describe(exc, settings)
        if failure is None:
            raise
        raise failure from exc


async def preflight(settings: Settings) -> None:
    """What must hold before PTB starts: the database opens, the token is accepted."""
    db = await open_database(settings)
    await db.close()
    me = await verify_token(settings)
    logger.info("token accepted for @%s; database %s ready", me.username, Path(settings.db_path))


def check_before_start(settings: Settings) -> None:
    """Run ``preflight`` in its own event loop (PTB's run_* methods make their own)."""
    asyncio.run(preflight(settings))


# my_chat_member: the bot unblocked, added back to a group, made an admin: release what waited.
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


def _with_health(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Answer ``GET /healthz`` on BOT_HEALTH_PORT while the bot runs, around app.py's hooks."""
    port = settings.health_port
    if port is None:
        return
    listen = settings.webhook.listen if settings.webhook else "127.0.0.1"
    servers: list[asyncio.Server] = []
    inner_init, inner_shutdown = application.post_init, application.post_shutdown

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        if inner_init is not None:
            await inner_init(app)
        servers.append(await health.serve(listen, port, lambda: app.running))

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        for server in servers:
            server.close()
            await server.wait_closed()
        if inner_shutdown is not None:
            await inner_shutdown(app)

    application.post_init = post_init
    application.post_shutdown = post_shutdown


def _event_loop() -> asyncio.AbstractEventLoop:
    """The loop the bot serves on: uvloop's where it is installed (Linux and macOS), which
    spends about a sixth less of the bot's CPU than asyncio's own (``make bench``)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def _serve(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    # PTB serves on the current loop.
    asyncio.set_event_loop(_event_loop())
    hook = settings.webhook
    if hook is None:
        application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        return
    logger.info("webhook mode: listening on %s:%d%s", hook.listen, hook.port, hook.path)
    # PTB registers the URL with setWebhook and answers 403 to any request whose
    # X-Telegram-Bot-Api-Secret-Token header is missing or wrong.
    application.run_webhook(
        listen=hook.listen,
        port=hook.port,
        url_path=hook.path,
        webhook_url=hook.url,
        secret_token=hook.secret,
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
    )


def run() -> int:
    """Start the bot and serve until stopped; a known start-up failure is a StartupError."""
    settings, config = load()
    check_before_start(settings)
    # Imported here: the checks above and the other subcommands need none of the handlers.
    from bot.app import build_application
    from bot.ops.backups import schedule_backups

    application = build_application(settings, config)
    schedule_backups(application, settings.db_path, config.backup)
    _with_health(application, settings)
    try:
        _serve(application, settings)
    except Exception as exc:
        failure = describe(exc, settings)
        if failure is None:
            raise
        raise failure from exc
    return int(ExitCode.OK)
