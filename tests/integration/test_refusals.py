"""Every refused attempt is on the record and changes nothing: the role x action matrix.

Each role (admin, officer, editor, the three reviewers, a volunteer, a volunteer whose role ended,
a stranger) tries every command and every kind of button it may not use. For each refusal the
test asserts that exactly one more refusal of that person is on the record (its own audit row,
or counted in a flood's summary) and that nothing else in the database changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from telegram.ext import Application

from bot import texts
from bot.members import Actor
from bot.services import SERVICES_KEY, Services
from storage import refusals
from storage.db import stored_time
from storage.models import Role
from tests.e2e.harness import Union, has_text
from tests.e2e.story import card_for, pass_editing, say, submit_text, tap
from tests.emulator import BotApiEmulator, ChatHandle, Message, ScriptedUser

App = Application  # type: ignore[type-arg]

ROLES = (
    "admin",
    "officer",
    "editor",
    "reviewer1",
    "reviewer2",
    "reviewer3",
    "volunteer",
    "expired",
    "stranger",
)
STAFF = frozenset(ROLES) - {"expired", "stranger"}
SUBMITTERS = frozenset({"officer", "volunteer"})
REFUSAL_ACTIONS = (
    "command.refused",
    "callback.refused",
    "callback.forged",
    "review.refused",
    "report.refused",
    "account_change.refused",
    "assessment.refused",
    "publish.refused",
)
# Tables whose rows a refusal must leave alone (outbox and cards: which rows exist).
_STATE = (
    "SELECT * FROM account_changes",
    "SELECT * FROM agenda",
    "SELECT * FROM content_reports",
    "SELECT * FROM decisions",
    "SELECT id, state, version, editor_id, urgent, title FROM drafts",
    "SELECT * FROM handovers",
    "SELECT * FROM lexicon_terms",
    "SELECT * FROM lexicon_whitelist",
    "SELECT * FROM member_roles",
    "SELECT * FROM meta",
    "SELECT * FROM partners",
    "SELECT * FROM publications",
    "SELECT id, state, claimed_by FROM questions",
    "SELECT * FROM reposts",
    "SELECT * FROM standins",
    "SELECT * FROM versions",
    "SELECT id, kind, user_id, closed_at, data FROM prompts",
    "SELECT id, kind, draft_id FROM outbox",
    "SELECT id, draft_id, version, stage, chat_id, message_id FROM cards",
)


def _services(app: App) -> Services:
    found = app.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


async def recorded(app: App, user_id: int) -> int:
    """How many refused attempts of ``user_id`` are on the record (own rows and counted)."""
    marks = ",".join("?" * len(REFUSAL_ACTIONS))
    async with _services(app).db.reading() as conn:
        rows = await conn.execute_fetchall(
            f"SELECT COUNT(*) FROM audit WHERE actor_id = ? AND action IN ({marks})",
            (user_id, *REFUSAL_ACTIONS),
        )
        counted = await conn.execute_fetchall(
            "SELECT COALESCE(SUM(suppressed), 0) FROM refusal_windows WHERE actor_id = ?",
            (user_id,),
        )
    return int(next(iter(rows))[0]) + int(next(iter(counted))[0])


async def state(app: App) -> list[list[tuple[object, ...]]]:
    """Everything a refusal must not change."""
    found = []
    async with _services(app).db.reading() as conn:
        for query in _STATE:
            found.append([tuple(row) for row in await conn.execute_fetchall(query)])
    return found


@dataclass
class Scene:
    """A union with a draft at tier 1 (and a rejection prompt open on it), one in editing, one
    at intake in a group, a student's question, and every role in every group."""

    union: Union
    people: dict[str, ScriptedUser]
    outside: ChatHandle
    review_card: Message
    prompt: Message
    editing_card: Message
    intake_card: Message
    question_card: Message


