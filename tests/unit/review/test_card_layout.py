"""Cards fit a phone: content first, one line of metadata, the buttons on the first screen."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import formatting, texts
from bot.formatting import plain_text
from bot.review import changes, render
from storage.models import Decision, Draft, DraftState, User, Version
from tests.phone import FIRST_SCREEN_ROWS, phone_rows

TZ = ZoneInfo("Asia/Shanghai")
NAMES = formatting.Names(
    {
        1: User(1, "张信息", None, None),
        2: User(2, "王编辑", None, None),
        3: User(3, "钱主席", None, None),
    },
    TZ,
)
TITLE = "学生会2026年秋季运动会圆满落幕"
PARAGRAPH = (
    "11月20日上午，我校2026年秋季运动会在东区田径场隆重开幕。校党委副书记出席开幕式并致辞，"
    "来自全校18个学院的1200余名运动员参加了田径、趣味接力等32个项目的角逐。"
)


def _typical(chars: int = 2000) -> str:
    """A typical news draft: a title line, then paragraphs of Chinese with digits."""
    body = TITLE + "\n"
    while len(body) < chars:
        body += PARAGRAPH + "\n"
    return body[:chars]


def _draft(**changes_: object) -> Draft:
    fields: dict[str, object] = dict(
        id=12,
        submitter_id=1,
        editor_id=2,
        title=TITLE,
        category="新闻与通知类",
        attribution="school",
        college=None,
        source=None,
        original=True,
        state=DraftState.REVIEW_2,
        version=3,
        origin_chat_id=1,
        created_at="",
        updated_at="",
    )
    fields.update(changes_)
    return Draft(**fields)  # type: ignore[arg-type]


def _version(body: str, number: int = 3, note: str = "请周五前发布，配图见附件") -> Version:
    return Version(12, number, 1, body, note, "h", "")


def test_a_typical_2000_character_draft_shows_its_buttons_on_the_first_screen() -> None:
    approved = Decision(1, 12, 3, 1, "h", 5, "approve", (), "", "2026-11-23T02:00:00+00:00")
    card = render.review_card(_draft(), _version(_typical()), 2, [approved], NAMES, True)
    shown = plain_text(card)
    assert phone_rows(shown) <= FIRST_SCREEN_ROWS
    # Content first: the title once, then the text's start, the 附言 and where the rest is.
    assert shown.count(TITLE) == 1
    assert shown.index(TITLE) < shown.index("11月20日上午") < shown.index("附言：请周五前发布")
    assert texts.CARD_FULL_TEXT.format(chars=2000).strip() in shown
    # The metadata on one line; the criteria belong to the reject flow, not the card.
    assert "新闻与通知类 · 校学生会原创 · 原创 · 投稿 张信息 · 排版 王编辑" in shown
    assert "请按三项标准" not in shown and "内容真实准确" not in shown


def test_a_card_names_the_editor_only_for_a_version_laid_out() -> None:
    card = plain_text(render.review_card(_draft(), _version("正文"), 2, [], NAMES, False))
    assert "排版" not in card and "投稿 张信息" in card


def test_a_revised_card_says_why_the_last_version_failed_and_what_changed() -> None:
    rejected = Decision(
        2, 12, 1, 2, "h", 3, "reject", ("1",), "人数有误", "2026-11-23T02:00:00+00:00"
    )
    found = changes.changes("参加人数为1200余名。", "参加人数为1300余名。")
    revision = render.Revision(1, rejected, changes.compact(found))
    card = render.review_card(
        _draft(version=2), _version("参加人数为1300余名。", 2), 1, [], NAMES, False, (), revision
    )
    assert "上一版（第 1 版）被第 2 级（主席团成员）钱主席 驳回：内容真实准确；理由：人数有误" in (
        plain_text(card)
    )
    assert "<s>2</s><u>3</u>" in card


def test_headers_follow_the_state() -> None:
    editing = render.editing_card(_draft(state=DraftState.EDITING), _version("正文"), NAMES)
    sent = render.editing_card(_draft(state=DraftState.REVIEW_1), _version("正文"), NAMES)
    assert "待排版" in editing and "待排版" not in sent and "已送审" in sent
    waiting = render.publish_card(_draft(state=DraftState.APPROVED), NAMES, None, None)
    published = render.publish_card(
        _draft(state=DraftState.PUBLISHED), NAMES, 2, "2026-11-23T02:00:00+00:00"
    )
    assert "待发布" in waiting and "待发布" not in published and "已发布" in published
    assert published.count(TITLE) == 1
