"""Telegram-HTML text for cards, notices and lists, built from storage records and the texts.

Pure functions: no Telegram objects, no I/O. Every piece of user text is escaped here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot import texts
from bot.documents import excerpt
from bot.formatting import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    Field,
    Fitted,
    Html,
    Names,
    Part,
    fit,
    fmt_time,
    hit_lines,
    joined,
    render,
    split_escaped,
    visible_units,
)
from bot.review.attribution import channel_original
from bot.review.changes import Compact
from storage.models import Attachment, AuditEvent, Decision, Draft, DraftState, Version

__all__ = [
    "CARD_EXCERPT_CHARS",
    "LONG_EXCERPT_CHARS",
    "Revision",
    "attribution_text",
    "channel_caption",
    "channel_original",
    "channel_post_chunks",
    "content_part",
    "criteria_text",
    "decided_by",
    "editing_card",
    "files_summary",
    "history",
    "intake_card",
    "meta_part",
    "notice",
    "publish_card",
    "rejected_notice",
    "review_card",
    "status",
    "summary",
    "summary_part",
]

# Up to this many characters a card shows the whole text; a longer text comes as a file before
# the card, which shows only its start, so the buttons stay on a phone's first screen.
CARD_EXCERPT_CHARS = 600
LONG_EXCERPT_CHARS = 120


def _attribution(draft: Draft) -> Field:
    if draft.by_volunteer:
        return Html(texts.ATTR_VOLUNTEER)
    if draft.attribution is None:
        return Html(texts.UNSET)
    if draft.attribution == "college":
        if not draft.college:
            return Html(texts.INTAKE_ATTR_COLLEGE_MISSING)
        return Part(texts.INTAKE_ATTR_COLLEGE, college=draft.college)
    if draft.attribution == "repost":
        if not draft.source:
            return Html(texts.INTAKE_ATTR_REPOST_MISSING)
        return Part(texts.INTAKE_ATTR_REPOST, source=draft.source)
    return Html(texts.ATTRIBUTION_NAMES[draft.attribution])


def _or_unset(text: str | None) -> Field:
    """User text, or 未选 when there is none."""
    return text if text else Html(texts.UNSET)


def attribution_text(draft: Draft) -> str:
    """How the draft is attributed (article 12), escaped."""
    field = _attribution(draft)
    return field if isinstance(field, Html) else render("{a}", a=field)


def _original(draft: Draft) -> str:
    if draft.original is None:
        return texts.UNSET
    return texts.YES if draft.original else texts.NO


def summary_part(draft: Draft, names: Names) -> Part:
    """The lines every card shares: title, category, attribution, people; its user text fits."""
    return Part(
        texts.SUMMARY,
        urgent=Html(texts.URGENT_LINE if draft.urgent else ""),
        title=draft.title,
        category=_or_unset(draft.category),
        attribution=_attribution(draft),
        original=Html(_original(draft)),
        submitter=Html(names(draft.submitter_id)),
        editor=Html(names(draft.editor_id)),
    )


def summary(draft: Draft, names: Names) -> str:
    """The lines every card shares, rendered in full."""
    return render("{s}", s=summary_part(draft, names))


def criteria_text(criteria: Sequence[str]) -> str:
    """The failed criteria by name."""
    named = [texts.CRITERIA[c] for c in criteria if c in texts.CRITERIA]
    return "、".join(named) if named else texts.NO_CRITERIA


def files_summary(files: Sequence[Attachment]) -> str:
    """A version's files in a few words: one by its name, several counted by kind."""
    if len(files) == 1:
        only = files[0]
        return only.name or texts.FILE_KIND_NAMES.get(only.kind, "")
    photos = sum(1 for f in files if f.kind == "photo")
    documents = len(files) - photos
    counted = [
        texts.FILES_PHOTOS.format(count=photos) if photos else "",
        texts.FILES_DOCUMENTS.format(count=documents) if documents else "",
    ]
    return "、".join(part for part in counted if part)


