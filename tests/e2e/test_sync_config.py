"""After the first start the database is the truth; an edited config is reported at start-up and
applied by ``python -m bot sync-config``, run from a shell as an operator would."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import texts
from bot.ops.startup import ExitCode
from tests.e2e.harness import BotProcess, Union, has_text, write_config
from tests.e2e.test_startup_failures import _run

pytestmark = pytest.mark.e2e

ADDED = "＋ 新成员 路人甲（2099）：信息员"
GRANTED = "～ 李管理（2006）：增加角色 主席团成员（二审）"
REMOVED = "－ 移除成员 钱主席（2004）：取消 主席团成员（二审）"


def _reshuffle(config: Path, union: Union) -> None:
    """The union's new term: the stranger joins as an officer, the admin takes over tier 2."""
    text = config.read_text(encoding="utf-8")
    reviewer2 = f'[[members]]\nid = {union.reviewer2.id}\nname = "钱主席"\nroles = ["reviewer2"]\n'
    assert reviewer2 in text
    text = text.replace(reviewer2, "")
    text = text.replace(
        f'id = {union.admin.id}\nname = "李管理"\nroles = ["admin"]',
        f'id = {union.admin.id}\nname = "李管理"\nroles = ["admin", "reviewer2"]',
    )
    text += f'[[members]]\nid = {union.stranger.id}\nname = "路人甲"\nroles = ["信息员"]\n'
    config.write_text(text, encoding="utf-8")


async def test_an_edited_config_is_reported_then_applied_by_the_command(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    # The config seeded the first start: nothing differs.
    code, out, _ = await _run(bot.env(), "sync-config")
    assert (code, out.strip()) == (ExitCode.OK, texts.SYNC_IN_STEP)

    _reshuffle(bot.config, union)
    assert await bot.stop() == 0
    mark = emu.mark()
    await bot.start()
    alert = await emu.wait_for_message(
        union.admins, has_text("python -m bot sync-config"), since=mark
    )
    assert ADDED in alert.text and GRANTED in alert.text and REMOVED in alert.text
    assert "3 处" in alert.text
    assert "config differs from the database" in bot.output()
    # Until it is applied, the database is what counts: the stranger cannot submit yet.
    await union.stranger.send_text("新人投稿\n正文")
    refused = await emu.wait_for_message(union.stranger, since=mark)
    assert "稿件 #" not in refused.text

    # Without a terminal and without --yes: the differences and the hint, nothing changed.
    code, out, err = await _run(bot.env(), "sync-config")
    assert code == ExitCode.FAILED and texts.SYNC_NEEDS_YES in err
    assert out.splitlines()[1:] == [GRANTED, ADDED, REMOVED]
    code, out, _ = await _run(bot.env(), "check")
    assert code == ExitCode.FAILED
    assert "❌ " + texts.CHECK_SYNC_BAD.format(count=3, lines=GRANTED).split("\n")[0] in out

    # Applied while the bot runs: the next message already follows the new roles.
    code, out, err = await _run(bot.env(), "sync-config", "--yes")
    assert code == ExitCode.OK, err
    assert out.strip().endswith(texts.SYNC_DONE.format(count=3))
    await union.stranger.send_text("新人投稿\n正文")
    await emu.wait_for_message(union.stranger, has_text("稿件 #1"))
    code, out, _ = await _run(bot.env(), "sync-config")
    assert (code, out.strip()) == (ExitCode.OK, texts.SYNC_IN_STEP)
    code, out, _ = await _run(bot.env(), "check")
    assert code == ExitCode.OK and "✅ " + texts.CHECK_SYNC_OK in out


async def test_before_the_first_start_there_is_nothing_to_sync(
    union: Union, tmp_path: Path
) -> None:
    config = write_config(union, tmp_path / "config.toml")
    db = tmp_path / "data" / "bot.sqlite3"
    env = {"BOT_CONFIG": str(config), "BOT_DB": str(db)}
    code, out, _ = await _run(env, "sync-config", "--yes")
    assert (code, out.strip()) == (ExitCode.OK, texts.SYNC_NO_DATABASE.format(path=db))
    assert not db.exists()
    # A config that does not load is the config's exit code, as at start-up.
    config.write_text("[unoin]\n", encoding="utf-8")
    code, _, err = await _run(env, "sync-config", "--yes")
    assert code == ExitCode.CONFIG and "配置" in err
