"""A strict local fake of the WeChat official-account API, served on 127.0.0.1.

It answers like WeChat: HTTP 200 with JSON, ``{"errcode": N, "errmsg": "... rid: ..."}`` on
failure, with WeChat's real codes. Tokens expire by the fake's clock (``advance``) and a new
token retires the previous one after a grace period; a wrong secret gets 40125, a wrong AppID
40013, a caller outside the IP whitelist 40164, a spent quota 45009. ``draft/add`` enforces the
documented limits (title 32, author 16, digest 128 characters; content under 20,000 characters
) and that ``thumb_media_id`` is a permanent image uploaded here; ``uploadimg`` takes
JPG/PNG under 1 MB and ``add_material`` images up to 10 MB, both judged by bytes and file name.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from tests.fakes.server import FakeServer

__all__ = ["FakeCall", "FakeWeChat", "Material", "StoredDraft"]

APP_ID = "wx5e1f0a6b2c3d4e5f"
APP_SECRET = "0123456789abcdef0123456789abcdef"

_TITLE_MAX, _AUTHOR_MAX, _DIGEST_MAX = 32, 16, 128
_CONTENT_MAX_CHARS = 20_000
_ESCAPED_TITLE = re.compile(r'"title"\s*:\s*"((?:[^"\\]|\\.)*)"')

_MESSAGES = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40004: "invalid media type",
    40005: "invalid file type",
    40007: "invalid media_id",
    40009: "invalid image size",
    40013: "invalid appid",
    40014: "invalid access_token",
    40125: "invalid appsecret",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    41005: "media data missing",
    42001: "access_token expired",
    43001: "require GET method",
    43002: "require POST method",
    44001: "empty media data",
    44003: "empty news data",
    45002: "content size out of limit",
    45003: "title size out of limit",
    45004: "description size out of limit",
    45008: "article size out of limit",
    45009: "reach max api daily quota limit",
    45110: "author size out of limit",
    47001: "data format error",
    48001: "api unauthorized",
}


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data.startswith(b"BM"):
        return "bmp"
    return None


_SUFFIXES = {"jpeg": (".jpg", ".jpeg"), "png": (".png",), "gif": (".gif",), "bmp": (".bmp",)}


@dataclass
class FakeCall:
    """One request the fake answered (the secret and token are not kept)."""

    path: str
    errcode: int
    http_status: int = 200


@dataclass
class Material:
    """A permanent material or an article image uploaded to the fake."""

    media_id: str
    kind: str  # image | thumb | article-image
    filename: str
    data: bytes
    url: str


@dataclass
class StoredDraft:
    """A draft in the fake's draft box, as ``draft/add`` received it."""

    media_id: str
    articles: list[dict[str, Any]]


@dataclass
class _Fault:
    errcode: int | None = None
    http_status: int | None = None
    disconnect: bool = False


class _Refusal(Exception):
    def __init__(self, errcode: int) -> None:
        super().__init__(errcode)
        self.errcode = errcode


@dataclass
class _Clock:
    now: float = 1_000_000.0


@dataclass
class _State:
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expires at
    materials: dict[str, Material] = field(default_factory=dict)
    drafts: dict[str, StoredDraft] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=dict)  # calls per path "today"


