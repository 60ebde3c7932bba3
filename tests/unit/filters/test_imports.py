"""Importing ``filters`` stays light: the heavy parts load on first use or ``warm_up()``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

_HEAVY = ("jieba", "opencc", "pypinyin", "ahocorasick_rs")

_PROBE = f"""
import json, sys
import filters
loaded = [name for name in {_HEAVY!r} if name in sys.modules]
filters.Screener([filters.Term("绝密", "block", "涉密")]).screen("本文件绝密 dubo")
print(json.dumps({{"at_import": loaded, "pypinyin_after_use": "pypinyin" in sys.modules}}))
"""


def test_import_loads_no_dictionary_and_no_pinyin_package() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, cwd=REPO, check=True
    )
    report = json.loads(result.stdout.decode().splitlines()[-1])
    # ahocorasick_rs is small and needed by every screener, so it may come with the import.
    assert [name for name in report["at_import"] if name != "ahocorasick_rs"] == []
    # The pinyin table is read without pypinyin's package, whose phrase dictionary is large.
    assert report["pypinyin_after_use"] is False
