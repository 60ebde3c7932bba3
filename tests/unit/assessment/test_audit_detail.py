"""Audit details as people read them in the CSV: Chinese names and values, nothing dropped."""

from __future__ import annotations

from bot import texts
from bot.assessment.audit_detail import action_name, detail_text


def _people(user_id: int) -> str:
    return {7: "赵部长（7）"}.get(user_id, str(user_id))


def test_a_rejection_reads_in_chinese() -> None:
    text = detail_text({"tier": 2, "criteria": ["1", "3"], "reason": "数据不对"}, _people)
    assert text == "级别：第 2 级；未达标：内容真实准确、排版编辑美观；理由：数据不对"


def test_roles_people_flags_and_errors_are_named() -> None:
    assert detail_text({"user_id": 7, "roles": ["editor"]}, _people) == (
        "成员：赵部长（7）；角色：编辑（宣传媒体部）"
    )
    assert detail_text({"urgent": True}, _people) == "紧急：是"
    failed = detail_text({"kind": "refresh", "error": "Bad Request: chat not found"}, _people)
    assert failed.startswith("消息：卡片更新；错误：找不到该会话")


def test_an_unknown_field_or_action_keeps_what_was_recorded() -> None:
    assert detail_text({"mystery": "x"}, _people) == "mystery：x"
    assert action_name("draft.created") == texts.ACTIONS["draft.created"]
    assert action_name("future.thing") == "其他操作（future.thing）"
