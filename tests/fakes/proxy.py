"""A local HTTP proxy as people in China run one to reach Telegram (Clash, Squid): it opens a
CONNECT tunnel to the host asked for and pipes the bytes both ways, or answers with a refusal."""

from __future__ import annotations

import asyncio
import contextlib

__all__ = ["TunnelProxy"]


class TunnelProxy:
    """An HTTP proxy on 127.0.0.1 that opens CONNECT tunnels (or answers ``refuse``), keeping
    the head of each CONNECT it was sent."""

    def __init__(self, refuse: bytes | None = None) -> None:
        self.refuse = refuse
        self.heads: list[str] = []
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tunnels(self) -> list[str]:
        return [head.split(" ")[1] for head in self.heads]

    async def __aenter__(self) -> TunnelProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode()
            self.heads.append(head)
            if self.refuse is not None:
                writer.write(self.refuse + b"\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                return
            host, _, port = head.split(" ")[1].rpartition(":")
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            writer.close()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    sink.close()