def intake_card(draft: Draft, version: Version) -> str:
    """The submitter's card while choosing category, attribution and originality."""
    attachment: Field = (
        Part(texts.INTAKE_ATTACHMENT, file=files_summary(version.files))
        if version.files
        else Html("")
    )
    no_body = Html(texts.INTAKE_NO_BODY if not version.body.strip() else "")
    return fit(
        texts.INTAKE_CARD,
        id=draft.id,
        title=draft.title,
        category=_or_unset(draft.category),
        attribution=_attribution(draft),
        original=Html(_original(draft)),
        urgent=Html(texts.YES if draft.urgent else texts.NO),
        attachment=joined([attachment, no_body, _preview(version), _note(version)]),
    ).html


INTAKE_PREVIEW_CHARS = 80


def _preview(version: Version) -> Field:
    """The start of the text read from a file, and its length, so a wrong file shows at once."""
    if not version.documents or not version.body:
        return Html("")
    count = sum(1 for ch in version.body if not ch.isspace())
    flat = " ".join(version.body.split())
    return Part(texts.INTAKE_PREVIEW, count=count, preview=excerpt(flat, INTAKE_PREVIEW_CHARS))


def _note(version: Version) -> Field:
    return Part(texts.NOTE_LINE, note=version.note) if version.note else Html("")


def _body_text(draft: Draft, version: Version) -> str:
    """The version's text without a first line that only repeats the title (shown above it)."""
    body = version.body.strip()
    first, _, rest = body.partition("\n")
    if first.strip() == draft.title.strip():
        return rest.strip()
    return body


def content_part(draft: Draft, version: Version) -> Part:
    """What a card shows first: the title once, the text (whole, or an excerpt when the full
    text comes as a file before the card), the file's name and the officer's 附言."""
    body = _body_text(draft, version)
    long = len(version.body) > CARD_EXCERPT_CHARS
    shown = excerpt(body, LONG_EXCERPT_CHARS if long else CARD_EXCERPT_CHARS) if body else ""
    pieces: list[Field] = [
        Html(texts.CARD_URGENT if draft.urgent else ""),
        Part(texts.CARD_TITLE, title=draft.title),
        Part(texts.CARD_BODY, excerpt=shown) if shown else Html(""),
        Html(texts.CARD_FULL_TEXT.format(chars=len(version.body)) if long else ""),
        Part(texts.CARD_FILE, file=files_summary(version.files)) if version.files else Html(""),
        Part(texts.CARD_NOTE, note=version.note) if version.note else Html(""),
    ]
    return Part("{c}", c=joined(pieces))


def meta_part(draft: Draft, names: Names, laid_out: bool) -> Part:
    """Category, attribution, originality and people on one line; 排版 only when this version
    went through layout."""
    if draft.original is None:
        original = texts.CARD_ORIGINAL_UNSET
    else:
        original = texts.CARD_ORIGINAL if draft.original else texts.CARD_NOT_ORIGINAL
    editor = (
        texts.CARD_META_EDITOR.format(editor=names(draft.editor_id))
        if laid_out and draft.editor_id is not None
        else ""
    )
    return Part(
        texts.CARD_META,
        category=_or_unset(draft.category),
        attribution=_attribution(draft),
        original=Html(original),
        submitter=Html(names(draft.submitter_id)),
        editor=Html(editor),
    )


@dataclass(frozen=True, slots=True)
class Revision:
    """Why the version before this one was rejected, and what changed since."""

    previous: int
    decision: Decision | None
    diff: Compact


def _revision(revision: Revision | None, names: Names) -> Field:
    if revision is None:
        return Html("")
    decision = revision.decision
    tier = decision.tier if decision else 0
    diff = revision.diff.html + (texts.REVISION_DIFF_FILE if revision.diff.cut else "")
    return Part(
        texts.REVISION_SECTION,
        previous=revision.previous,
        tier=tier or texts.NOBODY,
        tier_name=Html(texts.TIER_NAMES.get(tier, texts.NOBODY)),
        reviewer=Html(names(decision.reviewer_id) if decision else texts.NOBODY),
        criteria=Html(criteria_text(decision.criteria) if decision else texts.NO_CRITERIA),
        reason=decision.reason if decision else "",
        diff=Html(diff),
    )


