"""Screeners shared between threads, as the bot does with asyncio.to_thread."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

from filters import Screener, default_terms, warm_up

_PIECES = ["学生会", "活动", "代 开发票", "赌\u200b博", "绝密", "dubo", "dkfp", "13800138000", "。"]


def _drafts(count: int) -> list[str]:
    rng = random.Random(3)
    return ["".join(rng.choice(_PIECES) for _ in range(200)) for _ in range(count)]


def test_concurrent_screening_gives_the_sequential_results() -> None:
    texts = _drafts(40)
    expected = [Screener(default_terms()).screen(t) for t in texts]
    # A fresh screener, so the first uses (which build the pinyin index) race each other.
    shared = Screener(default_terms())
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(shared.screen, texts * 4))
    assert results == expected * 4


def test_prepare_builds_the_lazy_parts_once() -> None:
    screener = Screener(default_terms())
    screener.prepare()
    screener.prepare()
    assert screener.screen("一起 dubo").hits[0].found_by == "pinyin"


def test_warm_up_reports_seconds() -> None:
    seconds = warm_up()
    assert isinstance(seconds, float)
    assert seconds >= 0
