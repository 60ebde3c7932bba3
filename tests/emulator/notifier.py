"""Wake every waiter whenever emulator state changes, so tests and long polls never sleep-poll."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

__all__ = ["Notifier"]


class Notifier:
    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        # Swap before setting: waiters that re-check and wait again park on the fresh event.
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait_until(self, condition: Callable[[], bool], seconds: float | None) -> bool:
        """Return True once ``condition()`` holds, False if ``seconds`` pass first (None: never)."""
        loop = asyncio.get_running_loop()
        deadline = None if seconds is None else loop.time() + seconds
        while not condition():
            event = self._event
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return condition()
        return True
