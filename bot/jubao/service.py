"""Content reports (举报, article 24): a member points at a group message, an admin handles it.

Telegram-free: the handler describes the reported message; this service checks who may report
and handle, keeps the report and its audit trail, queues the admins' cards and the reporter's
notice in the outbox, and renders what the cards and lists say.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from bot import formatting, texts
from bot.config import UnionConfig
from bot.documents import excerpt
from bot.formatting import Html, Part
from bot.members import Actor
from storage import Database, audit, content_reports, outbox, users
from storage.content_reports import ContentReport, NewReport, ReportCard
from storage.models import Role, User
from storage.payloads import Payload

__all__ = [
    "CARD_KIND",
    "NOTICE_KIND",
    "REFRESH_KIND",
    "ContentReports",
    "Outcome",
    "ReportItem",
    "Reported",
    "Result",
    "card_html",
    "listing_html",
    "message_link",
    "parse_tap",
    "tap_data",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReportItem(Payload):
    """The report a card, its refresh or the reporter's notice is about (an outbox payload)."""

    report: int


# Outbox kinds: the admins' card, its edit once handled, the reporter's private notice.
CARD_KIND = "report_card"
REFRESH_KIND = "report_refresh"
NOTICE_KIND = "report_notice"

REASON_LIMIT = 200
NOTE_LIMIT = 200
# Kept in full as evidence (the message may be deleted); cards and lists show less.
EXCERPT_KEPT = 1000
EXCERPT_SHOWN = 300
EXCERPT_LISTED = 60
# Room for the listing in one message (Telegram allows 4096 characters).
LISTING_BUDGET = 3600

_TAP = re.compile(r"jb:([1-9]\d{0,9})")
_GROUP_KINDS = frozenset({"group", "supergroup"})


def tap_data(report_id: int) -> str:
    """The callback data of a report's 标记已处理 button."""
    return f"jb:{report_id}"


def parse_tap(data: str | None) -> int | None:
    """The report a 标记已处理 tap is about, or None when the data is malformed."""
    match = _TAP.fullmatch(data or "")
    return int(match[1]) if match else None


def message_link(chat_kind: str, chat_id: int, username: str | None, message_id: int) -> str | None:
    """The t.me link to a group message; None for a basic group, which has none."""
    if chat_kind not in _GROUP_KINDS:
        return None
    if username:
        return f"https://t.me/{username}/{message_id}"
    raw = str(chat_id)
    if chat_kind == "supergroup" and raw.startswith("-100") and raw[4:].isdigit():
        return f"https://t.me/c/{raw[4:]}/{message_id}"
    return None


@dataclass(frozen=True, slots=True)
class Reported:
    """The message a member replied to with /jubao, as the handler saw it."""

    chat_id: int
    chat_kind: str
    chat_title: str
    chat_username: str | None
    message_id: int
    author_id: int | None
    author_name: str
    text: str
    by_this_bot: bool