async def _scene(app: App, union: Union, emu: BotApiEmulator) -> Scene:
    svc = _services(app)
    volunteer = emu.add_user(2010, "周志愿", username="zhou_zy")
    expired = emu.add_user(2011, "吴志愿", username="wu_zy")
    admin = Actor(union.admin.id, union.admin.name)
    for person in (volunteer, expired):
        user = await svc.members.ensure_user(person.id, person.name)
        await svc.members.grant(admin, user, [Role.VOLUNTEER], svc.members.today() + timedelta(30))
    async with svc.db.transaction() as tx:
        await tx.execute(
            "UPDATE member_roles SET expires_at = ? WHERE user_id = ?",
            (stored_time(svc.db.clock() - timedelta(minutes=1)), expired.id),
        )
    people = {
        "admin": union.admin,
        "officer": union.officer,
        "editor": union.editor,
        "reviewer1": union.reviewer1,
        "reviewer2": union.reviewer2,
        "reviewer3": union.reviewer3,
        "volunteer": volunteer,
        "expired": expired,
        "stranger": union.stranger,
    }
    outside = emu.add_group(-1002000000077, "校外交流群", members=list(people.values()))
    for chat in (union.editors, union.tier1, union.tier2, union.inbox):
        for person in people.values():
            chat.add_member(person)

    await submit_text(union, "一审中的稿件\n正文")
    await pass_editing(union)
    review_card = await card_for(union, union.tier1, 1, 1, 1)
    await tap(union.reviewer1, review_card, texts.BUTTON_REJECT)
    prompt = await emu.wait_for_message(union.tier1, has_text("未达标的标准"))

    await submit_text(union, "排版中的稿件\n正文")
    editing_card = await emu.wait_for_message(
        union.editors, lambda m: "待排版" in m.text and "#2" in m.text
    )

    source = await union.stranger.send_text("校外来稿\n正文", chat=union.tier1)
    await union.officer.send_text("/submit", chat=union.tier1, reply_to=source)
    intake_card = await emu.wait_for_message(union.tier1, has_text("请用下面的按钮"))

    await union.stranger.send_text("请问怎么投稿？")
    question_card = await emu.wait_for_message(
        union.inbox, lambda m: texts.BUTTON_QUESTION_CLAIM in m.button_texts
    )
    return Scene(
        union, people, outside, review_card, prompt, editing_card, intake_card, question_card
    )


def _admin_only(role: str) -> bool:
    return role != "admin"


def _staff_only(role: str) -> bool:
    return role not in STAFF


def _everyone(role: str) -> bool:
    return True


# (what is typed, refused for whom); typed privately to the bot.
PRIVATE_COMMANDS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("/role list", _admin_only),
    ("/role add @zhang_xx editor", _admin_only),
    ("/kw add 测试禁词 block 谣言", _admin_only),
    ("/kw list", _admin_only),
    ("/kw test 测试", _staff_only),
    ("/meeting", _staff_only),
    ("/meeting set 每周一 19:00", _admin_only),
    ("/meeting off", _admin_only),
    ("/agenda 新学期计划", _staff_only),
    ("/partner list", _staff_only),
    ("/partner add @partner_ch 合作单位", _admin_only),
    ("/partner del 1", _admin_only),
    ("/audit", _admin_only),
    ("/outbox", _admin_only),
    ("/jubao", _admin_only),
    ("/urgent 1", _admin_only),
    ("/withdraw 1", lambda r: r not in ("officer", "admin")),
    ("/revise 1", _everyone),
    ("/status 1", _staff_only),
    ("/history 1", _staff_only),
    ("/pending", _staff_only),
    ("/inbox", _staff_only),
    ("/account_change", _staff_only),
    ("/account_changes", _staff_only),
    ("/away 明天", _staff_only),
    ("/handover 1 @zhao_bz", _staff_only),
)
# Typed in a group the union does not run: draft details are never shown there.
OUTSIDE_COMMANDS = ("/status 1", "/history 1", "/my", "/pending")


async def _refused_once(app: App, who: ScriptedUser, act: Callable[[], object]) -> None:
    before, was = await recorded(app, who.id), await state(app)
    await act()  # type: ignore[misc]
    assert await recorded(app, who.id) == before + 1
    assert await state(app) == was


async def _command(scene: Scene, role: str, text: str, chat: ChatHandle | None = None) -> None:
    who = scene.people[role]
    kwargs = {} if chat is None else {"chat": chat}
    answer = await say(scene.union, who, text, **kwargs)
    assert answer.text, (role, text)


async def _tap(who: ScriptedUser, message: Message, button: str | None, data: str) -> None:
    handle = await (who.tap(message, button) if button else who.tap_forged(message, data))
    assert (await handle.wait_answer()).text, (who.name, data)


def _data(message: Message, button: str) -> str:
    found = [d for row in message.buttons for text, d in row if text == button and d]
    assert found, button
    return found[0]


