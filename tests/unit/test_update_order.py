"""Updates in order, except that a file being read holds up only its sender."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Document, Message, Update, User

from bot.update_order import FilesAside, carries_file, sender_key


def _update(
    update_id: int, chat_id: int, user_id: int, *, file: bool = False, reply_to_file: bool = False
) -> Update:
    chat = Chat(chat_id, "private" if chat_id == user_id else "supergroup")
    user = User(user_id, f"u{user_id}", is_bot=False)
    document = Document("file-id", "unique-id", file_name="稿件.docx")
    replied = None
    if reply_to_file:
        replied = Message(update_id - 1, datetime.now(UTC), chat, document=document)
    message = Message(
        update_id,
        datetime.now(UTC),
        chat,
        from_user=user,
        text=None if file else "x",
        document=document if file else None,
        reply_to_message=replied,
    )
    return Update(update_id, message=message)


def test_an_update_belongs_to_its_sender_else_its_chat() -> None:
    assert sender_key(_update(1, -100, 7)) == ("user", 7)
    assert sender_key(_update(2, 7, 7)) == ("user", 7)
    channel = Chat(-100200, "channel")
    post = Message(5, datetime.now(UTC), channel, text="x")
    assert sender_key(Update(4, channel_post=post)) == ("chat", -100200)
    assert sender_key(Update(3)) == ("other", 0)
    assert sender_key("not an update") == ("other", 0)


def test_files_and_answers_to_files_are_set_aside() -> None:
    assert carries_file(_update(1, 7, 7, file=True))
    assert carries_file(_update(2, -100, 7, reply_to_file=True))  # /submit answering a file
    assert not carries_file(_update(3, 7, 7))
    assert not carries_file(Update(4))


async def _run(
    processor: FilesAside, update: Update, gate: asyncio.Event, log: list[str], name: str
) -> None:
    async def handle() -> None:
        log.append(f"{name} start")
        await gate.wait()
        log.append(f"{name} end")

    await processor.process_update(update, handle())


async def test_a_file_holds_up_its_sender_only() -> None:
    processor = FilesAside()
    log: list[str] = []
    slow, fast = asyncio.Event(), asyncio.Event()
    fast.set()
    reading = asyncio.create_task(_run(processor, _update(1, 10, 10, file=True), slow, log, "file"))
    await asyncio.sleep(0)
    after = asyncio.create_task(_run(processor, _update(2, 10, 10), fast, log, "reply"))
    elsewhere = asyncio.create_task(_run(processor, _update(3, -100, 10), fast, log, "group"))
    other = asyncio.create_task(_run(processor, _update(4, 20, 20), fast, log, "other"))
    await other
    # Another person was answered while the file was still being read; the sender's next
    # updates, in their chat or elsewhere, wait for it and keep their order.
    assert log == ["file start", "other start", "other end"]
    slow.set()
    await asyncio.gather(reading, after, elsewhere)
    assert log[3:] == ["file end", "reply start", "reply end", "group start", "group end"]
    # Locks nobody waits for are forgotten.
    assert processor._senders == {}


async def test_everything_else_keeps_the_strict_order() -> None:
    processor = FilesAside()
    log: list[str] = []
    slow, fast = asyncio.Event(), asyncio.Event()
    fast.set()
    first = asyncio.create_task(_run(processor, _update(1, 10, 10), slow, log, "first"))
    await asyncio.sleep(0)
    second = asyncio.create_task(_run(processor, _update(2, 20, 20), fast, log, "second"))
    for _ in range(5):
        await asyncio.sleep(0)
    assert log == ["first start"]
    slow.set()
    await asyncio.gather(first, second)
    assert log == ["first start", "first end", "second start", "second end"]
