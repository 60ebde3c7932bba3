"""Wiring: build the PTB Application, open services in post_init, close them in post_shutdown."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import (
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
from bot.account_changes.notices import AccountChangeNotices, AccountChangeReminders
from bot.account_changes.service import AccountChanges
from bot.clock.timing import Timing
from bot.config import UnionConfig
from bot.inbox.reminders import InboxReminders
from bot.inbox.service import Inbox
from bot.jubao.sending import ReportSender
from bot.jubao.service import ContentReports
from bot.meetings.reminders import MeetingReminders
from bot.meetings.service import MeetingService
from bot.members import Actor, Members
from bot.ops.journal import JournalingApplication, JournalingBot, JournalingQueue, UpdateJournal
from bot.ops.reach import check_reach
from bot.ops.sync import alert_text, drift
from bot.outbox.cards import Cards
from bot.outbox.prompts import Prompts
from bot.outbox.runner import Delivery
from bot.outbox.tell import TellSender
from bot.partners.links import RepostLinks
from bot.partners.reposts import Reposts
from bot.partners.service import PartnerService
from bot.publication.wiring import PublicationFeature
from bot.reminders.scheduler import ReminderScheduler
from bot.review.away import StandIns
from bot.review.away_notices import StandInNotices
from bot.review.loading import DraftLoader
from bot.review.notices import Notices
from bot.review.nudges import StallReminders
from bot.review.publishing import Publisher
from bot.review.reasons import ReasonTemplates
from bot.review.sending import ReviewCards
from bot.review.service import Pipeline
from bot.screening import Screening
from bot.services import SERVICES_KEY, Services
from bot.settings import Settings
from bot.update_order import FilesAside
from commands.menu import install_menus
from storage.updates import JournaledDatabase, acting_for

__all__ = ["build_application"]

logger = logging.getLogger(__name__)

PUBLICATION_KEY = "publication"


def build_application(settings: Settings, config: UnionConfig) -> Application:  # type: ignore[type-arg]
    """The bot, wired and ready for ``run_polling``."""
    # Every update is in the database before Telegram is told it arrived (bot/ops/journal.py).
    journal = UpdateJournal()

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        db = await JournaledDatabase.open(settings.db_path)
        journal.attach(db)
        bot = application.bot
        assert application.job_queue is not None
        screening = Screening(db)
        # The dictionaries load right after polling begins (the job below), not before it.
        await screening.seed()
        timing = Timing(config.reminders, config.timezone)
        union_bot.keep_quiet_when(lambda: timing.in_quiet_hours(db.clock()))
        members = Members(db, config)
        # The config seeds the first start; after it the database is the truth, and what differs
        # is said at every start with the command that applies it (bot/ops/sync.py).
        changes = [] if await members.seed_members() else await drift(db, config)
        for change in changes:
            logger.warning("config differs from the database: %s", change.render())
        reasons = ReasonTemplates(db, config)
        await reasons.seed()
        # The mechanisms: the outbox and its cards, the reminders' scheduler.
        delivery = Delivery(bot, db, config)
        cards = Cards(bot, db)
        cards.register(delivery)
        TellSender(bot).register(delivery)
        scheduler = ReminderScheduler(application.job_queue, bot, db, config, timing)
        delivery.follower = scheduler.follower()
        # Review: intake, layout, three tiers, publishing.
        pipeline = Pipeline(db, config, screening, timing)
        loader = DraftLoader(db, config.timezone)
        ReviewCards(bot, db, config, loader, cards, delivery).register()
        Notices(bot, db, config, loader).register(delivery)
        publisher = Publisher(bot, db, config, pipeline, loader, delivery)
        publisher.register()
        StallReminders(scheduler).register()
        standins = StandIns(db, config)
        StandInNotices(bot, standins).register(delivery)
        # The other features.
        meetings = MeetingService(db, timing)
        MeetingReminders(scheduler, meetings).register()
        inbox = Inbox(db, timing)
        InboxReminders(scheduler, inbox).register()
        content_reports = ContentReports(db, config)
        ReportSender(bot, content_reports).register(delivery)
        partners = PartnerService(db, timing, config)
        Reposts(bot, partners, scheduler, delivery).register(publisher)
        repost_links = RepostLinks(bot, db, delivery)
        repost_links.register()
        publication = PublicationFeature.open(bot, db, config, settings, delivery)
        pipeline.after_approve.append(publication.service.on_approved)
        publication.service.after_posted.append(repost_links.on_posted)
        account_changes = AccountChanges(db, config, timing)
        AccountChangeNotices(bot, account_changes).register(delivery)
        AccountChangeReminders(scheduler, account_changes).register()
        application.bot_data[SERVICES_KEY] = Services(
            config=config,
            db=db,
            pipeline=pipeline,
            members=members,
            prompts=Prompts(db),
            delivery=delivery,
            publisher=publisher,
            screening=screening,
            scheduler=scheduler,
            meetings=meetings,
            inbox=inbox,
            content_reports=content_reports,
            partners=partners,
            account_changes=account_changes,
            standins=standins,
            files=publication.service.store,
            publication=publication.service,
            reasons=reasons,
        )
        application.bot_data[PUBLICATION_KEY] = publication
        await _set_commands(application)
        # Deliveries decided before a crash or a restart go out now, then on a timer; a public
        # post a crash caught mid-send waits for an admin instead.
        await delivery.start()
        settled = await delivery.flush()
        if settled:
            logger.info("sent %d deliveries left from before the restart", settled)
        # Updates received but not handled before a kill are handled now, before any new one.
        await journal.start(application)
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
        # Jobs run once the application started, after the updater began polling.
        application.job_queue.run_once(_warm_screening, when=0, name="screening warm-up")
        # What cannot be reached now is told once, without holding up the start.
        application.job_queue.run_once(_check_reach, when=1, name="reach check")
        if changes:
            logger.warning("to apply the config to the database: python -m bot sync-config")
            application.job_queue.run_once(
                _tell_admins, when=1, data=alert_text(changes), name="config differs"
            )
        me = application.bot.username
        logger.info("bot @%s started for %s", me, config.union_name)

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        services = application.bot_data.get(SERVICES_KEY)
        journal.detach()
        feature = application.bot_data.get(PUBLICATION_KEY)
        if isinstance(feature, PublicationFeature):
            await feature.close()
        if isinstance(services, Services):
            await services.screening.close()
            await services.db.close()
        logger.info("bot stopped")

    union_bot = JournalingBot(
        journal,
        settings.token,
        base_url=settings.api_url,
        base_file_url=settings.file_url,
        defaults=Defaults(parse_mode=ParseMode.HTML, tzinfo=config.timezone),
        rate_limiter=AIORateLimiter(max_retries=3) if config.rate_limit else None,
    )
    builder = (
        ApplicationBuilder()
        .bot(union_bot)
        .application_class(JournalingApplication, {"journal": journal})
        .update_queue(JournalingQueue(journal))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        # A file being read holds up only its sender's later updates, not everyone's.
        .concurrent_updates(FilesAside())
    )
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
    # Remembering a name is no action of the update's own: it does not count as having acted.
    with acting_for(None):
        await services.members.see(Actor(user.id, user.full_name, user.username))


async def _warm_screening(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Load the screening dictionaries; the first draft screened meanwhile waits for them."""
    services = context.bot_data.get(SERVICES_KEY)
    if not isinstance(services, Services):
        return
    try:
        await services.screening.warm()
    except Exception:
        # Every screening raises it again, so a draft fails loudly instead of passing unscreened.
        logger.exception("screening could not load its dictionaries")


