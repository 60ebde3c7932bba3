"""Normalisation: what it folds, what it drops, and the map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filters import normalise
from filters.normalise import normalise_term, normalise_terms

# Characters that dodgers insert or that break naive code: surrogates (what surrogateescape
# decoding produces), zero-width and direction marks, combining marks, emoji with joiners,
# expanding compatibility characters, CJK extension characters.
_TRICKY = st.sampled_from(
    [
        "\ud800",
        "\udcff",
        "\u200b",
        "\u200d",
        "\u200f",
        "\u202e",
        "\u2060",
        "\ufeff",
        "\u0301",
        "\u20dd",
        "\ufe0f",
        "👨\u200d👩\u200d👧",
        "🇨🇳",
        "㍿",
        "ﬁ",
        "ß",
        "İ",
        "𠀀",
        "𝐝",
        "\U000e0041",
        "賭",
        "Ａ",
        "①",
        "⼀",
        "\x00",
        "\r\n",
    ]
)
TEXT = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=()), max_size=8), _TRICKY), max_size=30
).map("".join)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("代 开-发*票", "代开发票"),
        ("赌\u200b博", "赌博"),
        ("ＡＢＣ１２３", "abc123"),
        ("賭博 開發票", "赌博开发票"),
        ("DuBo dǔ bó", "dubodubo"),
        ("𝐝𝐮𝐛𝐨", "dubo"),
        ("🎉赌🎉博🎉", "赌博"),
        ("⼀⾔", "一言"),
        ("㍿", "株式会社"),
        ("Straße", "strasse"),
        ("\ud800x\udfff", "x"),
        ("\u202e赌博\u202c", "赌博"),
        ("", ""),
    ],
)
def test_folds_disguises(text: str, expected: str) -> None:
    assert normalise(text).text == expected
    assert normalise_term(text) == expected


def test_map_points_at_the_original_characters() -> None:
    norm = normalise("代 开-发*票")
    assert list(norm.index_map) == [0, 2, 4, 6]
    assert norm.to_original(1, 3) == (2, 5)
    assert norm.gap_before(1) and not norm.gap_before(0)


def test_expansions_share_their_original_index() -> None:
    norm = normalise("a㍿b")
    assert norm.text == "a株式会社b"
    assert list(norm.index_map) == [0, 1, 1, 1, 1, 2]
    assert norm.to_original(2, 3) == (1, 2)


def test_bulk_normalisation_matches_single() -> None:
    texts = ["賭博", "ＡＢ", "𠀀赌", "x\u200by", "㍿"]
    assert normalise_terms(texts) == [normalise_term(t) for t in texts]
    assert normalise_terms([]) == []


@settings(deadline=None, max_examples=300)
@given(TEXT)
def test_never_raises_and_the_map_indexes_the_original(text: str) -> None:
    norm = normalise(text)
    index_map = list(norm.index_map)
    assert len(index_map) == len(norm.text)
    assert all(0 <= i < len(text) for i in index_map)
    assert index_map == sorted(index_map)
    # each normalised character comes from the original character it points at
    for position, original in enumerate(index_map):
        assert norm.text[position] in normalise(text[original]).text
    if norm.text:
        start, end = norm.to_original(0, len(norm.text))
        assert 0 <= start < end <= len(text)


@settings(deadline=None, max_examples=200)
@given(TEXT)
def test_is_idempotent(text: str) -> None:
    once = normalise(text).text
    assert normalise(once).text == once
    assert normalise_term(text) == once


@settings(deadline=None, max_examples=300)
@given(TEXT)
def test_whole_texts_normalise_as_their_characters_do(text: str) -> None:
    # The fast paths (few changed characters replaced one by one, or one translate) must
    # agree with the per-character definition.
    assert normalise(text).text == "".join(normalise(ch).text for ch in text)


@settings(deadline=None, max_examples=300)
@given(TEXT, st.data())
def test_gaps_windows_and_spans_follow_the_index_map(text: str, data: st.DataObject) -> None:
    norm = normalise(text)
    index_map = list(norm.index_map)
    n = len(norm.text)
    gaps = [i for i in range(1, n) if index_map[i] - index_map[i - 1] > 1]
    assert [i for i in range(n + 1) if norm.gap_before(i)] == gaps
    if n == 0:
        return
    start = data.draw(st.integers(0, n - 1))
    end = data.draw(st.integers(start + 1, n))
    lo = data.draw(st.integers(0, start))
    hi = data.draw(st.integers(end, n))
    left = max([lo, *(g for g in gaps if lo < g <= start)])
    right = min([hi, *(g for g in gaps if end <= g < hi)])
    assert norm.between_gaps(lo, start, end, hi) == (left, right)
    assert norm.to_original(start, end) == (index_map[start], index_map[end - 1] + 1)


def test_windows_stop_at_the_writers_breaks() -> None:
    norm = normalise("学生会。今日本店，开业")
    assert norm.text == "学生会今日本店开业"
    assert norm.between_gaps(0, 4, 6, 9) == (3, 7)
    assert norm.between_gaps(4, 4, 6, 6) == (4, 6)
