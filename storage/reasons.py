"""Reason templates for rejections, per criterion: kept as one record in ``meta``.

Admins edit them in chat; the config seeds them once, so an admin's deletion is never undone
by a restart.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aiosqlite

from storage import meta

__all__ = ["ReasonTemplate", "add", "listing", "remove", "seed"]

logger = logging.getLogger(__name__)

_KEY = "reason_templates"


@dataclass(frozen=True, slots=True)
class ReasonTemplate:
    """A reason a reviewer can tap for criterion ``criterion`` ("1", "2" or "3")."""

    id: int
    criterion: str
    text: str


async def _read(conn: aiosqlite.Connection) -> tuple[int, list[ReasonTemplate]] | None:
    raw = await meta.get(conn, _KEY)
    if raw is None:
        return None
    data = json.loads(raw)
    found = [ReasonTemplate(int(t["id"]), str(t["criterion"]), str(t["text"])) for t in data["all"]]
    return int(data["next"]), found


async def _write(conn: aiosqlite.Connection, next_id: int, found: Sequence[ReasonTemplate]) -> None:
    data = {
        "next": next_id,
        "all": [{"id": t.id, "criterion": t.criterion, "text": t.text} for t in found],
    }
    await meta.put(conn, _KEY, json.dumps(data, ensure_ascii=False))


async def seed(conn: aiosqlite.Connection, templates: Mapping[str, Sequence[str]]) -> bool:
    """Store the config's templates unless the database has its own already; True if seeded."""
    if await _read(conn) is not None:
        return False
    found: list[ReasonTemplate] = []
    for criterion in sorted(templates):
        for text in templates[criterion]:
            found.append(ReasonTemplate(len(found) + 1, criterion, text))
    await _write(conn, len(found) + 1, found)
    return True


async def listing(conn: aiosqlite.Connection) -> list[ReasonTemplate]:
    """Every template, by criterion then in the order added."""
    read = await _read(conn)
    found = read[1] if read else []
    return sorted(found, key=lambda t: (t.criterion, t.id))


async def add(conn: aiosqlite.Connection, criterion: str, text: str) -> ReasonTemplate:
    """A new template (an identical one is returned as it is)."""
    next_id, found = await _read(conn) or (1, [])
    for template in found:
        if template.criterion == criterion and template.text == text:
            return template
    template = ReasonTemplate(next_id, criterion, text)
    await _write(conn, next_id + 1, [*found, template])
    return template


async def remove(conn: aiosqlite.Connection, template_id: int) -> ReasonTemplate | None:
    """Delete a template; the one deleted, or None when there is no such template."""
    next_id, found = await _read(conn) or (1, [])
    gone = next((t for t in found if t.id == template_id), None)
    if gone is not None:
        await _write(conn, next_id, [t for t in found if t.id != template_id])
    return gone
