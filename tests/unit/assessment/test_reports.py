"""Assessment reports: periods, the figures and their definitions, scores, CSV, the SQL rows."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.assessment.report_csv import report_csv
from bot.assessment.reports import (
    MAX_DAYS,
    Period,
    PeriodError,
    Report,
    compute,
    generate,
    hours_text,
    parse_period,
    summary_html,
)
from bot.config import ASSESSMENT_METRICS, AssessmentConfig, ConfigError, parse_config
from bot.review.service import Pipeline
from storage import reports as report_rows
from storage.db import stored_time
from storage.drafts import NewContent
from storage.models import CATEGORIES
from storage.reports import (
    AnswerRow,
    DecisionRow,
    EditRow,
    MemberRow,
    PublishedRow,
    ReportRows,
    RepostRow,
    SubmissionRow,
)
from tests.conftest import EDITOR, OFFICER, REVIEWER1, REVIEWER2, REVIEWER3, config_data

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=SHANGHAI)


# Periods -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "start", "end", "label", "clipped"),
    [
        ([], date(2026, 11, 1), TODAY, "2026年11月", True),
        (["本月"], date(2026, 11, 1), TODAY, "2026年11月", True),
        (["2026-10"], date(2026, 10, 1), date(2026, 10, 31), "2026年10月", False),
        (["上月"], date(2026, 10, 1), date(2026, 10, 31), "2026年10月", False),
        (["2026年2月"], date(2026, 2, 1), date(2026, 2, 28), "2026年2月", False),
        (["２０２６－１０"], date(2026, 10, 1), date(2026, 10, 31), "2026年10月", False),
        (["2026"], date(2026, 1, 1), TODAY, "2026年", True),
        (["本年"], date(2026, 1, 1), TODAY, "2026年", True),
        (["去年"], date(2025, 1, 1), date(2025, 12, 31), "2025年", False),
        (["2026-11-05"], date(2026, 11, 5), date(2026, 11, 5), "2026年11月5日", False),
        (
            ["2026-09-01", "2026-11-30"],
            date(2026, 9, 1),
            TODAY,
            "2026-09-01 至 2026-11-30",
            True,
        ),
        (
            ["2026/9/1", "至", "2026/9/30"],
            date(2026, 9, 1),
            date(2026, 9, 30),
            "2026-09-01 至 2026-09-30",
            False,
        ),
        (
            ["2026-09-01~2026-09-30"],
            date(2026, 9, 1),
            date(2026, 9, 30),
            "2026-09-01 至 2026-09-30",
            False,
        ),
        (
            ["2026-09", "2026-10"],
            date(2026, 9, 1),
            date(2026, 10, 31),
            "2026-09-01 至 2026-10-31",
            False,
        ),
        (["2025-12", "2026-01-15"], date(2025, 12, 1), date(2026, 1, 15), None, False),
    ],
)
def test_periods(args: list[str], start: date, end: date, label: str | None, clipped: bool) -> None:
    period = parse_period(args, TODAY)
    assert (period.start, period.end, period.clipped) == (start, end, clipped)
    if label is not None:
        assert period.label == label


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["2026-13"], "不是存在的日期或月份"),
        (["2026-02-30"], "不是存在的日期或月份"),
        (["2026-00-10"], "不是存在的日期或月份"),
        (["昨天"], "没能识别「昨天」"),
        (["11月"], "没能识别"),
        (["<b>"], "没能识别「&lt;b&gt;」"),
        (["1999"], "年份 1999 不在 2000–2100 之间"),
        (["2026-11-30", "2026-09-01"], "请把开始写在前"),
        (["2026-11", "2026-10"], "请把开始写在前"),
        (["2027-01"], "还没到（今天是 2026-11-24）"),
        (["2026-11-25"], "还没到"),
        (["2026-12-01", "2027-01-31"], "还没到"),
        (["2010", "2026"], "超过 10 年"),
        (["2026-01", "2026-02", "2026-03"], "用法"),
    ],
)
def test_bad_periods_get_a_clear_answer_with_examples(args: list[str], fragment: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(args, TODAY)
    message = str(caught.value)
    assert fragment in message
    assert "/report" in message, "every refusal shows how to write a period"


def test_a_range_ends_on_the_last_day_of_its_second_word_and_fits_the_limit() -> None:
    period = parse_period(["2016-11-25", "2026-11-24"], TODAY)
    assert (period.end - period.start).days + 1 <= MAX_DAYS
    assert period.months()[0] == "2016-11" and period.months()[-1] == "2026-11"
    assert len(period.months()) == 121


def test_bounds_are_local_midnights_in_utc() -> None:
    period = Period(date(2026, 11, 1), date(2026, 11, 30), "x")
    start, end = period.bounds(SHANGHAI)
    assert start == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)


# Figures from fixed rows -----------------------------------------------------------------------

ANNA, BEN, R1, R2, R3, EDDIE, ADA = 1, 2, 3, 4, 5, 6, 7


def _at(day: int, hour: float, month: int = 11, year: int = 2026) -> str:
    """A stored moment: ``hour`` o'clock Shanghai time on that day."""
    local = datetime(year, month, day, tzinfo=SHANGHAI) + timedelta(hours=hour)
    return stored_time(local)


