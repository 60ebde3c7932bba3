"""Partner reposts without Telegram: config, parsing, the digest's timing, offers and taps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.clock.timing import Timing
from bot.config import ConfigError, UnionConfig, parse_config
from bot.members import Actor
from bot.partners.service import (
    OFFER_KIND,
    DigestGroup,
    PartnerService,
    admins_digest,
    clean_name,
    digest_key,
    next_digest,
    offer_card,
    parse_chat_id,
    parse_ref,
    partner_digest,
    queue_offers,
    repost_data,
    repost_tap,
)
from storage import Database, audit, drafts, outbox
from storage import partners as store
from storage.drafts import NewContent
from storage.models import Draft, DraftState
from storage.partners import DIGEST_KIND, Outstanding, Partner, Repost
from tests.conftest import ADMIN, OFFICER, config_data

TZ = ZoneInfo("Asia/Shanghai")
STAFF = Actor(5001, "外院<小王>", "wang")
OTHER = Actor(5002, "外院小李", "li")


def _config(**partners: Any) -> UnionConfig:
    data = config_data()
    if partners:
        data["partners"] = partners
    return parse_config(data)


class Clock:
    """A settable clock for the database."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    # Wednesday 2026-11-18 10:00 in Shanghai.
    return Clock(datetime(2026, 11, 18, 10, 0, tzinfo=TZ))


@pytest.fixture
async def cdb(tmp_path: Path, clock: Clock) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "partners.sqlite3", clock)
    async with database.transaction() as tx:
        for actor in (OFFICER, ADMIN):
            await tx.execute(
                "INSERT INTO users (user_id, name, seen_at) VALUES (?, ?, ?)",
                (actor.user_id, actor.name, database.now()),
            )
    yield database
    await database.close()


def _service(db: Database, config: UnionConfig | None = None) -> PartnerService:
    config = config or _config()
    return PartnerService(db, Timing(config.reminders, TZ), config)


async def _draft(db: Database, title: str = "迎新晚会") -> int:
    async with db.transaction() as tx:
        return await drafts.create(
            tx, db.now(), OFFICER.user_id, OFFICER.user_id, title, NewContent(body=title)
        )


async def _offered(db: Database, repost_id: int, chat_id: int, message_id: int) -> None:
    async with db.transaction() as tx:
        assert await store.mark_offered(tx, repost_id, chat_id, message_id, db.now())


# Config and parsing ----------------------------------------------------------------------------


def test_the_digest_defaults_to_monday_nine_and_reads_chinese_weekdays() -> None:
    default = _config().partners
    assert (default.digest_weekday, default.digest_time) == (0, time(9, 0))
    assert _config(digest="星期三 18:30").partners.digest_weekday == 2
    sunday = _config(digest="每周日 8：00:30").partners
    assert (sunday.digest_weekday, sunday.digest_time) == (6, time(8, 0, 30))
    assert _config(digest="周天 07:00").partners.digest_weekday == 6
    assert _config(digest="  ").partners.digest_weekday is None


@pytest.mark.parametrize(
    "value", ["周八 09:00", "周一", "一 09:00", "周一 25:00", "周一 9点", "周一 09:00 10:00", 5]
)
def test_a_bad_digest_names_the_field_and_an_example(value: object) -> None:
    with pytest.raises(ConfigError) as caught:
        _config(digest=value)
    assert caught.value.field == "partners.digest"
    assert "周一 09:00" in str(caught.value)


def test_chat_ids_refs_and_names() -> None:
    assert parse_chat_id("-1001234567890") == -1001234567890
    assert parse_chat_id("－100123") == -100123
    for bad in ("1001234567890", "-", "-0", "-012", "-12a", "", "@group"):
        assert parse_chat_id(bad) is None
    assert parse_ref("3") == ("id", 3)
    assert parse_ref("#12") == ("id", 12)
    assert parse_ref("-100777") == ("chat", -100777)
    for bad in ("0", "abc", "#", "3.5"):
        assert parse_ref(bad) is None
    assert clean_name("  计算机  学院\n学生会 ") == "计算机 学院 学生会"


