"""The lexicon file format: parsing, refusals with reasons, round trips, the default file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from filters import (
    CATEGORIES,
    DEFAULT_CATEGORY,
    DEFAULT_SEVERITY,
    LexiconError,
    Screener,
    Term,
    default_terms,
    format_lexicon,
    format_whitelist,
    load_lexicon,
    load_whitelist,
    parse_lexicon,
    parse_whitelist,
)
from filters.lexicon import key_problem
from filters.normalise import normalise_term


def test_parses_the_three_column_shape_comments_and_optional_columns() -> None:
    text = (
        "\ufeff# 注释\n"
        "\n"
        "赌博\twarn\t不良/低俗\n"
        "绝密\tBLOCK\t涉密\tanywhere\r\n"
        "  # 缩进的注释\n"
        "裸聊\n"
        "刷单\twarn\t欺诈/广告\t\n"
    )
    assert parse_lexicon(text) == [
        Term("赌博", "warn", "不良/低俗"),
        Term("绝密", "block", "涉密", anywhere=True),
        Term("裸聊", DEFAULT_SEVERITY, DEFAULT_CATEGORY),
        Term("刷单", "warn", "欺诈/广告"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("赌博\twarn\t不良/低俗\n\n代开\tfatal\t欺诈/广告\n", 3, "严重程度只能是 block 或 warn"),
        ("赌博\twarn\t赌博类\n", 1, "类别「赌博类」无效"),
        ("赌博\twarn\n", 1, "缺少类别"),
        ("赌博\twarn\t不良/低俗\tanywhere\t多余\n", 1, "字段过多"),
        ("赌博\twarn\t不良/低俗\teverywhere\n", 1, "第四列只能是 anywhere"),
        ("赌博 block 欺诈/广告\n", 1, "请用制表符"),
        ("赌博,warn,不良/低俗\n", 1, "请用制表符"),
        ("赌博，不良/低俗\n", 1, "请用制表符"),
        ("\twarn\t不良/低俗\n", 1, "词条为空"),
        ("赌\twarn\t不良/低俗\n", 1, "单个字符"),
        ("★☆\twarn\t不良/低俗\n", 1, "规范化后为空"),
        ("赌博\twarn\t不良/低俗\n賭博\tblock\t不良/低俗\n", 2, "与第 1 行的「赌博」重复"),
        ("赌博\twarn\t不良/低俗\n赌博\twarn\t不良/低俗\n", 2, "与第 1 行的词条重复"),
        ("赌 博\twarn\t不良/低俗\n赌博\twarn\t不良/低俗\n", 2, "重复"),
        ("长" * 51 + "\twarn\t不良/低俗\n", 1, "词条过长"),
    ],
)
def test_refuses_bad_lines_naming_the_line_and_reason(text: str, line: int, reason: str) -> None:
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(text)
    assert caught.value.line == line
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"第 {line} 行：")
    assert isinstance(caught.value, ValueError)


def test_reports_every_problem_and_imports_nothing() -> None:
    text = "赌博\twarn\t不良/低俗\n代\n刷单\tmaybe\t欺诈/广告\n正常\twarn\t不良/低俗\n"
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(text)
    assert [line for line, _ in caught.value.problems] == [2, 3]
    assert "共 2 处问题" in str(caught.value)


def test_empty_lexicon_is_valid_and_screens_nothing() -> None:
    assert parse_lexicon("") == []
    assert parse_lexicon("# 只有注释\n\n") == []
    screener = Screener([])
    assert screener.screen("赌博 绝密 dubo").verdict == "pass"
    # personal data does not depend on the lexicon
    assert screener.screen("电话 13800138000").verdict == "warn"


def test_screener_refuses_unusable_terms_with_a_reason() -> None:
    with pytest.raises(LexiconError, match="单个字符"):
        Screener([Term("赌", "warn", "不良/低俗")])
    with pytest.raises(LexiconError, match="重复"):
        Screener([Term("赌博", "warn", "不良/低俗"), Term("賭博", "block", "不良/低俗")])
    with pytest.raises(LexiconError, match="规范化后为空"):
        Screener([Term("★★", "warn", "不良/低俗")])
    with pytest.raises(LexiconError, match="白名单"):
        Screener([], whitelist=["！"])


def test_terms_validate_their_fields() -> None:
    with pytest.raises(LexiconError, match="严重程度"):
        Term("赌博", "fatal", "不良/低俗")  # type: ignore[arg-type]
    with pytest.raises(LexiconError, match="类别"):
        Term("赌博", "warn", "其他")
    with pytest.raises(LexiconError, match="制表符"):
        Term("赌\t博", "warn", "不良/低俗")
    with pytest.raises(LexiconError, match="#"):
        Term("#赌博", "warn", "不良/低俗")
    with pytest.raises(LexiconError):
        Term(" 赌博", "warn", "不良/低俗")


def test_format_round_trips() -> None:
    terms = [
        Term("赌博", "warn", "不良/低俗"),
        Term("绝密", "block", "涉密", anywhere=True),
        Term("加 vx", "warn", "欺诈/广告"),
    ]
    text = format_lexicon(terms)
    assert text.startswith("#")
    assert "赌博\twarn\t不良/低俗\n" in text
    assert parse_lexicon(text) == terms


_TERM_TEXT = (
    st.text(
        st.characters(exclude_characters="\t\n\r"),  # surrogates are excluded by default
        min_size=2,
        max_size=8,
    )
    .map(str.strip)
    .filter(lambda t: len(t) >= 2 and not t.startswith("#"))
)


@settings(deadline=None, max_examples=150)
@given(
    st.lists(
        st.builds(
            Term,
            _TERM_TEXT,
            st.sampled_from(["block", "warn"]),
            st.sampled_from(CATEGORIES),
            st.booleans(),
        ),
        max_size=8,
    )
)
def test_format_then_parse_is_identity(terms: list[Term]) -> None:
    keys = [normalise_term(t.text) for t in terms]
    assume(all(key_problem(k) is None for k in keys))
    assume(len(set(keys)) == len(keys))
    assert parse_lexicon(format_lexicon(terms)) == terms


def test_whitelist_format() -> None:
    text = format_whitelist(["日本料理", "13800138000"])
    assert parse_whitelist(text) == ["日本料理", "13800138000"]
    assert parse_whitelist("日本料理\n日本料理\n# x\n") == ["日本料理"]
    with pytest.raises(LexiconError) as caught:
        parse_whitelist("日本料理\n！\n")
    assert caught.value.line == 2


def test_files(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("赌博\twarn\t不良/低俗\n", encoding="utf-8")
    assert load_lexicon(good) == [Term("赌博", "warn", "不良/低俗")]
    bad = tmp_path / "bad.txt"
    bad.write_bytes("赌博\twarn\t不良/低俗\n".encode() + b"\xff\xfe\n")
    with pytest.raises(LexiconError, match="UTF-8") as caught:
        load_lexicon(bad)
    assert caught.value.line == 2
    with pytest.raises(LexiconError, match="找不到文件"):
        load_lexicon(tmp_path / "missing.txt")
    whitelist = tmp_path / "white.txt"
    whitelist.write_text("日本料理\n", encoding="utf-8")
    assert load_whitelist(whitelist) == ["日本料理"]


def test_default_lexicon_parses_and_covers_the_classification_markers() -> None:
    terms = default_terms()
    by_text = {t.text: t for t in terms}
    for marker in ("机密", "绝密", "内部资料", "不得外传"):
        assert by_text[marker].severity == "block"
        assert by_text[marker].category == "涉密"
    assert {t.category for t in terms} <= set(CATEGORIES)
    Screener(terms)  # no duplicates after normalisation, nothing unusable
