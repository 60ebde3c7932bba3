"""What the three tiers approved is what the union publishes, in the real process: a .docx draft
through three tiers -> the 定稿 (whole text, the file, the hash, the approvals) and the 公众号
draft box; /final again after a restart; /posted with the matching page -> verified; with an
altered page -> the advisor and the admins get the diff."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import texts
from storage.models import CATEGORIES
from tests.e2e.harness import BotProcess, Union, has_text, write_config
from tests.e2e.story import approve, card_for, fill_intake, pass_editing, say, tap
from tests.emulator import Message
from tests.fakes.article_pages import APPROVED_TEXT, APPROVED_TITLE, ArticlePages, article_url
from tests.fakes.wechat import APP_ID, APP_SECRET, FakeWeChat
from tests.fixtures_docs import make_docx

pytestmark = pytest.mark.e2e


@pytest.fixture
async def wechat() -> AsyncIterator[FakeWeChat]:
    async with FakeWeChat() as fake:
        yield fake


@pytest.fixture
async def pages() -> AsyncIterator[ArticlePages]:
    async with ArticlePages() as served:
        yield served


@pytest.fixture
async def published_bot(
    union: Union, tmp_path: Path, wechat: FakeWeChat, pages: ArticlePages
) -> AsyncIterator[BotProcess]:
    """The bot with the 公众号 configured: its API and its article pages are local fakes."""
    config = write_config(
        union,
        tmp_path / "config.toml",
        wechat={"app_id": APP_ID, "api_url": wechat.base_url, "article_url": pages.base_url},
    )
    process = BotProcess(union.emu, config, tmp_path / "data" / "bot.sqlite3", tmp_path / "b.log")
    process.extra_env["WECHAT_APP_SECRET"] = APP_SECRET
    await process.start()
    yield process
    await process.kill()


async def _final_copy(union: Union, chat: object, since: int = 0) -> list[Message]:
    """The messages of one 定稿 in ``chat``: the header up to the footer with its button."""
    emu = union.emu
    header = await emu.wait_for_message(chat, has_text("定稿"), since=since)  # type: ignore[arg-type]
    footer = await emu.wait_for_message(
        chat,  # type: ignore[arg-type]
        lambda m: texts.BUTTON_POSTED in m.button_texts,
        since=header,
        timeout=15,
    )
    return [
        m
        for m in emu.messages(chat)  # type: ignore[arg-type]
        if header.seq <= m.seq <= footer.seq and m.sender is not None and m.sender.is_bot
    ]


def _text_of(parts: list[Message]) -> str:
    """The approved text as the 定稿's text messages carry it, labels removed."""
    pieces = [m.text.split("\n", 1)[1] for m in parts if m.text.startswith("〔正文")]
    return "\n".join(pieces)


