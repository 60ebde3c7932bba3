"""ChatMember objects as the Bot API returns them (PTB requires every field listed here)."""

from __future__ import annotations

from typing import Any, Literal

from .models import UserInfo

__all__ = ["MemberStatus", "member_api"]

MemberStatus = Literal["creator", "administrator", "member", "left", "kicked"]

_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_post_messages", "can_edit_messages",
    "can_pin_messages",
)  # fmt: skip


def member_api(user: UserInfo, status: MemberStatus) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "user": user.to_api()}
    if status == "creator":
        body["is_anonymous"] = False
    elif status == "administrator":
        body.update({"can_be_edited": False, "is_anonymous": False})
        body.update(dict.fromkeys(_ADMIN_RIGHTS, True))
    elif status == "kicked":
        body["until_date"] = 0
    return body
