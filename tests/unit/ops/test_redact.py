"""The token is masked in every log line, argument and traceback."""

from __future__ import annotations

import io
import logging

from telegram.error import InvalidToken

from bot.ops.redact import MASK, SecretFilter, secrets_of_token

TOKEN = "123456:AAE-very-secret-part"


def _logger(stream: io.StringIO) -> logging.Logger:
    handler = logging.StreamHandler(stream)
    handler.addFilter(SecretFilter(secrets_of_token(TOKEN)))
    logger = logging.getLogger("test.redact")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger


def test_messages_arguments_and_tracebacks_are_masked() -> None:
    stream = io.StringIO()
    log = _logger(stream)
    log.debug("Set Bot API URL: http://x/bot%s", TOKEN)
    log.info("secret half alone: %s", TOKEN.split(":")[1])
    try:
        raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    except InvalidToken:
        log.exception("start failed")
    output = stream.getvalue()
    assert "very-secret-part" not in output
    assert f"/bot{MASK}" in output and "InvalidToken" in output and "start failed" in output


def test_short_or_empty_parts_are_not_treated_as_secrets() -> None:
    assert secrets_of_token("1:ab") == []
    assert SecretFilter([]).redact("nothing to hide") == "nothing to hide"
