"""Hostile and huge input: no crash, spans always inside the text, sensible answers."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from filters import Screener, Term, Verdict, default_terms


def _check_spans(text: str, verdict: Verdict) -> None:
    for hit in verdict.hits:
        assert 0 <= hit.start < hit.end <= len(text)


def test_one_megabyte_document(screener: Screener) -> None:
    paragraph = "学生会将于本周五在体育馆举办迎新晚会，欢迎各位同学踊跃参加。" * 20 + "\n"
    body = paragraph * (1_000_000 // len(paragraph))
    text = body + "请代 开-发*票" + body + "本文件绝密"
    verdict = screener.screen(text)
    _check_spans(text, verdict)
    assert verdict.verdict == "block"
    assert [text[h.start : h.end] for h in verdict.hits] == ["代 开-发*票", "绝密"]


def test_binary_junk_decoded_as_text(screener: Screener) -> None:
    junk = random.Random(7).randbytes(300_000)
    for errors in ("replace", "surrogateescape", "ignore"):
        text = junk.decode("utf-8", errors=errors)
        _check_spans(text, screener.screen(text))
    latin1 = junk.decode("latin-1")
    _check_spans(latin1, screener.screen(latin1))


def test_long_runs_of_emoji_combining_marks_and_direction_marks(screener: Screener) -> None:
    for filler in ("😀", "👨\u200d👩\u200d👧", "\u0301", "\u200f", "\u202e", "\u200b", "\ufe0f"):
        text = filler * 50_000 + "赌博" + filler * 50_000
        verdict = screener.screen(text)
        assert [text[h.start : h.end] for h in verdict.hits] == ["赌博"], filler
        # the same fillers between the characters are dodging and are skipped
        text = "严禁赌" + filler * 1_000 + "博"
        assert screener.screen(text).hits[0].term == "赌博", filler


def test_combining_marks_stacked_on_every_character(screener: Screener) -> None:
    text = "".join(ch + "\u0301\u0308" * 20 for ch in "请代开发票")
    hit = screener.screen(text).hits[0]
    assert hit.term == "代开发票"
    assert text[hit.start : hit.end].startswith("代")


def test_text_of_only_separators_and_empty_text(screener: Screener) -> None:
    assert screener.screen("").verdict == "pass"
    assert screener.screen(" \n\t，。！🎉\u200b" * 1000).verdict == "pass"


_FRAGMENTS = st.one_of(
    st.sampled_from(["赌博", "代开发票", "绝密", "日本", "dubo", "13800138000", "😀", "\u200b"]),
    st.text(max_size=6),
    st.sampled_from(["\ud800", "\u0301", "\u202e", "㍿", "𠀀", " "]),
)


@settings(deadline=None, max_examples=150)
@given(st.lists(_FRAGMENTS, max_size=25).map("".join))
def test_spans_always_index_the_original(screener: Screener, text: str) -> None:
    verdict = screener.screen(text)
    _check_spans(text, verdict)
    assert verdict.verdict == max(
        (h.severity for h in verdict.hits), key=["warn", "block"].index, default="pass"
    )


_DODGES = st.sampled_from([" ", "-", "*", "·", "\u200b", "\u200d", "\ufe0f", "🔥", "\u3000", "."])


@settings(deadline=None, max_examples=150)
@given(st.sampled_from(default_terms()), st.data())
def test_any_default_term_with_dodging_characters_inserted_is_caught(
    screener: Screener, term: Term, data: st.DataObject
) -> None:
    gaps = [data.draw(st.lists(_DODGES, max_size=3).map("".join)) for _ in term.text[1:]]
    disguised = term.text[0] + "".join(g + ch for g, ch in zip(gaps, term.text[1:], strict=True))
    text = f"通知：{disguised}。"
    hits = [h for h in screener.screen(text).hits if h.term == term.text]
    assert hits, disguised
    assert text[hits[0].start : hits[0].end] == disguised
