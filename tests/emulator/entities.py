"""Entity bookkeeping shared by bot and user messages: ordering, trimming, detection, HTML."""

from __future__ import annotations

import html
import re
from typing import Any

from .utf16 import utf16_len, utf16_slice_bounds

__all__ = [
    "Entity",
    "detect_entities",
    "drop_nested_in_code",
    "render_html",
    "sort_entities",
    "trim_text",
]

Entity = dict[str, Any]

# Types a Telegram client finds by itself in any text; the bot receives them on user messages.
_DETECTORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bot_command", re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")),
    ("url", re.compile(r"(?<![\w@])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]}'，。！？；：）】」』]")),
)
# Entities that shadow detection: Telegram finds nothing inside code or links.
_OPAQUE = frozenset({"code", "pre", "text_link", "text_mention", "custom_emoji"})
_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ("<tg-spoiler>", "</tg-spoiler>"),
    "code": ("<code>", "</code>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote expandable>", "</blockquote>"),
}
_WHITESPACE = " \t\r\n"


def sort_entities(entities: list[Entity]) -> list[Entity]:
    # Telegram's order: by offset, then outer (longer) entities first.
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def trim_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace as Telegram does, keeping entities aligned."""
    stripped_left = text.lstrip(_WHITESPACE)
    shift = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip(_WHITESPACE)
    limit = utf16_len(result)
    kept: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return result, kept


def drop_nested_in_code(entities: list[Entity]) -> list[Entity]:
    """Formatting inside code/pre is discarded by Telegram; so is everything in it."""
    code_spans = [
        (e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] in ("code", "pre")
    ]
    kept = []
    for entity in entities:
        start, end = entity["offset"], entity["offset"] + entity["length"]
        inside = any(
            cs <= start and end <= ce and (cs, ce) != (start, end) for cs, ce in code_spans
        )
        if not inside:
            kept.append(entity)
    return kept


def detect_entities(text: str, entities: list[Entity]) -> list[Entity]:
    """Add the entities Telegram recognises on its own (commands, mentions, hashtags, URLs)."""
    opaque = [(e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] in _OPAQUE]
    found: list[Entity] = []
    for kind, pattern in _DETECTORS:
        for match in pattern.finditer(text):
            start = utf16_len(text[: match.start()])
            length = utf16_len(match.group())
            end = start + length
            if any(start < oe and os < end for os, oe in opaque):
                continue
            if any(start < f["offset"] + f["length"] and f["offset"] < end for f in found):
                continue
            found.append({"type": kind, "offset": start, "length": length})
    return sort_entities(entities + found)


def _open_tag(entity: Entity) -> tuple[str, str] | None:
    kind = entity["type"]
    if kind in _TAGS:
        return _TAGS[kind]
    if kind == "pre":
        language = entity.get("language")
        if language:
            return f'<pre><code class="language-{html.escape(language)}">', "</code></pre>"
        return "<pre>", "</pre>"
    if kind == "text_link":
        return f'<a href="{html.escape(entity["url"])}">', "</a>"
    if kind == "text_mention":
        return f'<a href="tg://user?id={entity["user"]["id"]}">', "</a>"
    if kind == "custom_emoji":
        return f'<tg-emoji emoji-id="{entity["custom_emoji_id"]}">', "</tg-emoji>"
    return None


def render_html(text: str, entities: list[Entity]) -> str:
    """Render plain text + entities back to Telegram HTML (what PTB's ``text_html`` gives)."""
    spans = []
    for entity in sort_entities(entities):
        tags = _open_tag(entity)
        if tags is not None:
            start, end = utf16_slice_bounds(text, entity["offset"], entity["length"])
            spans.append((start, end, tags))
    return _render(text, spans, 0, len(text))


def _render(text: str, spans: list[tuple[int, int, tuple[str, str]]], lo: int, hi: int) -> str:
    out: list[str] = []
    pos = lo
    index = 0
    while index < len(spans):
        start, end, (opening, closing) = spans[index]
        start, end = max(start, pos), min(end, hi)
        children = []
        index += 1
        while index < len(spans) and spans[index][0] < end:
            children.append(spans[index])
            index += 1
        if end <= start:
            continue
        out.append(html.escape(text[pos:start], quote=False))
        out.append(opening + _render(text, children, start, end) + closing)
        pos = end
    out.append(html.escape(text[pos:hi], quote=False))
    return "".join(out)
