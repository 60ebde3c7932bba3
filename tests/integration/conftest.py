"""The PTB Application from ``build_application``, in-process, talking HTTP to the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app import build_application
from bot.config import load_config
from bot.settings import Settings
from tests.e2e.harness import TOKEN, Union, write_config
from tests.emulator import BotApiEmulator


@pytest.fixture
async def app(
    emu: BotApiEmulator, union: Union, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The application, initialised (post_init ran) and polling the emulator."""
    marker = request.node.get_closest_marker("union_config")
    options = dict(marker.kwargs) if marker else {}
    config_path = write_config(union, tmp_path / "config.toml", **options)
    settings = Settings.from_env(
        {
            "BOT_TOKEN": TOKEN,
            "BOT_CONFIG": str(config_path),
            "BOT_DB": str(tmp_path / "bot.sqlite3"),
            "BOT_API_URL": emu.api_url,
            "BOT_FILE_URL": emu.file_url,
        }
    )
    async with running(build_application(settings, load_config(config_path))) as application:
        yield application


@asynccontextmanager
async def running(
    application: Application,  # type: ignore[type-arg]
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """``application`` initialised (post_init ran) and polling, as ``python -m bot`` runs it;
    shut down as it is on exit."""
    async with application:
        assert application.post_init is not None
        await application.post_init(application)
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
        await application.start()
        yield application
        await application.updater.stop()
        await application.stop()
        assert application.post_shutdown is not None
        await application.post_shutdown(application)
