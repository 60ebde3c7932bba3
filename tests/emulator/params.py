"""Request parameters as PTB sends them: form fields (urlencoded or multipart) or JSON.

PTB JSON-encodes every non-string value inside form fields (``reply_markup`` is a JSON
string, ``true`` is the string "true"), so getters accept both the encoded and native form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from .errors import ApiError, bad_request

__all__ = ["Params", "UploadedFile", "read_params"]

_MAX_UPLOAD = 50 * 1024 * 1024  # the cloud Bot API's limit for files a bot uploads


@dataclass(frozen=True)
class UploadedFile:
    field: str
    filename: str
    content_type: str
    data: bytes


class Params:
    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile]) -> None:
        self.values = values
        self.files = files

    def __contains__(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def string(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        if value is None:
            return default
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def require_string(self, name: str, missing: str | None = None) -> str:
        value = self.string(name)
        if not value:
            raise bad_request(missing or f"{name} is empty")
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def require_integer(self, name: str, missing: str | None = None) -> int:
        value = self.integer(name)
        if value is None:
            raise bad_request(missing or f"{name} is empty")
        return value

    def number(self, name: str, default: float | None = None) -> float | None:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("true", "1")

    def json_value(self, name: str, error: str) -> Any:
        """Decode a JSON-valued parameter; ``error`` is Telegram's text when it is malformed."""
        value = self.values.get(name)
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(error) from None

    def file(self, name: str) -> UploadedFile | None:
        """The multipart part behind ``name``: sent directly or referenced as attach://."""
        direct = self.files.get(name)
        if direct is not None:
            return direct
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            return self.files.get(value[len("attach://") :])
        return None


async def read_params(request: web.Request) -> Params:
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    content_type = request.content_type
    if request.method == "GET" or not request.can_read_body:
        return Params(values, files)
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        values.update(body)
    elif content_type == "multipart/form-data":
        reader = await request.multipart()
        total = 0
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            data = await part.read()
            total += len(data)
            if total > _MAX_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            if part.filename is not None:
                part_type = part.headers.get("Content-Type", "application/octet-stream")
                files[part.name] = UploadedFile(part.name, part.filename, part_type, bytes(data))
            else:
                values[part.name] = data.decode("utf-8", "replace")
    else:
        form = await request.post()
        values.update({key: value for key, value in form.items() if isinstance(value, str)})
    return Params(values, files)
