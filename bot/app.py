"""Wiring: build the PTB Application, open services in post_init, close them in post_shutdown."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    TypeHandler,
)

import commands
from bot import texts
from bot.account_change_notices import AccountChangeNotices, AccountChangeReminders
from bot.account_changes import AccountChanges
from bot.config import UnionConfig
from bot.content_reports import ContentReports
from bot.delivery import Delivery
from bot.inbox import Inbox
from bot.meeting_service import MeetingService
from bot.members import Members
from bot.partners import PartnerService
from bot.pipeline import Actor, Pipeline
from bot.reminder_kinds import InboxReminders, MeetingReminders, StallReminders
from bot.reposts import Reposts
from bot.scheduler import ReminderScheduler
from bot.screening import Screening
from bot.services import SERVICES_KEY, Services
from bot.settings import Settings
from bot.update_order import FilesAside
from commands.jubao import ReportSender
from storage import Database

__all__ = ["build_application"]

logger = logging.getLogger(__name__)

PRIVATE_COMMANDS = (
    "start",
    "help",
    "my",
    "status",
    "pending",
    "history",
    "withdraw",
    "revise",
    "urgent",
    "role",
    "kw",
    "meeting",
    "agenda",
    "inbox",
    "audit",
    "report",
    "jubao",
    "partner",
    "account_change",
    "account_changes",
)
GROUP_COMMANDS = ("submit", "status", "pending", "history", "meeting", "agenda", "help", "jubao")


def build_application(settings: Settings, config: UnionConfig) -> Application:  # type: ignore[type-arg]
    """The bot, wired and ready for ``run_polling``."""

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        db = await Database.open(settings.db_path)
        screening = Screening(db)
        # jieba's dictionary loads here, not on the first draft.
        await screening.start()
        pipeline = Pipeline(db, config, screening)
        await pipeline.seed_members()
        delivery = Delivery(application.bot, pipeline)
        assert application.job_queue is not None
        meetings = MeetingService(db, pipeline.timing)
        inbox = Inbox(db, pipeline.timing)
        content_reports = ContentReports(db, config)
        delivery.senders.update(ReportSender(application.bot, content_reports).senders())
        scheduler = ReminderScheduler(application.job_queue, application.bot, pipeline)
        StallReminders(scheduler).register()
        MeetingReminders(scheduler, meetings).register()
        InboxReminders(scheduler, inbox).register()
        partners = PartnerService(db, pipeline.timing, config)
        Reposts(application.bot, partners, scheduler, delivery).register()
        account_changes = AccountChanges(db, config, pipeline.timing)
        AccountChangeNotices(application.bot, account_changes).register(delivery)
        AccountChangeReminders(scheduler, account_changes).register()
        delivery.on_flushed = scheduler.arm
        application.bot_data[SERVICES_KEY] = Services(
            config=config,
            db=db,
            pipeline=pipeline,
            members=Members(db, config.timezone),
            delivery=delivery,
            screening=screening,
            scheduler=scheduler,
            meetings=meetings,
            inbox=inbox,
            content_reports=content_reports,
            partners=partners,
            account_changes=account_changes,
        )
        await _set_commands(application)
        # Deliveries decided before a crash or a restart go out now, then on a timer.
        settled = await delivery.flush()
        if settled:
            logger.info("sent %d deliveries left from before the restart", settled)
        # Reminders that fell due while the bot was down go out now if they still matter.
        await scheduler.recover()
        await meetings.ensure()
        await partners.ensure_digest()
        reminded = await scheduler.run_due()
        if reminded:
            logger.info("settled %d reminders that fell due while the bot was down", reminded)
        application.job_queue.run_repeating(
            _retry_outbox, interval=timedelta(seconds=config.retry_seconds), name="outbox"
        )
        me = application.bot.username
        logger.info("bot @%s started for %s", me, config.union_name)

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        services = application.bot_data.get(SERVICES_KEY)
        if isinstance(services, Services):
            await services.db.close()
        logger.info("bot stopped")

    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_url)
        .base_file_url(settings.file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=config.timezone))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        # A file being read holds up only its sender's later updates, not everyone's.
        .concurrent_updates(FilesAside())
    )
    if config.rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    application = builder.build()
    application.add_handler(TypeHandler(Update, _remember_user), group=-1)
    commands.register(application)
    return application


async def _remember_user(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keep names and usernames current, so /role can find people by @username."""
    user = update.effective_user
    services = context.bot_data.get(SERVICES_KEY)
    if user is None or user.is_bot or not isinstance(services, Services):
        return
    await services.pipeline.see(Actor(user.id, user.full_name, user.username))


async def _retry_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Retry deliveries that failed (network trouble, rate limits)."""
    services = context.bot_data.get(SERVICES_KEY)
    if isinstance(services, Services):
        await services.delivery.flush()


async def _set_commands(application: Application) -> None:  # type: ignore[type-arg]
    def listing(names: tuple[str, ...]) -> list[BotCommand]:
        return [BotCommand(name, texts.COMMAND_DESCRIPTIONS[name]) for name in names]

    try:
        await application.bot.set_my_commands(
            listing(PRIVATE_COMMANDS), scope=BotCommandScopeAllPrivateChats()
        )
        await application.bot.set_my_commands(
            listing(GROUP_COMMANDS), scope=BotCommandScopeAllGroupChats()
        )
    except TelegramError as exc:
        # The menu is a convenience; the bot works without it.
        logger.warning("could not register the command menu: %s", exc)
