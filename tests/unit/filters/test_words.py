"""The compact word index holds exactly jieba's prefix dictionary, and never imports jieba."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jieba

from filters.words import key, words

REPO = Path(__file__).resolve().parents[3]


def test_every_entry_of_jiebas_prefix_dictionary_with_its_frequency() -> None:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    index = words()
    assert index.total == tokenizer.total
    assert len(index.freq) == len(tokenizer.FREQ)
    assert {w: index.freq.get(key(w)) for w in tokenizer.FREQ} == tokenizer.FREQ


def test_same_bytes_in_another_width_are_another_key() -> None:
    # Python's string hash reads the stored bytes: "BP" and "偂" share them.
    assert key("BP") != key("偂")
    assert words().freq[key("偂")] > 0
    assert words().freq[key("BP")] == 0  # only a prefix (of BPO and others)


def test_loading_the_index_imports_no_jieba() -> None:
    probe = (
        "import sys, json; from filters.words import words; words(); "
        "print(json.dumps('jieba' in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, cwd=REPO, check=True
    )
    assert json.loads(result.stdout.decode().splitlines()[-1]) is False
