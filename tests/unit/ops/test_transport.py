"""The bot's Bot API client (``StreamRequest``) driven as PTB drives it: against the strict Bot API
emulator, and against scripted servers on 127.0.0.1 that control every byte on the wire."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import os
import socket
import ssl
import struct
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import certifi
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.ops.transport import StreamRequest, bot_api_request
from tests.e2e.harness import TOKEN
from tests.emulator import BotApiEmulator, ScriptedUser
from tests.emulator.faults import FaultKind

T = TypeVar("T")

# A bound on waits for the servers' events, so a broken transport fails instead of hanging.
_PATIENCE_S = 5.0


async def soon(awaitable: Awaitable[T]) -> T:
    return await asyncio.wait_for(awaitable, _PATIENCE_S)


@pytest.fixture
async def client() -> AsyncIterator[StreamRequest]:
    request = StreamRequest()
    yield request
    await request.shutdown()


# -- against the strict Bot API emulator ----------------------------------------------------------


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(
        TOKEN,
        base_url=emu.api_url,
        base_file_url=emu.file_url,
        request=StreamRequest(),
        get_updates_request=StreamRequest(connection_pool_size=1, read_timeout=0.5),
    ) as client:
        yield client


@pytest.fixture
def member(emu: BotApiEmulator) -> ScriptedUser:
    return emu.add_user(2001, "林小宣", username="xuan", started=True)


def png(width: int, height: int, colour: int) -> bytes:
    """A PNG header the emulator accepts as a photo (its bytes differ by ``colour``)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    ihdr = b"IHDR" + header
    chunk = struct.pack(">I", len(header)) + ihdr + struct.pack(">I", zlib.crc32(ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + bytes([colour]) * 64


async def test_get_me(emu: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username) == (emu.bot.id, "union_test_bot")
    assert [call.ok for call in emu.calls_to("getMe")] == [True, True]  # initialize, then ours


async def test_send_message_with_chinese_text_and_keyboard(
    emu: BotApiEmulator, bot: Bot, member: ScriptedUser
) -> None:
    text = "稿件《校园开放日》已通过二审 🎉\n请于周五 18:00 前发布到「学生会发布频道」。"
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ 通过", callback_data="审核:通过:17"),
                InlineKeyboardButton("退回修改", callback_data="审核:退回:17"),
            ],
            [InlineKeyboardButton("查看原文", url="https://example.org/稿件?id=17&版=2")],
        ]
    )
    sent = await bot.send_message(member.id, text, reply_markup=keyboard)
    stored = emu.last_message(member)
    assert stored is not None and stored.from_bot
    assert stored.text == text and sent.text == text
    assert stored.reply_markup == keyboard.to_dict()
    assert sent.reply_markup == keyboard
    (call,) = emu.calls_to("sendMessage")
    assert call.params["text"] == text  # a JSON body: no form encoding in between


