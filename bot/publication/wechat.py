"""A small async client for the WeChat official-account (公众号) API: token, images, draft box.

The maintained Python SDKs are synchronous or lack the draft API, so this speaks the few calls
the bot needs over httpx, with the request and answer shapes of WeChat's documentation:

* ``GET /cgi-bin/token?grant_type=client_credential&appid=&secret=`` -> ``access_token``,
  ``expires_in`` (seconds, at most 7200). Fetching a new token retires the old one after a few
  minutes, so the token is cached and fetched by one caller at a time.
* ``POST /cgi-bin/material/add_material?type=image`` (multipart field ``media``) -> ``media_id``,
  ``url``: a permanent image, usable as a cover (``thumb_media_id``).
* ``POST /cgi-bin/media/uploadimg`` (multipart ``media``) -> ``url``: an image for the article
  body; WeChat drops images from any other host.
* ``POST /cgi-bin/draft/add`` with ``{"articles": [...]}`` -> ``media_id`` of the draft.

Every answer is HTTP 200; a failure is ``{"errcode": N, "errmsg": "..."}``. Each error becomes a
typed exception carrying a Chinese message for the admins and whether retrying can help.
Proxies come from the environment (``HTTPS_PROXY``, ``NO_PROXY``): httpx's ``trust_env``.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar

import httpx

from bot import texts

__all__ = [
    "ARTICLE_IMAGE_KINDS",
    "ARTICLE_IMAGE_MAX_BYTES",
    "AUTHOR_MAX_CHARS",
    "CONTENT_MAX_CHARS",
    "COVER_IMAGE_KINDS",
    "COVER_IMAGE_MAX_BYTES",
    "DEFAULT_BASE_URL",
    "DIGEST_MAX_CHARS",
    "TITLE_MAX_CHARS",
    "DraftArticle",
    "ImageInfo",
    "LimitProblem",
    "UploadedImage",
    "WeChatApiError",
    "WeChatClient",
    "WeChatCredentialsError",
    "WeChatError",
    "WeChatLimitError",
    "WeChatMediaError",
    "WeChatQuotaError",
    "WeChatTransientError",
    "check_draft_limits",
    "error_for",
    "sniff_image_kind",
    "text_to_content_html",
]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.weixin.qq.com"

# WeChat's limits, from its documentation (developers.weixin.qq.com/doc/subscription/api/):
# draftbox/draftmanage/api_draft_add (changelog of 2025-12-19): title "总长度不超过32个字",
# author "不超过16个字", digest "不超过128个字", content "必须少于2万字符，小于1M";
# material/permanent/api_uploadimage: body images "仅支持jpg/png格式，大小必须在1MB以下";
# material/permanent/api_addmaterial: image material "10M，支持bmp/png/jpeg/jpg/gif格式".
# "字" counts characters (a Chinese character is one) provided the JSON is sent as UTF-8, not
# with \uXXXX escapes, which the docs warn against and which this client never sends.
TITLE_MAX_CHARS = 32
AUTHOR_MAX_CHARS = 16
DIGEST_MAX_CHARS = 128
# Content is also documented as "小于1M", but under 20,000 characters UTF-8 stays below 80 KB.
CONTENT_MAX_CHARS = 20_000  # exclusive
ARTICLE_IMAGE_KINDS = ("jpeg", "png")
ARTICLE_IMAGE_MAX_BYTES = 1 << 20  # exclusive
COVER_IMAGE_KINDS = ("jpeg", "png", "gif", "bmp")
COVER_IMAGE_MAX_BYTES = 10 << 20  # inclusive

_KIND_NAMES = {"jpeg": "JPG", "png": "PNG", "gif": "GIF", "bmp": "BMP", "webp": "WebP"}
_KIND_MIME = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "webp": "image/webp",
}
_KIND_SUFFIXES = {
    "jpeg": (".jpg", ".jpeg"),
    "png": (".png",),
    "gif": (".gif",),
    "bmp": (".bmp",),
    "webp": (".webp",),
}

# The token the call carried is stale: fetch a new one and retry once.
_TOKEN_CODES = frozenset({40001, 40014, 42001})
_CREDENTIAL_CODES = frozenset({40001, 40013, 40125, 40164, 40243, 41002, 41004})
_QUOTA_RETRY_AFTER = {45009: 3600.0, 45011: 60.0}
_LIMIT_FIELDS = {45002: "content", 45003: "title", 45004: "digest", 45110: "author"}
_MEDIA_CODES = frozenset({40004, 40005, 40006, 40007, 40009, 44001, 45001})
_IP_IN_ERRMSG = re.compile(r"invalid ip ([0-9A-Fa-f.:]+)")


# --- Errors ------------------------------------------------------------------------------------


class WeChatError(Exception):
    """A WeChat call failed; ``message`` tells the admins what happened and what to do."""

    transient: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        errmsg: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{code}: {errmsg}" if code is not None else message)
        self.message = message
        self.code = code
        self.errmsg = errmsg
        self.retry_after = retry_after


class WeChatTransientError(WeChatError):
    """System busy (-1), the network, a 5xx, an unreadable answer: retrying later can help."""

    transient = True


class WeChatQuotaError(WeChatError):
    """The call quota is spent (45009 daily, 45011 per minute): retry after ``retry_after``."""

    transient = True


class WeChatCredentialsError(WeChatError):
    """WeChat refuses the account's credentials: wrong AppID/AppSecret, IP not whitelisted."""


