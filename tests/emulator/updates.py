"""The getUpdates queue: ids, offsets, long polling, allowed_updates and 409 conflicts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .errors import ApiError
from .notifier import Notifier

__all__ = ["CONFLICT_POLL", "CONFLICT_WEBHOOK", "DEFAULT_ALLOWED_UPDATES", "UpdateQueue"]

CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
ALL_UPDATE_TYPES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post",
        "business_connection", "business_message", "edited_business_message",
        "deleted_business_messages", "message_reaction", "message_reaction_count",
        "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
        "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer",
        "my_chat_member", "chat_member", "chat_join_request", "chat_boost",
        "removed_chat_boost",
    }
)  # fmt: skip
DEFAULT_ALLOWED_UPDATES = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}


@dataclass(eq=False)
class _Poll:
    request: web.Request | None
    terminated: bool = False  # a newer getUpdates took over: answer 409
    abandoned: bool = False  # the client is gone: just end quietly

    def client_gone(self) -> bool:
        transport = self.request.transport if self.request is not None else None
        return transport is None or transport.is_closing()


class UpdateQueue:
    def __init__(self, notifier: Notifier, first_update_id: int) -> None:
        self._notifier = notifier
        self._pending: list[dict[str, Any]] = []
        self._next_id = first_update_id
        self._active: _Poll | None = None
        self.allowed: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self.webhook_url = ""

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (via a higher ``offset``)."""
        return list(self._pending)

    @property
    def polling(self) -> bool:
        return self._active is not None

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update; returns None if the bot's allowed_updates filter it out."""
        if kind not in self.allowed:
            return None
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._pending.append(update)
        self._notifier.notify()
        return update

    def confirm(self, offset: int) -> None:
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            # Telegram: a negative offset keeps only the last -offset updates.
            self._pending = self._pending[offset:]
        self._notifier.notify()

    def drop_pending(self) -> None:
        self._pending.clear()
        self._notifier.notify()

    def set_allowed(self, allowed: list[str] | None) -> None:
        if allowed is None:
            return
        chosen = frozenset(allowed) & ALL_UPDATE_TYPES
        self.allowed = chosen or DEFAULT_ALLOWED_UPDATES

    async def poll(
        self, offset: int, limit: int, wait_seconds: float, request: web.Request | None
    ) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(409, CONFLICT_WEBHOOK)
        await self._take_over_from_previous_poll()
        me = _Poll(request)
        self._active = me
        try:
            self.confirm(offset)
            await self._notifier.wait_until(
                lambda: bool(self._pending) or me.terminated or me.abandoned, wait_seconds
            )
            if me.terminated:
                raise ApiError(409, CONFLICT_POLL)
            if me.abandoned:
                return []
            return self._pending[: max(1, min(limit, 100))]
        finally:
            if self._active is me:
                self._active = None

    async def _take_over_from_previous_poll(self) -> None:
        previous = self._active
        if previous is None:
            return
        # A poll whose client went away (PTB cancelled it) is not a second bot instance;
        # give the event loop a few turns to notice the closed connection before judging.
        for _ in range(5):
            if self._active is not previous or previous.client_gone():
                break
            await asyncio.sleep(0)
        if self._active is previous:
            if previous.client_gone():
                previous.abandoned = True
            else:
                previous.terminated = True  # Telegram fails the *older* request with 409
            self._notifier.notify()
        self._active = None