async def test_send_document_with_quoted_chinese_filename(
    emu: BotApiEmulator, bot: Bot, member: ScriptedUser
) -> None:
    # Every byte value, and lines that look like multipart boundaries.
    content = bytes(range(256)) * 8 + b"\r\n--boundary\r\n\r\n--" + "正文".encode()
    filename = '活动"总结"\\终稿.txt'
    sent = await bot.send_document(member.id, content, filename=filename, caption="请审阅")
    stored = emu.last_message(member)
    assert stored is not None and stored.document is not None
    assert stored.document.data == content
    assert stored.text == "请审阅"
    # The name is written as httpx (PTB's default client) writes it: a quote as %22 (the HTML5
    # form encoding), a backslash escaped; the emulator's parser undoes only the escape.
    assert stored.document.file_name == "活动%22总结%22\\终稿.txt"
    assert sent.document is not None and sent.document.file_name == stored.document.file_name
    (call,) = emu.calls_to("sendDocument")
    assert call.params["caption"] == "请审阅"
    assert [(f.field, f.size) for f in call.files] == [("document", len(content))]
    # The same download path a reviewer's file takes: GET, bytes back unchanged.
    file = await bot.get_file(stored.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content


async def test_document_filename_matches_httpx(
    emu: BotApiEmulator, bot: Bot, member: ScriptedUser
) -> None:
    filename = '活动"总结"\\终稿 v2.txt'
    await bot.send_document(member.id, b"stream", filename=filename)
    async with Bot(TOKEN, base_url=emu.api_url, request=HTTPXRequest()) as reference:
        await reference.send_document(member.id, b"httpx", filename=filename)
    ours, theirs = (m.document for m in emu.messages(member))
    assert ours is not None and theirs is not None
    assert ours.file_name == theirs.file_name
    assert (ours.data, theirs.data) == (b"stream", b"httpx")


async def test_send_media_group_with_two_photos(
    emu: BotApiEmulator, bot: Bot, member: ScriptedUser
) -> None:
    first, second = png(640, 480, 1), png(480, 640, 2)
    album = [InputMediaPhoto(first, caption="开幕式"), InputMediaPhoto(second, caption="合影")]
    sent = await bot.send_media_group(member.id, album)
    assert [m.caption for m in sent] == ["开幕式", "合影"]
    stored = emu.messages(member)
    assert [m.photo.data if m.photo else None for m in stored] == [first, second]
    assert [m.text for m in stored] == ["开幕式", "合影"]
    assert stored[0].media_group_id is not None
    assert stored[0].media_group_id == stored[1].media_group_id
    (call,) = emu.calls_to("sendMediaGroup")
    media = call.param("media")
    attached = [item["media"].removeprefix("attach://") for item in media]
    assert all(item["media"].startswith("attach://") for item in media)
    assert sorted(f.field for f in call.files) == sorted(attached)


async def test_an_error_answer_raises_telegrams_text(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(-100999, "没有这个群")
    assert str(caught.value) == "Chat not found"
    (call,) = emu.calls_to("sendMessage")
    assert (call.error_code, call.description) == (400, "Bad Request: chat not found")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_answer_raises_retry_after(
    emu: BotApiEmulator, bot: Bot, member: ScriptedUser
) -> None:
    emu.fail_next("sendMessage", kind="retry_after", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(member.id, "太快了")
    assert "Retry in 7" in str(caught.value)
    assert emu.messages(member) == []
    await bot.send_message(member.id, "稍后再发")  # the connection stays usable
    assert [m.text for m in emu.messages(member)] == ["稍后再发"]


async def test_a_send_whose_answer_was_lost_is_not_repeated(
    emu: BotApiEmulator, bot: Bot, member: ScriptedUser
) -> None:
    await bot.send_message(member.id, "第一条")  # the connection is kept alive after this
    emu.fail_next("sendMessage", kind="disconnect", take_effect=True)
    with pytest.raises(NetworkError):
        await bot.send_message(member.id, "只发一次")
    # Telegram carried it out; the error lets the caller decide, the transport sends no copy.
    assert [m.text for m in emu.messages(member)] == ["第一条", "只发一次"]
    assert len(emu.calls_to("sendMessage")) == 2


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("http500", NetworkError),
        ("bad_gateway", NetworkError),
        ("disconnect", NetworkError),
        ("timeout", TimedOut),
    ],
)
async def test_injected_faults_raise_once(
    emu: BotApiEmulator,
    bot: Bot,
    member: ScriptedUser,
    kind: FaultKind,
    error: type[NetworkError],
) -> None:
    emu.fail_next("sendMessage", kind=kind)
    with pytest.raises(error) as caught:
        await bot.send_message(member.id, "出错了", read_timeout=0.2)
    assert error is TimedOut or not isinstance(caught.value, TimedOut)
    assert len(emu.calls_to("sendMessage")) == 1  # tried once: the caller decides what next
    await bot.send_message(member.id, "恢复了")
    assert [m.text for m in emu.messages(member)] == ["恢复了"]


async def test_long_poll_outlasts_the_read_timeout(emu: BotApiEmulator, bot: Bot) -> None:
    # The updates client's read timeout is 0.5 s; PTB adds the poll's 1 s to it.
    assert await bot.get_updates(timeout=1) == ()
    (call,) = emu.calls_to("getUpdates")
    assert call.ok


# -- against scripted servers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """A request as the scripted server read it."""

    connection: int
    line: str
    headers: dict[str, str]
    body: bytes


class Peer:
    """One connection, from the scripted server's side."""

    def __init__(
        self, wire: Wire, index: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.wire = wire
        self.index = index
        self.reader = reader
        self.writer = writer

    async def request(self) -> Seen | None:
        """The next request on this connection; None once the client has closed it."""
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionResetError):
            self.wire.closed_by_client.put_nowait(self.index)
            return None
        line, *fields = head[:-4].decode().split("\r\n")
        headers = {}
        for field in fields:
            name, _, value = field.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        seen = Seen(self.index, line, headers, body)
        self.wire.requests.append(seen)
        self.wire.arrivals.put_nowait(seen)
        return seen

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def answer(self, result: object = True, *, headers: bytes = b"") -> None:
        body = json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode()
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + headers
        await self.send(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError):
            await self.writer.wait_closed()


Script = Callable[[Peer], Awaitable[None]]


async def keep_answering(peer: Peer) -> None:
    while await peer.request() is not None:
        await peer.answer()


class Wire:
    """An HTTP/1.1 server on 127.0.0.1 whose n-th connection follows the n-th script (later
    ones keep answering), counting connections and the requests it read."""

    def __init__(self, *scripts: Script, tls: ssl.SSLContext | None = None) -> None:
        self.scripts = scripts
        self.tls = tls
        self.connections = 0
        self.requests: list[Seen] = []
        self.arrivals: asyncio.Queue[Seen] = asyncio.Queue()
        self.closed_by_client: asyncio.Queue[int] = asyncio.Queue()
        self.failures: list[BaseException] = []
        self._server: asyncio.Server | None = None
        self.port = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: list[asyncio.StreamWriter] = []

    @property
    def api_url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}/bot"

    def url(self, method: str = "getMe") -> str:
        return f"{self.api_url}{TOKEN}/{method}"

    async def __aenter__(self) -> Wire:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.transport.abort()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()
        if exc_info[0] is None and self.failures:
            raise AssertionError(f"the scripted server failed: {self.failures!r}")

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.append(writer)
        index = self.connections
        self.connections += 1
        script = self.scripts[index] if index < len(self.scripts) else keep_answering
        try:
            await script(Peer(self, index, reader, writer))
        except Exception as exc:
            self.failures.append(exc)
        finally:
            writer.close()


