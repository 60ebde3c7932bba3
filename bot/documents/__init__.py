"""Text from submitted draft files (.docx, .pdf, .txt/.md) and recognition of images.

Everything here is synchronous, CPU-bound and free of shared mutable state. A file that costs
far more than its size (a "bomb") is refused by budgets checked before any DOM is built: the real
unpacked size of a .docx's members (streamed, whatever the archive declares), the element count
and depth of its XML (counted by a streaming parser), a PDF's object count and stream sizes and
an image's pixel count (read from its header). The bot runs :func:`extract_text` in a separate
process with time and memory limits (:mod:`bot.documents.isolated`), so what the budgets miss still
cannot stop the bot.

Errors are :class:`DocumentError` (or one of its subclasses), whose ``reason`` is a short Chinese
sentence meant to be shown to the user as is.

An empty document is an error (:class:`EmptyDocumentError`) because an empty draft cannot be
reviewed. The exception carries the (empty) :class:`ExtractedDocument` in ``document`` so a caller
that has other text — e.g. a scanned PDF sent with a caption — can catch it and go on.
"""

from __future__ import annotations

import logging
import struct
import unicodedata

import bot.documents.model as model
from bot import texts
from bot.documents.model import (
    _CONTROL_CHARS,
    _DOCX_MIME,
    _MARKDOWN_HEADING,
    _REASON_CORRUPT,
    _REASON_EMPTY,
    _REASON_EMPTY_PDF,
    _REASON_TOO_LARGE,
    MAX_DOCX_PARAGRAPHS,
    MAX_DOCX_UNCOMPRESSED_BYTES,
    MAX_DOCX_XML_BYTES,
    MAX_DOWNLOAD_BYTES,
    MAX_IMAGE_PIXELS,
    MAX_PDF_OBJECTS,
    MAX_PDF_PAGE_TREE,
    MAX_PDF_PAGES,
    MAX_TEXT_CHARS,
    MAX_XML_DEPTH,
    MAX_XML_ELEMENTS,
    SUPPORTED_TYPES_HINT,
    CorruptDocumentError,
    DocumentError,
    DocumentKind,
    EmptyDocumentError,
    EncryptedDocumentError,
    ExtractedDocument,
    FileTooLargeError,
    LimitExceededError,
    UnsupportedFileTypeError,
)

__all__ = [
    "MAX_DOCX_PARAGRAPHS",
    "MAX_DOCX_UNCOMPRESSED_BYTES",
    "MAX_DOCX_XML_BYTES",
    "MAX_DOWNLOAD_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_PDF_OBJECTS",
    "MAX_PDF_PAGES",
    "MAX_PDF_PAGE_TREE",
    "MAX_TEXT_CHARS",
    "MAX_XML_DEPTH",
    "MAX_XML_ELEMENTS",
    "SUPPORTED_TYPES_HINT",
    "CorruptDocumentError",
    "DocumentError",
    "DocumentKind",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "ExtractedDocument",
    "FileTooLargeError",
    "LimitExceededError",
    "UnsupportedFileTypeError",
    "check_image",
    "check_size",
    "classify",
    "excerpt",
    "extract_text",
    "has_visible_text",
    "image_size",
    "title_from_text",
]


logger = logging.getLogger(__name__)


_EXTENSION_KINDS: dict[str, DocumentKind] = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".jpg": "image",
    ".jpeg": "image",
    ".png": "image",
    ".webp": "image",
}


_MIME_KINDS: dict[str, DocumentKind] = {
    _DOCX_MIME: "docx",
    "application/pdf": "pdf",
    "text/plain": "text",
    "text/markdown": "text",
    "text/x-markdown": "text",
}


# Formats people in a Chinese student union actually send by mistake, with the way out.
_UNSUPPORTED_HINTS = {
    ".doc": "旧版 Word 文件请另存为 .docx 后重新发送",
    ".wps": "WPS 文件请另存为 .docx 后重新发送",
    ".rtf": "请另存为 .docx 后重新发送",
    ".pages": "请导出为 .docx 或 .pdf 后重新发送",
}


_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Cs", "Mn", "Me", "Zl", "Zp", "Zs"})


_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def check_size(size: int | None) -> None:
    """Raise :class:`FileTooLargeError` if a file of ``size`` bytes cannot be downloaded.

    Meant for the ``file_size`` Telegram reports, before calling getFile. ``None`` (size unknown)
    passes: the download itself will tell.
    """
    if size is not None and size > model.MAX_DOWNLOAD_BYTES:
        raise FileTooLargeError(_REASON_TOO_LARGE)


def classify(file_name: str | None, mime_type: str | None) -> DocumentKind:
    """The kind of a submitted file, from its name first and its MIME type second.

    The extension wins because it is what the sender sees and chose; Telegram's MIME type is a
    client-side guess that is often ``application/octet-stream``. Raises
    :class:`UnsupportedFileTypeError` for anything else.
    """
    extension = _extension(file_name)
    if extension in _EXTENSION_KINDS:
        return _EXTENSION_KINDS[extension]
    mime = (mime_type or "").split(";", 1)[0].strip().lower()
    if mime in _MIME_KINDS:
        return _MIME_KINDS[mime]
    if mime.startswith("image/"):
        return "image"

    label = extension or (mime if mime and mime != "application/octet-stream" else "")
    if label:
        reason = f"不支持的文件类型：{label}（{SUPPORTED_TYPES_HINT}）"
    else:
        reason = f"无法识别文件类型（{SUPPORTED_TYPES_HINT}）"
    hint = _UNSUPPORTED_HINTS.get(extension)
    if hint:
        reason = f"{reason}。{hint}"
    raise UnsupportedFileTypeError(reason)


