"""The HTTP side: routes Bot API calls and file downloads, logs them, injects faults."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from typing import Any

from aiohttp import web
from telegram import Bot

from .api import METHODS, CallContext
from .calls import ApiCall, FileSummary
from .errors import ApiError
from .faults import Fault
from .params import Params, read_params
from .world import World

__all__ = ["ApiServer"]

_LOG = logging.getLogger(__name__)
_MAX_BODY = 60 * 1024 * 1024  # above the 50 MB upload limit, so we can answer 413 ourselves
_IMPLEMENTED = {name.lower(): (name, handler) for name, handler in METHODS.items()}
# PTB exposes every Bot API method under its camelCase name: the list of real methods.
_REAL_METHODS = {
    name.lower(): name
    for name in dir(Bot)
    if name[:1].islower() and name != name.lower() and "_" not in name
}


def _json(status: int, body: dict[str, Any]) -> web.Response:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return web.Response(status=status, body=payload, content_type="application/json")


def _error(error: ApiError) -> web.Response:
    return _json(error.code, error.to_json())


class ApiServer:
    def __init__(self, world: World, host: str, port: int) -> None:
        self.world = world
        self.host = host
        self.requested_port = port
        self.port = 0
        self.downloads: list[str] = []
        self.internal_errors: list[BaseException] = []
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # Cancelling handlers on disconnect ends abandoned long polls and "timeout" faults.
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.requested_port))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return self._download(path[len("/file/bot") :])
        if path.startswith("/bot"):
            return await self._api(request, path[len("/bot") :])
        return _error(ApiError(404, "Not Found"))

    def _download(self, rest: str) -> web.StreamResponse:
        token, _, file_path = rest.partition("/")
        if token != self.world.config.token:
            return _error(ApiError(401, "Unauthorized"))
        stored = self.world.files.downloadable(file_path)
        if stored is None:
            return _error(ApiError(404, "Not Found"))
        self.downloads.append(file_path)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def _api(self, request: web.Request, rest: str) -> web.StreamResponse:
        token, _, method = rest.partition("/")
        call = ApiCall(self.world.next_seq(), method, {})
        self.world.calls.append(call)
        if token != self.world.config.token:
            return self._finish(call, error=ApiError(401, "Unauthorized"))
        implemented = _IMPLEMENTED.get(method.lower())
        if implemented is None:
            if method.lower() in _REAL_METHODS:
                # A real method the emulator lacks: say so instead of a misleading 404.
                reason = f"Not Implemented: the emulator does not support {method}"
                return self._finish(call, error=ApiError(501, reason))
            return self._finish(call, error=ApiError(404, "Not Found"))
        call.method, handler = implemented
        try:
            params = await read_params(request)
        except ApiError as error:
            return self._finish(call, error=error)
        call.params = dict(params.values)
        call.received = True
        call.files = [
            FileSummary(f.field, f.filename, len(f.data), f.content_type)
            for f in params.files.values()
        ]
        self.world.changed()
        fault = self.world.faults.take(call.method, params)
        if fault is not None and not fault.take_effect:
            return await self._fail(request, call, fault, params)
        try:
            result = await handler(CallContext(self.world, params, request))
        except ApiError as error:
            return self._finish(call, error=error, params=params)
        except asyncio.CancelledError:
            # The client went away (e.g. PTB cancelled a long poll); not the bot's error.
            call.http_status = call.error_code = 499
            call.description = "client closed the connection"
            raise
        except Exception as exc:  # an emulator bug: make it loud, never a silent 200
            _LOG.exception("emulator failed in %s", call.method)
            self.internal_errors.append(exc)
            return self._finish(call, error=ApiError(500, f"Internal Server Error: {exc!r}"))
        if fault is not None:
            call.result = result
            return await self._fail(request, call, fault, params)
        return self._finish(call, result=result)

    def _finish(
        self,
        call: ApiCall,
        *,
        result: Any = None,
        error: ApiError | None = None,
        params: Params | None = None,
    ) -> web.Response:
        if error is None:
            call.http_status, call.result = 200, result
            self.world.changed()
            return _json(200, {"ok": True, "result": result})
        call.http_status = error.code
        call.error_code, call.description = error.code, error.description
        self._record_error(call, params)
        return _error(error)

    def _record_error(self, call: ApiCall, params: Params | None) -> None:
        chat = None
        if params is not None:
            try:
                chat = self.world.chat_for(params.raw("chat_id"))
            except ApiError:
                chat = None
        marker = f" (测试注入: {call.injected})" if call.injected else ""
        detail = f"{call.method} 失败: {call.description}{marker}"
        self.world.record("error", chat, self.world.actor_label(None), detail=detail)

    async def _fail(
        self, request: web.Request, call: ApiCall, fault: Fault, params: Params
    ) -> web.StreamResponse:
        call.injected = fault.kind
        if fault.kind == "http500":
            return self._finish(call, error=ApiError(500, "Internal Server Error"), params=params)
        if fault.kind == "retry_after":
            error = ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
            return self._finish(call, error=error, params=params)
        if fault.kind == "bad_gateway":
            call.http_status = call.error_code = 502
            call.description = "Bad Gateway"
            self._record_error(call, params)
            return web.Response(status=502, text="<html><body>502 Bad Gateway</body></html>")
        if fault.kind == "disconnect":
            call.http_status = call.error_code = 499
            call.description = "connection dropped by test"
            self._record_error(call, params)
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError  # nothing more to send on a dead connection
        call.description = "no response (timeout injected by test)"
        self._record_error(call, params)
        try:
            await asyncio.Event().wait()  # ends when the client gives up and disconnects
        finally:
            call.http_status = call.error_code = 499
        raise AssertionError("unreachable")
