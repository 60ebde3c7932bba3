"""Read submitted files in a separate process with time and memory limits.

:func:`bot.documents.extract_text` refuses the bombs it can recognise, but parsing is CPU-bound
C code (lxml, zlib) that holds the GIL: in the bot's own process, even a file inside the budgets
stops every other user for as long as it takes, and the memory a parse grows stays with the bot.
So the bot reads .docx and .pdf files in a short-lived worker process (``python -m`` this module)
under ``RLIMIT_AS`` and ``RLIMIT_CPU`` and a wall-clock deadline after which it is killed. The
event loop only waits on a pipe, and all the parse's memory goes back to the system when the
worker exits. Plain text and images are cheap and bounded by the download limit, so they are
read in a thread.

The worker answers with one JSON object on stdout: the extracted document, or the typed
:class:`~bot.documents.DocumentError` to raise in the bot.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import resource
import signal
import sys
import weakref
from dataclasses import dataclass
from typing import Any

from bot import documents, texts
from bot.documents import (
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    ExtractedDocument,
    LimitExceededError,
)
from bot.documents.model import _REASON_CORRUPT

__all__ = ["DEFAULT_LIMITS", "ExtractionLimits", "extract_isolated", "main"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExtractionLimits:
    """What one worker may use. ``memory_mb`` is its whole address space, interpreter included
    (about 200 MB once python-docx and pypdf are imported)."""

    seconds: float = 30.0
    cpu_seconds: int = 20
    memory_mb: int = 512
    # Workers at once; more files wait their turn rather than multiplying the memory.
    concurrency: int = 2


DEFAULT_LIMITS = ExtractionLimits()

# Errors the worker may report, by name; anything else is treated as corrupt.
_ERRORS: dict[str, type[DocumentError]] = {
    cls.__name__: cls
    for cls in (
        DocumentError,
        CorruptDocumentError,
        EncryptedDocumentError,
        documents.UnsupportedFileTypeError,
        documents.FileTooLargeError,
    )
}
_ISOLATED_KINDS = frozenset({"docx", "pdf"})
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


async def extract_isolated(
    file_name: str | None,
    mime_type: str | None,
    data: bytes,
    limits: ExtractionLimits = DEFAULT_LIMITS,
) -> ExtractedDocument:
    """:func:`bot.documents.extract_text`, with .docx and .pdf parsed in a limited worker.

    Raises the same :class:`~bot.documents.DocumentError` subclasses, plus
    :class:`~bot.documents.LimitExceededError` when the worker runs out of time or memory.
    """
    documents.check_size(len(data))
    kind = documents.classify(file_name, mime_type)
    if kind not in _ISOLATED_KINDS:
        return await asyncio.to_thread(documents.extract_text, file_name, mime_type, data)
    loop = asyncio.get_running_loop()
    slots = _slots.setdefault(loop, asyncio.Semaphore(limits.concurrency))
    async with slots:
        answer = await _run_worker(file_name, mime_type, data, limits)
    return _decode(answer, limits)


async def _run_worker(
    file_name: str | None, mime_type: str | None, data: bytes, limits: ExtractionLimits
) -> dict[str, Any]:
    request = json.dumps(
        {
            "file_name": file_name,
            "mime_type": mime_type,
            "cpu_seconds": limits.cpu_seconds,
            "memory_mb": limits.memory_mb,
        }
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        __spec__.name if __spec__ is not None else __name__,
        request,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(data), limits.seconds)
    except TimeoutError:
        logger.warning("document worker over %s s, killed", limits.seconds)
        raise _time_limit(limits) from None
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    if process.returncode == -signal.SIGXCPU:
        logger.warning("document worker stopped by its CPU limit")
        raise _time_limit(limits)
    try:
        answer = json.loads(stdout.decode("utf-8").strip().splitlines()[-1])
    except (UnicodeDecodeError, IndexError, json.JSONDecodeError):
        # Killed by the kernel, or C code that aborted when an allocation failed.
        logger.warning(
            "document worker exited %s without an answer: %s",
            process.returncode,
            stderr.decode("utf-8", "replace")[-500:],
        )
        raise _memory_limit(limits) from None
    if not isinstance(answer, dict):
        raise CorruptDocumentError(_REASON_CORRUPT)
    return answer


def _decode(answer: dict[str, Any], limits: ExtractionLimits) -> ExtractedDocument:
    if "document" in answer and "error" not in answer:
        return _document(answer["document"])
    error = str(answer.get("error", ""))
    reason = str(answer.get("reason", ""))
    if error == "memory":
        raise _memory_limit(limits)
    if error == LimitExceededError.__name__:
        raise LimitExceededError(reason, str(answer.get("limit", "")))
    if error == EmptyDocumentError.__name__:
        raise EmptyDocumentError(reason, _document(answer.get("empty", {})))
    cls = _ERRORS.get(error, CorruptDocumentError)
    raise cls(reason or _REASON_CORRUPT)


def _document(fields: dict[str, Any]) -> ExtractedDocument:
    return ExtractedDocument(
        kind=fields.get("kind", "docx"),
        text=str(fields.get("text", "")),
        page_count=fields.get("page_count"),
        truncated=bool(fields.get("truncated", False)),
        warnings=tuple(str(w) for w in fields.get("warnings", ())),
        encoding=fields.get("encoding"),
    )


def _time_limit(limits: ExtractionLimits) -> LimitExceededError:
    seconds = min(limits.seconds, float(limits.cpu_seconds))
    return LimitExceededError(texts.DOCUMENT_LIMIT_TIME.format(limit=f"{seconds:g}"), "time")


def _memory_limit(limits: ExtractionLimits) -> LimitExceededError:
    return LimitExceededError(texts.DOCUMENT_LIMIT_MEMORY.format(limit=limits.memory_mb), "memory")


# --- the worker ---------------------------------------------------------------------------------


def _limit_self(cpu_seconds: int, memory_mb: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # SIGXCPU at the soft limit, SIGKILL a second later if it is ignored.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # The worker writes no files; a parser bug must not fill the disk either.
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _caused_by_memory(exc: BaseException, memory_mb: int) -> bool:
    """Whether a "corrupt file" error really was the memory limit.

    Python code raises MemoryError, but libxml2 reports a failed allocation as a syntax error
    ("unknown error"), so a parse that came within 10% of the limit counts as out of memory.
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, MemoryError) or "memory allocation failed" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return _peak_address_space_kb() * 10 >= memory_mb * 1024 * 9