def extract_text(file_name: str | None, mime_type: str | None, data: bytes) -> ExtractedDocument:
    """Classify a downloaded file and pull its text out.

    Images give ``text=""`` (their caption is the draft, which the caller has). Raises
    :class:`DocumentError` subclasses for unsupported, oversized, corrupt, encrypted,
    undecodable and empty files, and :class:`LimitExceededError` for a file over one of the
    budgets above (its reason names the limit).
    """
    check_size(len(data))
    kind = classify(file_name, mime_type)
    if kind == "image":
        if not data:
            raise CorruptDocumentError(_REASON_CORRUPT)
        check_image(data)
        return ExtractedDocument(kind="image", text="")
    # Each reader imports its library (python-docx, pypdf) only when a file of its kind comes.
    if kind == "docx":
        from bot.documents.word import extract_docx

        result = extract_docx(data)
        empty_reason = _REASON_EMPTY
    elif kind == "pdf":
        from bot.documents.pdf import extract_pdf

        result = extract_pdf(data)
        empty_reason = _REASON_EMPTY_PDF
    else:
        from bot.documents.plain import extract_plain

        result = extract_plain(data)
        empty_reason = _REASON_EMPTY
    if not has_visible_text(result.text):
        raise EmptyDocumentError(empty_reason, result)
    return result


def has_visible_text(text: str) -> bool:
    """Whether ``text`` has a character a reader can see.

    Whitespace, format characters (zero-width space and joiners, direction marks, the BOM, soft
    hyphens), control characters, lone combining marks, unassigned code points and the blank
    "filler" letters (Hangul fillers, the blank Braille pattern) are all invisible: a draft made
    only of them looks empty to every reviewer, yet ``str.strip()`` keeps it.
    """
    return any(
        not char.isspace()
        and char not in _BLANK_LETTERS
        and unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        for char in text
    )


def check_image(data: bytes) -> None:
    """Raise :class:`LimitExceededError` if the image declares more than ``model.MAX_IMAGE_PIXELS``.

    Only the header is read, never the pixels; a format this cannot size passes (the bot never
    decodes images itself, Telegram does).
    """
    size = image_size(data)
    if size is None:
        return
    width, height = size
    if width * height > model.MAX_IMAGE_PIXELS:
        logger.warning("refusing a %dx%d image", width, height)
        raise LimitExceededError(
            texts.DOCUMENT_LIMIT_PIXELS.format(
                limit=model.MAX_IMAGE_PIXELS // 10_000, width=width, height=height
            ),
            "pixels",
        )


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF, JPEG or WebP image from its header; None if unknown."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
            return int(width), int(height)
        if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
            return _webp_size(data)
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return int(width) & 0x3FFF, int(height) & 0x3FFF
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 4 <= len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        if marker == 0xFF:  # fill byte
            index += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            index += 2
            continue
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        # Start-of-frame markers (all but DHT C4, JPG C8 and DAC CC) carry the dimensions.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return int(width), int(height)
        index += 2 + length
    return None


def title_from_text(text: str, limit: int = 40) -> str:
    """A title for a draft: its first non-empty line, stripped, at most ``limit`` characters.

    A Markdown heading marker ("# ") is dropped and runs of whitespace become one space. A line
    that is too long is cut like :func:`excerpt` does, ending in "…". Returns "" when the text
    has no visible characters, so the caller picks its own placeholder.
    """
    for line in text.splitlines():
        candidate = " ".join(_CONTROL_CHARS.sub("", line).split())
        candidate = _MARKDOWN_HEADING.sub("", candidate).strip()
        if candidate:
            return excerpt(candidate, limit)
    return ""


def excerpt(text: str, limit: int, *, utf16: bool = False) -> str:
    """``text`` unchanged if it fits in ``limit``, else cut so that it fits *including* a
    trailing "…".

    The cut never splits a user-perceived character where it is cheap to tell: combining marks,
    variation selectors, emoji modifiers and ZWJ sequences stay with their base, and flag pairs
    stay whole. Length is counted in code points, or, with ``utf16=True``, in UTF-16 code units —
    the unit of Telegram's message and caption limits, where an emoji outside the BMP counts 2.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if _measure(text, utf16) <= limit:
        return text
    budget = limit - 1  # "…" is one unit in both measures
    cut = 0
    used = 0
    for index, char in enumerate(text):
        width = 2 if utf16 and ord(char) > 0xFFFF else 1
        if used + width > budget:
            break
        used += width
        cut = index + 1
    cut = _grapheme_safe_cut(text, cut)
    return text[:cut].rstrip() + "…"


def _measure(text: str, utf16: bool) -> int:
    if utf16:
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def _is_extender(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or code == 0x200D
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or 0xE0100 <= code <= 0xE01EF
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _grapheme_safe_cut(text: str, cut: int) -> int:
    """Move ``cut`` left until it does not fall inside an obvious grapheme cluster."""
    while 0 < cut < len(text) and (_is_extender(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    if 0 < cut < len(text) and _is_regional_indicator(text[cut]):
        run = 0
        while cut - run - 1 >= 0 and _is_regional_indicator(text[cut - run - 1]):
            run += 1
        # Flags are pairs of regional indicators: an odd run means we are inside one.
        if run % 2 == 1:
            cut -= 1
    return cut


def _extension(file_name: str | None) -> str:
    if not file_name:
        return ""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if "." not in base:
        return ""
    suffix = base.rsplit(".", 1)[1].lower()
    return "." + suffix if suffix else ""
