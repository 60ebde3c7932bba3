"""The benchmarks still run. ``make bench`` is not part of ``make test``, so a short run of each
benchmark that drives the real bot keeps it from breaking unseen (one did: its counting bot
named a class that had been removed). Only a broken run fails; the figures are not judged here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("command", "fields"),
    [
        (
            ["tests.bench.bench_pipeline", "--quick"],
            {"cpu_ms_per_update", "echo_cpu_ms_per_update", "ratio_cpu", "db_trips_per_update"},
        ),
        (
            ["tests.bench.bench_footprint", "--starts", "1", "--drafts", "100"],
            {"startup_s", "echo_startup_s", "rss_mb", "echo_rss_mb", "rss_10k_drafts_mb"},
        ),
    ],
    ids=["pipeline", "footprint"],
)
def test_a_benchmark_runs_and_prints_its_figures(command: list[str], fields: set[str]) -> None:
    # A generous bound only so a hung run ends; no figure is compared with a clock.
    done = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert fields <= set(figures), figures
    assert figures.get("ok", True) is True
