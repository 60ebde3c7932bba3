"""What changed between two versions of a draft, Chinese-aware: lines first, then characters.

Chinese has no spaces to split words on, so a line-only diff marks a whole paragraph changed for
one corrected character. Lines that differ are compared again character by character, which
finds the edit itself; the cost is bounded, so a long or repetitive text cannot keep the bot
busy. Pure functions: no Telegram, no I/O.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from bot import texts
from bot.formatting import e

__all__ = ["Change", "Compact", "changes", "compact", "full_text"]

logger = logging.getLogger(__name__)

# Characters of unchanged text shown on each side of a change, so a reader finds the place.
CONTEXT = 8


@dataclass(frozen=True, slots=True)
class Change:
    """One edit: ``removed`` became ``added``, between ``before`` and ``after`` (context)."""

    removed: str
    added: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Compact:
    """The changes as card HTML; ``cut`` when some were left out (the file has them all)."""

    html: str
    cut: bool


# Comparing characters costs up to cubic time on repetitive text (a 4,096-character block of
# repeated phrases took 98 s, on the thread every user waits on): a block is compared character by
# character only while it is small, and all of them together have a budget. ``len(old) *
# len(new)`` measures a block; 160,000 (400 by 400 characters) takes about 0.1 s at worst.
BLOCK_CELLS = 160_000
TOTAL_CELLS = 640_000
# Coarser pieces, tried in turn when a block is too big: lines, then sentences.
_SPLITS = (re.compile(r"[^\n]*\n?"), re.compile(r"[^。！？；!?;\n]*[。！？；!?;\n]?"))
_ENDS = frozenset("。！？；!?;\n")


@dataclass(slots=True)
class _Diff:
    """Compares ``old`` and ``new`` range by range, collecting changes in order."""

    old: str
    new: str
    budget: int = TOTAL_CELLS
    found: list[Change] = field(default_factory=list)

    def compare(self, i1: int, i2: int, j1: int, j2: int, level: int = 0) -> None:
        old, new = self.old, self.new
        # A typical revision edits one place in a long text: what is common at both ends is
        # set aside in linear time before anything costlier runs.
        # Only whole sentences are set aside, so an edit is shown where a reader would place
        # it ("- 第39句话。", not "- 句话。第39").
        start, end = i1, i2
        while i1 < i2 and j1 < j2 and old[i1] == new[j1]:
            i1, j1 = i1 + 1, j1 + 1
        while i1 > start and old[i1 - 1] not in _ENDS:
            i1, j1 = i1 - 1, j1 - 1
        while i1 < i2 and j1 < j2 and old[i2 - 1] == new[j2 - 1]:
            i2, j2 = i2 - 1, j2 - 1
        while i2 < end and old[i2 - 1] not in _ENDS:
            i2, j2 = i2 + 1, j2 + 1
        if i1 == i2 and j1 == j2:
            return
        cells = (i2 - i1) * (j2 - j1)
        if cells <= min(BLOCK_CELLS, self.budget):
            self.budget -= cells
            matcher = SequenceMatcher(None, old[i1:i2], new[j1:j2], autojunk=False)
            for tag, a1, a2, b1, b2 in matcher.get_opcodes():
                if tag != "equal":
                    self.add(i1 + a1, i1 + a2, j1 + b1, j1 + b2)
            return
        if level < len(_SPLITS) and self.budget > 0:
            old_pieces = _pieces(_SPLITS[level], old, i1, i2)
            new_pieces = _pieces(_SPLITS[level], new, j1, j2)
            if len(old_pieces) > 1 or len(new_pieces) > 1:
                # Popular pieces (a blank line, a repeated slogan) are junk to the matcher,
                # which keeps this pass fast; the blocks it leaves are compared more finely.
                matcher = SequenceMatcher(
                    None,
                    [old[a:b] for a, b in old_pieces],
                    [new[a:b] for a, b in new_pieces],
                )
                for tag, a1, a2, b1, b2 in matcher.get_opcodes():
                    if tag != "equal":
                        self.compare(
                            _start(old_pieces, a1, i2),
                            _start(old_pieces, a2, i2),
                            _start(new_pieces, b1, j2),
                            _start(new_pieces, b2, j2),
                            level + 1,
                        )
                return
            self.compare(i1, i2, j1, j2, level + 1)
            return
        # Too big to compare any finer: the block is shown as replaced as a whole.
        self.add(i1, i2, j1, j2)

    def add(self, i1: int, i2: int, j1: int, j2: int) -> None:
        old = self.old
        self.found.append(
            Change(
                removed=old[i1:i2],
                added=self.new[j1:j2],
                before=old[max(0, i1 - CONTEXT) : i1],
                after=old[i2 : i2 + CONTEXT],
            )
        )


def _pieces(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut after each line break (or sentence end), as index ranges."""
    return [m.span() for m in pattern.finditer(text, start, end) if m.end() > m.start()]


def _start(pieces: list[tuple[int, int]], index: int, end: int) -> int:
    return pieces[index][0] if index < len(pieces) else end


def changes(old: str, new: str) -> list[Change]:
    """The edits that turn ``old`` into ``new``, in order: lines first, then the characters
    of what differs, within a bounded cost."""
    if old == new:
        return []
    diff = _Diff(old, new)
    diff.compare(0, len(old), 0, len(new))
    return diff.found


def _oneline(text: str) -> str:
    return text.replace("\r", "").replace("\n", "⏎")


def _render(change: Change) -> str:
    parts = [e(_oneline(change.before))]
    if change.removed:
        parts.append(f"<s>{e(_oneline(change.removed))}</s>")
    if change.added:
        parts.append(f"<u>{e(_oneline(change.added))}</u>")
    parts.append(e(_oneline(change.after)))
    return "…" + "".join(parts) + "…"


def _size(change: Change) -> int:
    return len(change.before) + len(change.removed) + len(change.added) + len(change.after) + 2


def compact(found: list[Change], budget: int = 120) -> Compact:
    """The changes for a card: struck-through old text, underlined new text, a little context,
    within about ``budget`` characters; what does not fit is counted, not shown."""
    if not found:
        return Compact(texts.REVISION_UNCHANGED, cut=False)
    shown: list[str] = []
    used = 0
    for change in found:
        size = _size(change)
        if shown and used + size > budget:
            break
        if not shown and size > budget:
            # One long change: its start, so the card stays short; the file has all of it.
            half = budget // 2
            change = Change(
                change.removed[:half], change.added[:half], change.before, change.after[:0]
            )
            shown.append(_render(change))
            used = budget
            break
        shown.append(_render(change))
        used += size
    left = len(found) - len(shown)
    html = "；".join(shown)
    cut = left > 0 or used >= budget
    if left:
        html += texts.DIFF_MORE.format(count=left)
    return Compact(html, cut)


def full_text(found: list[Change]) -> str:
    """Every change as plain text for a file: the context, then ``-`` removed and ``+`` added."""
    blocks = []
    for n, change in enumerate(found, start=1):
        lines = [f"【{n}】…{change.before}[…]{change.after}…"]
        if change.removed:
            lines.append(f"- {change.removed}")
        if change.added:
            lines.append(f"+ {change.added}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