def editing_card(
    draft: Draft,
    version: Version,
    names: Names,
    revision: Revision | None = None,
    returned: bool = False,
) -> str:
    """The editors' card for a draft in (or past) layout: the content and 附言 first, the
    header saying where the draft stands now."""
    if draft.state is DraftState.EDITING:
        header = texts.EDITING_HEADERS["editing"]
        if returned and draft.editor_id:
            status_line = texts.EDITING_RETURNED.format(editor=names(draft.editor_id))
        elif draft.editor_id:
            status_line = texts.EDITING_CLAIMED.format(editor=names(draft.editor_id))
        else:
            status_line = texts.EDITING_UNCLAIMED
    elif draft.state in (DraftState.INTAKE, DraftState.WITHDRAWN, DraftState.BLOCKED):
        header = texts.EDITING_HEADERS["closed"].format(state=texts.STATE_NAMES[draft.state])
        status_line = texts.EDITING_CLOSED.format(state=texts.STATE_NAMES[draft.state])
    else:
        header = texts.EDITING_HEADERS["sent"]
        status_line = texts.EDITING_SENT.format(
            editor=names(draft.editor_id), version=draft.version
        )
    return fit(
        texts.EDITING_CARD,
        id=draft.id,
        header=Html(header),
        version=version.number,
        content=joined([content_part(draft, version), _revision(revision, names)]),
        meta=meta_part(draft, names, laid_out=False),
        status=Html(status_line),
    ).html


def decided_by(decision: Decision, names: Names) -> str:
    """Who decided, how and when, for "already decided" answers."""
    return texts.DECIDED_BY.format(
        reviewer=names(decision.reviewer_id),
        outcome=texts.OUTCOME_WORDS[decision.outcome],
        at=fmt_time(decision.decided_at, names.tz),
    )


def review_card(
    draft: Draft,
    version: Version,
    tier: int,
    decisions: Sequence[Decision],
    names: Names,
    laid_out: bool,
    warnings: Sequence[Mapping[str, object]] = (),
    revision: Revision | None = None,
) -> str:
    """A tier's review card for one version: the content first, then what the last version was
    rejected for and what changed, the metadata on one line, the tiers passed, the outcome."""
    steps = [
        texts.CARD_TRAIL_STEP.format(tier=d.tier, reviewer=names(d.reviewer_id))
        for d in decisions
        if d.tier < tier and d.outcome == "approve"
    ]
    trail = texts.CARD_TRAIL.format(steps=" · ".join(steps)) if steps else ""
    mine = next((d for d in decisions if d.tier == tier), None)
    header = texts.REVIEW_HEADERS["pending" if mine is None else mine.outcome]
    closed = ""
    outcome: Field
    if mine is not None and mine.outcome == "approve":
        outcome = Html(
            texts.OUTCOME_APPROVED.format(
                reviewer=names(mine.reviewer_id), at=fmt_time(mine.decided_at, names.tz)
            )
        )
    elif mine is not None:
        outcome = Part(
            texts.OUTCOME_REJECTED,
            reviewer=Html(names(mine.reviewer_id)),
            at=Html(fmt_time(mine.decided_at, names.tz)),
            criteria=Html(criteria_text(mine.criteria)),
            reason=mine.reason,
        )
    elif draft.version != version.number:
        closed = texts.CARD_SUPERSEDED
        outcome = Html(texts.OUTCOME_SUPERSEDED.format(version=draft.version))
    elif draft.state is DraftState.WITHDRAWN:
        closed = texts.STATE_NAMES[draft.state]
        outcome = Html(texts.OUTCOME_CLOSED.format(state=closed))
    else:
        outcome = Html("")
    # A long rejection reason is shortened on the card; the submitter's notice carries it whole.
    if closed:
        header = texts.REVIEW_HEADERS["closed"]
    return fit(
        texts.REVIEW_CARD,
        header=Html(header.format(tier=tier, tier_name=texts.TIER_NAMES[tier], state=closed)),
        id=draft.id,
        version=version.number,
        content=content_part(draft, version),
        warnings=Html(texts.WARN_SECTION.format(hits=hit_lines(warnings)) if warnings else ""),
        revision=_revision(revision, names),
        meta=meta_part(draft, names, laid_out),
        trail=Html(trail),
        outcome=outcome,
    ).html


