"""Typed payloads of queued rows (outbox deliveries, reminders): a frozen dataclass in and out.

A row's payload is JSON in the database; ``Payload.read`` checks every field's type on the way
back, so a sender works with typed fields and a malformed row fails loudly, once, by name.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, Self

__all__ = ["Payload", "PayloadError"]


class PayloadError(ValueError):
    """A stored payload does not have the fields its kind needs."""


# The annotations are strings (postponed evaluation): evaluating them costs a compile per
# field, so each class's are evaluated once.
_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls)
    return found


def _fits(value: object, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_fits(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return isinstance(value, list | tuple) and all(_fits(v, item) for v in value)
    raise TypeError(f"payload field type {hint!r} is not supported")


@dataclasses.dataclass(frozen=True, slots=True)
class Payload:
    """A queued row's payload; subclasses are frozen dataclasses of JSON-able fields."""

    # The row kind this payload belongs to, where one class serves one kind.
    KIND: ClassVar[str] = ""

    def as_json(self) -> dict[str, object]:
        """The fields as a JSON object."""
        return {
            f.name: list(value) if isinstance(value := getattr(self, f.name), tuple) else value
            for f in dataclasses.fields(self)
        }

    @classmethod
    def read(cls, raw: Mapping[str, object]) -> Self:
        """The payload stored as ``raw``; PayloadError when a field is missing or mistyped."""
        hints = _hints(cls)
        values: dict[str, object] = {}
        for field in dataclasses.fields(cls):
            if field.name not in raw:
                if (
                    field.default is dataclasses.MISSING
                    and field.default_factory is dataclasses.MISSING
                ):
                    raise PayloadError(f"{cls.__name__}: no {field.name}")
                continue
            value = raw[field.name]
            if not _fits(value, hints[field.name]):
                raise PayloadError(f"{cls.__name__}: {field.name}={value!r}")
            values[field.name] = tuple(value) if isinstance(value, list) else value
        return cls(**values)