def _decision(
    draft: int,
    tier: int,
    reviewer: int,
    submitter: int,
    decided: str,
    queued: str | None,
    outcome: str = "approve",
    version: int = 1,
    previous: str | None = None,
    rejected_before: bool = False,
) -> DecisionRow:
    return DecisionRow(
        draft, version, tier, reviewer, submitter, outcome, decided, queued, previous,
        rejected_before,
    )  # fmt: skip


def _rows() -> ReportRows:
    members = (
        MemberRow(ANNA, "安娜", "新闻稿组", ("officer",)),
        MemberRow(BEN, "<本>", None, ("officer",)),
        MemberRow(R1, "一审", None, ("reviewer1",)),
        MemberRow(R2, "二审", None, ("reviewer2",)),
        MemberRow(R3, "三审", None, ("reviewer3",)),
        MemberRow(EDDIE, "编辑", "设计组", ("editor",)),
        MemberRow(ADA, "管理", None, ("admin",)),
    )
    submissions = (
        SubmissionRow(11, ANNA, CATEGORIES[0], original=True, urgent=False, at=_at(2, 9)),
        SubmissionRow(12, ANNA, CATEGORIES[1], original=False, urgent=True, at=_at(3, 9)),
        SubmissionRow(13, ANNA, None, original=False, urgent=False, at=_at(4, 9)),
        SubmissionRow(14, BEN, CATEGORIES[0], original=True, urgent=False, at=_at(5, 9)),
    )
    decisions = (
        # Draft 11: straight through, 2 h at each tier; tiers 2 and 3 count from the approval
        # by the tier below.
        _decision(11, 1, R1, ANNA, _at(2, 12), queued=_at(2, 10)),
        _decision(11, 2, R2, ANNA, _at(2, 14), queued=_at(2, 12), previous=_at(2, 12)),
        _decision(11, 3, R3, ANNA, _at(2, 16), queued=None, previous=_at(2, 14)),
        # Draft 12: rejected at tier 1, revised, then approved by all three.
        _decision(12, 1, R1, ANNA, _at(3, 11), queued=_at(3, 10), outcome="reject"),
        _decision(12, 1, R1, ANNA, _at(3, 14), queued=_at(3, 13), version=2),
        _decision(12, 2, R2, ANNA, _at(3, 18), queued=_at(3, 14), version=2),
        _decision(12, 3, R3, ANNA, _at(4, 14), queued=_at(3, 18), version=2, rejected_before=True),
        # Draft 14: tier 1 approves (no record of when it arrived), tier 2 rejects.
        _decision(14, 1, R1, BEN, _at(5, 12), queued=None),
        _decision(14, 2, R2, BEN, _at(5, 20), queued=_at(5, 12), outcome="reject"),
    )
    return ReportRows(
        start=_at(1, 0),
        end=_at(1, 0, month=12),
        members=members,
        submissions=submissions,
        decisions=decisions,
        edits=(EditRow(EDDIE, 11, _at(2, 10)), EditRow(EDDIE, 12, _at(3, 10))),
        answers=(
            # Promised by 18:00 and answered at 17:00: on time.
            AnswerRow(1, R1, _at(6, 9), _at(6, 17), promised_by=_at(6, 18)),
            # No promise: the deadline is the injected two hours after asking, so 4 h is late.
            AnswerRow(2, ADA, _at(7, 9), _at(7, 13), promised_by=None),
            AnswerRow(3, ADA, _at(7, 9), _at(7, 10), promised_by=None),
        ),
        reposts=(RepostRow(11, ANNA, _at(3, 8)), RepostRow(11, ANNA, _at(3, 9))),
        published=(PublishedRow(11, ANNA, _at(2, 17)),),
    )


NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "2026年11月")


def _report(
    rows: ReportRows | None = None,
    weights: AssessmentConfig | None = None,
    period: Period = NOVEMBER,
) -> Report:
    return compute(
        rows or _rows(),
        period,
        SHANGHAI,
        weights or AssessmentConfig(),
        lambda asked: asked + timedelta(hours=2),
        NOW,
    )


def _member(report: Report, user_id: int) -> dict[str, int]:
    return next(m for m in report.members if m.user_id == user_id).counts


def test_submissions_count_originals_and_urgent_drafts_separately() -> None:
    report = _report()
    anna, ben = _member(report, ANNA), _member(report, BEN)
    assert (anna["submitted"], anna["original"], anna["urgent"]) == (3, 1, 1)
    assert (ben["submitted"], ben["original"], ben["urgent"]) == (1, 1, 0)
    assert report.totals.counts["submitted"] == 4 and report.totals.counts["original"] == 2


def test_first_time_approval_means_no_rejection_before_the_approval() -> None:
    report = _report()
    anna = next(m for m in report.members if m.user_id == ANNA)
    assert anna.counts["approved"] == 2
    assert anna.counts["first_time"] == 1
    assert anna.first_time_rate == 0.5
    assert anna.counts["rejected"] == 1
    assert _member(report, BEN)["rejected"] == 1 and _member(report, BEN)["approved"] == 0
    assert next(m for m in report.members if m.user_id == BEN).first_time_rate is None
    assert report.totals.first_time_rate == 0.5


def test_a_draft_approved_twice_in_the_period_counts_once() -> None:
    rows = _rows()
    again = _decision(11, 3, R3, ANNA, _at(9, 9), queued=_at(9, 8), version=2)
    rows = replace(rows, decisions=(*rows.decisions, again))
    report = _report(rows)
    assert _member(report, ANNA)["approved"] == 2
    assert _member(report, R3)["reviews"] == 3


def test_reviews_per_tier_and_review_times() -> None:
    report = _report()
    r1 = next(m for m in report.members if m.user_id == R1)
    assert r1.reviews_by_tier == {1: 4, 2: 0, 3: 0} and r1.counts["reviews"] == 4
    # 2 h, 1 h and 1 h measured; draft 14's arrival at tier 1 is unknown.
    assert sorted(r1.review_hours) == [1.0, 1.0, 2.0]
    assert r1.median_review_hours == 1.0
    assert report.totals.unknown_arrivals == 1
    assert report.totals.reviews_by_tier == {1: 4, 2: 3, 3: 2}
    # Tier 3: draft 11 from the tier-2 approval (2 h), draft 12 from its queued card (20 h).
    assert sorted(report.chart.hours_by_tier[3]) == [2.0, 20.0]
    assert report.totals.median_hours(3) == 11.0
    assert report.totals.median_hours(2) == 4.0


def test_review_times_under_an_hour_read_in_minutes() -> None:
    assert hours_text(0.25) == "15 分钟" and hours_text(2) == "2.0 小时"
    assert hours_text(None) == texts.REPORT_NA


def test_questions_on_time_and_late_and_reposts_credited_to_the_submitter() -> None:
    report = _report()
    assert _member(report, R1)["answered_on_time"] == 1
    ada = _member(report, ADA)
    assert (ada["answered_on_time"], ada["answered_late"]) == (1, 1)
    assert _member(report, ANNA)["reposts"] == 2
    assert _member(report, EDDIE)["edited"] == 2
    assert report.totals.published == 1


