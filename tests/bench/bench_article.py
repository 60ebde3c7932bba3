"""Benchmark: comparing a published article with the approved text, against a plain char diff.

Run from the repository root::

    python -m tests.bench.bench_article

Texts are generated deterministically: sentences of 10-40 common characters ending in mixed
punctuation, one line each, about 2,000 and 20,000 characters (WeChat's limit). The published
side has the same sentences run together (layout only), or one character of the middle
sentence changed. The baseline is the plain approach: the same layout normalisation and
equality check, then one ``difflib.SequenceMatcher`` over all characters. ``compare_texts``
diffs sentences first, then characters inside the changed ones.

Prints the best of five runs for each case and their ratio, and as the last line one JSON object.
"""

from __future__ import annotations

import difflib
import json
import random
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from bot.publication.article import _canon, compare_texts

__all__ = ["main"]

SEED = 20261206
RUNS = 5
SIZES = (2_000, 20_000)
_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    "子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体"
    "制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内"
)


def _texts(size: int) -> tuple[str, str, str]:
    rng = random.Random(SEED + size)
    sentences: list[str] = []
    while sum(map(len, sentences)) < size:
        body = "".join(rng.choice(_CHARS) for _ in range(rng.randint(10, 40)))
        sentences.append(body + rng.choice("。，；！？"))
    approved = "\n".join(sentences)
    middle = len(sentences) // 2
    edited = list(sentences)
    edited[middle] = edited[middle][:3] + "改" + edited[middle][4:]
    return approved, "".join(sentences), "".join(edited)


def _plain_diff(approved: str, published: str) -> int:
    a, b = _canon(approved).chars, _canon(published).chars
    if a == b:
        return 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(1 for op in matcher.get_opcodes() if op[0] != "equal")


def _best(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    """Print the figures; fail if a comparison gives the wrong verdict."""
    results: dict[str, Any] = {}
    for size in SIZES:
        approved, layout_only, one_changed = _texts(size)
        if not compare_texts(approved, layout_only).matches:
            print("FAIL: a layout-only difference was reported")
            return 1
        if len(compare_texts(approved, one_changed).changes) != 1:
            print("FAIL: one changed sentence was not reported as one change")
            return 1
        for case, published in (("layout", layout_only), ("changed", one_changed)):
            ours = _best(partial(compare_texts, approved, published))
            plain = _best(partial(_plain_diff, approved, published))
            key = f"{case}_{len(approved)}"
            results[key] = {
                "compare_ms": round(ours * 1000, 2),
                "plain_ms": round(plain * 1000, 2),
                "ratio": round(plain / ours, 1),
            }
            print(
                f"{case:8s} {len(approved):6d} chars: compare_texts {ours * 1000:8.2f} ms, "
                f"plain char diff {plain * 1000:8.2f} ms, ratio {plain / ours:5.1f}x"
            )
    print(json.dumps({"benchmark": "article", "results": results}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