def notice(template: str, draft: Draft, /, **fields: Field) -> str:
    """A notice about ``draft`` (its ``{id}`` and ``{title}`` filled in), fitted to a message.

    Pass names and other prepared HTML as ``Html``; plain strings are user text.
    """
    return fit(template, id=draft.id, title=draft.title, **fields).html


def rejected_notice(
    draft: Draft,
    version: int,
    tier: int,
    decision: Decision | None,
    names: Names,
    next_step: str = texts.NEXT_STEP_REVIEW,
) -> Fitted:
    """The submitter's notice of a rejection; when the reason had to be shortened, ``cut`` is
    set and ``full_text`` holds the whole notice for a file (see ``bot.overflow``)."""
    return fit(
        texts.REJECTED_NOTICE,
        id=draft.id,
        title=draft.title,
        version=version,
        tier=tier,
        tier_name=texts.TIER_NAMES.get(tier, ""),
        reviewer=Html(names(decision.reviewer_id) if decision else texts.NOBODY),
        criteria=Html(criteria_text(decision.criteria) if decision else texts.NO_CRITERIA),
        reason=decision.reason if decision else "",
        next_step=Html(next_step),
    )


def publish_card(
    draft: Draft,
    names: Names,
    published_by: int | None,
    at: str | None,
    laid_out: bool = False,
) -> str:
    """The editors' card with the 发布 button when publishing is manual; its header follows the
    draft (待发布, 发布中, 已发布)."""
    outcome = (
        texts.PUBLISH_OUTCOME.format(who=names(published_by), at=fmt_time(at, names.tz))
        if at
        else ""
    )
    if draft.state is DraftState.APPROVED:
        header = texts.PUBLISH_HEADERS["approved"]
    elif draft.state is DraftState.PUBLISHING:
        header = texts.PUBLISH_HEADERS["publishing"]
    elif draft.state is DraftState.PUBLISHED:
        header = texts.PUBLISH_HEADERS["published"]
    else:
        header = texts.PUBLISH_HEADERS["closed"].format(state=texts.STATE_NAMES[draft.state])
    return fit(
        texts.PUBLISH_CARD,
        id=draft.id,
        header=Html(header),
        version=draft.version,
        title=Part(texts.CARD_TITLE, title=draft.title),
        meta=meta_part(draft, names, laid_out),
        outcome=Html(outcome),
    ).html


def _header_fields(draft: Draft) -> dict[str, Field]:
    # The public sees a volunteer's post as the union's own, like any other (article 12), and
    # never reads 原创 on work that is not original.
    attribution: Field
    if draft.by_volunteer:
        attribution = Html(
            texts.ATTRIBUTION_NAMES["school"] if draft.original else texts.CHANNEL_ATTR_UNION
        )
    elif draft.attribution == "school" and not draft.original:
        attribution = Html(texts.CHANNEL_ATTR_UNION)
    else:
        attribution = _attribution(draft)
    original = channel_original(draft.attribution, draft.original)
    return {
        "title": draft.title,
        "category": draft.category or "",
        "attribution": attribution,
        "original": Html(texts.CHANNEL_ORIGINAL if original else ""),
    }


