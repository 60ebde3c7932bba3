"""Telegram's MarkdownV2 and legacy Markdown parsers, ported from TDLib's behaviour.

MarkdownV2 is the strict one: every reserved character outside an entity must be escaped,
which is the mistake bots make most often and a lenient fake would hide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ApiError, bad_request
from .html_parser import link_entity

__all__ = ["parse_markdown", "parse_markdown_v2"]

_RESERVED = b"_*[]()~`>#+-=|{}.!"
_TYPE_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "pre_code": "PreCode",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}
_SPACES = frozenset(b" \t\r\n\v\0")


def _error(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def _reserved(char: int) -> ApiError:
    return _error(
        f"Character '{chr(char)}' is reserved and must be escaped with the preceding '\\'"
    )


@dataclass
class _Open:
    kind: str
    argument: str
    utf16_offset: int
    byte_offset: int
    text_start: int


class _Source:
    def __init__(self, text: str) -> None:
        self.src = text.encode("utf-8")
        self.out = bytearray()
        self.utf16 = 0
        self.entities: list[dict[str, Any]] = []

    def at(self, index: int) -> int:
        return self.src[index] if index < len(self.src) else 0

    def copy_byte(self, index: int) -> None:
        byte = self.src[index]
        self.out.append(byte)
        if byte & 0xC0 != 0x80:
            self.utf16 += 2 if byte >= 0xF0 else 1

    def pre_language(self, i: int) -> tuple[str, int]:
        """After an opening ```: optional language, then one skipped line break."""
        end = i
        while self.at(end) not in _SPACES and self.at(end) != ord("`"):
            end += 1
        language = ""
        if end != i and end < len(self.src) and self.at(end) != ord("`"):
            language = self.src[i:end].decode("utf-8", "replace")
            i = end
        if self.at(i) in b"\r\n" and self.at(i):
            pair = self.at(i + 1) in b"\r\n" and self.at(i + 1) and self.at(i) != self.at(i + 1)
            i += 2 if pair else 1
        return language, i

    def add(self, kind: str, offset: int, extra: dict[str, Any] | None = None) -> None:
        if self.utf16 > offset:
            entity = {"type": kind, "offset": offset, "length": self.utf16 - offset}
            self.entities.append({**entity, **(extra or {})})


