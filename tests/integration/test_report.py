"""/report in chat: who may pull it, where, bad periods, an empty period, and a full report."""

from __future__ import annotations

import csv
import io

import pytest
from telegram.ext import Application

from bot import texts
from bot.assessment import chart as report_chart
from bot.members import Actor
from bot.services import Services
from tests.e2e.harness import Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, say, submit_text
from tests.emulator import BotApiEmulator, Message


def _services(app: Application) -> Services:  # type: ignore[type-arg]
    found = app.bot_data["services"]
    assert isinstance(found, Services)
    return found


async def _audited(app: Application, action: str) -> list[str]:  # type: ignore[type-arg]
    async with _services(app).db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT detail FROM audit WHERE action = ? ORDER BY id", (action,)
        )
    return [str(row[0]) for row in rows]


def _csv(message: Message) -> list[list[str]]:
    assert message.document is not None and message.document.file_name is not None
    assert message.document.file_name.endswith(".csv")
    assert message.document.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(message.document.data.decode("utf-8-sig"))))


async def test_only_admins_and_advisors_in_private_or_the_admins_chat(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    assert (await say(union, union.officer, "/report")).text == texts.REPORT_NOT_ALLOWED
    assert (await say(union, union.stranger, "/report")).text == texts.REPORT_NOT_ALLOWED
    wrong = await say(union, union.admin, "/report", chat=union.editors)
    assert wrong.text == texts.REPORT_WRONG_CHAT
    refusals = await _audited(app, "assessment.refused")
    assert len(refusals) == 3 and '"reason": "chat"' in refusals[2]
    assert not await _audited(app, "assessment.report")
    # The advisor may; so may an admin in the admins' chat.
    advisor = await say(union, union.reviewer3, "/report 2020-01")
    assert "考核报告 · 2020年1月" in advisor.text
    in_group = await say(union, union.admin, "/report 2020", chat=union.admins)
    assert "考核报告 · 2020年" in in_group.text
    assert len(await _audited(app, "assessment.report")) == 2


@pytest.mark.parametrize(
    ("command", "fragment"),
    [
        ("/report 2026-13", "不是存在的日期或月份"),
        ("/report 2026-11-31", "不是存在的日期或月份"),
        ("/report 11月", "没能识别「11月」"),
        ("/report 2026-11-30 2026-09-01", "请把开始写在前"),
        ("/report 2099", "还没到"),
        ("/report 3026", "不在 2000–2100 之间"),
        ("/report 2001 2026", "超过 10 年"),
        ("/report 2026 2027 2028", "用法"),
    ],
)
async def test_bad_periods_get_a_clear_answer_and_nothing_else(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
    command: str,
    fragment: str,
) -> None:
    mark = emu.mark()
    answer = await say(union, union.admin, command)
    assert fragment in answer.text and "/report" in answer.text
    # The answer is a plain message; a later command's reply proves nothing else was sent.
    await say(union, union.admin, "/report 2020-01")
    await emu.wait_for_message(union.admin, lambda m: m.document is not None, since=mark)
    sent = [m for m in emu.messages(union.admin) if m.seq >= mark and m.from_bot]
    assert [m.document is not None for m in sent] == [False, False, True]
    pulled = await _audited(app, "assessment.report")
    assert len(pulled) == 1 and "2020-01-01" in pulled[0]


async def test_an_empty_period_has_a_header_only_csv_and_no_chart(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    mark = emu.mark()
    summary = await say(union, union.admin, "/report 2020-01-01 2020-03-31")
    assert texts.REPORT_EMPTY in summary.text and "2020-01-01 至 2020-03-31" in summary.text
    document = await emu.wait_for_message(union.admin, lambda m: m.document is not None, since=mark)
    assert _csv(document) == [list(texts.REPORT_COLUMNS)]
    assert "没有记录" in document.text
    await say(union, union.admin, "/report 1999")
    assert not [m for m in emu.messages(union.admin) if m.seq >= mark and m.photo is not None]


async def test_a_report_matches_the_database(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    svc = _services(app)
    await submit_text(union, "迎新晚会通知\n正文")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    await emu.wait_for_message(union.channel, has_text("迎新晚会通知"))
    await submit_text(union, "讲座预告\n正文")
    await pass_editing(union)
    await card_for(union, union.tier1, 2, 1, 1)
    reviewer1 = Actor(union.reviewer1.id, union.reviewer1.name, None)
    await svc.pipeline.reject(reviewer1, 2, 1, 1, ["1"], "时间有误")

    mark = emu.mark()
    await union.admin.send_text("/report")
    summary = await emu.wait_for_message(union.admin, has_text("考核报告"), since=mark)
    document = await emu.wait_for_message(union.admin, lambda m: m.document is not None, since=mark)
    photo = await emu.wait_for_message(union.admin, lambda m: m.photo is not None, since=mark)
    assert summary.seq < document.seq < photo.seq
    assert "投稿 2 篇（原创 2，紧急 0）" in summary.text
    assert "通过三审 1 篇，其中一次通过 1 篇（100%）" in summary.text
    assert "被驳回 1 次，发布 1 篇" in summary.text
    assert "1. 张信息" in summary.text
    assert photo.photo is not None and photo.photo.data.startswith(b"\x89PNG\r\n\x1a\n")
    # Reviews decided within seconds: the axis is in minutes, and so says the caption.
    assert photo.text == texts.REPORT_CHART_CAPTION.format(unit=texts.REPORT_CHART_MINUTES)

    header, *members, total = _csv(document)
    assert tuple(header) == texts.REPORT_COLUMNS and total[1] == texts.REPORT_TOTAL
    column = {name: header.index(name) for name in header}
    async with svc.db.reading() as conn:
        submitted = await conn.execute_fetchall(
            "SELECT COUNT(*) FROM audit WHERE action = 'draft.submitted'"
        )
        tiers: dict[int, int] = {
            row[0]: row[1]
            for row in await conn.execute_fetchall(
                "SELECT tier, COUNT(*) FROM decisions GROUP BY tier"
            )
        }
        rejected = await conn.execute_fetchall(
            "SELECT COUNT(*) FROM decisions WHERE outcome = 'reject'"
        )
        edited = await conn.execute_fetchall(
            "SELECT COUNT(*) FROM audit WHERE action = 'editing.sent'"
        )
        roster = await conn.execute_fetchall("SELECT COUNT(DISTINCT user_id) FROM member_roles")
    assert int(total[column["投稿"]]) == next(iter(submitted))[0] == 2
    assert int(total[column["一审"]]) == tiers[1] == 2
    assert int(total[column["二审"]]) == tiers[2] == 1
    assert int(total[column["三审"]]) == tiers[3] == 1
    assert int(total[column["被驳回"]]) == next(iter(rejected))[0] == 1
    assert int(total[column["排版送审"]]) == next(iter(edited))[0] == 2
    assert len(members) == next(iter(roster))[0]
    for name in ("投稿", "通过三审", "一次通过", "一审", "二审", "三审", "发布"):
        assert int(total[column[name]]) == sum(int(row[column[name]]) for row in members), name
    officer = next(row for row in members if row[column["成员ID"]] == str(union.officer.id))
    assert officer[column["一次通过率"]] == "100%" and officer[column["原创"]] == "2"
    assert float(officer[column["得分"]]) == 2 + 2 + 2 + 1  # submitted, originals, approved, first
    assert members[0] == officer
    emu.assert_no_errors()


async def test_a_chart_telegram_refuses_as_a_photo_arrives_as_a_file(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await submit_text(union, "一篇稿件\n正文")
    monkeypatch.setattr(report_chart, "render_chart", lambda chart: b"not an image")
    mark = emu.mark()
    await union.admin.send_text("/report")
    chart = await emu.wait_for_message(
        union.admin,
        lambda m: m.document is not None and m.text.startswith("左：每月投稿"),
        since=mark,
    )
    assert chart.document is not None and chart.document.file_name is not None
    assert chart.document.file_name.endswith(".png")


async def test_withdrawn_drafts_and_an_admin_s_urgency_are_not_the_officer_s(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await submit_text(union, "留下的稿件\n正文")
    await submit_text(union, "撤回的稿件\n正文")
    await say(union, union.admin, "/urgent 1")
    await emu.wait_for_message(union.officer, has_text("标记为紧急"))
    await union.officer.send_text("/withdraw 2")
    question = await emu.wait_for_message(union.officer, has_text("确定撤回稿件 #2"))
    await union.officer.tap(question, texts.BUTTON_WITHDRAW_YES)
    await emu.wait_for_edit(question, has_text("已撤回稿件 #2"))
    mark = emu.mark()
    await union.admin.send_text("/report")
    summary = await emu.wait_for_message(union.admin, has_text("考核报告"), since=mark)
    assert "投稿 1 篇（原创 1，紧急 0）" in summary.text
