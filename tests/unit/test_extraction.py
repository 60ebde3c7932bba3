"""Files read in a limited worker process: bombs answered clearly, the event loop never stops,
and the bot's memory is what it was before."""

from __future__ import annotations

import asyncio
import gc
import time
from pathlib import Path

import pytest

from bot import documents, texts
from bot.documents import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    LimitExceededError,
    UnsupportedFileTypeError,
)
from bot.documents.isolated import ExtractionLimits, extract_isolated
from tests.fixtures_docs import (
    corrupt,
    make_docx,
    make_docx_bomb,
    make_encrypted_pdf,
    make_pdf,
)

NOTICE = ["关于举办迎新晚会的通知", "各学院学生会：", "请于周五前报名。"]
TICK = 0.005


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


async def _while_ticking(
    coroutine: asyncio.Future[object] | asyncio.Task[object],
) -> tuple[BaseException | object, float, list[float]]:
    """Await ``coroutine`` while another coroutine ticks; its outcome, duration and the gaps."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    started = time.perf_counter()
    try:
        outcome: BaseException | object = await coroutine
    except Exception as exc:
        outcome = exc
    duration = time.perf_counter() - started
    done.set()
    await ticking
    return outcome, duration, gaps


@pytest.mark.parametrize(
    ("xml_megabytes", "reason"),
    [
        # The three bombs: 82 KB, 186 KB and 320 KB of .docx holding 30 MB and more of
        # empty paragraphs (here 77, 139 and 213 KB: this builder compresses a little better).
        (30, texts.DOCUMENT_LIMIT_PARAGRAPHS.format(limit="100,000")),
        (70, texts.DOCUMENT_LIMIT_UNPACKED.format(limit="64")),
        (120, texts.DOCUMENT_LIMIT_UNPACKED.format(limit="64")),
    ],
)
async def test_docx_bombs_get_a_clear_answer_without_stopping_the_loop_or_keeping_memory(
    xml_megabytes: int, reason: str
) -> None:
    data = make_docx_bomb(xml_megabytes)
    gc.collect()
    before = _rss_kb()
    task = asyncio.ensure_future(extract_isolated("稿件.docx", None, data))
    outcome, duration, gaps = await _while_ticking(task)
    assert isinstance(outcome, LimitExceededError)
    assert outcome.reason == reason
    # Another coroutine (another user's update, a reminder) ran all along: no stall took even
    # half of the time the file took.
    assert gaps
    assert max(gaps) < duration / 2
    gc.collect()
    # Read in this process, the 30 MB bomb left 700 MB resident; now the bot keeps nothing.
    assert _rss_kb() - before < 20 * 1024


async def test_documents_read_in_the_worker_equal_those_read_in_process() -> None:
    files = [
        ("稿件.docx", make_docx(NOTICE, [["节目", "表演者"]], header="校学生会")),
        ("稿件.pdf", make_pdf(NOTICE, lines_per_page=2)),
        ("稿件.pdf", make_encrypted_pdf(NOTICE, user_password="")),
    ]
    for name, data in files:
        assert await extract_isolated(name, None, data) == documents.extract_text(name, None, data)


async def test_text_and_images_are_read_without_a_worker() -> None:
    result = await extract_isolated("稿件.txt", None, "\n".join(NOTICE).encode("gb18030"))
    assert result.text == "\n".join(NOTICE)
    assert result.encoding == "gb18030"


@pytest.mark.parametrize(
    ("name", "data", "error", "reason"),
    [
        ("稿件.docx", corrupt(make_docx(NOTICE)), CorruptDocumentError, "文件已损坏，无法读取"),
        (
            "稿件.pdf",
            make_encrypted_pdf(NOTICE, user_password="x"),
            EncryptedDocumentError,
            "PDF 已加密，请去掉密码后重新发送",
        ),
        ("表.xlsx", b"PK", UnsupportedFileTypeError, None),
    ],
)
async def test_typed_errors_cross_the_process_boundary(
    name: str, data: bytes, error: type[Exception], reason: str | None
) -> None:
    with pytest.raises(error) as caught:
        await extract_isolated(name, None, data)
    assert type(caught.value) is error
    if reason is not None:
        assert str(caught.value) == reason


async def test_an_empty_document_keeps_its_result() -> None:
    with pytest.raises(EmptyDocumentError) as caught:
        await extract_isolated("扫描件.pdf", None, make_pdf([]))
    assert caught.value.document.kind == "pdf"
    assert caught.value.document.page_count == 1


async def test_a_worker_over_its_time_is_killed_and_the_user_told() -> None:
    # No worker can even import its parsers in 50 ms: the deadline always passes first.
    limits = ExtractionLimits(seconds=0.05)
    with pytest.raises(LimitExceededError) as caught:
        await extract_isolated("稿件.docx", None, make_docx(NOTICE), limits)
    assert caught.value.limit == "time"
    assert caught.value.reason == texts.DOCUMENT_LIMIT_TIME.format(limit="0.05")


async def test_a_worker_over_its_memory_is_stopped_and_the_user_told() -> None:
    # Within every budget, but its DOM needs more than the worker may have (the worker imports
    # only the reader it needs, so 60 MB, not 100, is what this document cannot fit in).
    paragraph = "<w:p><w:r><w:t>正文内容正文内容正文内容。</w:t></w:r></w:p>".encode()
    data = make_docx_bomb(4, paragraph=paragraph)
    limits = ExtractionLimits(memory_mb=60)
    with pytest.raises(LimitExceededError) as caught:
        await extract_isolated("稿件.docx", None, data, limits)
    assert caught.value.limit == "memory"
    assert caught.value.reason == texts.DOCUMENT_LIMIT_MEMORY.format(limit=60)
    # The same file with the default limits is read in full.
    result = await extract_isolated("稿件.docx", None, data)
    assert result.truncated
    assert result.text.startswith("炸弹标题\n正文内容正文内容正文内容。\n")
