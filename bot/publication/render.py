"""The 定稿 and the publication record as Telegram HTML (no Telegram imports).

The approved text is never cut: it is spread over as many messages as it needs, each within
Telegram's limit, numbered so a reader knows every part arrived.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot import texts
from bot.formatting import MESSAGE_LIMIT, Html, e, fit, fmt_time, split_escaped, visible_units
from bot.publication.service import FinalView
from storage.publications import PublishedLink

__all__ = ["final_footer", "final_header", "final_text_parts", "link_lines"]

# Room for the part label ("〔正文 12/12〕") ahead of each piece of text.
_LABEL_ROOM = 40


def final_header(view: FinalView, tz: ZoneInfo) -> str:
    """Which draft and version, its title, and the three approvals with names and times."""
    approvals = "\n".join(
        texts.FINAL_APPROVAL.format(
            tier=d.tier,
            role=texts.FINAL_ROLE_NAMES[d.tier],
            name=e(view.name(d.reviewer_id)),
            at=fmt_time(d.decided_at, tz),
        )
        for d in view.approvals
    )
    return fit(
        texts.FINAL_HEADER,
        id=view.draft.id,
        version=view.version.number,
        title=view.draft.title,
        approvals=Html(approvals),
    ).html


def final_text_parts(body: str) -> list[str]:
    """The approved text, whole, over as many messages as it takes, each labelled n/total."""
    room = MESSAGE_LIMIT - _LABEL_ROOM
    pieces = split_escaped(body, room, room)
    total = len(pieces)
    return [
        texts.FINAL_TEXT_PART.format(n=n, total=total, text=piece)
        for n, piece in enumerate(pieces, start=1)
    ]


def link_lines(links: Sequence[PublishedLink]) -> str:
    """One line per recorded publication: where, the link, what its check found."""
    return "\n".join(
        texts.FINAL_LINK_LINE.format(
            platform=e(link.account) if link.account else texts.PLATFORM_NAMES[link.platform],
            url=e(link.url),
            check=texts.CHECK_NAMES[link.check_state],
        ).rstrip()
        for link in links
    )


def final_footer(view: FinalView) -> str:
    """The content hash, the draft box's media id, the records so far, and how to record one."""
    media = texts.FINAL_MEDIA.format(media_id=e(view.media_id)) if view.media_id else ""
    links = texts.FINAL_LINKS.format(lines=link_lines(view.links)) if view.links else ""
    html = texts.FINAL_FOOTER.format(
        hash=view.version.content_hash, media=media, links=links, id=view.draft.id
    )
    if visible_units(html) > MESSAGE_LIMIT:
        # Dozens of records: the newest are in /status; the footer keeps the hash and the way.
        html = texts.FINAL_FOOTER.format(
            hash=view.version.content_hash, media=media, links="", id=view.draft.id
        )
    return html
