"""An assessment report through the real process: summary, CSV matching the database, PNG chart."""

from __future__ import annotations

import csv
import io
import sqlite3
import struct
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, reject, say, submit_text, tap
from tests.emulator import Message

pytestmark = pytest.mark.e2e

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _reject_at_tier_two(union: Union, draft_id: int) -> None:
    emu = union.emu
    card = await card_for(union, union.tier2, draft_id, 2, 1)
    await reject(union, union.reviewer2, card, "时间写错了。", ("内容真实准确",))
    notice = await emu.wait_for_message(union.officer, has_text("被 钱主席 驳回"))
    await union.officer.send_text("社团招新\n时间改为周五。", reply_to=notice)
    await emu.wait_for_message(union.officer, has_text("已更新为第 2 版"))
    # The revision goes back to its editor, who sends it on.
    returned = await emu.wait_for_message(union.editors, has_text("仍由 王编辑 排版"))
    await tap(union.editor, returned, texts.BUTTON_SEND)


def _rows(message: Message) -> list[list[str]]:
    assert message.document is not None and message.document.file_name is not None
    assert message.document.file_name.startswith("考核报告-")
    return list(csv.reader(io.StringIO(message.document.data.decode("utf-8-sig"))))


async def test_an_assessment_report_as_an_admin_sees_it(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    year = datetime.now(SHANGHAI).year
    # The union's own points: approvals weigh 3, and this year each review decision 1.
    await bot.kill()
    with bot.config.open("a", encoding="utf-8") as config:
        config.write(f"[assessment]\napproved = 3\n[assessment.{year}]\nreviews = 1\n")
    await bot.start()

    assert (await say(union, union.stranger, "/report")).text == texts.REPORT_NOT_ALLOWED
    assert (await say(union, union.officer, "/report")).text == texts.REPORT_NOT_ALLOWED
    bad = await say(union, union.admin, "/report 2026-13")
    assert "不是存在的日期或月份" in bad.text and "/report 2026-11" in bad.text

    # Draft 1 is rejected at tier 2 and approved after a revision; draft 2 passes first time.
    await submit_text(union, "社团招新\n时间为周四。")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await _reject_at_tier_two(union, 1)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 2))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 2))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 2))
    await emu.wait_for_message(union.channel, has_text("社团招新"))
    await submit_text(union, "讲座预告\n周六下午。")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 2, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 2, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 2, 3, 1))
    await emu.wait_for_message(union.channel, has_text("讲座预告"))

    mark = emu.mark()
    await union.admin.send_text("/report", chat=union.admins)
    summary = await emu.wait_for_message(union.admins, has_text("考核报告"), since=mark)
    document = await emu.wait_for_message(
        union.admins, lambda m: m.document is not None, since=mark
    )
    chart = await emu.wait_for_message(union.admins, lambda m: m.photo is not None, since=mark)
    assert summary.seq < document.seq < chart.seq

    # What the admin reads.
    now = datetime.now(SHANGHAI)
    assert f"考核报告 · {now.year}年{now.month}月" in summary.text
    assert "投稿 2 篇（原创 2，紧急 0）" in summary.text
    assert "通过三审 2 篇，其中一次通过 1 篇（50%）" in summary.text
    assert "被驳回 1 次，发布 2 篇" in summary.text
    assert "一审 3 次" in summary.text and "二审 3 次" in summary.text
    assert "三审 2 次" in summary.text
    assert "1. 张信息　11 分" in summary.text
    assert f"[assessment.{year}]" in summary.text

    # The chart arrives as a photo and is a valid PNG.
    assert chart.photo is not None
    data = chart.photo.data
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
        assert image.format == "PNG" and image.size == (width, height)
    assert width > height > 200

    # The CSV parses, and its totals are the database's.
    header, *members, total = _rows(document)
    column = {name: index for index, name in enumerate(header)}
    assert tuple(header) == texts.REPORT_COLUMNS and total[column["成员"]] == texts.REPORT_TOTAL
    with sqlite3.connect(bot.db) as conn:
        submitted = conn.execute(
            "SELECT COUNT(*) FROM audit WHERE action = 'draft.submitted'"
        ).fetchone()[0]
        originals = conn.execute("SELECT COUNT(*) FROM drafts WHERE original = 1").fetchone()[0]
        tiers = dict(conn.execute("SELECT tier, COUNT(*) FROM decisions GROUP BY tier"))
        approved = conn.execute(
            "SELECT COUNT(DISTINCT draft_id) FROM decisions WHERE tier = 3 AND outcome = 'approve'"
        ).fetchone()[0]
        rejected = conn.execute(
            "SELECT COUNT(*) FROM decisions WHERE outcome = 'reject'"
        ).fetchone()[0]
        published = conn.execute("SELECT COUNT(*) FROM publications").fetchone()[0]
        pulled = conn.execute(
            "SELECT actor_id FROM audit WHERE action = 'assessment.report'"
        ).fetchall()
        refused = conn.execute(
            "SELECT COUNT(*) FROM audit WHERE action = 'assessment.refused'"
        ).fetchone()[0]
    expected = {
        "投稿": submitted,
        "原创": originals,
        "一审": tiers[1],
        "二审": tiers[2],
        "三审": tiers[3],
        "通过三审": approved,
        "被驳回": rejected,
        "发布": published,
    }
    for name, value in expected.items():
        assert int(total[column[name]]) == value, name
        assert sum(int(row[column[name]]) for row in members) == value, name
    assert (submitted, tiers[1], tiers[2], approved, rejected) == (2, 3, 3, 2, 1)
    officer = members[0]
    assert officer[column["成员"]] == union.officer.name
    assert officer[column["一次通过率"]] == "50%"
    # 2 submitted + 2 originals + 2 approvals x 3 + 1 first-time approval.
    assert float(officer[column["得分"]]) == 11
    reviewer2 = next(row for row in members if row[column["成员"]] == union.reviewer2.name)
    assert float(reviewer2[column["得分"]]) == 3 and reviewer2[column["审核中位用时（小时）"]]
    assert pulled == [(union.admin.id,)] and refused == 2

    # The advisor may pull one privately; an empty period says so, with no chart.
    advisor = await say(union, union.reviewer3, "/report 本年")
    assert f"考核报告 · {year}年" in advisor.text
    mark = emu.mark()
    empty = await say(union, union.admin, "/report 2020")
    assert texts.REPORT_EMPTY in empty.text
    header_only = await emu.wait_for_message(
        union.admin, lambda m: m.document is not None, since=mark
    )
    assert _rows(header_only) == [list(texts.REPORT_COLUMNS)]
    assert (await say(union, union.admin, "/report 2020-02-30")).text.startswith("「2020-02-30」")
    assert not [m for m in emu.messages(union.admin) if m.seq >= mark and m.photo is not None]
    assert emu.errors == []
