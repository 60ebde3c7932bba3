"""What reading a file produces and refuses: limits, errors, the extracted document."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

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
]

logger = logging.getLogger(__name__)

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # the Bot API's getFile limit


# A hostile file must not be able to eat the worker thread's memory or time. A real draft is a
# few thousand characters; these limits are orders of magnitude above that.
MAX_PDF_PAGES = 500


MAX_TEXT_CHARS = 500_000


# A .docx is a ZIP archive: 20 MB compressed can claim gigabytes once inflated (a "zip bomb").
# This is the real unpacked size of all members (pictures included), counted while inflating.
MAX_DOCX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024


# The XML parts are what python-docx turns into a DOM, at a few hundred bytes per element: 82 KB
# of deflated empty paragraphs is 30 MB of XML and over a gigabyte of DOM. A long, richly
# formatted real document has a few MB of XML and a few hundred thousand elements.
MAX_DOCX_XML_BYTES = 16 * 1024 * 1024


MAX_XML_ELEMENTS = 600_000


# python-docx walks paragraphs slowly (about 12 µs each, empty or not); a 500-page thesis has
# some 15,000.
MAX_DOCX_PARAGRAPHS = 100_000


MAX_XML_DEPTH = 128


# A 500-page report with fonts and pictures has some tens of thousands of objects.
MAX_PDF_OBJECTS = 200_000


# Pages in the page tree (not only the ones read): a tree can name one page object millions of
# times in a few compressed bytes.
MAX_PDF_PAGE_TREE = 5_000


# A 50-megapixel phone photo passes; a "pixel bomb" (a tiny file declaring 60000x60000) does not.
MAX_IMAGE_PIXELS = 100_000_000


SUPPORTED_TYPES_HINT = "支持 .docx、.pdf、.txt、.md 和图片"


DocumentKind = Literal["docx", "pdf", "text", "image"]


_REASON_CORRUPT = "文件已损坏，无法读取"


_REASON_ENCRYPTED_PDF = "PDF 已加密，请去掉密码后重新发送"


_REASON_ENCRYPTED_DOCX = (
    "文档已加密，或是旧版 .doc 文件改了扩展名，请去掉密码并另存为 .docx 后重新发送"
)


_REASON_EMPTY = "文件中没有可读取的文字"


_REASON_EMPTY_PDF = "文件中没有可读取的文字（扫描版 PDF 请直接发送文字）"


_REASON_TOO_LARGE = "文件超过 20 MB，机器人无法下载"


_REASON_UNDECODABLE = "无法识别文件的文字编码，请另存为 UTF-8 编码后重新发送"


_REASON_BINARY_TEXT = "文件不是有效的文本文件"


_DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# OLE2 compound file: what Office produces for a password-protected .docx (and for .doc).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


_W_TXBX_CONTENT = f"{{{_W_NS}}}txbxContent"


_W_P = f"{{{_W_NS}}}p"


_W_T = f"{{{_W_NS}}}t"


# Many Chinese PDFs map CJK ideographs to look-alike Kangxi radicals (e.g. U+2F00 "⼀" for "一"),
# which breaks keyword filters and search. NFKC fixes those, but applying NFKC to the whole text
# would also turn full-width punctuation ("，" "：") into ASCII, so only these blocks are mapped.
_PDF_LOOKALIKES = {
    code: unicodedata.normalize("NFKC", chr(code))
    for block in (range(0x2E80, 0x2F00), range(0x2F00, 0x2FE0), range(0xFB00, 0xFB07))
    for code in block
    if unicodedata.normalize("NFKC", chr(code)) != chr(code)
}


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufeff\ufffe]")


_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x1c-\x1e\x85\u2028\u2029]")


_EXCESS_BLANK_LINES = re.compile(r"\n{3,}")


_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


class DocumentError(Exception):
    """A submitted file cannot be used; ``reason`` is a Chinese message for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedFileTypeError(DocumentError):
    """The file is neither a supported document nor an image."""


class FileTooLargeError(DocumentError):
    """The file is larger than the Bot API lets a bot download."""


class CorruptDocumentError(DocumentError):
    """The file claims a supported type but cannot be parsed."""


class EncryptedDocumentError(DocumentError):
    """The file needs a password we do not have."""


class LimitExceededError(DocumentError):
    """The file is over one of the extraction limits; ``limit`` names which one."""

    def __init__(self, reason: str, limit: str) -> None:
        super().__init__(reason)
        self.limit = limit


class EmptyDocumentError(DocumentError):
    """The file was read fine but holds no text; ``document`` is the (empty) result."""

    def __init__(self, reason: str, document: ExtractedDocument) -> None:
        super().__init__(reason)
        self.document = document


@dataclass(frozen=True)
class ExtractedDocument:
    """The text of a submitted file.

    ``text`` has ``\\n`` line breaks, no trailing spaces and at most one blank line in a row.
    ``page_count`` is the PDF's page count (``None`` for other kinds). ``truncated`` is set when a
    size limit stopped reading early, and ``warnings`` then (or when some PDF pages could not be
    read) holds Chinese notes worth showing to the reviewer. ``encoding`` names the codec a
    plain-text file was decoded with.
    """

    kind: DocumentKind
    text: str
    page_count: int | None = None
    truncated: bool = False
    warnings: tuple[str, ...] = ()
    encoding: str | None = None


def _normalise(text: str) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL_CHARS.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _EXCESS_BLANK_LINES.sub("\n\n", text)
    return text.strip("\n")


class _TextBudget:
    """Collects lines until ``MAX_TEXT_CHARS`` is reached, then remembers that it cut."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def add(self, text: str) -> bool:
        """Append ``text``; False once the budget is spent (the caller should stop reading)."""
        room = MAX_TEXT_CHARS - self.size
        if len(text) > room:
            self.parts.append(text[:room])
            self.size = MAX_TEXT_CHARS
            self.truncated = True
            return False
        self.parts.append(text)
        self.size += len(text) + 1  # the joining newline
        return True

    def text(self) -> str:
        return _normalise("\n".join(self.parts))