class WeChatLimitError(WeChatError):
    """A field is beyond WeChat's limit (title, author, digest, content); ``field`` names it."""

    def __init__(self, message: str, *, field: str, code: int, errmsg: str) -> None:
        super().__init__(message, code=code, errmsg=errmsg)
        self.field = field


class WeChatMediaError(WeChatError):
    """An image or material is refused: wrong type, too large, empty, or unknown media id."""


class WeChatApiError(WeChatError):
    """Any other refusal (e.g. 48001, the account lacks the API permission): not retried."""


def _strip_rid(errmsg: str) -> str:
    # WeChat appends a request id ("... rid: 65a1...") that means nothing to an admin.
    return errmsg.split(" rid:", 1)[0].split(" hint:", 1)[0].strip()


def error_for(code: int, errmsg: str = "", *, token_refreshed: bool = False) -> WeChatError:
    """The typed error for WeChat's ``errcode``; ``token_refreshed``: a fresh token was refused."""
    shown = html.escape(_strip_rid(errmsg))
    template = texts.WECHAT_ERROR_TEXTS.get(code)
    if code in _TOKEN_CODES and token_refreshed:
        message = texts.WECHAT_ERROR_TOKEN_AGAIN.format(code=code)
        return WeChatCredentialsError(message, code=code, errmsg=errmsg)
    if code == 40164:
        found = _IP_IN_ERRMSG.search(errmsg)
        ip = found.group(1) if found else texts.WECHAT_IP_UNKNOWN
        message = texts.WECHAT_ERROR_TEXTS[40164].format(ip=html.escape(ip))
        return WeChatCredentialsError(message, code=code, errmsg=errmsg)
    if template is None:
        message = texts.WECHAT_ERROR_UNKNOWN.format(code=code, errmsg=shown or "—")
        return WeChatApiError(message, code=code, errmsg=errmsg)
    if code == -1:
        return WeChatTransientError(template, code=code, errmsg=errmsg, retry_after=30.0)
    if code in _QUOTA_RETRY_AFTER:
        retry_after = _QUOTA_RETRY_AFTER[code]
        return WeChatQuotaError(template, code=code, errmsg=errmsg, retry_after=retry_after)
    if code in _CREDENTIAL_CODES or code in _TOKEN_CODES:
        return WeChatCredentialsError(template, code=code, errmsg=errmsg)
    if code in _LIMIT_FIELDS:
        return WeChatLimitError(template, field=_LIMIT_FIELDS[code], code=code, errmsg=errmsg)
    if code in _MEDIA_CODES:
        return WeChatMediaError(template, code=code, errmsg=errmsg)
    return WeChatApiError(template, code=code, errmsg=errmsg)


