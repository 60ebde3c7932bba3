"""Sending a version's files: one photo or document alone, several as Telegram albums.

Telegram puts 2–10 items in one album (media group) and never mixes photos with documents in
one, so a version's photos go as one album and its documents as another, each in the order sent.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, InputMediaDocument, InputMediaPhoto, Message
from telegram.constants import ParseMode

from storage.models import Attachment

__all__ = ["file_groups", "send_group"]

logger = logging.getLogger(__name__)


def file_groups(files: Sequence[Attachment]) -> list[tuple[Attachment, ...]]:
    """The files as Telegram can send them: the photos together, the documents together, the
    kind sent first going first."""
    kinds: list[str] = []
    for file in files:
        if file.kind not in kinds:
            kinds.append(file.kind)
    return [tuple(f for f in files if f.kind == kind) for kind in kinds]


async def send_group(
    bot: Bot,
    chat_id: int,
    group: Sequence[Attachment],
    caption: str | None = None,
) -> Message:
    """Send one group (a single file, or an album with ``caption``, Telegram HTML, on its first
    item, where Telegram shows it for the whole album); returns its first message.

    An album is one request: it arrives whole or not at all, so a retry sends it again whole.
    No ``disable_notification`` here: the bot itself sends quietly in the quiet hours.
    """
    if len(group) == 1:
        file = group[0]
        send = bot.send_photo if file.kind == "photo" else bot.send_document
        return await send(chat_id, file.file_id, caption=caption, parse_mode=ParseMode.HTML)
    media: list[InputMediaPhoto | InputMediaDocument] = []
    for index, file in enumerate(group):
        text = caption if index == 0 else None
        if file.kind == "photo":
            media.append(InputMediaPhoto(file.file_id, caption=text, parse_mode=ParseMode.HTML))
        else:
            media.append(InputMediaDocument(file.file_id, caption=text, parse_mode=ParseMode.HTML))
    sent = await bot.send_media_group(chat_id, media)
    return sent[0]
