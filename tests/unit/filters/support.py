"""Test data and helpers shared by the filters tests."""

from __future__ import annotations

from filters import Term

__all__ = ["TRAP_TERMS", "id_number", "luhn_number"]

# Boundary traps need their terms in the lexicon; these are test data, not a shipped list.
TRAP_TERMS = [
    Term("日本", "block", "政治敏感"),
    Term("台独", "block", "政治敏感"),
    Term("城管", "warn", "政治敏感"),
    Term("qq", "block", "欺诈/广告"),
]


def id_number(first17: str) -> str:
    """A mainland ID-card number with a correct check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def luhn_number(prefix: str) -> str:
    """``prefix`` plus the Luhn check digit."""
    for check in "0123456789":
        digits = prefix + check
        total = 0
        for position, digit in enumerate(reversed(digits)):
            value = int(digit) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")
