"""Text from submitted draft files (.docx, .pdf, .txt/.md) and recognition of images.

Everything here is synchronous, CPU-bound and free of shared mutable state. A file that costs
far more than its size (a "bomb") is refused by budgets checked before any DOM is built: the real
unpacked size of a .docx's members (streamed, whatever the archive declares), the element count
and depth of its XML (counted by a streaming parser), a PDF's object count and stream sizes and
an image's pixel count (read from its header). The bot runs :func:`extract_text` in a separate
process with time and memory limits (:mod:`bot.extraction`), so what the budgets miss still
cannot stop the bot.

Errors are :class:`DocumentError` (or one of its subclasses), whose ``reason`` is a short Chinese
sentence meant to be shown to the user as is.

An empty document is an error (:class:`EmptyDocumentError`) because an empty draft cannot be
reviewed. The exception carries the (empty) :class:`ExtractedDocument` in ``document`` so a caller
that has other text — e.g. a scanned PDF sent with a caption — can catch it and go on.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal
from xml.parsers import expat

import docx
import pypdf
from docx.table import Table
from pypdf.errors import DependencyError, LimitReachedError

from bot import texts

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

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Cs", "Mn", "Me", "Zl", "Zp", "Zs"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

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


def check_size(size: int | None) -> None:
    """Raise :class:`FileTooLargeError` if a file of ``size`` bytes cannot be downloaded.

    Meant for the ``file_size`` Telegram reports, before calling getFile. ``None`` (size unknown)
    passes: the download itself will tell.
    """
    if size is not None and size > MAX_DOWNLOAD_BYTES:
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
    if kind == "docx":
        result = _extract_docx(data)
        empty_reason = _REASON_EMPTY
    elif kind == "pdf":
        result = _extract_pdf(data)
        empty_reason = _REASON_EMPTY_PDF
    else:
        result = _extract_plain(data)
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
    """Raise :class:`LimitExceededError` if the image declares more than ``MAX_IMAGE_PIXELS``.

    Only the header is read, never the pixels; a format this cannot size passes (the bot never
    decodes images itself, Telegram does).
    """
    size = image_size(data)
    if size is None:
        return
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        logger.warning("refusing a %dx%d image", width, height)
        raise LimitExceededError(
            texts.DOCUMENT_LIMIT_PIXELS.format(
                limit=MAX_IMAGE_PIXELS // 10_000, width=width, height=height
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


# --- .docx -------------------------------------------------------------------------------------


def _extract_docx(data: bytes) -> ExtractedDocument:
    if data.startswith(_OLE_MAGIC):
        raise EncryptedDocumentError(_REASON_ENCRYPTED_DOCX)
    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx surfaces zipfile, KeyError, lxml and its own errors
        logger.info("unreadable .docx (%d bytes): %r", len(data), exc)
        raise CorruptDocumentError(_REASON_CORRUPT) from exc

    budget = _TextBudget()
    try:
        _collect_docx(document, budget)
    except Exception as exc:  # malformed tables or parts that only fail when walked
        logger.info("failed walking .docx (%d bytes): %r", len(data), exc)
        raise CorruptDocumentError(_REASON_CORRUPT) from exc
    warnings = ("文件过长，只读取了前面部分",) if budget.truncated else ()
    return ExtractedDocument(
        kind="docx", text=budget.text(), truncated=budget.truncated, warnings=warnings
    )


def _check_zip(data: bytes) -> None:
    """Refuse an archive that unpacks to more than the budgets allow, before python-docx reads it.

    Every member is inflated in chunks and counted as it comes, so a member that lies about its
    size costs at most the budget; the XML members go through a streaming parser that counts
    elements and depth and refuses DTDs (OOXML never has one; entity tricks need one).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(info.file_size for info in members)
            if declared > MAX_DOCX_UNCOMPRESSED_BYTES:
                logger.warning("rejecting .docx that declares %d bytes unpacked", declared)
                raise _unpacked_limit()
            budget = _XmlBudget()
            unpacked = 0
            for info in members:
                is_xml = info.filename.lower().endswith((".xml", ".rels"))
                scanner = budget.scanner() if is_xml else None
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK_BYTES):
                        unpacked += len(chunk)
                        if unpacked > MAX_DOCX_UNCOMPRESSED_BYTES:
                            raise _unpacked_limit()
                        if scanner is not None:
                            budget.xml_bytes += len(chunk)
                            if budget.xml_bytes > MAX_DOCX_XML_BYTES:
                                raise LimitExceededError(
                                    texts.DOCUMENT_LIMIT_XML.format(
                                        limit=_megabytes(MAX_DOCX_XML_BYTES)
                                    ),
                                    "xml_bytes",
                                )
                            scanner.Parse(chunk, False)
                if scanner is not None:
                    scanner.Parse(b"", True)
    except expat.ExpatError as exc:
        logger.info("malformed XML in .docx (%d bytes): %r", len(data), exc)
        raise CorruptDocumentError(_REASON_CORRUPT) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        # Includes members whose CRC or size does not match what they declare.
        logger.info("not a readable ZIP archive (%d bytes): %r", len(data), exc)
        raise CorruptDocumentError(_REASON_CORRUPT) from exc
    except NotImplementedError as exc:  # a compression method zipfile does not know
        logger.info("unsupported ZIP compression (%d bytes): %r", len(data), exc)
        raise CorruptDocumentError(_REASON_CORRUPT) from exc


