"""The update journal around PTB: recorded before confirmed, handled once, replayed at start."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.ops.journal import (
    KEEP_SETTLED,
    MAX_REPLAYS,
    JournalingApplication,
    JournalingBot,
    JournalingQueue,
    JournalUnavailable,
    UpdateJournal,
)
from storage import Database, meta
from storage import updates as journal_rows
from storage.updates import JournaledDatabase
from tests.e2e.harness import TOKEN
from tests.emulator import BotApiEmulator, ScriptedUser


class Clock:
    """The database's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def db(tmp_path: Path, clock: Clock) -> AsyncIterator[Database]:
    database = await JournaledDatabase.open(tmp_path / "journal.sqlite3", clock=clock)
    yield database
    await database.close()


@pytest.fixture
def alice(emu: BotApiEmulator) -> ScriptedUser:
    return emu.add_user(3001, "阿丽", started=True)


def _bot(emu: BotApiEmulator, journal: UpdateJournal) -> JournalingBot:
    return JournalingBot(journal, TOKEN, base_url=emu.api_url, base_file_url=emu.file_url)


async def _rows(db: Database) -> dict[int, str | None]:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall("SELECT update_id, outcome FROM update_journal")
    return {int(r[0]): r[1] for r in rows}


async def test_get_updates_journals_before_returning_and_confirms_known_ones_unreturned(
    emu: BotApiEmulator, db: Database, alice: ScriptedUser
) -> None:
    for text in ("一", "二", "三"):
        await alice.send_text(text)
    first = UpdateJournal()
    first.attach(db)
    async with _bot(emu, first) as bot:
        fetched = await bot.get_updates(offset=0, timeout=0)
        assert [u.message.text for u in fetched if u.message] == ["一", "二", "三"]
        assert await _rows(db) == {u.update_id: None for u in fetched}
        # Not confirmed yet: that is PTB's next call, and it may never come (a kill).
        assert len(emu.pending_updates) == 3
        for update in fetched[:2]:
            await first.settle(update)
    assert list((await _rows(db)).values()) == ["handled", "handled", None]

    # The next process: Telegram sends all three again. None is handed to PTB a second time
    # (the third is the journal's to replay), and all three are confirmed.
    second = UpdateJournal()
    second.attach(db)
    async with _bot(emu, second) as bot:
        assert await bot.get_updates(offset=0, timeout=0) == ()
    assert emu.pending_updates == []
    await alice.send_text("四")
    async with _bot(emu, second) as bot:
        (fourth,) = await bot.get_updates(offset=0, timeout=0)
    assert fourth.message is not None and fourth.message.text == "四"


async def test_the_journal_keeps_each_update_as_the_bot_api_sent_it(
    emu: BotApiEmulator, db: Database, alice: ScriptedUser
) -> None:
    for text in ("一", "二"):
        await alice.send_text(text)
    journal = UpdateJournal()
    journal.attach(db)
    async with _bot(emu, journal) as bot:
        fetched = await bot.get_updates(offset=0, timeout=0)
    (call,) = [c for c in emu.calls_to("getUpdates") if c.result]
    assert isinstance(call.result, list)
    sent = {u["update_id"]: u for u in call.result}
    async with db.reading() as conn:
        rows = await conn.execute_fetchall("SELECT update_id, payload FROM update_journal")
    stored = {int(r[0]): json.loads(r[1]) for r in rows}
    assert stored == sent
    # What a replay reads back is the update PTB was handed.
    for update in fetched:
        assert Update.de_json(stored[update.update_id], bot) == update


async def test_without_the_journal_nothing_is_returned_and_telegram_keeps_the_updates(
    emu: BotApiEmulator, db: Database, alice: ScriptedUser
) -> None:
    await alice.send_text("稿件")
    journal = UpdateJournal()
    journal.attach(db)
    journal.detach()
    async with _bot(emu, journal) as bot:
        with pytest.raises(JournalUnavailable) as raised:
            await bot.get_updates(offset=0, timeout=0)
    # A TelegramError: PTB's polling loop backs off and asks again with the same offset.
    assert isinstance(raised.value, TelegramError)
    assert len(emu.pending_updates) == 1
    assert await _rows(db) == {}


def _update(update_id: int, text: str, user: ScriptedUser) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 100 + update_id,
            "date": 1765094400,
            "chat": {"id": user.id, "type": "private", "first_name": user.name},
            "from": {"id": user.id, "is_bot": False, "first_name": user.name},
            "text": text,
        },
    }


async def test_the_webhook_queue_journals_first_and_drops_a_resent_update(
    emu: BotApiEmulator, db: Database, alice: ScriptedUser
) -> None:
    journal = UpdateJournal()
    queue = JournalingQueue(journal)
    async with _bot(emu, journal) as bot:
        update = Update.de_json(_update(41, "网页钩子", alice), bot)
        with pytest.raises(JournalUnavailable):
            await queue.put(update)
        assert queue.empty()
        journal.attach(db)
        await queue.put(update)
        # Telegram did not get the 200 and posts it again, as a new object.
        await queue.put(Update.de_json(_update(41, "网页钩子", alice), bot))
        await queue.put("not an update")
    assert [queue.get_nowait(), queue.get_nowait()] == [update, "not an update"]
    assert queue.empty()
    assert await _rows(db) == {41: None}


Seen = list[str]


