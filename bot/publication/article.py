"""Read a published 公众号 article and compare its text with the approved text.

A WeChat article page (``https://mp.weixin.qq.com/s/...``) carries the title in
``<h1 class="rich_media_title" id="activity-name">`` and the body in
``<div class="rich_media_content" id="js_content">``: sections, paragraphs and ``<span leaf>``
runs, ``<br>``, lazy images (``data-src``), full-width punctuation. The text is read with the
standard library's HTML parser, one line per block, ``[图片]`` where an image stands.

Layout is not content: the comparison ignores whitespace and line breaks, the width of
punctuation (NFKC plus a few Chinese quotes and the full stop), zero-width characters and image
placeholders. What remains is diffed sentence by sentence and then character by character, so
a changed sentence is shown once, with exactly the changed characters marked.
"""

from __future__ import annotations

import difflib
import html
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from bot import texts

__all__ = [
    "DEFAULT_ARTICLE_BASE",
    "ArticleError",
    "ArticlePage",
    "ArticleReader",
    "ArticleUnavailable",
    "ArticleUnreachable",
    "Change",
    "Comparison",
    "compare_article",
    "compare_texts",
    "is_article_url",
    "parse_article_page",
    "render_comparison",
]

logger = logging.getLogger(__name__)

DEFAULT_ARTICLE_BASE = "https://mp.weixin.qq.com"
_ARTICLE_HOST = "mp.weixin.qq.com"
_MAX_PAGE_BYTES = 16 << 20  # real pages are about 3 MB, mostly scripts
# A changed block is compared character by character up to 400 by 400 characters (about 0.1 s
# at worst); a bigger one is marked as a whole.
INNER_CELLS = 160_000
# WeChat serves a reduced page, or a verification page, to clients that do not look like a phone.
_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50"
)


# --- Errors ------------------------------------------------------------------------------------


class ArticleError(Exception):
    """The article could not be read; ``message`` says why, in Chinese (Telegram HTML)."""

    transient = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ArticleUnreachable(ArticleError):
    """The network, a timeout, a 5xx or 429, WeChat's verification page: retry later."""

    transient = True


class ArticleUnavailable(ArticleError):
    """Not an article link, no such page, deleted, or no article body: retrying will not help."""


# --- Reading the page --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """What a published article says: its title, its text (one line per block) and images."""

    url: str
    title: str
    text: str
    images: tuple[str, ...]


def is_article_url(url: str) -> bool:
    """Whether ``url`` is a 公众号 article link (``https://mp.weixin.qq.com/s...``)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return (
        parts.scheme in ("https", "http")
        and parts.hostname == _ARTICLE_HOST
        and (parts.path == "/s" or parts.path.startswith("/s/"))
    )


_BLOCKS = frozenset(
    {
        "address", "article", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre",
        "section", "table", "tr", "ul",
    }
)  # fmt: skip
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "svg"})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class _PageParser(HTMLParser):
    """Collects the title and the body text of a WeChat article page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found_body = False
        self.og_title = ""
        self.images: list[str] = []
        self._title: list[str] = []
        self._in_title = 0  # depth inside h1#activity-name, 0 outside
        self._stack: list[tuple[str, bool]] = []  # open elements in the body: (tag, hidden)
        self._hidden = 0  # open hidden or skipped elements in the body
        self._parts: list[str] = []

    @property
    def title(self) -> str:
        return " ".join("".join(self._title).split()) or self.og_title.strip()

    @property
    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self._parts).split("\n"))
        return "\n".join(line for line in lines if line)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "meta" and attr.get("property") == "og:title":
            self.og_title = attr.get("content", "")
        if self._in_title:
            if tag not in _VOID:
                self._in_title += 1
        elif tag == "h1" and attr.get("id") == "activity-name":
            self._in_title = 1
        if not self._stack:
            if attr.get("id") == "js_content" and tag not in _VOID:
                self.found_body = True
                # The body itself is hidden until WeChat's script reveals it: not "hidden" here.
                self._stack.append((tag, False))
            return
        self._body_element(tag, attr)
        if tag not in _VOID:
            hidden = tag in _SKIPPED or bool(_HIDDEN.search(attr.get("style", "")))
            self._stack.append((tag, hidden))
            self._hidden += hidden

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._stack:
            self._body_element(tag, {k: v or "" for k, v in attrs})
        elif tag == "meta":
            self.handle_starttag(tag, attrs)

    def _body_element(self, tag: str, attr: dict[str, str]) -> None:
        if self._hidden:
            return
        if tag == "br" or tag in _BLOCKS:
            self._parts.append("\n")
        if tag == "img":
            source = attr.get("data-src") or attr.get("src") or ""
            self.images.append(source)
            self._parts.append(texts.ARTICLE_IMAGE)

    def handle_endtag(self, tag: str) -> None:
        if self._in_title:
            self._in_title -= 1
        if not self._stack or tag in _VOID:
            return
        # Close up to the matching open element, tolerating unclosed ones inside it.
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                for _, hidden in self._stack[depth:]:
                    self._hidden -= hidden
                del self._stack[depth:]
                if tag in _BLOCKS and not self._hidden:
                    self._parts.append("\n")
                return

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        if self._stack and not self._hidden:
            self._parts.append(data)


