"""Starting and stopping the real process: refusals that name the fix, a clean SIGTERM."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.e2e.harness import ROOT, BotProcess, Union, has_text


async def _run_bot(env: dict[str, str]) -> tuple[int, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=ROOT,
        env={**base, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, err.decode()


async def test_no_token_refuses_to_start_and_says_how(tmp_path: Path) -> None:
    code, err = await _run_bot({"BOT_CONFIG": str(tmp_path / "config.toml")})
    assert code == 2 and "BOT_TOKEN" in err and "@BotFather" in err


async def test_a_bad_config_names_the_field_and_the_fix(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[chats]\neditors = -100\n[[members]]\nid = 1\nname = "a"\nroles = ["admin"]\n'
    )
    code, err = await _run_bot({"BOT_TOKEN": "1:x", "BOT_CONFIG": str(config)})
    assert code == 2 and "chats.channel" in err and "chat id" in err
    code, err = await _run_bot({"BOT_TOKEN": "1:x", "BOT_CONFIG": str(tmp_path / "missing.toml")})
    assert code == 2 and "deploy/config.example.toml" in err


async def test_the_token_never_reaches_the_log(bot: BotProcess, union: Union) -> None:
    await union.officer.send_text("/start")
    await union.emu.wait_for_message(union.officer, has_text("你好"))
    secret = bot.env()["BOT_TOKEN"].split(":")[1]
    assert secret not in bot.output()


async def test_sigterm_stops_cleanly_and_a_restart_resumes(bot: BotProcess, union: Union) -> None:
    assert await bot.stop() == 0
    await bot.start()
    await union.officer.send_text("/help")
    await union.emu.wait_for_message(union.officer, has_text("你可以这样用"))
