"""``make bench``: every benchmark in turn; each prints its figures and one JSON line."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = (
    "tests.bench.bench_pipeline",
    "tests.bench.bench_footprint",
    "tests.bench.bench_screening",
    "tests.bench.bench_reminders",
    "tests.bench.bench_reports",
    "tests.bench.bench_documents",
)


def main() -> int:
    """Run each benchmark module's ``main``; a failing one fails the whole run."""
    status = 0
    for name in BENCHMARKS:
        print(f"===== {name} =====", flush=True)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"skipped: {exc}")
            continue
        result = module.main()
        status = status or int(result or 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
