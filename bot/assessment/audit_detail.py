"""An audit event's detail as people read it: Chinese field names and values, no JSON.

The audit trail stores details as JSON for the program; the CSV an admin opens in Excel shows
``理由：排版混乱；级别：第 2 级`` instead. A field this module does not know keeps its value,
under its own name, so nothing recorded is ever left out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from bot import formatting, texts
from storage.models import Refusal, Role

__all__ = ["action_name", "detail_text"]

logger = logging.getLogger(__name__)

People = Callable[[int], str]


def action_name(action: str) -> str:
    """The action in Chinese; an action without a name says so in Chinese, with its code."""
    return texts.ACTIONS.get(action) or texts.AUDIT_ACTION_UNNAMED.format(code=action)


def _role(value: object) -> str:
    try:
        return texts.ROLE_NAMES[Role(str(value))]
    except ValueError:
        return str(value)


def _refusal(value: object) -> str:
    try:
        return texts.REFUSAL_LABELS.get(Refusal(str(value)), str(value))
    except ValueError:
        return str(value)


def _value(key: str, value: object, people: People) -> str:
    if isinstance(value, bool):
        return texts.YES if value else texts.NO
    if key in ("user_id", "to", "on_behalf_of", "reviewer_id", "from", "with") and isinstance(
        value, int
    ):
        return people(value)
    if key == "tier" and isinstance(value, int):
        return texts.AUDIT_TIER.format(tier=value)
    if key == "criteria" and isinstance(value, list):
        return "、".join(texts.CRITERIA.get(str(c), str(c)) for c in value) or texts.NO_CRITERIA
    if key == "roles" and isinstance(value, list):
        return "、".join(_role(r) for r in value)
    if key == "role":
        return _role(value)
    if key == "refusal":
        return _refusal(value)
    if key == "attribution":
        return texts.ATTRIBUTION_NAMES.get(str(value), str(value))
    if key == "kind":
        return texts.DELIVERY_KINDS.get(str(value), str(value))
    if key == "error":
        return formatting.explain_error(str(value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return detail_text(value, people)
    return str(value)


def detail_text(detail: Mapping[str, object], people: People) -> str:
    """``名称：值；名称：值`` for every field of ``detail``, in its order."""
    parts = []
    for key, value in detail.items():
        if value is None or value == "":
            continue
        name = texts.AUDIT_FIELDS.get(key, key)
        parts.append(texts.AUDIT_FIELD.format(name=name, value=_value(key, value, people)))
    return "；".join(parts)