def test_totals_are_the_sums_of_the_members() -> None:
    report = _report()
    for metric in ASSESSMENT_METRICS:
        assert report.totals.counts[metric] == sum(m.counts[metric] for m in report.members)


def test_scores_use_the_configured_points_and_rank_the_members() -> None:
    report = _report()
    anna = report.members[0]
    assert anna.user_id == ANNA
    # 3 submitted, 1 original, 0.5 urgent, 2 approved x2, 1 first time, 2 reposts x0.5.
    assert anna.score == 3 + 1 + 0.5 + 4 + 1 + 1
    assert [m.score for m in report.members] == sorted(
        (m.score for m in report.members), reverse=True
    )
    weights = AssessmentConfig(default={**ASSESSMENT_METRICS, "rejected": -2, "approved": 0})
    assert _report(weights=weights).members[0].score == 3 + 1 + 0.5 + 0 + 1 + 1 - 2


def test_each_item_is_scored_with_the_weights_of_its_year() -> None:
    rows = _rows()
    older = SubmissionRow(15, ANNA, CATEGORIES[2], False, False, _at(20, 9, month=12, year=2025))
    rows = replace(rows, submissions=(older, *rows.submissions))
    weights = AssessmentConfig(years={2026: {"submitted": 3.0}})
    period = Period(date(2025, 12, 1), date(2026, 11, 30), "x")
    report = _report(rows, weights, period)
    anna = next(m for m in report.members if m.user_id == ANNA)
    assert anna.counts["submitted"] == 4
    assert anna.points["submitted"] == 1 * 1.0 + 3 * 3.0
    assert report.years == (2025, 2026) and report.year_overrides == (2026,)
    assert "[assessment.2026]" in summary_html(report)
    assert report.chart.months[0] == "2025-12" and len(report.chart.months) == 12
    assert report.chart.by_category[CATEGORIES[2]][0] == 1


def test_the_chart_counts_drafts_per_month_and_category() -> None:
    chart = _report().chart
    assert chart.months == ("2026-11",)
    assert chart.by_category == {
        CATEGORIES[0]: (2,),
        CATEGORIES[1]: (1,),
        texts.REPORT_UNCATEGORISED: (1,),
    }


def test_summary_has_totals_top_members_and_notes_escaped() -> None:
    report = _report()
    html = summary_html(report)
    assert "考核报告 · 2026年11月" in html
    assert "投稿 4 篇（原创 2，紧急 1）" in html
    assert "通过三审 2 篇，其中一次通过 1 篇（50%）" in html
    assert "一审 4 次（中位 1.0 小时）" in html and "三审 2 次（中位 11.0 小时）" in html
    assert "按时首次回复 2 个，逾期 1 个" in html
    assert "1. 安娜" in html and "&lt;本&gt;" in html and "<本>" not in html
    assert "1 次审核决定找不到送达时间" in html
    assert "一次通过：" in html and len(html) < 4096


def test_an_empty_period_says_so_and_its_csv_is_only_the_header() -> None:
    empty = ReportRows("a", "b", _rows().members, (), (), (), (), (), ())
    report = _report(empty)
    assert report.empty
    assert texts.REPORT_EMPTY in summary_html(report)
    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert rows == [list(texts.REPORT_COLUMNS)]


def test_the_csv_has_a_bom_a_row_per_member_and_totals_that_add_up() -> None:
    report = _report()
    data = report_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, *members, total = rows
    assert tuple(header) == texts.REPORT_COLUMNS
    assert len(members) == 7 and total[1] == texts.REPORT_TOTAL
    assert members[0][1] == "安娜" and members[0][header.index("一次通过率")] == "50%"
    assert members[0][header.index("得分明细")].startswith("通过三审 2（4分）")
    for column in ("投稿", "原创", "通过三审", "一审", "二审", "三审", "按时回复", "合作转载"):
        index = header.index(column)
        assert int(total[index]) == sum(int(row[index]) for row in members), column
    assert float(total[header.index("得分")]) == sum(
        float(row[header.index("得分")]) for row in members
    )
    ben = next(row for row in members if row[0] == str(BEN))
    assert ben[header.index("一次通过率")] == "" and ben[1] == "<本>"


# Config ----------------------------------------------------------------------------------------