def connections_of(wire: Wire) -> list[int]:
    """The connection each request the server read came on, in order."""
    return [seen.connection for seen in wire.requests]


async def test_json_request_on_the_wire(client: StreamRequest) -> None:
    text = "审核结果：通过 ✅ “终稿”"

    async def answer_message(peer: Peer) -> None:
        await peer.request()
        message = {"message_id": 7, "date": 0, "chat": {"id": 2001, "type": "private"}}
        await peer.answer({**message, "text": text})

    async with Wire(answer_message) as wire:
        sent = await Bot(TOKEN, base_url=wire.api_url, request=client).send_message(2001, text)
    assert sent.text == text
    (seen,) = wire.requests
    assert seen.line == f"POST /bot{TOKEN}/sendMessage HTTP/1.1"
    assert seen.headers["host"] == f"127.0.0.1:{wire.port}"
    assert seen.headers["content-type"] == "application/json"
    assert int(seen.headers["content-length"]) == len(seen.body)
    assert json.loads(seen.body) == {"chat_id": 2001, "text": text}
    assert text.encode() in seen.body  # UTF-8, not \u escapes


async def test_download_is_a_plain_get(client: StreamRequest) -> None:
    content = bytes(range(256)) * 1000

    async def serve_file(peer: Peer) -> None:
        await peer.request()
        await peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(content) + content)
        await keep_answering(peer)

    async with Wire(serve_file) as wire:
        url = f"http://127.0.0.1:{wire.port}/file/bot{TOKEN}/documents/file_1.docx"
        assert await client.retrieve(url) == content
        assert await client.post(wire.url()) is True  # the same connection goes on
    (download, _) = wire.requests
    assert download.line == f"GET /file/bot{TOKEN}/documents/file_1.docx HTTP/1.1"
    assert "content-length" not in download.headers and download.body == b""
    assert connections_of(wire) == [0, 0]


