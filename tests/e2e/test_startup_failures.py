"""Start-up failures as a new user meets them: one Chinese line, a distinct exit code, no token."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from bot import texts
from bot.ops.redact import MASK
from bot.ops.startup import ExitCode
from tests.e2e.harness import ROOT, TOKEN, Union, write_config
from tests.emulator import BotApiEmulator
from tests.fakes.proxy import TunnelProxy

pytestmark = pytest.mark.e2e


async def _run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """``python -m bot`` with ``env``; its exit code, stdout and stderr."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    for name in (
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        base.pop(name, None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env={**base, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        stdin=asyncio.subprocess.DEVNULL,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(emu: BotApiEmulator, config: Path, db: Path, **extra: str) -> dict[str, str]:
    return {
        "BOT_TOKEN": TOKEN,
        "BOT_CONFIG": str(config),
        "BOT_DB": str(db),
        "BOT_API_URL": emu.api_url,
        "BOT_FILE_URL": emu.file_url,
        **extra,
    }


def _one_refusal(err: str) -> str:
    """The single line that explains the failure; no traceback anywhere."""
    assert "Traceback" not in err
    refusals = [line for line in err.splitlines() if line.startswith("无法启动：")]
    assert len(refusals) == 1, err
    return refusals[0]


async def test_no_network_is_one_line_naming_the_proxy_setting(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml")
    url = f"http://127.0.0.1:{_closed_port()}/bot"
    env = _env(emu, config, tmp_path / "bot.sqlite3", BOT_API_URL=url)
    code, _, err = await _run(env)
    assert code == ExitCode.NETWORK
    line = _one_refusal(err)
    assert "HTTPS_PROXY" in line and "没有设置" in line
    env["HTTPS_PROXY"] = "http://user:pw@10.9.8.7:3128"
    env["NO_PROXY"] = "127.0.0.1"
    code, _, err = await _run(env)
    line = _one_refusal(err)
    assert code == ExitCode.NETWORK and "http://10.9.8.7:3128" in line and "pw" not in line


async def test_a_proxy_that_refuses_is_named_with_its_answer(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml")
    async with TunnelProxy(refuse=b"HTTP/1.1 407 Proxy Authentication Required") as proxy:
        shown = proxy.url.replace("http://", "http://xuan:secret@")
        env = _env(emu, config, tmp_path / "bot.sqlite3", HTTP_PROXY=shown, HTTPS_PROXY=shown)
        code, _, err = await _run(env)
    assert code == ExitCode.NETWORK
    line = _one_refusal(err)
    assert "代理拒绝转发" in line and "407 Proxy Authentication Required" in line
    assert texts.STARTUP_PROXY_LOGIN in line and proxy.url in line and "secret" not in line
    # The tunnel was asked for, to the Bot API server, with the proxy's login.
    assert proxy.tunnels == [f"127.0.0.1:{emu.port}"]
    assert emu.calls_to("getMe") == []


async def test_a_rejected_token_never_appears_even_at_debug(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml")
    wrong = "777000:WRONG-secret-that-must-not-leak"
    env = _env(emu, config, tmp_path / "bot.sqlite3", BOT_TOKEN=wrong, BOT_LOG_LEVEL="DEBUG")
    code, out, err = await _run(env)
    assert code == ExitCode.TOKEN
    assert _one_refusal(err) == texts.STARTUP_FAILED.format(reason=texts.STARTUP_TOKEN_REJECTED)
    # PTB logs the API URL at DEBUG: it is there, masked.
    assert f"/bot{MASK}" in err
    for stream in (out, err):
        assert "WRONG-secret-that-must-not-leak" not in stream
    assert emu.calls_to("getMe"), "the token was tried against the server"


async def test_a_file_that_is_not_sqlite_fails_at_once_instead_of_hanging(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml")
    db = tmp_path / "notes.txt"
    db.write_text("这不是数据库，" * 200, encoding="utf-8")
    code, _, err = await _run(_env(emu, config, db))
    assert code == ExitCode.DATABASE
    assert str(db) in _one_refusal(err) and "不是 SQLite" in err


async def test_an_unwritable_database_path_and_a_folder_as_the_config(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    code, _, err = await _run(_env(emu, config, blocker / "bot.sqlite3"))
    assert code == ExitCode.DATABASE and "BOT_DB" in _one_refusal(err)
    code, _, err = await _run(_env(emu, tmp_path, tmp_path / "bot.sqlite3"))
    assert code == ExitCode.CONFIG and "文件夹" in _one_refusal(err)


async def test_the_database_is_private_on_disk(
    emu: BotApiEmulator, union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml")
    db = tmp_path / "data" / "bot.sqlite3"
    # A wrong token stops the start right after the database is created and migrated.
    code, _, _ = await _run(_env(emu, config, db, BOT_TOKEN="1:wrong-token-here"))
    assert code == ExitCode.TOKEN
    assert db.stat().st_mode & 0o777 == 0o600
    assert db.parent.stat().st_mode & 0o777 == 0o700
