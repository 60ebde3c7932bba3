"""Sends the 定稿: the header with the approvals, the whole text, every approved file from the
union's file store, and the footer with the content hash and the 「登记发布链接」 button.

Each message is recorded as it goes (the item's progress), so a retry after a failure or a
restart resumes at the message that did not go out, and nothing is sent twice in between.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from functools import partial

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile

from bot import texts
from bot.formatting import e
from bot.outbox.failures import reaching
from bot.outbox.runner import Delivery
from bot.publication import render
from bot.publication.payloads import FinalCopy
from bot.publication.service import FinalView, PublicationRefused, PublicationService
from storage import outbox
from storage.files import FileStoreError
from storage.models import Attachment, OutboxItem

__all__ = ["FinalSender", "parse_posted_tap", "posted_data"]

logger = logging.getLogger(__name__)

_POSTED = re.compile(r"pl:([1-9][0-9]{0,8})")

Step = Callable[[], Awaitable[None]]


def posted_data(draft_id: int) -> str:
    """The callback data of the 「登记发布链接」 button."""
    return f"pl:{draft_id}"


def parse_posted_tap(data: str | None) -> int | None:
    """The draft named by a 「登记发布链接」 tap; None for anything the bot never sent."""
    found = _POSTED.fullmatch(data or "")
    return int(found.group(1)) if found else None


class FinalSender:
    """Sends the ``final_copy`` outbox kind."""

    def __init__(self, bot: Bot, service: PublicationService, delivery: Delivery) -> None:
        self.bot = bot
        self.service = service
        self.delivery = delivery
        self.db = service.db

    def register(self) -> None:
        """Handle ``final_copy`` items."""
        self.delivery.register(FinalCopy.KIND, self._send)

    async def _send(self, item: OutboxItem) -> None:
        payload = FinalCopy.read(item.payload)
        if item.draft_id is None:
            return
        try:
            view = await self.service.final(item.draft_id)
        except PublicationRefused:
            # Withdrawn or revised since: a 定稿 of a version no longer approved is not sent.
            logger.info("final copy of #%s no longer applies", item.draft_id)
            return
        if view.version.number != payload.version:
            return
        done = item.progress.get("done", 0)
        sent = done if isinstance(done, int) else 0
        steps = self._steps(payload.chat_id, view)
        for index, step in enumerate(steps):
            if index < sent:
                continue
            with reaching(payload.chat_id):
                await step()
            progress = {**item.progress, "done": index + 1}
            await self.db.atomically(
                partial(outbox.set_progress, item_id=item.id, progress=progress)
            )

    def _steps(self, chat_id: int, view: FinalView) -> list[Step]:
        tz = self.service.config.timezone

        def message(html: str, markup: InlineKeyboardMarkup | None = None) -> Step:
            async def send() -> None:
                await self.bot.send_message(chat_id, html, reply_markup=markup)

            return send

        steps = [message(render.final_header(view, tz))]
        steps += [message(part) for part in render.final_text_parts(view.version.body)]
        for index, file in enumerate(view.version.files):
            steps.append(self._file_step(chat_id, view, file, index))
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(texts.BUTTON_POSTED, callback_data=posted_data(view.draft.id))]]
        )
        steps.append(message(render.final_footer(view), keyboard))
        return steps

    def _file_step(self, chat_id: int, view: FinalView, file: Attachment, index: int) -> Step:
        async def send() -> None:
            await self._send_file(chat_id, view, file, index)

        return send

    async def _send_file(
        self, chat_id: int, view: FinalView, file: Attachment, index: int = 0
    ) -> None:
        """One approved file's bytes from the union's store (Telegram's copy only if the store
        never had it: versions made before the store existed)."""
        version = view.version
        if file.name:
            name = file.name
        elif len(version.files) > 1:
            # Photos have no names; numbered, several of them are told apart when saved.
            name = texts.FINAL_PHOTO_FILE_NTH.format(id=view.draft.id, n=index + 1)
        else:
            name = texts.FINAL_PHOTO_FILE.format(id=view.draft.id)
        digest = file.sha256
        caption = texts.FINAL_FILE_CAPTION.format(
            id=view.draft.id, version=version.number, sha=digest or "—"
        )
        if digest is not None:
            try:
                data = await self.service.store.get_async(digest)
            except FileStoreError as exc:
                logger.error("approved file of #%s: %s", view.draft.id, exc)
                await self.delivery.tell_admins(
                    texts.FINAL_FILE_MISSING.format(name=e(name), reason=type(exc).__name__)
                )
            else:
                await self.bot.send_document(
                    chat_id, InputFile(data, filename=name), caption=caption
                )
                return
        if file.kind == "photo":
            await self.bot.send_photo(chat_id, file.file_id, caption=caption)
        else:
            await self.bot.send_document(chat_id, file.file_id, caption=caption)
