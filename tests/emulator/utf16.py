"""UTF-16 arithmetic: Telegram measures entity offsets in UTF-16 code units."""

from __future__ import annotations

__all__ = ["utf16_len", "utf16_slice_bounds"]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def utf16_slice_bounds(text: str, offset: int, length: int) -> tuple[int, int]:
    """Map an entity's UTF-16 (offset, length) to Python string indices (start, end).

    Offsets that fall inside a surrogate pair are rounded forward, which is what clients do.
    """
    start = end = -1
    units = 0
    stop = offset + length
    for index, char in enumerate(text):
        if start < 0 and units >= offset:
            start = index
        if units >= stop:
            end = index
            break
        units += 2 if ord(char) > 0xFFFF else 1
    if start < 0:
        start = len(text)
    if end < 0:
        end = len(text)
    return start, max(start, end)
