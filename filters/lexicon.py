"""The lexicon file format: parsing, formatting and the shipped default lexicon.

One term per line, UTF-8::

    词条<Tab>block|warn<Tab>类别[<Tab>anywhere]

A line with only the term gets ``DEFAULT_SEVERITY`` and ``DEFAULT_CATEGORY``. The optional
fourth column ``anywhere`` makes the term count even inside a longer word. Blank lines and
lines starting with ``#`` are ignored. The same format is used for import, export and the
command line's ``--lexicon``; whitelists use one entry per line with the same comments.

A file is parsed completely before anything is returned, so a bad line never leaves a
lexicon half imported; every problem found is listed in the error's ``problems``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from operator import attrgetter
from pathlib import Path
from typing import Final

from filters.model import (
    CATEGORIES,
    DEFAULT_CATEGORY,
    DEFAULT_SEVERITY,
    SEVERITIES,
    LexiconError,
    Severity,
    Term,
)
from filters.normalise import normalise_term, normalise_terms

__all__ = [
    "MAX_TERM_LENGTH",
    "default_terms",
    "format_lexicon",
    "format_whitelist",
    "key_problem",
    "load_lexicon",
    "load_whitelist",
    "normalised_keys",
    "parse_lexicon",
    "parse_whitelist",
]

logger = logging.getLogger(__name__)

# Longer "terms" are nearly always a pasted sentence, and they would widen every match window.
MAX_TERM_LENGTH: Final = 50
_ANYWHERE: Final = "anywhere"
_LOOSE_SEPARATORS: Final = re.compile(r"[\s,，]+")
_HEADER: Final = (
    "# 词库：每行一个词条，格式为 词条<Tab>block|warn<Tab>类别[<Tab>anywhere]\n"
    f"# 类别：{'、'.join(CATEGORIES)}\n"
)


def key_problem(key: str) -> str | None:
    """Why a normalised term or whitelist entry cannot be used, or None if it can."""
    if not key:
        return "词条规范化后为空（只含空格、标点、符号或表情）"
    if len(key) < 2:
        return "单个字符太容易误报，词条至少要两个字符"
    if len(key) > MAX_TERM_LENGTH:
        return f"词条过长（规范化后最多 {MAX_TERM_LENGTH} 个字符）"
    return None


def normalised_keys(terms: Sequence[Term]) -> list[str]:
    """The normalised form of each term; raises LexiconError for unusable or duplicate terms."""
    # Written for 100,000-term lexicons: the common case is a few C-level passes, and the
    # per-term diagnosis below only runs when something is wrong.
    keys = normalise_terms(list(map(attrgetter("text"), terms)))
    if not keys or (
        len(set(keys)) == len(keys)
        and min(map(len, keys)) >= 2
        and max(map(len, keys)) <= MAX_TERM_LENGTH
    ):
        return keys
    seen: dict[str, str] = {}
    problems: list[tuple[int | None, str]] = []
    for term, key in zip(terms, keys, strict=True):
        problem = key_problem(key)
        if problem is None and key in seen:
            problem = _duplicate(term.text, seen[key], None)
        if problem is not None:
            problems.append((None, f"「{term.text}」：{problem}"))
        seen.setdefault(key, term.text)
    raise LexiconError(problems[0][1], None, tuple(problems))


def _duplicate(text: str, first: str, first_line: int | None) -> str:
    where = f"第 {first_line} 行的" if first_line is not None else ""
    if text == first:
        return f"与{where}词条重复"
    return f"与{where}「{first}」重复（规范化后相同）"


def parse_lexicon(text: str) -> list[Term]:
    """Parse a lexicon file's text; raises LexiconError naming the first bad line."""
    terms: list[Term] = []
    seen: dict[str, tuple[str, int]] = {}
    problems: list[tuple[int | None, str]] = []
    for number, line in _lines(text):
        try:
            term = _parse_line(line)
            key = normalise_term(term.text)
            problem = key_problem(key)
            if problem is None and key in seen:
                problem = _duplicate(term.text, *seen[key])
            if problem is not None:
                raise LexiconError(problem)
        except LexiconError as error:
            problems.append((number, error.reason))
            continue
        seen[key] = (term.text, number)
        terms.append(term)
    if problems:
        first_line, reason = problems[0]
        raise LexiconError(reason, first_line, tuple(problems))
    return terms


