"""The records screening works with: terms, hits and verdicts, and the lexicon error."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final, Literal, get_args

__all__ = [
    "CATEGORIES",
    "DEFAULT_CATEGORY",
    "DEFAULT_SEVERITY",
    "SEVERITIES",
    "FoundBy",
    "Hit",
    "LexiconError",
    "Severity",
    "Term",
    "Verdict",
    "VerdictKind",
    "severity_rank",
]

logger = logging.getLogger(__name__)

Severity = Literal["block", "warn"]
VerdictKind = Literal["block", "warn", "pass"]
# exact: the original text spells the term; normalised: it matched after normalisation (a
# disguised or traditional spelling); pinyin: Latin letters spell its pinyin or initials;
# pattern: personal data recognised by its shape and checksum.
FoundBy = Literal["exact", "normalised", "pinyin", "pattern"]

SEVERITIES: Final[tuple[Severity, ...]] = get_args(Severity)
CATEGORIES: Final = ("涉密", "欺诈/广告", "谣言", "不良/低俗", "政治敏感", "个人信息")
# What a lexicon line holding only a term gets.
DEFAULT_SEVERITY: Final[Severity] = "warn"
DEFAULT_CATEGORY: Final = "不良/低俗"

_SEVERITY_RANK: Final = {"pass": 0, "warn": 1, "block": 2}


class LexiconError(ValueError):
    """A lexicon or term cannot be used; the message is Chinese and names the line if known.

    ``problems`` lists every (line, reason) found, so an import can report them all at once.
    """

    def __init__(
        self,
        reason: str,
        line: int | None = None,
        problems: tuple[tuple[int | None, str], ...] = (),
    ) -> None:
        self.reason = reason
        self.line = line
        self.problems = problems or ((line, reason),)
        message = f"第 {line} 行：{reason}" if line is not None else reason
        if len(self.problems) > 1:
            message += f"（共 {len(self.problems)} 处问题）"
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry.

    ``anywhere`` terms count wherever they occur, even inside a longer word; other terms must
    line up with word edges (see ``filters.confirm``).
    """

    text: str
    severity: Severity
    category: str
    anywhere: bool = False

    def __post_init__(self) -> None:
        # Checked here so that every Term round-trips through the lexicon file format.
        if self.severity not in SEVERITIES:
            raise LexiconError("严重程度只能是 block 或 warn")
        if self.category not in CATEGORIES:
            raise LexiconError(f"类别「{self.category}」无效，可选：{'、'.join(CATEGORIES)}")
        if not self.text or self.text != self.text.strip():
            raise LexiconError(f"词条「{self.text}」为空或首尾有空白")
        if any(ch in self.text for ch in "\t\n\r"):
            raise LexiconError(f"词条「{self.text}」不能包含制表符或换行")
        if self.text.startswith("#"):
            raise LexiconError(f"词条「{self.text}」不能以 # 开头（# 开头的行是注释）")


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding. ``start``/``end`` index the original text, dodging characters included."""

    term: str
    category: str
    severity: Severity
    start: int
    end: int
    found_by: FoundBy

    def context(self, text: str, width: int = 12) -> tuple[str, str, str]:
        """The original text before, of and after the hit, at most ``width`` characters aside."""
        before = text[max(0, self.start - width) : self.start]
        after = text[self.end : self.end + width]
        return before, text[self.start : self.end], after

    def quote(self, text: str, width: int = 12, marks: tuple[str, str] = ("【", "】")) -> str:
        """A one-line excerpt of ``text`` with the hit marked, for showing to a reviewer."""
        before, match, after = self.context(text, width)
        lead = "…" if self.start - len(before) > 0 else ""
        tail = "…" if self.end + len(after) < len(text) else ""
        excerpt = f"{lead}{before}{marks[0]}{match}{marks[1]}{after}{tail}"
        return " ".join(excerpt.split())

    def to_dict(self) -> dict[str, str | int]:
        """The JSON shape used by the command line."""
        return {
            "term": self.term,
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "found_by": self.found_by,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of screening one text: the worst severity among the hits, or ``pass``."""

    verdict: VerdictKind
    hits: tuple[Hit, ...] = ()

    @classmethod
    def of(cls, hits: tuple[Hit, ...]) -> Verdict:
        """The verdict that ``hits`` add up to."""
        worst: VerdictKind = "pass"
        for hit in hits:
            if _SEVERITY_RANK[hit.severity] > _SEVERITY_RANK[worst]:
                worst = hit.severity
        return cls(worst, hits)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape used by the command line."""
        return {"verdict": self.verdict, "hits": [hit.to_dict() for hit in self.hits]}


def severity_rank(severity: VerdictKind) -> int:
    """Order of severities: pass < warn < block."""
    return _SEVERITY_RANK[severity]
