"""Rendering: escaping, Telegram's length limits, cards showing outcomes."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from bot import formatting, texts
from bot.review import render
from storage.models import Decision, Draft, DraftState, User, Version

TZ = ZoneInfo("Asia/Shanghai")
DRAFT = Draft(
    id=4,
    submitter_id=1,
    editor_id=None,
    title="<b>活动</b> & 通知",
    category="文体类",
    attribution="repost",
    college=None,
    source="<某公众号>",
    original=False,
    state=DraftState.REVIEW_2,
    version=1,
    origin_chat_id=1,
    created_at="",
    updated_at="",
)
NAMES = formatting.Names({1: User(1, "张<三>", None, None), 2: User(2, "李四", None, None)}, TZ)


def _version(body: str) -> Version:
    return Version(4, 1, 1, body, "", "h", "")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_user_text_is_escaped_everywhere() -> None:
    card = render.review_card(DRAFT, _version("a < b & c"), 2, [], NAMES, False)
    assert "<b>活动</b>" not in card and "&lt;b&gt;活动&lt;/b&gt; &amp; 通知" in card
    assert "&lt;某公众号&gt;" in card and "张&lt;三&gt;" in card and "a &lt; b &amp; c" in card


def test_long_texts_fit_telegram_messages() -> None:
    body = ("第一段" * 500 + "\n") * 10 + "&<>" * 3000 + "😀" * 5000
    chunks = render.channel_post_chunks(DRAFT, _version(body))
    assert len(chunks) > 2
    assert all(_utf16(chunk) <= formatting.MESSAGE_LIMIT for chunk in chunks)
    joined = "".join(chunks)
    assert joined.count("&amp;&lt;&gt;") == 3000 and joined.count("😀") == 5000
    assert joined.count("第一段") == 5000


def test_caption_fits_and_card_excerpt_is_short() -> None:
    for body in ("&" * 5000, "😀" * 2000):
        # Telegram counts the caption after parsing: an escaped "&amp;" is one character.
        caption = render.channel_caption(DRAFT, _version(body))
        assert formatting.visible_units(caption) <= formatting.CAPTION_LIMIT
        assert caption.endswith("…")
    card = render.review_card(DRAFT, _version("字" * 10_000), 2, [], NAMES, True)
    assert len(card) < formatting.MESSAGE_LIMIT
    assert texts.CARD_FULL_TEXT.format(chars=10_000) in card


def test_decided_card_shows_who_and_the_reason() -> None:
    rejected = Decision(
        1, 4, 1, 2, "h", 2, "reject", ("1", "3"), "数据<错>", "2026-11-23T02:00:00+00:00"
    )
    card = render.review_card(DRAFT, _version("x"), 2, [rejected], NAMES, False)
    assert (
        "李四 已驳回" in card and "内容真实准确、排版编辑美观" in card and "数据&lt;错&gt;" in card
    )
    assert "2026-11-23 10:00" in card  # shown in Asia/Shanghai


def test_the_header_says_where_the_card_stands() -> None:
    def first_line(card: str) -> str:
        return formatting.plain_text(card).splitlines()[0]

    approved = Decision(1, 4, 1, 2, "h", 2, "approve", (), "", "2026-11-23T02:00:00+00:00")
    rejected = Decision(
        2, 4, 1, 2, "h", 2, "reject", ("1",), "数据有误", "2026-11-23T02:00:00+00:00"
    )
    pending = render.review_card(DRAFT, _version("x"), 2, [], NAMES, False)
    assert first_line(pending).startswith("🔍 第 2 级审核（主席团成员）")
    assert first_line(
        render.review_card(DRAFT, _version("x"), 2, [approved], NAMES, False)
    ).startswith("✅ 第 2 级已通过（主席团成员）")
    assert first_line(
        render.review_card(DRAFT, _version("x"), 2, [rejected], NAMES, False)
    ).startswith("❌ 第 2 级已驳回（主席团成员）")
    newer = replace(DRAFT, version=2, state=DraftState.REVIEW_1)
    assert "· 已失效" in first_line(render.review_card(newer, _version("x"), 2, [], NAMES, False))
    gone = replace(DRAFT, state=DraftState.WITHDRAWN)
    assert "· 已撤回" in first_line(render.review_card(gone, _version("x"), 2, [], NAMES, False))


def test_the_channel_post_does_not_print_the_title_twice() -> None:
    titled = replace(DRAFT, title="校运会开幕")
    body = "校运会开幕\n本周六上午八点开幕。"
    for shown in (
        render.channel_post_chunks(titled, _version(body))[0],
        render.channel_caption(titled, _version(body)),
    ):
        plain = formatting.plain_text(shown)
        assert plain.count("校运会开幕") == 1 and "本周六上午八点开幕。" in plain
    # A body that does not begin with the title is posted whole.
    other = formatting.plain_text(render.channel_post_chunks(titled, _version("正文第一句。"))[0])
    assert "校运会开幕" in other and "正文第一句。" in other
