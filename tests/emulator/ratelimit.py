"""Flood control modelled on Telegram's published limits, as token buckets.

Bursts pass (Telegram tolerates them); sustained excess gets 429 with retry_after.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .errors import too_many_requests

__all__ = ["RateLimitConfig", "RateLimiter"]


@dataclass(frozen=True)
class RateLimitConfig:
    global_per_second: float = 30.0
    private_per_second: float = 1.0
    private_burst: int = 5
    group_per_minute: int = 20


@dataclass
class _Bucket:
    capacity: float
    rate: float  # tokens per second
    tokens: float
    updated: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self) -> float:
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class RateLimiter:
    def __init__(self, config: RateLimitConfig | None, clock: Callable[[], float]) -> None:
        self.config = config
        self._clock = clock
        self._global: _Bucket | None = None
        self._chats: dict[int, _Bucket] = {}

    @property
    def enabled(self) -> bool:
        return self.config is not None

    def configure(self, config: RateLimitConfig | None) -> None:
        self.config = config
        self._global = None
        self._chats.clear()

    def check(self, chat_id: int, private: bool) -> None:
        """Consume one message slot or raise 429; a refused message consumes nothing."""
        config = self.config
        if config is None:
            return
        now = self._clock()
        if self._global is None:
            rate = config.global_per_second
            self._global = _Bucket(rate, rate, rate, now)
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if private:
                capacity, rate = float(config.private_burst), config.private_per_second
            else:
                capacity, rate = float(config.group_per_minute), config.group_per_minute / 60
            bucket = self._chats[chat_id] = _Bucket(capacity, rate, capacity, now)
        buckets = (self._global, bucket)
        for item in buckets:
            item.refill(now)
        wait = max(item.wait_time() for item in buckets)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        for item in buckets:
            item.tokens -= 1
