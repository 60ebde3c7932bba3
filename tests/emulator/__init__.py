"""A strict local Telegram Bot API emulator for end-to-end tests of the bot.

The bot runs unchanged against it (``BOT_API_URL=emu.api_url``, ``BOT_FILE_URL=emu.file_url``)
while the test drives scripted users and inspects everything the bot did.
"""

from __future__ import annotations

from .actors import AlbumDocument, AlbumPhoto, CallbackHandle, ChatHandle, ScriptedUser
from .callbacks import CallbackAnswer, CallbackQuery
from .calls import ApiCall
from .control import BotApiEmulator, ChatRef
from .errors import ApiError, EmulatorUsageError, WaitTimeout
from .faults import Fault, FaultKind
from .files import StoredFile
from .models import Chat, Message, UserInfo
from .ratelimit import RateLimitConfig

__all__ = [
    "AlbumDocument",
    "AlbumPhoto",
    "ApiCall",
    "ApiError",
    "BotApiEmulator",
    "CallbackAnswer",
    "CallbackHandle",
    "CallbackQuery",
    "Chat",
    "ChatHandle",
    "ChatRef",
    "EmulatorUsageError",
    "Fault",
    "FaultKind",
    "Message",
    "RateLimitConfig",
    "ScriptedUser",
    "StoredFile",
    "UserInfo",
    "WaitTimeout",
]
