"""What the publication feature queues in the outbox, as typed payloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from storage.payloads import Payload

__all__ = ["ArticleCheck", "FinalCopy", "WeChatDraft"]


@dataclass(frozen=True, slots=True)
class FinalCopy(Payload):
    """The 定稿 of an approved version, to one chat (the submitter, the editor, the editors)."""

    KIND: ClassVar[str] = "final_copy"
    version: int
    chat_id: int


@dataclass(frozen=True, slots=True)
class WeChatDraft(Payload):
    """Put an approved version in the 公众号 draft box."""

    KIND: ClassVar[str] = "wechat_draft"
    version: int


@dataclass(frozen=True, slots=True)
class ArticleCheck(Payload):
    """Read a published 公众号 article and compare it with the approved text."""

    KIND: ClassVar[str] = "article_check"
    link_id: int
