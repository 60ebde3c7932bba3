"""Admins' alerts speak Chinese: no internal outbox kind, no raw Bot API error (issue 12)."""

from __future__ import annotations

import re

import pytest
from telegram.ext import Application

from bot import formatting, texts
from bot.services import SERVICES_KEY

# Telegram's own words, as a Bot API error carries them (a /command named in the advice is fine).
_RAW = re.compile(r"(?<![/A-Za-z])[A-Za-z_]{4,}")


def test_every_kind_the_outbox_sends_has_a_chinese_name(
    app: Application,  # type: ignore[type-arg]
) -> None:
    delivery = app.bot_data[SERVICES_KEY].delivery
    assert delivery.senders, "no sender registered"
    unnamed = sorted(set(delivery.senders) - set(texts.DELIVERY_KINDS))
    assert unnamed == []


@pytest.mark.parametrize(
    "raw",
    [
        "Forbidden: bot was blocked by the user",
        "Bad Request: chat not found",
        "Bad Request: message is too long",
        "Bad Request: can't parse entities: unsupported start tag",
        "Forbidden: bot can't initiate conversation with a user",
        "Bad Request: wrong file identifier/HTTP URL specified",
        "Something nobody has seen before",
    ],
)
def test_an_alert_quoting_an_error_tells_it_in_chinese(raw: str) -> None:
    for template, fields in (
        (texts.CHAT_UNREACHABLE, {"chat": 42}),
        (
            texts.DELIVERY_FAILED_ADMINS,
            {"id": 3, "kind": formatting.Html(texts.DELIVERY_KINDS["refresh"])},
        ),
        (texts.ANSWER_FAILED, {}),
    ):
        html = formatting.error_alert(template, raw, **fields)  # type: ignore[arg-type]
        shown = formatting.plain_text(html).replace("Telegram", "")
        assert not _RAW.search(shown), html
        assert "（（" not in shown and "））" not in shown, html