def test_callback_data_is_short_and_parsed_strictly() -> None:
    data = repost_data(123456789012)
    assert data == "rp:123456789012" and len(data.encode()) <= 64
    assert repost_tap(data) == 123456789012
    for bad in (None, "", "rp:", "rp:0", "rp:-1", "rp:1:2", "rp:12x", "rv:1", "rp:" + "9" * 30):
        assert repost_tap(bad) is None


def test_the_next_digest_is_strictly_after_now() -> None:
    monday_nine = time(9, 0)
    wednesday = datetime(2026, 11, 18, 10, 0, tzinfo=TZ)
    assert next_digest(wednesday, 0, monday_nine, TZ) == datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    assert next_digest(wednesday, 2, time(11, 0), TZ) == datetime(2026, 11, 18, 11, 0, tzinfo=TZ)
    # At the very moment, the next one is a week later (the handler plans after it fires).
    at_it = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    assert next_digest(at_it, 0, monday_nine, TZ) == at_it + timedelta(days=7)
    # A UTC moment that is already Monday in Shanghai.
    utc = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # Monday 07:30 in Shanghai
    assert next_digest(utc, 0, monday_nine, TZ) == datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    assert digest_key(at_it, TZ) == "partners:digest:2026-11-23T09:00:00"
    assert digest_key(at_it.astimezone(UTC), TZ) == digest_key(at_it, TZ)


# Rendering -------------------------------------------------------------------------------------


def _a_draft(**changes: Any) -> Draft:
    fields: dict[str, Any] = {
        "id": 7,
        "submitter_id": 1,
        "editor_id": None,
        "title": "<迎新>晚会",
        "category": "文体类",
        "attribution": "college",
        "college": "计算机学院",
        "source": None,
        "original": True,
        "state": DraftState.PUBLISHED,
        "version": 1,
        "origin_chat_id": 1,
        "created_at": "2026-11-18T02:00:00+00:00",
        "updated_at": "2026-11-18T02:00:00+00:00",
    }
    fields.update(changes)
    return Draft(**fields)


def _repost(**changes: Any) -> Repost:
    fields: dict[str, Any] = {
        "id": 3,
        "partner_id": 1,
        "draft_id": 7,
        "state": "offered",
        "offered_at": "2026-11-18T02:00:00+00:00",
        "chat_id": -100,
        "message_id": 9,
        "reposted_at": None,
        "reposted_by": None,
        "reposted_by_name": None,
        "detail": None,
        "sent_at": "2026-11-18T02:00:01+00:00",
        "post_message_id": 8,
    }
    fields.update(changes)
    return Repost(**fields)


def test_the_offer_names_the_attribution_and_then_who_reposted() -> None:
    draft = _a_draft()
    card = offer_card("测试<学生会>", draft, None, TZ)
    assert "《&lt;迎新&gt;晚会》" in card and "测试&lt;学生会&gt;" in card
    assert "院级承办（计算机学院）" in card and "原创" in card
    assert "已转载</b>" not in card
    done = _repost(
        state="reposted",
        reposted_at="2026-11-18T03:04:00+00:00",
        reposted_by=STAFF.user_id,
        reposted_by_name=STAFF.name,
    )
    marked = offer_card("测试学生会", draft, done, TZ)
    assert marked.endswith(
        texts.REPOST_DONE_LINE.format(who="外院&lt;小王&gt;", at="2026-11-18 11:04")
    )
    repost_card = offer_card(
        "测试学生会", _a_draft(attribution="repost", source="人民网"), None, TZ
    )
    assert "转载（来源：人民网）" in repost_card


def _partner(pid: int, name: str) -> Partner:
    return Partner(pid, -100 - pid, name, 1, "2026-11-01T00:00:00+00:00", None, None)


