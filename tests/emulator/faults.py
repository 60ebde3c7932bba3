"""Test-scheduled failures of Bot API calls (``emu.fail_next``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .params import Params

__all__ = ["Fault", "FaultKind", "FaultPlan"]

FaultKind = Literal["http500", "bad_gateway", "timeout", "disconnect", "retry_after"]


@dataclass(eq=False)
class Fault:
    """A pending failure. ``take_effect`` makes the call succeed server-side first, so the
    bot sees an error for something that did happen (the classic duplicate-send trap)."""

    method: str
    kind: FaultKind
    remaining: int
    chat_id: int | str | None = None
    retry_after: int = 1
    take_effect: bool = False
    hits: int = 0

    def matches(self, method: str, params: Params) -> bool:
        if self.remaining <= 0 or method.lower() != self.method.lower():
            return False
        return self.chat_id is None or params.string("chat_id") == str(self.chat_id)


class FaultPlan:
    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        self._faults.append(fault)
        return fault

    def take(self, method: str, params: Params) -> Fault | None:
        for fault in self._faults:
            if fault.matches(method, params):
                fault.remaining -= 1
                fault.hits += 1
                return fault
        return None

    def clear(self) -> None:
        self._faults.clear()
