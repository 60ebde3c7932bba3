"""Stored files: what users and the bot upload, addressable by file_id and file_path."""

from __future__ import annotations

import itertools
import mimetypes
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import bad_request
from .imaging import image_size

__all__ = ["MAX_DOWNLOAD_SIZE", "FileStore", "PhotoSize", "StoredFile"]

MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024  # getFile refuses bigger files on the cloud Bot API
_PHOTO_STEPS = (90, 320, 800)
_PHOTO_MAX_SIDE = 1280

FileKind = Literal["document", "photo"]


@dataclass(frozen=True)
class PhotoSize:
    file_id: str
    file_unique_id: str
    width: int
    height: int
    file_size: int

    def to_api(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width,
            "height": self.height,
            "file_size": self.file_size,
        }


@dataclass(eq=False)
class StoredFile:
    """One uploaded file. A photo keeps several sizes that all serve the original bytes
    (the emulator does not resample images)."""

    kind: FileKind
    file_id: str
    file_unique_id: str
    data: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str
    sizes: list[PhotoSize] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def width(self) -> int | None:
        return self.sizes[-1].width if self.sizes else None

    @property
    def height(self) -> int | None:
        return self.sizes[-1].height if self.sizes else None

    def document_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.file_name:
            body["file_name"] = self.file_name
        if self.mime_type:
            body["mime_type"] = self.mime_type
        return body

    def photo_api(self) -> list[dict[str, Any]]:
        return [size.to_api() for size in self.sizes]


def guess_mime_type(file_name: str) -> str:
    return mimetypes.guess_type(file_name, strict=False)[0] or "application/octet-stream"


class FileStore:
    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._issued: set[str] = set()
        self._counter = itertools.count(1)

    def _ids(self, prefix: str) -> tuple[int, str, str]:
        # Real ids are opaque base64; distinct prefixes make misuse visible in test output.
        number = next(self._counter)
        token = secrets.token_hex(6)
        return number, f"{prefix}{number:05d}{token}", f"U{prefix}{number:05d}"

    def add_document(self, data: bytes, file_name: str | None, mime_type: str | None) -> StoredFile:
        number, file_id, unique_id = self._ids("BQAC")
        mime = mime_type or (guess_mime_type(file_name) if file_name else None)
        extension = mimetypes.guess_extension(mime or "") or ""
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            kind="document",
            file_id=file_id,
            file_unique_id=unique_id,
            data=data,
            file_name=file_name,
            mime_type=mime,
            file_path=f"documents/file_{number}{_ascii(extension)}",
        )
        self._register(stored)
        return stored

    def add_photo(self, data: bytes) -> StoredFile:
        """Store an image like Telegram: several PhotoSize entries, largest last.

        Raises the 400 Telegram gives for bytes that are not an image it can process.
        """
        dimensions = image_size(data)
        if dimensions is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        width, height = dimensions
        if width + height > 10000:
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        if max(width, height) > 20 * min(width, height):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        number, file_id, unique_id = self._ids("AgAC")
        stored = StoredFile(
            kind="photo",
            file_id=file_id,
            file_unique_id=unique_id,
            data=data,
            file_name=None,
            mime_type="image/jpeg",
            file_path=f"photos/file_{number}.jpg",
        )
        longest = max(width, height)
        targets = [step for step in _PHOTO_STEPS if step < longest]
        targets.append(min(longest, _PHOTO_MAX_SIDE))
        for index, target in enumerate(targets):
            scale = target / longest
            size_id = stored.file_id if index == len(targets) - 1 else f"{file_id}s{index}"
            stored.sizes.append(
                PhotoSize(
                    file_id=size_id,
                    file_unique_id=f"{unique_id}s{index}",
                    width=max(1, round(width * scale)),
                    height=max(1, round(height * scale)),
                    file_size=len(data),
                )
            )
        self._register(stored)
        return stored

    def _register(self, stored: StoredFile) -> None:
        self._by_id[stored.file_id] = stored
        for size in stored.sizes:
            self._by_id[size.file_id] = stored
        self._by_path[stored.file_path] = stored

    def get(self, file_id: str) -> StoredFile:
        stored = self._by_id.get(file_id.strip())
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return stored

    def find(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def issue_path(self, stored: StoredFile) -> None:
        """Downloads work only for paths handed out by getFile, as on Telegram."""
        self._issued.add(stored.file_path)

    def downloadable(self, file_path: str) -> StoredFile | None:
        if file_path not in self._issued:
            return None
        return self._by_path.get(file_path)


def _ascii(extension: str) -> str:
    return extension if extension.isascii() else ""