async def test_keep_alive_reuses_one_connection(client: StreamRequest) -> None:
    async with Wire() as wire:
        assert await client.post(wire.url("getMe")) is True
        assert await client.post(wire.url("getUpdates")) is True
    assert wire.connections == 1
    assert [seen.line.split()[1] for seen in wire.requests] == [
        f"/bot{TOKEN}/getMe",
        f"/bot{TOKEN}/getUpdates",
    ]
    assert connections_of(wire) == [0, 0]


async def test_chunked_response(client: StreamRequest) -> None:
    body = json.dumps({"ok": True, "result": "分块应答：完整无缺"}, ensure_ascii=False).encode()
    cut = body.index("块".encode()) + 1  # the first chunk ends inside a character

    async def chunked(peer: Peer) -> None:
        while await peer.request() is not None:
            await peer.send(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
                + b"%x;note=first\r\n" % cut
                + body[:cut]
                + b"\r\n%X\r\n" % (len(body) - cut)
                + body[cut:]
                + b"\r\n0\r\nX-Checksum: none\r\n\r\n"
            )

    async with Wire(chunked) as wire:
        assert await client.post(wire.url()) == "分块应答：完整无缺"
        # The chunks, the last one and the trailer were read exactly: the connection goes on.
        assert await client.post(wire.url()) == "分块应答：完整无缺"
    assert wire.connections == 1
    assert connections_of(wire) == [0, 0]


async def test_interim_answer_is_skipped(client: StreamRequest) -> None:
    async def continue_first(peer: Peer) -> None:
        await peer.request()
        await peer.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        await peer.answer("正式应答")
        await keep_answering(peer)

    async with Wire(continue_first) as wire:
        assert await client.post(wire.url()) == "正式应答"
        assert await client.post(wire.url()) is True
    assert connections_of(wire) == [0, 0]


async def test_connection_close_answer_is_not_reused(client: StreamRequest) -> None:
    async def answer_and_close(peer: Peer) -> None:
        # The server says "close" but leaves the socket open: the client must honour the header.
        while await peer.request() is not None:
            await peer.answer(headers=b"Connection: close\r\n")

    async with Wire(answer_and_close, answer_and_close) as wire:
        assert await client.post(wire.url()) is True
        assert await soon(wire.closed_by_client.get()) == 0
        assert await client.post(wire.url()) is True
        assert await soon(wire.closed_by_client.get()) == 1
    assert wire.connections == 2
    assert connections_of(wire) == [0, 1]


async def test_http10_answer_without_length_is_read_to_the_end(client: StreamRequest) -> None:
    body = json.dumps({"ok": True, "result": "旧式服务器"}, ensure_ascii=False).encode()

    async def http10(peer: Peer) -> None:
        await peer.request()
        await peer.send(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body[:9])
        await peer.send(body[9:])
        await peer.close()

    async with Wire(http10, http10) as wire:
        assert await client.post(wire.url()) == "旧式服务器"
        assert await client.post(wire.url()) == "旧式服务器"
    assert wire.connections == 2
    assert connections_of(wire) == [0, 1]