class _MarkdownV2(_Source):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.stack: list[_Open] = []
        self.quote_start: int | None = None

    def closes_top(self, i: int) -> bool:
        if not self.stack:
            return False
        char, following = self.at(i), self.at(i + 1)
        kind = self.stack[-1].kind
        return {
            "bold": char == ord("*"),
            "italic": char == ord("_") and following != ord("_"),
            "code": char == ord("`"),
            "pre": char == ord("`") and following == ord("`") and self.at(i + 2) == ord("`"),
            "pre_code": char == ord("`") and following == ord("`") and self.at(i + 2) == ord("`"),
            "text_link": char == ord("]"),
            "underline": char == ord("_") and following == ord("_"),
            "strikethrough": char == ord("~"),
            "spoiler": char == ord("|") and following == ord("|"),
            "custom_emoji": char == ord("]"),
        }[kind]

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        i = 0
        while i < len(self.src):
            char = self.src[i]
            if char == ord("\\") and 0 < self.at(i + 1) <= 126:
                self.out.append(self.src[i + 1])
                self.utf16 += 1
                i += 2
                continue
            in_code = bool(self.stack) and self.stack[-1].kind in ("code", "pre", "pre_code")
            reserved = b"`" if in_code else _RESERVED
            if char == ord("\n") and self.quote_start is not None and self.at(i + 1) != ord(">"):
                self.add("blockquote", self.quote_start)
                self.quote_start = None
            if char not in reserved:
                self.copy_byte(i)
                i += 1
                continue
            if char == ord(">") and not self.stack and (i == 0 or self.src[i - 1] == ord("\n")):
                if self.quote_start is None:
                    self.quote_start = self.utf16
                i += 1
                continue
            i = self.end_entity(i) if self.closes_top(i) else self.begin_entity(i)
        if self.stack:
            top = self.stack[-1]
            raise _error(
                f"Can't find end of {_TYPE_NAMES[top.kind]} entity at byte offset {top.byte_offset}"
            )
        if self.quote_start is not None:
            self.add("blockquote", self.quote_start)
        return self.out.decode("utf-8"), self.entities

    def begin_entity(self, i: int) -> int:
        start = i
        char, following = self.src[i], self.at(i + 1)
        argument = ""
        if char == ord("_"):
            kind = "underline" if following == ord("_") else "italic"
            i += 2 if kind == "underline" else 1
        elif char in b"*~[":
            kind = {ord("*"): "bold", ord("~"): "strikethrough", ord("["): "text_link"}[char]
            i += 1
        elif char == ord("|") and following == ord("|"):
            kind, i = "spoiler", i + 2
        elif char == ord("!") and following == ord("["):
            kind, i = "custom_emoji", i + 2
        elif char == ord("`") and following == ord("`") and self.at(i + 2) == ord("`"):
            argument, i = self.pre_language(i + 3)
            kind = "pre_code" if argument else "pre"
        elif char == ord("`"):
            kind, i = "code", i + 1
        else:
            raise _reserved(char)
        self.stack.append(_Open(kind, argument, self.utf16, start, len(self.out)))
        return i

    def end_entity(self, i: int) -> int:
        opened = self.stack.pop()
        kind = opened.kind
        extra: dict[str, Any] = {}
        if kind in ("underline", "spoiler"):
            i += 2
        elif kind in ("pre", "pre_code"):
            i += 3
            if kind == "pre_code":
                extra["language"] = opened.argument
            kind = "pre"
        elif kind in ("text_link", "custom_emoji"):
            url, i = self.link_target(i, opened)
            if kind == "custom_emoji":
                emoji_id = url.removeprefix("tg://emoji?id=")
                if not emoji_id.isdigit():
                    raise _error("Custom emoji entity must contain a tg://emoji URL")
                extra["custom_emoji_id"] = emoji_id
            else:
                link = link_entity(url)
                if link is None:
                    return i
                kind = link.pop("type")
                extra = link
        else:
            i += 1
        self.add(kind, opened.utf16_offset, extra)
        return i

    def link_target(self, i: int, opened: _Open) -> tuple[str, int]:
        if self.at(i + 1) != ord("("):
            return self.out[opened.text_start :].decode("utf-8"), i + 1
        i += 2
        begin = i
        url = bytearray()
        while i < len(self.src) and self.src[i] != ord(")"):
            if self.src[i] == ord("\\") and 0 < self.at(i + 1) <= 126:
                url.append(self.src[i + 1])
                i += 2
                continue
            url.append(self.src[i])
            i += 1
        if self.at(i) != ord(")"):
            raise _error(f"Can't find end of a URL at byte offset {begin}")
        return url.decode("utf-8", "replace"), i + 1


class _MarkdownV1(_Source):
    def run(self) -> tuple[str, list[dict[str, Any]]]:
        i = 0
        size = len(self.src)
        while i < size:
            char = self.src[i]
            if char == ord("\\") and self.at(i + 1) in b"_*`[" and self.at(i + 1):
                self.out.append(self.src[i + 1])
                self.utf16 += 1
                i += 2
                continue
            if char not in b"_*`[":
                self.copy_byte(i)
                i += 1
                continue
            begin = i
            end_char = ord("]") if char == ord("[") else char
            i += 1
            is_pre = char == ord("`") and self.at(i) == ord("`") and self.at(i + 1) == ord("`")
            language = ""
            if is_pre:
                language, i = self.pre_language(i + 2)
            offset = self.utf16
            text_start = len(self.out)
            while i < size and (
                self.src[i] != end_char
                or (is_pre and not (self.at(i + 1) == ord("`") and self.at(i + 2) == ord("`")))
            ):
                self.copy_byte(i)
                i += 1
            if i == size:
                raise _error(f"Can't find end of the entity starting at byte offset {begin}")
            i = self.finish(char, i, offset, text_start, is_pre, language)
        return self.out.decode("utf-8"), self.entities

    def finish(
        self, char: int, i: int, offset: int, text_start: int, is_pre: bool, language: str
    ) -> int:
        if char == ord("["):
            url = self.out[text_start:].decode("utf-8")
            if self.at(i + 1) == ord("("):
                i += 2
                start = i
                while i < len(self.src) and self.src[i] != ord(")"):
                    i += 1
                url = self.src[start:i].decode("utf-8", "replace")
            link = link_entity(url)
            if link is not None:
                kind = link.pop("type")
                self.add(kind, offset, link)
        elif char == ord("`"):
            self.add(
                "pre" if is_pre else "code", offset, {"language": language} if language else None
            )
        else:
            self.add("italic" if char == ord("_") else "bold", offset)
        return i + (3 if is_pre else 1)


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    return _MarkdownV2(text).run()


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    return _MarkdownV1(text).run()
