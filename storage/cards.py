"""Messages the bot sent for a draft's stages, and the prompts awaiting a reply."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence

import aiosqlite

from storage.db import fetch_one
from storage.models import Card, Prompt

__all__ = [
    "add_card",
    "card_at",
    "cards_for",
    "close_draft_prompts",
    "close_prompt",
    "open_prompt",
    "prompt",
    "prompt_at",
    "set_prompt_message",
    "set_rendered",
    "update_prompt_data",
]

logger = logging.getLogger(__name__)


def _card(row: aiosqlite.Row) -> Card:
    return Card(
        id=row["id"],
        draft_id=row["draft_id"],
        version=row["version"],
        stage=row["stage"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        rendered=row["rendered"],
    )


def _prompt(row: aiosqlite.Row) -> Prompt:
    return Prompt(
        id=row["id"],
        kind=row["kind"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        draft_id=row["draft_id"],
        version=row["version"],
        tier=row["tier"],
        data=json.loads(row["data"]),
        created_at=row["created_at"],
        closed_at=row["closed_at"],
    )


async def add_card(
    conn: aiosqlite.Connection,
    draft_id: int,
    version: int,
    stage: str,
    chat_id: int,
    message_id: int,
    at: str,
    rendered: str = "",
) -> int:
    """Remember a card the bot sent, with a fingerprint of what it shows."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO cards"
        " (draft_id, version, stage, chat_id, message_id, rendered, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (draft_id, version, stage, chat_id, message_id, rendered, at),
    )
    return cursor.lastrowid or 0


async def set_rendered(conn: aiosqlite.Connection, card_id: int, rendered: str) -> None:
    """Record what a card shows after an edit."""
    await conn.execute("UPDATE cards SET rendered = ? WHERE id = ?", (rendered, card_id))


async def cards_for(
    conn: aiosqlite.Connection, draft_id: int, version: int | None = None, stage: str | None = None
) -> list[Card]:
    """A draft's cards, optionally of one version and stage."""
    query = "SELECT * FROM cards WHERE draft_id = ?"
    args: list[object] = [draft_id]
    if version is not None:
        query += " AND version = ?"
        args.append(version)
    if stage is not None:
        query += " AND stage = ?"
        args.append(stage)
    rows = await conn.execute_fetchall(query + " ORDER BY id", args)
    return [_card(row) for row in rows]


async def card_at(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> Card | None:
    """The card that is this message, if it is one."""
    row = await fetch_one(
        conn, "SELECT * FROM cards WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
    )
    return _card(row) if row else None


async def open_prompt(
    conn: aiosqlite.Connection,
    at: str,
    kind: str,
    user_id: int,
    chat_id: int,
    draft_id: int | None = None,
    version: int | None = None,
    tier: int | None = None,
    data: Mapping[str, object] | None = None,
) -> int:
    """Open a prompt; its message id is set once the message is sent."""
    cursor = await conn.execute(
        "INSERT INTO prompts (kind, user_id, chat_id, draft_id, version, tier, data, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            user_id,
            chat_id,
            draft_id,
            version,
            tier,
            json.dumps(data or {}, ensure_ascii=False),
            at,
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def set_prompt_message(conn: aiosqlite.Connection, prompt_id: int, message_id: int) -> None:
    """Attach the sent message to its prompt."""
    await conn.execute("UPDATE prompts SET message_id = ? WHERE id = ?", (message_id, prompt_id))


async def update_prompt_data(
    conn: aiosqlite.Connection, prompt_id: int, data: Mapping[str, object]
) -> bool:
    """Replace an open prompt's data."""
    cursor = await conn.execute(
        "UPDATE prompts SET data = ? WHERE id = ? AND closed_at IS NULL",
        (json.dumps(data, ensure_ascii=False), prompt_id),
    )
    return cursor.rowcount == 1


async def prompt(conn: aiosqlite.Connection, prompt_id: int) -> Prompt | None:
    """The prompt with this id."""
    row = await fetch_one(conn, "SELECT * FROM prompts WHERE id = ?", (prompt_id,))
    return _prompt(row) if row else None


async def prompt_at(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> Prompt | None:
    """The open prompt that is this message, if any."""
    row = await fetch_one(
        conn,
        "SELECT * FROM prompts WHERE chat_id = ? AND message_id = ? AND closed_at IS NULL",
        (chat_id, message_id),
    )
    return _prompt(row) if row else None


async def close_prompt(conn: aiosqlite.Connection, prompt_id: int, at: str) -> bool:
    """Close a prompt once answered; False if it was closed already."""
    cursor = await conn.execute(
        "UPDATE prompts SET closed_at = ? WHERE id = ? AND closed_at IS NULL", (at, prompt_id)
    )
    return cursor.rowcount == 1


async def close_draft_prompts(
    conn: aiosqlite.Connection, draft_id: int, kinds: Sequence[str], at: str
) -> int:
    """Close the open prompts of ``kinds`` about a draft; returns how many were open."""
    if not kinds:
        return 0
    marks = ", ".join("?" for _ in kinds)
    cursor = await conn.execute(
        f"UPDATE prompts SET closed_at = ? WHERE draft_id = ? AND kind IN ({marks})"
        " AND closed_at IS NULL",
        (at, draft_id, *kinds),
    )
    return cursor.rowcount
