"""The screener warms up once, in the background; whatever screens before it waits for it."""

from __future__ import annotations

import asyncio

from bot.screening import Screening
from storage import Database

SECRET = "本文件绝密，请勿外传"


async def test_a_screening_before_the_warm_up_waits_and_finds_the_same_hits(db: Database) -> None:
    screening = Screening(db)
    await screening.seed()
    assert screening.screener.terms == ()  # nothing built before polling
    early = await screening.screen(SECRET)
    assert early.verdict == "block"
    assert [h.term for h in early.hits] == [h.term for h in (await screening.screen(SECRET)).hits]
    assert len(screening.screener.terms) > 0


async def test_the_warm_up_runs_once_for_every_caller(db: Database) -> None:
    screening = Screening(db)
    await screening.seed()
    first = screening.warm()
    verdicts = await asyncio.gather(*(screening.screen(SECRET) for _ in range(5)))
    assert screening.warm() is first
    assert {v.verdict for v in verdicts} == {"block"}


async def test_a_cancelled_waiter_does_not_cancel_the_warm_up(db: Database) -> None:
    screening = Screening(db)
    await screening.seed()
    waiter = asyncio.create_task(screening.screen(SECRET))
    await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    assert (await screening.screen(SECRET)).verdict == "block"
    assert not screening.warm().cancelled()
