"""The 公众号 client against a strict local fake: tokens, images, the draft box, every error."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from bot import texts
from bot.publication.wechat import (
    AUTHOR_MAX_CHARS,
    CONTENT_MAX_CHARS,
    DIGEST_MAX_CHARS,
    TITLE_MAX_CHARS,
    DraftArticle,
    ImageInfo,
    WeChatApiError,
    WeChatClient,
    WeChatCredentialsError,
    WeChatError,
    WeChatLimitError,
    WeChatMediaError,
    WeChatQuotaError,
    WeChatTransientError,
    check_draft_limits,
    error_for,
    sniff_image_kind,
    text_to_content_html,
)
from tests.fakes.wechat import APP_ID, APP_SECRET, FakeWeChat

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(2000)
GIF = b"GIF89a" + bytes(100)
TITLE = "关于举办第十届校园歌手大赛的通知"
CONTENT = text_to_content_html("各学院团委、各班级：\n\n初赛采用清唱形式。")


@pytest.fixture
async def wx() -> AsyncIterator[FakeWeChat]:
    async with FakeWeChat() as fake:
        yield fake
        assert fake.internal_errors == []


@pytest.fixture
async def client(wx: FakeWeChat) -> AsyncIterator[WeChatClient]:
    async with WeChatClient(
        APP_ID, APP_SECRET, base_url=wx.base_url, clock=wx.clock, timeout=5.0
    ) as wechat:
        yield wechat


async def _cover(client: WeChatClient) -> str:
    return (await client.upload_image(PNG, "cover.png")).media_id


# --- The access token --------------------------------------------------------------------------


async def test_the_token_is_fetched_once_and_reused(wx: FakeWeChat, client: WeChatClient) -> None:
    for n in range(3):
        await client.upload_image(PNG, f"p{n}.png")
    assert wx.tokens_issued == 1
    assert [c.path for c in wx.calls].count("/cgi-bin/material/add_material") == 3


async def test_concurrent_callers_share_one_token_fetch(
    wx: FakeWeChat, client: WeChatClient
) -> None:
    tokens = await asyncio.gather(*(client.access_token() for _ in range(5)))
    assert len(set(tokens)) == 1
    assert wx.tokens_issued == 1


async def test_the_token_is_renewed_shortly_before_it_expires(
    wx: FakeWeChat, client: WeChatClient
) -> None:
    first = await client.access_token()
    wx.advance(7200 - 301)
    assert await client.access_token() == first
    wx.advance(2)  # now within the last 300 seconds
    second = await client.access_token()
    assert second != first
    await client.upload_image(PNG, "p.png")
    assert wx.tokens_issued == 2


@pytest.mark.parametrize("how", ["expired", "revoked"])
async def test_a_token_the_server_refuses_is_renewed_and_the_call_retried(
    wx: FakeWeChat, how: str
) -> None:
    # The client keeps its own clock, so only the server knows the token has gone stale.
    async with WeChatClient(
        APP_ID, APP_SECRET, base_url=wx.base_url, clock=lambda: 0.0, timeout=5.0
    ) as client:
        await client.access_token()
        if how == "expired":
            wx.advance(7200)
        else:
            wx.revoke_tokens()
        uploaded = await client.upload_image(PNG, "p.png")
    assert uploaded.media_id in wx.materials
    refused = [c.errcode for c in wx.calls if c.path == "/cgi-bin/material/add_material"]
    assert refused == [42001 if how == "expired" else 40001, 0]
    assert wx.tokens_issued == 2


async def test_a_token_refused_twice_is_a_credentials_error_after_one_renewal(
    wx: FakeWeChat, client: WeChatClient
) -> None:
    wx.fail_next("/cgi-bin/draft/add", 40001, times=2)
    with pytest.raises(WeChatCredentialsError) as caught:
        await client.add_draft(DraftArticle(TITLE, CONTENT, await _cover(client)))
    assert caught.value.message == texts.WECHAT_ERROR_TOKEN_AGAIN.format(code=40001)
    assert wx.tokens_issued == 2
    assert wx.drafts == {}


async def test_a_short_lived_token_is_not_renewed_on_every_call() -> None:
    async with (
        FakeWeChat(expires_in=60) as short,
        WeChatClient(
            APP_ID, APP_SECRET, base_url=short.base_url, clock=short.clock, timeout=5.0
        ) as client,
    ):
        await client.access_token()
        short.advance(29)
        await client.access_token()
        assert short.tokens_issued == 1
        short.advance(2)
        await client.access_token()
        assert short.tokens_issued == 2


# --- Credentials -------------------------------------------------------------------------------


async def test_a_wrong_secret(wx: FakeWeChat) -> None:
    wrong = "f" * 32
    async with WeChatClient(APP_ID, wrong, base_url=wx.base_url, timeout=5.0) as client:
        with pytest.raises(WeChatCredentialsError) as caught:
            await client.upload_image(PNG, "p.png")
    assert caught.value.code == 40125
    assert caught.value.message == texts.WECHAT_ERROR_TEXTS[40125]
    assert not caught.value.transient
    assert wrong not in str(caught.value) and wrong not in caught.value.message


async def test_a_wrong_app_id(wx: FakeWeChat) -> None:
    async with WeChatClient("wx0000", APP_SECRET, base_url=wx.base_url, timeout=5.0) as client:
        with pytest.raises(WeChatCredentialsError) as caught:
            await client.access_token()
    assert caught.value.code == 40013


async def test_an_address_outside_the_whitelist_is_named() -> None:
    async with (
        FakeWeChat(whitelist={"203.0.113.7"}) as wx,
        WeChatClient(APP_ID, APP_SECRET, base_url=wx.base_url, timeout=5.0) as client,
    ):
        with pytest.raises(WeChatCredentialsError) as caught:
            await client.access_token()
    assert caught.value.code == 40164
    assert caught.value.message == texts.WECHAT_ERROR_TEXTS[40164].format(ip="127.0.0.1")


# --- Quota and transient failures --------------------------------------------------------------


async def test_a_spent_daily_quota_is_retried_later() -> None:
    async with (
        FakeWeChat(daily_quota=1) as wx,
        WeChatClient(
            APP_ID, APP_SECRET, base_url=wx.base_url, clock=wx.clock, timeout=5.0
        ) as client,
    ):
        await client.upload_image(PNG, "a.png")
        with pytest.raises(WeChatQuotaError) as caught:
            await client.upload_image(PNG, "b.png")
        assert caught.value.transient and caught.value.retry_after == 3600.0
        assert caught.value.message == texts.WECHAT_ERROR_TEXTS[45009]
        wx.new_day()
        await client.upload_image(PNG, "b.png")


async def test_system_busy_is_transient(wx: FakeWeChat, client: WeChatClient) -> None:
    wx.fail_next("/cgi-bin/media/uploadimg", -1)
    with pytest.raises(WeChatTransientError) as caught:
        await client.upload_article_image(PNG, "a.png")
    assert caught.value.code == -1 and caught.value.transient
    assert (await client.upload_article_image(PNG, "a.png")).startswith("http://mmbiz.qpic.cn/")


async def test_a_5xx_is_transient(wx: FakeWeChat, client: WeChatClient) -> None:
    wx.http_error_next("/cgi-bin/draft/add", 502)
    with pytest.raises(WeChatTransientError) as caught:
        await client.add_draft(DraftArticle(TITLE, CONTENT, await _cover(client)))
    assert caught.value.message == texts.WECHAT_ERROR_HTTP.format(status=502)


async def test_a_dropped_connection_is_transient(wx: FakeWeChat, client: WeChatClient) -> None:
    cover = await _cover(client)
    wx.disconnect_next("/cgi-bin/draft/add")
    with pytest.raises(WeChatTransientError):
        await client.add_draft(DraftArticle(TITLE, CONTENT, cover))
    assert await client.add_draft(DraftArticle(TITLE, CONTENT, cover)) in wx.drafts


async def test_nothing_listening_is_transient_and_the_secret_stays_out() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with WeChatClient(
        APP_ID, APP_SECRET, base_url=f"http://127.0.0.1:{port}", timeout=5.0
    ) as client:
        with pytest.raises(WeChatTransientError) as caught:
            await client.access_token()
    assert APP_SECRET not in caught.value.message


async def test_the_client_honours_https_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
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
        async with WeChatClient(APP_ID, APP_SECRET, timeout=5.0) as client:  # the real address
            with pytest.raises(WeChatTransientError):
                await client.access_token()
    finally:
        server.close()
        await server.wait_closed()
    # The tunnel is asked of the proxy; the secret travels inside it, never to the proxy.
    assert seen == [b"CONNECT api.weixin.qq.com:443 HTTP/1.1\r\n"]


# --- Images and the draft box ------------------------------------------------------------------


async def test_a_draft_is_added_and_its_media_id_returned(
    wx: FakeWeChat, client: WeChatClient
) -> None:
    cover = await client.upload_image(JPEG, "封面.jpg")
    image_url = await client.upload_article_image(PNG, "图1.png")
    long_title = "第" * TITLE_MAX_CHARS  # at the limit, in Chinese: fine when sent as UTF-8
    article = DraftArticle(
        title=long_title,
        content=text_to_content_html("各位同学：\n欢迎参加！", [image_url]),
        thumb_media_id=cover.media_id,
        author="校学生会",
        digest="第十届校园歌手大赛报名开始",
        need_open_comment=True,
    )
    media_id = await client.add_draft(article)
    stored = wx.drafts[media_id].articles
    assert stored == [
        {
            "article_type": "news",
            "title": long_title,
            "author": "校学生会",
            "digest": "第十届校园歌手大赛报名开始",
            "content": (f'<p>各位同学：</p><p>欢迎参加！</p><p><img src="{image_url}"></p>'),
            "thumb_media_id": cover.media_id,
            "need_open_comment": 1,
            "only_fans_can_comment": 0,
        }
    ]
    assert wx.materials[cover.media_id].data == JPEG
    assert wx.material_by_url(image_url) is not None


async def test_several_articles_in_one_draft(wx: FakeWeChat, client: WeChatClient) -> None:
    cover = await _cover(client)
    media_id = await client.add_draft(
        [DraftArticle("第一篇", CONTENT, cover), DraftArticle("第二篇", CONTENT, cover)]
    )
    assert [a["title"] for a in wx.drafts[media_id].articles] == ["第一篇", "第二篇"]


async def test_an_image_named_without_its_type_is_named_by_its_bytes(
    wx: FakeWeChat, client: WeChatClient
) -> None:
    uploaded = await client.upload_image(JPEG, "photo_from_telegram")
    assert wx.materials[uploaded.media_id].filename == "photo_from_telegram.jpg"


async def test_the_fake_refuses_titles_sent_with_unicode_escapes(wx: FakeWeChat) -> None:
    # What a client sending json.dumps defaults would meet: the title measured escaped.
    async with WeChatClient(
        APP_ID, APP_SECRET, base_url=wx.base_url, clock=wx.clock, timeout=5.0
    ) as client:
        cover, token = await _cover(client), await client.access_token()
    body = {"articles": [DraftArticle("十个汉字的标题在这里", CONTENT, cover).to_json()]}
    async with httpx.AsyncClient(base_url=wx.base_url) as raw:
        answer = await raw.post(
            "/cgi-bin/draft/add", params={"access_token": token}, content=json.dumps(body)
        )
    assert answer.json()["errcode"] == 45003


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"title": "题" * (TITLE_MAX_CHARS + 1)}, 45003, "title"),
        ({"digest": "摘" * (DIGEST_MAX_CHARS + 1)}, 45004, "digest"),
        ({"author": "作" * (AUTHOR_MAX_CHARS + 1)}, 45110, "author"),
        ({"content": "<p>" + "字" * CONTENT_MAX_CHARS + "</p>"}, 45002, "content"),
    ],
)
async def test_fields_beyond_the_limits_are_refused_by_name(
    wx: FakeWeChat, client: WeChatClient, change: dict[str, str], code: int, field: str
) -> None:
    fields = {"title": TITLE, "content": CONTENT, "author": "", "digest": ""} | change
    article = DraftArticle(thumb_media_id=await _cover(client), **fields)
    with pytest.raises(WeChatLimitError) as caught:
        await client.add_draft(article)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert caught.value.message == texts.WECHAT_ERROR_TEXTS[code]
    assert not caught.value.transient
    # The check before review finds the same problem.
    problems = check_draft_limits(
        title=article.title, content=article.content, author=article.author, digest=article.digest
    )
    assert [p.field for p in problems] == [field]


async def test_an_unknown_cover_is_invalid_media(wx: FakeWeChat, client: WeChatClient) -> None:
    with pytest.raises(WeChatMediaError) as caught:
        await client.add_draft(DraftArticle(TITLE, CONTENT, "no-such-media-id"))
    assert caught.value.code == 40007
    assert caught.value.message == texts.WECHAT_ERROR_TEXTS[40007]


async def test_body_images_must_be_small_jpg_or_png(wx: FakeWeChat, client: WeChatClient) -> None:
    with pytest.raises(WeChatMediaError) as wrong_type:
        await client.upload_article_image(GIF, "a.gif")
    assert wrong_type.value.code == 40005
    with pytest.raises(WeChatMediaError) as too_big:
        await client.upload_article_image(PNG + bytes(1 << 20), "big.png")
    assert too_big.value.code == 40009
    # A GIF is a fine cover, though.
    assert (await client.upload_image(GIF, "a.gif")).media_id in wx.materials


# --- Error codes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind", "transient"),
    [
        (-1, WeChatTransientError, True),
        (40001, WeChatCredentialsError, False),
        (40013, WeChatCredentialsError, False),
        (40125, WeChatCredentialsError, False),
        (40164, WeChatCredentialsError, False),
        (40243, WeChatCredentialsError, False),
        (45009, WeChatQuotaError, True),
        (45011, WeChatQuotaError, True),
        (45002, WeChatLimitError, False),
        (45003, WeChatLimitError, False),
        (45004, WeChatLimitError, False),
        (45110, WeChatLimitError, False),
        (40004, WeChatMediaError, False),
        (40005, WeChatMediaError, False),
        (40007, WeChatMediaError, False),
        (40009, WeChatMediaError, False),
        (48001, WeChatApiError, False),
        (53404, WeChatApiError, False),
    ],
)
def test_each_error_code_maps_to_a_typed_error_with_a_chinese_message(
    code: int, kind: type[WeChatError], transient: bool
) -> None:
    error = error_for(code, "some errmsg rid: 6501d3a2-1c2f7e4b")
    assert type(error) is kind
    assert error.transient is transient
    assert error.code == code
    assert error.message and "{" not in error.message
    assert "rid:" not in error.message


def test_an_unknown_code_shows_wechats_words_escaped() -> None:
    error = error_for(53404, "账号已被限制<带货>能力 rid: 1-2")
    assert error.message == texts.WECHAT_ERROR_UNKNOWN.format(
        code=53404, errmsg="账号已被限制&lt;带货&gt;能力"
    )


# --- WeChat's limits, before review ------------------------------------------------------------


def test_a_draft_within_every_limit_has_no_problems() -> None:
    assert (
        check_draft_limits(
            title="题" * TITLE_MAX_CHARS,
            author="作" * AUTHOR_MAX_CHARS,
            digest="摘" * DIGEST_MAX_CHARS,
            content="字" * (CONTENT_MAX_CHARS - 1),
            cover=ImageInfo.of("cover.gif", GIF),
            images=[ImageInfo.of("a.jpg", JPEG), ImageInfo.of("b.png", PNG)],
            require_cover=True,
        )
        == []
    )


def test_each_limit_is_reported_in_chinese() -> None:
    problems = check_draft_limits(
        title="题" * (TITLE_MAX_CHARS + 1),
        author="作" * (AUTHOR_MAX_CHARS + 1),
        digest="摘" * (DIGEST_MAX_CHARS + 1),
        content="字" * CONTENT_MAX_CHARS,
        cover=ImageInfo("cover.webp", 100, "webp"),
        images=[
            ImageInfo.of("动图.gif", GIF),
            ImageInfo("大图.png", 1 << 20, "png"),
            ImageInfo.of("说明.docx", b"PK\x03\x04"),
            ImageInfo("空.png", 0, None),
        ],
    )
    assert [p.field for p in problems] == [
        "title", "author", "digest", "content", "cover", "image", "image", "image", "image",
    ]  # fmt: skip
    messages = [p.message for p in problems]
    assert messages[0] == texts.WECHAT_LIMIT_TITLE.format(length=33, limit=32)
    assert messages[1] == texts.WECHAT_LIMIT_AUTHOR.format(length=17, limit=16)
    assert messages[2] == texts.WECHAT_LIMIT_DIGEST.format(length=129, limit=128)
    assert messages[3] == texts.WECHAT_LIMIT_CONTENT_CHARS.format(length=20000, limit=20000)
    assert messages[4] == texts.WECHAT_LIMIT_COVER_TYPE.format(
        name="cover.webp", kind="WebP", allowed="JPG、PNG、GIF、BMP"
    )
    assert messages[5] == texts.WECHAT_LIMIT_IMAGE_TYPE.format(
        name="动图.gif", kind="GIF", allowed="JPG、PNG"
    )
    assert messages[6] == texts.WECHAT_LIMIT_IMAGE_SIZE.format(
        name="大图.png", size="1.0 MB", limit="1.0 MB"
    )
    assert messages[7] == texts.WECHAT_LIMIT_NOT_IMAGE.format(name="说明.docx", allowed="JPG、PNG")
    assert messages[8] == texts.WECHAT_LIMIT_IMAGE_EMPTY.format(name="空.png")


def test_content_counts_markup_and_every_character() -> None:
    emoji = "😀" * CONTENT_MAX_CHARS  # each is one character to WeChat, four bytes in UTF-8
    assert [p.field for p in check_draft_limits(title="t", content=emoji)] == ["content"]
    markup = "<img>" * 3999  # 19,995 characters, all markup: still within the limit
    assert check_draft_limits(title="t", content=markup) == []
    assert check_draft_limits(title="t", content=markup + "<br/>")[0].field == "content"  # 20,000


def test_empty_title_content_and_missing_cover() -> None:
    problems = check_draft_limits(title="  ", content="", require_cover=True)
    assert [p.message for p in problems] == [
        texts.WECHAT_LIMIT_TITLE_EMPTY,
        texts.WECHAT_LIMIT_CONTENT_EMPTY,
        texts.WECHAT_LIMIT_COVER_MISSING,
    ]


def test_the_cover_may_be_up_to_ten_megabytes() -> None:
    at_limit = ImageInfo("c.jpg", 10 << 20, "jpeg")
    over = ImageInfo("c.jpg", (10 << 20) + 1, "jpeg")
    assert check_draft_limits(title="t", content="c", cover=at_limit) == []
    assert [p.field for p in check_draft_limits(title="t", content="c", cover=over)] == ["cover"]


def test_image_names_are_escaped_in_messages() -> None:
    (problem,) = check_draft_limits(title="t", content="c", images=[ImageInfo.of("<x>.gif", GIF)])
    assert "&lt;x&gt;.gif" in problem.message


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PNG, "png"), (JPEG, "jpeg"), (GIF, "gif"), (b"BM" + bytes(60), "bmp"), (b"%PDF-1.7", None)],
)
def test_image_kinds_are_read_from_the_bytes(data: bytes, kind: str | None) -> None:
    assert sniff_image_kind(data) == kind


def test_text_becomes_escaped_paragraphs() -> None:
    assert text_to_content_html("第一行\r\n<b>第二行</b>\n\n第四行\n") == (
        "<p>第一行</p><p>&lt;b&gt;第二行&lt;/b&gt;</p><p><br></p><p>第四行</p>"
    )
