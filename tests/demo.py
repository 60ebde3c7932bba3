"""``make demo``: the bot, offline, against the local emulator, playing one draft to publication.

No token and no network: the emulator stands in for Telegram on 127.0.0.1, scripted members
take the steps a union would, and the conversation is printed as a transcript.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bot import texts
from tests.e2e.harness import TOKEN, BotProcess, build_union, has_text, write_config
from tests.e2e.story import approve, card_for, fill_intake, tap
from tests.emulator import BotApiEmulator
from tests.fixtures_docs import make_docx

__all__ = ["main"]


async def play(workdir: Path) -> str:
    """Run the story; returns the transcript."""
    async with BotApiEmulator(token=TOKEN, bot_username="union_demo_bot") as emu:
        union = build_union(emu)
        config = write_config(union, workdir / "config.toml")
        bot = BotProcess(emu, config, workdir / "bot.sqlite3", workdir / "bot.log")
        await bot.start()
        try:
            await union.officer.send_text("/start")
            await emu.wait_for_message(union.officer, has_text("你好"))
            docx = make_docx(
                [
                    "学生会“温暖冬日”募捐活动通知",
                    "时间：12月10日至12月20日",
                    "地点：各学院学生会办公室",
                ]
            )
            await union.officer.send_document("募捐活动通知.docx", docx, caption="请审核")
            intake = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
            await fill_intake(union, intake)

            editing = await emu.wait_for_message(union.editors, has_text("待排版"))
            await tap(union.editor, editing, texts.BUTTON_CLAIM)
            await emu.wait_for_edit(editing, lambda m: texts.BUTTON_SEND in m.button_texts)
            await union.editor.send_text(
                "学生会“温暖冬日”募捐活动通知\n\n时间：12月10日至12月20日\n"
                "地点：各学院学生会办公室\n欢迎同学们踊跃参与！",
                chat=union.editors,
                reply_to=editing,
            )
            await emu.wait_for_edit(editing, lambda m: "第 2 版" in m.text)
            await tap(union.editor, editing, texts.BUTTON_SEND)

            card1 = await card_for(union, union.tier1, 1, 1, 2)
            await union.stranger.tap(card1, texts.BUTTON_APPROVE)  # not a reviewer: refused
            await approve(union.reviewer1, card1)
            await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 2))
            await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 2))
            await emu.wait_for_message(union.channel, has_text("温暖冬日"))
            await emu.wait_for_message(union.officer, has_text("已发布到频道"))
            await union.officer.send_text("/history 1")
            await emu.wait_for_message(union.officer, has_text("审计记录"))
        finally:
            await bot.stop()
        return emu.transcript()


def main() -> int:
    """Play the demo and print the transcript."""
    with tempfile.TemporaryDirectory(prefix="union-bot-demo-") as tmp:
        try:
            transcript = asyncio.run(play(Path(tmp)))
        except Exception as exc:
            log = Path(tmp, "bot.log")
            print(log.read_text(encoding="utf-8") if log.exists() else "", file=sys.stderr)
            print(f"演示失败：{exc}", file=sys.stderr)
            return 1
    print("===== 演示：一份稿件从投稿到发布（本地模拟 Telegram，无需令牌）=====\n")
    print(transcript)
    print("\n===== 演示结束：稿件已发布到「学生会发布频道」=====")
    return 0


if __name__ == "__main__":
    sys.exit(main())
