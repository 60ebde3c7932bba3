"""Records the storage layer returns: plain frozen dataclasses, no behaviour beyond derivation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "ATTRIBUTIONS",
    "CATEGORIES",
    "MAX_FILES",
    "REVIEW_STATES",
    "SUBMITTER_ROLES",
    "TEAMS",
    "Attachment",
    "AuditEvent",
    "Card",
    "Decision",
    "Draft",
    "DraftState",
    "OutboxItem",
    "Prompt",
    "Publication",
    "Refusal",
    "Role",
    "User",
    "Version",
]


class Role(StrEnum):
    """What a member may do; one member may hold several roles."""

    ADMIN = "admin"
    OFFICER = "officer"
    EDITOR = "editor"
    REVIEWER1 = "reviewer1"
    REVIEWER2 = "reviewer2"
    REVIEWER3 = "reviewer3"
    # Article 12: recruited for a while; submits like an officer until the role expires.
    VOLUNTEER = "volunteer"

    @classmethod
    def for_tier(cls, tier: int) -> Role:
        """The reviewer role of review tier 1, 2 or 3."""
        return {1: cls.REVIEWER1, 2: cls.REVIEWER2, 3: cls.REVIEWER3}[tier]


class Refusal(StrEnum):
    """Why an action is refused; each has a message in the texts catalogue."""

    NOT_FOUND = "not_found"
    NOT_OFFICER = "not_officer"
    NOT_STAFF = "not_staff"
    NOT_REVIEWER = "not_reviewer"
    OWN_DRAFT = "own_draft"
    EDITED_IT = "edited_it"
    STALE_VERSION = "stale_version"
    ALREADY_DECIDED = "already_decided"
    NOT_YET = "not_yet"
    CLOSED = "closed"
    NOT_EDITOR = "not_editor"
    CLAIMED = "claimed"
    NOT_CLAIMANT = "not_claimant"
    NOT_SUBMITTER = "not_submitter"
    NOT_REJECTED = "not_rejected"
    NOT_PUBLISHER = "not_publisher"
    NOT_APPROVED = "not_approved"
    ROLE_ENDED = "role_ended"
    VOLUNTEER_ATTRIBUTION = "volunteer_attribution"
    NOT_ADMIN = "not_admin"
    OTHER_TIER = "other_tier"
    STANDIN_TWICE = "standin_twice"
    UNCLAIMED = "unclaimed"
    NO_CRITERIA = "no_criteria"
    ATTRIBUTION_CONFLICT = "attribution_conflict"
    # A draft carries at most MAX_FILES files, as many as one Telegram album.
    TOO_MANY_FILES = "too_many_files"


class DraftState(StrEnum):
    """Where a draft stands in the workflow."""

    INTAKE = "intake"
    EDITING = "editing"
    REVIEW_1 = "review_1"
    REVIEW_2 = "review_2"
    REVIEW_3 = "review_3"
    APPROVED = "approved"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    BLOCKED = "blocked"

    @classmethod
    def review(cls, tier: int) -> DraftState:
        """The state of waiting for tier ``tier``."""
        return cls(f"review_{tier}")

    @property
    def tier(self) -> int | None:
        """The review tier this state waits for, if any."""
        return int(self.value[-1]) if self.value.startswith("review_") else None


# Who may send drafts in.
SUBMITTER_ROLES = frozenset({Role.OFFICER, Role.VOLUNTEER})

REVIEW_STATES = (DraftState.REVIEW_1, DraftState.REVIEW_2, DraftState.REVIEW_3)

# Article 7 of the policy: the six kinds of post.
CATEGORIES = ("新闻与通知类", "文体类", "学术科技类", "职业实践类", "思想类", "权益类")
# Article 8: the teams of the new-media department.
TEAMS = ("新媒体运营组", "拍摄组", "设计组", "新闻稿组")
# Article 12: whose content a draft is.
ATTRIBUTIONS = ("school", "college", "repost")


@dataclass(frozen=True, slots=True)
class User:
    """Someone the bot has seen or the config named."""

    user_id: int
    name: str
    username: str | None
    team: str | None


@dataclass(frozen=True, slots=True)
class Draft:
    """A submission and where it stands; ``version`` is its current version number."""

    id: int
    submitter_id: int
    editor_id: int | None
    title: str
    category: str | None
    attribution: str | None
    college: str | None
    source: str | None
    original: bool | None
    state: DraftState
    version: int
    origin_chat_id: int
    created_at: str
    updated_at: str
    resume_state: DraftState | None = None
    urgent: bool = False
    by_volunteer: bool = False


# Telegram's limit of items in one album (media group); a draft carries no more files.
MAX_FILES = 10


@dataclass(frozen=True, slots=True)
class Attachment:
    """One file of a version: a photo or a document, as Telegram knows it and as stored."""

    kind: str
    file_id: str
    file_unique_id: str
    name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    # The bytes' SHA-256 in the union's file store, which the content hash covers.
    sha256: str | None = None
    # The album (media group) the file was sent in, if any.
    media_group_id: str | None = None


@dataclass(frozen=True, slots=True)
class Version:
    """One numbered version of a draft's content; reviewers approve its ``content_hash``."""

    draft_id: int
    number: int
    author_id: int
    body: str
    note: str
    content_hash: str
    created_at: str
    # Every file, in the order sent; the content hash covers them all.
    files: tuple[Attachment, ...] = ()

    @property
    def photos(self) -> tuple[Attachment, ...]:
        """The files sent as photos."""
        return tuple(f for f in self.files if f.kind == "photo")

    @property
    def documents(self) -> tuple[Attachment, ...]:
        """The files sent as documents."""
        return tuple(f for f in self.files if f.kind == "document")


@dataclass(frozen=True, slots=True)
class Decision:
    """One tier's approval or rejection of one version."""

    id: int
    draft_id: int
    version: int
    tier: int
    content_hash: str
    reviewer_id: int
    outcome: str
    criteria: tuple[str, ...]
    reason: str
    decided_at: str


@dataclass(frozen=True, slots=True)
class Publication:
    """Where and when a draft went out."""

    draft_id: int
    version: int
    content_hash: str
    chat_id: int | None
    message_id: int | None
    published_by: int | None
    started_at: str
    published_at: str | None


@dataclass(frozen=True, slots=True)
class Card:
    """A message the bot sent for a stage of a draft (a review card, an editing card...)."""

    id: int
    draft_id: int
    version: int
    stage: str
    chat_id: int
    message_id: int
    rendered: str


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question the bot asked; a reply to its message, or a button on it, answers it."""

    id: int
    kind: str
    user_id: int
    chat_id: int
    message_id: int | None
    draft_id: int | None
    version: int | None
    tier: int | None
    data: dict[str, object]
    created_at: str
    closed_at: str | None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A delivery decided in a transaction and not yet confirmed sent."""

    id: int
    kind: str
    draft_id: int | None
    payload: dict[str, object]
    attempts: int
    created_at: str = ""
    # When to try again (None: now); a waiting item waits for this chat, for this reason.
    next_at: str | None = None
    waiting_chat: int | None = None
    waiting_reason: str | None = None
    waiting_since: str | None = None
    # What a multi-part send already delivered, so a retry resumes where it failed.
    progress: dict[str, object] = field(default_factory=dict)
    # Set just before a public post goes out; still set after a crash means "did it appear?".
    sending_at: str | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One line of the audit trail."""

    id: int
    at: str
    actor_id: int | None
    action: str
    draft_id: int | None
    version: int | None
    detail: dict[str, object]
