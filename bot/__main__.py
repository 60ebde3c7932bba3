"""Entry point: ``python -m bot [check | sync-config | backup [DIR] | restore FILE]``; no subcommand
runs the bot.

Each subcommand lives in its own module; this file only parses the command line, sets up logging
(with the token masked) and maps start-up failures to one line and an exit code.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot import texts
from bot.ops import redact
from bot.ops.startup import ExitCode, StartupError

logger = logging.getLogger("bot")

# The database, its WAL, backups and stored files hold members' ids and every draft.
PRIVATE_UMASK = 0o077


def configure_logging() -> None:
    """Log to stderr; httpx logs request URLs (with the token) at INFO, so it logs warnings only."""
    logging.basicConfig(
        level=os.environ.get("BOT_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)


def _mask_token() -> None:
    # Installed before anything can log: whatever the token, it never reaches the output.
    token = os.environ.get("BOT_TOKEN", "").strip()
    secrets = redact.secrets_of_token(token) if token else []
    secrets += [os.environ.get("BOT_WEBHOOK_SECRET", "").strip()]
    redact.install(s for s in secrets if s)


def _run(args: argparse.Namespace) -> int:
    from bot.ops.startup import run

    return run()


def _check(args: argparse.Namespace) -> int:
    from bot.ops.check import main as check_main

    return check_main()


def _sync_config(args: argparse.Namespace) -> int:
    from bot.ops.sync import main as sync_main

    return sync_main(assume_yes=args.yes)


def _backup(args: argparse.Namespace) -> int:
    from bot.ops.backups import backup_command

    return backup_command(args.dir)


def _restore(args: argparse.Namespace) -> int:
    from bot.ops.backups import restore_command

    return restore_command(args.file, assume_yes=args.yes)


def build_parser() -> argparse.ArgumentParser:
    """The command line, with Chinese help."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="学生会新媒体发布审核机器人。不带子命令时启动机器人。",
    )
    parser.set_defaults(handler=_run)
    sub = parser.add_subparsers(title="子命令", metavar="{check,sync-config,backup,restore}")
    check = sub.add_parser(
        "check", help="逐项检查配置、令牌、群聊、成员和数据库，全部通过时退出码为 0"
    )
    check.set_defaults(handler=_check)
    sync = sub.add_parser(
        "sync-config",
        help="首次启动后以数据库为准：列出配置文件中的成员与数据库的不同，确认后按配置文件修改数据库",
    )
    sync.add_argument("--yes", action="store_true", help="不再询问，直接修改")
    sync.set_defaults(handler=_sync_config)
    backup = sub.add_parser("backup", help="在线备份数据库（机器人运行时也可以）")
    backup.add_argument(
        "dir", nargs="?", type=Path, help="备份到这个文件夹（默认为配置中的 [backup] dir）"
    )
    backup.set_defaults(handler=_backup)
    restore = sub.add_parser("restore", help="用备份文件替换数据库（须先停止机器人）")
    restore.add_argument("file", type=Path, help="python -m bot backup 生成的备份文件")
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    restore.set_defaults(handler=_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command; returns the exit code."""
    args = build_parser().parse_args(argv)
    os.umask(PRIVATE_UMASK)
    configure_logging()
    _mask_token()
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except StartupError as exc:
        print(texts.STARTUP_FAILED.format(reason=exc), file=sys.stderr)
        return int(exc.code)
    except KeyboardInterrupt:
        return int(ExitCode.FAILED)


if __name__ == "__main__":
    sys.exit(main())
