"""Admins, members and students, played as they would (issue 12): teams set after the first
start, students invited to ask, refusals in the words of the command tried."""

from __future__ import annotations

from telegram.ext import Application

from bot import texts
from tests.e2e.harness import Union
from tests.e2e.story import say


async def test_an_admin_sets_and_clears_a_member_s_team(
    app: Application,  # type: ignore[type-arg]
    union: Union,
) -> None:
    await say(union, union.officer, "/start")
    answer = await say(union, union.admin, "/role team @zhang_xx 宣传部")
    assert answer.text == texts.ROLE_TEAM_SET.format(who="张信息", team="宣传部")
    listing = await say(union, union.admin, "/role list")
    assert any("张信息" in line and "（宣传部）" in line for line in listing.text.splitlines())
    cleared = await say(union, union.admin, "/role team @zhang_xx")
    assert cleared.text == texts.ROLE_TEAM_CLEARED.format(who="张信息")
    assert "（宣传部）" not in (await say(union, union.admin, "/role list")).text
    refused = await say(union, union.officer, "/role team @zhang_xx 宣传部")
    assert refused.text == texts.ROLE_ADMIN_ONLY
    assert (await say(union, union.admin, "/role team")).text == texts.ROLE_TEAM_USAGE


async def test_a_student_is_invited_to_ask_and_refused_in_the_right_words(
    app: Application,  # type: ignore[type-arg]
    union: Union,
) -> None:
    start = await say(union, union.stranger, "/start")
    assert "有问题想问学生会，直接把问题发给我" in start.text
    assert "/" not in start.text.split("你的角色")[1].replace("/start", "")
    agenda = await say(union, union.stranger, "/agenda")
    assert agenda.text == texts.AGENDA_STAFF_ONLY
    helped = await say(union, union.stranger, "/help")
    assert "有问题想问学生会" in helped.text
