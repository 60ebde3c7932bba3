"""How the process ends: exit codes that tell systemd which failures a restart cannot fix."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitCode", "StartupError"]


class ExitCode(IntEnum):
    """How the process ends; 2-4 are permanent (restarting will not help), 5 is not."""

    OK = 0
    # An unexpected error (a traceback), or ``check`` found something to fix.
    FAILED = 1
    CONFIG = 2
    TOKEN = 3
    DATABASE = 4
    NETWORK = 5


class StartupError(Exception):
    """The bot cannot start; ``str()`` is one Chinese line naming the fix."""

    def __init__(self, message: str, code: ExitCode) -> None:
        super().__init__(message)
        self.code = code
