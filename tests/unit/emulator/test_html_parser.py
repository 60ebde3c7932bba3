"""The HTML parser accepts and rejects what Telegram does, with Telegram's messages."""

from __future__ import annotations

import pytest

from tests.emulator.entities import render_html
from tests.emulator.errors import ApiError
from tests.emulator.html_parser import parse_html

_EXPECTED_EQUAL = (
    'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0'
)


def error_of(text: str) -> str:
    with pytest.raises(ApiError) as caught:
        parse_html(text)
    assert caught.value.code == 400
    return caught.value.description


def test_plain_text_and_nested_entities() -> None:
    text, entities = parse_html("<b>粗体 <i>斜体</i></b> end")
    assert text == "粗体 斜体 end"
    assert {"type": "bold", "offset": 0, "length": 5} in entities
    assert {"type": "italic", "offset": 3, "length": 2} in entities


def test_html_entities_are_decoded() -> None:
    text, _ = parse_html("1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot; &#20320; &#x597D;")
    assert text == '1 < 2 && 3 > 2 "q" 你 好'


def test_bare_ampersand_is_kept_like_telegram() -> None:
    assert parse_html("AT&T &nbsp; &copy")[0] == "AT&T &nbsp; &copy"


def test_offsets_count_utf16_units() -> None:
    _, entities = parse_html("😀<b>x</b>")
    assert entities == [{"type": "bold", "offset": 2, "length": 1}]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("审核<br>", 'Unsupported start tag "br" at byte offset 6'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("1<2", "Unclosed start tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x" foo>y</a>', _EXPECTED_EQUAL),
    ],
)  # fmt: skip
def test_parse_errors_match_telegram(source: str, message: str) -> None:
    assert error_of(source) == f"Bad Request: can't parse entities: {message}"


def test_supported_tags() -> None:
    text, entities = parse_html(
        "<u>u</u><ins>i</ins><s>s</s><del>d</del><tg-spoiler>p</tg-spoiler>"
        '<span class="tg-spoiler">q</span><code>c</code>'
        '<pre><code class="language-python">x = 1</code></pre>'
        '<blockquote expandable>b</blockquote><a href="https://example.com/a">l</a>'
    )
    assert text == "uisdpqcx = 1bl"
    kinds = [e["type"] for e in entities]
    assert kinds == [
        "underline", "underline", "strikethrough", "strikethrough", "spoiler", "spoiler",
        "code", "pre", "expandable_blockquote", "text_link",
    ]  # fmt: skip
    pre = next(e for e in entities if e["type"] == "pre")
    assert pre["language"] == "python"
    assert entities[-1]["url"] == "https://example.com/a"


def test_render_html_round_trip() -> None:
    source = '<b>a &lt;<i>b</i></b> <a href="https://example.com/">c</a> <code>&amp;</code>'
    text, entities = parse_html(source)
    assert render_html(text, entities) == source
