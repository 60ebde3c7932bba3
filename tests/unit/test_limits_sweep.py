"""Every template in ``bot.texts`` filled with the longest, costliest user text still fits
Telegram's limits (issue 9). Templates are found by walking the catalogue, so a new one is swept
without touching this file; the ones a render function builds are rendered through it.

The judge is the strict emulator's own HTML parser (what Telegram stores after parsing), and the
length is counted in UTF-16 code units, never less than what Telegram counts.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from bot import formatting, texts
from bot.account_changes.notices import cancelled_text, notice_text
from bot.account_changes.rules import NoticeRule
from bot.clock.workdays import WorkCalendar
from bot.formatting import CAPTION_LIMIT, MESSAGE_LIMIT, Html
from bot.inbox.cards import question_card
from bot.jubao.service import card_html, listing_html
from bot.partners.service import DigestGroup, admins_digest, offer_card, partner_digest
from bot.review import changes, render
from storage.account_changes import AccountChange
from storage.content_reports import ContentReport
from storage.inbox import Question
from storage.models import Attachment, AuditEvent, Decision, Draft, DraftState, User, Version
from storage.partners import Outstanding, Partner, Repost
from tests.emulator.formatting import format_text
from tests.emulator.utf16 import utf16_len

TZ = ZoneInfo("Asia/Shanghai")
# The costliest text a user can send: escapes that grow, emoji that count two, line breaks.
UNIT = "长<&>😀\n"
MAX = (UNIT * (4096 // len(UNIT) + 1))[:4096]
NAME = ("名<&>😀" * 40)[:128]
STAMP = "2026-11-02T02:00:00.000000+00:00"
NAMES = formatting.Names({i: User(i, NAME, None, None) for i in range(1, 5)}, TZ)


def telegram_length(html: str) -> int:
    """The length Telegram checks, of ``html`` parsed as the emulator (and Telegram) parse it."""
    plain, _ = format_text(html, "HTML", None, lambda uid: {"id": uid, "first_name": "x"})
    return utf16_len(plain)


def _templates() -> Iterator[tuple[str, str]]:
    for name in sorted(dir(texts)):
        value = getattr(texts, name)
        if not name.isupper():
            continue
        if isinstance(value, str):
            yield name, value
        elif isinstance(value, Mapping):
            yield from ((f"{name}[{k}]", v) for k, v in value.items() if isinstance(v, str))


def _fields(template: str) -> dict[str, tuple[str, str]]:
    return {
        field: (spec or "", conversion or "")
        for _, field, spec, conversion in string.Formatter().parse(template)
        if field is not None
    }


TEMPLATES = {name: t for name, t in _templates() if _fields(t)}


def _limit(name: str) -> int:
    return CAPTION_LIMIT if "CAPTION" in name else MESSAGE_LIMIT


# Render functions, fed records whose every piece of user text is as long as Telegram allows ------

DRAFT = Draft(
    id=999_999_999,
    submitter_id=1,
    editor_id=2,
    title=MAX,
    category=MAX,
    attribution="college",
    college=MAX,
    source=MAX,
    original=True,
    state=DraftState.REVIEW_3,
    version=999,
    origin_chat_id=1,
    created_at=STAMP,
    updated_at=STAMP,
    urgent=True,
)
VERSION = Version(
    DRAFT.id, 999, 1, MAX, MAX, "h", STAMP, (Attachment("document", "f", "u", name=MAX, size=1),)
)
HITS = [{"term": MAX, "category": MAX, "found_by": "exact", "quote": MAX}] * 12


def _decision(tier: int, outcome: str) -> Decision:
    return Decision(1, DRAFT.id, 999, tier, "h", 3, outcome, ("1", "2", "3"), MAX, STAMP)


DECISIONS = [_decision(1, "approve"), _decision(2, "approve"), _decision(3, "reject")]
EVENTS = [
    AuditEvent(i, STAMP, 1, action, DRAFT.id, 999, {"tier": 3, "refusal": MAX, "reason": MAX})
    for i, action in enumerate(["review.rejected", MAX])
]
QUESTION = Question(999, 1, NAME, "open", None, STAMP, None, None, None)
REPORT = ContentReport(
    id=999,
    chat_id=-100,
    chat_title=MAX,
    message_id=1,
    link=None,
    author_id=1,
    author_name=MAX,
    excerpt=MAX,
    reason=MAX,
    reported_by=1,
    reported_at=STAMP,
    state="handled",
    handled_by=2,
    handled_at=STAMP,
    note=MAX,
)
CHANGE = AccountChange(
    id=999,
    account=MAX,
    change="rename",
    detail=MAX,
    effective_on=date(2026, 12, 31),
    reason=MAX,
    filed_by=1,
    filed_at=STAMP,
    notice_on=date(2026, 12, 1),
    working_days=7,
    weekends_only=True,
    state="cancelled",
    cancelled_by=2,
    cancelled_at=STAMP,
    cancel_reason=MAX,
)
PARTNER = Partner(999, -100, MAX, 1, STAMP, None, None)
REPOST = Repost(1, 999, DRAFT.id, "reposted", STAMP, -100, 1, STAMP, 1, MAX, None, STAMP, 1)
GROUP = DigestGroup(PARTNER, tuple(Outstanding(i, 999, i, MAX, STAMP) for i in range(40)))

# A revision whose rejection reason and changes are as long and costly as they get.
REVISION = render.Revision(998, DECISIONS[2], changes.compact(changes.changes(MAX, MAX[::-1])))

Rendered = list[tuple[str, int]]


def _review() -> Rendered:
    cards = [
        render.review_card(DRAFT, VERSION, tier, DECISIONS, NAMES, True, HITS) for tier in (1, 2, 3)
    ]
    return [(card, MESSAGE_LIMIT) for card in cards]


def _split(template: str, more: str) -> Rendered:
    pieces = formatting.split_fit(
        template, MAX, more, MESSAGE_LIMIT, id=999, student=Html(formatting.e(NAME))
    )
    return [(piece, MESSAGE_LIMIT) for piece in pieces]


def _alert(template: str) -> Rendered:
    fields = {name: MAX for name in _fields(template) if name != "error"}
    return [(formatting.error_alert(template, MAX, **fields), MESSAGE_LIMIT)]


def _notice(template: str) -> Rendered:
    fields = {name: MAX for name in _fields(template) if name not in ("id", "title")}
    return [(render.notice(template, DRAFT, **fields), MESSAGE_LIMIT)]


# The notices bot/review/notices.py sends (through render.notice once it calls it).
NOTICES = (
    "PROGRESS",
    "ALL_APPROVED",
    "SENT_NOTICE",
    "WITHDRAWN_NOTICE",
    "PUBLISHED_NOTICE",
    "URGENT_HEADS_UP",
    "URGENT_SET_NOTICE",
    "BLOCKED_AT_PUBLISH_NOTICE",
    "ADMINS_BLOCKED_AT_PUBLISH",
)

RENDERERS: dict[str, Callable[[], Rendered]] = {
    **{name: partial(_notice, getattr(texts, name)) for name in NOTICES},
    "REVIEW_CARD": _review,
    "OUTCOME_REJECTED": _review,
    "SUMMARY": _review,
    "NOTE_LINE": _review,
    "INTAKE_ATTR_COLLEGE": _review,
    "TRAIL_LINE": _review,
    "INTAKE_CARD": lambda: [(render.intake_card(DRAFT, VERSION), MESSAGE_LIMIT)],
    "INTAKE_ATTACHMENT": lambda: [(render.intake_card(DRAFT, VERSION), MESSAGE_LIMIT)],
    "EDITING_CARD": lambda: [
        (render.editing_card(DRAFT, VERSION, NAMES, REVISION, returned=True), MESSAGE_LIMIT)
    ],
    "REVISION_SECTION": lambda: [
        (render.review_card(DRAFT, VERSION, 1, [], NAMES, True, HITS, REVISION), MESSAGE_LIMIT)
    ],
    "PUBLISH_CARD": lambda: [(render.publish_card(DRAFT, NAMES, 1, STAMP), MESSAGE_LIMIT)],
    "REJECTED_NOTICE": lambda: [
        (render.rejected_notice(DRAFT, 999, 3, DECISIONS[2], NAMES).html, MESSAGE_LIMIT)
    ],
    "STATUS": lambda: [(render.status(DRAFT, DECISIONS, NAMES).html, MESSAGE_LIMIT)],
    "STATUS_DECISION": lambda: [(render.status(DRAFT, DECISIONS, NAMES).html, MESSAGE_LIMIT)],
    "HISTORY_LINE": lambda: [
        (html, MESSAGE_LIMIT)
        for html in formatting.pack([line.html for line in render.history(DRAFT, EVENTS, NAMES)])
    ],
    "CHANNEL_CAPTION": lambda: [(render.channel_caption(DRAFT, VERSION), CAPTION_LIMIT)],
    "CHANNEL_POST": lambda: [
        (chunk, MESSAGE_LIMIT) for chunk in render.channel_post_chunks(DRAFT, VERSION)
    ],
    "QUESTION_CARD": lambda: [(question_card(QUESTION, MAX, NAMES).html, MESSAGE_LIMIT)],
    "ANSWER_TO_STUDENT": lambda: _split(texts.ANSWER_TO_STUDENT, texts.ANSWER_MORE),
    "QUESTION_FOLLOWUP_CARD": lambda: _split(
        texts.QUESTION_FOLLOWUP_CARD, texts.QUESTION_FOLLOWUP_MORE
    ),
    "JUBAO_CARD": lambda: [(card_html(REPORT, NAMES, range(1, 300)), MESSAGE_LIMIT)],
    "JUBAO_LIST_LINE": lambda: [
        (listing_html([REPORT] * 50, datetime(2026, 12, 1, tzinfo=UTC), NAMES), MESSAGE_LIMIT)
    ],
    "REPOST_OFFER": lambda: [(offer_card(MAX, DRAFT, REPOST, TZ), MESSAGE_LIMIT)],
    "PARTNER_DIGEST_LINE": lambda: [(admins_digest([GROUP] * 5, TZ), MESSAGE_LIMIT)],
    "PARTNER_DIGEST_PARTNER": lambda: [(partner_digest(MAX, GROUP, TZ), MESSAGE_LIMIT)],
    "AC_NOTICE": lambda: [(notice_text(CHANGE, NAMES, NoticeRule(WorkCalendar())), MESSAGE_LIMIT)],
    "AC_NOTICE_CANCELLED": lambda: [(cancelled_text(CHANGE, NAMES), MESSAGE_LIMIT)],
    "PARTNER_UNREACHABLE_ADMINS": lambda: _alert(texts.PARTNER_UNREACHABLE_ADMINS),
    "CHAT_UNREACHABLE": lambda: _alert(texts.CHAT_UNREACHABLE),
    "DELIVERY_FAILED_ADMINS": lambda: _alert(texts.DELIVERY_FAILED_ADMINS),
}


def _filled(name: str, template: str) -> Rendered:
    """A template with no render function: every field is user text, as long as it gets."""
    fields: dict[str, formatting.Field] = {
        field: 12_345.6 if spec else MAX for field, (spec, _) in _fields(template).items()
    }
    return [(formatting.fit(template, _limit(name), **fields).html, _limit(name))]


def test_the_sweep_finds_the_catalogue_and_each_renderer_names_a_template() -> None:
    assert len(TEMPLATES) > 300
    assert set(RENDERERS) <= set(TEMPLATES)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_fits_with_maximal_user_text(name: str) -> None:
    template = TEMPLATES[name]
    rendered = RENDERERS[name]() if name in RENDERERS else _filled(name, template)
    for html, limit in rendered:
        assert telegram_length(html) <= limit, (name, telegram_length(html), limit)