# --- What goes in and comes out ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftArticle:
    """One article of a draft (``article_type`` news), as ``draft/add`` takes it."""

    title: str
    content: str  # HTML; images must be URLs returned by ``upload_article_image``
    thumb_media_id: str  # a permanent image from ``upload_image``
    author: str = ""
    digest: str = ""  # empty: WeChat shows the first 54 characters of the text
    content_source_url: str = ""  # the "阅读原文" link
    need_open_comment: bool = False
    only_fans_can_comment: bool = False

    def to_json(self) -> dict[str, Any]:
        """The article object of the request body."""
        body: dict[str, Any] = {
            "article_type": "news",
            "title": self.title,
            "content": self.content,
            "thumb_media_id": self.thumb_media_id,
            "need_open_comment": int(self.need_open_comment),
            "only_fans_can_comment": int(self.only_fans_can_comment),
        }
        # Optional fields are left out rather than sent empty, so WeChat applies its defaults.
        for key in ("author", "digest", "content_source_url"):
            value = getattr(self, key)
            if value:
                body[key] = value
        return body


@dataclass(frozen=True, slots=True)
class UploadedImage:
    """A permanent image material: its ``media_id`` (for covers) and WeChat's URL of it."""

    media_id: str
    url: str


# --- Limits, checked before anyone reviews -----------------------------------------------------


def sniff_image_kind(data: bytes) -> str | None:
    """The image format from the file's first bytes: jpeg, png, gif, bmp, webp, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data.startswith(b"BM") and len(data) >= 14:
        return "bmp"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What the limit check needs to know of an image: its name, size and sniffed format."""

    name: str
    size: int
    kind: str | None

    @classmethod
    def of(cls, name: str, data: bytes) -> ImageInfo:
        """Describe the image ``data`` named ``name``."""
        return cls(name, len(data), sniff_image_kind(data))


@dataclass(frozen=True, slots=True)
class LimitProblem:
    """One way a draft exceeds WeChat's limits; ``field`` is title, author, digest, content,
    cover or image, and ``message`` says it in Chinese (Telegram HTML, user text escaped)."""

    field: str
    message: str


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KB"
    return f"{n} B"


def _kinds(kinds: Sequence[str]) -> str:
    return "、".join(_KIND_NAMES[k] for k in kinds)


def _image_problem(
    image: ImageInfo, kinds: Sequence[str], max_bytes: int, *, cover: bool
) -> LimitProblem | None:
    field = "cover" if cover else "image"
    name = html.escape(image.name)
    if image.size == 0:
        return LimitProblem(field, texts.WECHAT_LIMIT_IMAGE_EMPTY.format(name=name))
    if image.kind is None:
        message = texts.WECHAT_LIMIT_NOT_IMAGE.format(name=name, allowed=_kinds(kinds))
        return LimitProblem(field, message)
    if image.kind not in kinds:
        template = texts.WECHAT_LIMIT_COVER_TYPE if cover else texts.WECHAT_LIMIT_IMAGE_TYPE
        message = template.format(name=name, kind=_KIND_NAMES[image.kind], allowed=_kinds(kinds))
        return LimitProblem(field, message)
    too_big = image.size > max_bytes if cover else image.size >= max_bytes
    if too_big:
        template = texts.WECHAT_LIMIT_COVER_SIZE if cover else texts.WECHAT_LIMIT_IMAGE_SIZE
        message = template.format(name=name, size=_size(image.size), limit=_size(max_bytes))
        return LimitProblem(field, message)
    return None


