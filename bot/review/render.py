"""Telegram-HTML text for cards, notices and lists, built from storage records and the texts.

Pure functions: no Telegram objects, no I/O. Every piece of user text is escaped here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot import texts
from bot.documents import excerpt
from bot.formatting import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    Names,
    e,
    fit_escaped,
    fmt_time,
    hit_lines,
    split_escaped,
)
from storage.models import AuditEvent, Decision, Draft, DraftState, Version

__all__ = [
    "CARD_EXCERPT_CHARS",
    "attribution_text",
    "channel_caption",
    "channel_post_chunks",
    "criteria_text",
    "decided_by",
    "editing_card",
    "history",
    "intake_card",
    "publish_card",
    "review_card",
    "status",
    "summary",
]

CARD_EXCERPT_CHARS = 600


def attribution_text(draft: Draft) -> str:
    """How the draft is attributed (article 12), escaped."""
    if draft.by_volunteer:
        return texts.ATTR_VOLUNTEER
    if draft.attribution is None:
        return texts.UNSET
    if draft.attribution == "college":
        return texts.INTAKE_ATTR_COLLEGE.format(college=e(draft.college) or texts.UNSET)
    if draft.attribution == "repost":
        return texts.INTAKE_ATTR_REPOST.format(source=e(draft.source) or texts.UNSET)
    return texts.ATTRIBUTION_NAMES[draft.attribution]


def _original(draft: Draft) -> str:
    if draft.original is None:
        return texts.UNSET
    return texts.YES if draft.original else texts.NO


def summary(draft: Draft, names: Names) -> str:
    """The lines every card shares: title, category, attribution, people."""
    return texts.SUMMARY.format(
        urgent=texts.URGENT_LINE if draft.urgent else "",
        title=e(draft.title),
        category=e(draft.category) or texts.UNSET,
        attribution=attribution_text(draft),
        original=_original(draft),
        submitter=names(draft.submitter_id),
        editor=names(draft.editor_id),
    )


def criteria_text(criteria: Sequence[str]) -> str:
    """The failed criteria by name."""
    named = [texts.CRITERIA[c] for c in criteria if c in texts.CRITERIA]
    return "、".join(named) if named else texts.NO_CRITERIA


def intake_card(draft: Draft, version: Version) -> str:
    """The submitter's card while choosing category, attribution and originality."""
    attachment = (
        texts.INTAKE_ATTACHMENT.format(file=e(version.file_name or version.file_kind))
        if version.file_kind
        else ""
    )
    return texts.INTAKE_CARD.format(
        id=draft.id,
        title=e(draft.title),
        category=e(draft.category) or texts.UNSET,
        attribution=attribution_text(draft),
        original=_original(draft),
        urgent=texts.YES if draft.urgent else texts.NO,
        attachment=attachment + _note(version),
    )


def _note(version: Version) -> str:
    return texts.NOTE_LINE.format(note=e(version.note)) if version.note else ""


def editing_card(draft: Draft, names: Names) -> str:
    """The editors' card for a draft in (or past) layout."""
    if draft.state is DraftState.EDITING:
        status_line = (
            texts.EDITING_CLAIMED.format(editor=names(draft.editor_id))
            if draft.editor_id
            else texts.EDITING_UNCLAIMED
        )
    elif draft.state in (DraftState.INTAKE, DraftState.WITHDRAWN, DraftState.BLOCKED):
        status_line = texts.EDITING_CLOSED.format(state=texts.STATE_NAMES[draft.state])
    else:
        status_line = texts.EDITING_SENT.format(
            editor=names(draft.editor_id), version=draft.version
        )
    return texts.EDITING_CARD.format(
        id=draft.id, version=draft.version, summary=summary(draft, names), status=status_line
    )


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
    full_text_attached: bool,
    warnings: Sequence[Mapping[str, object]] = (),
) -> str:
    """A tier's review card for one version, with the outcome once decided."""
    trail = "".join(
        texts.TRAIL_LINE.format(
            tier=d.tier,
            tier_name=texts.TIER_NAMES[d.tier],
            reviewer=names(d.reviewer_id),
            at=fmt_time(d.decided_at, names.tz),
        )
        for d in decisions
        if d.tier < tier and d.outcome == "approve"
    )
    mine = next((d for d in decisions if d.tier == tier), None)
    if mine is not None and mine.outcome == "approve":
        outcome = texts.OUTCOME_APPROVED.format(
            reviewer=names(mine.reviewer_id), at=fmt_time(mine.decided_at, names.tz)
        )
    elif mine is not None:
        outcome = texts.OUTCOME_REJECTED.format(
            reviewer=names(mine.reviewer_id),
            at=fmt_time(mine.decided_at, names.tz),
            criteria=criteria_text(mine.criteria),
            reason=e(mine.reason),
        )
    elif draft.version != version.number:
        outcome = texts.OUTCOME_SUPERSEDED.format(version=draft.version)
    elif draft.state is DraftState.WITHDRAWN:
        outcome = texts.OUTCOME_CLOSED.format(state=texts.STATE_NAMES[draft.state])
    else:
        outcome = ""
    body = version.body or (version.file_name or "")
    return texts.REVIEW_CARD.format(
        tier=tier,
        tier_name=texts.TIER_NAMES[tier],
        id=draft.id,
        version=version.number,
        summary=summary(draft, names),
        note=_note(version),
        warnings=texts.WARN_SECTION.format(hits=hit_lines(warnings)) if warnings else "",
        excerpt=e(excerpt(body, CARD_EXCERPT_CHARS)) or texts.NOBODY,
        full_text_note=texts.FULL_TEXT_ATTACHED if full_text_attached else "",
        trail=trail,
        outcome=outcome,
    )


