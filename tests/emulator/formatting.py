"""Turn a bot's (text, parse_mode, entities) into what Telegram stores: plain text + entities."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .entities import Entity, detect_entities, drop_nested_in_code, sort_entities, trim_text
from .errors import bad_request
from .html_parser import parse_html
from .markdown_parser import parse_markdown, parse_markdown_v2
from .utf16 import utf16_len

__all__ = ["KNOWN_ENTITY_TYPES", "format_text"]

KNOWN_ENTITY_TYPES = frozenset(
    {
        "mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number",
        "bold", "italic", "underline", "strikethrough", "spoiler", "blockquote",
        "expandable_blockquote", "code", "pre", "text_link", "text_mention", "custom_emoji",
    }
)  # fmt: skip

UserResolver = Callable[[int], dict[str, Any]]


def _explicit_entities(text: str, raw: Any) -> list[Entity]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise bad_request("can't parse entities JSON object") from None
    if not isinstance(raw, list):
        raise bad_request("can't parse entities JSON object")
    limit = utf16_len(text)
    result: list[Entity] = []
    for item in raw:
        if not isinstance(item, dict) or item.get("type") not in KNOWN_ENTITY_TYPES:
            raise bad_request("can't parse MessageEntity: unsupported entity type")
        offset, length = item.get("offset"), item.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise bad_request("can't parse MessageEntity: offset and length must be integers")
        end = min(offset + length, limit)
        if offset >= 0 and end > offset:
            result.append({**item, "length": end - offset})
    return result


def format_text(
    text: str,
    parse_mode: str | None,
    entities: Any,
    resolve_user: UserResolver,
) -> tuple[str, list[Entity]]:
    """Parse like Telegram; raises the 400 ``ApiError`` Telegram would.

    Explicit ``entities`` win over ``parse_mode``, as in the Bot API server.
    """
    if entities is not None:
        plain, found = text, _explicit_entities(text, entities)
    elif not parse_mode:
        plain, found = text, []
    elif parse_mode.lower() == "html":
        plain, found = parse_html(text)
    elif parse_mode.lower() == "markdownv2":
        plain, found = parse_markdown_v2(text)
    elif parse_mode.lower() == "markdown":
        plain, found = parse_markdown(text)
    else:
        raise bad_request("unsupported parse_mode")
    for entity in found:
        if entity["type"] == "text_mention" and "user_id" in entity:
            entity["user"] = resolve_user(entity.pop("user_id"))
    found = drop_nested_in_code(sort_entities(found))
    plain, found = trim_text(plain, found)
    return plain, detect_entities(plain, found)
