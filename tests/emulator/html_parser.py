"""Telegram's parse_mode=HTML parser, ported from TDLib's behaviour.

It walks UTF-8 bytes because Telegram reports parse errors as *byte* offsets, and it
accepts and rejects exactly what Telegram does: a bare ``&`` that starts no known entity
is kept literally (Telegram accepts "AT&T"), while any ``<`` starts a tag and must be one
of the supported ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ApiError, bad_request

__all__ = ["SUPPORTED_TAGS", "link_entity", "parse_html"]

SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip

_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
}
_NAMED_ENTITIES = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_SPACES = frozenset(b" \t\r\n\v\0")
_LINK_SCHEMES = ("http", "https", "tg", "ton", "tonsite")


def _error(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    text_start: int  # index into the output buffer, for <a> without href


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source.encode("utf-8")
        self.out = bytearray()
        self.utf16 = 0
        self.entities: list[dict[str, Any]] = []
        self.stack: list[_Open] = []

    def at(self, index: int) -> int:
        # TDLib reads a NUL terminator past the end; mimicking it keeps the error paths equal.
        return self.src[index] if index < len(self.src) else 0

    def decode_entity(self, pos: int) -> tuple[str, int] | None:
        """Return (character, position after the entity) or None if it is not an entity."""
        end = pos + 1
        value = 0
        if self.at(end) == ord("#"):
            end += 1
            hexadecimal = self.at(end) == ord("x")
            if hexadecimal:
                end += 1
            digits = b"0123456789abcdefABCDEF" if hexadecimal else b"0123456789"
            while self.at(end) and self.at(end) in digits:
                value = value * (16 if hexadecimal else 10) + int(chr(self.at(end)), 16)
                end += 1
                if value >= 0x10FFFF:
                    return None
            if value == 0 or end - pos >= 10 or 0xD800 <= value <= 0xDFFF:
                return None
            char = chr(value)
        else:
            while chr(self.at(end)).isascii() and chr(self.at(end)).isalpha():
                end += 1
            named = _NAMED_ENTITIES.get(bytes(self.src[pos + 1 : end]))
            if named is None:
                return None
            char = named
        if self.at(end) == ord(";"):
            end += 1
        return char, end

    def emit(self, char: str) -> None:
        self.out += char.encode("utf-8")
        self.utf16 += 2 if ord(char) > 0xFFFF else 1

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        i = 0
        while i < len(self.src):
            byte = self.src[i]
            if byte == ord("&"):
                decoded = self.decode_entity(i)
                if decoded is not None:
                    self.emit(decoded[0])
                    i = decoded[1]
                    continue
            if byte != ord("<"):
                self.out.append(byte)
                if byte & 0xC0 != 0x80:  # first byte of a UTF-8 sequence
                    self.utf16 += 2 if byte >= 0xF0 else 1
                i += 1
                continue
            i = self.end_tag(i) if self.at(i + 1) == ord("/") else self.start_tag(i)
        if self.stack:
            raise _error(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"')
        return self.out.decode("utf-8"), self.entities

    def start_tag(self, begin: int) -> int:
        i = begin + 1
        while self.at(i) not in _SPACES and self.at(i) != ord(">"):
            i += 1
        if self.at(i) == 0:
            raise _error(f"Unclosed start tag at byte offset {begin}")
        tag = self.src[begin + 1 : i].decode("utf-8", "replace").lower()
        if tag not in SUPPORTED_TAGS:
            raise _error(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument = ""
        while self.at(i) != ord(">"):
            while self.at(i) and self.at(i) in _SPACES:
                i += 1
            if self.at(i) == ord(">"):
                break
            if self.at(i) == 0:
                raise _error(f"Unclosed start tag at byte offset {begin}")
            name_start = i
            while self.at(i) not in _SPACES and self.at(i) not in b"=>":
                i += 1
            name = self.src[name_start:i].decode("utf-8", "replace").lower()
            if not name:
                raise _error(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
            while self.at(i) and self.at(i) in _SPACES:
                i += 1
            if self.at(i) != ord("="):
                if tag == "blockquote" and name == "expandable":
                    argument = "1"
                    continue
                raise _error(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {begin}'
                )
            i += 1
            while self.at(i) and self.at(i) in _SPACES:
                i += 1
            if self.at(i) == 0:
                raise _error(f"Unclosed start tag at byte offset {begin}")
            value, i = self.attribute_value(i)
            if self.at(i) == 0:
                raise _error(f"Unclosed start tag at byte offset {begin}")
            argument = _tag_argument(tag, name, value, argument)
        if tag == "span" and argument != "spoiler":
            raise _error(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        self.stack.append(_Open(tag, argument, self.utf16, len(self.out)))
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        quote = self.at(i)
        if quote not in (ord("'"), ord('"')):
            start = i
            while chr(self.at(i)).isascii() and (chr(self.at(i)).isalnum() or self.at(i) in b".-"):
                i += 1
            if self.at(i) not in _SPACES and self.at(i) != ord(">"):
                raise _error(f"Unexpected end of name token at byte offset {start}")
            return self.src[start:i].decode("utf-8").lower(), i
        i += 1
        value = bytearray()
        while self.at(i) != quote and self.at(i) != 0:
            if self.at(i) == ord("&"):
                decoded = self.decode_entity(i)
                if decoded is not None:
                    value += decoded[0].encode("utf-8")
                    i = decoded[1]
                    continue
            value.append(self.at(i))
            i += 1
        if self.at(i) == quote:
            i += 1
        return value.decode("utf-8", "replace"), i

    def end_tag(self, begin: int) -> int:
        if not self.stack:
            raise _error(f"Unexpected end tag at byte offset {begin}")
        i = begin + 2
        while self.at(i) not in _SPACES and self.at(i) != ord(">"):
            i += 1
        name = self.src[begin + 2 : i].decode("utf-8", "replace").lower()
        while self.at(i) and self.at(i) in _SPACES:
            i += 1
        if self.at(i) != ord(">"):
            raise _error(f"Unclosed end tag at byte offset {begin}")
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise _error(
                f'Unmatched end tag at byte offset {begin}, expected "</{opened.tag}>", '
                f'found "</{name}>"'
            )
        if self.utf16 > opened.utf16_offset:
            self.close_entity(opened)
        return i + 1

    def close_entity(self, opened: _Open) -> None:
        offset = opened.utf16_offset
        length = self.utf16 - offset
        base: dict[str, Any] = {"offset": offset, "length": length}
        tag = opened.tag
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and last["offset"] == offset and last["length"] == length
        if tag in _SIMPLE or tag == "span":
            self.entities.append({"type": _SIMPLE.get(tag, "spoiler"), **base})
        elif tag == "tg-emoji":
            if not opened.argument.isdigit() or int(opened.argument) == 0:
                raise _error("Invalid custom emoji identifier specified")
            self.entities.append(
                {"type": "custom_emoji", **base, "custom_emoji_id": opened.argument}
            )
        elif tag == "a":
            url = opened.argument or self.out[opened.text_start :].decode("utf-8")
            link = link_entity(url)
            if link is not None:
                self.entities.append({**link, **base})
        elif tag == "pre":
            if last is not None and same_span and last["type"] == "code" and last.get("language"):
                last["type"] = "pre"
            else:
                self.entities.append({"type": "pre", **base})
        elif tag == "code":
            if last is not None and same_span and last["type"] == "pre" and opened.argument:
                last["language"] = opened.argument
            else:
                entity = {"type": "code", **base}
                if opened.argument:
                    entity["language"] = opened.argument  # dropped below unless <pre> wraps it
                self.entities.append(entity)
        elif tag == "blockquote":
            kind = "expandable_blockquote" if opened.argument else "blockquote"
            self.entities.append({"type": kind, **base})


def _tag_argument(tag: str, name: str, value: str, current: str) -> str:
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    if tag == "blockquote" and name == "expandable":
        return "1"
    return current


def link_entity(url: str) -> dict[str, Any] | None:
    """Like Telegram, silently drop links it cannot accept instead of failing the message."""
    url = url.strip()
    lowered = url.lower()
    if lowered.startswith("tg://user?id="):
        user_id = lowered[len("tg://user?id=") :]
        if user_id.isdigit():
            return {"type": "text_mention", "user_id": int(user_id)}
        return None
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "http", url
    scheme = scheme.lower()
    if scheme not in _LINK_SCHEMES or not rest or " " in rest:
        return None
    host, slash, path = rest.partition("/")
    if scheme in ("http", "https"):
        if "." not in host and not host.startswith("localhost"):
            return None
        return {"type": "text_link", "url": f"{scheme}://{host.lower()}/{path if slash else ''}"}
    return {"type": "text_link", "url": f"{scheme}://{rest}"}


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, entities) or raise the Bot API's 400 error.

    ``text_mention`` entities carry a bare ``user_id``; the caller resolves the user.
    """
    plain, entities = _Parser(text).run()
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return plain, entities