async def test_the_final_copy_the_draft_box_and_the_publication_check(
    published_bot: BotProcess, union: Union, wechat: FakeWeChat, pages: ArticlePages
) -> None:
    emu = union.emu
    # A partner college, offered every post; it gets the real link once it is recorded.
    wang = emu.add_user(3001, "计院小王")
    partner = emu.add_group(-1003000000001, "计算机学院学生会", members=[wang, union.admin])
    added = await say(union, union.admin, "/partner add 计算机学院学生会", chat=partner)
    assert "已登记合作单位 #1" in added.text
    lines = APPROVED_TEXT.strip().split("\n")
    docx = make_docx(lines)
    await union.officer.send_document("歌手大赛通知.docx", docx)
    intake = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
    await fill_intake(union, intake)
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))

    # The 定稿 to the submitter: the whole text, the approved file's bytes, hash, approvals.
    final = await _final_copy(union, union.officer)
    header, footer = final[0], final[-1]
    assert f"《{APPROVED_TITLE}》" in header.text
    for tier, name in ((1, "赵部长"), (2, "钱主席"), (3, "孙老师")):
        assert f"第 {tier} 级" in header.text and name in header.text
    assert " ".join(_text_of(final).split()) == " ".join(APPROVED_TEXT.split())
    files = [m.document for m in final if m.document is not None]
    assert len(files) == 1 and files[0].data == docx
    assert hashlib.sha256(docx).hexdigest() in (final[-2].text or "")
    with sqlite3.connect(published_bot.db) as conn:
        stored_hash, file_sha = conn.execute(
            "SELECT v.content_hash, f.file_sha256 FROM versions v JOIN version_files f"
            " USING (draft_id, number) WHERE draft_id = 1"
        ).fetchone()
        (media_id,) = conn.execute("SELECT media_id FROM wechat_drafts").fetchone()
    assert stored_hash in footer.text
    assert file_sha == hashlib.sha256(docx).hexdigest()
    store_file = published_bot.db.parent / "files" / file_sha[:2] / file_sha
    assert store_file.read_bytes() == docx

    # The draft box got the article (before the 定稿 went out, so the 定稿 names it).
    assert list(wechat.drafts) == [media_id]
    article = wechat.drafts[media_id].articles[0]
    assert article["title"] == APPROVED_TITLE and "初赛采用清唱形式" in article["content"]
    assert media_id in footer.text
    # The editors' chat gets the same 定稿.
    editors_copy = await _final_copy(union, union.editors)
    assert _text_of(editors_copy) == _text_of(final)

    # After a restart, /final sends it again, whole, with the file from the store. (The kill
    # waits for the last tap to be handled: an update cut short is handled again by design.)
    await emu.wait_for(lambda: _all_handled(published_bot.db), what="updates handled")
    await published_bot.kill()
    await published_bot.start()
    mark = emu.mark()
    answer = await say(union, union.editor, "/final 1", chat=union.editors)
    assert "定稿马上发到这里" in answer.text
    again = await _final_copy(union, union.editors, since=mark)
    assert _text_of(again) == _text_of(final)
    assert [m.document.data for m in again if m.document is not None] == [docx]

    # /posted with the page that matches: recorded and verified.
    recorded = await say(union, union.editor, f"/posted 1 {article_url('match')}")
    assert "已登记稿件 #1 的发布：公众号" in recorded.text
    await emu.wait_for(lambda: "match" in pages.requests, what="the page was read")

    async def status() -> str:
        mark = emu.mark()
        await union.editor.send_text("/status 1")
        return (await emu.wait_for_message(union.editor, has_text("发布记录"), since=mark)).text

    await emu.wait_for(lambda: _verified(published_bot.db), what="verified", timeout=15)
    real_link = await emu.wait_for_message(partner, has_text("原文链接"))
    assert article_url("match") in real_link.text and "已在公众号发布" in real_link.text
    assert (
        real_link.reply_to is not None and texts.BUTTON_REPOSTED in real_link.reply_to.button_texts
    )
    assert "已核对，与定稿一致" in await status()

    # The button on the 定稿 asks for a link; the altered page reaches the advisor and admins.
    assert await tap(union.editor, again[-1], texts.BUTTON_POSTED) == texts.DONE
    prompt = await emu.wait_for_message(union.editors, has_text("发送稿件 #1 的发布链接"))
    await union.editor.send_text(article_url("changed"), chat=union.editors, reply_to=prompt)
    alert = await emu.wait_for_message(union.admins, has_text("与三级审核通过的定稿不一致"))
    assert "初赛采用清唱形式" in alert.text and "初赛采用伴奏形式" in alert.text
    advisor = await emu.wait_for_message(union.reviewer3, has_text("与三级审核通过的定稿不一致"))
    assert advisor.text == alert.text
    assert "与定稿不一致" in await status()
    history = await say(union, union.editor, "/history 1")
    assert texts.ACTIONS["publication.posted"] in history.text
    assert article_url("match") in history.text
    emu.assert_no_errors()


def _verified(db: Path) -> bool:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT check_state FROM publication_links WHERE id = 1").fetchone()
    return row is not None and row[0] == "verified"


def _all_handled(db: Path) -> bool:
    with sqlite3.connect(db) as conn:
        (waiting,) = conn.execute(
            "SELECT COUNT(*) FROM update_journal WHERE handled_at IS NULL"
        ).fetchone()
    return bool(waiting == 0)


async def test_a_draft_the_wechat_draft_box_would_refuse_is_caught_at_intake(
    published_bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    title = "关于举办第十届校园歌手大赛暨第三届原创音乐作品展演活动报名工作的通知"
    await union.officer.send_text(f"{title}\n请各学院于12月11日前报名。")
    card = await emu.wait_for_message(union.officer, has_text("请用下面的按钮"))
    officer = union.officer
    await tap(officer, card, CATEGORIES[0])
    await tap(officer, card, texts.BUTTON_SCHOOL)
    await tap(officer, card, texts.BUTTON_ORIGINAL)
    assert await tap(officer, card, texts.BUTTON_CONFIRM) == texts.WECHAT_INTAKE_ALERT
    refused = await emu.wait_for_message(officer, has_text("公众号会拒收"))
    assert f"标题有 {len(title)} 个字，公众号最多 32 个字" in refused.text
    assert "已提交" not in emu.messages(officer)[-1].text
    with sqlite3.connect(published_bot.db) as conn:
        (state,) = conn.execute("SELECT state FROM drafts WHERE id = 1").fetchone()
    assert state == "intake"
