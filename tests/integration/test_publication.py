"""The 定稿 and the publication record in-process: a long text over several messages, never cut;
/posted's refusals and other accounts; an unreachable article retried and reported once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot import texts
from bot.app import build_application
from bot.config import load_config
from bot.publication.checking import REPORT_AFTER
from bot.services import SERVICES_KEY, Services
from bot.settings import Settings
from storage import outbox, publications
from tests.e2e.harness import TOKEN, Union, has_text, write_config
from tests.e2e.story import approve, card_for, fill_intake, pass_editing, say, submit_text
from tests.emulator import AlbumPhoto, BotApiEmulator, Message
from tests.fakes.article_pages import ArticlePages, article_url
from tests.fakes.wechat import APP_ID, APP_SECRET, FakeWeChat
from tests.fixtures_docs import make_png
from tests.integration.conftest import running

QUIET_OFF: dict[str, object] = {"quiet_hours": ""}


@pytest.fixture
async def pages() -> AsyncIterator[ArticlePages]:
    async with ArticlePages() as served:
        yield served


@pytest.fixture
async def wechat() -> AsyncIterator[FakeWeChat]:
    async with FakeWeChat() as fake:
        yield fake


@pytest.fixture
async def app(
    emu: BotApiEmulator,
    union: Union,
    tmp_path: Path,
    pages: ArticlePages,
    wechat: FakeWeChat,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The application with articles read from the local page server and manual publishing;
    with the ``draft_box`` marker, the 公众号 draft box on the fake WeChat API (its secret in
    the marker's ``secret``)."""
    marker = request.node.get_closest_marker("draft_box")
    box = {"app_id": APP_ID, "api_url": wechat.base_url} if marker else {}
    config_path = write_config(
        union,
        tmp_path / "config.toml",
        auto_publish=False,
        reminders=QUIET_OFF,
        accounts=["校学生会B站"],
        wechat={"article_url": pages.base_url, **box},
    )
    env = {
        "BOT_TOKEN": TOKEN,
        "BOT_CONFIG": str(config_path),
        "BOT_DB": str(tmp_path / "bot.sqlite3"),
        "BOT_API_URL": emu.api_url,
        "BOT_FILE_URL": emu.file_url,
    }
    if marker:
        env["WECHAT_APP_SECRET"] = marker.kwargs.get("secret", APP_SECRET)
    settings = Settings.from_env(env)
    async with running(build_application(settings, load_config(config_path))) as application:
        yield application


def _services(app: Application) -> Services:  # type: ignore[type-arg]
    found = app.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


async def _approved(union: Union, body: str) -> None:
    if len(body) > 4096:
        # Longer than a message: the officer sends it as a .txt file.
        await union.officer.send_document("总结.txt", body.encode("utf-8"))
        card = await union.emu.wait_for_message(union.officer, has_text("请用下面的按钮"))
        await fill_intake(union, card)
    else:
        await submit_text(union, body)
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))


async def _final(union: Union, chat: object) -> list[Message]:
    emu = union.emu
    header = await emu.wait_for_message(chat, has_text("定稿"))  # type: ignore[arg-type]
    footer = await emu.wait_for_message(
        chat,  # type: ignore[arg-type]
        lambda m: texts.BUTTON_POSTED in m.button_texts,
        since=header,
    )
    return [m for m in emu.messages(chat) if header.seq <= m.seq <= footer.seq]  # type: ignore[arg-type]


async def test_a_long_text_reaches_the_final_copy_whole_over_several_messages(
    app: Application,  # type: ignore[type-arg]
    union: Union,
) -> None:
    paragraphs = [
        f"第{n}段：" + "学生会新媒体中心发布的通知，须与三级审核通过的版本一致。" * 6
        for n in range(40)
    ]
    body = "秋季学期工作总结\n" + "\n".join(paragraphs)
    assert len(body) > 3 * 4096 // 2
    await _approved(union, body)
    final = await _final(union, union.officer)
    parts = [m.text.split("\n", 1)[1] for m in final if m.text.startswith("〔正文")]
    assert len(parts) >= 2
    assert all(
        m.text.startswith(f"〔正文 {n}/{len(parts)}〕")
        for n, m in enumerate([m for m in final if m.text.startswith("〔正文")], start=1)
    )
    assert "".join("".join(p.split()) for p in parts) == "".join(body.split())
    # Manual publishing: the 发布 card's chat (the editors') has the same 定稿 beside the card.
    editors = await _final(union, union.editors)
    assert [m.text for m in editors if m.text.startswith("〔正文")] == [
        m.text for m in final if m.text.startswith("〔正文")
    ]


