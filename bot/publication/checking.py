"""The publication check: a recorded 公众号 article is read and compared with the approved text.

A match is recorded as verified. A difference beyond layout is recorded and goes, with the
readable diff, to the admins and to each tier-3 advisor. A page that cannot be reached now is
retried by the outbox (a ``Transient`` failure, for as long as it takes); after
``REPORT_AFTER`` failed attempts the admins hear once that it is still being tried. A page that
will never be readable (deleted, not an article) is recorded as unavailable and reported.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Bot

from bot import texts
from bot.formatting import MESSAGE_LIMIT, e, visible_units
from bot.outbox.failures import Transient, reaching
from bot.outbox.runner import Delivery
from bot.publication.article import (
    ArticleReader,
    ArticleUnavailable,
    ArticleUnreachable,
    Comparison,
    compare_article,
    render_comparison,
)
from bot.publication.payloads import ArticleCheck
from bot.publication.service import PublicationService
from storage import drafts, outbox
from storage.models import OutboxItem
from storage.publications import PublishedLink

__all__ = ["REPORT_AFTER", "ArticleChecker", "diff_alert"]

logger = logging.getLogger(__name__)

# Failed reads before the admins hear that the check is still waiting (it keeps retrying).
REPORT_AFTER = 5


def diff_alert(link: PublishedLink, title: str, diff_html: str) -> str:
    """The alert for a published article that differs from the 定稿."""
    return texts.CHECK_DIFFERS_ALERT.format(
        id=link.draft_id,
        title=e(title),
        platform=texts.PLATFORM_NAMES[link.platform],
        version=link.version,
        url=e(link.url),
        diff=diff_html,
    )


class ArticleChecker:
    """Sends the ``article_check`` outbox kind."""

    def __init__(
        self,
        bot: Bot,
        service: PublicationService,
        delivery: Delivery,
        reader: ArticleReader | None = None,
    ) -> None:
        self.bot = bot
        self.service = service
        self.delivery = delivery
        self.db = service.db
        self._reader = reader

    def register(self) -> None:
        """Handle ``article_check`` items."""
        self.delivery.register(ArticleCheck.KIND, self._check)

    def _reader_for_check(self) -> ArticleReader:
        if self._reader is not None:
            return self._reader
        return ArticleReader(base_url=self.service.config.wechat.article_url)

    async def _check(self, item: OutboxItem) -> None:
        payload = ArticleCheck.read(item.payload)
        link = await self.service.link(payload.link_id)
        if link is None:
            return
        if link.check_state == "differs" and item.progress.get("recorded"):
            # The outcome is recorded; only the alerts are left to send.
            await self._tell_differs(item, link)
            return
        if link.check_state != "pending":
            return
        async with self.db.reading() as conn:
            version = await drafts.get_version(conn, link.draft_id, link.version)
            draft = await drafts.get(conn, link.draft_id)
        if version is None or draft is None:
            return
        reader = self._reader_for_check()
        try:
            page = await reader.fetch(link.url)
        except ArticleUnreachable as exc:
            await self._still_unreachable(item, link, exc.message)
            raise Transient(exc.message) from exc
        except ArticleUnavailable as exc:
            await self.service.record_check(link, "unavailable", {"reason": exc.message})
            await self.delivery.tell_admins(
                texts.CHECK_UNAVAILABLE_ALERT.format(
                    id=link.draft_id, reason=exc.message, url=e(link.url)
                )
            )
            return
        finally:
            if self._reader is None:
                await reader.aclose()
        comparison = compare_article(page, version.body)
        if comparison.matches:
            await self.service.record_check(link, "verified")
            logger.info("article of #%s verified: %s", link.draft_id, link.url)
            return
        diff = self._fitting_diff(link, draft.title, comparison)
        await self.service.record_check(link, "differs", {"changes": len(comparison.changes)})
        progress = {**item.progress, "recorded": True, "diff": diff}
        async with self.db.transaction() as tx:
            await outbox.set_progress(tx, item.id, progress)
        await self._tell_differs(replace(item, progress=progress), link)

    def _fitting_diff(self, link: PublishedLink, title: str, comparison: Comparison) -> str:
        """The alert with as many changes as fit one message."""
        for limit, max_chars in ((10, 300), (5, 200), (3, 120), (1, 80)):
            html = diff_alert(
                link, title, render_comparison(comparison, limit=limit, max_chars=max_chars)
            )
            if visible_units(html) <= MESSAGE_LIMIT:
                return html
        return diff_alert(link, title, texts.ARTICLE_DIFFERS.format(count=len(comparison.changes)))

    async def _tell_differs(self, item: OutboxItem, link: PublishedLink) -> None:
        """The diff to the admins (once) and each advisor (each once, even across retries)."""
        html = item.progress.get("diff")
        if not isinstance(html, str):
            return
        told = item.progress.get("told", [])
        done = [t for t in told if isinstance(t, int)] if isinstance(told, list) else []
        if 0 not in done:
            await self.delivery.tell_admins(html)
            done.append(0)
            await self._progress(item, {"told": done})
        for advisor in await self.service.advisors():
            if advisor in done:
                continue
            with reaching(advisor):
                await self.bot.send_message(advisor, html)
            done.append(advisor)
            await self._progress(item, {"told": done})

    async def _progress(self, item: OutboxItem, extra: dict[str, object]) -> None:
        async with self.db.transaction() as tx:
            current = await outbox.get(tx, item.id)
            base = current.progress if current is not None else item.progress
            await outbox.set_progress(tx, item.id, {**base, **extra})

    async def _still_unreachable(self, item: OutboxItem, link: PublishedLink, reason: str) -> None:
        attempts = item.attempts + 1
        if attempts < REPORT_AFTER or item.progress.get("reported"):
            return
        await self.delivery.tell_admins(
            texts.CHECK_WAITING_ALERT.format(
                id=link.draft_id, attempts=attempts, reason=reason, url=e(link.url)
            )
        )
        await self._progress(item, {"reported": True})