def _taps(scene: Scene, role: str) -> list[tuple[Message, str | None, str]]:
    """(message, button to press or None for forged data, data) refused for ``role``."""
    taps: list[tuple[Message, str | None, str]] = [
        # Data the bot never sent; data of another card; a question's data on a draft's card.
        (scene.review_card, None, "zz:9"),
        (scene.editing_card, None, "rv:1:1:1:a"),
        (scene.review_card, None, "ed:2:1:c"),
        (scene.review_card, None, "in:3:c0"),
        (scene.review_card, None, "iq:1:c"),
        (scene.review_card, None, "pb:1:1"),
        (scene.review_card, None, "jb:1"),
        (scene.review_card, None, "ac:999:x"),
        (scene.review_card, None, "rp:1"),
        # The rejection prompt's own data, pressed on the card it answers.
        (scene.review_card, None, _data(scene.prompt, texts.BUTTON_REASON)),
    ]
    if role != "reviewer1":
        taps += [
            (scene.review_card, texts.BUTTON_APPROVE, ""),
            (scene.prompt, texts.BUTTON_REASON, ""),
            # 发卡片 under /pending: the tier-1 card again, for tier-1 reviewers only.
            (scene.review_card, None, "pc:1:1:1"),
        ]
    if role != "editor":
        taps.append((scene.editing_card, texts.BUTTON_CLAIM, ""))
    if role != "officer":
        taps.append((scene.intake_card, texts.BUTTON_ORIGINAL, ""))
    if role not in STAFF:
        taps.append((scene.question_card, texts.BUTTON_QUESTION_CLAIM, ""))
    if role != "admin":
        taps.append((scene.review_card, None, "ob:1:s"))
    return taps


@pytest.mark.parametrize(
    "roles",
    [
        ("admin", "officer", "editor"),
        ("reviewer1", "reviewer2", "reviewer3"),
        ("volunteer", "expired", "stranger"),
    ],
    ids=["admin-officer-editor", "reviewers", "volunteers-stranger"],
)
async def test_every_refusal_is_recorded_and_changes_nothing(
    app: App, union: Union, emu: BotApiEmulator, roles: tuple[str, ...]
) -> None:
    scene = await _scene(app, union, emu)
    for role in roles:
        who = scene.people[role]
        for text, refused_for in PRIVATE_COMMANDS:
            if refused_for(role):
                await _refused_once(app, who, lambda: _command(scene, role, text))  # noqa: B023
        for text in OUTSIDE_COMMANDS:
            await _refused_once(
                app,
                who,
                lambda: _command(scene, role, text, scene.outside),  # noqa: B023
            )
        if role not in SUBMITTERS:
            source = await union.stranger.send_text("另一篇校外来稿", chat=union.tier1)
            await _refused_once(
                app,
                who,
                lambda: _command_reply(scene, role, "/submit", source),  # noqa: B023
            )
        if role != "reviewer1":
            # A reason given in reply to another reviewer's rejection prompt.
            await _refused_once(
                app,
                who,
                lambda: _command_reply(scene, role, "数据有误", scene.prompt),  # noqa: B023
            )
        for message, button, data in _taps(scene, role):
            await _refused_once(
                app,
                who,
                lambda: _tap(who, message, button, data),  # noqa: B023
            )


async def _command_reply(scene: Scene, role: str, text: str, source: Message) -> None:
    """``text`` in the tier-1 group as a reply to someone else's message."""
    who = scene.people[role]
    mark = scene.union.emu.mark()
    await who.send_text(text, chat=scene.union.tier1, reply_to=source)
    await scene.union.emu.wait_for_message(scene.union.tier1, since=mark)


async def _actions_of(app: App, user_id: int) -> list[str]:
    async with _services(app).db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT action FROM audit WHERE actor_id = ? ORDER BY id", (user_id,)
        )
    return [str(r[0]) for r in rows]