async def test_idle_connection_closed_by_the_server(client: StreamRequest) -> None:
    closed = asyncio.Event()

    async def answer_then_close(peer: Peer) -> None:
        await peer.request()
        await peer.answer()
        await peer.close()  # an idle timeout of zero
        closed.set()

    async with Wire(answer_then_close) as wire:
        assert await client.post(wire.url()) is True
        await soon(closed.wait())
        assert await client.post(wire.url("sendMessage")) is True
    assert wire.connections == 2
    assert connections_of(wire) == [0, 1]
    assert wire.requests[1].line.startswith(f"POST /bot{TOKEN}/sendMessage ")


async def test_kept_alive_connection_the_server_just_closed_is_not_used(
    client: StreamRequest,
) -> None:
    peers: list[Peer] = []

    async def answer_and_hold(peer: Peer) -> None:
        peers.append(peer)
        await keep_answering(peer)

    async with Wire(answer_and_hold) as wire:
        assert await client.post(wire.url()) is True
        # The server closes the idle connection and the request follows at once: the client's
        # loop has not run since, so only the socket itself can tell that it was closed.
        fd = peers[0].writer.get_extra_info("socket").fileno()
        with socket.socket(fileno=os.dup(fd)) as raw:  # the same socket, closed right now
            raw.shutdown(socket.SHUT_WR)
        assert await client.post(wire.url("sendMessage")) is True
    assert wire.connections == 2
    assert connections_of(wire) == [0, 1]


def drop_on_arrival(dropped: list[int]) -> Script:
    """Answers one request, then drops the connection as soon as the next one starts to arrive
    (the race of a server's idle timeout with a new request)."""

    async def script(peer: Peer) -> None:
        await peer.request()
        await peer.answer()
        await peer.reader.read(1)
        dropped.append(peer.index)
        peer.writer.transport.abort()

    return script


async def test_kept_alive_connection_dropped_after_sending_is_not_retried(
    client: StreamRequest,
) -> None:
    dropped: list[int] = []
    async with Wire(drop_on_arrival(dropped)) as wire:
        assert await client.post(wire.url()) is True
        # The whole request went out: the server may have carried it out, so no second copy.
        with pytest.raises(NetworkError) as caught:
            await client.post(wire.url("sendMessage"))
    assert not isinstance(caught.value, TimedOut)
    assert dropped == [0]
    assert wire.connections == 1


async def test_kept_alive_connection_dropped_mid_upload_is_not_retried(
    client: StreamRequest,
) -> None:
    dropped: list[int] = []
    content = bytes(32 * 1024 * 1024)  # far beyond what the sockets' buffers hold
    async with Wire(drop_on_arrival(dropped)) as wire:
        assert await client.post(wire.url()) is True
        bot = Bot(TOKEN, base_url=wire.api_url, request=client)
        # The connection breaks while most of the upload is still being written: an error
        # for the caller (as with httpx), not a second upload behind its back.
        with pytest.raises(NetworkError) as caught:
            await bot.send_document(2001, content, filename="合集.zip")
    assert not isinstance(caught.value, TimedOut)
    assert dropped == [0]
    assert wire.connections == 1


async def test_kept_alive_connection_cut_mid_answer_is_not_retried(client: StreamRequest) -> None:
    async def cut_the_second(peer: Peer) -> None:
        await peer.request()
        await peer.answer()
        await peer.request()
        await peer.send(b"HTTP/1.1 200 OK\r\nContent-Le")
        await peer.close()

    async with Wire(cut_the_second) as wire:
        assert await client.post(wire.url()) is True
        with pytest.raises(NetworkError) as caught:
            await client.post(wire.url("sendMessage"))
    assert not isinstance(caught.value, TimedOut)
    assert wire.connections == 1
    assert connections_of(wire) == [0, 0]


