"""Shared screeners for the filters tests: built once per session, they are immutable."""

from __future__ import annotations

import pytest

from filters import Screener, default_terms, warm_up
from tests.unit.filters.support import TRAP_TERMS


@pytest.fixture(scope="session", autouse=True)
def _warm() -> None:
    warm_up()


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener([*default_terms(), *TRAP_TERMS])