def publish_card(draft: Draft, names: Names, published_by: int | None, at: str | None) -> str:
    """The editors' card with the 发布 button when publishing is manual."""
    outcome = (
        texts.PUBLISH_OUTCOME.format(who=names(published_by), at=fmt_time(at, names.tz))
        if at
        else ""
    )
    return texts.PUBLISH_CARD.format(
        id=draft.id, version=draft.version, summary=summary(draft, names), outcome=outcome
    )


def _header_fields(draft: Draft) -> dict[str, str]:
    # The public sees a volunteer's post as the union's own, like any other (article 12).
    attribution = (
        texts.ATTRIBUTION_NAMES["school"] if draft.by_volunteer else attribution_text(draft)
    )
    return {
        "title": e(draft.title),
        "category": e(draft.category),
        "attribution": attribution,
        "original": texts.CHANNEL_ORIGINAL if draft.original else "",
    }


def channel_post_chunks(draft: Draft, version: Version) -> list[str]:
    """The channel post for a text draft, split into messages Telegram accepts."""
    header = texts.CHANNEL_POST.format(body="", **_header_fields(draft))
    pieces = split_escaped(version.body, MESSAGE_LIMIT - len(header), MESSAGE_LIMIT)
    if not pieces:
        return [header.rstrip()]
    return [header + pieces[0], *pieces[1:]]


def channel_caption(draft: Draft, version: Version) -> str:
    """The caption of a file or photo post, within Telegram's 1,024 characters."""
    fields = _header_fields(draft)
    room = CAPTION_LIMIT - len(texts.CHANNEL_CAPTION.format(excerpt="", **fields))
    body = version.body
    if fit_escaped(body, room) < len(body):
        body = body[: fit_escaped(body, room - 1)] + "…"
    return texts.CHANNEL_CAPTION.format(excerpt=e(body), **fields).rstrip()


def status(draft: Draft, decisions: Sequence[Decision], names: Names) -> str:
    """The answer to /status."""
    lines = "".join(
        texts.STATUS_DECISION.format(
            icon="✅" if d.outcome == "approve" else "❌",
            tier=d.tier,
            tier_name=texts.TIER_NAMES[d.tier],
            reviewer=names(d.reviewer_id),
            at=fmt_time(d.decided_at, names.tz),
            extra=""
            if d.outcome == "approve"
            else f"（{criteria_text(d.criteria)}：{e(d.reason)}）",
        )
        for d in decisions
    )
    return texts.STATUS.format(
        id=draft.id,
        title=e(draft.title),
        state=texts.STATE_NAMES[draft.state],
        version=draft.version,
        summary=summary(draft, names),
        decisions=lines,
    ).rstrip()


def history(draft: Draft, events: Sequence[AuditEvent], names: Names) -> list[str]:
    """The audit trail as lines, oldest first."""
    lines = [texts.HISTORY_HEADER.format(id=draft.id)]
    for event in events:
        detail = event.detail
        extra = ""
        if "tier" in detail:
            extra += f" · 第 {detail['tier']} 级"
        if "refusal" in detail:
            code = str(detail["refusal"])
            label = next((v for k, v in texts.REFUSAL_LABELS.items() if k.value == code), code)
            extra += f" · {e(label)}"
        if detail.get("reason"):
            extra += f" · {e(str(detail['reason']))}"
        if isinstance(to := detail.get("to"), int):
            extra += texts.HISTORY_HANDED_TO.format(who=names(to))
        if isinstance(principal := detail.get("on_behalf_of"), int):
            extra += texts.HISTORY_ON_BEHALF.format(reviewer=names(principal))
        lines.append(
            texts.HISTORY_LINE.format(
                at=fmt_time(event.at, names.tz),
                actor=names(event.actor_id) if event.actor_id else texts.SYSTEM_ACTOR,
                action=texts.ACTIONS.get(event.action, e(event.action)),
                version=texts.HISTORY_VERSION.format(version=event.version)
                if event.version
                else "",
                detail=extra,
            )
        )
    return lines
