"""The Bot API methods the emulator implements, by their canonical names."""

from __future__ import annotations

from . import albums, bot_info, callback_answers, chats, edits, media, messages, polling
from .context import CallContext, Handler

__all__ = ["METHODS", "CallContext", "Handler"]

METHODS: dict[str, Handler] = {
    **albums.METHODS,
    **bot_info.METHODS,
    **callback_answers.METHODS,
    **chats.METHODS,
    **edits.METHODS,
    **media.METHODS,
    **messages.METHODS,
    **polling.METHODS,
}