async def test_a_flood_of_forged_taps_leaves_a_bounded_trail_and_one_summary(
    app: App, union: Union, emu: BotApiEmulator
) -> None:
    card = await submit_text(union, "洪水测试\n正文")
    before = await _actions_of(app, union.officer.id)
    for n in range(100):
        handle = await union.officer.tap_forged(card, f"zz:{n}")
        # Each person is still told, however many rows the trail keeps.
        assert (await handle.wait_answer()).text == texts.INVALID_BUTTON
    added = (await _actions_of(app, union.officer.id))[len(before) :]
    async with _services(app).db.reading() as conn:
        windows = await refusals.windows(conn, union.officer.id)
    # A hundred taps fall within one minute, or straddle two at most.
    assert 1 <= len(windows) <= 2
    assert sum(w.recorded + w.suppressed for w in windows) == 100
    assert added.count("callback.forged") == sum(w.recorded for w in windows)
    assert added.count("callback.forged") <= refusals.PER_MINUTE * len(windows)
    assert added.count(refusals.FLOOD_ACTION) == sum(1 for w in windows if w.suppressed) >= 1
    assert len(added) <= (refusals.PER_MINUTE + 1) * len(windows)
    # The admins' export says how many were only counted.
    mark = emu.mark()
    await union.admin.send_text("/audit")
    exported = await emu.wait_for_message(union.admin, lambda m: m.document is not None, since=mark)
    counted = sum(w.suppressed for w in windows)
    assert f"另有 {counted} 次被拒绝的操作" in exported.text


async def test_draft_details_are_shown_only_in_the_unions_chats_and_privately_to_staff(
    app: App, union: Union, emu: BotApiEmulator
) -> None:
    await submit_text(union, "保密稿件\n正文")
    outside = emu.add_group(
        -1002000000078, "校外交流群", members=[union.officer, union.reviewer1, union.stranger]
    )
    for text in ("/history 1", "/status 1", "/my", "/pending"):
        for who in (union.officer, union.reviewer1):
            answer = await say(union, who, text, chat=outside)
            assert answer.text == texts.DETAILS_NOT_HERE
            assert "保密稿件" not in answer.text
    assert (await _actions_of(app, union.reviewer1.id)).count("command.refused") == 4
    # In the union's own chats, and privately to staff, the details are there.
    assert "保密稿件" in (await say(union, union.reviewer1, "/status 1", chat=union.tier1)).text
    assert "审计记录" in (await say(union, union.reviewer1, "/history 1")).text
    assert "保密稿件" in (await say(union, union.officer, "/my")).text
    # A stranger is told no privately, too.
    assert (await say(union, union.stranger, "/history 1")).text == texts.NOT_STAFF


async def test_the_meeting_schedule_is_for_members_only(
    app: App, union: Union, emu: BotApiEmulator
) -> None:
    scene = await _scene(app, union, emu)
    shown = await say(union, union.admin, "/meeting set 第2个周三 19:30")
    assert "19:30" in shown.text
    for role in ("expired", "stranger"):
        answer = await say(union, scene.people[role], "/meeting")
        assert answer.text == texts.MEETING_MEMBERS_ONLY
    assert "19:30" in (await say(union, scene.people["volunteer"], "/meeting")).text
    refused = await _actions_of(app, scene.people["stranger"].id)
    assert refused.count("command.refused") == 1


async def test_review_and_inbox_taps_count_only_on_their_own_card(
    app: App, union: Union, emu: BotApiEmulator
) -> None:
    for n in (1, 2):
        await submit_text(union, f"第{n}篇\n正文")
        await pass_editing(union)
    first = await card_for(union, union.tier1, 1, 1, 1)
    second = await card_for(union, union.tier1, 2, 1, 1)
    # Draft 2's 通过, pressed on draft 1's card: forged, and draft 2 is not approved.
    forged = await union.reviewer1.tap_forged(first, "rv:2:1:1:a")
    assert (await forged.wait_answer()).text == texts.INVALID_BUTTON
    async with _services(app).db.reading() as conn:
        decided = await conn.execute_fetchall("SELECT COUNT(*) FROM decisions")
    assert next(iter(decided))[0] == 0
    assert await tap(union.reviewer1, second, texts.BUTTON_APPROVE)
    await card_for(union, union.tier2, 2, 2, 1)

    await union.stranger.send_text("第一个问题")
    await union.stranger.send_text("第二个问题")
    cards = []
    for body in ("第一个问题", "第二个问题"):
        cards.append(
            await emu.wait_for_message(
                union.inbox,
                lambda m: body in m.text and texts.BUTTON_QUESTION_CLAIM in m.button_texts,  # noqa: B023
            )
        )
    forged = await union.editor.tap_forged(cards[1], "iq:1:c")
    assert (await forged.wait_answer()).text == texts.INVALID_BUTTON
    assert await tap(union.editor, cards[0], texts.BUTTON_QUESTION_CLAIM)
    assert (await _actions_of(app, union.editor.id)).count("callback.forged") == 1
    assert (await _actions_of(app, union.reviewer1.id)).count("callback.forged") == 1