def channel_post_chunks(draft: Draft, version: Version) -> list[str]:
    """The channel post for a text draft, split into messages Telegram accepts; the body is
    never cut, only spread over messages."""
    # The header keeps at most half the first message, so the body always starts beside it.
    header = fit(texts.CHANNEL_POST, MESSAGE_LIMIT // 2, body="", **_header_fields(draft)).html
    body = _after_title(draft.title, version.body)
    pieces = split_escaped(body, MESSAGE_LIMIT - visible_units(header), MESSAGE_LIMIT)
    if not pieces:
        return [header.rstrip()]
    return [header + pieces[0], *pieces[1:]]


def channel_caption(draft: Draft, version: Version) -> str:
    """The caption of a file or photo post, within Telegram's 1,024 characters."""
    fitted = fit(
        texts.CHANNEL_CAPTION,
        CAPTION_LIMIT,
        excerpt=_after_title(draft.title, version.body),
        **_header_fields(draft),
    )
    return fitted.html.rstrip()


def _after_title(title: str, body: str) -> str:
    """The body without its first line when that line is the title the post's bold header
    already shows (the usual draft: title, then text), so the public does not read it twice."""
    first, _, rest = body.lstrip().partition("\n")
    return rest.lstrip("\n") if first.strip() == title.strip() else body


def status(
    draft: Draft, decisions: Sequence[Decision], names: Names, state_name: str | None = None
) -> Fitted:
    """The answer to /status; a long rejection reason is shortened (``cut``, see ``Fitted``)."""
    lines = [
        Part(
            texts.STATUS_DECISION,
            icon=Html("✅" if d.outcome == "approve" else "❌"),
            tier=d.tier,
            tier_name=Html(texts.TIER_NAMES[d.tier]),
            reviewer=Html(names(d.reviewer_id)),
            at=Html(fmt_time(d.decided_at, names.tz)),
            extra=Html("")
            if d.outcome == "approve"
            else Part(
                "（{criteria}：{reason}）",
                criteria=Html(criteria_text(d.criteria)),
                reason=d.reason,
            ),
        )
        for d in decisions
    ]
    fitted = fit(
        texts.STATUS.rstrip(),
        id=draft.id,
        title=draft.title,
        state=Html(state_name or texts.STATE_NAMES[draft.state]),
        version=draft.version,
        # The title is in the first line already: the rest on one line, as on the cards.
        summary=joined(
            [
                Html(texts.URGENT_LINE if draft.urgent else ""),
                meta_part(draft, names, laid_out=draft.editor_id is not None),
            ]
        ),
        decisions=joined(lines),
    )
    return Fitted(fitted.html.rstrip(), fitted.cut, fitted.full_text)


def history(draft: Draft, events: Sequence[AuditEvent], names: Names) -> list[Fitted]:
    """The audit trail as lines, oldest first, each within one message."""
    lines = [fit(texts.HISTORY_HEADER, id=draft.id)]
    for event in events:
        detail = event.detail
        extra: list[Field] = []
        if "tier" in detail:
            extra.append(Html(f" · 第 {detail['tier']} 级"))
        if "refusal" in detail:
            code = str(detail["refusal"])
            label = next((v for k, v in texts.REFUSAL_LABELS.items() if k.value == code), code)
            extra.append(Part(" · {label}", label=label))
        if detail.get("reason"):
            extra.append(Part(" · {reason}", reason=str(detail["reason"])))
        if detail.get("url"):
            # Where an approved version went out (/posted) and what its check read.
            extra.append(Part(" · {url}", url=str(detail["url"])))
        if isinstance(to := detail.get("to"), int):
            extra.append(Html(texts.HISTORY_HANDED_TO.format(who=names(to))))
        if isinstance(principal := detail.get("on_behalf_of"), int):
            extra.append(Html(texts.HISTORY_ON_BEHALF.format(reviewer=names(principal))))
        lines.append(
            fit(
                texts.HISTORY_LINE,
                at=Html(fmt_time(event.at, names.tz)),
                actor=Html(names(event.actor_id) if event.actor_id else texts.SYSTEM_ACTOR),
                action=Html(texts.ACTIONS[event.action])
                if event.action in texts.ACTIONS
                else event.action,
                version=Html(
                    texts.HISTORY_VERSION.format(version=event.version) if event.version else ""
                ),
                detail=joined(extra),
            )
        )
    return lines
