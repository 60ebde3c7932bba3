"""Benchmark: .docx bombs (tiny files holding tens of MB of XML), read in a thread vs isolated.

Run from the repository root::

    python -m tests.bench.bench_documents

Each bomb is read in a fresh child process, twice: ``unguarded`` is how the bot read files before
(``asyncio.to_thread(documents.extract_text, ...)`` inside the bot's process, with the streaming
budgets lifted and only the old 200 MB declared-size check) and ``isolated`` is how it reads them
now (``documents.isolated.extract_isolated``: budgets, then a worker process with limits). The
child runs a ticker coroutine beside the read and reports the time taken, the event loop's
longest stall, its own resident memory before, at peak and after (from /proc/self/status), and
the outcome. The ``unguarded`` child runs under an address-space cap (``THREAD_CAP_MB``) so that the
largest bomb cannot take the machine down. Prints one line per run, then one JSON object.
"""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BOMBS_MB = (30, 70, 120)
MODES = ("unguarded", "isolated")
# What documents.py checked before the budgets: only the declared unpacked size, 200 MB.
UNGUARDED = {
    "MAX_DOCX_UNCOMPRESSED_BYTES": 200 * 1024 * 1024,
    "MAX_DOCX_XML_BYTES": 1 << 40,
    "MAX_XML_ELEMENTS": 1 << 40,
    "MAX_DOCX_PARAGRAPHS": 1 << 40,
    "MAX_XML_DEPTH": 1 << 40,
}
THREAD_CAP_MB = 8192
TICK_SECONDS = 0.01


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


async def _measure(mode: str, data: bytes) -> dict[str, Any]:
    from bot import documents

    gc.collect()
    rss_before = _status_kb("VmRSS")
    stalls: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(TICK_SECONDS)
            now = time.perf_counter()
            stalls.append(now - last)
            last = now

    tick_task = asyncio.create_task(ticker())
    started = time.perf_counter()
    try:
        if mode == "unguarded":
            from bot.documents import model

            # The readers look their limits up in the model module at each call.
            for name, value in UNGUARDED.items():
                setattr(model, name, value)
            result = await asyncio.to_thread(documents.extract_text, "bomb.docx", None, data)
        else:
            from bot.documents.isolated import extract_isolated

            result = await extract_isolated("bomb.docx", None, data)
        outcome = f"accepted ({len(result.text)} characters)"
    except documents.DocumentError as exc:
        outcome = f"refused: {exc.reason}"
    except MemoryError:
        outcome = "MemoryError in the bot's process"
    seconds = time.perf_counter() - started
    stop.set()
    await tick_task
    del data
    gc.collect()
    return {
        "seconds": round(seconds, 2),
        "longest_stall_s": round(max(stalls, default=seconds), 2),
        "rss_before_mb": rss_before // 1024,
        "rss_peak_mb": _status_kb("VmHWM") // 1024,
        "rss_after_mb": _status_kb("VmRSS") // 1024,
        "outcome": outcome,
    }


def _child(mode: str, megabytes: int) -> None:
    from tests.fixtures_docs import make_docx_bomb

    data = make_docx_bomb(megabytes)
    figures = asyncio.run(_measure(mode, data))
    figures["file_kb"] = len(data) // 1024
    print(json.dumps(figures, ensure_ascii=False))


def _cap_memory() -> None:
    cap = THREAD_CAP_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def main() -> int:
    """Run every bomb in every mode, each in its own child process, and print the figures."""
    results: list[dict[str, Any]] = []
    for megabytes in BOMBS_MB:
        for mode in MODES:
            run = subprocess.run(
                [sys.executable, "-m", "tests.bench.bench_documents", mode, str(megabytes)],
                capture_output=True,
                text=True,
                preexec_fn=_cap_memory if mode == "unguarded" else None,
                check=False,
            )
            lines = run.stdout.strip().splitlines()
            if run.returncode == 0 and lines:
                figures = json.loads(lines[-1])
            else:
                figures = {"outcome": f"child died (exit {run.returncode})"}
            figures.update(mode=mode, xml_mb=megabytes)
            results.append(figures)
            print(
                f"{megabytes:>4} MB XML ({figures.get('file_kb', '?')} KB file) {mode:>9}:"
                f" {figures.get('seconds', '?')} s, loop stalled up to"
                f" {figures.get('longest_stall_s', '?')} s, bot RSS"
                f" {figures.get('rss_before_mb', '?')} -> peak {figures.get('rss_peak_mb', '?')}"
                f" -> after {figures.get('rss_after_mb', '?')} MB; {figures['outcome']}",
                flush=True,
            )
    print(json.dumps({"benchmark": "documents", "runs": results}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3:
        _child(sys.argv[1], int(sys.argv[2]))
    else:
        sys.exit(main())
