"""Callback queries created by taps, and the one answer each may get."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from .errors import bad_request
from .models import Message, UserInfo

__all__ = ["QUERY_INVALID", "CallbackAnswer", "CallbackQuery", "CallbackRegistry"]

QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_MAX_ANSWER_TEXT = 200


@dataclass(frozen=True)
class CallbackAnswer:
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass(eq=False)
class CallbackQuery:
    id: str
    user: UserInfo
    message: Message
    data: str
    created: float
    button_text: str | None  # None for forged taps
    answer: CallbackAnswer | None = None

    @property
    def answered(self) -> bool:
        return self.answer is not None


class CallbackRegistry:
    def __init__(self, clock: Callable[[], float], max_age: float) -> None:
        self._clock = clock
        self.max_age = max_age
        self._queries: dict[str, CallbackQuery] = {}
        # Real ids are large decimal strings; keep that shape so parsers are exercised.
        self._ids = itertools.count(4_000_000_000_000_000_001)

    def create(
        self, user: UserInfo, message: Message, data: str, button_text: str | None
    ) -> CallbackQuery:
        query = CallbackQuery(
            id=str(next(self._ids)),
            user=user,
            message=message,
            data=data,
            created=self._clock(),
            button_text=button_text,
        )
        self._queries[query.id] = query
        return query

    def answer(self, query_id: str, answer: CallbackAnswer) -> CallbackQuery:
        query = self._queries.get(query_id)
        too_old = query is not None and self._clock() - query.created > self.max_age
        if query is None or query.answered or too_old:
            raise bad_request(QUERY_INVALID)
        if answer.text is not None and len(answer.text) > _MAX_ANSWER_TEXT:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answer = answer
        return query

    def all(self) -> list[CallbackQuery]:
        return list(self._queries.values())