class Outcome(StrEnum):
    """What became of a report or of an attempt to mark one handled."""

    FILED = "filed"
    DUPLICATE = "duplicate"
    NOT_MEMBER = "not_member"
    NOT_GROUP = "not_group"
    BOT_MESSAGE = "bot_message"
    REASON_TOO_LONG = "reason_too_long"
    HANDLED = "handled"
    NOT_FOUND = "not_found"
    NOT_ADMIN = "not_admin"
    ALREADY_HANDLED = "already_handled"
    NOTE_TOO_LONG = "note_too_long"


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome, the report concerned, and other reports of the same message closed with it."""

    outcome: Outcome
    report: ContentReport | None = None
    also: tuple[int, ...] = ()


class ContentReports:
    """Filing, listing and handling content reports."""

    def __init__(self, db: Database, config: UnionConfig) -> None:
        self.db = db
        self.config = config

    # Filing ---------------------------------------------------------------------------------

    async def report(self, reporter: Actor, reported: Reported, reason: str) -> Result:
        """File a report of ``reported``; refusals are audited and change nothing else."""
        reason = reason.strip()
        async with self.db.transaction() as tx:
            at = self.db.now()
            where = {"chat_id": reported.chat_id, "message_id": reported.message_id}
            refusal: Outcome | None = None
            if not await users.roles_of(tx, reporter.user_id):
                refusal = Outcome.NOT_MEMBER
            elif reported.chat_kind not in _GROUP_KINDS:
                refusal = Outcome.NOT_GROUP
            elif reported.by_this_bot:
                refusal = Outcome.BOT_MESSAGE
            elif len(reason) > REASON_LIMIT:
                refusal = Outcome.REASON_TOO_LONG
            if refusal is not None:
                await self._refused(tx, at, reporter.user_id, refusal, where)
                return Result(refusal)
            new = NewReport(
                chat_id=reported.chat_id,
                chat_title=reported.chat_title,
                message_id=reported.message_id,
                link=message_link(
                    reported.chat_kind,
                    reported.chat_id,
                    reported.chat_username,
                    reported.message_id,
                ),
                author_id=reported.author_id,
                author_name=reported.author_name,
                excerpt=excerpt(reported.text.strip(), EXCERPT_KEPT),
                reason=reason,
                reported_by=reporter.user_id,
            )
            report_id = await content_reports.create(tx, new, at)
            if report_id is None:
                earlier = await content_reports.find(
                    tx, reported.chat_id, reported.message_id, reporter.user_id
                )
                assert earlier is not None
                await self._refused(
                    tx, at, reporter.user_id, Outcome.DUPLICATE, {**where, "report": earlier.id}
                )
                return Result(Outcome.DUPLICATE, earlier)
            await audit.append(
                tx,
                at,
                reporter.user_id,
                "report.filed",
                detail={
                    "report": report_id,
                    **where,
                    "chat_title": new.chat_title,
                    "link": new.link,
                    "author_id": new.author_id,
                    "reason": reason,
                    "excerpt": excerpt(new.excerpt, EXCERPT_LISTED),
                },
            )
            await outbox.add(tx, at, CARD_KIND, None, ReportItem(report_id))
            filed = await content_reports.get(tx, report_id)
        logger.info("report #%s filed by %s", report_id, reporter.user_id)
        return Result(Outcome.FILED, filed)

    @staticmethod
    async def _refused(
        tx: aiosqlite.Connection,
        at: str,
        actor_id: int,
        why: Outcome,
        detail: Mapping[str, object],
    ) -> None:
        await audit.append(tx, at, actor_id, "report.refused", detail={"why": why, **detail})

    # Handling -------------------------------------------------------------------------------

    async def handle(self, admin: Actor, report_id: int, note: str, via: str) -> Result:
        """Mark a report handled (with every other open report of the same message)."""
        note = note.strip()
        async with self.db.transaction() as tx:
            at = self.db.now()
            report = await content_reports.get(tx, report_id)
            if report is None:
                return Result(Outcome.NOT_FOUND)
            where = {"report": report_id, "via": via}
            if Role.ADMIN not in await users.roles_of(tx, admin.user_id):
                await self._refused(tx, at, admin.user_id, Outcome.NOT_ADMIN, where)
                return Result(Outcome.NOT_ADMIN, report)
            if len(note) > NOTE_LIMIT:
                return Result(Outcome.NOTE_TOO_LONG, report)
            if not report.is_open:
                await self._refused(tx, at, admin.user_id, Outcome.ALREADY_HANDLED, where)
                return Result(Outcome.ALREADY_HANDLED, report)
            same = await content_reports.open_on_message(tx, report.chat_id, report.message_id)
            closed: list[int] = []
            for each in same:
                if not await content_reports.mark_handled(
                    tx, each.id, admin.user_id, at, note or None
                ):
                    continue
                closed.append(each.id)
                await audit.append(
                    tx,
                    at,
                    admin.user_id,
                    "report.handled",
                    detail={"report": each.id, "via": via, "note": note, "with": report_id},
                )
                await outbox.add(tx, at, REFRESH_KIND, None, ReportItem(each.id))
                await outbox.add(tx, at, NOTICE_KIND, None, ReportItem(each.id))
            done = await content_reports.get(tx, report_id)
        logger.info("report #%s handled by %s (also %s)", report_id, admin.user_id, closed)
        return Result(Outcome.HANDLED, done, tuple(i for i in closed if i != report_id))

    # Reading --------------------------------------------------------------------------------

    async def get(self, report_id: int) -> ContentReport | None:
        """A report by number."""
        async with self.db.reading() as conn:
            return await content_reports.get(conn, report_id)

    async def waiting(self) -> list[ContentReport]:
        """Open reports, oldest first."""
        async with self.db.reading() as conn:
            return await content_reports.open_reports(conn)

    async def names(self, ids: Sequence[int | None]) -> formatting.Names:
        """Display names for rendering."""
        async with self.db.reading() as conn:
            people: dict[int, User] = await users.get_many(conn, ids)
        return formatting.Names(people, self.config.timezone)

    async def view(self, report_id: int) -> tuple[ContentReport, str] | None:
        """A report and its card as it should look now."""
        async with self.db.reading() as conn:
            report = await content_reports.get(conn, report_id)
            if report is None:
                return None
            others = [
                r.id
                for r in await content_reports.open_on_message(
                    conn, report.chat_id, report.message_id
                )
                if r.id != report.id
            ]
            people = await users.get_many(conn, (report.reported_by, report.handled_by))
        return report, card_html(report, formatting.Names(people, self.config.timezone), others)

    # Delivery bookkeeping -------------------------------------------------------------------

    async def card_targets(self) -> list[int]:
        """Where cards go: the admins' chat, else each admin privately."""
        async with self.db.reading() as conn:
            return await users.chat_or_holders(conn, self.config.chats.admins, Role.ADMIN)

    async def cards(self, report_id: int) -> list[ReportCard]:
        """Every copy of a report's card."""
        async with self.db.reading() as conn:
            return await content_reports.cards_of(conn, report_id)

    async def card_sent(self, report_id: int, chat_id: int, message_id: int) -> None:
        """A card went out: remember where, so a retry skips this chat."""
        async with self.db.transaction() as tx:
            at = self.db.now()
            await content_reports.add_card(tx, report_id, chat_id, message_id, at)
            await audit.append(
                tx,
                at,
                None,
                "report.card_sent",
                detail={"report": report_id, "chat_id": chat_id, "message_id": message_id},
            )

    async def card_failed(self, report_id: int, chat_id: int, error: str) -> None:
        """A card could not reach one admin (never opened a chat with the bot, blocked it...)."""
        async with self.db.transaction() as tx:
            await audit.append(
                tx,
                self.db.now(),
                None,
                "report.card_failed",
                detail={"report": report_id, "chat_id": chat_id, "error": error[:300]},
            )

    async def noticed(self, report: ContentReport, error: str | None) -> None:
        """The reporter was told (``error`` None) or could not be reached."""
        detail: dict[str, object] = {"report": report.id, "user_id": report.reported_by}
        if error is not None:
            detail["error"] = error[:300]
        async with self.db.transaction() as tx:
            await audit.append(
                tx,
                self.db.now(),
                None,
                "report.notified" if error is None else "report.notice_failed",
                detail=detail,
            )


