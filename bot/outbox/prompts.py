"""Prompts: bot messages that wait for a reply (a title, a reason, a revised version).

A prompt is opened before its message is sent and linked to the message once it is; a reply to
that message answers it. Closing is a guarded update, so a prompt is answered at most once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.members import Actor
from storage import Database, cards
from storage.models import Prompt

__all__ = ["Prompts"]

logger = logging.getLogger(__name__)


class Prompts:
    """Open, find, update and close prompts."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, prompt_id: int) -> Prompt | None:
        """A prompt by id."""
        async with self.db.reading() as conn:
            return await cards.prompt(conn, prompt_id)

    async def at(self, chat_id: int, message_id: int) -> Prompt | None:
        """The open prompt that is this message."""
        async with self.db.reading() as conn:
            return await cards.prompt_at(conn, chat_id, message_id)

    async def open(
        self,
        kind: str,
        actor: Actor,
        chat_id: int,
        draft_id: int | None,
        data: Mapping[str, object] | None = None,
    ) -> int:
        """Open a prompt whose message is about to be sent."""
        async with self.db.transaction() as tx:
            return await cards.open_prompt(
                tx, self.db.now(), kind, actor.user_id, chat_id, draft_id, data=data
            )

    async def attach(self, prompt_id: int, message_id: int) -> None:
        """Link a prompt to the message that asks it."""
        async with self.db.transaction() as tx:
            await cards.set_prompt_message(tx, prompt_id, message_id)

    async def update(self, prompt_id: int, data: Mapping[str, object]) -> None:
        """Change a prompt's collected data (e.g. the ticked criteria)."""
        async with self.db.transaction() as tx:
            await cards.update_prompt_data(tx, prompt_id, data)

    async def close(self, prompt_id: int) -> bool:
        """Close a prompt; False when it was already closed."""
        async with self.db.transaction() as tx:
            return await cards.close_prompt(tx, prompt_id, self.db.now())