def _items(pid: int, count: int) -> tuple[Outstanding, ...]:
    return tuple(
        Outstanding(i, pid, i, f"稿件标题{i}" * 3, "2026-11-16T01:00:00+00:00")
        for i in range(1, count + 1)
    )


def test_digests_list_by_partner_and_stay_within_one_message() -> None:
    groups = [
        DigestGroup(_partner(1, "计院<学生会>"), _items(1, 2)),
        DigestGroup(_partner(2, "外院"), _items(2, 1)),
    ]
    html = admins_digest(groups, TZ)
    assert "2 个合作单位共 3 篇" in html
    assert "#1 计院&lt;学生会&gt;</b>（2 篇）" in html and "#2 外院</b>（1 篇）" in html
    assert "稿件 #2《" in html and "11-16 推送" in html
    mine = partner_digest("测试学生会", groups[1], TZ)
    assert "（1 篇）" in mine and "稿件标题1" in mine and "计院" not in mine
    crowded = [DigestGroup(_partner(1, "计院"), _items(1, 400))]
    long = admins_digest(crowded, TZ)
    assert len(long) <= 4096 and "……另有" in long
    assert "400 篇" in long
    assert len(partner_digest("测试学生会", crowded[0], TZ)) <= 4096


# The service over a database -------------------------------------------------------------------


async def test_add_exists_remove_and_restore_are_audited(cdb: Database) -> None:
    service = _service(cdb)
    first = await service.add(ADMIN, -1001, "计算机学院学生会")
    assert first.outcome == "added" and first.partner.id == 1
    again = await service.add(ADMIN, -1001, "别的名字")
    assert again.outcome == "exists" and again.partner.name == "计算机学院学生会"
    assert await service.remove(ADMIN, first.partner)
    assert not await service.remove(ADMIN, first.partner)
    assert await service.listing() == []
    back = await service.add(ADMIN, -1001, "计院学生会")
    assert back.outcome == "restored" and back.partner.id == 1
    assert back.partner.name == "计院学生会" and back.partner.removed_at is None
    async with cdb.reading() as conn:
        events = await audit.between(conn, "", "9999")
    assert [e.action for e in events] == ["partner.added", "partner.removed", "partner.restored"]
    assert all(e.actor_id == ADMIN.user_id for e in events)
    assert service.own_chats() >= {-100900, -100901, -100911, -100912}


async def test_a_publication_queues_one_offer_per_active_partner_once(cdb: Database) -> None:
    service = _service(cdb)
    one = (await service.add(ADMIN, -1001, "计院")).partner
    two = (await service.add(ADMIN, -1002, "外院")).partner
    gone = (await service.add(ADMIN, -1003, "已移除")).partner
    await service.remove(ADMIN, gone)
    draft_id = await _draft(cdb)
    async with cdb.transaction() as tx:
        queued = await queue_offers(tx, draft_id, cdb.now())
        again = await queue_offers(tx, draft_id, cdb.now())
    assert len(queued) == 2 and again == []
    async with cdb.reading() as conn:
        items = [i for i in await outbox.pending(conn) if i.kind == OFFER_KIND]
        reposts = [await store.repost(conn, rid) for rid in queued]
        events = [e.action for e in await audit.for_draft(conn, draft_id)]
    assert [i.payload for i in items] == [{"repost": rid} for rid in queued]
    assert {r.partner_id for r in reposts if r} == {one.id, two.id}
    assert all(r is not None and r.state == "pending" for r in reposts)
    assert events == ["repost.queued"]


async def test_nothing_is_queued_without_partners(cdb: Database) -> None:
    draft_id = await _draft(cdb)
    async with cdb.transaction() as tx:
        assert await queue_offers(tx, draft_id, cdb.now()) == []
    async with cdb.reading() as conn:
        assert await outbox.pending(conn) == []
        assert await audit.for_draft(conn, draft_id) == []


