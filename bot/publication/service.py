"""The publication service: the 定稿 of an approved version, where it went out, and its check.

No Telegram here. Review calls ``on_approved`` inside the transaction of the tier-3 approval, so
the 定稿 and the draft-box push are queued with the decision and never lost to a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiosqlite

from bot import texts
from bot.config import UnionConfig
from bot.formatting import e
from bot.members import Actor
from bot.publication.article import is_article_url
from bot.publication.payloads import ArticleCheck, FinalCopy, WeChatDraft
from bot.publication.wechat import ImageInfo, check_draft_limits, text_to_content_html
from storage import Database, audit, drafts, outbox, publications, users
from storage.files import FileStore, FileStoreError
from storage.models import Decision, Draft, DraftState, Role, User, Version
from storage.publications import LinkExists, PublishedLink

__all__ = [
    "PLATFORM_WECHAT",
    "FinalView",
    "PublicationRefused",
    "PublicationService",
    "platform_of",
]

logger = logging.getLogger(__name__)

PLATFORM_WECHAT = "wechat"
PLATFORM_WEIBO = "weibo"
PLATFORM_DOUYIN = "douyin"
PLATFORM_ACCOUNT = "account"

_HOSTS = {
    PLATFORM_WECHAT: ("mp.weixin.qq.com",),
    PLATFORM_WEIBO: ("weibo.com", "weibo.cn"),
    PLATFORM_DOUYIN: ("douyin.com", "iesdouyin.com"),
}
_DONE_STATES = (DraftState.APPROVED, DraftState.PUBLISHING, DraftState.PUBLISHED)
_URL_MAX = 2000


class PublicationRefused(Exception):
    """The action is refused; ``str()`` says why, in Chinese (Telegram HTML)."""


def platform_of(url: str) -> str | None:
    """公众号, 微博 or 抖音 by the link's host; None for any other site."""
    host = (urlsplit(url).hostname or "").lower()
    for platform, hosts in _HOSTS.items():
        if any(host == h or host.endswith("." + h) for h in hosts):
            return platform
    return None


@dataclass(frozen=True, slots=True)
class FinalView:
    """Everything the 定稿 shows: the approved version, its three approvals, its records."""

    draft: Draft
    version: Version
    approvals: tuple[Decision, ...]
    names: dict[int, User]
    media_id: str | None
    links: tuple[PublishedLink, ...]

    def name(self, user_id: int | None) -> str:
        """A person's name (raw, unescaped)."""
        if user_id is None:
            return texts.NOBODY
        user = self.names.get(user_id)
        return user.name if user is not None else str(user_id)


