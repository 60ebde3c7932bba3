"""The log of every Bot API call the bot made, for assertions and post-mortems."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ApiCall", "FileSummary"]


@dataclass(frozen=True)
class FileSummary:
    field: str
    filename: str
    size: int
    content_type: str


@dataclass(eq=False)
class ApiCall:
    seq: int
    method: str
    params: dict[str, Any]  # as received: form values are strings; a JSON body keeps its types
    files: list[FileSummary] = field(default_factory=list)
    http_status: int | None = None  # None while the call is still running
    result: Any = None
    error_code: int | None = None
    description: str | None = None
    injected: str | None = None  # the fault kind, when a test made this call fail
    received: bool = False  # parameters read; the method may still be running (long polls)

    @property
    def done(self) -> bool:
        return self.http_status is not None

    @property
    def ok(self) -> bool:
        return self.http_status == 200 and self.error_code is None

    def param(self, name: str) -> Any:
        """A parameter with JSON-encoded values decoded (reply_markup, scope, entities...)."""
        value = self.params.get(name)
        if isinstance(value, str) and value[:1] in ("{", "["):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def __str__(self) -> str:
        shown = ", ".join(f"{k}={_short(v)}" for k, v in self.params.items())
        shown += "".join(f", {f.field}=<{f.filename} {f.size}B>" for f in self.files)
        if not self.done:
            outcome = "(no response yet)"
        elif self.ok:
            outcome = "ok"
        else:
            outcome = f"{self.error_code or self.http_status} {self.description or ''}".strip()
        marker = f" [injected {self.injected}]" if self.injected else ""
        return f"{self.method}({shown}) -> {outcome}{marker}"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return repr(text if len(text) <= 60 else text[:57] + "...")