async def test_a_tap_is_recorded_once_and_refused_from_another_chat(cdb: Database) -> None:
    service = _service(cdb)
    partner = (await service.add(ADMIN, -1001, "计院")).partner
    await service.add(ADMIN, -1002, "外院")
    draft_id = await _draft(cdb)
    async with cdb.transaction() as tx:
        first, _ = await queue_offers(tx, draft_id, cdb.now())
    await _offered(cdb, first, partner.chat_id, 42)
    forged = await service.mark_reposted(OTHER, first, -1002, 5)
    assert forged.outcome == "forged"
    assert (await service.mark_reposted(OTHER, 999, partner.chat_id, 42)).outcome == "forged"
    done = await service.mark_reposted(STAFF, first, partner.chat_id, 42)
    assert done.outcome == "done" and done.repost is not None and done.draft is not None
    assert done.repost.state == "reposted" and done.repost.reposted_by == STAFF.user_id
    assert done.repost.reposted_by_name == STAFF.name and done.repost.reposted_at == cdb.now()
    second = await service.mark_reposted(OTHER, first, partner.chat_id, 42)
    assert second.outcome == "already" and second.repost is not None
    assert second.repost.reposted_by_name == STAFF.name
    async with cdb.reading() as conn:
        marked = [e for e in await audit.for_draft(conn, draft_id) if e.action == "repost.marked"]
    assert len(marked) == 1 and marked[0].actor_id == STAFF.user_id
    assert marked[0].detail["name"] == STAFF.name


async def test_a_tap_before_the_send_was_recorded_counts_in_the_partners_chat(
    cdb: Database,
) -> None:
    service = _service(cdb)
    partner = (await service.add(ADMIN, -1001, "计院")).partner
    draft_id = await _draft(cdb)
    async with cdb.transaction() as tx:
        (rid,) = await queue_offers(tx, draft_id, cdb.now())
    done = await service.mark_reposted(STAFF, rid, partner.chat_id, 77)
    assert done.outcome == "done" and done.repost is not None
    assert (done.repost.chat_id, done.repost.message_id) == (partner.chat_id, 77)


async def test_a_refusing_chat_fails_the_offer_and_is_reported_once_per_outage(
    cdb: Database,
) -> None:
    service = _service(cdb)
    partner = (await service.add(ADMIN, -1001, "计院")).partner
    offers = []
    for title in ("一", "二", "三"):
        draft_id = await _draft(cdb, title)
        async with cdb.transaction() as tx:
            offers += await queue_offers(tx, draft_id, cdb.now())
    found = [await service.offer(rid) for rid in offers]
    # No publication rows: offers of drafts never published cannot be sent.
    assert found == [None, None, None]
    async with cdb.reading() as conn:
        reposts = [await store.repost(conn, rid) for rid in offers]
    first, second, third = (r for r in reposts if r is not None)
    assert await service.failed(first, partner, "Forbidden: bot was kicked", reachable=False)
    assert not await service.failed(second, partner, "Forbidden: bot was kicked", reachable=False)
    # Settled offers stay settled.
    assert not await service.failed(first, partner, "again", reachable=False)
    [row] = await service.listing()
    assert (row.failed, row.offered, row.partner.unreachable_at is not None) == (2, 0, True)
    await service.reachable(partner)
    assert await service.failed(third, partner, "Forbidden: bot was kicked", reachable=False)
    async with cdb.reading() as conn:
        events = [e.action for e in await audit.between(conn, "", "9999")]
    assert events.count("repost.failed") == 3


async def test_removing_a_partner_settles_its_unsent_offers(cdb: Database) -> None:
    service = _service(cdb)
    partner = (await service.add(ADMIN, -1001, "计院")).partner
    draft_id = await _draft(cdb)
    async with cdb.transaction() as tx:
        (rid,) = await queue_offers(tx, draft_id, cdb.now())
    await service.remove(ADMIN, partner)
    async with cdb.reading() as conn:
        repost = await store.repost(conn, rid)
    assert repost is not None and repost.state == "failed" and repost.detail == "partner removed"


