"""Webhook mode: updates POSTed with the secret token are handled; without it, refused (403)."""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.ops.health import HEALTH_PATH
from tests.e2e.harness import ROOT, BotProcess, Union, has_text, write_config
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.e2e

SECRET = "s3cret-token_for-the-webhook-0123456789"
PUBLIC_URL = "https://bot.union.example/telegram"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WebhookBot(BotProcess):
    """The bot in webhook mode, with its health endpoint on."""

    def __init__(self, emu: BotApiEmulator, config: Path, db: Path, log: Path) -> None:
        super().__init__(emu, config, db, log)
        self.port = _free_port()
        self.health_port = _free_port()

    def env(self) -> dict[str, str]:
        return {
            **super().env(),
            "BOT_WEBHOOK_URL": PUBLIC_URL,
            "BOT_WEBHOOK_SECRET": SECRET,
            "BOT_WEBHOOK_LISTEN": "127.0.0.1",
            "BOT_WEBHOOK_PORT": str(self.port),
            "BOT_HEALTH_PORT": str(self.health_port),
        }

    async def start(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        mark = self.emu.mark()
        handle = self.log.open("a", encoding="utf-8")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=ROOT,
            env=self.env(),
            stdout=handle,
            stderr=handle,
            stdin=asyncio.subprocess.DEVNULL,
        )
        handle.close()
        await self.emu.wait_for_call("setWebhook", since=mark, timeout=timeout)


@pytest.fixture
async def webhook_bot(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> AsyncIterator[WebhookBot]:
    config = write_config(union, tmp_path / "config.toml")
    bot = WebhookBot(emu, config, tmp_path / "bot.sqlite3", tmp_path / "bot.log")
    await bot.start()
    yield bot
    if bot.process is not None and bot.process.returncode is None:
        bot.process.send_signal(signal.SIGKILL)
        await bot.process.wait()


def _start_update(update_id: int, user: Any) -> dict[str, Any]:
    sender = {"id": user.id, "is_bot": False, "first_name": user.name}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 500 + update_id,
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.name},
            "from": sender,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def _wait_listening(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise AssertionError(f"nothing listens on {port}")


async def test_an_update_with_the_secret_is_handled_and_one_without_is_refused(
    webhook_bot: WebhookBot, union: Union
) -> None:
    (registered,) = union.emu.calls_to("setWebhook")
    assert registered.params["url"] == PUBLIC_URL
    assert registered.params["secret_token"] == SECRET
    await _wait_listening(webhook_bot.port)
    url = f"http://127.0.0.1:{webhook_bot.port}/telegram"
    user = union.reviewer3
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong-secret-0123456789"}):
            async with http.post(url, json=_start_update(1, user), headers=headers) as answer:
                assert answer.status == 403
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with http.post(url, json=_start_update(2, user), headers=headers) as answer:
            assert answer.status == 200
        await union.emu.wait_for_message(user, has_text("你好"))
        # Only the update with the secret got an answer.
        assert len(union.emu.messages(user)) == 1
        await _wait_listening(webhook_bot.health_port)
        health = f"http://127.0.0.1:{webhook_bot.health_port}{HEALTH_PATH}"
        async with http.get(health) as answer:
            assert answer.status == 200 and (await answer.text()) == "ok\n"
    assert not union.emu.calls_to("getUpdates")
    assert SECRET not in webhook_bot.output()
    assert await webhook_bot.stop() == 0


async def test_a_webhook_update_is_journaled_before_the_200_and_survives_a_kill(
    webhook_bot: WebhookBot, union: Union
) -> None:
    emu = union.emu
    user = union.reviewer3
    await _wait_listening(webhook_bot.port)
    url = f"http://127.0.0.1:{webhook_bot.port}/telegram"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    # The answer to /start hangs in flight, and the bot is killed right then.
    hang = emu.fail_next("sendMessage", n=1, kind="timeout", chat=user)
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=_start_update(7, user), headers=headers) as answer:
            assert answer.status == 200
        with sqlite3.connect(webhook_bot.db) as conn:
            journaled = conn.execute("SELECT update_id FROM update_journal").fetchall()
        assert journaled == [(7,)]
        await emu.wait_for(lambda: hang.hits == 1, what="the answer in flight")
        await webhook_bot.kill()
        await webhook_bot.start()
        await emu.wait_for_message(user, has_text("你好"))
        await _wait_listening(webhook_bot.port)
        # Telegram posts update 7 again (it never saw the first 200 arrive), then update 8.
        for update_id in (7, 8):
            async with http.post(url, json=_start_update(update_id, user), headers=headers) as a:
                assert a.status == 200
    # A graceful stop handles everything queued first.
    assert await webhook_bot.stop() == 0
    assert len(emu.bot_messages(user)) == 2
    assert all("你好" in (m.text or "") for m in emu.bot_messages(user))
    with sqlite3.connect(webhook_bot.db) as conn:
        rows = conn.execute("SELECT update_id, outcome FROM update_journal ORDER BY 1").fetchall()
    assert rows == [(7, "handled"), (8, "handled")]
