"""The part every local fake of an outside service shares: an aiohttp app on 127.0.0.1, on a
port of its own, ``async with``-able, its address in ``base_url``."""

from __future__ import annotations

import socket
from types import TracebackType
from typing import Self

from aiohttp import web

__all__ = ["FakeServer"]


class FakeServer:
    """Subclasses add their routes in ``routes``; ``start`` serves them on a free port."""

    client_max_size = 1 << 20

    def __init__(self) -> None:
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        """Where the fake listens; give it to the client under test as its base URL."""
        return f"http://127.0.0.1:{self.port}"

    def routes(self, router: web.UrlDispatcher) -> None:
        """Add the fake's routes."""
        raise NotImplementedError

    async def start(self) -> Self:
        app = web.Application(client_max_size=self.client_max_size)
        self.routes(app.router)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
