"""The config's model: members, chats and workflow options, each value checked and typed."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.models import Role

__all__ = [
    "ASSESSMENT_METRICS",
    "EXAMPLE_HINT",
    "ROLE_ALIASES",
    "AssessmentConfig",
    "BackupConfig",
    "ChatsConfig",
    "ConfigError",
    "MemberConfig",
    "PartnersConfig",
    "UnionConfig",
    "WeChatConfig",
    "did_you_mean",
    "parse_role",
]

logger = logging.getLogger(__name__)

EXAMPLE_HINT = "可参考 deploy/config.example.toml。"

# Chinese names accepted wherever a role is written, in config and in /role.
ROLE_ALIASES: Mapping[str, Role] = {
    "管理员": Role.ADMIN,
    "信息员": Role.OFFICER,
    "编辑": Role.EDITOR,
    "部门负责人": Role.REVIEWER1,
    "主席团成员": Role.REVIEWER2,
    "指导老师": Role.REVIEWER3,
    "志愿者": Role.VOLUNTEER,
}


class ConfigError(ValueError):
    """The config is unusable; the message names the field and the fix, in Chinese."""

    def __init__(self, field: str, problem: str, fix: str) -> None:
        self.field = field
        super().__init__(f"配置错误：{field} {problem}。{fix}")


def did_you_mean(key: str, known: Iterable[str], table: bool = False) -> str:
    """A hint naming the known key closest to a misspelt one, or nothing."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    if not close:
        return ""
    return f"是不是想写 [{close[0]}]？" if table else f"是不是想写 {close[0]}？"


def parse_role(text: str) -> Role | None:
    """A role from its key (reviewer1) or Chinese name (部门负责人)."""
    text = text.strip()
    if text in ROLE_ALIASES:
        return ROLE_ALIASES[text]
    try:
        return Role(text.lower())
    except ValueError:
        return None


@dataclass(frozen=True)
class MemberConfig:
    """A member named in the config, seeded into the database on first start."""

    user_id: int
    name: str
    username: str | None
    team: str | None
    roles: tuple[Role, ...]
    # A volunteer's last day (article 12: recruited for a while).
    volunteer_until: date | None = None


@dataclass(frozen=True)
class ChatsConfig:
    """Where things go; a tier without a chat gets its cards in each reviewer's private chat."""

    channel: int
    editors: int | None
    tier1: int | None
    tier2: int | None
    tier3: int | None
    admins: int | None
    inbox: int | None = None

    def tier(self, tier: int) -> int | None:
        """The group chat of review tier ``tier``, if one is set."""
        return {1: self.tier1, 2: self.tier2, 3: self.tier3}[tier]


@dataclass(frozen=True)
class RemindersConfig:
    """When nudges fall due, and when the bot keeps quiet."""

    quiet_start: time | None
    quiet_end: time | None
    working_hours: bool
    workday_start: time
    workday_end: time
    review_deadline_hours: float
    original_deadline_hours: float
    nudge_interval_hours: float
    max_nudges: int
    calendar_overrides: Mapping[date, bool]
    ack_window_hours: float = 2
    promise_hours: float = 9
    open_questions_per_student: int = 3
    # Article 10: urgent drafts wait hours on the plain clock, not working hours.
    urgent_deadline_hours: float = 2
    urgent_nudge_interval_hours: float = 1


@dataclass(frozen=True)
class PartnersConfig:
    """When the weekly digest of reposts still outstanding goes out (article 17)."""

    # Monday is 0, as in date.weekday(); None switches the digest off.
    digest_weekday: int | None = 0
    digest_time: time = time(9, 0)


@dataclass(frozen=True)
class UnionConfig:
    """Everything the config file says."""

    union_name: str
    timezone: ZoneInfo
    editing: bool
    auto_publish: bool
    rate_limit: bool
    retry_seconds: float
    chats: ChatsConfig
    members: tuple[MemberConfig, ...]
    reminders: RemindersConfig
    # The union's new-media accounts, offered as buttons by /account_change (article 16).
    accounts: tuple[str, ...] = ()
    # Points per counted item in the assessment reports (articles 19-21).
    assessment: AssessmentConfig = field(default_factory=lambda: AssessmentConfig())
    # Partner colleges' reposts: the weekly digest (article 17).
    partners: PartnersConfig = field(default_factory=PartnersConfig)
    backup: BackupConfig = field(default_factory=lambda: BackupConfig())
    # Rejection reasons per criterion ("1", "2", "3") that seed the database's templates once.
    reason_templates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The 公众号: the draft box (with an app id) and where article pages are read (issue 11).
    wechat: WeChatConfig = field(default_factory=lambda: WeChatConfig())


@dataclass(frozen=True)
class WeChatConfig:
    """The official account (公众号); its AppSecret comes only from the environment."""

    # None: no draft box, no WeChat limits at intake; /posted and its check still work.
    app_id: str | None = None
    api_url: str = "https://api.weixin.qq.com"
    # Where 公众号 article pages are fetched (a local server in tests).
    article_url: str = "https://mp.weixin.qq.com"


@dataclass(frozen=True)
class BackupConfig:
    """Where and when the database is backed up, and how many copies are kept."""

    # None: a ``backups`` folder beside the database.
    dir: Path | None = None
    keep: int = 14
    # Local time of the daily backup; None switches the scheduled backup off.
    daily_at: time | None = time(3, 30)


# Assessment reports (articles 19-21) --------------------------------------------------------

# What a member's score counts, with the points each item earns unless the config says
# otherwise. Rates and medians are reported but never scored: only counts are weighted.
ASSESSMENT_METRICS: Mapping[str, float] = {
    "submitted": 1.0,  # drafts submitted (confirmed on the intake card)
    "original": 1.0,  # extra, per original draft submitted (article 14)
    "urgent": 0.5,  # extra, per urgent draft submitted (article 10)
    "approved": 2.0,  # drafts approved by all three tiers
    "first_time": 1.0,  # extra, per approval with no rejection before it
    "rejected": 0.0,  # rejections the member's drafts received
    "edited": 1.0,  # layouts an editor sent to review
    "reviews": 0.5,  # review decisions made, at any tier
    "answered_on_time": 1.0,  # students' questions first answered by the promised time
    "answered_late": 0.5,  # ... and after it
    "reposts": 0.5,  # reposts of the member's drafts by partner accounts (article 17)
}


@dataclass(frozen=True)
class AssessmentConfig:
    """Points per counted item; ``[assessment.YEAR]`` overrides ``[assessment]`` for that year."""

    default: Mapping[str, float] = field(default_factory=lambda: dict(ASSESSMENT_METRICS))
    years: Mapping[int, Mapping[str, float]] = field(default_factory=dict)

    def weights(self, year: int) -> Mapping[str, float]:
        """The points per item for events in ``year``."""
        return {**self.default, **self.years.get(year, {})}
