"""A local server of 公众号 article pages, from fixtures, on 127.0.0.1.

``/s/match`` is the approved notice as WeChat lays it out (sections, ``<span leaf>`` runs,
``<br>``, lazy images, full-width punctuation and indentation); ``/s/changed`` is the same page
with one sentence altered; ``/s/deleted`` is WeChat's notice for a removed article; ``/s/verify``
its "环境异常" verification page; ``/s/busy`` answers 503 and ``/s/hangup`` closes the connection
without answering. Any other path is 404. Tests may add pages with ``add``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import web

from tests.fakes.server import FakeServer

__all__ = [
    "APPROVED_TEXT",
    "APPROVED_TITLE",
    "CHANGED_SENTENCE",
    "ArticlePages",
    "article_url",
    "match_page",
]

_PAGES = Path(__file__).with_name("pages")

APPROVED_TITLE = "关于举办第十届校园歌手大赛的通知"
# As the officer submitted it and the three tiers approved it: half-width punctuation in
# places, its own line breaks, no images.
APPROVED_TEXT = """关于举办第十届校园歌手大赛的通知

各学院团委、各班级:

为丰富同学们的课余文化生活,展现当代大学生的青春风采,校学生会定于2026年12月18日(星期五)19:00在大学生活动中心举办第十届校园歌手大赛。现将有关事项通知如下:

一、参赛对象
全校在读本科生、研究生均可报名,可个人或组合参赛(组合不超过3人)。

二、报名方式
请于12月11日前将报名表发送至邮箱 gszx@example.edu.cn,邮件标题注明"歌手大赛+姓名+学院"。

三、比赛安排
初赛采用清唱形式,每人演唱时间不超过2分钟;复赛与决赛可使用伴奏。

欢迎广大同学踊跃参加!

校学生会文艺部
2026年12月4日
"""
# The sentence as the page has it, and as the altered page has it.
CHANGED_SENTENCE = (
    "初赛采用清唱形式，每人演唱时间不超过2分钟；",
    "初赛采用伴奏形式，每人演唱时间不超过3分钟；",
)

_DELETED = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>微信公众平台</title></head>
<body><div class="weui-msg"><div class="weui-msg__text-area">
<h2 class="weui-msg__title">该内容已被发布者删除</h2></div></div></body></html>"""
_VERIFY = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>微信公众平台</title></head>
<body><div class="weui-msg"><p class="weui-msg__title">环境异常</p>
<p class="weui-msg__desc">当前环境异常，完成验证后即可继续访问。</p>
<a class="weui-btn weui-btn_primary" href="#">去验证</a></div></body></html>"""


def match_page() -> str:
    """The fixture page that matches ``APPROVED_TEXT``."""
    return (_PAGES / "match.html").read_text(encoding="utf-8")


def article_url(slug: str) -> str:
    """The real-looking link of a page served here (the reader maps it to the server)."""
    return f"https://mp.weixin.qq.com/s/{slug}"


class ArticlePages(FakeServer):
    """``async with ArticlePages() as pages:``; read through ``ArticleReader(base_url=...)``."""

    def __init__(self) -> None:
        super().__init__()
        matching = match_page()
        old, new = CHANGED_SENTENCE
        if old not in matching:
            raise AssertionError("the fixture no longer contains the sentence to change")
        self.pages: dict[str, str] = {
            "match": matching,
            "changed": matching.replace(old, new),
            "deleted": _DELETED,
            "verify": _VERIFY,
        }
        self.requests: list[str] = []
        self.user_agents: list[str] = []

    def add(self, slug: str, page: str) -> str:
        """Serve ``page`` at ``/s/<slug>``; returns its article link."""
        self.pages[slug] = page
        return article_url(slug)

    def routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/s/{slug}", self._page)

    async def _page(self, request: web.Request) -> web.StreamResponse:
        slug = request.match_info["slug"]
        self.requests.append(slug)
        self.user_agents.append(request.headers.get("User-Agent", ""))
        if slug == "busy":
            return web.Response(
                status=503, text="<html><body>503 Service Unavailable</body></html>"
            )
        if slug == "hangup":
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError  # the connection is gone: nothing more to send
        page = self.pages.get(slug)
        if page is None:
            return web.Response(status=404, text="<html><body>404 Not Found</body></html>")
        return web.Response(text=page, content_type="text/html", charset="utf-8")