async def _check_reach(context: ContextTypes.DEFAULT_TYPE) -> None:
    """At start: every configured chat and every member who gets cards privately is reachable,
    or the admins hear, in one message, what is not and how to fix it."""
    services = context.bot_data.get(SERVICES_KEY)
    if not isinstance(services, Services):
        return
    delivery = services.delivery
    try:
        items = await check_reach(context.bot, delivery.config)
    except TelegramError as exc:
        logger.warning("start-up reachability check could not run: %s", exc)
        return
    failed = [item for item in items if item.ok is False]
    for item in failed:
        logger.warning("start-up check: %s (%s)", item.text, item.fix)
    if failed:
        await delivery.tell_admins(
            texts.STARTUP_REACH_FAILED.format(items="\n".join(i.render() for i in failed))
        )


async def _tell_admins(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell the admins what the job carries (after the start, not holding it up)."""
    services = context.bot_data.get(SERVICES_KEY)
    if isinstance(services, Services) and context.job is not None:
        await services.delivery.tell_admins(str(context.job.data))


async def _retry_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Retry deliveries that failed (network trouble, rate limits)."""
    services = context.bot_data.get(SERVICES_KEY)
    if isinstance(services, Services):
        await services.delivery.flush()


async def _set_commands(application: Application) -> None:  # type: ignore[type-arg]
    services = application.bot_data[SERVICES_KEY]
    inbox = services.config.chats.inbox is not None
    await install_menus(application.bot, services.members, inbox)
