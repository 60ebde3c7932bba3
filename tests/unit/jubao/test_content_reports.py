"""Content reports (/jubao): filing, refusals, handling, rendering, over a real database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import formatting, texts
from bot.config import UnionConfig, parse_config
from bot.jubao.service import (
    CARD_KIND,
    EXCERPT_KEPT,
    NOTICE_KIND,
    REASON_LIMIT,
    REFRESH_KIND,
    ContentReports,
    Outcome,
    Reported,
    card_html,
    listing_html,
    message_link,
    parse_tap,
    tap_data,
)
from bot.members import Members
from storage import Database, audit, outbox, users
from storage.content_reports import ContentReport
from storage.models import Role, User
from tests.conftest import ADMIN, EDITOR, OFFICER, REVIEWER1, STRANGER, config_data

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """The injectable clock."""
    return Clock()


@pytest.fixture
async def reports(
    tmp_path: Path, clock: Clock, config: UnionConfig
) -> AsyncIterator[ContentReports]:
    """The report service over a seeded database whose clock the test controls."""
    db = await Database.open(tmp_path / "reports.sqlite3", clock=clock)
    await Members(db, config).seed_members()
    yield ContentReports(db, config)
    await db.close()


def _message(**changes: Any) -> Reported:
    base = Reported(
        chat_id=-1001234567890,
        chat_kind="supergroup",
        chat_title="一审群<A&B>",
        chat_username=None,
        message_id=42,
        author_id=STRANGER.user_id,
        author_name="路人 @passerby",
        text="明天全校停课！<转发>",
        by_this_bot=False,
    )
    return replace(base, **changes)


async def _actions(service: ContentReports) -> list[tuple[str, dict[str, object]]]:
    async with service.db.reading() as conn:
        events = await audit.between(conn, "0000", "9999")
    return [(e.action, e.detail) for e in events if e.action.startswith(("report.", "callback."))]


async def _pending(service: ContentReports) -> list[tuple[str, object]]:
    async with service.db.reading() as conn:
        return [(i.kind, i.payload.get("report")) for i in await outbox.pending(conn)]


# Pure helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "chat_id", "username", "expected"),
    [
        ("supergroup", -1001234567890, None, "https://t.me/c/1234567890/7"),
        ("supergroup", -1001234567890, "union_talk", "https://t.me/union_talk/7"),
        ("group", -4012345, None, None),
        ("private", 1001, None, None),
        ("channel", -1009, None, None),
        ("supergroup", -4012345, None, None),
    ],
)
def test_message_links(kind: str, chat_id: int, username: str | None, expected: str | None) -> None:
    assert message_link(kind, chat_id, username, 7) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("jb:1", 1),
        ("jb:1234567890", 1234567890),
        ("jb:0", None),
        ("jb:01", None),
        ("jb:", None),
        ("jb:abc", None),
        ("jb:1:2", None),
        ("jb:12345678901", None),
        ("iq:1:c", None),
        ("", None),
        (None, None),
    ],
)
def test_taps_parse_strictly(data: str | None, expected: int | None) -> None:
    assert parse_tap(data) == expected


def test_tap_data_round_trips_and_fits() -> None:
    data = tap_data(9_999_999_999)
    assert parse_tap(data) == 9_999_999_999 and len(data.encode()) <= 64


def test_ages_read_as_minutes_hours_then_days() -> None:
    assert formatting.waited(59, days=True) == "0 分钟"
    assert formatting.waited(119 * 60, days=True) == "119 分钟"
    assert formatting.waited(5 * 3600, days=True) == "5 小时"
    assert formatting.waited(47 * 3600 + 3599, days=True) == "47 小时"
    assert formatting.waited(3 * 86400 + 5, days=True) == "3 天"
    assert formatting.waited(-30, days=True) == "0 分钟"


# Filing -------------------------------------------------------------------------------------


async def test_a_member_files_a_report_with_link_audit_and_card(
    reports: ContentReports,
) -> None:
    result = await reports.report(OFFICER, _message(), "  造谣  ")
    assert result.outcome is Outcome.FILED and result.report is not None
    report = result.report
    assert report.link == "https://t.me/c/1234567890/42"
    assert report.reason == "造谣" and report.excerpt == "明天全校停课！<转发>"
    assert report.reported_by == OFFICER.user_id and report.is_open
    assert report.reported_at == reports.db.now()
    assert await _pending(reports) == [(CARD_KIND, report.id)]
    actions = await _actions(reports)
    assert [a for a, _ in actions] == ["report.filed"]
    assert actions[0][1]["report"] == report.id and actions[0][1]["reason"] == "造谣"


async def test_a_basic_group_report_has_no_link_and_keeps_a_long_excerpt_cut(
    reports: ContentReports,
) -> None:
    long_text = "谣" * (EXCERPT_KEPT + 500)
    result = await reports.report(
        OFFICER, _message(chat_id=-4012345, chat_kind="group", text=long_text), ""
    )
    assert result.report is not None and result.report.link is None
    assert len(result.report.excerpt) == EXCERPT_KEPT and result.report.excerpt.endswith("…")


@pytest.mark.parametrize(
    ("who", "changes", "reason", "outcome"),
    [
        (STRANGER, {}, "造谣", Outcome.NOT_MEMBER),
        (OFFICER, {"by_this_bot": True}, "", Outcome.BOT_MESSAGE),
        (OFFICER, {"chat_kind": "private", "chat_id": 1001}, "", Outcome.NOT_GROUP),
        (OFFICER, {}, "长" * (REASON_LIMIT + 1), Outcome.REASON_TOO_LONG),
    ],
)
async def test_refusals_are_audited_and_file_nothing(
    reports: ContentReports,
    who: object,
    changes: dict[str, object],
    reason: str,
    outcome: Outcome,
) -> None:
    result = await reports.report(who, _message(**changes), reason)  # type: ignore[arg-type]
    assert result.outcome is outcome and result.report is None
    assert await reports.waiting() == [] and await _pending(reports) == []
    assert await _actions(reports) == [
        (
            "report.refused",
            {"why": outcome.value, "chat_id": _message(**changes).chat_id, "message_id": 42},
        )
    ]


async def test_a_reason_of_exactly_the_limit_is_accepted(reports: ContentReports) -> None:
    result = await reports.report(OFFICER, _message(), "长" * REASON_LIMIT)
    assert result.outcome is Outcome.FILED


async def test_the_same_member_reporting_twice_gets_the_first_number(
    reports: ContentReports,
) -> None:
    first = await reports.report(OFFICER, _message(), "造谣")
    again = await reports.report(OFFICER, _message(), "还是造谣")
    assert again.outcome is Outcome.DUPLICATE
    assert first.report is not None and again.report is not None
    assert again.report.id == first.report.id and again.report.reason == "造谣"
    assert len(await reports.waiting()) == 1 and len(await _pending(reports)) == 1
    assert [a for a, _ in await _actions(reports)] == ["report.filed", "report.refused"]
    other = await reports.report(EDITOR, _message(), "")
    assert other.outcome is Outcome.FILED and other.report is not None
    assert other.report.id != first.report.id


# Handling -----------------------------------------------------------------------------------


async def test_only_admins_handle_and_the_refusal_is_audited(reports: ContentReports) -> None:
    filed = await reports.report(OFFICER, _message(), "")
    assert filed.report is not None
    refused = await reports.handle(REVIEWER1, filed.report.id, "", via="button")
    assert refused.outcome is Outcome.NOT_ADMIN
    assert (await reports.get(filed.report.id)).is_open  # type: ignore[union-attr]
    assert (await _actions(reports))[-1] == (
        "report.refused",
        {"why": "not_admin", "report": filed.report.id, "via": "button"},
    )
    assert [k for k, _ in await _pending(reports)] == [CARD_KIND]


async def test_handling_closes_every_open_report_of_the_message(
    reports: ContentReports, clock: Clock
) -> None:
    first = await reports.report(OFFICER, _message(), "造谣")
    second = await reports.report(EDITOR, _message(), "欺诈")
    elsewhere = await reports.report(OFFICER, _message(message_id=43), "")
    assert first.report and second.report and elsewhere.report
    clock.now += timedelta(hours=3)
    done = await reports.handle(ADMIN, second.report.id, " 已删除 ", via="command")
    assert done.outcome is Outcome.HANDLED and done.also == (first.report.id,)
    assert done.report is not None and done.report.note == "已删除"
    assert done.report.handled_by == ADMIN.user_id and done.report.handled_at == reports.db.now()
    assert [r.id for r in await reports.waiting()] == [elsewhere.report.id]
    handled = [d for a, d in await _actions(reports) if a == "report.handled"]
    assert {d["report"] for d in handled} == {first.report.id, second.report.id}
    assert all(d["via"] == "command" and d["note"] == "已删除" for d in handled)
    queued = [p for p in await _pending(reports) if p[0] != CARD_KIND]
    assert sorted(queued) == sorted(
        (kind, rid)
        for rid in (first.report.id, second.report.id)
        for kind in (REFRESH_KIND, NOTICE_KIND)
    )
    again = await reports.handle(ADMIN, first.report.id, "", via="button")
    assert again.outcome is Outcome.ALREADY_HANDLED
    assert again.report is not None and again.report.handled_by == ADMIN.user_id


async def test_bad_handle_requests_change_nothing(reports: ContentReports) -> None:
    filed = await reports.report(OFFICER, _message(), "")
    assert filed.report is not None
    assert (await reports.handle(ADMIN, 999, "", via="command")).outcome is Outcome.NOT_FOUND
    too_long = await reports.handle(ADMIN, filed.report.id, "注" * 201, via="command")
    assert too_long.outcome is Outcome.NOTE_TOO_LONG
    assert len(await reports.waiting()) == 1
    assert [a for a, _ in await _actions(reports)] == ["report.filed"]


async def test_two_admins_at_once_handle_it_exactly_once(reports: ContentReports) -> None:
    filed = await reports.report(OFFICER, _message(), "")
    assert filed.report is not None
    # A second admin, so both taps pass the role check and race on the state.
    async with reports.db.transaction() as tx:
        await users.grant(tx, EDITOR.user_id, [Role.ADMIN], None, reports.db.now())
    outcomes = await asyncio.gather(
        *(reports.handle(who, filed.report.id, "", via="button") for who in (ADMIN, EDITOR))
    )
    assert sorted(o.outcome.value for o in outcomes) == ["already_handled", "handled"]
    handled = [a for a, _ in await _actions(reports) if a == "report.handled"]
    assert handled == ["report.handled"]


async def test_waiting_lists_oldest_first(reports: ContentReports, clock: Clock) -> None:
    ids = []
    for message_id in (3, 1, 2):
        result = await reports.report(OFFICER, _message(message_id=message_id), "")
        assert result.report is not None
        ids.append(result.report.id)
        clock.now += timedelta(minutes=5)
    assert [r.id for r in await reports.waiting()] == ids


async def test_cards_go_to_the_admins_chat_else_to_each_admin(reports: ContentReports) -> None:
    assert await reports.card_targets() == [ADMIN.user_id]
    data = config_data()
    data["chats"]["admins"] = -100777
    with_chat = ContentReports(reports.db, parse_config(data))
    assert await with_chat.card_targets() == [-100777]


async def test_cards_sent_are_remembered_once_per_chat(reports: ContentReports) -> None:
    filed = await reports.report(OFFICER, _message(), "")
    assert filed.report is not None
    await reports.card_sent(filed.report.id, ADMIN.user_id, 5)
    await reports.card_sent(filed.report.id, ADMIN.user_id, 6)
    cards = await reports.cards(filed.report.id)
    assert [(c.chat_id, c.message_id) for c in cards] == [(ADMIN.user_id, 5)]
    assert [a for a, _ in await _actions(reports)].count("report.card_sent") == 2


# Rendering ----------------------------------------------------------------------------------


def _report(**changes: object) -> ContentReport:
    base = ContentReport(
        id=7,
        chat_id=-1001234567890,
        chat_title="一审群<A&B>",
        message_id=42,
        link="https://t.me/c/1234567890/42",
        author_id=STRANGER.user_id,
        author_name="路人<b>",
        excerpt="<script>alert(1)</script>" + "谣" * 400,
        reason="造谣&传谣",
        reported_by=OFFICER.user_id,
        reported_at="2026-11-02T02:00:00.000000+00:00",
        state="open",
        handled_by=None,
        handled_at=None,
        note=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


NAMES = formatting.Names(
    {
        OFFICER.user_id: User(OFFICER.user_id, "张<信息>", None, None),
        ADMIN.user_id: User(ADMIN.user_id, "李管理", None, None),
    },
    SHANGHAI,
)


def test_the_card_escapes_everything_and_cuts_the_excerpt() -> None:
    html = card_html(_report(), NAMES, [])
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "一审群&lt;A&amp;B&gt;" in html and "路人&lt;b&gt;" in html
    assert "造谣&amp;传谣" in html and "张&lt;信息&gt;" in html
    assert "2026-11-02 10:00" in html
    assert '<a href="https://t.me/c/1234567890/42">' in html
    quoted = html.split("<blockquote>")[1].split("</blockquote>")[0]
    assert quoted.endswith("…") and quoted.count("谣") < 300
    assert texts.JUBAO_STATUS_OPEN in html and "其他待处理举报" not in html


def test_a_handled_card_says_who_when_and_the_note() -> None:
    html = card_html(
        _report(
            state="handled",
            handled_by=ADMIN.user_id,
            handled_at="2026-11-02T05:30:00.000000+00:00",
            note="已删除<并提醒>",
            link=None,
        ),
        NAMES,
        [8, 9],
    )
    assert "✅ 已由 李管理 于 2026-11-02 13:30 标记为已处理" in html
    assert "备注：已删除&lt;并提醒&gt;" in html
    assert "普通群" in html and "消息编号 42" in html
    assert "同一消息的其他待处理举报：#8、#9" in html


def test_an_empty_listing_and_a_listing_with_ages_links_and_excerpts() -> None:
    now = datetime(2026, 11, 2, 5, 0, tzinfo=UTC)
    assert listing_html([], now, NAMES) == texts.JUBAO_LIST_EMPTY
    html = listing_html(
        [_report(), _report(id=8, link=None, reason="", excerpt="停课<通知>")], now, NAMES
    )
    lines = html.split("\n")
    assert "2 条" in lines[0]
    assert lines[1].startswith("#7 · 3 小时前 · 一审群&lt;A&amp;B&gt; · 举报人 张&lt;信息&gt;")
    assert "理由：造谣&amp;传谣" in lines[1] and "t.me/c/1234567890/42" in lines[2]
    assert lines[3].startswith("#8 ") and "理由" not in lines[3]
    assert "摘录：停课&lt;通知&gt;" in lines[4]
    assert lines[-1] == texts.JUBAO_LIST_FOOTER


def test_a_long_listing_fits_one_message() -> None:
    now = datetime(2026, 11, 3, tzinfo=UTC)
    many = [_report(id=i, reason="理由" * 90) for i in range(1, 51)]
    html = listing_html(many, now, NAMES)
    assert formatting.visible_units(html) <= formatting.MESSAGE_LIMIT
    assert "未列出" in html and "#1 " in html and "#50 " not in html
