"""What changed between versions, found character by character in Chinese text."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

import pytest

from bot.review import changes


def test_one_changed_character_in_a_chinese_paragraph_is_found_as_itself() -> None:
    old = "第一段不变。\n本次活动共有1200余名同学参加，气氛热烈。\n第三段不变。"
    new = "第一段不变。\n本次活动共有1300余名同学参加，气氛热烈。\n第三段不变。"
    found = changes.changes(old, new)
    assert [(c.removed, c.added) for c in found] == [("2", "3")]
    assert found[0].before.endswith("共有1") and found[0].after.startswith("00余名")


def test_the_compact_form_marks_removed_and_added_text_and_counts_the_rest() -> None:
    old = "".join(f"第{i}句话。" for i in range(40))
    new = old.replace("第3句", "第三句").replace("第30句", "第三十句").replace("第39句话。", "")
    found = changes.changes(old, new)
    short = changes.compact(found, budget=40)
    assert "<s>" in short.html and "<u>三</u>" in short.html
    assert short.cut and "另有" in short.html
    whole = changes.full_text(found)
    assert "- 30\n+ 三十" in whole and "- 第39句话。" in whole


def test_unchanged_text_says_so() -> None:
    assert changes.compact(changes.changes("同样", "同样")).html == "正文未改动"
    assert not changes.compact([]).cut


def test_user_text_is_escaped() -> None:
    html = changes.compact(changes.changes("a<b", "a<c&")).html
    assert "&lt;" in html and "&amp;" in html and "<b" not in html.replace("<b>", "")


def test_one_edit_in_a_long_text_is_found_exactly() -> None:
    old = "".join(f"第{i}段，活动照常进行。\n" for i in range(2000))
    new = old.replace("第1234段，活动照常", "第1234段，活动延期")
    found = changes.changes(old, new)
    assert [(c.removed, c.added) for c in found] == [("照常", "延期")]


def test_a_long_repetitive_text_is_compared_within_a_bounded_cost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compared: list[int] = []

    class Counting(SequenceMatcher):  # type: ignore[type-arg]
        def __init__(self, isjunk: None, a: Sequence[str], b: Sequence[str], **kw: bool) -> None:
            if isinstance(a, str):
                compared.append(len(a) * len(b))
            super().__init__(isjunk, a, b, **kw)

    monkeypatch.setattr(changes, "SequenceMatcher", Counting)
    unit = "长<&>😀\n"
    old = (unit * 700)[:4096]
    new = old[::-1]
    found = changes.changes(old, new)
    # Character by character only within the budget (unbounded, this pair took minutes).
    assert sum(compared) <= changes.TOTAL_CELLS
    assert all(c <= changes.BLOCK_CELLS for c in compared)
    # Nothing is lost: what was removed is all of the old text that is not kept, and the file
    # form lists it.
    assert found and sum(len(c.removed) for c in found) <= len(old)
    assert "".join(c.added for c in found)
    assert changes.full_text(found).count("\n- ") + changes.full_text(found).count("\n+ ") >= 1
