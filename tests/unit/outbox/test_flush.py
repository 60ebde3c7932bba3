"""The outbox flush: what went out is settled (on the trip that reads what is due next), once,
also when a later item's sender fails in a way the runner does not know."""

from __future__ import annotations

from collections import Counter

import pytest
from telegram import Bot

from bot.config import UnionConfig
from bot.outbox.runner import Delivery
from storage import Database, outbox
from storage.models import OutboxItem
from tests.e2e.harness import TOKEN
from tests.emulator import BotApiEmulator


class Bug(Exception):
    """A sender's own bug: no delivery failure, so the flush lets it through."""


@pytest.fixture
def delivery(emu: BotApiEmulator, db: Database, config: UnionConfig) -> Delivery:
    return Delivery(Bot(TOKEN, base_url=emu.api_url), db, config)


async def _queue(db: Database, *kinds: str) -> list[int]:
    async with db.transaction() as tx:
        return [await outbox.add(tx, db.now(), kind, None) for kind in kinds]


async def _item(db: Database, item_id: int) -> OutboxItem:
    async with db.reading() as conn:
        found = await outbox.get(conn, item_id)
    assert found is not None
    return found


async def test_what_went_out_is_settled_once_and_not_sent_again(
    db: Database, delivery: Delivery
) -> None:
    calls: Counter[int] = Counter()

    async def send(item: OutboxItem) -> None:
        calls[item.id] += 1

    delivery.register("card", send)
    first, second = await _queue(db, "card", "card")
    assert await delivery.flush() == 2
    assert await delivery.flush() == 0
    assert calls == {first: 1, second: 1}
    for item_id in (first, second):
        item = await _item(db, item_id)
        assert item.attempts == 1 and item.sending_at is None
    async with db.reading() as conn:
        assert await outbox.due(conn, db.now()) == []
        rows = await conn.execute_fetchall("SELECT outcome FROM outbox WHERE done_at IS NOT NULL")
    assert [r[0] for r in rows] == ["sent", "sent"]


async def test_a_sender_bug_does_not_leave_what_already_went_out_unsettled(
    db: Database, delivery: Delivery
) -> None:
    calls: Counter[str] = Counter()

    async def send(item: OutboxItem) -> None:
        calls[item.kind] += 1

    async def broken(item: OutboxItem) -> None:
        calls[item.kind] += 1
        raise Bug("the sender's own bug")

    delivery.register("card", send)
    delivery.register("broken", broken)
    sent, failing = await _queue(db, "card", "broken")
    with pytest.raises(Bug):
        await delivery.flush()
    assert (await _item(db, sent)).attempts == 1
    async with db.reading() as conn:
        due = [i.id for i in await outbox.due(conn, db.now())]
    # The card is not sent a second time; the broken item is still pending.
    assert due == [failing]
    delivery.senders.pop("broken")
    delivery.register("broken", send)
    assert await delivery.flush() == 1
    assert calls == {"card": 1, "broken": 2}
