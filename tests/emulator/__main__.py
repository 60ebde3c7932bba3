"""Standalone emulator for trying the bot by hand.

    python -m tests.emulator --port 8081

Start the bot with the printed URLs and token, then type lines to talk to it as a user:
plain text is sent in the private chat; ``:tap <message_id> <button text>`` presses a
button on the bot's message; ``:doc <path> [caption]`` uploads a file; ``:quit`` exits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path

from .actors import ScriptedUser
from .control import BotApiEmulator
from .errors import EmulatorUsageError
from .transcript import render_transcript

__all__ = ["main"]


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--username", default="union_bot", help="the bot's @username")
    parser.add_argument("--user-id", type=int, default=1001, help="id of the console user")
    parser.add_argument("--user-name", default="Tester", help="name of the console user")
    parser.add_argument("--rate-limits", action="store_true", help="enforce flood limits")
    return parser.parse_args(argv)


async def _echo_transcript(emu: BotApiEmulator) -> None:
    """Print transcript lines as they happen, so the console reads like a chat."""
    events = emu.world.events
    shown = 0

    def more() -> bool:
        return len(events) > shown

    while True:
        await emu.world.notifier.wait_until(more, None)
        print(render_transcript(events[shown:]), flush=True)
        shown = len(events)


async def _handle_line(emu: BotApiEmulator, user: ScriptedUser, line: str) -> None:
    if line.startswith(":tap "):
        number, _, text = line[len(":tap ") :].partition(" ")
        message = user.chat.find_message(int(number))
        if message is None:
            raise EmulatorUsageError(f"no message #{number}")
        await user.tap(message, text)
    elif line.startswith(":doc "):
        path, _, caption = line[len(":doc ") :].partition(" ")
        data = await asyncio.to_thread(Path(path).read_bytes)
        await user.send_document(Path(path).name, data, caption=caption or None)
    elif line.strip():
        await user.send_text(line)


async def _console(emu: BotApiEmulator, user: ScriptedUser) -> None:
    while True:
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:  # no console attached: keep serving
            await asyncio.Event().wait()
        line = line.rstrip("\n")
        if line == ":quit":
            return
        try:
            await _handle_line(emu, user, line)
        except (EmulatorUsageError, OSError, ValueError) as exc:
            print(f"! {exc}", flush=True)


async def _serve(args: argparse.Namespace) -> None:
    emulator = BotApiEmulator(
        args.token,
        bot_username=args.username,
        host=args.host,
        port=args.port,
        rate_limits=args.rate_limits,
    )
    async with emulator as emu:
        user = emu.add_user(args.user_id, args.user_name, username="tester")
        print(f"Bot API emulator listening on {emu.base_url}")
        print(f"  BOT_API_URL={emu.api_url}")
        print(f"  BOT_FILE_URL={emu.file_url}")
        print(f"  token: {emu.token}")
        print(f"Type to talk to @{args.username} as {user.name}; :tap N text, :doc path, :quit")
        echo = asyncio.create_task(_echo_transcript(emu))
        try:
            await _console(emu, user)
        finally:
            echo.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await echo


def main(argv: list[str] | None = None) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(_parse_args(argv)))


if __name__ == "__main__":
    main()
