"""/audit: the audit trail as a CSV file whose rows match the database."""

from __future__ import annotations

import csv
import io

from telegram.ext import Application

from bot import texts
from tests.e2e.harness import Union
from tests.e2e.story import approve, card_for, pass_editing, say, submit_text
from tests.emulator import BotApiEmulator


async def test_audit_export_matches_the_database(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "审计测试\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await say(union, union.admin, "/kw add 测试禁词 block 谣言")
    assert (await say(union, union.officer, "/audit")).text == texts.AUDIT_ADMIN_ONLY
    assert "晚于" in (await say(union, union.admin, "/audit 2026-11-30 2026-11-01")).text
    assert "不对" in (await say(union, union.admin, "/audit 11月1日")).text
    empty = await say(union, union.admin, "/audit 2020-01-01 2020-01-31")
    assert empty.text == texts.AUDIT_EMPTY.format(start="2020-01-01", end="2020-01-31")

    mark = emu.mark()
    await union.admin.send_text("/audit")
    exported = await emu.wait_for_message(union.admin, lambda m: m.document is not None, since=mark)
    assert exported.document is not None and exported.document.file_name is not None
    assert exported.document.file_name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(exported.document.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == texts.AUDIT_COLUMNS
    db = app.bot_data["services"].db
    async with db.reading() as conn:
        stored = await conn.execute_fetchall("SELECT id, action FROM audit ORDER BY id")
    assert [(int(r[0]), r[8]) for r in rows[1:]] == [(row[0], row[1]) for row in stored]
    actions = {r[8] for r in rows[1:]}
    assert {"draft.created", "review.approved", "lexicon.added", "role.seeded"} <= actions
    assert f"共 {len(rows) - 1} 条" in exported.text
    approved = next(r for r in rows[1:] if r[8] == "review.approved")
    assert approved[2] == "赵部长" and approved[3] == texts.ACTIONS["review.approved"]
    # What people read is Chinese: every action named, every detail in words, no JSON.
    for row in rows[1:]:
        assert row[3] == texts.ACTIONS[row[8]], row
        assert "{" not in row[6] and '"' not in row[6], row
        names = [part.split("：", 1)[0] for part in row[6].split("；") if part]
        assert all(not name.isascii() for name in names), row
