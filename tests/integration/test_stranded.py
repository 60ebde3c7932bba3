"""No draft is stranded: people who cannot be reached yet, outages of minutes, rate limits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import Application

from bot.services import SERVICES_KEY, Services
from storage import outbox
from tests.e2e.harness import Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, review_cards, submit_text
from tests.emulator import BotApiEmulator


def _services(app: Application) -> Services:  # type: ignore[type-arg]
    found = app.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


class MovedClock:
    """The bot's clock, moved by the test; the emulator keeps real time."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def _alerts(emu: BotApiEmulator, union: Union, words: str) -> list[str]:
    return [m.text for m in emu.messages(union.admins) if words in (m.text or "")]


async def test_an_advisor_who_never_started_the_bot_gets_her_card_after_start(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    union.reviewer3.chat.started = False
    await submit_text(union, "从未私聊\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    alert = await emu.wait_for_message(union.admins, has_text("还没有私聊过机器人"))
    assert union.reviewer3.name in alert.text and "/start" in alert.text
    assert "稿件 #1 的审核卡片" in alert.text and "Forbidden" not in alert.text
    # She opens the chat: the card that waited arrives once; she approves; it is published once.
    await union.reviewer3.send_text("/start")
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    await emu.wait_for(lambda: len(emu.messages(union.channel)) == 1, what="published once")
    assert len(review_cards(union, union.reviewer3, 3)) == 1
    assert len(_alerts(emu, union, "还没有私聊过机器人")) == 1


async def _wait_retried(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    clock: MovedClock,
    hits: Callable[[], int],
) -> None:
    """Move the clock to the publication's next try and wait for the outbox to make it."""
    next_at = await _next_try(app, "publish")
    clock.now = max(clock.now, datetime.fromisoformat(next_at))
    before = hits()
    await emu.wait_for(lambda: hits() > before, what="a retry", timeout=30)


async def _next_try(app: Application, kind: str) -> str:  # type: ignore[type-arg]
    """When the outbox will try the pending ``kind`` item again, once it has recorded a failure."""
    db = _services(app).db
    async with asyncio.timeout(30):
        while True:
            async with db.reading() as conn:
                item = next(i for i in await outbox.pending(conn) if i.kind == kind)
            if item.next_at is not None and item.sending_at is None:
                return item.next_at
            await asyncio.sleep(0.02)


@pytest.mark.parametrize("kind", ["bad_gateway", "http500"])
@pytest.mark.union_config(retry_seconds=0.2)
async def test_a_channel_outage_of_fifteen_minutes_delays_the_post_and_loses_nothing(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
    kind: str,
) -> None:
    clock = MovedClock()
    _services(app).db.clock = clock
    outage = emu.fail_next("sendMessage", n=10_000, kind=kind, chat=union.channel)  # type: ignore[arg-type]
    await submit_text(union, "断网十五分钟\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    await emu.wait_for(lambda: outage.hits >= 1, what="the first try")
    started = clock.now
    while clock.now - started < timedelta(minutes=15):
        await _wait_retried(app, emu, clock, lambda: outage.hits)
    # Retried by time, doubling to ten minutes: a handful of tries, not one per tick.
    assert 5 <= outage.hits <= 16
    outage.remaining = 0
    await _wait_retried(app, emu, clock, lambda: len(emu.messages(union.channel)))
    assert len(emu.messages(union.channel)) == 1
    await emu.wait_for_message(union.officer, has_text("已发布"))
    assert len(_alerts(emu, union, "暂时发布不到频道")) == 1


@pytest.mark.union_config(retry_seconds=0.2)
async def test_rate_limits_are_honoured_and_nothing_is_doubled(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    clock = MovedClock()
    svc = _services(app)
    svc.db.clock = clock
    limited = emu.fail_next(
        "sendMessage", n=1, kind="retry_after", chat=union.tier2, retry_after=30
    )
    await submit_text(union, "限流\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await emu.wait_for(lambda: limited.hits == 1, what="the 429")
    next_at = datetime.fromisoformat(await _next_try(app, "review_card"))
    # Not before Telegram's retry_after.
    assert next_at >= clock.now + timedelta(seconds=30)
    clock.now = next_at
    card = await card_for(union, union.tier2, 1, 2, 1)
    assert len(review_cards(union, union.tier2, 2)) == 1
    await approve(union.reviewer2, card)


async def test_a_group_that_adds_the_bot_back_gets_its_card_once(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    union.tier2.remove_bot()
    await submit_text(union, "移出群\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    alert = await emu.wait_for_message(union.admins, has_text("机器人已不在"))
    assert "第 2 级审核群" in alert.text and "加回" in alert.text
    union.tier2.add_bot()
    card = await card_for(union, union.tier2, 1, 2, 1)
    await approve(union.reviewer2, card)
    await card_for(union, union.reviewer3, 1, 3, 1)
    assert len(review_cards(union, union.tier2, 2)) == 1
    assert len(_alerts(emu, union, "机器人已不在")) == 1


async def test_admins_see_what_waits_and_send_it_again(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    union.tier2.remove_bot()
    await submit_text(union, "查看等待\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await emu.wait_for_message(union.admins, has_text("机器人已不在"))
    listing = await union.admin.send_text("/outbox")
    answer = await emu.wait_for_message(union.admin, has_text("等待发送的消息"))
    assert "稿件 #1 的审核卡片" in answer.text and "第 2 级审核群" in answer.text
    assert listing is not None
    # Someone re-adds the bot without the update reaching us; an admin presses 重发.
    union.tier2.chat.bot_status = "member"
    await union.admin.tap(answer, "重发第 1 条")
    await card_for(union, union.tier2, 1, 2, 1)
    await union.admin.send_text("/outbox")
    await emu.wait_for_message(union.admin, has_text("没有等待发送的消息"))


async def test_a_reviewer_can_always_act_from_pending(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "卡片丢了\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await card_for(union, union.reviewer3, 1, 3, 1)
    # She cannot find the card; /pending gives her one with its buttons, and it works.
    await union.reviewer3.send_text("/pending")
    listing = await emu.wait_for_message(union.reviewer3, has_text("卡片丢了"))
    mark = emu.mark()
    await union.reviewer3.tap(listing, "📨 发第 3 级审核卡片 · 稿件 #1")
    await emu.wait_for(
        lambda: any(m.seq > mark for m in review_cards(union, union.reviewer3, 3)),
        what="a fresh card",
    )
    fresh = [m for m in review_cards(union, union.reviewer3, 3) if m.seq > mark]
    await approve(union.reviewer3, fresh[-1])
    await emu.wait_for(lambda: len(emu.messages(union.channel)) == 1, what="published once")
    # A member of another tier gets no such button for a draft that is not theirs to decide.
    await union.reviewer1.send_text("/pending")
    await emu.wait_for_message(union.reviewer1, has_text("没有"))


async def test_the_start_up_check_names_who_cannot_be_reached(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    # Set before the check runs (a second after the start): she never opened a chat with
    # the bot, and the tier-2 group removed it.
    union.reviewer3.chat.started = False
    union.tier2.remove_bot()
    alert = await emu.wait_for_message(union.admins, has_text("机器人启动时发现"))
    assert union.reviewer3.name in alert.text and "二审群" in alert.text
    assert "Forbidden" not in alert.text


@pytest.mark.union_config(retry_seconds=0.2)
async def test_a_channel_that_times_out_gets_the_post_once_it_answers(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    clock = MovedClock()
    _services(app).db.clock = clock
    hangs = emu.fail_next("sendMessage", n=2, kind="timeout", chat=union.channel)
    await submit_text(union, "频道超时\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    await emu.wait_for(lambda: hangs.hits == 1, what="the first try", timeout=30)
    await _wait_retried(app, emu, clock, lambda: hangs.hits)
    await _wait_retried(app, emu, clock, lambda: len(emu.messages(union.channel)))
    assert len(emu.messages(union.channel)) == 1
    assert len(_alerts(emu, union, "暂时发布不到频道")) == 1