class PublicationService:
    """The 定稿, the publication records and their checks, over the database and file store."""

    def __init__(self, db: Database, config: UnionConfig, store: FileStore) -> None:
        self.db = db
        self.config = config
        self.store = store
        # Run in the transaction that records a link: (transaction, draft id, link id, moment).
        # Partners hear the real link through this (the wiring connects them).
        self.after_posted: list[Callable[[aiosqlite.Connection, int, int, str], Awaitable[None]]]
        self.after_posted = []

    @property
    def wechat_enabled(self) -> bool:
        """Whether approved versions go to the 公众号 draft box."""
        return self.config.wechat.app_id is not None

    # Inside review's approval transaction ------------------------------------------------------

    async def on_approved(self, tx: aiosqlite.Connection, draft_id: int, at: str) -> None:
        """Tier 3 approved the draft's current version: queue the 定稿 and the draft-box push."""
        draft = await drafts.get(tx, draft_id)
        if draft is None:
            return
        # The draft box first: when WeChat answers at once, the 定稿 shows the media id.
        if self.wechat_enabled:
            await outbox.add(tx, at, WeChatDraft.KIND, draft_id, WeChatDraft(draft.version))
        targets = self._final_targets(draft)
        if not self.config.auto_publish:
            # The 发布 card's chat gets the same content, so who publishes has the exact text.
            chat = self.config.chats.editors or self.config.chats.admins
            targets += await users.chat_or_holders(tx, chat, Role.ADMIN)
        for chat_id in dict.fromkeys(targets):
            await outbox.add(tx, at, FinalCopy.KIND, draft_id, FinalCopy(draft.version, chat_id))

    def _final_targets(self, draft: Draft) -> list[int]:
        # The editor works in the editors' chat and gets the 定稿 there; privately only when
        # the union has no editors' chat.
        editors = self.config.chats.editors
        found = [draft.submitter_id, editors if editors is not None else draft.editor_id]
        return list(dict.fromkeys(chat for chat in found if chat is not None))

    # Reading -------------------------------------------------------------------------------------

    async def final(self, draft_id: int) -> FinalView:
        """The approved version of a draft with its approvals; refused before tier 3."""
        return await self.db.at_once(lambda conn: self._final(conn, draft_id))

    async def _final(self, conn: aiosqlite.Connection, draft_id: int) -> FinalView:
        draft = await drafts.get(conn, draft_id)
        if draft is None:
            raise PublicationRefused(texts.FINAL_NOT_FOUND.format(id=draft_id))
        version = await drafts.get_version(conn, draft_id, draft.version)
        if draft.state not in _DONE_STATES or version is None:
            raise PublicationRefused(
                texts.FINAL_NOT_APPROVED.format(id=draft_id, state=texts.STATE_NAMES[draft.state])
            )
        decided = await drafts.decisions(conn, draft_id, version.number)
        approvals = {
            d.tier: d
            for d in decided
            if d.outcome == "approve" and d.content_hash == version.content_hash
        }
        if sorted(approvals) != [1, 2, 3]:
            raise PublicationRefused(
                texts.FINAL_NOT_APPROVED.format(id=draft_id, state=texts.STATE_NAMES[draft.state])
            )
        chosen = tuple(approvals[t] for t in (1, 2, 3))
        names = await users.get_many(
            conn, [draft.submitter_id, draft.editor_id, *(d.reviewer_id for d in chosen)]
        )
        return FinalView(
            draft=draft,
            version=version,
            approvals=chosen,
            names=names,
            media_id=await publications.media_id(conn, draft_id, version.number),
            links=tuple(await publications.links(conn, draft_id)),
        )

    async def intake_problems(self, draft_id: int) -> list[str]:
        """Why the 公众号 would refuse this draft (title, content, cover), checked before review
        when the draft box is configured; each problem in Chinese (Telegram HTML)."""
        if not self.wechat_enabled:
            return []
        async with self.db.reading() as conn:
            draft = await drafts.get(conn, draft_id)
            version = await drafts.get_version(conn, draft_id, draft.version) if draft else None
        if draft is None or version is None:
            return []
        cover = None
        image = next(
            (
                f
                for f in version.files
                if f.kind == "photo" or (f.mime_type or "").startswith("image/")
            ),
            None,
        )
        if image is not None and image.sha256 is not None:
            # The first image becomes the cover: WeChat's type and size rules apply to it.
            try:
                data = await self.store.get_async(image.sha256)
            except FileStoreError as exc:
                # The push reports a missing cover to the admins; intake is not held up by it.
                logger.error("cover of draft #%s: %s", draft_id, exc)
            else:
                cover = ImageInfo.of(image.name or texts.WECHAT_DEFAULT_COVER, data)
        problems = check_draft_limits(
            title=draft.title, content=text_to_content_html(version.body), cover=cover
        )
        return [p.message for p in problems]

    async def links(self, draft_id: int) -> list[PublishedLink]:
        """Where a draft went out, oldest first."""
        async with self.db.reading() as conn:
            return await publications.links(conn, draft_id)

    async def media_id(self, draft_id: int, version: int) -> str | None:
        """The draft box's media id of a version, if it was pushed."""
        async with self.db.reading() as conn:
            return await publications.media_id(conn, draft_id, version)

    async def link(self, link_id: int) -> PublishedLink | None:
        """One publication record."""
        async with self.db.reading() as conn:
            return await publications.get_link(conn, link_id)

    # Acting --------------------------------------------------------------------------------------

    async def _require_staff(self, conn: aiosqlite.Connection, actor: Actor) -> None:
        roles = await users.roles_of(conn, actor.user_id)
        if not roles - {Role.VOLUNTEER, Role.OFFICER}:
            # Officers see their own drafts' 定稿 through the submitter's copy, not on demand.
            raise PublicationRefused(texts.FINAL_NOT_STAFF)

    async def send_final(self, actor: Actor, draft_id: int, chat_id: int) -> None:
        """Queue the 定稿 again, to ``chat_id`` (staff only)."""
        async with self.db.transaction() as tx:
            await self._require_staff(tx, actor)
            view = await self._final(tx, draft_id)
            at = self.db.now()
            await outbox.add(
                tx, at, FinalCopy.KIND, draft_id, FinalCopy(view.version.number, chat_id)
            )
            await audit.append(
                tx, at, actor.user_id, "final.requested", draft_id, view.version.number
            )

    async def record_link(
        self, actor: Actor, draft_id: int, url: str, account: str = ""
    ) -> PublishedLink:
        """Record where the approved version went out; a 公众号 article is queued for its check."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > _URL_MAX:
            raise PublicationRefused(texts.POSTED_BAD_URL)
        platform = platform_of(url)
        account = account.strip()
        if platform is None:
            if account not in self.config.accounts:
                raise PublicationRefused(self._unknown_account(account))
            platform = PLATFORM_ACCOUNT
        elif account and account not in self.config.accounts:
            raise PublicationRefused(self._unknown_account(account))
        checked = platform == PLATFORM_WECHAT and is_article_url(url)
        async with self.db.transaction() as tx:
            await self._require_staff(tx, actor)
            view = await self._final(tx, draft_id)
            at = self.db.now()
            try:
                link_id = await publications.add_link(
                    tx,
                    draft_id,
                    view.version.number,
                    view.version.content_hash,
                    platform,
                    account,
                    url,
                    actor.user_id,
                    at,
                    "pending" if checked else "none",
                )
            except LinkExists:
                raise PublicationRefused(texts.POSTED_ALREADY.format(id=draft_id)) from None
            await audit.append(
                tx,
                at,
                actor.user_id,
                "publication.posted",
                draft_id,
                view.version.number,
                {"platform": platform, "account": account, "url": url},
            )
            if checked:
                await outbox.add(tx, at, ArticleCheck.KIND, draft_id, ArticleCheck(link_id))
            for hook in self.after_posted:
                await hook(tx, draft_id, link_id, at)
            found = await publications.get_link(tx, link_id)
        assert found is not None
        return found

    def _unknown_account(self, account: str) -> str:
        listed = "、".join(e(a) for a in self.config.accounts) or texts.POSTED_NO_ACCOUNTS
        if account:
            return texts.POSTED_UNKNOWN_ACCOUNT.format(account=e(account), accounts=listed)
        return texts.POSTED_NEED_ACCOUNT.format(accounts=listed)

    # Results of the outbox's work ------------------------------------------------------------

    async def record_check(
        self, link: PublishedLink, state: str, detail: dict[str, object] | None = None
    ) -> None:
        """The check of a 公众号 article ended: verified, differs, or unavailable."""
        async with self.db.transaction() as tx:
            at = self.db.now()
            await publications.set_check(tx, link.id, state, at)
            await audit.append(
                tx,
                at,
                None,
                f"publication.{state}",
                link.draft_id,
                link.version,
                {"url": link.url, **(detail or {})},
            )

    async def record_media_id(self, draft_id: int, version: int, media_id: str) -> None:
        """The draft box accepted the version."""
        async with self.db.transaction() as tx:
            at = self.db.now()
            if await publications.record_media_id(tx, draft_id, version, media_id, at):
                await audit.append(
                    tx, at, None, "wechat.drafted", draft_id, version, {"media_id": media_id}
                )

    async def advisors(self) -> list[int]:
        """The tier-3 advisors (指导老师), who hear of a published article that differs."""
        async with self.db.reading() as conn:
            return [u.user_id for u in await users.holders(conn, Role.REVIEWER3)]