def _lines(text: str) -> Iterable[tuple[int, str]]:
    # Split on "\n" only: str.splitlines would also break on characters such as U+2028 that
    # a term may legitimately (if oddly) contain, and line numbers would drift from editors'.
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        line = raw.removesuffix("\r")
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, line


def _parse_line(line: str) -> Term:
    fields = [field.strip() for field in line.split("\t")]
    if len(fields) == 1:
        _reject_space_separated(fields[0])
        return Term(fields[0], DEFAULT_SEVERITY, DEFAULT_CATEGORY)
    if len(fields) == 2:
        raise LexiconError("缺少类别：格式为 词条<Tab>block|warn<Tab>类别")
    if len(fields) > 4:
        raise LexiconError("字段过多：格式为 词条<Tab>block|warn<Tab>类别[<Tab>anywhere]")
    text, severity, category = fields[0], fields[1].lower(), fields[2]
    if not text:
        raise LexiconError("词条为空")
    if severity not in SEVERITIES:
        raise LexiconError("严重程度只能是 block 或 warn")
    if category not in CATEGORIES:
        raise LexiconError(f"类别「{category}」无效，可选：{'、'.join(CATEGORIES)}")
    anywhere = False
    if len(fields) == 4 and fields[3]:
        if fields[3].lower() != _ANYWHERE:
            raise LexiconError("第四列只能是 anywhere（任意位置匹配）或留空")
        anywhere = True
    return Term(text, _severity(severity), category, anywhere)


def _severity(value: str) -> Severity:
    return "block" if value == "block" else "warn"


def _reject_space_separated(field: str) -> None:
    # "赌博 block 欺诈/广告" typed with spaces (or commas, from a spreadsheet) would otherwise
    # become one long term that never matches anything.
    words = _LOOSE_SEPARATORS.split(field)
    if len(words) >= 2 and (words[1].lower() in SEVERITIES or words[-1] in CATEGORIES):
        raise LexiconError("字段之间请用制表符（Tab）分隔，不要用空格或逗号")


def format_lexicon(terms: Iterable[Term]) -> str:
    """The lexicon file text for ``terms``; ``parse_lexicon`` reads it back unchanged."""
    lines = [_HEADER]
    for term in terms:
        flag = f"\t{_ANYWHERE}" if term.anywhere else ""
        lines.append(f"{term.text}\t{term.severity}\t{term.category}{flag}\n")
    return "".join(lines)


def parse_whitelist(text: str) -> list[str]:
    """Parse a whitelist file: one entry per line, ``#`` comments; duplicates are merged."""
    entries: list[str] = []
    seen: set[str] = set()
    problems: list[tuple[int | None, str]] = []
    for number, line in _lines(text):
        entry = line.strip()
        problem = key_problem(normalise_term(entry))
        if problem is not None:
            problems.append((number, problem))
        elif entry not in seen:
            seen.add(entry)
            entries.append(entry)
    if problems:
        line_number, reason = problems[0]
        raise LexiconError(reason, line_number, tuple(problems))
    return entries


def format_whitelist(entries: Iterable[str]) -> str:
    """The whitelist file text for ``entries``."""
    return "# 白名单：每行一个词，命中被它覆盖时不报告\n" + "".join(f"{e}\n" for e in entries)


def load_lexicon(path: str | Path) -> list[Term]:
    """Read and parse a lexicon file; unreadable files raise LexiconError too."""
    return parse_lexicon(_read(Path(path)))


def load_whitelist(path: str | Path) -> list[str]:
    """Read and parse a whitelist file."""
    return parse_whitelist(_read(Path(path)))


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LexiconError(f"找不到文件：{path}") from None
    except OSError as error:
        raise LexiconError(f"无法读取文件：{path}（{error.strerror}）") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LexiconError("文件不是有效的 UTF-8 编码", line) from None


def default_terms() -> list[Term]:
    """The small lexicon shipped with the package (``filters/data/default_lexicon.txt``)."""
    resource = resources.files("filters").joinpath("data", "default_lexicon.txt")
    return parse_lexicon(resource.read_text(encoding="utf-8"))