def test_assessment_defaults_and_year_overrides() -> None:
    assert parse_config(config_data()).assessment.weights(2026) == ASSESSMENT_METRICS
    data = config_data()
    data["assessment"] = {"approved": 3, "2027": {"approved": 4, "rejected": -1.5}}
    weights = parse_config(data).assessment
    assert weights.weights(2026)["approved"] == 3.0
    assert weights.weights(2027)["approved"] == 4.0 and weights.weights(2027)["rejected"] == -1.5
    assert weights.weights(2027)["submitted"] == 1.0


@pytest.mark.parametrize(
    ("table", "field", "fix"),
    [
        ({"aproved": 2}, "assessment.aproved", "可选：submitted"),
        ({"approved": "2"}, "assessment.approved", "例如 approved = 2.0"),
        ({"approved": True}, "assessment.approved", "-100 到 100"),
        ({"approved": 1000}, "assessment.approved", "-100 到 100"),
        ({"approved": float("nan")}, "assessment.approved", "-100 到 100"),
        ({"2026": {"reviews": "x"}}, "assessment.2026.reviews", "例如 reviews = 0.5"),
        ({"2026": {"review": 1}}, "assessment.2026.review", "可选"),
        ({"next": {"reviews": 1}}, "[assessment.next]", "[assessment.2026]"),
        ({"1999": {"reviews": 1}}, "[assessment.1999]", "四位年份"),
    ],
)
def test_bad_assessment_values_name_the_field_and_the_fix(
    table: dict[str, object], field: str, fix: str
) -> None:
    data = config_data()
    data["assessment"] = table
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert caught.value.field == field
    assert fix in str(caught.value)


# The rows, read from a database the review service wrote ----------------------------------------


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def _submitted(pipeline: Pipeline, body: str, category: int, original: bool) -> int:
    draft, _ = await pipeline.submit(OFFICER, OFFICER.user_id, NewContent(body=body), None)
    await pipeline.choose(OFFICER, draft.id, f"c{category}")
    if original:
        await pipeline.choose(OFFICER, draft.id, "as")
        await pipeline.choose(OFFICER, draft.id, "o1")
    else:
        # Not original: a repost (the union's own, 校学生会原创, always is).
        await pipeline.choose(OFFICER, draft.id, "ar")
        await pipeline.set_intake_detail(OFFICER, draft.id, "source", "某公众号")
    assert not isinstance(await pipeline.confirm(OFFICER, draft.id), list)
    return draft.id


