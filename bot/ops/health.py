"""A health endpoint for container and service supervisors: ``GET /healthz``.

It answers 200 while the application runs (polling or serving its webhook) and 503 otherwise,
on its own port, so it works in both modes and exposes nothing else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

__all__ = ["HEALTH_PATH", "serve"]

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
# A request line and headers are small; anything bigger is not a health probe.
_LIMIT = 8192


def _response(status: str, body: str) -> bytes:
    data = body.encode()
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + data


async def serve(listen: str, port: int, healthy: Callable[[], bool]) -> asyncio.Server:
    """Start answering health probes on ``listen:port``; the caller closes the server."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            method, path, *_ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            if method not in ("GET", "HEAD") or path.split("?")[0] != HEALTH_PATH:
                writer.write(_response("404 Not Found", "not found\n"))
            elif healthy():
                writer.write(_response("200 OK", "ok\n"))
            else:
                writer.write(_response("503 Service Unavailable", "starting or stopping\n"))
            await writer.drain()
        except (TimeoutError, ValueError, asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, listen, port, limit=_LIMIT)
    logger.info("health endpoint on http://%s:%d%s", listen, port, HEALTH_PATH)
    return server
