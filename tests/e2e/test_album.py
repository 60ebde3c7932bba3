"""An album is one draft, against the real bot process: three photos sent together with one
caption go through intake, editing and three tiers as one draft, every reviewer sees all three,
the channel posts them as one album, and the approved hash covers every photo (issue 12)."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from storage.drafts import NewContent, content_hash
from storage.models import Attachment
from tests.e2e.harness import BotProcess, Union, has_text
from tests.e2e.story import approve, card_for, fill_intake, pass_editing
from tests.emulator import AlbumPhoto, Message
from tests.fixtures_docs import make_png

CAPTION = "校运会开幕\n本周六上午八点，校运会在田径场开幕，三千名同学参加。"


def _album_of_three(messages: list[Message]) -> list[Message]:
    """The photos of the one album among ``messages``; asserts there is exactly one."""
    photos = [m for m in messages if m.photo is not None]
    groups = {m.media_group_id for m in photos}
    assert len(photos) == 3 and len(groups) == 1 and None not in groups, photos
    return photos


async def test_an_album_of_three_photos_is_one_draft_from_intake_to_the_channel(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    officer = union.officer
    photos = [make_png(4, 4), make_png(5, 5), make_png(6, 6)]
    sent = await officer.send_album(
        [AlbumPhoto(photos[0], caption=CAPTION), AlbumPhoto(photos[1]), AlbumPhoto(photos[2])]
    )
    card = await emu.wait_for_message(officer, has_text("请用下面的按钮"))
    await emu.wait_for_edit(card, has_text("附件：3 张图片"))
    assert "稿件 #1" in card.text and "校运会开幕" in card.text
    # No question per photo and no second draft: the card is the bot's only answer.
    answers = [m for m in emu.messages(officer) if m.sender is not None and m.sender.is_bot]
    assert answers == [card] and card.reply_to_id in (None, sent[0].message_id)
    await fill_intake(union, card)

    # The editors and every tier see the three photos as one album, ahead of the card.
    editing = await pass_editing(union)
    assert "3 张图片" in editing.text
    _album_of_three(emu.messages(union.editors))
    for tier, chat, reviewer in (
        (1, union.tier1, union.reviewer1),
        (2, union.tier2, union.reviewer2),
        (3, union.reviewer3, union.reviewer3),
    ):
        review = await card_for(union, chat, 1, tier, 3)
        assert "3 张图片" in review.text
        shown = _album_of_three(emu.messages(chat))
        assert [m.photo.data for m in shown if m.photo is not None] == photos
        await approve(reviewer, review)

    # The channel posts one album: the three photos, the caption on the first.
    post = await emu.wait_for_message(union.channel, lambda m: m.photo is not None)
    await emu.wait_for(lambda: len(emu.messages(union.channel)) == 3, what="the whole album")
    posted = _album_of_three(emu.messages(union.channel))
    assert posted[0] is post and "校运会开幕" in post.text and "三千名同学" in post.text
    assert [m.photo.data for m in posted if m.photo is not None] == photos
    await emu.wait_for_message(officer, has_text("已发布到频道"))

    # What the three tiers approved is the hash of the text and of every photo, in order.
    with sqlite3.connect(bot.db) as conn:
        body, approved = conn.execute(
            "SELECT body, content_hash FROM versions WHERE draft_id = 1 AND number = 3"
        ).fetchone()
        rows = conn.execute(
            "SELECT file_kind, file_id, file_unique_id, file_sha256 FROM version_files"
            " WHERE draft_id = 1 AND number = 3 ORDER BY position"
        ).fetchall()
        decided = conn.execute("SELECT DISTINCT content_hash FROM decisions").fetchall()
        published = conn.execute("SELECT content_hash, message_id FROM publications").fetchall()
    assert [row[3] for row in rows] == [hashlib.sha256(p).hexdigest() for p in photos]
    files = tuple(Attachment(kind, fid, uid, sha256=sha) for kind, fid, uid, sha in rows)
    assert approved == content_hash(NewContent(body=body, files=files))
    assert approved != content_hash(NewContent(body=body, files=files[:2]))
    assert approved != content_hash(NewContent(body=body, files=(files[0], files[2], files[1])))
    assert decided == [(approved,)] and published == [(approved, post.message_id)]
    assert emu.errors == []


@pytest.mark.union_config(retry_seconds=0.3)
async def test_an_album_the_channel_failed_to_take_is_posted_once_on_retry(
    bot: BotProcess, union: Union
) -> None:
    emu = union.emu
    photos = [make_png(7, 7), make_png(8, 8)]
    await union.officer.send_album([AlbumPhoto(photos[0], caption=CAPTION), AlbumPhoto(photos[1])])
    card = await emu.wait_for_message(union.officer, has_text("请用下面的按钮"))
    await emu.wait_for_edit(card, has_text("附件：2 张图片"))
    await fill_intake(union, card)
    await pass_editing(union)
    await approve(union.reviewer1, await card_for(union, union.tier1, 1, 1, 2))
    await approve(union.reviewer2, await card_for(union, union.tier2, 1, 2, 2))
    # Telegram refuses the album once (it arrives whole or not at all): the outbox tries again.
    fault = emu.fail_next("sendMediaGroup", n=1, kind="http500", chat=union.channel)
    await approve(union.reviewer3, await card_for(union, union.reviewer3, 1, 3, 2))
    await emu.wait_for_message(union.officer, has_text("已发布到频道"))
    assert fault.remaining == 0
    posted = [m for m in emu.messages(union.channel) if m.photo is not None]
    assert [m.photo.data for m in posted if m.photo is not None] == photos
    assert len({m.media_group_id for m in posted}) == 1 and len(emu.messages(union.channel)) == 2
    with sqlite3.connect(bot.db) as conn:
        (message_id,) = conn.execute("SELECT message_id FROM publications").fetchone()
    assert message_id == posted[0].message_id
    # The 定稿 carries each approved photo's bytes, each under a name of its own.
    final = [m.document for m in emu.messages(union.officer) if m.document is not None]
    assert [(f.file_name, f.data) for f in final] == [
        ("稿件1-1.jpg", photos[0]),
        ("稿件1-2.jpg", photos[1]),
    ]