def _application(emu: BotApiEmulator, journal: UpdateJournal, seen: Seen) -> Application:  # type: ignore[type-arg]
    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        seen.append(update.message.text)
        if update.message.text == "炸":
            raise RuntimeError("a handler failed")
        await update.message.reply_text(f"收到：{update.message.text}")

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert isinstance(update, Update) and update.message is not None
        await update.message.reply_text("出错了")

    application = (
        ApplicationBuilder()
        .bot(_bot(emu, journal))
        .application_class(JournalingApplication, {"journal": journal})
        .update_queue(JournalingQueue(journal))
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, on_text))
    application.add_error_handler(on_error)
    return application


async def _polling(application: Application, run: Callable[[], Awaitable[None]]) -> None:  # type: ignore[type-arg]
    """Poll the emulator while ``run`` plays the users."""
    assert application.updater is not None
    await application.start()
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        await run()
    finally:
        await application.updater.stop()
        await application.stop()


async def test_each_update_is_marked_handled_after_its_handlers_even_when_one_raised(
    emu: BotApiEmulator, db: Database, alice: ScriptedUser
) -> None:
    journal = UpdateJournal()
    seen: Seen = []
    application = _application(emu, journal, seen)

    async def converse() -> None:
        for text in ("甲", "炸", "乙"):
            await alice.send_text(text)
        await emu.wait_for_message(alice, lambda m: m.text == "收到：乙")

    async with application:
        journal.attach(db)
        assert await journal.start(application) == 0
        await _polling(application, converse)
    assert seen == ["甲", "炸", "乙"]
    assert [m.text for m in emu.bot_messages(alice)] == ["收到：甲", "出错了", "收到：乙"]
    assert list((await _rows(db)).values()) == ["handled"] * 3


async def test_start_handles_waiting_updates_in_order_once_and_prunes_old_ones(
    emu: BotApiEmulator, db: Database, alice: ScriptedUser, clock: Clock
) -> None:
    stale = clock.now
    async with db.transaction() as tx:
        old = journal_rows.Received(1, json.dumps(_update(1, "上周的", alice)))
        await journal_rows.record(tx, db.now(), [old], db.now())
        await journal_rows.mark_handled(tx, db.now(), 1)
    clock.now = stale + KEEP_SETTLED + timedelta(minutes=1)
    # Journaled before a kill, never handled: out of order on disk, and one unreadable.
    waiting = [
        journal_rows.Received(n, json.dumps(_update(n, text, alice)))
        for n, text in ((12, "后"), (10, "先"), (11, "炸"))
    ]
    broken = journal_rows.Received(13, json.dumps({"update_id": 13, "message": {"x": 1}}))
    async with db.transaction() as tx:
        await journal_rows.record(tx, db.now(), [*waiting, broken], db.now())

    journal = UpdateJournal()
    seen: Seen = []
    application = _application(emu, journal, seen)
    async with application:
        journal.attach(db)
        assert await journal.start(application) == 3
        assert seen == ["先", "炸", "后"]
        assert await _rows(db) == {10: "handled", 11: "handled", 12: "handled", 13: "abandoned"}
        # Nothing is handled twice: a second start finds nothing waiting.
        assert await journal.start(application) == 0
    assert seen == ["先", "炸", "后"]
    assert [m.text for m in emu.bot_messages(alice)] == ["收到：先", "出错了", "收到：后"]


async def test_an_update_that_never_finishes_is_given_up_and_the_ones_behind_it_run(
    emu: BotApiEmulator, db: Database, alice: ScriptedUser
) -> None:
    rows = [journal_rows.Received(n, json.dumps(_update(n, str(n), alice))) for n in (20, 21)]
    async with db.transaction() as tx:
        await journal_rows.record(tx, db.now(), rows, db.now())
        # Update 20 was being replayed when the bot died, at each of the last MAX_REPLAYS starts.
        for _ in range(MAX_REPLAYS):
            await journal_rows.count_replay(tx, 20)
    journal = UpdateJournal()
    seen: Seen = []
    async with _application(emu, journal, seen) as application:
        journal.attach(db)
        assert await journal.start(application) == 1
    assert seen == ["21"]
    assert await _rows(db) == {20: "abandoned", 21: "handled"}
    async with db.reading() as conn:
        counted = await conn.execute_fetchall(
            "SELECT replays FROM update_journal ORDER BY update_id"
        )
    assert [int(r[0]) for r in counted] == [MAX_REPLAYS, 1]


async def test_an_update_killed_after_its_action_committed_is_not_handled_again(
    emu: BotApiEmulator, db: Database, alice: ScriptedUser
) -> None:
    journal = UpdateJournal()
    journal.attach(db)
    reached = {"写了": asyncio.Event(), "没写": asyncio.Event()}

    async def act_then_hang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        text = update.message.text
        if text == "写了":
            async with db.transaction() as tx:
                await meta.put(tx, "action", "done")
        reached[text].set()
        # The reply is in flight when the power goes out.
        await asyncio.Event().wait()

    killed = (
        ApplicationBuilder()
        .bot(_bot(emu, journal))
        .application_class(JournalingApplication, {"journal": journal})
        .build()
    )
    killed.add_handler(MessageHandler(filters.TEXT, act_then_hang))
    async with killed:
        for update_id, text in ((2, "写了"), (3, "没写")):
            sent = Update.de_json(_update(update_id, text, alice), killed.bot)
            (update,) = await journal.record([sent])
            running = asyncio.create_task(killed.process_update(update))
            await reached[text].wait()
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running
    assert await _rows(db) == {2: None, 3: None}

    # The restart: the update whose action committed is settled, the other handled again.
    restarted = UpdateJournal()
    seen: Seen = []
    async with _application(emu, restarted, seen) as application:
        restarted.attach(db)
        assert await restarted.start(application) == 1
    assert seen == ["没写"]
    assert await _rows(db) == {2: "handled", 3: "handled"}
