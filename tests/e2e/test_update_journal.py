"""No update is lost: a burst of drafts acknowledged to Telegram survives a SIGKILL."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.harness import BotProcess, Union, has_text, write_config
from tests.emulator import ScriptedUser

pytestmark = pytest.mark.e2e

BURST = 20
INTAKE_CARD = "请用下面的按钮"


@pytest.fixture
async def officers(union: Union) -> list[ScriptedUser]:
    """Twenty officers besides the union's own, each about to send one draft."""
    return [union.emu.add_user(2100 + n, f"信息员{n:02d}") for n in range(1, BURST + 1)]


@pytest.fixture
async def crowded_bot(
    union: Union, officers: list[ScriptedUser], tmp_path: Path
) -> AsyncIterator[BotProcess]:
    """The real bot, with the twenty officers in its config, started and polling."""
    config = write_config(union, tmp_path / "config.toml")
    with config.open("a", encoding="utf-8") as file:
        for officer in officers:
            file.write(f'[[members]]\nid = {officer.id}\nname = "{officer.name}"\n')
            file.write('roles = ["officer"]\n')
    process = BotProcess(union.emu, config, tmp_path / "data" / "bot.sqlite3", tmp_path / "b.log")
    await process.start()
    yield process
    await process.kill()


def _drafts_by_submitter(db: Path) -> dict[int, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT submitter_id, COUNT(*) FROM drafts GROUP BY submitter_id")
        return {int(user): int(count) for user, count in rows}


async def test_a_burst_of_drafts_acknowledged_then_killed_becomes_every_draft_once(
    crowded_bot: BotProcess, union: Union, officers: list[ScriptedUser]
) -> None:
    emu = union.emu
    # Every intake card hangs in flight, so the kill lands while the burst is being handled.
    hang = emu.fail_next("sendMessage", n=BURST, kind="timeout")
    for n, officer in enumerate(officers, start=1):
        await officer.send_text(f"第{n}号稿件\n突发新闻第{n}条的正文。")
    # The bot's next getUpdates confirmed all twenty: Telegram will never send them again.
    await emu.wait_updates_consumed()
    await emu.wait_for(lambda: hang.hits >= 1, what="an intake card in flight")
    await crowded_bot.kill()
    assert emu.pending_updates == []
    assert not [m for o in officers for m in emu.messages(o) if m.from_bot]
    hang.remaining = 0

    await crowded_bot.start()
    for officer in officers:
        await emu.wait_for_message(officer, has_text(INTAKE_CARD), timeout=30)
    # Polling starts only after the journal's updates were handled: everything is in by now.
    cards = {o.id: [m for m in emu.messages(o) if INTAKE_CARD in (m.text or "")] for o in officers}
    assert {user: len(found) for user, found in cards.items()} == {o.id: 1 for o in officers}
    for n, officer in enumerate(officers, start=1):
        assert f"第{n}号稿件" in cards[officer.id][0].text
    # Nothing else either: the draft whose transaction committed before the kill was not
    # handled again (its card went out with the outbox), and no draft was handled twice.
    assert {o.id: len(emu.bot_messages(o)) for o in officers} == {o.id: 1 for o in officers}
    assert _drafts_by_submitter(crowded_bot.db) == {o.id: 1 for o in officers}
    with sqlite3.connect(crowded_bot.db) as conn:
        waiting = conn.execute("SELECT COUNT(*) FROM update_journal WHERE handled_at IS NULL")
        assert waiting.fetchone() == (0,)

    # Once more: a restart handles nothing again.
    await crowded_bot.kill()
    mark = emu.mark()
    await crowded_bot.start()
    await officers[0].send_text("/my")
    await emu.wait_for_message(officers[0], has_text("第1号稿件"), since=mark)
    assert not [m for o in officers for m in emu.messages(o) if m.seq > mark and o != officers[0]]
    assert _drafts_by_submitter(crowded_bot.db) == {o.id: 1 for o in officers}
    emu.assert_no_errors()
