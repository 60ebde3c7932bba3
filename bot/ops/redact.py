"""Keep secrets (the bot token, the webhook secret) out of every line the process writes.

PTB logs the Bot API URL, which contains the token, at DEBUG, and its ``InvalidToken`` message
quotes the token; httpx logs request URLs. Instead of chasing each, one filter on the root
handlers rewrites every record, its arguments and its traceback, and the last-resort exception
hook does the same for anything that escapes.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType

__all__ = ["MASK", "SecretFilter", "install", "secrets_of_token"]

MASK = "<已隐藏>"


def secrets_of_token(token: str) -> list[str]:
    """The token and its secret half (the part after the bot id), which is enough to misuse."""
    _, _, secret = token.partition(":")
    return [part for part in (token, secret) if len(part) >= 6]


class SecretFilter(logging.Filter):
    """A handler filter that replaces each secret in a record with ``MASK``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # The longest first, so the whole token is masked before its secret half.
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """``text`` with every secret masked."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[0] is not None:
            text = record.exc_text or "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = self.redact(text.rstrip("\n"))
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(secrets: Iterable[str]) -> SecretFilter:
    """Mask ``secrets`` in every handler of the root logger and in uncaught tracebacks."""
    secret_filter = SecretFilter(secrets)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        handler.addFilter(secret_filter)

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(secret_filter.redact(text))

    sys.excepthook = hook
    return secret_filter
