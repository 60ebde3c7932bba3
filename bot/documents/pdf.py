"""Text from a .pdf, read within budgets: objects, the page tree, stream sizes."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import pypdf
from pypdf.errors import DependencyError, LimitReachedError

import bot.documents.model as model
from bot import texts
from bot.documents.model import (
    _PDF_LOOKALIKES,
    _REASON_CORRUPT,
    _REASON_ENCRYPTED_PDF,
    CorruptDocumentError,
    EncryptedDocumentError,
    ExtractedDocument,
    LimitExceededError,
    _TextBudget,
)

__all__ = ["extract_pdf"]

logger = logging.getLogger(__name__)


def extract_pdf(data: bytes) -> ExtractedDocument:
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
    for number, page in enumerate(_pages(reader, min(page_count, model.MAX_PDF_PAGES)), start=1):
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

    if failed and len(failed) == min(page_count, model.MAX_PDF_PAGES):
        raise CorruptDocumentError(_REASON_CORRUPT)
    warnings: list[str] = []
    truncated = budget.truncated or page_count > model.MAX_PDF_PAGES
    if page_count > model.MAX_PDF_PAGES:
        warnings.append(f"PDF 共 {page_count} 页，只读取了前 {model.MAX_PDF_PAGES} 页")
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
    if count > model.MAX_PDF_OBJECTS:
        logger.warning("refusing a PDF with %d objects", count)
        raise LimitExceededError(
            texts.DOCUMENT_LIMIT_PDF_OBJECTS.format(limit=f"{model.MAX_PDF_OBJECTS:,}"),
            "pdf_objects",
        )


def _check_page_tree(reader: pypdf.PdfReader) -> None:
    """Refuse a page tree that claims more than ``model.MAX_PDF_PAGE_TREE`` pages, before pypdf
    flattens it (one page object can be listed millions of times in a few bytes)."""
    # pypdf's object types are a union that mypy cannot narrow; these are dictionaries here,
    # and anything else fails with an exception the caller turns into "corrupt".
    root: Any = reader.trailer["/Root"].get_object()
    pages: Any = root.get("/Pages")
    count = pages.get_object().get("/Count") if pages is not None else None
    if isinstance(count, int) and count > model.MAX_PDF_PAGE_TREE:
        raise _page_tree_limit()
    # /Count may lie. Walk the tree the way pypdf will flatten it, shared nodes and all, counting
    # every visit so that neither a long Kids array, nor nodes shared to multiply the leaves, nor
    # a cycle costs more than the limit.
    visits = 0
    stack = [pages] if pages is not None else []
    while stack:
        visits += 1
        if visits > model.MAX_PDF_PAGE_TREE:
            raise _page_tree_limit()
        kids = stack.pop().get_object().get("/Kids")
        if kids is not None:
            kids = kids.get_object()
            if len(kids) > model.MAX_PDF_PAGE_TREE:
                raise _page_tree_limit()
            stack.extend(kids)


def _page_tree_limit() -> LimitExceededError:
    return LimitExceededError(
        texts.DOCUMENT_LIMIT_PDF_PAGES.format(limit=f"{model.MAX_PDF_PAGE_TREE:,}"), "pdf_pages"
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
