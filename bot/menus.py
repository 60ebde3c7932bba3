"""What each member may do: the command menu Telegram shows them and the /help that explains it.

One table decides both, so the menu, /start and /help never disagree: a command is listed for a
member when one of their roles may use it, once. Pure: no Telegram, no database.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from bot import texts
from storage.models import SUBMITTER_ROLES, Role

__all__ = ["GROUP_COMMANDS", "MENU", "MenuEntry", "help_text", "private_commands"]

logger = logging.getLogger(__name__)

_REVIEWERS = frozenset({Role.REVIEWER1, Role.REVIEWER2, Role.REVIEWER3})
_STAFF = frozenset(Role)
_ADMIN = frozenset({Role.ADMIN})


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A private command and who may use it (``None``: everyone)."""

    command: str
    roles: frozenset[Role] | None
    needs_inbox: bool = False

    def allowed(self, roles: Collection[Role], inbox: bool) -> bool:
        """Whether a member with ``roles`` sees this command."""
        if self.needs_inbox and not inbox:
            return False
        return self.roles is None or bool(self.roles & frozenset(roles))


# The private menu, in the order a member meets the commands.
MENU: tuple[MenuEntry, ...] = (
    MenuEntry("start", None),
    MenuEntry("help", None),
    MenuEntry("my", SUBMITTER_ROLES),
    MenuEntry("revise", SUBMITTER_ROLES),
    MenuEntry("withdraw", SUBMITTER_ROLES | _ADMIN),
    MenuEntry("pending", frozenset({Role.EDITOR, Role.ADMIN}) | _REVIEWERS),
    MenuEntry("status", _STAFF),
    MenuEntry("history", _STAFF),
    MenuEntry("final", frozenset({Role.EDITOR, Role.ADMIN}) | _REVIEWERS | SUBMITTER_ROLES),
    MenuEntry("posted", frozenset({Role.EDITOR, Role.ADMIN})),
    MenuEntry("reasons", _REVIEWERS | _ADMIN),
    MenuEntry("away", _REVIEWERS | _ADMIN),
    MenuEntry("meeting", _STAFF),
    MenuEntry("agenda", _STAFF),
    MenuEntry("inbox", _STAFF, needs_inbox=True),
    MenuEntry("account_change", _STAFF),
    MenuEntry("account_changes", _STAFF),
    MenuEntry("report", frozenset({Role.ADMIN, Role.REVIEWER3})),
    MenuEntry("urgent", _ADMIN),
    MenuEntry("handover", _ADMIN),
    MenuEntry("role", _ADMIN),
    MenuEntry("kw", _ADMIN),
    MenuEntry("jubao", _ADMIN),
    MenuEntry("partner", _ADMIN),
    MenuEntry("audit", _ADMIN),
    MenuEntry("outbox", _ADMIN),
)
# Groups have one menu for everyone: the commands that make sense in a group.
GROUP_COMMANDS = (
    "submit",
    "status",
    "pending",
    "history",
    "meeting",
    "agenda",
    "help",
    "jubao",
    "final",
    "posted",
    "chatid",
)


def private_commands(roles: Collection[Role], inbox: bool) -> list[str]:
    """The commands in this member's private menu."""
    return [entry.command for entry in MENU if entry.allowed(roles, inbox)]


def help_text(roles: Collection[Role], inbox: bool) -> str:
    """What this person may do: what their roles do, then each of their commands once."""
    held = frozenset(roles)
    if not held:
        return texts.HELP_STUDENT_INBOX if inbox else texts.HELP_STRANGER
    lines = [texts.HELP_HEADER]
    if held & SUBMITTER_ROLES:
        if Role.OFFICER not in held:
            lines.append(texts.HELP_VOLUNTEER)
        lines.append(texts.HELP_DO_SUBMIT)
    if Role.EDITOR in held:
        lines.append(texts.HELP_DO_EDIT)
    if held & _REVIEWERS:
        lines.append(texts.HELP_DO_REVIEW)
    if inbox:
        lines.append(texts.HELP_DO_INBOX)
    lines.append(texts.HELP_DO_JUBAO)
    lines.append(texts.HELP_COMMANDS)
    # An admin's line tells the parts of a command only admins may use.
    usages = texts.HELP_USAGE_ADMIN if Role.ADMIN in held else {}
    for command in private_commands(held, inbox):
        usage = usages.get(command, texts.COMMAND_DESCRIPTIONS[command])
        lines.append(texts.HELP_COMMAND_LINE.format(command=command, usage=usage))
    return "\n".join(lines)
