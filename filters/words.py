"""jieba's dictionary as a compact index: word frequencies keyed by a number per word.

Word edges need only what jieba's ``Tokenizer.FREQ`` holds: each word's frequency, every
prefix of a word (frequency 0 if it is not a word itself) and the total. Holding it as jieba
does costs ~66 MB (half a million ``str`` keys, the HMM tables imported with jieba) and a
second of ``marshal`` load that holds the interpreter lock throughout. Here the same entries
are read from jieba's ``dict.txt`` (the package is found, not imported) into a dict keyed by
``key(word)``, an ``int``: about 40 MB, and the reading is ordinary Python, so a bot that
loads it in a thread keeps answering meanwhile.

``key`` is Python's string hash mixed with the length. The hash alone is not enough: it
hashes a string's stored bytes, so an ASCII pair and one Chinese character with the same two
bytes collide (``"BP"`` and ``"偂"``); strings with the same bytes differ in length. Two
different words whose keys still collide would need a 64-bit hash collision.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from filters.lazy import Lazy

__all__ = ["Words", "key", "words"]

logger = logging.getLogger(__name__)


def key(text: str) -> int:
    """The index key of ``text`` (hot loops inline it: ``hash(text) ^ len(text)``)."""
    return hash(text) ^ len(text)


@dataclass(frozen=True, slots=True)
class Words:
    """Frequencies by ``key``: a word's count, 0 for a prefix that is no word; and the total."""

    freq: dict[int, int]
    total: int


def _dictionary_file() -> Path:
    spec = importlib.util.find_spec("jieba")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise RuntimeError("jieba is not installed")
    return Path(spec.origin).parent / "dict.txt"


def _load() -> Words:
    # The entries of jieba's Tokenizer.gen_pfdict, line by line, in the same order.
    started = time.perf_counter()
    freq: dict[int, int] = {}
    total = 0
    path = _dictionary_file()
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, 1):
            line = raw.strip().decode("utf-8")
            try:
                word, count_text = line.split(" ")[:2]
                count = int(count_text)
            except ValueError:
                raise ValueError(f"invalid dictionary entry in {path} at line {number}") from None
            freq[hash(word) ^ len(word)] = count
            total += count
            for end in range(1, len(word)):
                prefix = hash(word[:end]) ^ end
                if prefix not in freq:
                    freq[prefix] = 0
    logger.info("word dictionary loaded in %.2f s", time.perf_counter() - started)
    return Words(freq, total)


_WORDS = Lazy(_load)


def words() -> Words:
    """The dictionary, loaded on the first call (from any thread, once)."""
    return _WORDS.get()
