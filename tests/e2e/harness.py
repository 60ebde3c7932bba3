"""A test union on the local Bot API emulator, and the real bot process serving it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.emulator import BotApiEmulator, ChatHandle, Message, ScriptedUser

__all__ = ["BotProcess", "Union", "build_union", "write_config"]

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "777000:E2E-TEST-TOKEN"


@dataclass
class Union:
    """The scripted members and chats of a test union."""

    emu: BotApiEmulator
    officer: ScriptedUser
    editor: ScriptedUser
    reviewer1: ScriptedUser
    reviewer2: ScriptedUser
    reviewer3: ScriptedUser
    admin: ScriptedUser
    stranger: ScriptedUser
    editors: ChatHandle
    tier1: ChatHandle
    tier2: ChatHandle
    channel: ChatHandle
    admins: ChatHandle
    inbox: ChatHandle
    extra_config: dict[str, str] = field(default_factory=dict)


def build_union(emu: BotApiEmulator) -> Union:
    """Members, groups and the channel; tier 3 has no group, so its cards go privately."""
    officer = emu.add_user(2001, "张信息", username="zhang_xx")
    editor = emu.add_user(2002, "王编辑", username="wang_bj")
    reviewer1 = emu.add_user(2003, "赵部长", username="zhao_bz")
    reviewer2 = emu.add_user(2004, "钱主席", username="qian_zx")
    # The advisor opened a chat with the bot once, so it may write to her privately.
    reviewer3 = emu.add_user(2005, "孙老师", username="sun_ls", started=True)
    admin = emu.add_user(2006, "李管理", username="li_gl")
    stranger = emu.add_user(2099, "路人甲", username="passerby")
    return Union(
        emu=emu,
        officer=officer,
        editor=editor,
        reviewer1=reviewer1,
        reviewer2=reviewer2,
        reviewer3=reviewer3,
        admin=admin,
        stranger=stranger,
        editors=emu.add_group(-1002000000001, "宣传媒体部编辑群", members=[editor, admin, officer]),
        tier1=emu.add_group(
            -1002000000002, "一审群（部门负责人）", members=[reviewer1, officer, stranger]
        ),
        tier2=emu.add_group(-1002000000003, "二审群（主席团）", members=[reviewer2, admin]),
        channel=emu.add_channel(-1002000000009, "学生会发布频道"),
        admins=emu.add_group(-1002000000005, "管理员群", members=[admin]),
        inbox=emu.add_group(-1002000000006, "学生来信处理群", members=[admin, editor, officer]),
    )


def write_config(
    union: Union,
    path: Path,
    *,
    editing: bool = True,
    auto_publish: bool = True,
    retry_seconds: float = 20,
    reminders: dict[str, object] | None = None,
    admins_chat: bool = True,
    partner_digest: str | None = None,
    accounts: list[str] | None = None,
    wechat: dict[str, str] | None = None,
) -> Path:
    """The union's config file, as an admin would write it."""
    members = [
        (union.officer, ["officer"], "新闻稿组"),
        (union.editor, ["editor"], "设计组"),
        (union.reviewer1, ["reviewer1"], None),
        (union.reviewer2, ["reviewer2"], None),
        (union.reviewer3, ["reviewer3"], None),
        (union.admin, ["admin"], None),
    ]
    lines = [
        "[union]",
        'name = "测试大学学生会"',
        *([f"accounts = {json.dumps(accounts, ensure_ascii=False)}"] if accounts else []),
        "[workflow]",
        f"editing = {str(editing).lower()}",
        f"auto_publish = {str(auto_publish).lower()}",
        "[chats]",
        f"channel = {union.channel.id}",
        f"editors = {union.editors.id}",
        f"tier1 = {union.tier1.id}",
        f"tier2 = {union.tier2.id}",
        # Without an admins' chat, what would go there goes to each admin privately.
        f"admins = {union.admins.id if admins_chat else 0}",
        f"inbox = {union.inbox.id}",
        "[telegram]",
        "rate_limit = false",
        f"retry_seconds = {retry_seconds}",
        "[reminders]",
    ]
    for key, value in (reminders or {}).items():
        rendered = f'"{value}"' if isinstance(value, str) else str(value).lower()
        lines.append(f"{key} = {rendered}")
    if partner_digest is not None:
        lines += ["[partners]", f'digest = "{partner_digest}"']
    if wechat is not None:
        lines += ["[wechat]", *(f'{key} = "{value}"' for key, value in wechat.items())]
    for user, roles, team in members:
        lines += ["[[members]]", f"id = {user.id}", f'name = "{user.name}"']
        lines.append("roles = [" + ", ".join(f'"{r}"' for r in roles) + "]")
        if team:
            lines.append(f'team = "{team}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class BotProcess:
    """The bot as users run it: ``python -m bot`` with its settings in the environment."""

    def __init__(self, emu: BotApiEmulator, config: Path, db: Path, log: Path) -> None:
        self.emu = emu
        self.config = config
        self.db = db
        self.log = log
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        # More environment (e.g. WECHAT_APP_SECRET), as the deployment's env file would add.
        self.extra_env: dict[str, str] = {}

    def env(self) -> dict[str, str]:
        """The environment the bot is started with."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env.update(
            BOT_TOKEN=TOKEN,
            BOT_CONFIG=str(self.config),
            BOT_DB=str(self.db),
            BOT_API_URL=self.emu.api_url,
            BOT_FILE_URL=self.emu.file_url,
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    async def start(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Start the bot and wait until it polls for updates."""
        mark = self.emu.mark()
        self.starts += 1
        with self.log.open("a", encoding="utf-8") as log:
            log.write(f"\n===== start {self.starts} =====\n")
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
        await self.emu.wait_for_call("getUpdates", since=mark, timeout=timeout)

    async def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no goodbye, like a power cut."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def stop(self) -> int | None:
        """SIGTERM, as systemd stops it; returns the exit code."""
        if self.process is None or self.process.returncode is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 20)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        return self.process.returncode

    def output(self) -> str:
        """Everything the bot logged."""
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""


def has_text(fragment: str) -> Callable[[Message], bool]:
    """A predicate: the message's text or caption contains ``fragment``."""
    return lambda m: fragment in (m.text or "")