def _peak_address_space_kb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _work(request: dict[str, Any], data: bytes) -> dict[str, Any]:
    try:
        result = documents.extract_text(request.get("file_name"), request.get("mime_type"), data)
    except MemoryError:
        return {"error": "memory"}
    except EmptyDocumentError as exc:
        return {
            "error": EmptyDocumentError.__name__,
            "reason": exc.reason,
            "empty": dataclasses.asdict(exc.document),
        }
    except LimitExceededError as exc:
        return {"error": LimitExceededError.__name__, "reason": exc.reason, "limit": exc.limit}
    except DocumentError as exc:
        # A parser that ran out of memory is reported by the document code as "corrupt".
        if _caused_by_memory(exc, int(request["memory_mb"])):
            return {"error": "memory"}
        return {"error": type(exc).__name__, "reason": exc.reason}
    return {"document": dataclasses.asdict(result)}


def main(argv: list[str] | None = None) -> int:
    """The worker: limits itself, reads the file from stdin, prints one JSON answer."""
    args = sys.argv[1:] if argv is None else argv
    request = json.loads(args[0])
    # A late import must not try to write bytecode once file writes are forbidden.
    sys.dont_write_bytecode = True
    _limit_self(int(request["cpu_seconds"]), int(request["memory_mb"]))
    data = sys.stdin.buffer.read()
    answer = _work(request, data)
    del data
    sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
