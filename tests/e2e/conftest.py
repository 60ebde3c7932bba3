"""Fixtures for end-to-end stories: the emulator, a union, the real bot process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.harness import BotProcess, Union, write_config
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.e2e


@pytest.fixture
async def bot(
    emu: BotApiEmulator, union: Union, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[BotProcess]:
    """The real bot process, started and polling; its log is printed when a test fails."""
    marker = request.node.get_closest_marker("union_config")
    options = dict(marker.kwargs) if marker else {}
    config = write_config(union, tmp_path / "config.toml", **options)
    process = BotProcess(emu, config, tmp_path / "data" / "bot.sqlite3", tmp_path / "bot.log")
    await process.start()
    yield process
    code = await _teardown(process)
    report = request.node.stash.get(_failed_key, False)
    if report:
        print("----- bot log -----\n" + process.output()[-8000:])
        print("----- transcript -----\n" + emu.transcript()[-8000:])
    assert code in (0, None, -9), f"the bot exited with {code}\n{process.output()[-3000:]}"


_failed_key = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.stash[_failed_key] = True


async def _teardown(process: BotProcess) -> int | None:
    # SIGKILL is enough after a story; the graceful stop has its own test.
    await process.kill()
    return None