def check_draft_limits(
    *,
    title: str,
    content: str,
    author: str = "",
    digest: str = "",
    cover: ImageInfo | None = None,
    images: Sequence[ImageInfo] = (),
    require_cover: bool = False,
) -> list[LimitProblem]:
    """Every way this article would be refused by ``draft/add`` or the image uploads.

    ``content`` is the HTML that would be sent (see ``text_to_content_html``); ``images`` are the
    body's images (uploaded with ``uploadimg``), ``cover`` the cover (``add_material``).
    An empty list means WeChat's documented limits are met.
    """
    problems: list[LimitProblem] = []
    stripped_title = title.strip()
    if not stripped_title:
        problems.append(LimitProblem("title", texts.WECHAT_LIMIT_TITLE_EMPTY))
    elif len(stripped_title) > TITLE_MAX_CHARS:
        message = texts.WECHAT_LIMIT_TITLE.format(length=len(stripped_title), limit=TITLE_MAX_CHARS)
        problems.append(LimitProblem("title", message))
    if len(author.strip()) > AUTHOR_MAX_CHARS:
        message = texts.WECHAT_LIMIT_AUTHOR.format(
            length=len(author.strip()), limit=AUTHOR_MAX_CHARS
        )
        problems.append(LimitProblem("author", message))
    if len(digest.strip()) > DIGEST_MAX_CHARS:
        message = texts.WECHAT_LIMIT_DIGEST.format(
            length=len(digest.strip()), limit=DIGEST_MAX_CHARS
        )
        problems.append(LimitProblem("digest", message))
    if not content.strip():
        problems.append(LimitProblem("content", texts.WECHAT_LIMIT_CONTENT_EMPTY))
    elif len(content) >= CONTENT_MAX_CHARS:
        message = texts.WECHAT_LIMIT_CONTENT_CHARS.format(
            length=len(content), limit=CONTENT_MAX_CHARS
        )
        problems.append(LimitProblem("content", message))
    if cover is None:
        if require_cover:
            problems.append(LimitProblem("cover", texts.WECHAT_LIMIT_COVER_MISSING))
    else:
        found = _image_problem(cover, COVER_IMAGE_KINDS, COVER_IMAGE_MAX_BYTES, cover=True)
        if found is not None:
            problems.append(found)
    for image in images:
        found = _image_problem(image, ARTICLE_IMAGE_KINDS, ARTICLE_IMAGE_MAX_BYTES, cover=False)
        if found is not None:
            problems.append(found)
    return problems


