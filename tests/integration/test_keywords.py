"""The lexicon managed in chat, and screening of layouts and of approved drafts before posting."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from bot import texts
from filters import parse_lexicon
from tests.e2e.harness import Union, has_text
from tests.e2e.story import approve, card_for, pass_editing, say, submit_text, tap
from tests.emulator import BotApiEmulator


async def test_kw_add_test_del_list_allow(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    assert (await say(union, union.officer, "/kw add 论文枪手 block")).text == texts.KW_ADMIN_ONLY
    added = await say(union, union.admin, "/kw add 论文枪手 block 欺诈/广告")
    assert "新增 1 个" in added.text
    tested = await say(union, union.officer, "/kw test 本店提供论 文 枪 手服务")
    assert texts.VERDICT_NAMES["block"] in tested.text and "「论文枪手」" in tested.text
    assert (await say(union, union.stranger, "/kw test 随便")).text == texts.NOT_STAFF
    single = await say(union, union.admin, "/kw add 毒 block")
    assert "单个字" in single.text or "至少" in single.text
    bad = await say(union, union.admin, "/kw add 某词 fatal")
    assert "block 或 warn" in bad.text
    await say(union, union.admin, "/kw allow 论文枪手指导课")
    allowed = await say(union, union.officer, "/kw test 欢迎报名论文枪手指导课")
    assert texts.VERDICT_NAMES["pass"] in allowed.text
    assert "论文枪手指导课" in (await say(union, union.admin, "/kw allow")).text
    assert "移出" in (await say(union, union.admin, "/kw allow del 论文枪手指导课")).text
    listing = await say(union, union.admin, "/kw list 99")
    assert "词库" in listing.text and "第 " in listing.text
    assert "已从词库删除" in (await say(union, union.admin, "/kw del 论文枪手")).text
    assert "没有" in (await say(union, union.admin, "/kw del 论文枪手")).text
    assert (
        texts.VERDICT_NAMES["pass"] in (await say(union, union.officer, "/kw test 论文枪手")).text
    )


async def test_kw_import_is_all_or_nothing_and_export_round_trips(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    broken = (
        "# 测试词库\n网络赌场\tblock\t欺诈/广告\n坏行\tsevere\t谣言\n网络賭場\tblock\t欺诈/广告\n"
    )
    upload = await union.admin.send_document("broken.txt", broken.encode())
    hint = await emu.wait_for_message(union.admin)
    assert "/kw import" in hint.text
    failed = await say(union, union.admin, "/kw import", reply_to=upload)
    assert "导入失败" in failed.text and "第 3 行" in failed.text
    assert texts.VERDICT_NAMES["pass"] in (await say(union, union.admin, "/kw test 网络赌场")).text

    good = "# csv\n网络赌场,block,欺诈/广告\n校园贷款,warn,欺诈/广告\n"
    upload = await union.admin.send_document("good.csv", good.encode())
    await emu.wait_for_message(union.admin)
    imported = await say(union, union.admin, "/kw import", reply_to=upload)
    assert "新增 2 个" in imported.text
    assert texts.VERDICT_NAMES["block"] in (await say(union, union.admin, "/kw test 网络赌场")).text
    mark = emu.mark()
    await union.admin.send_text("/kw export")
    exported = await emu.wait_for_message(union.admin, lambda m: m.document is not None, since=mark)
    assert exported.document is not None
    terms = parse_lexicon(exported.document.data.decode())
    assert {"网络赌场", "校园贷款", "机密"} <= {t.text for t in terms}
    assert (await say(union, union.admin, "/kw import")).text == texts.KW_IMPORT_USAGE


@pytest.mark.union_config(auto_publish=False)
async def test_a_term_added_after_approval_stops_publication(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await submit_text(union, "元旦晚会抽奖\n凭票参与校园抽奖。")
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 1))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
    publish_card = await emu.wait_for_message(union.editors, has_text("待发布"))
    await say(union, union.admin, "/kw add 校园抽奖 block 欺诈/广告")
    await tap(union.editor, publish_card, texts.BUTTON_PUBLISH)
    notice = await emu.wait_for_message(union.officer, has_text("发布前复查"))
    assert "「校园抽奖」" in notice.text
    admins = await emu.wait_for_message(union.admins, has_text("发布前复查"))
    assert "稿件 #1" in admins.text
    assert emu.messages(union.channel) == []
    await union.officer.send_text("元旦晚会\n凭票参与晚会互动。", reply_to=notice)
    await emu.wait_for_message(union.officer, has_text("第 2 版"))
    new_card = await card_for(union, union.tier1, 1, 1, 2)
    assert "晚会互动" in new_card.text


async def test_a_blocked_layout_waits_for_a_clean_one(
    app: Application,
    union: Union,
    emu: BotApiEmulator,  # type: ignore[type-arg]
) -> None:
    await submit_text(union, "社团活动\n正文")
    editing = await emu.wait_for_message(union.editors, has_text("待排版"))
    await tap(union.editor, editing, texts.BUTTON_CLAIM)
    await emu.wait_for_edit(editing, lambda m: texts.BUTTON_SEND in m.button_texts)
    await union.editor.send_text("社团活动\n绝密安排", chat=union.editors, reply_to=editing)
    notice = await emu.wait_for_message(union.editors, has_text("未通过关键词筛查"))
    await emu.wait_for_edit(editing, lambda m: not m.buttons)
    await union.editor.send_text("社团活动\n周末安排", chat=union.editors, reply_to=notice)
    await emu.wait_for_message(union.editors, has_text("排版中"))
    await emu.wait_for_edit(editing, lambda m: texts.BUTTON_SEND in m.button_texts)
    await tap(union.editor, editing, texts.BUTTON_SEND)
    card = await card_for(union, union.tier1, 1, 1, 3)
    assert "周末安排" in card.text
    # One editors' card all along, whose header now says where the draft went.
    cards = [m for m in emu.messages(union.editors) if "📝 稿件 #1" in m.text]
    assert len(cards) == 1 and "已送审" in cards[0].text
