"""The typed services object handed to handlers through ``bot_data``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import UnionConfig
from bot.members import Members
from bot.review.reasons import ReasonTemplates
from bot.review.service import Pipeline
from bot.screening import Screening
from storage import Database
from storage.files import FileStore

if TYPE_CHECKING:
    from bot.account_changes.service import AccountChanges
    from bot.inbox.service import Inbox
    from bot.jubao.service import ContentReports
    from bot.meetings.service import MeetingService
    from bot.outbox.prompts import Prompts
    from bot.outbox.runner import Delivery
    from bot.partners.service import PartnerService
    from bot.publication.service import PublicationService
    from bot.reminders.scheduler import ReminderScheduler
    from bot.review.away import StandIns
    from bot.review.publishing import Publisher

__all__ = ["SERVICES_KEY", "Services"]

SERVICES_KEY = "services"


@dataclass
class Services:
    """Everything a handler may use; opened in post_init, closed in post_shutdown."""

    config: UnionConfig
    db: Database
    pipeline: Pipeline
    members: Members
    prompts: Prompts
    delivery: Delivery
    publisher: Publisher
    screening: Screening
    scheduler: ReminderScheduler
    meetings: MeetingService
    inbox: Inbox
    content_reports: ContentReports
    partners: PartnerService
    account_changes: AccountChanges
    standins: StandIns
    # The union's file store (approved bytes) and the 定稿/publication records (issue 11).
    files: FileStore
    publication: PublicationService
    reasons: ReasonTemplates
