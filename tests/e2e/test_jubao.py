"""A content report in the real process: a lost card survives a kill, an admin closes it."""

from __future__ import annotations

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import say, tap


async def test_a_report_survives_a_kill_and_the_reporter_hears_it_was_handled(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    await say(union, union.officer, "/start")
    rumour = await union.stranger.send_text("紧急通知：明天全校停课！转发扩散", chat=union.tier1)

    # The card to the admins is lost to the network, then the bot is killed before retrying.
    emu.fail_next("sendMessage", kind="bad_gateway", chat=union.admins)
    ack = await say(union, union.officer, "/jubao 造谣", chat=union.tier1, reply_to=rumour)
    assert ack.text == "🚩 已收到举报 #1，已转交管理员处理。谢谢！"
    await emu.wait_for(
        lambda: any(c.injected for c in emu.calls_to("sendMessage")), what="the lost card"
    )
    await bot.kill()
    assert not [m for m in emu.messages(union.admins) if "举报" in m.text]
    await bot.start()

    card = await emu.wait_for_message(union.admins, has_text("举报 #1"), timeout=20)
    assert "一审群（部门负责人）" in card.text and "理由：造谣" in card.text
    assert "明天全校停课" in card.text and "举报人：张信息" in card.text
    assert f"https://t.me/c/2000000002/{rumour.message_id}" in card.text

    listing = await say(union, union.admin, "/jubao")
    assert "待处理的举报（1 条" in listing.text and "#1 · " in listing.text

    assert await tap(union.admin, card, "标记已处理") == "✅ 已将举报 #1 标记为已处理。"
    await emu.wait_for_edit(card, lambda m: "✅ 已由 李管理 于" in m.text and not m.buttons)
    notice = await emu.wait_for_message(union.officer, has_text("已由管理员处理"))
    assert "举报 #1" in notice.text and "一审群" in notice.text

    again = await say(union, union.officer, "/jubao", chat=union.tier1, reply_to=rumour)
    assert again.text.startswith("你已经举报过这条消息（举报 #1），管理员已于")
    assert (await say(union, union.admin, "/jubao")).text == texts.JUBAO_LIST_EMPTY
    assert len([m for m in emu.messages(union.admins) if "举报 #1" in m.text]) == 1
    assert len([m for m in emu.messages(union.officer) if "已由管理员处理" in m.text]) == 1