async def test_fresh_connection_closed_without_answer_is_not_retried(
    client: StreamRequest,
) -> None:
    async def read_then_close(peer: Peer) -> None:
        await peer.request()
        await peer.close()

    async with Wire(read_then_close) as wire:
        with pytest.raises(NetworkError) as caught:
            await client.post(wire.url("sendMessage"))
    assert not isinstance(caught.value, TimedOut)
    assert wire.connections == 1
    assert len(wire.requests) == 1


async def test_no_answer_times_out(client: StreamRequest) -> None:
    async def never_answer(peer: Peer) -> None:
        await peer.request()
        await peer.request()  # returns when the client gives up and closes the connection

    async with Wire(never_answer) as wire:
        with pytest.raises(TimedOut):
            await client.post(wire.url(), read_timeout=0.2)
        assert await soon(wire.closed_by_client.get()) == 0
        assert await client.post(wire.url()) is True  # on a new connection
    assert wire.connections == 2
    assert connections_of(wire) == [0, 1]


def trickle(body: bytes, pieces: int) -> Script:
    """Answers each request with ``body`` in ``pieces``, a short pause before each."""

    async def script(peer: Peer) -> None:
        while await peer.request() is not None:
            await peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
            step = -(-len(body) // pieces)
            for start in range(0, len(body), step):
                await asyncio.sleep(0.02)
                await peer.send(body[start : start + step])

    return script


async def test_a_slow_answer_that_keeps_coming_is_not_cut_off(client: StreamRequest) -> None:
    # 25 pieces 20 ms apart: longer than the read timeout in all, never silent that long (the
    # timeout is per read, as with httpx: a large download on a slow link still arrives).
    body = json.dumps({"ok": True, "result": "慢" * 5000}, ensure_ascii=False).encode()
    async with Wire(trickle(body, 25), trickle(body, 25)) as wire:
        assert await client.post(wire.url(), read_timeout=0.3) == "慢" * 5000
        reference = HTTPXRequest()
        try:
            assert await reference.post(wire.url(), read_timeout=0.3) == "慢" * 5000
        finally:
            await reference.shutdown()


async def test_an_answer_that_stalls_midway_times_out(client: StreamRequest) -> None:
    body = json.dumps({"ok": True, "result": "中途停下"}, ensure_ascii=False).encode()

    async def stall(peer: Peer) -> None:
        await peer.request()
        await peer.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
        await peer.send(body[:10])
        await peer.request()  # returns when the client gives up and closes the connection

    async with Wire(stall) as wire:
        with pytest.raises(TimedOut):
            await client.post(wire.url(), read_timeout=0.2)
        assert await soon(wire.closed_by_client.get()) == 0


async def test_a_slow_reader_gets_the_whole_upload(client: StreamRequest) -> None:
    async def read_slowly(peer: Peer) -> None:
        head = await peer.reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        received = 0
        while received < length:
            await asyncio.sleep(0.01)
            received += len(await peer.reader.read(512 * 1024))
        await peer.answer({"message_id": 9, "date": 0, "chat": {"id": 2001, "type": "private"}})

    content = bytes(16 * 1024 * 1024)  # longer than the write timeout at this pace
    async with Wire(read_slowly) as wire:
        bot = Bot(TOKEN, base_url=wire.api_url, request=client)
        sent = await bot.send_document(2001, content, filename="大文件.bin", write_timeout=0.3)
    assert sent.message_id == 9


async def test_upload_the_server_does_not_read_times_out(client: StreamRequest) -> None:
    async def never_read(peer: Peer) -> None:
        await asyncio.Event().wait()

    content = bytes(32 * 1024 * 1024)  # far beyond what the sockets' buffers hold
    async with Wire(never_read) as wire:
        bot = Bot(TOKEN, base_url=wire.api_url, request=client)
        with pytest.raises(TimedOut):
            await bot.send_document(2001, content, filename="大文件.bin", write_timeout=0.2)
    assert wire.requests == []


async def test_connect_refused(client: StreamRequest) -> None:
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        port = bound.getsockname()[1]
        with pytest.raises(NetworkError) as caught:
            await client.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    assert type(caught.value) is NetworkError
    assert "ConnectionRefusedError" in str(caught.value)


async def test_pool_exhausted_times_out_without_sending() -> None:
    release = asyncio.Event()

    async def hold_the_first(peer: Peer) -> None:
        await peer.request()
        await release.wait()
        await peer.answer()
        await keep_answering(peer)

    request = StreamRequest(connection_pool_size=1, pool_timeout=0.1)
    try:
        async with Wire(hold_the_first) as wire:
            first = asyncio.create_task(request.post(wire.url("sendMessage")))
            await soon(wire.arrivals.get())
            with pytest.raises(TimedOut, match="all connections are busy"):
                await request.post(wire.url("editMessageText"))
            assert len(wire.requests) == 1
            release.set()
            assert await soon(first) is True
            assert await request.post(wire.url("editMessageText")) is True
    finally:
        await request.shutdown()
    assert wire.connections == 1
    assert [seen.line.split()[1].rsplit("/", 1)[1] for seen in wire.requests] == [
        "sendMessage",
        "editMessageText",
    ]


async def test_shutdown_closes_idle_connections(client: StreamRequest) -> None:
    async with Wire() as wire:
        assert await client.post(wire.url()) is True
        assert await client.post(wire.url()) is True
        await client.shutdown()
        assert await soon(wire.closed_by_client.get()) == 0
        await client.initialize()
        assert await client.post(wire.url()) is True
    assert connections_of(wire) == [0, 0, 1]


def self_signed(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A TLS server context for 127.0.0.1 and the file of its certificate (its own CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "server.pem", directory / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file


@pytest.fixture
def trusted_tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A TLS server context whose certificate the client trusts (as one of certifi's roots)."""
    server_tls, certificate = self_signed(tmp_path)
    monkeypatch.setattr(certifi, "where", lambda: str(certificate))
    return server_tls


async def test_https_keeps_the_connection(
    client: StreamRequest, trusted_tls: ssl.SSLContext
) -> None:
    closed = asyncio.Event()

    async def answer_twice_then_close(peer: Peer) -> None:
        for _ in range(2):
            await peer.request()
            await peer.answer("加密")
        await peer.close()
        closed.set()

    async with Wire(answer_twice_then_close, tls=trusted_tls) as wire:
        assert await client.post(wire.url()) == "加密"
        assert await client.post(wire.url()) == "加密"
        await soon(closed.wait())
        assert await client.post(wire.url("sendMessage")) is True
    assert wire.connections == 2
    assert connections_of(wire) == [0, 0, 1]


async def test_https_with_an_unknown_certificate_fails(
    tmp_path: Path, client: StreamRequest
) -> None:
    server_tls, _ = self_signed(tmp_path)
    async with Wire(tls=server_tls) as wire:
        with pytest.raises(NetworkError, match="CERTIFICATE_VERIFY_FAILED") as caught:
            await client.post(wire.url())
    assert not isinstance(caught.value, TimedOut)
    assert wire.requests == []


# -- on uvloop, as the bot serves -----------------------------------------------------------------

Scenario = Callable[[StreamRequest], Awaitable[None]]

_WIRE_SCENARIOS: tuple[Scenario, ...] = (
    test_json_request_on_the_wire,
    test_download_is_a_plain_get,
    test_keep_alive_reuses_one_connection,
    test_chunked_response,
    test_interim_answer_is_skipped,
    test_connection_close_answer_is_not_reused,
    test_http10_answer_without_length_is_read_to_the_end,
    test_idle_connection_closed_by_the_server,
    test_kept_alive_connection_the_server_just_closed_is_not_used,
    test_kept_alive_connection_dropped_after_sending_is_not_retried,
    test_kept_alive_connection_dropped_mid_upload_is_not_retried,
    test_kept_alive_connection_cut_mid_answer_is_not_retried,
    test_fresh_connection_closed_without_answer_is_not_retried,
    test_no_answer_times_out,
    test_a_slow_answer_that_keeps_coming_is_not_cut_off,
    test_an_answer_that_stalls_midway_times_out,
    test_a_slow_reader_gets_the_whole_upload,
    test_upload_the_server_does_not_read_times_out,
    test_connect_refused,
    test_shutdown_closes_idle_connections,
)


def run_on_uvloop(scenario: Scenario) -> None:
    uvloop = pytest.importorskip("uvloop")  # installed where it builds (Linux, macOS)

    async def with_client() -> None:
        client = StreamRequest()
        try:
            await scenario(client)
        finally:
            await client.shutdown()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(with_client())


@pytest.mark.parametrize(
    "scenario", _WIRE_SCENARIOS, ids=[s.__name__.removeprefix("test_") for s in _WIRE_SCENARIOS]
)
def test_on_uvloop(scenario: Scenario) -> None:
    """The bot serves on uvloop (bot/ops/startup.py): the cases on the wire hold there too."""
    run_on_uvloop(scenario)


def test_https_on_uvloop(trusted_tls: ssl.SSLContext) -> None:
    run_on_uvloop(lambda client: test_https_keeps_the_connection(client, trusted_tls))


def test_pool_exhausted_on_uvloop() -> None:
    run_on_uvloop(lambda _: test_pool_exhausted_times_out_without_sending())


# -- bot_api_request ------------------------------------------------------------------------------

_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD")
_TELEGRAM = "https://api.telegram.org/bot"


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The environment without any proxy setting."""
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


async def test_no_proxy_uses_streams(environ: pytest.MonkeyPatch) -> None:
    request = bot_api_request(_TELEGRAM, pool_size=4)
    assert isinstance(request, StreamRequest)


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"])
@pytest.mark.parametrize("proxy", ["http://127.0.0.1:3128", "127.0.0.1:3128"])
async def test_an_http_proxy_is_tunnelled_through(
    environ: pytest.MonkeyPatch, variable: str, proxy: str
) -> None:
    environ.setenv(variable, proxy)
    request = bot_api_request(_TELEGRAM, pool_size=4)
    assert isinstance(request, StreamRequest) and request._proxy is not None
    assert (request._proxy.host, request._proxy.port) == ("127.0.0.1", 3128)


async def test_a_socks_proxy_keeps_httpx(environ: pytest.MonkeyPatch) -> None:
    environ.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    request = bot_api_request(_TELEGRAM, pool_size=4)
    try:
        assert isinstance(request, HTTPXRequest)
    finally:
        await request.shutdown()


@pytest.mark.parametrize(
    "no_proxy", ["api.telegram.org", "telegram.org", ".telegram.org", "localhost,api.telegram.org"]
)
async def test_no_proxy_covering_the_host_goes_direct(
    environ: pytest.MonkeyPatch, no_proxy: str
) -> None:
    environ.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    environ.setenv("NO_PROXY", no_proxy)
    request = bot_api_request(_TELEGRAM, pool_size=4)
    assert isinstance(request, StreamRequest) and request._proxy is None


async def test_no_proxy_for_another_host_keeps_the_proxy(environ: pytest.MonkeyPatch) -> None:
    environ.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    environ.setenv("NO_PROXY", "example.org")
    request = bot_api_request(_TELEGRAM, pool_size=4)
    assert isinstance(request, StreamRequest) and request._proxy is not None


async def test_an_https_proxy_leaves_a_plain_http_server_alone(
    environ: pytest.MonkeyPatch,
) -> None:
    environ.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    request = bot_api_request("http://127.0.0.1:8081/bot", pool_size=4)
    assert isinstance(request, StreamRequest) and request._proxy is None
