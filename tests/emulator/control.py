"""BotApiEmulator: the object tests create, start, populate and assert against."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from .actors import ChatHandle, ScriptedUser
from .bot_commands import CommandScope
from .callbacks import CallbackQuery
from .calls import ApiCall
from .errors import EmulatorUsageError, WaitTimeout
from .faults import Fault, FaultKind
from .files import StoredFile
from .models import BotStatus, Chat, ChatKind, Message, UserInfo
from .ratelimit import RateLimitConfig
from .server import ApiServer
from .transcript import render_transcript
from .world import World, WorldConfig

__all__ = ["BotApiEmulator", "ChatRef"]

ChatRef = ChatHandle | ScriptedUser | Chat | int


class BotApiEmulator:
    """A strict local Telegram Bot API for end-to-end tests.

    Usage::

        async with BotApiEmulator(token="123:ABC", bot_username="union_bot") as emu:
            alice = emu.add_user(1001, "Alice", username="alice")
            ...  # start the bot with BOT_API_URL=emu.api_url, BOT_FILE_URL=emu.file_url
            await alice.send_text("/start")
            reply = await emu.wait_for_message(chat=alice)
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "union_bot",
        bot_name: str = "Union Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limits: bool | RateLimitConfig = False,
        privacy_mode: bool = True,
        callback_max_age: float = 15.0,
        first_update_id: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        bot_id, sep, secret = token.partition(":")
        if not (bot_id.isdigit() and sep and secret):
            raise EmulatorUsageError("a bot token looks like '<digits>:<secret>'")
        bot = UserInfo(int(bot_id), bot_name, username=bot_username, is_bot=True)
        self.world = World(
            WorldConfig(
                token=token,
                bot=bot,
                privacy_mode=privacy_mode,
                callback_max_age=callback_max_age,
                rate_limits=_rate_config(rate_limits),
                first_update_id=first_update_id,
                clock=clock,
            )
        )
        self._server = ApiServer(self.world, host, port)
        self._host = host
        self._claimed: set[int] = set()

    # -- lifecycle ----------------------------------------------------------------------
    async def start(self) -> BotApiEmulator:
        await self._server.start()
        return self

    async def stop(self) -> None:
        await self._server.stop()

    async def __aenter__(self) -> BotApiEmulator:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def token(self) -> str:
        return self.world.config.token

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self.port}"

    @property
    def api_url(self) -> str:
        """PTB's ``base_url`` (PTB appends the token)."""
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        """PTB's ``base_file_url``."""
        return f"{self.base_url}/file/bot"

    @property
    def bot(self) -> UserInfo:
        return self.world.bot

    # -- population ---------------------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "zh-hans",
        started: bool = False,
    ) -> ScriptedUser:
        """A person. Until they write to the bot (or ``started=True``) the bot cannot DM them."""
        if user_id <= 0 or user_id in self.world.chats:
            raise EmulatorUsageError(f"user id {user_id} is invalid or taken")
        info = UserInfo(user_id, first_name, last_name, username, language_code=language_code)
        chat = Chat(id=user_id, kind="private", user=info, started=started)
        self.world.users[user_id] = info
        self.world.chats[user_id] = chat
        self.world.changed()
        return ScriptedUser(self.world, info, chat)

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        members: list[ScriptedUser] | tuple[ScriptedUser, ...] = (),
        admins: list[ScriptedUser] | tuple[ScriptedUser, ...] = (),
        owner: ScriptedUser | None = None,
        kind: ChatKind | None = None,
        username: str | None = None,
        bot_admin: bool = False,
        bot_member: bool = True,
    ) -> ChatHandle:
        """A group; ids starting with -100 are supergroups unless ``kind`` says otherwise."""
        if chat_id >= 0 or chat_id in self.world.chats:
            raise EmulatorUsageError(f"group id {chat_id} must be negative and unused")
        chosen: ChatKind = kind or ("supergroup" if str(chat_id).startswith("-100") else "group")
        everyone = {u.id: u.info for u in (*members, *admins, *([owner] if owner else []))}
        chat = Chat(
            id=chat_id,
            kind=chosen,
            title=title,
            username=username,
            members=everyone,
            admins={u.id for u in admins},
            owner_id=owner.id if owner else None,
            bot_status=("administrator" if bot_admin else "member") if bot_member else "left",
        )
        self.world.chats[chat_id] = chat
        self.world.changed()
        return ChatHandle(self.world, chat)

    def add_channel(
        self,
        chat_id: int,
        title: str,
        *,
        username: str | None = None,
        bot_admin: bool = True,
        bot_member: bool = True,
    ) -> ChatHandle:
        """A channel; the bot is an administrator by default (needed to post)."""
        if chat_id >= 0 or chat_id in self.world.chats:
            raise EmulatorUsageError(f"channel id {chat_id} must be negative and unused")
        status: BotStatus = ("administrator" if bot_admin else "member") if bot_member else "left"
        chat = Chat(id=chat_id, kind="channel", title=title, username=username, bot_status=status)
        self.world.chats[chat_id] = chat
        self.world.changed()
        return ChatHandle(self.world, chat)

    def chat(self, ref: ChatRef) -> Chat:
        if isinstance(ref, ChatHandle | ScriptedUser):
            return ref.chat
        if isinstance(ref, Chat):
            return ref
        chat = self.world.chats.get(ref)
        if chat is None:
            raise EmulatorUsageError(f"no chat {ref}")
        return chat

    def user(self, user_id: int) -> UserInfo:
        return self.world.users[user_id]

    # -- observing ----------------------------------------------------------------------
    def messages(self, chat: ChatRef, *, include_deleted: bool = False) -> list[Message]:
        """Every message in the chat in order (users' and the bot's), edits applied."""
        found = self.chat(chat).messages
        return list(found) if include_deleted else [m for m in found if not m.deleted]

    def bot_messages(self, chat: ChatRef | None = None) -> list[Message]:
        chats = [self.chat(chat)] if chat is not None else list(self.world.chats.values())
        found = [m for c in chats for m in c.messages if m.from_bot and not m.deleted]
        return sorted(found, key=lambda m: m.seq)

    def last_message(self, chat: ChatRef) -> Message | None:
        found = self.messages(chat)
        return found[-1] if found else None

    def mark(self) -> int:
        """A cursor for ``wait_for_message(since=...)``: only later messages match."""
        return self.world.next_seq()

    @property
    def calls(self) -> list[ApiCall]:
        return list(self.world.calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.world.calls if c.method.lower() == method.lower()]

    @property
    def errors(self) -> list[ApiCall]:
        """Calls answered with ok=false, except failures a test injected on purpose and
        requests whose client had already gone away."""
        return [
            c
            for c in self.world.calls
            if c.done and not c.ok and c.injected is None and c.error_code != 499
        ]

    @property
    def internal_errors(self) -> list[BaseException]:
        """Exceptions inside the emulator itself (each also answered the bot with a 500)."""
        return list(self._server.internal_errors)

    def assert_no_errors(self) -> None:
        problems = [str(c) for c in self.errors] + [repr(e) for e in self.internal_errors]
        if problems:
            raise AssertionError("Bot API errors:\n  " + "\n  ".join(problems))

    @property
    def downloads(self) -> list[str]:
        """file_paths the bot downloaded, in order."""
        return list(self._server.downloads)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        return self.world.updates.pending

    @property
    def callback_queries(self) -> list[CallbackQuery]:
        return self.world.callbacks.all()

    def unanswered_callbacks(self) -> list[CallbackQuery]:
        return [q for q in self.world.callbacks.all() if not q.answered]

    def file(self, file_id: str) -> StoredFile:
        return self.world.files.get(file_id)

    def commands(
        self,
        scope: str = "default",
        *,
        chat: ChatRef | None = None,
        user: ScriptedUser | None = None,
        language_code: str = "",
    ) -> list[dict[str, str]]:
        """The list stored by setMyCommands for exactly this scope and language."""
        chat_id = self.chat(chat).id if chat is not None else None
        user_id = user.id if user is not None else None
        return self.world.commands.get(CommandScope(scope, chat_id, user_id), language_code)

    def visible_commands(
        self, user: ScriptedUser, chat: ChatRef | None = None, *, language_code: str = ""
    ) -> list[dict[str, str]]:
        """The command menu ``user`` would see in ``chat`` (default: their private chat)."""
        target = self.chat(chat) if chat is not None else user.chat
        is_admin = user.id in target.admins or target.owner_id == user.id
        return self.world.commands.visible(user.id, target, is_admin, language_code)

    def transcript(self, chat: ChatRef | None = None) -> str:
        """A readable transcript of everything that happened, optionally for one chat."""
        return render_transcript(self.world.events, self.chat(chat) if chat else None)

    # -- steering -------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        n: int = 1,
        kind: FaultKind = "http500",
        *,
        chat: ChatRef | str | None = None,
        retry_after: int = 1,
        take_effect: bool = False,
    ) -> Fault:
        """Make the next ``n`` calls of ``method`` (optionally to one chat) fail.

        kinds: ``http500``, ``bad_gateway`` (PTB: NetworkError), ``timeout`` (no answer until
        the client gives up: TimedOut), ``disconnect`` (connection dropped: NetworkError),
        ``retry_after`` (429: RetryAfter). With ``take_effect=True`` the call is carried out
        before the failure is reported, like a send whose response got lost.
        """
        chat_id = chat if chat is None or isinstance(chat, str) else self.chat(chat).id
        fault = Fault(method, kind, n, chat_id, retry_after, take_effect)
        return self.world.faults.add(fault)

    def set_rate_limits(self, enabled: bool | RateLimitConfig) -> None:
        self.world.limiter.configure(_rate_config(enabled))

    # -- waiting --------------------------------------------------------------------------
    async def wait_for(
        self,
        condition: Callable[[], bool],
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
        what: str = "condition",
    ) -> None:
        """Wait until ``condition()`` holds, re-checking on every emulator state change."""
        if not await self.world.notifier.wait_until(condition, timeout):
            raise self._timeout(f"{what} (after {timeout}s)")

    async def wait_for_message(
        self,
        chat: ChatRef | None = None,
        predicate: Callable[[Message], bool] | None = None,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
        since: int | Message | None = None,
        from_bot: bool | None = True,
    ) -> Message:
        """The earliest matching message no earlier wait_for_message returned.

        Successive calls thus walk forward through the bot's output. ``since`` (a
        ``mark()`` or a Message) restricts to later messages; ``from_bot=None`` matches
        users' messages too.
        """
        target = self.chat(chat) if chat is not None else None
        floor = since.seq if isinstance(since, Message) else (since or 0)
        found: list[Message] = []

        def match() -> bool:
            chats = [target] if target is not None else list(self.world.chats.values())
            candidates = [
                m
                for c in chats
                for m in c.messages
                if m.seq > floor
                and m.seq not in self._claimed
                and not m.deleted
                and (from_bot is None or m.from_bot == from_bot)
                and (predicate is None or predicate(m))
            ]
            if candidates:
                found.append(min(candidates, key=lambda m: m.seq))
            return bool(candidates)

        where = f" in {target.label}" if target is not None else ""
        await self.wait_for(match, timeout=timeout, what=f"a matching message{where}")
        self._claimed.add(found[-1].seq)
        return found[-1]

    async def wait_for_edit(
        self,
        message: Message,
        predicate: Callable[[Message], bool] | None = None,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> Message:
        """Wait until ``message`` was edited (and ``predicate(message)`` holds, if given)."""

        def done() -> bool:
            return message.edited and (predicate is None or predicate(message))

        await self.wait_for(done, timeout=timeout, what=f"an edit of {message!r}")
        return message

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
        since: int = 0,
        done: bool = False,
    ) -> ApiCall:
        """Wait for a call of ``method`` (seq > ``since``, e.g. a ``mark()``) matching
        ``predicate``; returns the earliest.

        A call matches once its parameters are read. Every method but a long-polling
        getUpdates (or an injected timeout) has finished by the time the test sees it;
        pass ``done=True`` to wait for those to finish too.
        """
        found: list[ApiCall] = []

        def match() -> bool:
            for call in self.world.calls:
                if (
                    call.seq > since
                    and call.received
                    and (call.done or not done)
                    and call.method.lower() == method.lower()
                    and (predicate is None or predicate(call))
                ):
                    found.append(call)
                    return True
            return False

        await self.wait_for(match, timeout=timeout, what=f"a {method} call")
        return found[0]

    async def wait_until_polling(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has a getUpdates long poll open (it is up and listening)."""
        await self.wait_for(
            lambda: self.world.updates.polling, timeout=timeout, what="the bot to poll"
        )

    async def wait_updates_consumed(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot confirmed every queued update (it fetched and moved past them)."""
        await self.wait_for(
            lambda: not self.world.updates.pending, timeout=timeout, what="updates consumed"
        )

    def _timeout(self, what: str) -> WaitTimeout:
        tail = "\n".join(self.transcript().splitlines()[-25:])
        errors = "\n".join(f"  {c}" for c in self.errors[-10:]) or "  (none)"
        running = [c for c in self.world.calls if not c.done and c.method != "getUpdates"]
        hanging = "\n".join(f"  {c}" for c in running) or "  (none)"
        polling = "yes" if self.world.updates.polling else "no"
        return WaitTimeout(
            f"timed out waiting for {what}\n--- transcript (last lines) ---\n{tail}\n"
            f"--- Bot API errors ---\n{errors}\n--- calls still running ---\n{hanging}\n"
            f"--- bot polling now: {polling}; updates not yet confirmed: "
            f"{len(self.world.updates.pending)}"
        )


def _rate_config(value: bool | RateLimitConfig) -> RateLimitConfig | None:
    if isinstance(value, RateLimitConfig):
        return value
    return RateLimitConfig() if value else None