# Rendering ----------------------------------------------------------------------------------


def _where(report: ContentReport) -> str:
    if report.link:
        return texts.JUBAO_LINK.format(link=html.escape(report.link))
    return texts.JUBAO_NO_LINK.format(message_id=report.message_id)


def card_html(report: ContentReport, names: formatting.Names, others: Sequence[int]) -> str:
    """The admins' card: where, who, why, what it said, and whether it is handled."""
    status: formatting.Field
    if report.is_open:
        status = Html(texts.JUBAO_STATUS_OPEN)
    else:
        status = Part(
            texts.JUBAO_STATUS_HANDLED,
            who=Html(names(report.handled_by)),
            at=Html(formatting.fmt_time(report.handled_at or report.reported_at, names.tz)),
            note=Part(texts.JUBAO_NOTE, note=report.note) if report.note else Html(""),
        )
    return formatting.fit(
        texts.JUBAO_CARD,
        id=report.id,
        chat=report.chat_title or Html(texts.NOBODY),
        # names() escapes already; formatting.mention would escape a second time.
        reporter=Html(
            f'<a href="tg://user?id={report.reported_by}">{names(report.reported_by)}</a>'
        ),
        author=report.author_name or Html(texts.NOBODY),
        reason=report.reason or Html(texts.JUBAO_NO_REASON),
        at=Html(formatting.fmt_time(report.reported_at, names.tz)),
        excerpt=excerpt(report.excerpt, EXCERPT_SHOWN) or Html(texts.JUBAO_NO_TEXT),
        where=Html(_where(report)),
        others=Html(
            texts.JUBAO_OTHERS.format(ids="、".join(f"#{i}" for i in others)) if others else ""
        ),
        status=status,
    ).html


def listing_html(reports: Sequence[ContentReport], now: datetime, names: formatting.Names) -> str:
    """Open reports, oldest first, with their age and link; cut to fit one message."""
    if not reports:
        return texts.JUBAO_LIST_EMPTY
    lines = [texts.JUBAO_LIST_HEADER.format(count=len(reports))]
    used = formatting.visible_units(lines[0])
    for shown, report in enumerate(reports):
        age = (now - datetime.fromisoformat(report.reported_at)).total_seconds()
        line = formatting.fit(
            texts.JUBAO_LIST_LINE,
            LISTING_BUDGET,
            id=report.id,
            age=Html(formatting.waited(age, days=True)),
            chat=report.chat_title or Html(texts.NOBODY),
            reporter=Html(names(report.reported_by)),
            reason=Part(texts.JUBAO_LIST_REASON, reason=report.reason)
            if report.reason
            else Html(""),
            where=Html(_where(report))
            if report.link
            else Part(
                texts.JUBAO_LIST_EXCERPT,
                excerpt=excerpt(report.excerpt, EXCERPT_LISTED) or Html(texts.JUBAO_NO_TEXT),
            ),
        ).html
        length = formatting.visible_units(line)
        if used + length + 1 > LISTING_BUDGET:
            lines.append(texts.JUBAO_LIST_MORE.format(count=len(reports) - shown))
            break
        lines.append(line)
        used += length + 1
    lines.append(texts.JUBAO_LIST_FOOTER)
    return "\n".join(lines)
