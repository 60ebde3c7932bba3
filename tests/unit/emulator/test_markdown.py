"""MarkdownV2 and legacy Markdown, parsed as strictly as Telegram does."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest
from telegram.helpers import escape_markdown

from tests.emulator import ScriptedUser
from tests.emulator.errors import ApiError
from tests.emulator.markdown_parser import parse_markdown, parse_markdown_v2


def v2_error(text: str) -> str:
    with pytest.raises(ApiError) as caught:
        parse_markdown_v2(text)
    return caught.value.description.removeprefix("Bad Request: can't parse entities: ")


def test_v2_entities() -> None:
    text, entities = parse_markdown_v2(
        "*粗* _斜_ __下__ ~删~ ||剧透|| `代码` [链接](https://example.com/x) \\. \\!"
    )
    assert text == "粗 斜 下 删 剧透 代码 链接 . !"
    assert [e["type"] for e in entities] == [
        "bold", "italic", "underline", "strikethrough", "spoiler", "code", "text_link",
    ]  # fmt: skip


def test_v2_pre_with_language_and_blockquote() -> None:
    text, entities = parse_markdown_v2("```python\nprint(1)\n```\n>引用\n>第二行")
    assert text == "print(1)\n\n引用\n第二行"
    assert entities[0] == {"type": "pre", "offset": 0, "length": 9, "language": "python"}
    assert entities[1]["type"] == "blockquote"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("活动时间 9.1", "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ("(备注)", "Character '(' is reserved and must be escaped with the preceding '\\'"),
        ("*未闭合", "Can't find end of Bold entity at byte offset 0"),
        ("ok _斜体", "Can't find end of Italic entity at byte offset 3"),
        ("[x](https://a.b", "Can't find end of a URL at byte offset 4"),
    ],
)
def test_v2_errors(source: str, message: str) -> None:
    assert v2_error(source) == message


def test_escaped_user_text_round_trips() -> None:
    hostile = "a_b*c[d](e)~f`g>h#i+j-k=l|m{n}o.p!q\\r"
    text, entities = parse_markdown_v2(escape_markdown(hostile, version=2))
    assert (text, entities) == (hostile, [])


def test_legacy_markdown() -> None:
    text, entities = parse_markdown("*粗* _斜_ `c` [l](https://example.com) 1.5!")
    assert text == "粗 斜 c l 1.5!"
    assert [e["type"] for e in entities] == ["bold", "italic", "code", "text_link"]
    with pytest.raises(ApiError, match="Can't find end of the entity starting at byte offset 0"):
        parse_markdown("*open")


async def test_markdown_v2_through_ptb(bot: Bot, alice: ScriptedUser) -> None:
    sent = await bot.send_message(alice.id, "*通过* 审核\\.", parse_mode="MarkdownV2")
    assert sent.text == "通过 审核."
    with pytest.raises(BadRequest, match=r"character '\.' is reserved"):
        await bot.send_message(alice.id, "*通过* 审核.", parse_mode="MarkdownV2")
