"""Attribution and originality that agree (articles 12 and 14).

校学生会原创 is original by its name; 转载 never is; 院级承办 is the union's publication with the
college as organiser (article 12), original or not as the submitter says. Pure rules, no I/O.
"""

from __future__ import annotations

import logging

from bot import texts

__all__ = ["DETAIL_KINDS", "channel_original", "conflict", "implied_original", "stale_details"]

logger = logging.getLogger(__name__)

# The prompt kind that asks for each attribution's detail.
DETAIL_KINDS: dict[str, str] = {"college": "college", "repost": "source"}


def implied_original(attribution: str | None) -> bool | None:
    """The originality an attribution decides by itself, or None when the submitter chooses."""
    return {"school": True, "repost": False}.get(attribution or "")


def conflict(attribution: str | None, original: bool | None) -> str | None:
    """Why this pair contradicts itself (Chinese, for the submitter), or None when it agrees."""
    if original is None:
        return None
    if attribution == "repost" and original:
        return texts.ATTR_REPOST_NOT_ORIGINAL
    if attribution == "school" and not original:
        return texts.ATTR_SCHOOL_IS_ORIGINAL
    return None


def stale_details(attribution: str | None) -> list[str]:
    """The detail prompts (college, source) that no longer fit the chosen attribution."""
    return [kind for attr, kind in DETAIL_KINDS.items() if attr != attribution]


def channel_original(attribution: str | None, original: bool | None) -> bool:
    """Whether the public post may say 原创: never for a repost, whatever was stored."""
    return bool(original) and attribution != "repost"
