"""A sweep of what users read for the wording slips issue 12 found (``稿件已已撤回。``,
``（（未选））``, ``附件：photo``, ``☑️ —``): every card and notice renderer is fed drafts and
questions in every state, attribution and kind, and the text shown is searched for doubled
words, doubled brackets, English fallbacks and dashes standing where a name should be."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.formatting import Names, plain_text
from bot.inbox.cards import question_card
from bot.review import render
from storage.inbox import Question
from storage.models import Attachment, Decision, Draft, DraftState, User, Version

STAMP = "2026-11-24T08:00:00+00:00"
TZ = ZoneInfo("Asia/Shanghai")
NAMES = Names({1: User(1, "张信息", None, None), 2: User(2, "王编辑", None, None)}, TZ)

# What must never be shown.
SLIPS: dict[str, re.Pattern[str]] = {
    "doubled word": re.compile(r"(已已|的的|了了|被被|在在|为为|将将|是是)"),
    "doubled bracket": re.compile(r"（（|））|\(\(|\)\)|「「|」」|《《|》》"),
    "English fallback": re.compile(
        r"\b(photo|document|video|None|True|False|null|school|college|repost|intake|"
        r"editing|review_\d|withdrawn|rejected|approved|published|refresh|review_card)\b"
    ),
    "dash as a name": re.compile(r"(☑️|✅|✋|❌|由|被)\s*—|（—）|—\s*(已|认领|回复)"),
}


def _slips(text: str) -> list[str]:
    shown = plain_text(text)
    return [f"{name}: {m.group(0)!r}" for name, p in SLIPS.items() if (m := p.search(shown))]


def _draft(
    state: DraftState, attribution: str | None, original: bool | None, detail: bool
) -> Draft:
    return Draft(
        id=12,
        submitter_id=1,
        editor_id=2 if state not in (DraftState.INTAKE, DraftState.EDITING) else None,
        title="校运会报道",
        category="活动报道",
        attribution=attribution,
        college="计算机学院" if detail and attribution == "college" else None,
        source="某公众号" if detail and attribution == "repost" else None,
        original=original,
        state=state,
        version=1,
        origin_chat_id=1,
        created_at=STAMP,
        updated_at=STAMP,
    )


def _version(kind: str | None, named: bool, body: str = "正文" * 20) -> Version:
    """A version with one file of ``kind`` (none for None), or an album's several ("album")."""
    name = "稿件.docx" if kind == "document" and named else None
    if kind == "album":
        files = (
            Attachment("photo", "p1", "u1", size=10),
            Attachment("photo", "p2", "u2", size=10),
            Attachment("document", "d1", "u3", name="报名表.docx", size=10),
        )
    elif kind is not None:
        files = (Attachment(kind, "f", "u", name=name, size=10),)
    else:
        files = ()
    return Version(12, 1, 1, body, "", "h", STAMP, files)


def _drafts() -> Iterator[Draft]:
    for state, attribution, original, detail in itertools.product(
        DraftState, (None, "school", "college", "repost"), (None, True, False), (True, False)
    ):
        yield _draft(state, attribution, original, detail)


def _rendered() -> Iterator[tuple[str, str]]:
    decisions = [Decision(1, 12, 1, 1, "h", 2, "approve", (), "", STAMP)]
    for draft in _drafts():
        where = f"{draft.state.value}/{draft.attribution}/{draft.original}"
        for kind, named in (
            (None, False),
            ("photo", False),
            ("document", True),
            ("document", False),
            ("album", False),
        ):
            yield f"intake {where} {kind}", render.intake_card(draft, _version(kind, named))
        untitled = _version("album", False, body="")
        yield f"intake {where} album without text", render.intake_card(draft, untitled)
        yield f"editing {where} album", render.editing_card(draft, _version("album", False), NAMES)
        yield f"editing {where}", render.editing_card(draft, _version(None, False), NAMES)
        yield f"status {where}", render.status(draft, decisions, NAMES).html
        if draft.attribution is not None:
            yield f"channel {where}", render.channel_caption(draft, _version("photo", False))
    for state, claimed, settled in itertools.product(
        ("open", "answered", "resolved"), (None, 2), (None, 2)
    ):
        question = Question(3, 1, "路人甲", state, claimed, STAMP, None, None, None, settled)
        yield (
            f"question {state}/{claimed}/{settled}",
            question_card(question, "宿舍报修找谁？", NAMES).html,
        )


@pytest.mark.parametrize(("where", "text"), list(_rendered()), ids=lambda v: str(v)[:60])
def test_no_wording_slip_reaches_a_user(where: str, text: str) -> None:
    assert _slips(text) == [], where


def test_the_sweep_catches_the_slips_it_was_written_for() -> None:
    for seen in ("稿件已已撤回。", "院级承办（（未选））", "附件：photo", "☑️ — 已标记为已处理"):
        assert _slips(seen), seen


def test_no_template_puts_a_state_after_已() -> None:
    # State names carry their own 已 (已撤回, 已发布): a template must not add another.
    starts = {name[0] for name in texts.STATE_NAMES.values()}
    assert "已" in starts
    for name in dir(texts):
        value = getattr(texts, name)
        if name.isupper() and isinstance(value, str):
            assert "已{state}" not in value, name
