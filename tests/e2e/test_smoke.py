"""The bot starts, registers its commands and greets people by role."""

from __future__ import annotations

from bot import texts
from tests.e2e.harness import BotProcess, Union, has_text


async def test_start_registers_commands_and_greets(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    await union.officer.send_text("/start")
    greeting = await emu.wait_for_message(union.officer, has_text("你好"))
    assert (
        str(union.officer.id) in greeting.text
        and texts.ROLE_NAMES[next(iter(texts.ROLE_NAMES))] not in greeting.text
    )
    assert "信息员" in greeting.text
    await union.stranger.send_text("/start")
    stranger = await emu.wait_for_message(union.stranger, has_text("你好"))
    # The inbox is configured: a student is invited to ask, not only told they cannot submit.
    assert "有问题想问学生会，直接把问题发给我" in stranger.text
    assert all(c.params.get("scope") for c in emu.calls_to("setMyCommands"))
    assert emu.errors == []


def _menu(union: Union, user: object) -> list[str]:
    return [c["command"] for c in union.emu.visible_commands(user)]  # type: ignore[arg-type]


async def test_each_member_sees_the_commands_of_their_roles(bot: BotProcess, union: Union) -> None:
    emu = union.emu
    await union.stranger.send_text("/start")
    await emu.wait_for_message(union.stranger, has_text("你好"))
    assert _menu(union, union.stranger) == ["start", "help"]
    officer = _menu(union, union.officer)
    assert {"my", "withdraw", "revise"} <= set(officer)
    assert not {"role", "kw", "audit", "outbox", "urgent"} & set(officer)
    admin = _menu(union, union.admin)
    assert {"role", "kw", "audit", "inbox", "meeting", "agenda", "jubao", "outbox"} <= set(admin)
    assert len(admin) == len(set(admin))

    # /help lists exactly the commands of the menu, each once.
    await union.admin.send_text("/help")
    shown = await emu.wait_for_message(union.admin, has_text("你可以用的命令"))
    for command in admin:
        assert shown.text.count(f"/{command}　") == 1, command

    # An admin makes the student an editor: the student is told, and their menu follows.
    mark = emu.mark()
    await union.admin.send_text(f"/role add {union.stranger.id} 编辑")
    told = await emu.wait_for_message(union.stranger, has_text("给你添加了角色"), since=mark)
    assert "编辑" in told.text and "李管理" in told.text and "/pending" in told.text
    assert "pending" in _menu(union, union.stranger)
    await union.admin.send_text(f"/role del {union.stranger.id} 编辑")
    await emu.wait_for_message(union.stranger, has_text("移除了你的角色"), since=mark)
    assert _menu(union, union.stranger) == ["start", "help"]
    assert emu.errors == []
