"""The publication feature, opened with the bot: its service, its outbox senders, its clients."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot

from bot.config import UnionConfig
from bot.outbox.runner import Delivery
from bot.publication.checking import ArticleChecker
from bot.publication.drafting import WeChatDrafter
from bot.publication.sending import FinalSender
from bot.publication.service import PublicationService
from bot.publication.wechat import WeChatClient
from bot.settings import Settings
from storage import Database
from storage.files import FileStore

__all__ = ["PublicationFeature"]

logger = logging.getLogger(__name__)


@dataclass
class PublicationFeature:
    """The service handed to handlers, and the WeChat client to close at shutdown."""

    service: PublicationService
    wechat: WeChatClient | None

    @classmethod
    def open(
        cls,
        bot: Bot,
        db: Database,
        config: UnionConfig,
        settings: Settings,
        delivery: Delivery,
    ) -> PublicationFeature:
        """The file store beside the database, the senders registered with the outbox."""
        service = PublicationService(db, config, FileStore.beside(settings.db_path))
        client = None
        app_id = config.wechat.app_id
        if app_id is not None:
            if settings.wechat_secret:
                client = WeChatClient(
                    app_id, settings.wechat_secret, base_url=config.wechat.api_url
                )
            else:
                # The pushes wait, each failing with a clear message, until the secret is set.
                logger.error("[wechat] app_id is set but WECHAT_APP_SECRET is not")
        FinalSender(bot, service, delivery).register()
        ArticleChecker(bot, service, delivery).register()
        WeChatDrafter(bot, service, delivery, client).register()
        return cls(service, client)

    async def close(self) -> None:
        """Close the WeChat client's connections."""
        if self.wechat is not None:
            await self.wechat.aclose()