_MB = 1024 * 1024
_CHUNK_BYTES = 256 * 1024


def _unpacked_limit() -> LimitExceededError:
    return LimitExceededError(
        texts.DOCUMENT_LIMIT_UNPACKED.format(limit=_megabytes(MAX_DOCX_UNCOMPRESSED_BYTES)),
        "unpacked",
    )


def _megabytes(size: int) -> str:
    return str(size // _MB) if size >= _MB else f"{size / _MB:.2f}"


class _XmlBudget:
    """Element count and depth across all XML parts of one archive, checked as they stream."""

    def __init__(self) -> None:
        self.elements = 0
        self.paragraphs = 0
        self.depth = 0
        self.xml_bytes = 0

    def scanner(self) -> expat.XMLParserType:
        """A fresh expat parser for one part, counting into this budget."""
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.StartDoctypeDeclHandler = self._doctype
        self.depth = 0
        return parser

    def _start(self, name: str, _attributes: dict[str, str]) -> None:
        self.elements += 1
        self.depth += 1
        if name == "p" or name.endswith(":p"):
            self.paragraphs += 1
            if self.paragraphs > MAX_DOCX_PARAGRAPHS:
                raise LimitExceededError(
                    texts.DOCUMENT_LIMIT_PARAGRAPHS.format(limit=f"{MAX_DOCX_PARAGRAPHS:,}"),
                    "paragraphs",
                )
        if self.elements > MAX_XML_ELEMENTS:
            raise LimitExceededError(
                texts.DOCUMENT_LIMIT_ELEMENTS.format(limit=f"{MAX_XML_ELEMENTS:,}"), "elements"
            )
        if self.depth > MAX_XML_DEPTH:
            raise LimitExceededError(
                texts.DOCUMENT_LIMIT_DEPTH.format(limit=MAX_XML_DEPTH), "depth"
            )

    def _end(self, _name: str) -> None:
        self.depth -= 1

    def _doctype(self, *_args: object) -> None:
        raise LimitExceededError(texts.DOCUMENT_HAS_DTD, "dtd")


def _collect_docx(document: Any, budget: _TextBudget) -> None:
    for line in _block_lines(document):
        if not budget.add(line):
            return
    # Headers and footers go last so that the body's first line stays the draft's title.
    seen: set[str] = set()
    for section in document.sections:
        parts = [section.header, section.footer]
        if section.different_first_page_header_footer:
            parts += [section.first_page_header, section.first_page_footer]
        for part in parts:
            # A linked part has no content of its own; touching it would even create one.
            if part.is_linked_to_previous:
                continue
            text = "\n".join(_block_lines(part)).strip()
            if text and text not in seen:
                seen.add(text)
                if not budget.add("\n" + text):
                    return


def _block_lines(container: Any) -> Iterator[str]:
    """Lines of a python-docx block container (body, header, cell) in document order."""
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_lines(block)
        else:
            yield block.text
            yield from _text_box_lines(block._p)


def _table_lines(table: Any) -> Iterator[str]:
    # Merged cells come back once per grid column/row they span; print each cell only once.
    seen: set[Any] = set()
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            text = " ".join(line.strip() for line in _block_lines(cell) if line.strip())
            if text:
                cells.append(text)
        if cells:
            yield " | ".join(cells)


def _text_box_lines(paragraph_element: Any) -> Iterator[str]:
    """Text of text boxes anchored in a paragraph (python-docx does not expose them).

    Word stores each box twice, a DrawingML version and a VML fallback inside ``mc:Fallback``;
    only the first is read.
    """
    for box in paragraph_element.iter(_W_TXBX_CONTENT):
        if _has_ancestor(box, _MC_FALLBACK, stop=paragraph_element):
            continue
        for paragraph in box.iter(_W_P):
            text = "".join(node.text or "" for node in paragraph.iter(_W_T))
            if text.strip():
                yield text


def _has_ancestor(element: Any, tag: str, stop: Any) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


# --- .pdf --------------------------------------------------------------------------------------


def _extract_pdf(data: bytes) -> ExtractedDocument:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # pypdf raises its own errors but also ValueError, KeyError, ...
        logger.info("unreadable PDF (%d bytes): %r", len(data), exc)
        raise CorruptDocumentError(_REASON_CORRUPT) from exc

    if reader.is_encrypted:
        _unlock_with_empty_password(reader)
    _check_pdf_objects(reader)

    try:
        _check_page_tree(reader)
        page_count = len(reader.pages)
    except DependencyError as exc:
        raise _missing_crypto(exc) from exc
    except LimitExceededError:
        raise
    except LimitReachedError as exc:
        raise _stream_limit(exc) from exc
    except Exception as exc:
        logger.info("PDF page tree unreadable (%d bytes): %r", len(data), exc)
        raise CorruptDocumentError(_REASON_CORRUPT) from exc
    if page_count == 0:
        raise CorruptDocumentError(_REASON_CORRUPT)

    budget = _TextBudget()
    failed: list[int] = []
    for number, page in enumerate(_pages(reader, min(page_count, MAX_PDF_PAGES)), start=1):
        try:
            page_text = page.extract_text() if page is not None else None
        except DependencyError as exc:
            raise _missing_crypto(exc) from exc
        except LimitReachedError as exc:
            raise _stream_limit(exc) from exc
        except Exception as exc:  # one broken content stream should not lose the other pages
            logger.info("PDF page %d unreadable: %r", number, exc)
            page_text = None
        if page_text is None:
            failed.append(number)
            continue
        if not budget.add(page_text.translate(_PDF_LOOKALIKES)):
            break

    if failed and len(failed) == min(page_count, MAX_PDF_PAGES):
        raise CorruptDocumentError(_REASON_CORRUPT)
    warnings: list[str] = []
    truncated = budget.truncated or page_count > MAX_PDF_PAGES
    if page_count > MAX_PDF_PAGES:
        warnings.append(f"PDF 共 {page_count} 页，只读取了前 {MAX_PDF_PAGES} 页")
    elif budget.truncated:
        warnings.append("文件过长，只读取了前面部分")
    if failed:
        warnings.append(f"第 {_page_list(failed)} 页无法读取，已跳过")
    return ExtractedDocument(
        kind="pdf",
        text=budget.text(),
        page_count=page_count,
        truncated=truncated,
        warnings=tuple(warnings),
    )


def _check_pdf_objects(reader: pypdf.PdfReader) -> None:
    """Refuse a PDF whose cross-reference table names more than ``MAX_PDF_OBJECTS`` objects."""
    count = sum(len(table) for table in reader.xref.values()) + len(reader.xref_objStm)
    if count > MAX_PDF_OBJECTS:
        logger.warning("refusing a PDF with %d objects", count)
        raise LimitExceededError(
            texts.DOCUMENT_LIMIT_PDF_OBJECTS.format(limit=f"{MAX_PDF_OBJECTS:,}"), "pdf_objects"
        )


def _check_page_tree(reader: pypdf.PdfReader) -> None:
    """Refuse a page tree that claims more than ``MAX_PDF_PAGE_TREE`` pages, before pypdf
    flattens it (one page object can be listed millions of times in a few bytes)."""
    # pypdf's object types are a union that mypy cannot narrow; these are dictionaries here,
    # and anything else fails with an exception the caller turns into "corrupt".
    root: Any = reader.trailer["/Root"].get_object()
    pages: Any = root.get("/Pages")
    count = pages.get_object().get("/Count") if pages is not None else None
    if isinstance(count, int) and count > MAX_PDF_PAGE_TREE:
        raise _page_tree_limit()
    # /Count may lie. Walk the tree the way pypdf will flatten it, shared nodes and all, counting
    # every visit so that neither a long Kids array, nor nodes shared to multiply the leaves, nor
    # a cycle costs more than the limit.
    visits = 0
    stack = [pages] if pages is not None else []
    while stack:
        visits += 1
        if visits > MAX_PDF_PAGE_TREE:
            raise _page_tree_limit()
        kids = stack.pop().get_object().get("/Kids")
        if kids is not None:
            kids = kids.get_object()
            if len(kids) > MAX_PDF_PAGE_TREE:
                raise _page_tree_limit()
            stack.extend(kids)


def _page_tree_limit() -> LimitExceededError:
    return LimitExceededError(
        texts.DOCUMENT_LIMIT_PDF_PAGES.format(limit=f"{MAX_PDF_PAGE_TREE:,}"), "pdf_pages"
    )


def _stream_limit(exc: Exception) -> LimitExceededError:
    logger.warning("PDF stream over pypdf's limit: %r", exc)
    limit = getattr(pypdf.filters, "ZLIB_MAX_OUTPUT_LENGTH", 75_000_000) // 1_000_000
    return LimitExceededError(texts.DOCUMENT_LIMIT_PDF_STREAM.format(limit=limit), "pdf_stream")


def _unlock_with_empty_password(reader: pypdf.PdfReader) -> None:
    # Many PDFs are "encrypted" only to restrict printing or editing: they have an empty user
    # password and open in any viewer without asking.
    try:
        unlocked = reader.decrypt("") != pypdf.PasswordType.NOT_DECRYPTED
    except DependencyError as exc:
        raise _missing_crypto(exc) from exc
    except Exception as exc:
        logger.info("PDF encryption dictionary unreadable: %r", exc)
        raise CorruptDocumentError(_REASON_CORRUPT) from exc
    if not unlocked:
        raise EncryptedDocumentError(_REASON_ENCRYPTED_PDF)


def _missing_crypto(exc: DependencyError) -> EncryptedDocumentError:
    # AES-encrypted PDFs need pypdf's optional crypto dependency; without it even an empty-password
    # PDF cannot be read, and the best advice for the user is still to remove the protection.
    logger.warning("cannot decrypt PDF, pypdf lacks a crypto backend: %s", exc)
    return EncryptedDocumentError(_REASON_ENCRYPTED_PDF)


def _pages(reader: pypdf.PdfReader, count: int) -> Iterator[Any]:
    """The first ``count`` pages; a page that cannot even be loaded yields ``None``."""
    for index in range(count):
        try:
            page = reader.pages[index]
        except DependencyError as exc:
            raise _missing_crypto(exc) from exc
        except Exception as exc:
            logger.info("PDF page %d could not be loaded: %r", index + 1, exc)
            yield None
        else:
            yield page


def _page_list(numbers: Iterable[int]) -> str:
    numbers = list(numbers)
    shown = "、".join(str(n) for n in numbers[:10])
    return shown + ("等" if len(numbers) > 10 else "")


# --- .txt / .md --------------------------------------------------------------------------------


def _extract_plain(data: bytes) -> ExtractedDocument:
    text, encoding = _decode(data)
    # Real text never contains NUL; a binary file renamed to .txt does.
    if "\x00" in text:
        raise CorruptDocumentError(_REASON_BINARY_TEXT)
    truncated = len(text) > MAX_TEXT_CHARS
    if truncated:
        text = text[:MAX_TEXT_CHARS]
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
