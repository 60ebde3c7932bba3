"""Setting the planning meeting and its agenda in chat."""

from __future__ import annotations

from telegram.ext import Application

from bot import texts
from tests.e2e.harness import Union
from tests.e2e.story import say
from tests.emulator import BotApiEmulator


async def test_meeting_set_show_agenda_off(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    assert (await say(union, union.officer, "/meeting")).text == texts.MEETING_NONE
    refused = await say(union, union.officer, "/meeting set 15 19:00")
    assert refused.text == texts.MEETING_ADMIN_ONLY
    bad = await say(union, union.admin, "/meeting set 第9个周三 19:00", chat=union.admins)
    assert "没能识别" in bad.text and "例如" in bad.text
    done = await say(union, union.admin, "/meeting set 第2个周三 19:30 提前2天", chat=union.admins)
    assert "已设置筹划会" in done.text and "第2个周三" in done.text and "下次：" in done.text
    assert "提醒发到：本群「管理员群」" in done.text
    shown = await say(union, union.officer, "/meeting")
    assert "19:30" in shown.text and "提醒发到：管理员群" in shown.text
    # Set again from elsewhere: the reminders move, and both places hear of it.
    mark = emu.mark()
    again = "/meeting set 第2个周三 19:30 提前2天"
    moved = await say(union, union.admin, again, chat=union.editors)
    assert "提醒原来发到 管理员群，今后改发到 本群「宣传媒体部编辑群」" in moved.text
    away = await emu.wait_for_message(union.admins, since=mark)
    assert "改为发到" in away.text and "这里今后不再收到" in away.text
    added = await say(union, union.officer, "/agenda 讨论元旦晚会<分工>")
    assert "共 1 项" in added.text
    agenda = await say(union, union.officer, "/agenda")
    assert "1. 讨论元旦晚会&lt;分工&gt;" not in agenda.text and "讨论元旦晚会<分工>" in agenda.text
    assert "张信息" in agenda.text
    assert (await say(union, union.stranger, "/agenda 随便")).text == texts.AGENDA_STAFF_ONLY
    svc = app.bot_data["services"]
    async with svc.db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT kind, payload FROM reminders WHERE state = 'pending' ORDER BY due_at"
        )
    kinds = [row[0] for row in rows]
    assert kinds == ["meeting", "meeting_roll"]
    assert (await say(union, union.admin, "/meeting off")).text == texts.MEETING_OFF
    assert (await say(union, union.officer, "/meeting")).text == texts.MEETING_NONE
    async with svc.db.reading() as conn:
        left = await conn.execute_fetchall(
            "SELECT COUNT(*) FROM reminders WHERE kind = 'meeting' AND state = 'pending'"
        )
    assert next(iter(left))[0] == 0