def parse_article_page(page: str, url: str = "") -> ArticlePage:
    """The title, text and images of a WeChat article page's HTML."""
    parser = _PageParser()
    parser.feed(page)
    parser.close()
    if not parser.found_body:
        # WeChat answers 200 with a notice page when an article is gone or wants verification.
        if "已被发布者删除" in page or ("违反" in page and "无法查看" in page):
            raise ArticleUnavailable(texts.ARTICLE_DELETED)
        if "环境异常" in page or "完成验证" in page:
            raise ArticleUnreachable(texts.ARTICLE_VERIFY)
        raise ArticleUnavailable(texts.ARTICLE_NO_BODY)
    return ArticlePage(url, parser.title, parser.text, tuple(parser.images))


class ArticleReader:
    """Fetches article pages; ``base_url`` replaces ``https://mp.weixin.qq.com`` (tests).

    Proxies come from the environment (``HTTPS_PROXY``, ``NO_PROXY``) through httpx's
    ``trust_env``, unless the caller supplies its own ``http`` client.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_ARTICLE_BASE,
        timeout: float = 30.0,
        http: httpx.AsyncClient | None = None,
        user_agent: str = _USER_AGENT,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(
            timeout=timeout, trust_env=True, follow_redirects=True
        )
        self._headers = {"User-Agent": user_agent, "Accept-Language": "zh-CN,zh;q=0.9"}

    async def __aenter__(self) -> ArticleReader:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    def target(self, url: str) -> str:
        """The address actually fetched for the article link ``url``."""
        if not is_article_url(url):
            raise ArticleUnavailable(texts.ARTICLE_NOT_WECHAT.format(url=html.escape(url)))
        parts = urlsplit(url.strip())
        return self._base + parts.path + (f"?{parts.query}" if parts.query else "")

    async def fetch(self, url: str) -> ArticlePage:
        """Read the article at ``url``; raises ``ArticleUnreachable`` when a retry may help."""
        target = self.target(url)
        try:
            async with self._http.stream("GET", target, headers=self._headers) as response:
                status = response.status_code
                if status >= 500 or status == 429:
                    raise ArticleUnreachable(texts.ARTICLE_HTTP_RETRY.format(status=status))
                if status != 200:
                    raise ArticleUnavailable(texts.ARTICLE_HTTP_GONE.format(status=status))
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > _MAX_PAGE_BYTES:
                        limit = f"{_MAX_PAGE_BYTES >> 20} MB"
                        raise ArticleUnavailable(texts.ARTICLE_TOO_LARGE.format(limit=limit))
                encoding = response.charset_encoding or "utf-8"
        except httpx.TransportError as exc:  # refused, reset, closed early, timeouts, proxy
            detail = html.escape(f"{type(exc).__name__}: {exc}".rstrip(": "))
            raise ArticleUnreachable(texts.ARTICLE_UNREACHABLE.format(detail=detail)) from exc
        try:
            page = bytes(body).decode(encoding, errors="replace")
        except LookupError:
            page = bytes(body).decode("utf-8", errors="replace")
        return parse_article_page(page, url.strip())


# --- Comparing ---------------------------------------------------------------------------------

# After NFKC (which folds full-width ASCII forms and the ideographic space): the marks NFKC
# leaves alone but an editor's layout may swap.
_PUNCTUATION = str.maketrans(
    {
        "。": ".", "｡": ".", "“": '"', "”": '"', "„": '"', "‟": '"', "〝": '"', "〞": '"',
        "「": '"', "」": '"', "『": '"', "』": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'",
    }
)  # fmt: skip
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_PLACEHOLDER = re.compile(r"\[(?:图片|图|image|img|photo)\s*\d*\]|【(?:图片|图)\s*\d*】", re.I)
_SENTENCE_END = frozenset(".!?;")


@dataclass(frozen=True, slots=True)
class _Canon:
    """A text reduced to what matters, with each character's position in the original."""

    original: str
    chars: str
    origin: tuple[int, ...]


