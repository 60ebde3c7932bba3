"""Entry point: ``python -m bot`` runs the bot.

Each subcommand lives in its own module; this file only parses the command line, sets up logging
(with the token masked) and maps start-up failures to one line and an exit code.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from bot import redact, texts
from bot.startup import ExitCode, StartupError

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
    from bot.startup import run

    return run()


def build_parser() -> argparse.ArgumentParser:
    """The command line, with Chinese help."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="学生会新媒体发布审核机器人。不带子命令时启动机器人。",
    )
    parser.set_defaults(handler=_run)
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
