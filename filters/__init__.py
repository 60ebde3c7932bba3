"""Screening drafts before review: sensitive terms, their disguises and personal data.

Build a :class:`Screener` from :class:`Term` objects (usually :func:`parse_lexicon` of a
lexicon file, or :func:`default_terms`), then call :meth:`Screener.screen` on each draft.
Screeners are immutable and thread-safe; call :func:`warm_up` once at start-up.
"""

from __future__ import annotations

import logging

from filters.lexicon import (
    MAX_TERM_LENGTH,
    default_terms,
    format_lexicon,
    format_whitelist,
    load_lexicon,
    load_whitelist,
    parse_lexicon,
    parse_whitelist,
)
from filters.model import (
    CATEGORIES,
    DEFAULT_CATEGORY,
    DEFAULT_SEVERITY,
    SEVERITIES,
    FoundBy,
    Hit,
    LexiconError,
    Severity,
    Term,
    Verdict,
    VerdictKind,
)
from filters.normalise import Normalised, normalise
from filters.screener import Screener, warm_up

__all__ = [
    "CATEGORIES",
    "DEFAULT_CATEGORY",
    "DEFAULT_SEVERITY",
    "MAX_TERM_LENGTH",
    "SEVERITIES",
    "FoundBy",
    "Hit",
    "LexiconError",
    "Normalised",
    "Screener",
    "Severity",
    "Term",
    "Verdict",
    "VerdictKind",
    "default_terms",
    "format_lexicon",
    "format_whitelist",
    "load_lexicon",
    "load_whitelist",
    "normalise",
    "parse_lexicon",
    "parse_whitelist",
    "warm_up",
]

logger = logging.getLogger(__name__)