def _canon(text: str) -> _Canon:
    text = unicodedata.normalize("NFC", text)
    skipped: set[int] = set()
    for found in _PLACEHOLDER.finditer(text):
        skipped.update(range(found.start(), found.end()))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if index in skipped or char in _INVISIBLE:
            continue
        for out in unicodedata.normalize("NFKC", char).translate(_PUNCTUATION):
            if out.isspace() or out in _INVISIBLE:
                continue
            chars.append(out)
            origin.append(index)
    return _Canon(text, "".join(chars), tuple(origin))


def _sentences(chars: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for index, char in enumerate(chars):
        if char in _SENTENCE_END and (index + 1 == len(chars) or chars[index + 1] not in "\"'"):
            spans.append((start, index + 1))
            start = index + 1
        elif char in "\"'" and index > 0 and chars[index - 1] in _SENTENCE_END:
            spans.append((start, index + 1))  # a closing quote after the full stop
            start = index + 1
    if start < len(chars):
        spans.append((start, len(chars)))
    return spans


@dataclass(frozen=True, slots=True)
class Change:
    """One place where the page differs: the approved and the published wording of the
    sentence(s) involved, and the character ranges within each that differ."""

    kind: str  # "replace", "delete" (missing on the page) or "insert" (added on the page)
    approved: str
    published: str
    approved_marks: tuple[tuple[int, int], ...]
    published_marks: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """The approved text against the published one: ``matches``, or the ``changes``."""

    changes: tuple[Change, ...]

    @property
    def matches(self) -> bool:
        return not self.changes


def _display(canon: _Canon, start: int, end: int) -> tuple[str, int]:
    """The original text of canonical chars [start, end) and where it starts in the original."""
    if start >= end:
        return "", 0
    first, last = canon.origin[start], canon.origin[end - 1]
    return canon.original[first : last + 1], first


def _marks(canon: _Canon, base: int, start: int, end: int) -> tuple[int, int] | None:
    if start >= end:
        return None
    return canon.origin[start] - base, canon.origin[end - 1] + 1 - base


def _change(a: _Canon, b: _Canon, a_span: tuple[int, int], b_span: tuple[int, int]) -> Change:
    approved, a_base = _display(a, *a_span)
    published, b_base = _display(b, *b_span)
    a_marks: list[tuple[int, int]] = []
    b_marks: list[tuple[int, int]] = []
    kind = "replace" if approved and published else "delete" if approved else "insert"
    if (a_span[1] - a_span[0]) * (b_span[1] - b_span[0]) > INNER_CELLS:
        # Character by character costs up to cubic time on repetitive text: a block this big
        # is marked changed as a whole.
        whole_a = ((0, len(approved)),) if approved else ()
        whole_b = ((0, len(published)),) if published else ()
        return Change(kind, approved, published, whole_a, whole_b)
    inner = difflib.SequenceMatcher(
        None, a.chars[a_span[0] : a_span[1]], b.chars[b_span[0] : b_span[1]], autojunk=False
    )
    for tag, i1, i2, j1, j2 in inner.get_opcodes():
        if tag == "equal":
            continue
        a_mark = _marks(a, a_base, a_span[0] + i1, a_span[0] + i2)
        b_mark = _marks(b, b_base, b_span[0] + j1, b_span[0] + j2)
        if a_mark is not None:
            a_marks.append(a_mark)
        if b_mark is not None:
            b_marks.append(b_mark)
    return Change(kind, approved, published, tuple(a_marks), tuple(b_marks))


def compare_texts(approved: str, published: str) -> Comparison:
    """Compare two texts, ignoring layout; a changed sentence yields one ``Change``."""
    a, b = _canon(approved), _canon(published)
    if a.chars == b.chars:
        return Comparison(())
    a_spans, b_spans = _sentences(a.chars), _sentences(b.chars)
    outer = difflib.SequenceMatcher(
        None,
        [a.chars[s:e] for s, e in a_spans],
        [b.chars[s:e] for s, e in b_spans],
        autojunk=False,
    )
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in outer.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            # As many sentences on each side: each was edited in place; show them one by one.
            changes.extend(
                _change(a, b, a_spans[i], b_spans[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
            continue
        a_span = (a_spans[i1][0], a_spans[i2 - 1][1]) if i2 > i1 else (0, 0)
        b_span = (b_spans[j1][0], b_spans[j2 - 1][1]) if j2 > j1 else (0, 0)
        changes.append(_change(a, b, a_span, b_span))
    return Comparison(tuple(changes))


def compare_article(page: ArticlePage, approved_text: str) -> Comparison:
    """Compare a published page with the approved text.

    The page shows the title apart from the body; when the approved text begins with the
    title (as a submitted draft usually does), the title is compared as part of the text.
    """
    published = page.text
    title = _canon(page.title).chars
    if title and _canon(approved_text).chars.startswith(title):
        published = f"{page.title}\n{published}"
    return compare_texts(approved_text, published)


def _render_marked(text: str, marks: Sequence[tuple[int, int]], tag: str, max_chars: int) -> str:
    if not text:
        return texts.ARTICLE_CHANGE_NOTHING
    shown = text[:max_chars]
    pieces: list[str] = []
    position = 0
    for start, end in marks:
        if start >= len(shown):
            break
        end = min(end, len(shown))
        pieces.append(html.escape(shown[position:start]))
        pieces.append(f"<{tag}>{html.escape(shown[start:end])}</{tag}>")
        position = end
    pieces.append(html.escape(shown[position:]))
    rendered = " ".join("".join(pieces).split())
    if len(text) > max_chars:
        rendered += texts.ARTICLE_CHANGE_CUT.format(length=len(text), shown=max_chars)
    return rendered


def render_comparison(comparison: Comparison, *, limit: int = 10, max_chars: int = 300) -> str:
    """The comparison as Telegram HTML: the verdict, then each change with the approved words
    struck through and the page's words underlined.

    At most ``limit`` changes are listed and ``max_chars`` characters of each side shown (a
    wrong link compares a whole other article); the message says what it leaves out, and the
    ``Comparison`` itself keeps everything for the record.
    """
    if comparison.matches:
        return texts.ARTICLE_MATCH
    lines = [texts.ARTICLE_DIFFERS.format(count=len(comparison.changes))]
    for n, change in enumerate(comparison.changes[:limit], start=1):
        lines.append(
            texts.ARTICLE_CHANGE.format(
                n=n,
                kind=texts.ARTICLE_CHANGE_KINDS[change.kind],
                approved=_render_marked(change.approved, change.approved_marks, "s", max_chars),
                published=_render_marked(change.published, change.published_marks, "u", max_chars),
            )
        )
    if len(comparison.changes) > limit:
        lines.append(texts.ARTICLE_MORE_CHANGES.format(count=len(comparison.changes) - limit))
    return "\n\n".join(lines)
