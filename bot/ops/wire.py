"""The bot's side of the Bot API wire that PTB makes costly: inline keyboards going out, and
the bot's own messages coming back.

PTB turns every ``InlineKeyboardMarkup`` into JSON through ``TelegramObject.to_dict``, which
walks each button's attributes generically: about a third of the CPU of sending a card. And it
turns each message the bot sent back into a full ``Message``, keyboard and formatting included,
though the bot reads only a sent message's ids, chat, date and files. Both are done here the
short way, with PTB's own way kept for anything unusual.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

__all__ = ["plain_keyboard", "trim_echo"]

# A button's attributes, as PTB declares them (so one added in a PTB release is included).
_BUTTON_FIELDS: tuple[str, ...] = tuple(InlineKeyboardButton.__slots__)
_PLAIN = (str, int, float, bool)

# What Telegram echoes of a message the bot sent or edited that the bot never reads back: the
# keyboard it sent, the formatting of its own text, the message it replied to.
_ECHOED = ("reply_markup", "entities", "caption_entities", "reply_to_message")


def _button(button: InlineKeyboardButton) -> dict[str, Any]:
    if button.api_kwargs:
        return button.to_dict()
    out: dict[str, Any] = {}
    for name in _BUTTON_FIELDS:
        value = getattr(button, name)
        if value is None:
            continue
        if not isinstance(value, _PLAIN):
            # A login URL, a web app, a copy-text button…: PTB's own conversion.
            return button.to_dict()
        out[name] = value
    return out


def plain_keyboard(markup: object) -> object:
    """An inline keyboard as the JSON PTB would send for it (``markup`` itself otherwise)."""
    if type(markup) is not InlineKeyboardMarkup or markup.api_kwargs:
        return markup
    return {"inline_keyboard": [[_button(b) for b in row] for row in markup.inline_keyboard]}


def trim_echo(result: object) -> None:
    """Drop ``_ECHOED`` from a message the bot sent or edited (anything else is left as it is)."""
    if isinstance(result, list):
        for message in result:
            trim_echo(message)
    elif isinstance(result, dict) and "message_id" in result and "chat" in result:
        for key in _ECHOED:
            result.pop(key, None)
