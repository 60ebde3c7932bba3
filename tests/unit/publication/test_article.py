"""The published 公众号 article is read from its page and compared with the approved text."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest

from bot import texts
from bot.publication import article
from bot.publication.article import (
    ArticleReader,
    ArticleUnavailable,
    ArticleUnreachable,
    compare_article,
    compare_texts,
    is_article_url,
    parse_article_page,
    render_comparison,
)
from tests.fakes.article_pages import (
    APPROVED_TEXT,
    APPROVED_TITLE,
    CHANGED_SENTENCE,
    ArticlePages,
    article_url,
    match_page,
)


@pytest.fixture
async def pages() -> AsyncIterator[ArticlePages]:
    async with ArticlePages() as server:
        yield server


@pytest.fixture
async def reader(pages: ArticlePages) -> AsyncIterator[ArticleReader]:
    async with ArticleReader(base_url=pages.base_url, timeout=5.0) as client:
        yield client


# --- Reading a page ----------------------------------------------------------------------------


def test_the_page_gives_its_title_text_and_images() -> None:
    page = parse_article_page(match_page(), article_url("match"))
    assert page.title == APPROVED_TITLE
    lines = page.text.split("\n")
    assert lines[1] == "各学院团委、各班级："
    # Spans of one paragraph join into one line; the full-width indentation is layout.
    assert lines[2].startswith("为丰富同学们的课余文化生活，展现当代大学生的青春风采，校学生会")
    assert "2026年12月5日" not in page.text  # the page's meta line is not the article
    assert "扫一扫" not in page.text and "first_sceen__time" not in page.text
    assert page.text.count(texts.ARTICLE_IMAGE) == 2
    assert page.images == (
        "https://mmbiz.qpic.cn/mmbiz_jpg/aBcDeF123/640?wx_fmt=jpeg&from=appmsg",
        "https://mmbiz.qpic.cn/mmbiz_png/aBcDeF456/640?wx_fmt=png&from=appmsg",
    )
    assert lines[-2:] == ["校学生会文艺部", "2026年12月4日"]  # <br> splits the signature


def test_hidden_and_unclosed_markup_in_the_body() -> None:
    page = parse_article_page(
        '<div id="js_content"><p>第一段<p>第二段<span style="display:none">隐藏</span>'
        "<script>var x = 1;</script></div><div>正文之外</div>"
    )
    assert page.text == "第一段\n第二段"


def test_a_deleted_article_is_unavailable_for_good() -> None:
    pages = ArticlePages()
    with pytest.raises(ArticleUnavailable) as caught:
        parse_article_page(pages.pages["deleted"])
    assert caught.value.message == texts.ARTICLE_DELETED
    assert not caught.value.transient


def test_the_verification_page_is_worth_retrying() -> None:
    pages = ArticlePages()
    with pytest.raises(ArticleUnreachable) as caught:
        parse_article_page(pages.pages["verify"])
    assert caught.value.transient


def test_a_page_without_an_article_body() -> None:
    with pytest.raises(ArticleUnavailable) as caught:
        parse_article_page("<html><body><p>不是文章</p></body></html>")
    assert caught.value.message == texts.ARTICLE_NO_BODY


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://mp.weixin.qq.com/s/Xc3uT9kq2bLmN0pQrSt1vw", True),
        ("https://mp.weixin.qq.com/s?__biz=MzA5&mid=2651&idx=1&sn=abc", True),
        (" https://mp.weixin.qq.com/s/abc ", True),
        ("https://mp.weixin.qq.com/cgi-bin/home", False),
        ("https://weibo.com/1234/abc", False),
        ("https://mp.weixin.qq.com.evil.example/s/abc", False),
        ("mp.weixin.qq.com/s/abc", False),
    ],
)
def test_only_article_links_are_checked(url: str, ok: bool) -> None:
    assert is_article_url(url) is ok


# --- Comparing ---------------------------------------------------------------------------------


def test_layout_differences_are_not_differences() -> None:
    approved = "各位同学:\n\n  欢迎参加(初赛)!\u200b“报名”截止 [图片] 12月11日。"
    published = '各位同学：欢迎参加（初赛）！"报名"截止12月11日.【图片1】'
    assert compare_texts(approved, published).matches


def test_a_changed_word_is_a_difference() -> None:
    comparison = compare_texts("请于周五前报名。名额有限。", "请于周四前报名。名额有限。")
    assert not comparison.matches
    (change,) = comparison.changes
    assert change.kind == "replace"
    assert change.approved == "请于周五前报名。"
    assert change.published == "请于周四前报名。"
    assert [change.approved[s:e] for s, e in change.approved_marks] == ["五"]
    assert [change.published[s:e] for s, e in change.published_marks] == ["四"]


def test_missing_and_added_sentences() -> None:
    comparison = compare_texts("第一句。第二句。第三句。", "第一句。第三句。第四句。")
    kinds = [(c.kind, c.approved, c.published) for c in comparison.changes]
    assert kinds == [("delete", "第二句。", ""), ("insert", "", "第四句。")]


def test_a_long_repetitive_block_is_marked_whole_not_compared_for_minutes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compared: list[int] = []
    real = article.difflib.SequenceMatcher

    def counting(isjunk: None, a: Sequence[str], b: Sequence[str], **kw: bool) -> Any:
        if isinstance(a, str):
            compared.append(len(a) * len(b))
        return real(isjunk, a, b, **kw)

    monkeypatch.setattr(article.difflib, "SequenceMatcher", counting)
    approved = "哈哈哈" * 1500
    published = "呵哈" * 2000
    (change,) = compare_texts(approved, published).changes
    assert all(cells <= article.INNER_CELLS for cells in compared)
    assert change.kind == "replace" and change.approved_marks == ((0, len(change.approved)),)


def test_the_matching_page_matches_the_approved_text() -> None:
    page = parse_article_page(match_page())
    comparison = compare_article(page, APPROVED_TEXT)
    assert comparison.matches
    assert render_comparison(comparison) == texts.ARTICLE_MATCH


def test_the_approved_text_without_its_title_matches_too() -> None:
    body = APPROVED_TEXT.split("\n", 1)[1]
    assert compare_article(parse_article_page(match_page()), body).matches


def test_a_changed_sentence_is_shown_once_with_its_changes_marked() -> None:
    old, new = CHANGED_SENTENCE
    page = parse_article_page(match_page().replace(old, new))
    comparison = compare_article(page, APPROVED_TEXT)
    (change,) = comparison.changes
    assert change.kind == "replace"
    assert "清唱" in change.approved and "伴奏形式" in change.published
    assert [change.approved[s:e] for s, e in change.approved_marks] == ["清唱", "2"]
    assert [change.published[s:e] for s, e in change.published_marks] == ["伴奏", "3"]
    shown = render_comparison(comparison)
    assert shown.startswith(texts.ARTICLE_DIFFERS.format(count=1))
    assert "初赛采用<s>清唱</s>形式" in shown
    assert "初赛采用<u>伴奏</u>形式" in shown
    assert "不超过<s>2</s>分钟" in shown and "不超过<u>3</u>分钟" in shown


def test_the_rendering_escapes_text_and_lists_a_bounded_number_of_changes() -> None:
    approved = "。".join(f"第{n}句<b>" for n in range(15)) + "。"
    published = "。".join(f"第{n}句" for n in range(15)) + "。"
    shown = render_comparison(compare_texts(approved, published), limit=3)
    assert "审定稿：第0句<s>&lt;b&gt;</s>。" in shown and "<b>" not in shown
    assert shown.count("审定稿：") == 3
    assert texts.ARTICLE_MORE_CHANGES.format(count=12) in shown


# --- Fetching over HTTP ------------------------------------------------------------------------


async def test_fetching_the_matching_page(pages: ArticlePages, reader: ArticleReader) -> None:
    page = await reader.fetch(article_url("match"))
    assert page.url == article_url("match")
    assert compare_article(page, APPROVED_TEXT).matches
    assert pages.requests == ["match"]
    assert "MicroMessenger" in pages.user_agents[0]


async def test_fetching_the_changed_page(reader: ArticleReader) -> None:
    page = await reader.fetch(article_url("changed"))
    comparison = compare_article(page, APPROVED_TEXT)
    assert len(comparison.changes) == 1
    assert "<u>伴奏</u>" in render_comparison(comparison)


async def test_a_503_is_retried_later(reader: ArticleReader) -> None:
    with pytest.raises(ArticleUnreachable) as caught:
        await reader.fetch(article_url("busy"))
    assert caught.value.transient
    assert caught.value.message == texts.ARTICLE_HTTP_RETRY.format(status=503)


async def test_a_dropped_connection_is_retried_later(reader: ArticleReader) -> None:
    with pytest.raises(ArticleUnreachable) as caught:
        await reader.fetch(article_url("hangup"))
    assert caught.value.transient


async def test_a_server_that_is_not_there_is_retried_later() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    async with ArticleReader(base_url=f"http://127.0.0.1:{port}", timeout=5.0) as reader:
        with pytest.raises(ArticleUnreachable):
            await reader.fetch(article_url("match"))


async def test_a_missing_page_is_not_retried(reader: ArticleReader) -> None:
    with pytest.raises(ArticleUnavailable) as caught:
        await reader.fetch(article_url("no-such-article"))
    assert not caught.value.transient


async def test_a_link_that_is_not_an_article_is_refused_without_fetching(
    pages: ArticlePages, reader: ArticleReader
) -> None:
    with pytest.raises(ArticleUnavailable):
        await reader.fetch("https://example.com/s/match")
    assert pages.requests == []


async def test_the_reader_honours_https_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.readline())
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    try:
        async with ArticleReader(timeout=5.0) as reader:  # WeChat's real address
            with pytest.raises(ArticleUnreachable):
                await reader.fetch(article_url("match"))
    finally:
        server.close()
        await server.wait_closed()
    assert seen == [b"CONNECT mp.weixin.qq.com:443 HTTP/1.1\r\n"]


def test_a_long_change_is_shown_in_part_and_says_so() -> None:
    approved = "甲" * 500 + "。"
    published = "乙" * 400 + "。"
    (change,) = compare_texts(approved, published).changes
    shown = render_comparison(compare_texts(approved, published), max_chars=50)
    assert (
        "审定稿：<s>" + "甲" * 50 + "</s>" + texts.ARTICLE_CHANGE_CUT.format(length=501, shown=50)
        in shown
    )
    assert texts.ARTICLE_CHANGE_CUT.format(length=401, shown=50) in shown
    assert len(change.approved) == 501  # the comparison itself keeps all of it