async def test_rows_from_the_pipeline_give_the_defined_figures(pipeline: Pipeline) -> None:
    clock = Clock(datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI))
    pipeline.db.clock = clock
    first = await _submitted(pipeline, "稿件一\n正文", 0, original=True)
    clock.advance(hours=1)
    await pipeline.claim(EDITOR, first, 1)
    await pipeline.send_to_review(EDITOR, first, 1)  # reaches tier 1 at 10:00
    clock.advance(hours=3)
    await pipeline.approve(REVIEWER1, first, 1, 1)  # 3 h
    clock.advance(hours=5)
    await pipeline.reject(REVIEWER2, first, 1, 2, ["1"], "数据有误")  # 5 h
    clock.advance(hours=1)
    # After a rejection the new version goes back to its editor, who sends it on at once.
    await pipeline.revise(OFFICER, first, NewContent(body="稿件一\n改好的正文"))
    await pipeline.send_to_review(EDITOR, first, 2)
    clock.advance(hours=2.5)
    await pipeline.approve(REVIEWER1, first, 2, 1)  # 2.5 h
    clock.advance(hours=1)
    await pipeline.approve(REVIEWER2, first, 2, 2)  # 1 h
    clock.advance(hours=10)
    await pipeline.approve(REVIEWER3, first, 2, 3)  # 10 h, approved after a rejection

    second = await _submitted(pipeline, "稿件二\n正文", 1, original=False)
    async with pipeline.db.transaction() as tx:
        await tx.execute("UPDATE drafts SET urgent = 1 WHERE id = ?", (second,))
    await pipeline.claim(EDITOR, second, 1)
    await pipeline.send_to_review(EDITOR, second, 1)
    for tier, reviewer in ((1, REVIEWER1), (2, REVIEWER2), (3, REVIEWER3)):
        clock.advance(hours=4)
        await pipeline.approve(reviewer, second, 1, tier)  # 4 h each, first time

    # A draft of October, a partner's repost and students' questions, written as their
    # services would.
    clock.now = datetime(2026, 10, 20, 9, 0, tzinfo=SHANGHAI)
    await _submitted(pipeline, "十月的稿件\n正文", 2, original=False)
    async with pipeline.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO partners (id, chat_id, name, added_at) VALUES (1, -1009, '计算机学院', ?)",
            (_at(1, 0),),
        )
        await tx.execute(
            "INSERT INTO reposts (partner_id, draft_id, state, offered_at, reposted_at)"
            " VALUES (1, ?, 'reposted', ?, ?), (1, ?, 'offered', ?, NULL)",
            (first, _at(4, 9), _at(4, 10), second, _at(4, 9)),
        )
        await tx.execute(
            "INSERT INTO questions (student_id, student_name, asked_at, first_reply_at,"
            " first_reply_by, promised_by, state) VALUES"
            " (9001, '学生甲', ?, ?, ?, ?, 'answered'),"
            " (9002, '学生乙', ?, ?, ?, NULL, 'answered'),"
            " (9003, '学生丙', ?, NULL, NULL, NULL, 'open')",
            (
                _at(5, 9), _at(5, 12), REVIEWER1.user_id, _at(5, 18),
                _at(6, 9), _at(9, 12), REVIEWER1.user_id,
                _at(6, 9),
            ),
        )  # fmt: skip

    november = Period(date(2026, 11, 1), date(2026, 11, 30), "2026年11月")
    start, end = november.bounds(SHANGHAI)
    async with pipeline.db.reading() as conn:
        rows = await report_rows.read(conn, stored_time(start), stored_time(end))
    assert [(s.draft_id, s.original, s.urgent) for s in rows.submissions] == [
        (first, True, False),
        (second, False, True),
    ]
    assert all(d.queued_at is not None for d in rows.decisions if d.tier == 1)
    assert all(d.previous_at is not None for d in rows.decisions if d.tier > 1)
    # The editor laid out draft 1 twice (before and after its rejection) and draft 2 once.
    assert len(rows.decisions) == 8 and len(rows.edits) == 3
    assert [r.draft_id for r in rows.reposts] == [first]
    assert [a.question_id for a in rows.answers] == [1, 2]
    assert {m.user_id for m in rows.members} >= {OFFICER.user_id, REVIEWER3.user_id}

    config = pipeline.config
    clock.now = NOW
    report = await generate(pipeline.db, config, pipeline.timing, november)
    officer = next(m for m in report.members if m.user_id == OFFICER.user_id)
    assert officer.counts["submitted"] == 2 and officer.counts["original"] == 1
    assert officer.counts["urgent"] == 1
    assert officer.counts["approved"] == 2 and officer.counts["first_time"] == 1
    assert officer.counts["rejected"] == 1 and officer.counts["reposts"] == 1
    assert report.totals.hours_by_tier[1] == [3.0, 2.5, 4.0]
    assert report.totals.hours_by_tier[2] == [5.0, 1.0, 4.0]
    assert report.totals.hours_by_tier[3] == [10.0, 4.0]
    assert report.totals.unknown_arrivals == 0
    reviewer1 = next(m for m in report.members if m.user_id == REVIEWER1.user_id)
    # Answered 3 h after asking with a promise of 18:00: on time. The other, three days
    # later without a promise, is past the 9 working hours the config allows.
    assert reviewer1.counts["answered_on_time"] == 1 and reviewer1.counts["answered_late"] == 1
    editor = next(m for m in report.members if m.user_id == EDITOR.user_id)
    assert editor.counts["edited"] == 3
    october = await generate(pipeline.db, config, pipeline.timing, parse_period(["2026-10"], TODAY))
    assert october.totals.counts["submitted"] == 1 and october.totals.counts["reviews"] == 0
    empty = await generate(pipeline.db, config, pipeline.timing, parse_period(["2025"], TODAY))
    assert empty.empty
