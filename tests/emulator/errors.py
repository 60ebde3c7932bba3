"""Errors the emulator answers with, worded exactly as the real Bot API words them.

Keeping the texts in one place lets tests import the constants instead of retyping
Telegram's phrasing, and keeps the emulator from drifting into invented messages.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "EmulatorUsageError",
    "WaitTimeout",
    "bad_request",
    "forbidden",
    "too_many_requests",
]


class ApiError(Exception):
    """A Bot API failure: becomes ``{"ok": false, ...}`` with the given HTTP status."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class EmulatorUsageError(Exception):
    """A test asked for something impossible (tapping a missing button, a stranger posting...).

    Distinct from :class:`ApiError`: this is a bug in the test script, not in the bot.
    """


class WaitTimeout(AssertionError):
    """A ``wait_for*`` gave up; subclassing AssertionError makes pytest show it as a failure."""


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    return ApiError(403, f"Forbidden: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        {"retry_after": retry_after},
    )
