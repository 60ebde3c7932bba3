"""A readable, ordered record of the conversation, for ``make demo`` and failing tests.

Events snapshot the content at the time they happen, since messages are later edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .models import Chat, Content

__all__ = ["EventKind", "TranscriptEvent", "render_transcript"]

EventKind = Literal["message", "edit", "delete", "tap", "answer", "note", "error"]
_INDENT = "    "


@dataclass(frozen=True)
class TranscriptEvent:
    seq: int
    kind: EventKind
    chat: Chat | None
    actor: str
    message_id: int | None = None
    content: Content | None = None
    previous: Content | None = None
    detail: str = ""
    reply_to: int | None = None
    ref: str | None = None  # links a callback answer to its tap (the query id)


def _size(num_bytes: int) -> str:
    if num_bytes < 1024:
        return f"{num_bytes} B"
    if num_bytes < 1024 * 1024:
        return f"{num_bytes / 1024:.1f} KB"
    return f"{num_bytes / 1024 / 1024:.1f} MB"


def _body(content: Content) -> list[str]:
    lines: list[str] = []
    media = content.media
    if media is not None and media.kind == "document":
        lines.append(f"📎 {media.file_name or '文件'} ({_size(media.size)})")
    elif media is not None:
        lines.append(f"🖼 图片 {media.width}×{media.height} ({_size(media.size)})")
    if content.text:
        lines.extend(content.text.split("\n"))
    return lines or ["(空)"]


def _buttons(content: Content) -> list[str]:
    rows = content.inline_keyboard
    return [_INDENT + " ".join(f"[{b.text}]" for b in row) for row in rows if row]


def _head(event: TranscriptEvent) -> str:
    where = f"[{event.chat.label}] " if event.chat is not None else ""
    return where + event.actor


def _render_event(event: TranscriptEvent) -> list[str]:
    head = _head(event)
    number = f"#{event.message_id}"
    if event.kind in ("message", "edit") and event.content is not None:
        if event.kind == "message":
            reply = f" (回复 #{event.reply_to})" if event.reply_to else ""
            verb = f" {number}{reply}{event.detail}:"
        elif event.previous is not None and event.previous.text == event.content.text:
            markup = _buttons(event.content)
            verb = f" 更新了 {number} 的按钮:" if markup else f" 移除了 {number} 的按钮"
            return [head + verb, *markup]
        else:
            verb = f" 编辑了 {number}:"
        first, *rest = _body(event.content)
        return [
            f"{head}{verb} {first}",
            *(_INDENT + line for line in rest),
            *_buttons(event.content),
        ]
    if event.kind == "delete":
        return [f"{head} 删除了 {number}"]
    if event.kind == "tap":
        return [f"{head} 点击了 {number} 的按钮 {event.detail}"]
    if event.kind == "answer":
        return [f"{head} 回应了 {event.detail}"]
    if event.kind == "error":
        return [f"{_INDENT}⚠ {event.detail}"]
    return [f"{head} {event.detail}"]


def render_transcript(events: list[TranscriptEvent], chat: Chat | None = None) -> str:
    lines: list[str] = []
    previous: TranscriptEvent | None = None
    for event in events:
        if chat is not None and event.chat is not chat:
            continue
        if event.kind == "answer" and previous is not None and previous.ref == event.ref:
            # Right after its tap the answer needs no introduction.
            lines.append(f"{_INDENT}↳ {event.detail.partition(': ')[2] or event.detail}")
        else:
            lines.extend(_render_event(event))
        previous = event
    return "\n".join(lines)