def text_to_content_html(text: str, image_urls: Sequence[str] = ()) -> str:
    """Plain approved text as WeChat article HTML: one ``<p>`` per line, images at the end.

    Blank lines become empty paragraphs so the spacing the reviewers saw is kept; the text is
    escaped, never interpreted as markup.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    parts = [f"<p>{html.escape(line)}</p>" if line.strip() else "<p><br></p>" for line in lines]
    parts.extend(f'<p><img src="{html.escape(url, quote=True)}"></p>' for url in image_urls)
    return "".join(parts)


# --- The client --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    value: str
    refresh_at: float


class WeChatClient:
    """The official account's API: one instance per account, shared by the whole bot.

    ``clock`` is monotonic seconds (tests pass a fake one). ``http`` lets the caller supply its
    own ``httpx.AsyncClient``; otherwise one is made with ``trust_env`` so ``HTTPS_PROXY`` and
    ``NO_PROXY`` apply, and closed by ``aclose``.
    """

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        refresh_margin: float = 300.0,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self._app_id = app_id
        self._secret = app_secret
        self._base = base_url.rstrip("/")
        self._clock = clock
        self._margin = refresh_margin
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout, trust_env=True)
        self._token: _Token | None = None
        self._token_lock = asyncio.Lock()

    @property
    def base_url(self) -> str:
        """Where the API is reached (WeChat's by default, a local fake in tests)."""
        return self._base

    async def __aenter__(self) -> WeChatClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this instance made it."""
        if self._owns_http:
            await self._http.aclose()

    # Token ------------------------------------------------------------------------------------

    async def access_token(self) -> str:
        """A valid access token: the cached one, or a new one shortly before it expires."""
        async with self._token_lock:
            token = self._token
            if token is not None and self._clock() < token.refresh_at:
                return token.value
            self._token = await self._fetch_token()
            return self._token.value

    def forget_token(self, stale: str | None = None) -> None:
        """Drop the cached token (only if it is still ``stale``, when given)."""
        if self._token is not None and (stale is None or self._token.value == stale):
            self._token = None

    async def _fetch_token(self) -> _Token:
        params = {"grant_type": "client_credential", "appid": self._app_id, "secret": self._secret}
        answer = await self._send("GET", "/cgi-bin/token", params=params)
        code = _errcode(answer)
        if code:
            raise error_for(code, str(answer.get("errmsg", "")))
        value = answer.get("access_token")
        expires_in = answer.get("expires_in")
        if not isinstance(value, str) or not value or not isinstance(expires_in, int | float):
            raise self._unreadable("access_token/expires_in")
        # Refresh ahead of expiry, but never sooner than halfway through a short-lived token.
        lifetime = max(float(expires_in) - self._margin, float(expires_in) / 2)
        logger.info("WeChat access token fetched, valid for %ss", expires_in)
        return _Token(value, self._clock() + lifetime)

    # Calls ------------------------------------------------------------------------------------

    async def upload_image(self, data: bytes, filename: str) -> UploadedImage:
        """Upload a permanent image material (e.g. the cover); returns its media id and URL."""
        answer = await self._call(
            "POST",
            "/cgi-bin/material/add_material",
            params={"type": "image"},
            files={"media": _image_part(data, filename)},
        )
        media_id, url = answer.get("media_id"), answer.get("url", "")
        if not isinstance(media_id, str) or not media_id or not isinstance(url, str):
            raise self._unreadable("media_id")
        return UploadedImage(media_id, url)

    async def upload_article_image(self, data: bytes, filename: str) -> str:
        """Upload an image for the article body; returns the URL to put in the content HTML."""
        answer = await self._call(
            "POST", "/cgi-bin/media/uploadimg", files={"media": _image_part(data, filename)}
        )
        url = answer.get("url")
        if not isinstance(url, str) or not url:
            raise self._unreadable("url")
        return url

    async def add_draft(self, articles: DraftArticle | Sequence[DraftArticle]) -> str:
        """Put the article(s) in the official account's draft box; returns the draft's media id."""
        items = [articles] if isinstance(articles, DraftArticle) else list(articles)
        # UTF-8 as is: with \\uXXXX escapes WeChat measures the escaped text and refuses titles.
        body = json.dumps({"articles": [a.to_json() for a in items]}, ensure_ascii=False)
        answer = await self._call(
            "POST",
            "/cgi-bin/draft/add",
            content=body.encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        media_id = answer.get("media_id")
        if not isinstance(media_id, str) or not media_id:
            raise self._unreadable("media_id")
        return media_id

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        **request: Any,
    ) -> dict[str, Any]:
        for attempt in (1, 2):
            token = await self.access_token()
            answer = await self._send(
                method, path, params={**(params or {}), "access_token": token}, **request
            )
            code = _errcode(answer)
            if not code:
                return answer
            if code in _TOKEN_CODES and attempt == 1:
                logger.info("WeChat refused the access token (%s); fetching a new one", code)
                self.forget_token(token)
                continue
            raise error_for(code, str(answer.get("errmsg", "")), token_refreshed=attempt == 2)
        raise AssertionError("unreachable")  # the loop returns or raises

    async def _send(
        self, method: str, path: str, *, params: Mapping[str, str], **request: Any
    ) -> dict[str, Any]:
        try:
            response = await self._http.request(
                method, self._base + path, params=dict(params), **request
            )
        except httpx.TransportError as exc:  # connect, read, write, timeouts, proxy errors
            detail = html.escape(self._redact(f"{type(exc).__name__}: {exc}".rstrip(": ")))
            raise WeChatTransientError(texts.WECHAT_ERROR_NETWORK.format(detail=detail)) from exc
        status = response.status_code
        if status >= 500 or status == 429:
            raise WeChatTransientError(texts.WECHAT_ERROR_HTTP.format(status=status))
        if status != 200:
            raise WeChatApiError(texts.WECHAT_ERROR_HTTP_PERMANENT.format(status=status))
        try:
            # WeChat often omits the charset; its answers are UTF-8.
            answer = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self._unreadable("not JSON") from None
        if not isinstance(answer, dict):
            raise self._unreadable("not a JSON object")
        return answer

    def _redact(self, text: str) -> str:
        text = text.replace(self._secret, "***") if self._secret else text
        if self._token is not None:
            text = text.replace(self._token.value, "***")
        return text

    @staticmethod
    def _unreadable(detail: str) -> WeChatTransientError:
        return WeChatTransientError(texts.WECHAT_ERROR_RESPONSE.format(detail=detail))


def _errcode(answer: Mapping[str, Any]) -> int:
    code = answer.get("errcode", 0)
    return code if isinstance(code, int) else -1


def _image_part(data: bytes, filename: str) -> tuple[str, bytes, str]:
    kind = sniff_image_kind(data)
    if kind is None:
        return filename, data, "application/octet-stream"
    # WeChat judges the type by the file name too: give it the suffix of what the bytes are.
    suffixes = _KIND_SUFFIXES[kind]
    if not filename.lower().endswith(suffixes):
        filename = f"{filename.rsplit('.', 1)[0] or 'image'}{suffixes[0]}"
    return filename, data, _KIND_MIME[kind]
