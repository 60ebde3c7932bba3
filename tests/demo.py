"""``make demo``: the bot, offline, against the local emulator, playing one draft to publication:
three tiers, the 定稿, the 公众号 draft box, the publication record and its check.

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
from tests.fakes.article_pages import APPROVED_TEXT, ArticlePages, article_url
from tests.fakes.wechat import APP_ID, APP_SECRET, FakeWeChat
from tests.fixtures_docs import make_docx

__all__ = ["main"]


async def play(workdir: Path) -> str:
    """Run the story; returns the transcript."""
    async with (
        BotApiEmulator(token=TOKEN, bot_username="union_demo_bot") as emu,
        FakeWeChat() as wechat,
        ArticlePages() as pages,
    ):
        union = build_union(emu)
        # The 公众号 (its API and its article pages) is played by local fakes too.
        config = write_config(
            union,
            workdir / "config.toml",
            wechat={"app_id": APP_ID, "api_url": wechat.base_url, "article_url": pages.base_url},
        )
        bot = BotProcess(emu, config, workdir / "bot.sqlite3", workdir / "bot.log")
        bot.extra_env["WECHAT_APP_SECRET"] = APP_SECRET
        await bot.start()
        try:
            await union.officer.send_text("/start")
            await emu.wait_for_message(union.officer, has_text("你好"))
            docx = make_docx(APPROVED_TEXT.strip().split("\n"))
            await union.officer.send_document("歌手大赛通知.docx", docx, caption="请审核")
            intake = await emu.wait_for_message(union.officer, has_text("稿件 #1"))
            await fill_intake(union, intake)

            editing = await emu.wait_for_message(union.editors, has_text("待排版"))
            await tap(union.editor, editing, texts.BUTTON_CLAIM)
            await emu.wait_for_edit(editing, lambda m: texts.BUTTON_SEND in m.button_texts)
            await tap(union.editor, editing, texts.BUTTON_SEND)

            card1 = await card_for(union, union.tier1, 1, 1, 1)
            await union.stranger.tap(card1, texts.BUTTON_APPROVE)  # not a reviewer: refused
            await approve(union.reviewer1, card1)
            await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 1))
            await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 1))
            await emu.wait_for_message(union.channel, has_text("校园歌手大赛"))
            # The 定稿: the whole approved text, the file, the hash, the approvals, the draft box.
            await emu.wait_for_message(
                union.officer, lambda m: texts.BUTTON_POSTED in m.button_texts, timeout=15
            )
            # The editor sends it from the 公众号 and records the link; the bot checks the page.
            await union.editor.send_text(f"/posted 1 {article_url('match')}")
            await emu.wait_for_message(union.editor, has_text("已登记稿件 #1 的发布"))
            await emu.wait_for(lambda: "match" in pages.requests, what="the article was read")
            for _ in range(20):
                mark = emu.mark()
                await union.editor.send_text("/status 1")
                status = await emu.wait_for_message(union.editor, has_text("发布记录"), since=mark)
                if "已核对" in status.text:
                    break
                await asyncio.sleep(0.5)
            else:
                raise RuntimeError("the publication was not verified")
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
    print("\n===== 演示结束：定稿已发出，公众号文章已核对与定稿一致（见 /status 1）=====")
    return 0


if __name__ == "__main__":
    sys.exit(main())
