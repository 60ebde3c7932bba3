"""Volunteers (article 12): submit like officers until the role ends; the union owns the drafts."""

from __future__ import annotations

from datetime import timedelta

from telegram.ext import Application

from bot import texts
from bot.review.workflow import Refusal
from storage.db import last_stored_day, stored_time
from storage.models import CATEGORIES
from tests.e2e.harness import Union, has_text
from tests.e2e.story import card_for, pass_editing, reject, say, tap
from tests.emulator import BotApiEmulator, ScriptedUser


async def _recruit(union: Union, app: Application) -> tuple[ScriptedUser, str]:  # type: ignore[type-arg]
    """The admin makes a new person a volunteer for a month; returns them and the last day."""
    volunteer = union.emu.add_user(2010, "周志愿", username="zhou_zy")
    await volunteer.send_text("/start")
    await union.emu.wait_for_message(volunteer, has_text("你好"))
    members = app.bot_data["services"].members
    last_day = (members.today() + timedelta(days=30)).isoformat()
    done = await say(union, union.admin, f"/role add 2010 志愿者 {last_day}")
    assert f"已为 周志愿 添加角色：志愿者。（志愿期至 {last_day}" in done.text
    return volunteer, last_day


async def test_admins_give_volunteers_an_end_date_and_bad_dates_are_explained(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    union.emu.add_user(2011, "吴同学")
    no_date = await say(union, union.admin, "/role add 2011 志愿者 吴同学")
    assert no_date.text == texts.ROLE_VOLUNTEER_NEEDS_DATE
    past = await say(union, union.admin, "/role add 2011 志愿者 2020-01-31 吴同学")
    assert "2020-01-31 已经过去了" in past.text
    nonsense = await say(union, union.admin, "/role add 2011 志愿者 2026-13-45 吴同学")
    assert "看不懂日期「2026-13-45」" in nonsense.text
    only = await say(union, union.admin, "/role add 2011 信息员 2030-01-01 吴同学")
    assert only.text == texts.ROLE_DATE_ONLY_VOLUNTEER

    _, last_day = await _recruit(union, app)
    listing = await say(union, union.admin, "/role list")
    assert f"志愿者（至 {last_day}）" in listing.text
    same = await say(union, union.admin, f"/role add 2010 志愿者 {last_day}")
    assert "已经有这些角色了" in same.text

    db = app.bot_data["services"].db
    async with db.reading() as conn:
        granted = await conn.execute_fetchall(
            "SELECT detail FROM audit WHERE action = 'role.granted'"
        )
    assert [row[0] for row in granted] == [
        f'{{"user_id": 2010, "roles": ["volunteer"], "until": "{last_day}"}}'
    ]


async def test_a_volunteers_draft_is_the_unions_and_survives_the_role_ending(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    volunteer, _ = await _recruit(union, app)
    await volunteer.send_text("迎新晚会志愿者招募\n欢迎报名。")
    card = await emu.wait_for_message(volunteer, has_text("请用下面的按钮"))
    assert "署名：校学生会（志愿者供稿，第十二条）" in card.text
    assert texts.BUTTON_SCHOOL not in card.button_texts
    assert texts.BUTTON_COLLEGE not in card.button_texts
    # A modified client cannot re-attribute it to a college either.
    forged = await volunteer.tap_forged(card, "in:1:ac")
    answer = await forged.wait_answer()
    assert answer.text == texts.REFUSALS[Refusal.VOLUNTEER_ATTRIBUTION]
    await tap(volunteer, card, CATEGORIES[1])
    await tap(volunteer, card, texts.BUTTON_ORIGINAL)
    await tap(volunteer, card, texts.BUTTON_CONFIRM)
    await emu.wait_for_edit(card, lambda m: "已提交" in m.text)

    # The volunteer period ends while the draft is in editing.
    db = app.bot_data["services"].db
    ended = stored_time(db.clock() - timedelta(minutes=1))
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE member_roles SET expires_at = ? WHERE user_id = 2010 AND role = 'volunteer'",
            (ended,),
        )
    expired_day = last_stored_day(ended, app.bot_data["services"].config.timezone).isoformat()

    # New drafts are refused with the date, and do not land in the students' inbox either.
    refused = await say(union, volunteer, "又一篇稿子\n正文")
    assert f"你的志愿者身份已于 {expired_day} 到期" in refused.text
    assert not [m for m in emu.messages(union.inbox) if "又一篇稿子" in m.text]

    # The draft already sent in goes on: the union owns it, and tier 1 sees the attribution.
    await pass_editing(union)
    card1 = await card_for(union, union.tier1, 1, 1, 1)
    assert "校学生会（志愿者供稿，第十二条）" in card1.text
    await reject(union, union.reviewer1, card1, "报名方式写错了。")
    notice = await emu.wait_for_message(volunteer, has_text("被 赵部长 驳回"))

    # The former volunteer cannot revise; an admin can, and the draft starts again at tier 1.
    await volunteer.send_text("迎新晚会志愿者招募\n报名请发邮件。", reply_to=notice)
    no = await emu.wait_for_message(volunteer, has_text("到期"))
    assert "管理员可用 /revise 编号" in no.text
    await union.admin.send_text("/revise 1")
    ask = await emu.wait_for_message(union.admin, has_text("回复"))
    await union.admin.send_text("迎新晚会志愿者招募\n报名请发邮件。", reply_to=ask)
    # The revision goes back to layout first (editing is on), then to tier 1.
    returned = await emu.wait_for_message(union.editors, has_text("待排版 · 第 2 版"))
    await tap(union.editor, returned, texts.BUTTON_SEND)
    await card_for(union, union.tier1, 1, 1, 2)
    listing = await say(union, union.admin, "/role list")
    assert f"志愿者（已于 {expired_day} 到期）" in listing.text
