"""Where uploaded files live: a small interface with a local-directory default.

``Storage.save(name, data) -> key``; ``open(key) -> bytes``; ``url(key)`` for a direct link
when the backend has one (the local store has none: files are served by the owning view,
which checks permissions and sets Content-Disposition). Keys are opaque and never derived
from user input alone, so a key cannot escape the storage root.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Protocol

from participation.settings import Settings

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}-[A-Za-z0-9._-]{1,80}$")


class StorageError(Exception):
    pass


class Storage(Protocol):
    def save(self, name: str, data: bytes) -> str: ...

    def open(self, key: str) -> bytes: ...

    def url(self, key: str) -> str | None: ...

    def delete(self, key: str) -> None: ...


def safe_name(name: str) -> str:
    base = _SAFE.sub("-", Path(name).name).strip(".-") or "file"
    return base[-80:]


_UNSAFE_IN_HEADER = re.compile(r'[^\x20-\x7e]|["\\;%*]')


def download_name(name: str, extension: str) -> str:
    """The file name to send in Content-Disposition: the last part of whatever path was sent
    (either slash), printable ASCII without quotes, backslashes or parameter syntax, ending in
    ``extension`` (so a file uploaded as "x.svg" is never offered as one)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = " ".join(_UNSAFE_IN_HEADER.sub("_", base).split()).strip(". ")[:120] or "document"
    if not base.lower().endswith(extension.lower()):
        base = base + extension
    return base


class LocalStorage:
    """Files under one directory: ``<root>/<2 hex>/<32 hex>-<safe name>``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise StorageError("invalid storage key")
        return self.root / key

    def save(self, name: str, data: bytes) -> str:
        token = secrets.token_hex(16)
        key = f"{token[:2]}/{token}-{safe_name(name)}"
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        return key

    def open(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise StorageError("no such file") from exc

    def url(self, key: str) -> str | None:
        return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def storage_for(settings: Settings) -> Storage:
    """The configured storage; the local directory ``settings.upload_dir`` by default."""
    return LocalStorage(settings.upload_dir)