class FakeWeChat(FakeServer):
    """The fake API. ``async with FakeWeChat() as wx:`` then point the client at ``wx.base_url``.

    ``clock`` is the fake's time in seconds; give the client ``wx.clock`` so both agree, or
    leave the client on its own clock to see the server expire tokens first.
    """

    client_max_size = 64 << 20

    def __init__(
        self,
        *,
        app_id: str = APP_ID,
        app_secret: str = APP_SECRET,
        expires_in: int = 7200,
        old_token_grace: float = 300.0,
        whitelist: Collection[str] | None = None,
        daily_quota: int | None = None,
    ) -> None:
        super().__init__()
        self.app_id = app_id
        self.app_secret = app_secret
        self.expires_in = expires_in
        self.old_token_grace = old_token_grace
        self.whitelist = set(whitelist) if whitelist is not None else None
        self.daily_quota = daily_quota
        self.calls: list[FakeCall] = []
        self.internal_errors: list[BaseException] = []
        self._clock = _Clock()
        self._state = _State()
        self._faults: dict[str, list[_Fault]] = {}

    # Lifecycle --------------------------------------------------------------------------------

    def routes(self, router: web.UrlDispatcher) -> None:
        router.add_route("*", "/{tail:.*}", self._handle)

    # Control ----------------------------------------------------------------------------------

    def clock(self) -> float:
        """The fake's current time (monotonic seconds); pass it to the client as its clock."""
        return self._clock.now

    def advance(self, seconds: float) -> None:
        self._clock.now += seconds

    def new_day(self) -> None:
        """Reset the daily quotas."""
        self._state.used.clear()

    def revoke_tokens(self) -> None:
        """Every issued token becomes invalid (as when another program fetched one long ago)."""
        self._state.tokens.clear()

    def fail_next(self, path: str, errcode: int, *, times: int = 1) -> None:
        """The next ``times`` calls to ``path`` answer ``errcode``."""
        self._faults.setdefault(path, []).extend(_Fault(errcode=errcode) for _ in range(times))

    def http_error_next(self, path: str, status: int) -> None:
        self._faults.setdefault(path, []).append(_Fault(http_status=status))

    def disconnect_next(self, path: str) -> None:
        """The next call to ``path`` has its connection dropped without an answer."""
        self._faults.setdefault(path, []).append(_Fault(disconnect=True))

    @property
    def drafts(self) -> dict[str, StoredDraft]:
        return self._state.drafts

    @property
    def materials(self) -> dict[str, Material]:
        return self._state.materials

    @property
    def tokens_issued(self) -> int:
        return sum(1 for call in self.calls if call.path == "/cgi-bin/token" and not call.errcode)

    def material_by_url(self, url: str) -> Material | None:
        return next((m for m in self._state.materials.values() if m.url == url), None)

    # Serving ----------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        faults = self._faults.get(path)
        fault = faults.pop(0) if faults else None
        if fault is not None and fault.disconnect:
            self.calls.append(FakeCall(path, -1, 0))
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError  # nothing more to send on a dead connection
        if fault is not None and fault.http_status is not None:
            self.calls.append(FakeCall(path, 0, fault.http_status))
            return web.Response(status=fault.http_status, text="<html>Bad Gateway</html>")
        routes = {
            "/cgi-bin/token": self._token,
            "/cgi-bin/material/add_material": self._add_material,
            "/cgi-bin/media/uploadimg": self._uploadimg,
            "/cgi-bin/draft/add": self._draft_add,
        }
        route = routes.get(path)
        if route is None:
            self.calls.append(FakeCall(path, 0, 404))
            return web.Response(status=404, text="404 Not Found")
        try:
            self._check_ip(request)
            if fault is not None and fault.errcode is not None:
                raise _Refusal(fault.errcode)
            if path != "/cgi-bin/token":
                self._check_token(request)
                self._count(path)
            answer = await route(request)
        except _Refusal as refusal:
            return self._refuse(path, refusal.errcode, request)
        except Exception as exc:  # a bug in the fake: loud, never a plausible answer
            self.internal_errors.append(exc)
            self.calls.append(FakeCall(path, 0, 500))
            return web.Response(status=500, text=f"fake WeChat failed: {exc!r}")
        self.calls.append(FakeCall(path, 0))
        return self._json(answer)

    def _json(self, body: dict[str, Any]) -> web.Response:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        # WeChat's own (non-standard) content type: no charset the client could rely on.
        return web.Response(
            body=payload, headers={"Content-Type": "application/json; encoding=utf-8"}
        )

    def _refuse(self, path: str, errcode: int, request: web.Request) -> web.Response:
        self.calls.append(FakeCall(path, errcode))
        message = _MESSAGES.get(errcode, "unknown error")
        if errcode == 40164:
            ip = request.remote or "unknown"
            message = f"invalid ip {ip} ipv6 ::ffff:{ip}, not in whitelist"
        rid = secrets.token_hex(4) + "-" + secrets.token_hex(4)
        return self._json({"errcode": errcode, "errmsg": f"{message} rid: {rid}"})

    def _check_ip(self, request: web.Request) -> None:
        if self.whitelist is not None and request.remote not in self.whitelist:
            raise _Refusal(40164)

    def _check_token(self, request: web.Request) -> None:
        token = request.query.get("access_token")
        if not token:
            raise _Refusal(41001)
        if not token.isascii() or len(token) < 32:
            raise _Refusal(40014)
        expires_at = self._state.tokens.get(token)
        if expires_at is None:
            raise _Refusal(40001)
        if self._clock.now >= expires_at:
            raise _Refusal(42001)

    def _count(self, path: str) -> None:
        used = self._state.used.get(path, 0)
        if self.daily_quota is not None and used >= self.daily_quota:
            raise _Refusal(45009)
        self._state.used[path] = used + 1

    async def _token(self, request: web.Request) -> dict[str, Any]:
        if request.method != "GET":
            raise _Refusal(43001)
        query = request.query
        if query.get("grant_type") != "client_credential":
            raise _Refusal(40002)
        if not query.get("appid"):
            raise _Refusal(41002)
        if not query.get("secret"):
            raise _Refusal(41004)
        if query["appid"] != self.app_id:
            raise _Refusal(40013)
        if query["secret"] != self.app_secret:
            raise _Refusal(40125)
        now = self._clock.now
        # A new token retires the previous ones after a grace period, as WeChat does.
        for token, expires_at in list(self._state.tokens.items()):
            self._state.tokens[token] = min(expires_at, now + self.old_token_grace)
        token = secrets.token_urlsafe(96)
        self._state.tokens[token] = now + self.expires_in
        return {"access_token": token, "expires_in": self.expires_in}

    async def _upload(self, request: web.Request) -> tuple[str, bytes]:
        if request.method != "POST":
            raise _Refusal(43002)
        if not request.content_type.startswith("multipart/"):
            raise _Refusal(41005)
        reader = await request.multipart()
        async for part in reader:
            if isinstance(part, BodyPartReader) and part.name == "media":
                return part.filename or "", bytes(await part.read())
        raise _Refusal(41005)

    def _store(self, kind: str, filename: str, data: bytes, fmt: str) -> Material:
        media_id = secrets.token_urlsafe(48)
        url = f"http://mmbiz.qpic.cn/mmbiz_{fmt}/{secrets.token_urlsafe(24)}/0?wx_fmt={fmt}"
        material = Material(media_id, kind, filename, data, url)
        self._state.materials[media_id] = material
        return material

    async def _add_material(self, request: web.Request) -> dict[str, Any]:
        kind = request.query.get("type")
        if kind not in ("image", "thumb", "voice", "video"):
            raise _Refusal(40004)
        filename, data = await self._upload(request)
        if not data:
            raise _Refusal(44001)
        if kind not in ("image", "thumb"):
            raise _Refusal(40005)  # the fake keeps images only
        allowed = ("jpeg",) if kind == "thumb" else ("jpeg", "png", "gif", "bmp")
        fmt = _sniff(data)
        if fmt not in allowed or not filename.lower().endswith(_SUFFIXES[fmt]):
            raise _Refusal(40005)
        if len(data) > (64 << 10 if kind == "thumb" else 10 << 20):
            raise _Refusal(40009)
        material = self._store(kind, filename, data, fmt)
        return {"media_id": material.media_id, "url": material.url, "item": []}

    async def _uploadimg(self, request: web.Request) -> dict[str, Any]:
        filename, data = await self._upload(request)
        if not data:
            raise _Refusal(44001)
        fmt = _sniff(data)
        if fmt not in ("jpeg", "png") or not filename.lower().endswith(_SUFFIXES[fmt]):
            raise _Refusal(40005)
        if len(data) >= 1 << 20:
            raise _Refusal(40009)
        return {"url": self._store("article-image", filename, data, fmt).url}

    async def _draft_add(self, request: web.Request) -> dict[str, Any]:
        if request.method != "POST":
            raise _Refusal(43002)
        raw = await request.read()
        try:
            text = raw.decode("utf-8")
            body = json.loads(text)
        except (UnicodeDecodeError, ValueError):
            raise _Refusal(47001) from None
        articles = body.get("articles") if isinstance(body, dict) else None
        if not isinstance(articles, list) or not articles:
            raise _Refusal(44003)
        if len(articles) > 8:
            raise _Refusal(45008)
        # WeChat measures the title as sent: \uXXXX escapes count as six characters each.
        escaped_titles = [m.group(1) for m in _ESCAPED_TITLE.finditer(text)]
        for index, article in enumerate(articles):
            self._check_article(
                article, escaped_titles[index] if index < len(escaped_titles) else ""
            )
        media_id = secrets.token_urlsafe(48)
        self._state.drafts[media_id] = StoredDraft(media_id, articles)
        return {
            "media_id": media_id,
            "item": [{"index": i, "ad_count": 0} for i in range(len(articles))],
        }

    def _check_article(self, article: Any, raw_title: str) -> None:
        if not isinstance(article, dict):
            raise _Refusal(47001)
        title, content = article.get("title"), article.get("content")
        if not isinstance(title, str) or not title or not isinstance(content, str) or not content:
            raise _Refusal(47001)
        if len(title) > _TITLE_MAX or len(raw_title) > _TITLE_MAX:
            raise _Refusal(45003)
        author, digest = article.get("author", ""), article.get("digest", "")
        if not isinstance(author, str) or len(author) > _AUTHOR_MAX:
            raise _Refusal(45110)
        if not isinstance(digest, str) or len(digest) > _DIGEST_MAX:
            raise _Refusal(45004)
        if len(content) >= _CONTENT_MAX_CHARS:
            raise _Refusal(45002)
        thumb = self._state.materials.get(str(article.get("thumb_media_id", "")))
        if thumb is None or thumb.kind not in ("image", "thumb"):
            raise _Refusal(40007)
