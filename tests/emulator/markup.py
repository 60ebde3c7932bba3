"""reply_markup validation: what Telegram refuses in keyboards, with its error texts."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .params import Params

__all__ = ["MAX_CALLBACK_DATA_BYTES", "parse_reply_markup"]

MAX_CALLBACK_DATA_BYTES = 64
_INLINE_ACTIONS = (
    "callback_data", "url", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
    "callback_game", "pay", "web_app", "copy_text",
)  # fmt: skip
_URL_SCHEMES = ("http://", "https://", "tg://", "ton://")
_MARKUP_ERROR = "can't parse reply keyboard markup JSON object"


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    text = button.get("text")
    if not isinstance(text, str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [name for name in _INLINE_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode("utf-8")) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.lower().startswith(_URL_SCHEMES):
            raise bad_request("BUTTON_URL_INVALID")


def _check_inline(markup: dict[str, Any]) -> None:
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "inline_keyboard" must be of type Array'
        )
    for row in rows:
        for button in row:
            _check_inline_button(button)


def _check_keyboard(markup: dict[str, Any]) -> None:
    rows = markup["keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(_MARKUP_ERROR)
    for row in rows:
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text:
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )


def parse_reply_markup(params: Params) -> dict[str, Any] | None:
    markup = params.json_value("reply_markup", _MARKUP_ERROR)
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request(_MARKUP_ERROR)
    if "inline_keyboard" in markup:
        _check_inline(markup)
    elif "keyboard" in markup:
        _check_keyboard(markup)
    elif "remove_keyboard" not in markup and "force_reply" not in markup:
        raise bad_request(_MARKUP_ERROR)
    return markup