async def test_counts_and_the_digest_cover_only_delivered_unreposted_offers(
    cdb: Database,
) -> None:
    service = _service(cdb)
    one = (await service.add(ADMIN, -1001, "计院")).partner
    two = (await service.add(ADMIN, -1002, "外院")).partner
    assert await service.digest() == []
    ids = []
    for title in ("甲", "乙"):
        draft_id = await _draft(cdb, title)
        async with cdb.transaction() as tx:
            ids.append(await queue_offers(tx, draft_id, cdb.now()))
    (a1, a2), (b1, b2) = ids
    # Partner one: both delivered, one reposted. Partner two: one delivered, one still pending.
    await _offered(cdb, a1, one.chat_id, 10)
    await _offered(cdb, b1, one.chat_id, 11)
    await _offered(cdb, a2, two.chat_id, 20)
    await service.mark_reposted(STAFF, b1, one.chat_id, 11)
    rows = {r.partner.id: r for r in await service.listing()}
    assert (rows[one.id].offered, rows[one.id].reposted, rows[one.id].outstanding) == (2, 1, 1)
    assert (rows[two.id].offered, rows[two.id].reposted, rows[two.id].outstanding) == (1, 0, 1)
    groups = await service.digest()
    assert [(g.partner.id, [i.title for i in g.items]) for g in groups] == [
        (one.id, ["甲"]),
        (two.id, ["甲"]),
    ]
    await service.remove(ADMIN, two)
    assert [g.partner.id for g in await service.digest()] == [one.id]
    assert b2  # still pending: never in a digest


async def _digest_rows(db: Database) -> list[tuple[str, str, str]]:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT key, state, due_at FROM reminders WHERE kind = ? ORDER BY id", (DIGEST_KIND,)
        )
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


async def test_the_digest_is_scheduled_once_and_follows_a_changed_schedule(
    cdb: Database, clock: Clock
) -> None:
    service = _service(cdb)
    # No partners, no digest.
    assert await service.ensure_digest() is None
    assert await _digest_rows(cdb) == []
    # The first partner brings it.
    partner = (await service.add(ADMIN, -1001, "计院")).partner
    due = await service.ensure_digest()
    assert due == datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    assert await service.ensure_digest() == due
    assert await _digest_rows(cdb) == [
        ("partners:digest:2026-11-23T09:00:00", "pending", "2026-11-23T01:00:00.000000+00:00")
    ]
    # The admins move the digest to Friday 17:00 and restart: Monday's row is skipped.
    friday = _service(cdb, _config(digest="周五 17:00"))
    assert await friday.ensure_digest() == datetime(2026, 11, 20, 17, 0, tzinfo=TZ)
    assert [(k, s) for k, s, _ in await _digest_rows(cdb)] == [
        ("partners:digest:2026-11-23T09:00:00", "skipped"),
        ("partners:digest:2026-11-20T17:00:00", "pending"),
    ]
    # Down over Friday: the overdue digest is kept (it still goes out), next week's is added.
    clock.now = datetime(2026, 11, 21, 12, 0, tzinfo=TZ)
    await friday.ensure_digest()
    states = [(k[-19:], s) for k, s, _ in await _digest_rows(cdb)]
    assert states[1:] == [("2026-11-20T17:00:00", "pending"), ("2026-11-27T17:00:00", "pending")]
    # Switched off: future digests are skipped, none is added.
    off = _service(cdb, _config(digest=""))
    assert await off.ensure_digest() is None
    assert [s for _, s, _ in await _digest_rows(cdb)] == ["skipped", "pending", "skipped"]
    # Back on the same week: that week's digest is revived, not lost to its skipped row.
    await friday.ensure_digest()
    assert [(k[-19:], s) for k, s, _ in await _digest_rows(cdb)][-1] == (
        "2026-11-27T17:00:00",
        "pending",
    )
    # The last partner removed: the planned digest is skipped too.
    await friday.remove(ADMIN, partner)
    assert [s for _, s, _ in await _digest_rows(cdb)][-1] == "skipped"
    assert await friday.ensure_digest() is None
