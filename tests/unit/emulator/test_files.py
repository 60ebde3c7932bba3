"""Uploads, file ids, getFile and downloads."""

from __future__ import annotations

import struct
import zlib

import pytest
from telegram import Bot
from telegram.error import BadRequest, InvalidToken

from tests.emulator import (
    AlbumDocument,
    AlbumPhoto,
    BotApiEmulator,
    EmulatorUsageError,
    ScriptedUser,
)


def png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    ihdr = b"IHDR" + header
    chunk = struct.pack(">I", len(header)) + ihdr + struct.pack(">I", zlib.crc32(ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk


async def test_document_upload_and_download_round_trip(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    data = "稿件正文".encode() * 100
    sent = await bot.send_document(
        alice.id, data, filename="稿件.docx", caption="<b>请审阅</b>", parse_mode="HTML"
    )
    assert sent.document is not None
    assert sent.document.file_name == "稿件.docx"
    assert (sent.document.mime_type or "").startswith("application/vnd.openxmlformats")
    assert sent.caption == "请审阅"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == data
    stored = emu.last_message(alice)
    assert stored is not None and stored.document is not None
    assert stored.document.data == data
    assert stored.html == "<b>请审阅</b>"
    assert file.file_path == f"{emu.file_url}{emu.token}/{emu.downloads[0]}"


async def test_resend_by_file_id(bot: Bot, alice: ScriptedUser) -> None:
    first = await bot.send_document(alice.id, b"abc", filename="a.txt")
    assert first.document is not None
    again = await bot.send_document(alice.id, first.document.file_id)
    assert again.document is not None
    assert again.document.file_unique_id == first.document.file_unique_id
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_document(alice.id, "no-such-file-id")


async def test_user_document_is_downloadable_by_the_bot(bot: Bot, alice: ScriptedUser) -> None:
    await alice.send_document("活动策划.pdf", b"%PDF-1.4 ...", caption="请审核")
    (update,) = await bot.get_updates()
    document = update.message.document if update.message else None
    assert document is not None and document.mime_type == "application/pdf"
    assert update.message is not None and update.message.caption == "请审核"
    file = await document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 ..."


async def test_get_file_refuses_files_over_20_mb(bot: Bot, alice: ScriptedUser) -> None:
    message = await alice.send_document("video.mp4", b"\0" * (20 * 1024 * 1024 + 1))
    assert message.document is not None
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(message.document.file_id)


async def test_download_needs_get_file_first(emu: BotApiEmulator, bot: Bot) -> None:
    stored = emu.world.files.add_document(b"secret", "a.txt", None)
    url = f"{emu.file_url}{emu.token}/{stored.file_path}"
    with pytest.raises(InvalidToken, match="Not Found"):
        await bot.request.retrieve(url)  # Telegram only serves paths getFile handed out
    await bot.get_file(stored.file_id)
    assert await bot.request.retrieve(url) == b"secret"


async def test_photo_sizes_and_type_checks(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    sent = await bot.send_photo(alice.id, png(1600, 900), caption="海报")
    sizes = [(p.width, p.height) for p in sent.photo]
    assert sizes[-1] == (1280, 720)
    assert sizes[0][0] == 90
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(alice.id, b"not an image", filename="x.png")
    document = await bot.send_document(alice.id, b"abc", filename="a.txt")
    assert document.document is not None
    with pytest.raises(BadRequest, match="Can't use file of type document as photo"):
        await bot.send_photo(alice.id, document.document.file_id)
    user_photo = await alice.send_photo(png(10, 10))
    assert user_photo.photo is not None and user_photo.photo.width == 10


async def test_media_group(emu: BotApiEmulator, bot: Bot, alice: ScriptedUser) -> None:
    from telegram import InputMediaDocument, InputMediaPhoto

    sent = await bot.send_media_group(
        alice.id,
        [InputMediaPhoto(png(100, 50), caption="<b>海报</b>", parse_mode="HTML"),
         InputMediaPhoto(png(50, 100))],
    )  # fmt: skip
    assert len(sent) == 2
    assert sent[0].media_group_id is not None
    assert sent[0].media_group_id == sent[1].media_group_id
    assert sent[0].caption == "海报"
    with pytest.raises(BadRequest, match="Document can't be mixed with other media types"):
        await bot.send_media_group(
            alice.id, [InputMediaPhoto(png(10, 10)), InputMediaDocument(b"x", filename="a.txt")]
        )
    assert len(emu.messages(alice)) == 2


async def test_a_user_sends_an_album_as_telegram_delivers_it(
    emu: BotApiEmulator, bot: Bot, alice: ScriptedUser
) -> None:
    sent = await alice.send_album(
        [AlbumPhoto(png(10, 10), caption="运动会"), AlbumPhoto(png(20, 20)), AlbumPhoto(png(5, 5))]
    )
    updates = await bot.get_updates()
    messages = [u.message for u in updates]
    assert len(messages) == 3 and all(m is not None for m in messages)
    group = {m.media_group_id for m in messages if m is not None}
    assert len(group) == 1 and None not in group
    assert [m.caption for m in messages if m is not None] == ["运动会", None, None]
    assert [m.message_id for m in messages if m is not None] == [m.message_id for m in sent]
    assert all(m is not None and m.photo for m in messages)
    docs = await alice.send_album(
        [AlbumDocument("a.txt", b"a"), AlbumDocument("b.txt", b"b", caption="两份")]
    )
    assert docs[0].media_group_id == docs[1].media_group_id != sent[0].media_group_id
    with pytest.raises(EmulatorUsageError, match="2 to 10"):
        await alice.send_album([AlbumPhoto(png(4, 4))])
    with pytest.raises(EmulatorUsageError, match="2 to 10"):
        await alice.send_album([AlbumPhoto(png(4, 4))] * 11)
    with pytest.raises(EmulatorUsageError, match="cannot mix"):
        await alice.send_album([AlbumPhoto(png(4, 4)), AlbumDocument("a.txt", b"a")])
