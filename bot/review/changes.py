"""What changed between two versions of a draft, Chinese-aware: lines first, then characters.

Chinese has no spaces to split words on, so a line-only diff marks a whole paragraph changed for
one corrected character. Lines that differ are compared again character by character, which
finds the edit itself. Pure functions: no Telegram, no I/O.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
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


def _char_changes(old: str, new: str) -> list[Change]:
    found: list[Change] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        found.append(
            Change(
                removed=old[i1:i2],
                added=new[j1:j2],
                before=old[max(0, i1 - CONTEXT) : i1],
                after=old[i2 : i2 + CONTEXT],
            )
        )
    return found


def changes(old: str, new: str) -> list[Change]:
    """The edits that turn ``old`` into ``new``, in order."""
    if old == new:
        return []
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    found: list[Change] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # A changed block of lines is compared character by character: the edit, not the line.
        found.extend(_char_changes("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])))
    return found


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
