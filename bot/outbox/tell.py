"""``tell``: one prepared message to one chat, queued with the change it reports.

For the plain news a feature has no card for (a member given a role, say): the text is written
when the change is made, so the message says what happened even if it goes out later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from telegram import Bot
from telegram.constants import ParseMode

from bot.outbox.failures import reaching
from bot.outbox.runner import Delivery
from storage.models import OutboxItem
from storage.payloads import Payload

__all__ = ["Tell", "TellSender"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Tell(Payload):
    """Send ``html`` to ``chat_id``."""

    KIND: ClassVar[str] = "tell"

    chat_id: int
    html: str


class TellSender:
    """Sends the outbox items of kind ``tell``."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def register(self, delivery: Delivery) -> None:
        """Let the delivery send this kind."""
        delivery.register(Tell.KIND, self._send)

    async def _send(self, item: OutboxItem) -> None:
        tell = Tell.read(item.payload)
        with reaching(tell.chat_id):
            await self.bot.send_message(tell.chat_id, tell.html, parse_mode=ParseMode.HTML)
