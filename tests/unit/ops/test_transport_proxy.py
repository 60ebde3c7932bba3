"""The Bot API client through an HTTP proxy, as most unions in China reach Telegram: a tunnel
(CONNECT) per connection, kept alive through the proxy, TLS inside it; any other kind of proxy
left to httpx."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from pathlib import Path

import certifi
import pytest
from telegram import Bot
from telegram.error import NetworkError
from telegram.request import HTTPXRequest

from bot.ops.transport import StreamRequest, bot_api_request
from tests.e2e.harness import TOKEN
from tests.emulator import BotApiEmulator
from tests.fakes.proxy import TunnelProxy
from tests.unit.ops.test_transport import Peer, Wire, self_signed


@pytest.fixture
async def proxy() -> AsyncIterator[TunnelProxy]:
    async with TunnelProxy() as server:
        yield server


async def test_requests_go_through_one_kept_tunnel(emu: BotApiEmulator, proxy: TunnelProxy) -> None:
    member = emu.add_user(2001, "林小宣", started=True)
    async with Bot(TOKEN, base_url=emu.api_url, request=StreamRequest(proxy=proxy.url)) as bot:
        for text in ("第一条", "第二条", "第三条"):
            await bot.send_message(member.id, text)
    assert [m.text for m in emu.messages(member)] == ["第一条", "第二条", "第三条"]
    # getMe and three sends, one after another: one tunnel to the Bot API server.
    assert proxy.tunnels == [f"127.0.0.1:{emu.port}"]


async def test_the_proxy_password_is_sent_to_the_proxy(
    emu: BotApiEmulator, proxy: TunnelProxy
) -> None:
    url = f"http://xuan%E5%AE%A3:p%40ss@127.0.0.1:{proxy.port}"
    async with Bot(TOKEN, base_url=emu.api_url, request=StreamRequest(proxy=url)) as bot:
        assert (await bot.get_me()).id == emu.bot.id
    expected = base64.b64encode("xuan宣:p@ss".encode()).decode()
    assert f"Proxy-Authorization: Basic {expected}\r\n" in proxy.heads[0]


async def test_a_refused_tunnel_is_a_network_error_naming_the_proxys_answer(
    emu: BotApiEmulator,
) -> None:
    async with TunnelProxy(refuse=b"HTTP/1.1 407 Proxy Authentication Required") as proxy:
        request = StreamRequest(proxy=proxy.url)
        with pytest.raises(NetworkError, match="407 Proxy Authentication Required"):
            await request.post(f"{emu.api_url}{TOKEN}/getMe")
        await request.shutdown()
    assert emu.calls_to("getMe") == []


async def test_tls_runs_inside_the_tunnel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, proxy: TunnelProxy
) -> None:
    server_tls, certificate = self_signed(tmp_path)
    monkeypatch.setattr(certifi, "where", lambda: str(certificate))
    seen_tls: list[bool] = []

    async def answer(peer: Peer) -> None:
        seen_tls.append(peer.writer.get_extra_info("ssl_object") is not None)
        while await peer.request() is not None:
            await peer.answer("加密")

    request = StreamRequest(proxy=proxy.url)
    async with Wire(answer, tls=server_tls) as wire:
        assert await request.post(wire.url()) == "加密"
        assert await request.post(wire.url()) == "加密"
        await request.shutdown()
    assert proxy.tunnels == [f"127.0.0.1:{wire.port}"]
    assert seen_tls == [True] and wire.connections == 1


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


async def test_the_http_proxy_in_the_environment_is_tunnelled_through(
    emu: BotApiEmulator, proxy: TunnelProxy, environ: pytest.MonkeyPatch
) -> None:
    environ.setenv("HTTP_PROXY", proxy.url)
    request = bot_api_request(emu.api_url, pool_size=4)
    assert isinstance(request, StreamRequest)
    async with Bot(TOKEN, base_url=emu.api_url, request=request) as bot:
        assert (await bot.get_me()).id == emu.bot.id
    assert proxy.tunnels == [f"127.0.0.1:{emu.port}"]


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
async def test_a_socks_proxy_is_left_to_httpx(environ: pytest.MonkeyPatch, scheme: str) -> None:
    environ.setenv("ALL_PROXY", f"{scheme}://127.0.0.1:1080")
    request = bot_api_request("https://api.telegram.org/bot", pool_size=4)
    try:
        assert isinstance(request, HTTPXRequest)
    finally:
        await request.shutdown()


def test_a_proxy_that_is_not_http_is_refused_by_the_client() -> None:
    with pytest.raises(ValueError, match="not an HTTP proxy"):
        StreamRequest(proxy="socks5://127.0.0.1:1080")


def test_tls_inside_the_tunnel_on_uvloop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop the bot serves on upgrades the tunnel to TLS as asyncio's does."""
    uvloop = pytest.importorskip("uvloop")  # installed where it builds (Linux, macOS)

    async def scenario() -> None:
        async with TunnelProxy() as proxy:
            await test_tls_runs_inside_the_tunnel(tmp_path, monkeypatch, proxy)

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(scenario())
