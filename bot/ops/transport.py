"""The bot's HTTP client for the Bot API: HTTP/1.1 with kept-alive connections over asyncio
streams, under PTB's ``BaseRequest`` interface.

Why not PTB's default (httpx): the bot makes three to four Bot API requests per update, and
httpx with its layers (httpcore, anyio, h11, form encoding of every parameter) spent about
half of the event loop's CPU on them. The Bot API needs little of HTTP: a POST with a JSON
body (or multipart with files), an answer with a length, over TLS; this does that and no more.
An HTTP proxy in the environment (``HTTPS_PROXY=http://127.0.0.1:7890``, the usual way to
reach Telegram from China) is asked for a tunnel (CONNECT) as httpx would; any other kind of
proxy (SOCKS) keeps httpx, which speaks to it (``bot_api_request``).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import secrets
import select
import ssl
import time
from dataclasses import dataclass
from typing import cast
from urllib.parse import unquote, urlsplit
from urllib.request import getproxies, proxy_bypass

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

__all__ = ["ProxyRefused", "StreamRequest", "bot_api_request"]

log = logging.getLogger(__name__)

# An idle connection older than this is closed rather than reused (httpx's default expiry),
# so a server's or a NAT's idle timeout is rarely met mid-request.
_KEEPALIVE_S = 5.0
# Idle connections kept per server (httpx's default); the rest are closed when put back.
_MAX_IDLE = 20
# A URL's parsed form is remembered; file downloads make URLs without end, so the memory is
# bounded and starts over when full.
_MAX_TARGETS = 256
_HEAD_END = b"\r\n\r\n"
# A request is written, and a body without a length read, this much at a time.
_PIECE = 64 * 1024

_Origin = tuple[str, str, int]  # scheme, host, port


@dataclass(frozen=True, slots=True)
class _Target:
    origin: _Origin
    host: str  # the Host header
    path: str  # path and query


@dataclass(frozen=True, slots=True)
class _Proxy:
    """An HTTP proxy that tunnels the connections (CONNECT)."""

    host: str
    port: int
    authorization: bytes  # the Proxy-Authorization header line, or nothing

    @classmethod
    def parse(cls, url: str) -> _Proxy:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"not an HTTP proxy: {parts.scheme}://{parts.hostname or ''}")
        authorization = b""
        if parts.username is not None:
            user = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            token = base64.b64encode(user.encode()).decode()
            authorization = f"Proxy-Authorization: Basic {token}\r\n".encode()
        return cls(parts.hostname, parts.port or 80, authorization)


class ProxyRefused(NetworkError):
    """The HTTP proxy did not open the tunnel to the Bot API server; ``status`` is its answer."""

    def __init__(self, status: str) -> None:
        super().__init__(f"the proxy refused the tunnel: {status}")
        self.status = status


async def _tunnel(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, proxy: _Proxy, host: str, port: int
) -> None:
    """Ask ``proxy`` (connected through ``reader``/``writer``) for a tunnel to host:port."""
    authority = (f"[{host}]" if ":" in host else host).encode() + f":{port}".encode()
    writer.write(
        b"CONNECT "
        + authority
        + b" HTTP/1.1\r\nHost: "
        + authority
        + b"\r\n"
        + proxy.authorization
        + b"\r\n"
    )
    await writer.drain()
    head = await reader.readuntil(_HEAD_END)
    status = head.split(b"\r\n", 1)[0]
    fields = status.split(b" ", 2)
    if len(fields) < 2 or not fields[1].startswith(b"2"):
        raise ProxyRefused(status.decode("latin-1"))


class _Dropped(Exception):
    """The server closed the connection without answering this request."""

    def __init__(self) -> None:
        super().__init__("the server closed the connection without answering")


class _Connection:
    __slots__ = ("_poll", "idle_since", "reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0
        self._poll = None
        sock = writer.get_extra_info("socket")
        if sock is not None and hasattr(select, "poll"):  # poll(): any descriptor number
            self._poll = select.poll()
            self._poll.register(sock.fileno(), select.POLLIN)

    def _has_input(self) -> bool:
        """Whether anything arrived while idle: the server closed the connection (or broke
        the protocol) and the loop has not seen it yet, so it is not reused."""
        return self._poll is not None and bool(self._poll.poll(0))

    def usable(self, now: float) -> bool:
        return (
            not self.writer.is_closing()
            and not self.reader.at_eof()
            and now - self.idle_since < _KEEPALIVE_S
            and not self._has_input()
        )

    def close(self) -> None:
        self.writer.close()


def _timeout(value: object, default: float | None) -> float | None:
    """A timeout PTB passed, or the default when it passed none."""
    if value is BaseRequest.DEFAULT_NONE:
        return default
    return cast("float | None", value)


def _form_name(value: str) -> bytes:
    """A multipart name or filename as browsers and httpx write it (quotes and controls escaped)."""
    escaped = "".join(
        f"%{ord(ch):02X}" if ch == '"' or (ord(ch) < 0x20 and ch != "\x1b") else ch
        for ch in value.replace("\\", "\\\\")
    )
    return escaped.encode()


def _multipart(request_data: RequestData) -> tuple[bytes, bytes]:
    """The content type and body of a request that uploads files."""
    boundary = secrets.token_hex(16).encode()
    parts: list[bytes] = []
    for name, value in request_data.json_parameters.items():
        parts += [
            b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + _form_name(name),
            b'"\r\n\r\n' + value.encode() + b"\r\n",
        ]
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        parts += [
            b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + _form_name(name),
            b'"; filename="' + _form_name(filename or name) + b'"\r\n',
            b"Content-Type: " + (mimetype or "application/octet-stream").encode() + b"\r\n\r\n",
            data,
            b"\r\n",
        ]
    parts.append(b"--" + boundary + b"--\r\n")
    return b"multipart/form-data; boundary=" + boundary, b"".join(parts)


def _body(request_data: RequestData | None) -> tuple[bytes | None, bytes]:
    """The content type and body of a request (none for a download)."""
    if request_data is None:
        return None, b""
    if request_data.contains_files:
        return _multipart(request_data)
    # The parameters as JSON objects (the Bot API takes them so), in UTF-8 rather than escapes.
    payload = json.dumps(request_data.parameters, ensure_ascii=False, separators=(",", ":"))
    return b"application/json", payload.encode()


class _Pace:
    """Gives each read and each write the whole timeout, as httpx does: a large body that keeps
    moving is not cut off (a 20 MB download on a slow link), one that stalls that long is.

    A deadline set less than a tenth of the timeout ago is left as it is: moving it costs more
    than the rest of a small request, and a stall is still caught after 90 % of the timeout.
    """

    __slots__ = ("_deadline", "_loop", "_seconds", "_set_at")

    def __init__(self, deadline: asyncio.Timeout) -> None:
        self._deadline = deadline
        self._loop = asyncio.get_running_loop()
        self._seconds: float | None = None
        self._set_at = 0.0

    def start(self, seconds: float | None) -> None:
        """A new phase (writing, then reading) with its own timeout."""
        self._seconds = seconds
        self._set_at = now = self._loop.time()
        self._deadline.reschedule(None if seconds is None else now + seconds)

    def renew(self) -> None:
        """Progress: the next operation gets the whole timeout again."""
        seconds = self._seconds
        if seconds is None:
            return
        now = self._loop.time()
        if now - self._set_at > seconds / 10:
            self._set_at = now
            self._deadline.reschedule(now + seconds)


async def _send(writer: asyncio.StreamWriter, request: bytes, pace: _Pace) -> None:
    if len(request) <= _PIECE:  # most requests: one write
        writer.write(request)
        await writer.drain()
        return
    view = memoryview(request)
    for start in range(0, len(view), _PIECE):
        pace.renew()
        writer.write(view[start : start + _PIECE])
        await writer.drain()


async def _read_exactly(reader: asyncio.StreamReader, size: int, pace: _Pace) -> bytes:
    parts: list[bytes] = []
    missing = size
    while missing:
        pace.renew()
        part = await reader.read(missing)
        if not part:
            raise asyncio.IncompleteReadError(b"".join(parts), size)
        parts.append(part)
        missing -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


async def _read_to_end(reader: asyncio.StreamReader, pace: _Pace) -> bytes:
    parts: list[bytes] = []
    while True:
        pace.renew()
        part = await reader.read(_PIECE)
        if not part:
            return b"".join(parts)
        parts.append(part)


async def _read_chunked(reader: asyncio.StreamReader, pace: _Pace) -> bytes:
    chunks: list[bytes] = []
    while True:
        pace.renew()
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            # Trailers, if any, end with an empty line.
            pace.renew()
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pace.renew()
            return b"".join(chunks)
        chunks.append(await _read_exactly(reader, size, pace))
        await _read_exactly(reader, 2, pace)


async def _read_response(reader: asyncio.StreamReader, pace: _Pace) -> tuple[int, bool, bytes]:
    """Status, whether the connection may be kept, and the body of the next response."""
    while True:
        try:
            pace.renew()
            head = await reader.readuntil(_HEAD_END)
        except asyncio.IncompleteReadError as exc:
            if not exc.partial:
                raise _Dropped from exc
            raise
        lines = head[: -len(_HEAD_END)].split(b"\r\n")
        version, _, rest = lines[0].partition(b" ")
        status = int(rest[:3])
        if 100 <= status < 200:  # an interim answer ("100 Continue"): the real one follows
            continue
        headers: dict[bytes, bytes] = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        keep = version == b"HTTP/1.1" and headers.get(b"connection", b"").lower() != b"close"
        if headers.get(b"transfer-encoding", b"").lower().endswith(b"chunked"):
            return status, keep, await _read_chunked(reader, pace)
        length = headers.get(b"content-length")
        if length is not None:
            return status, keep, await _read_exactly(reader, int(length), pace)
        if status in (204, 304):
            return status, keep, b""
        return status, False, await _read_to_end(reader, pace)


class StreamRequest(BaseRequest):
    """PTB's requests over kept-alive HTTP/1.1 connections (``HTTPXRequest``'s timeouts and
    pool limit; its errors: ``TimedOut``, ``NetworkError``)."""

    __slots__ = (
        "_closed",
        "_connect_timeout",
        "_idle",
        "_media_write_timeout",
        "_pool_timeout",
        "_proxy",
        "_read_timeout",
        "_slots",
        "_targets",
        "_tls",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        proxy: str | None = None,
    ) -> None:
        """``proxy``: an HTTP proxy's URL (``http://user:password@host:port``) to tunnel through."""
        self._proxy = _Proxy.parse(proxy) if proxy else None
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._slots = asyncio.Semaphore(connection_pool_size)
        self._idle: dict[_Origin, list[_Connection]] = {}
        self._targets: dict[str, _Target] = {}
        self._tls: ssl.SSLContext | None = None
        self._closed = False

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        self._closed = False

    async def shutdown(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        target = self._target(url)
        content_type, body = _body(request_data)
        head = [f"{method} {target.path} HTTP/1.1\r\nHost: {target.host}\r\n".encode()]
        head.append(f"User-Agent: {self.USER_AGENT}\r\nAccept-Encoding: identity\r\n".encode())
        if content_type is not None:
            head.append(b"Content-Type: " + content_type + b"\r\n")
            head.append(f"Content-Length: {len(body)}\r\n".encode())
        head.append(b"\r\n")
        request = b"".join(head) + body
        uploads = request_data is not None and request_data.contains_files
        timeouts = (
            _timeout(connect_timeout, self._connect_timeout),
            _timeout(write_timeout, self._media_write_timeout if uploads else self._write_timeout),
            _timeout(read_timeout, self._read_timeout),
        )
        await self._acquire(_timeout(pool_timeout, self._pool_timeout))
        try:
            return await self._exchange(target.origin, request, *timeouts)
        except TimeoutError as exc:
            raise TimedOut from exc
        except (OSError, EOFError, ValueError, asyncio.LimitOverrunError, _Dropped) as exc:
            raise NetworkError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            self._slots.release()

    async def _acquire(self, pool_timeout: float | None) -> None:
        if not self._slots.locked():
            await self._slots.acquire()
            return
        try:
            async with asyncio.timeout(pool_timeout):
                await self._slots.acquire()
        except TimeoutError:
            raise TimedOut(
                "Pool timeout: all connections are busy; the request was not sent."
            ) from None

    async def _exchange(
        self,
        origin: _Origin,
        request: bytes,
        connect_timeout: float | None,
        write_timeout: float | None,
        read_timeout: float | None,
    ) -> tuple[int, bytes]:
        # A connection the server closed while idle is not reused; one that dies with this
        # request on it is not retried here: the server may have acted on it (a message
        # sent), so the caller decides, as with httpx (the outbox retries, or asks).
        connection = self._reuse(origin) or await self._connect(origin, connect_timeout)
        return await self._round_trip(origin, connection, request, write_timeout, read_timeout)

    async def _round_trip(
        self,
        origin: _Origin,
        connection: _Connection,
        request: bytes,
        write_timeout: float | None,
        read_timeout: float | None,
    ) -> tuple[int, bytes]:
        try:
            async with asyncio.timeout(None) as deadline:
                pace = _Pace(deadline)
                pace.start(write_timeout)
                await _send(connection.writer, request, pace)
                pace.start(read_timeout)
                status, keep, body = await _read_response(connection.reader, pace)
        except BaseException:
            connection.close()
            raise
        if keep and not self._closed:
            self._put_back(origin, connection)
        else:
            connection.close()
        return status, body

    def _reuse(self, origin: _Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if connection.usable(now):
                return connection
            connection.close()
        return None

    def _put_back(self, origin: _Origin, connection: _Connection) -> None:
        idle = self._idle.setdefault(origin, [])
        if len(idle) >= _MAX_IDLE:
            connection.close()
            return
        connection.idle_since = time.monotonic()
        idle.append(connection)

    async def _connect(self, origin: _Origin, connect_timeout: float | None) -> _Connection:
        scheme, host, port = origin
        tls = self._tls_context() if scheme == "https" else None
        proxy = self._proxy
        log.debug("opening a connection to %s:%s", host, port)
        async with asyncio.timeout(connect_timeout):
            if proxy is None:
                reader, writer = await asyncio.open_connection(host, port, ssl=tls)
                return _Connection(reader, writer)
            reader, writer = await asyncio.open_connection(proxy.host, proxy.port)
            try:
                await _tunnel(reader, writer, proxy, host, port)
                if tls is not None:
                    await writer.start_tls(tls, server_hostname=host)
            except BaseException:
                writer.close()
                raise
        return _Connection(reader, writer)

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            # The same roots as httpx (certifi's), so a server without a CA bundle still works.
            import certifi

            self._tls = ssl.create_default_context(cafile=certifi.where())
        return self._tls

    def _target(self, url: str) -> _Target:
        target = self._targets.get(url)
        if target is None:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise NetworkError(f"unsupported URL scheme: {parts.scheme}://")
            port = parts.port or (443 if parts.scheme == "https" else 80)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            target = _Target((parts.scheme, parts.hostname, port), parts.netloc, path)
            if len(self._targets) >= _MAX_TARGETS:
                self._targets.clear()
            self._targets[url] = target
        return target


def _proxy_for(url: str) -> str | None:
    """The proxy the environment names for ``url`` (as httpx reads it), or None."""
    parts = urlsplit(url)
    proxies = getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or proxy_bypass(parts.hostname or ""):
        return None
    return proxy


def bot_api_request(base_url: str, *, pool_size: int) -> BaseRequest:
    """The client for Bot API requests to ``base_url``: ``StreamRequest``, through the HTTP
    proxy the environment names if any; httpx for any other kind of proxy (SOCKS)."""
    try:
        return StreamRequest(connection_pool_size=pool_size, proxy=_proxy_for(base_url))
    except ValueError:  # a proxy that is not HTTP (``_Proxy.parse``)
        return HTTPXRequest(connection_pool_size=pool_size)
