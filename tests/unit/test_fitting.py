"""formatting.fit and friends: user text fitted into Telegram's limits as Telegram counts them."""

from __future__ import annotations

from typing import Any, cast

import pytest
from telegram import CallbackQuery

from bot import formatting, texts
from bot.formatting import CALLBACK_LIMIT, Html, Part, clip, fit, split_fit, units, visible_units
from commands.common import alert
from tests.emulator.formatting import format_text
from tests.emulator.utf16 import utf16_len


def _telegram(html: str) -> str:
    plain, _ = format_text(html, "HTML", None, lambda uid: {"id": uid})
    return plain


def test_units_count_emoji_as_two_and_visible_units_read_html_as_telegram_does() -> None:
    assert units("a中😀") == 4 == utf16_len("a中😀")
    markup = '<b>a&lt;</b><a href="tg://user?id=1">&amp;😀</a>'
    assert visible_units(markup) == 5 == utf16_len(_telegram(markup))


def test_clip_keeps_within_the_limit_never_halves_an_emoji_and_marks_the_cut() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcd", 3) == "ab…"
    assert clip("😀😀😀", 4) == "😀…"
    assert clip("😀😀😀", 3) == "😀…"
    assert clip("😀😀", 2) == "…"
    assert all(units(clip("😀" * 50, n)) <= n for n in range(0, 60))


def test_what_fits_is_left_whole_and_escaped() -> None:
    fitted = fit("<b>{a}</b> #{n}", 20, a="<x&y>", n=7)
    assert fitted == formatting.Fitted("<b>&lt;x&amp;y&gt;</b> #7", False, "<x&y> #7")


@pytest.mark.parametrize("limit", [4096, 1024, 200, 41])
def test_the_longest_user_text_shrinks_first_and_the_result_is_exactly_within(limit: int) -> None:
    template = "<b>标题</b>{title}\n{who}\n理由：{reason}{tail}"
    fields: dict[str, formatting.Field] = {
        "title": "短标题",
        "who": Html('<a href="tg://user?id=1">张&lt;三&gt;</a>'),
        "reason": Part("<i>{r}</i>", r="理由<&>😀" * 2000),
        "tail": Html("\n（完）"),
    }
    fitted = fit(template, limit, **fields)
    assert fitted.cut
    shown = _telegram(fitted.html)
    assert utf16_len(shown) <= limit and utf16_len(shown) >= limit - 2
    assert "短标题" in shown and "张<三>" in shown and shown.endswith("…\n（完）")
    assert fitted.full_text.count("理由<&>😀") == 2000


def test_several_long_fields_share_the_room() -> None:
    fitted = fit("{a}|{b}|{c}", 100, a="a" * 500, b="b" * 500, c="c" * 10)
    first, second, third = _telegram(fitted.html).split("|")
    assert third == "c" * 10 and abs(len(first) - len(second)) <= 1


def test_fixed_text_over_the_limit_still_fits_without_markup() -> None:
    fitted = fit("<b>{x}</b>{fixed}", 50, x="x", fixed=Html("<i>固定</i>" * 40))
    assert fitted.cut and utf16_len(_telegram(fitted.html)) <= 50 and "<" not in fitted.html


def test_split_fit_spreads_user_text_over_messages_losing_nothing() -> None:
    text = ("第一行<&>😀\n" * 1000) + "尾"
    pieces = split_fit(texts.ANSWER_TO_STUDENT, text, texts.ANSWER_MORE, 4096, id=3)
    assert len(pieces) == 3
    shown = [_telegram(p) for p in pieces]
    assert all(utf16_len(s) <= 4096 for s in shown)
    assert shown[0].startswith("📨 关于你的问题 #3") and shown[1].startswith(
        "📨 问题 #3 的回复（续）"
    )
    rest = [s.split("\n", 1)[1] for s in shown]
    assert "".join(rest).replace("\n", "") == text.replace("\n", "")


def test_pack_joins_lines_into_as_few_messages_as_fit() -> None:
    lines = ["<b>x</b>" * 100] * 90
    messages = formatting.pack(lines, 1000)
    assert [visible_units(m) for m in messages] == [908] * 10


class _Query:
    """The one call ``alert`` makes on a callback query, recorded."""

    id = "1"

    def __init__(self) -> None:
        self.answers: list[str] = []

    async def answer(self, text: str, show_alert: bool, **_: Any) -> None:
        self.answers.append(text)


async def test_a_callback_answer_is_cut_in_utf16_units_to_telegrams_200() -> None:
    query = _Query()
    await alert(cast(CallbackQuery, query), "😀" * 150)
    await alert(cast(CallbackQuery, query), "短")
    assert [utf16_len(a) for a in query.answers] == [CALLBACK_LIMIT - 1, 1]
    assert query.answers[0].endswith("…")
