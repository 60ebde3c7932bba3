"""Albums at intake: one draft per album whatever item carries the caption, the text asked for
when none does, and no more files than one album holds (issue 12)."""

from __future__ import annotations

from telegram.ext import Application

from bot import texts
from bot.services import SERVICES_KEY
from commands.followup import MergeTap
from storage.models import CATEGORIES, MAX_FILES, DraftState
from tests.e2e.harness import Union, has_text
from tests.e2e.story import fill_intake, say, tap
from tests.emulator import AlbumDocument, AlbumPhoto, BotApiEmulator
from tests.fixtures_docs import make_docx, make_png


async def _current(app: Application) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
    """Each draft's id, current version, body and its files' kinds."""
    db = app.bot_data[SERVICES_KEY].db
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT d.id, d.version, v.body, (SELECT group_concat(f.file_kind) FROM"
            " version_files f WHERE f.draft_id = d.id AND f.number = d.version)"
            " FROM drafts d JOIN versions v ON v.draft_id = d.id AND v.number = d.version"
            " ORDER BY d.id"
        )
    return [tuple(row) for row in rows]


async def test_an_album_without_text_is_asked_for_it_before_it_goes_on(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    officer = union.officer
    await officer.send_album([AlbumPhoto(make_png(3, 3)), AlbumPhoto(make_png(4, 4))])
    card = await emu.wait_for_message(officer, has_text("请用下面的按钮"))
    await emu.wait_for_edit(card, has_text("附件：2 张图片"))
    assert "正文：还没有" in card.text
    for button in (CATEGORIES[1], texts.BUTTON_SCHOOL, texts.BUTTON_ORIGINAL):
        await tap(officer, card, button)
    mark = emu.mark()
    refused = await tap(officer, card, texts.BUTTON_CONFIRM)
    assert refused == texts.INTAKE_MISSING.format(missing="正文")
    ask = await emu.wait_for_message(officer, has_text("还没有正文"), since=mark)
    assert [row[0] for row in await _current(app)] == [1]

    await officer.send_text("篮球赛决赛\n经管学院夺冠。", reply_to=ask)
    await emu.wait_for_message(officer, has_text(texts.APPENDED.format(id=1)))
    await emu.wait_for_edit(card, lambda m: "正文：还没有" not in m.text)
    [(_, version, body, kinds)] = await _current(app)
    assert (version, body, kinds) == (3, "篮球赛决赛\n经管学院夺冠。", "photo,photo")
    await tap(officer, card, texts.BUTTON_CONFIRM)
    await emu.wait_for_edit(card, has_text("已提交"))


async def test_a_caption_on_a_later_item_is_the_album_s_text(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    officer = union.officer
    await officer.send_album(
        [
            AlbumDocument("报名表.docx", make_docx(["报名表", "姓名、学号"])),
            AlbumDocument("海报.png", make_png(6, 6), caption="歌手大赛报名开始"),
        ]
    )
    card = await emu.wait_for_message(officer, has_text("请用下面的按钮"))
    await emu.wait_for_edit(card, has_text("附件：2 个文件"))
    [(_, _, body, kinds)] = await _current(app)
    assert body == "报名表\n姓名、学号\n\n歌手大赛报名开始" and kinds == "document,document"
    assert "正文：还没有" not in card.text


async def test_no_draft_carries_more_files_than_one_album_holds(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    officer = union.officer
    pictures = [AlbumPhoto(make_png(2 + n, 2)) for n in range(MAX_FILES)]
    await officer.send_album([AlbumPhoto(make_png(1, 1), caption="运动会图集"), *pictures[1:]])
    card = await emu.wait_for_message(officer, has_text("请用下面的按钮"))
    await emu.wait_for_edit(card, has_text(f"附件：{MAX_FILES} 张图片"))

    mark = emu.mark()
    await officer.send_photo(make_png(20, 20), caption="再加一张")
    offer = await emu.wait_for_message(officer, has_text("它还没有提交"), since=mark)
    refused = await tap(officer, offer, texts.BUTTON_APPEND.format(id=1))
    assert refused == texts.refusal(
        texts.Refusal.TOO_MANY_FILES, id=1, count=MAX_FILES, limit=MAX_FILES
    )
    [(_, version, _, kinds)] = await _current(app)
    assert version == MAX_FILES and kinds == ",".join(["photo"] * MAX_FILES)


async def test_an_album_after_a_title_is_offered_once_to_the_draft_at_intake(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    officer = union.officer
    await officer.send_text("校运会开幕")
    first = await emu.wait_for_message(officer, has_text("请用下面的按钮"))
    mark = emu.mark()
    sent = await officer.send_album(
        [
            AlbumPhoto(make_png(3, 3), caption="田径场，三千名同学参加。"),
            AlbumPhoto(make_png(4, 4)),
            AlbumPhoto(make_png(5, 5)),
        ]
    )
    second = await emu.wait_for_message(officer, has_text("请用下面的按钮"), since=mark)
    await emu.wait_for_edit(second, has_text("附件：3 张图片"))
    offer = await emu.wait_for_message(officer, has_text("这组相册已作为稿件 #2"), since=mark)
    assert offer.button_texts == [texts.BUTTON_MERGE.format(id=1), texts.BUTTON_MERGE_KEEP]
    # One question for the whole album, none per photo.
    assert not [m for m in emu.messages(officer) if "追加到稿件" in m.text]

    await tap(officer, offer, texts.BUTTON_MERGE.format(id=1))
    await emu.wait_for_message(officer, has_text(texts.MERGED.format(album=2, id=1)))
    await emu.wait_for_edit(first, has_text("附件：3 张图片"))
    await emu.wait_for_edit(second, has_text("已取消"))
    rows = await _current(app)
    assert rows[0] == (1, 2, "校运会开幕\n\n田径场，三千名同学参加。", "photo,photo,photo")
    db = app.bot_data[SERVICES_KEY].db
    async with db.reading() as conn:
        state = await (await conn.execute("SELECT state FROM drafts WHERE id = 2")).fetchone()
    assert state is not None and state[0] == "withdrawn"
    # An item of the album arriving late now joins the draft it was folded into.
    group = sent[0].media_group_id
    assert group is not None
    joined = await app.bot_data[SERVICES_KEY].pipeline.album_draft(officer.id, group)
    assert joined is not None and joined.id == 1
    # The buttons are gone; the same tap sent again changes nothing: the album's draft is gone.
    assert offer.button_texts == []
    handle = await officer.tap_forged(offer, MergeTap(2, 1, True).encode())
    again = (await handle.wait_answer()).text or ""
    assert "不能再操作" in again
    assert (await _current(app))[0][1] == 2


async def test_the_rest_of_an_album_stopped_by_screening_starts_no_draft(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    officer = union.officer
    await say(union, union.admin, "/kw add 校园抽奖 block 欺诈/广告")
    mark = emu.mark()
    await officer.send_album(
        [
            AlbumPhoto(make_png(3, 3), caption="校园抽奖活动开始"),
            AlbumPhoto(make_png(4, 4)),
            AlbumPhoto(make_png(5, 5)),
        ]
    )
    blocked = await emu.wait_for_message(officer, has_text("不能进入审核"), since=mark)
    left = texts.ALBUM_ITEM_LEFT_OUT.format(id=1, state=texts.STATE_NAMES[DraftState.BLOCKED])
    await emu.wait_for_message(officer, has_text(left), since=mark)
    await emu.wait_for_message(officer, has_text(left), since=mark)
    assert [row[0] for row in await _current(app)] == [1]
    assert not [m for m in emu.messages(officer) if "请用下面的按钮" in m.text]

    # The whole album again, clean, in reply to the notice: the draft is back at intake with
    # every photo of the new album (and none of the old one).
    mark = emu.mark()
    await officer.send_album(
        [
            AlbumPhoto(make_png(6, 6), caption="校园开放日活动开始"),
            AlbumPhoto(make_png(7, 7)),
            AlbumPhoto(make_png(8, 8)),
        ],
        reply_to=blocked,
    )
    card = await emu.wait_for_message(officer, has_text("请用下面的按钮"), since=mark)
    await emu.wait_for_edit(card, has_text("附件：3 张图片"))
    [(_, _, body, kinds)] = await _current(app)
    assert body == "校园开放日活动开始" and kinds == "photo,photo,photo"


async def test_an_album_kept_as_a_new_draft_leaves_the_earlier_one_alone(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    officer = union.officer
    await officer.send_text("社团招新")
    await emu.wait_for_message(officer, has_text("请用下面的按钮"))
    mark = emu.mark()
    await officer.send_album(
        [AlbumPhoto(make_png(3, 3), caption="篮球赛图集"), AlbumPhoto(make_png(4, 4))]
    )
    offer = await emu.wait_for_message(officer, has_text("这组相册已作为稿件 #2"), since=mark)
    await tap(officer, offer, texts.BUTTON_MERGE_KEEP)
    await emu.wait_for_edit(offer, lambda m: not m.buttons)
    assert await _current(app) == [
        (1, 1, "社团招新", None),
        (2, 2, "篮球赛图集", "photo,photo"),
    ]


async def test_an_editor_s_layout_sent_as_an_album_is_one_version(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    await union.officer.send_text("迎新晚会回顾\n本次晚会共有两千名同学参加。")
    card = await emu.wait_for_message(union.officer, has_text("请用下面的按钮"))
    await fill_intake(union, card)
    editing = await emu.wait_for_message(union.editors, has_text("待排版"))
    await tap(union.editor, editing, texts.BUTTON_CLAIM)
    await emu.wait_for_edit(editing, has_text("已认领"))
    await union.editor.send_album(
        [
            AlbumPhoto(make_png(9, 9), caption="迎新晚会回顾\n两千名同学参加，现场图见下。"),
            AlbumPhoto(make_png(10, 10)),
            AlbumPhoto(make_png(11, 11)),
        ],
        chat=union.editors,
        reply_to=editing,
    )
    await emu.wait_for_message(union.editors, has_text("排版稿（第 4 版）"))
    [(_, version, body, kinds)] = await _current(app)
    assert (version, kinds) == (4, "photo,photo,photo")
    assert body == "迎新晚会回顾\n两千名同学参加，现场图见下。"
    await tap(union.editor, editing, texts.BUTTON_SEND)
    review = await emu.wait_for_message(union.tier1, has_text("第 1 级审核"))
    assert "第 4 版" in review.text and "3 张图片" in review.text


async def test_an_album_from_someone_who_cannot_submit_is_refused_once(
    app: Application,  # type: ignore[type-arg]
    union: Union,
    emu: BotApiEmulator,
) -> None:
    admin = union.admin
    await admin.send_album([AlbumPhoto(make_png(3 + i, 3), caption="活动照片") for i in range(3)])
    refusal = await emu.wait_for_message(admin, has_text(texts.NOT_OFFICER_ADMIN[:8]))
    # The next message is answered as usual: the album's other items were not.
    await say(union, admin, "/help")
    told = [m for m in emu.messages(admin) if m.from_bot]
    assert [m for m in told if m.text == refusal.text] == [refusal]
    assert await _current(app) == []
