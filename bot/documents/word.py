"""Text from a .docx, read within budgets: the real unpacked size, XML elements and depth."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

import docx
from docx.table import Table

import bot.documents.model as model
from bot import texts
from bot.documents.model import (
    _MC_FALLBACK,
    _OLE_MAGIC,
    _REASON_CORRUPT,
    _REASON_ENCRYPTED_DOCX,
    _W_P,
    _W_T,
    _W_TXBX_CONTENT,
    CorruptDocumentError,
    EncryptedDocumentError,
    ExtractedDocument,
    LimitExceededError,
    _TextBudget,
)

__all__ = ["extract_docx"]

logger = logging.getLogger(__name__)


def extract_docx(data: bytes) -> ExtractedDocument:
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
            if declared > model.MAX_DOCX_UNCOMPRESSED_BYTES:
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
                        if unpacked > model.MAX_DOCX_UNCOMPRESSED_BYTES:
                            raise _unpacked_limit()
                        if scanner is not None:
                            budget.xml_bytes += len(chunk)
                            if budget.xml_bytes > model.MAX_DOCX_XML_BYTES:
                                raise LimitExceededError(
                                    texts.DOCUMENT_LIMIT_XML.format(
                                        limit=_megabytes(model.MAX_DOCX_XML_BYTES)
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
        texts.DOCUMENT_LIMIT_UNPACKED.format(limit=_megabytes(model.MAX_DOCX_UNCOMPRESSED_BYTES)),
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
            if self.paragraphs > model.MAX_DOCX_PARAGRAPHS:
                raise LimitExceededError(
                    texts.DOCUMENT_LIMIT_PARAGRAPHS.format(limit=f"{model.MAX_DOCX_PARAGRAPHS:,}"),
                    "paragraphs",
                )
        if self.elements > model.MAX_XML_ELEMENTS:
            raise LimitExceededError(
                texts.DOCUMENT_LIMIT_ELEMENTS.format(limit=f"{model.MAX_XML_ELEMENTS:,}"),
                "elements",
            )
        if self.depth > model.MAX_XML_DEPTH:
            raise LimitExceededError(
                texts.DOCUMENT_LIMIT_DEPTH.format(limit=model.MAX_XML_DEPTH), "depth"
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
