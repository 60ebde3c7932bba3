"""/kw: admins manage the screening lexicon and whitelist in chat; members may test text."""

from __future__ import annotations

import csv
import io
import logging

from telegram import InputFile, Message, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot import formatting, texts
from bot.screening import hits_record
from commands.common import Context, refuse, reply, services
from filters import CATEGORIES, DEFAULT_CATEGORY, DEFAULT_SEVERITY, LexiconError
from storage.models import Role

__all__ = ["HANDLERS"]

logger = logging.getLogger(__name__)

PAGE_SIZE = 40
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _usage() -> str:
    return texts.KW_USAGE.format(categories="、".join(CATEGORIES))


def _argument_text(message: Message) -> str:
    """What follows ``/kw <sub>``, spaces kept."""
    parts = (message.text or "").split(maxsplit=2)
    return parts[2].strip() if len(parts) > 2 else ""


async def kw_command(update: Update, context: Context) -> None:
    """/kw add|del|list|allow|test|import|export."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    args = list(context.args or [])
    sub = args[0] if args else ""
    roles = await svc.members.roles(user.id)
    if sub == "test":
        if not roles:
            await refuse(context, update, "not_staff", texts.NOT_STAFF)
            return
        await _test(message, context)
        return
    if Role.ADMIN not in roles:
        await refuse(context, update, "not_admin", texts.KW_ADMIN_ONLY)
        return
    handler = {
        "add": _add,
        "del": _delete,
        "list": _list,
        "allow": _allow,
        "import": _import,
        "export": _export,
    }.get(sub)
    if handler is None:
        await reply(message, _usage())
        return
    await handler(message, context, args[1:], user.id)


async def _test(message: Message, context: Context) -> None:
    text = _argument_text(message)
    if not text:
        await reply(message, _usage())
        return
    verdict = await services(context).screening.screen(text)
    await reply(
        message,
        texts.KW_TEST_RESULT.format(
            verdict=texts.VERDICT_NAMES[verdict.verdict],
            hits=formatting.hit_lines(hits_record(verdict, text)),
        ),
    )


async def _add(message: Message, context: Context, args: list[str], actor_id: int) -> None:
    if not args:
        await reply(message, _usage())
        return
    term = args[0]
    severity = args[1] if len(args) > 1 else DEFAULT_SEVERITY
    category = args[2] if len(args) > 2 else DEFAULT_CATEGORY
    svc = services(context)
    try:
        change = await svc.screening.add(actor_id, f"{term}\t{severity}\t{category}\n")
    except LexiconError as exc:
        await reply(message, formatting.echo("{error}", error=str(exc)))
        return
    await _report_change(message, context, change.added, change.changed)


async def _report_change(message: Message, context: Context, added: int, changed: int) -> None:
    if not added and not changed:
        await reply(message, texts.KW_UNCHANGED)
        return
    total = len(services(context).screening.screener.terms)
    await reply(message, texts.KW_ADDED.format(added=added, changed=changed, total=total))


async def _delete(message: Message, context: Context, args: list[str], actor_id: int) -> None:
    if not args:
        await reply(message, _usage())
        return
    term = args[0]
    removed = await services(context).screening.delete(actor_id, term)
    template = texts.KW_DELETED if removed else texts.KW_NOT_FOUND
    await reply(message, formatting.echo(template, term=term))


async def _list(message: Message, context: Context, args: list[str], actor_id: int) -> None:
    terms = await services(context).screening.terms()
    if not terms:
        await reply(message, texts.KW_EMPTY)
        return
    pages = (len(terms) + PAGE_SIZE - 1) // PAGE_SIZE
    page = int(args[0]) if args and args[0].isdigit() else 1
    page = min(max(page, 1), pages)
    shown = terms[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    lines = [texts.KW_LIST_HEADER.format(total=len(terms), page=page, pages=pages)]
    lines += [
        texts.KW_LIST_LINE.format(
            term=formatting.e(t.text),
            severity=t.severity,
            category=formatting.e(t.category),
            anywhere=texts.KW_ANYWHERE if t.anywhere else "",
        )
        for t in shown
    ]
    await reply(message, "\n".join(lines))


async def _allow(message: Message, context: Context, args: list[str], actor_id: int) -> None:
    screening = services(context).screening
    if not args:
        allowed = await screening.allowed()
        if not allowed:
            await reply(message, texts.KW_ALLOW_EMPTY)
            return
        shown = "、".join(formatting.e(t) for t in allowed)
        await reply(message, texts.KW_ALLOW_LIST.format(count=len(allowed), terms=shown))
        return
    if args[0] == "del" and len(args) > 1:
        term = args[1]
        removed = await screening.disallow(actor_id, term)
        template = texts.KW_DISALLOWED if removed else texts.KW_NOT_ALLOWED
        await reply(message, formatting.echo(template, term=term))
        return
    term = args[0]
    try:
        added = await screening.allow(actor_id, term)
    except LexiconError as exc:
        await reply(message, formatting.echo("{error}", error=str(exc)))
        return
    template = texts.KW_ALLOWED if added else texts.KW_ALREADY_ALLOWED
    await reply(message, formatting.echo(template, term=term))


def lexicon_lines(file_name: str, data: bytes) -> str:
    """A .txt lexicon as is, or a .csv one turned into the tab-separated lexicon format."""
    text = data.decode("utf-8-sig")
    if not file_name.lower().endswith(".csv"):
        return text
    rows = csv.reader(io.StringIO(text))
    return "\n".join(
        ""
        if not row
        else row[0]
        if row[0].lstrip().startswith("#")
        else "\t".join(c.strip() for c in row)
        for row in rows
    )


async def _import(message: Message, context: Context, args: list[str], actor_id: int) -> None:
    source = message.reply_to_message
    document = source.document if source is not None else None
    if document is None:
        await reply(message, texts.KW_IMPORT_USAGE)
        return
    name = document.file_name or ""
    if not name.lower().endswith((".txt", ".csv")) or (document.file_size or 0) > MAX_IMPORT_BYTES:
        await reply(message, texts.KW_IMPORT_BAD_FILE)
        return
    try:
        telegram_file = await context.bot.get_file(document.file_id)
        data = bytes(await telegram_file.download_as_bytearray())
        lines = lexicon_lines(name, data)
    except TelegramError:
        await reply(message, texts.DOWNLOAD_FAILED)
        return
    except UnicodeDecodeError:
        await reply(message, texts.KW_IMPORT_BAD_FILE)
        return
    try:
        change = await services(context).screening.add(actor_id, lines)
    except LexiconError as exc:
        problems = "\n".join(
            f"第 {line} 行：{reason}" if line is not None else reason
            for line, reason in exc.problems[:20]
        )
        await reply(message, formatting.fit(texts.KW_IMPORT_FAILED, problems=problems).html)
        return
    await _report_change(message, context, change.added, change.changed)


async def _export(message: Message, context: Context, args: list[str], actor_id: int) -> None:
    screening = services(context).screening
    terms_file, whitelist_file = await screening.export()
    count = len(await screening.terms())
    await message.reply_document(
        InputFile(terms_file.encode("utf-8"), filename="lexicon.txt"),
        caption=texts.KW_EXPORT_CAPTION.format(count=count),
    )
    allowed = await screening.allowed()
    if allowed:
        await message.reply_document(
            InputFile(whitelist_file.encode("utf-8"), filename="whitelist.txt"),
            caption=texts.KW_WHITELIST_CAPTION.format(count=len(allowed)),
        )


HANDLERS = [CommandHandler("kw", kw_command)]
