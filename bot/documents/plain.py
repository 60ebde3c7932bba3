"""Text from a .txt or .md file, whatever its encoding."""

from __future__ import annotations

import logging

import bot.documents.model as model
from bot.documents.model import (
    _REASON_BINARY_TEXT,
    _REASON_UNDECODABLE,
    CorruptDocumentError,
    DocumentError,
    ExtractedDocument,
    _normalise,
)

__all__ = ["extract_plain"]

logger = logging.getLogger(__name__)


def extract_plain(data: bytes) -> ExtractedDocument:
    text, encoding = _decode(data)
    # Real text never contains NUL; a binary file renamed to .txt does.
    if "\x00" in text:
        raise CorruptDocumentError(_REASON_BINARY_TEXT)
    truncated = len(text) > model.MAX_TEXT_CHARS
    if truncated:
        text = text[: model.MAX_TEXT_CHARS]
    return ExtractedDocument(
        kind="text",
        text=_normalise(text),
        truncated=truncated,
        warnings=("文件过长，只读取了前面部分",) if truncated else (),
        encoding=encoding,
    )


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Windows Notepad's "Unicode" is UTF-16 with a byte-order mark.
        candidates = ["utf-16"]
    else:
        # GB18030 is a superset of GBK/GB2312, the usual encoding of Chinese Windows text files.
        # UTF-8 goes first because GBK text is almost never valid UTF-8, while the reverse is
        # common for short snippets.
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DocumentError(_REASON_UNDECODABLE)