async def test_posted_records_where_it_went_and_refuses_what_it_cannot_record(
    app: Application,  # type: ignore[type-arg]
    union: Union,
) -> None:
    early = await say(union, union.editor, "/posted 1 https://weibo.com/123/abc")
    assert "没有编号为 #1 的稿件" in early.text
    await _approved(union, "迎新晚会通知\n12月20日晚七点在大礼堂举行。")
    await _final(union, union.officer)
    await union.officer.send_text("/final 1")
    await union.emu.wait_for_message(union.officer, has_text(texts.FINAL_NOT_STAFF))
    assert (await say(union, union.editor, "/posted 1 weibo.com/x")).text == texts.POSTED_BAD_URL
    unknown = await say(union, union.editor, "/posted 1 https://www.bilibili.com/video/BV1")
    assert "不是公众号、微博或抖音" in unknown.text and "校学生会B站" in unknown.text
    other = await say(
        union, union.editor, "/posted 1 https://www.bilibili.com/video/BV1 校学生会B站"
    )
    assert other.text.startswith("已登记稿件 #1 的发布：校学生会B站")
    weibo = await say(union, union.editor, "/posted 1 https://weibo.com/123/abc")
    assert "已登记稿件 #1 的发布：微博" in weibo.text and "核对" not in weibo.text
    again = await say(union, union.editor, "/posted 1 https://weibo.com/123/abc")
    assert again.text == texts.POSTED_ALREADY.format(id=1)
    mark = union.emu.mark()
    await union.editor.send_text("/status 1")
    status = await union.emu.wait_for_message(union.editor, has_text("发布记录"), since=mark)
    assert "校学生会B站：https://www.bilibili.com/video/BV1" in status.text
    assert "微博：https://weibo.com/123/abc" in status.text
    async with _services(app).db.reading() as conn:
        links = await publications.links(conn, 1)
    assert [(link.platform, link.check_state) for link in links] == [
        ("account", "none"),
        ("weibo", "none"),
    ]


async def test_an_unreachable_article_is_retried_and_reported_once_never_dropped(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    pages: ArticlePages,
) -> None:
    svc = _services(app)
    await _approved(union, "图书馆延长开放\n考试周开放至23点。")
    await say(union, union.editor, f"/posted 1 {article_url('busy')}")
    await union.emu.wait_for(lambda: pages.requests.count("busy") == 1, what="first read")
    for attempt in range(2, REPORT_AFTER + 3):
        async with svc.db.reading() as conn:
            (item,) = [i for i in await outbox.pending(conn) if i.kind == "article_check"]
        assert item.attempts == attempt - 1 and item.next_at is not None
        await svc.delivery.retry(item.id)
        assert pages.requests.count("busy") == attempt
    alerts = [
        m for m in union.emu.messages(union.admins) if "已 " in m.text and "次打不开" in m.text
    ]
    assert len(alerts) == 1 and f"已 {REPORT_AFTER} 次打不开" in alerts[0].text
    async with svc.db.reading() as conn:
        (link,) = await publications.links(conn, 1)
        still = [i for i in await outbox.pending(conn) if i.kind == "article_check"]
    assert link.check_state == "pending" and len(still) == 1


@pytest.mark.draft_box
async def test_the_draft_box_retries_what_wechat_asks_to_retry(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    wechat: FakeWeChat,
) -> None:
    svc = _services(app)
    wechat.fail_next("/cgi-bin/draft/add", -1)  # 系统繁忙
    await _approved(union, "图书馆延长开放\n考试周开放至23点。")
    await _final(union, union.officer)
    async with svc.db.reading() as conn:
        (item,) = [i for i in await outbox.pending(conn) if i.kind == "wechat_draft"]
    assert not wechat.drafts and item.attempts == 1
    await svc.delivery.retry(item.id)
    (media_id,) = wechat.drafts
    assert await svc.publication.media_id(1, 1) == media_id
    told = await union.emu.wait_for_message(union.editors, has_text("已放入公众号草稿箱"))
    assert media_id in told.text
    again = await _final_after(union, union.editors, told)
    assert media_id in again[-1].text


@pytest.mark.draft_box
async def test_every_approved_photo_goes_into_the_wechat_article(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    wechat: FakeWeChat,
) -> None:
    emu = union.emu
    photos = [
        AlbumPhoto(make_png(20 + i, 20), caption="运动会掠影\n三张照片。" if i == 0 else None)
        for i in range(3)
    ]
    await union.officer.send_album(photos)
    card = await emu.wait_for_message(union.officer, has_text("请用下面的按钮"))
    await emu.wait_for_edit(card, has_text("3 张图片"))
    await fill_intake(union, card)
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 3))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 3))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 3))
    await _final(union, union.officer)
    await emu.wait_for(lambda: bool(wechat.drafts), what="the article in the draft box")
    ((article,),) = [draft.articles for draft in wechat.drafts.values()]
    # The text, then the three photos the three tiers approved, in their order.
    content = str(article["content"])
    assert "运动会掠影" in content and content.count("<img") == 3
    uploads = [c for c in wechat.calls if c.path.endswith("/media/uploadimg")]
    assert [c.errcode for c in uploads] == [0, 0, 0]
    assert emu.errors == []


@pytest.mark.draft_box(secret="0" * 32)
async def test_a_wrong_secret_reaches_the_admins_in_chinese_and_is_audited(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    wechat: FakeWeChat,
) -> None:
    await _approved(union, "图书馆延长开放\n考试周开放至23点。")
    alert = await union.emu.wait_for_message(union.admins, has_text("没有放进公众号草稿箱"))
    assert "AppSecret 不正确（微信错误码 40125）" in alert.text
    assert not wechat.drafts
    history = await say(union, union.editor, "/history 1")
    assert texts.ACTIONS["wechat.failed"] in history.text


async def _final_after(union: Union, chat: object, since: Message) -> list[Message]:
    """/final in ``chat`` after ``since``: the 定稿 again."""
    emu = union.emu
    await union.editor.send_text("/final 1", chat=chat)  # type: ignore[arg-type]
    footer = await emu.wait_for_message(
        chat,  # type: ignore[arg-type]
        lambda m: texts.BUTTON_POSTED in m.button_texts,
        since=since,
    )
    return [footer]
