"""The parse cache: a deck unchanged since it was last loaded is read back without parsing.

Parsing and validating a 100,000-card deck takes about a second; reading back what that
produced takes a few tens of milliseconds. An entry is keyed by the deck's resolved path, its
size and mtime and a blake2b hash of its bytes. The hash decides: it is computed on every load
(15 ms for 12 MB), so an edit that keeps the size and restores the mtime is still caught, and a
file that was only touched is still read from the cache. An entry also records the code that
wrote it (``code``), so another version of quiz never reads it.

Entries are written atomically (a temporary file renamed over the old one) and carry a hash of
their own bytes: a truncated, corrupt or foreign file is ignored and rebuilt, never an error,
and so is one whose checksum holds but whose content is not what quiz writes.
The cache is an optimisation only, so failing to write it (read-only disk, no space) is silent.
Like everything in the data dir it is private: folders 0700, files 0600.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DeckCache", "Entry", "Face", "Stamp"]

_MAGIC = b"quizdc1\n"
_HASH = 32

Face = tuple[str, str, str, int]
"""One reviewable face of a card: (item key, card key, facet, card index)."""


def _hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_HASH).digest()


@dataclass(frozen=True, slots=True)
class Stamp:
    """What identifies one version of a deck file."""

    path: str
    size: int
    mtime_ns: int
    digest: bytes

    @classmethod
    def of(cls, path: Path, data: bytes, stat: os.stat_result) -> Stamp:
        """The stamp of a file whose bytes and ``stat`` were just read."""
        return cls(str(path.resolve()), stat.st_size, stat.st_mtime_ns, _hash(data))


@dataclass(frozen=True, slots=True)
class Entry:
    """What a first load produced, in plain data: enough to list and count a deck's items
    without building its cards, and the raw card tables to build them from when needed."""

    deck_id: str
    meta: str
    """The validated ``[deck]`` table as JSON."""
    lines: list[int]
    """The line each card starts on."""
    warnings: list[tuple[int, str]] | None
    """Lint findings as (line, message); None when the deck was loaded without linting."""
    faces: list[Face]
    cards: bytes
    """The card tables as parsed from TOML, ``marshal``-ed (they are plain str/int/bool/list/
    dict: the validated deck contains nothing else)."""

    def _dump(self) -> tuple[Any, ...]:
        return (self.deck_id, self.meta, self.lines, self.warnings, self.faces, self.cards)


def _well_formed(entry: Entry) -> bool:
    """Whether an entry holds what ``put`` writes: a checksum only proves the bytes are whole,
    not that quiz wrote them. The card tables are checked when they are built."""
    return (
        isinstance(entry.deck_id, str)
        and isinstance(entry.meta, str)
        and isinstance(entry.cards, bytes)
        and isinstance(entry.lines, list)
        and all(type(n) is int for n in entry.lines)
        and (entry.warnings is None or _warnings_ok(entry.warnings))
        and _faces_ok(entry.faces)
    )


def _warnings_ok(warnings: object) -> bool:
    """A list of (line, message) pairs."""
    return isinstance(warnings, list) and all(
        type(w) is tuple and len(w) == 2 and type(w[0]) is int and type(w[1]) is str
        for w in warnings
    )


def _faces_ok(faces: object) -> bool:
    """A list of (key, kind, facet, line) rows, checked inline: 100,000 of them per big deck."""
    return isinstance(faces, list) and all(
        type(f) is tuple
        and len(f) == 4
        and type(f[0]) is str
        and type(f[1]) is str
        and type(f[2]) is str
        and type(f[3]) is int
        for f in faces
    )


class DeckCache:
    """The entries under a data dir, one per deck path, written by ``code`` (a version tag)."""

    def __init__(self, data_dir: Path, code: bytes) -> None:
        self.data_dir = data_dir
        self.folder = data_dir / "cache" / "decks"
        self.code = code

    def _file(self, stamp: Stamp) -> Path:
        name = hashlib.blake2b(stamp.path.encode(), digest_size=16).hexdigest()
        return self.folder / f"{name}.bin"

    def get(self, stamp: Stamp) -> Entry | None:
        """The entry for this exact file content, or None (missing, stale or unreadable)."""
        try:
            blob = self._file(stamp).read_bytes()
        except OSError:
            return None
        head = len(_MAGIC) + _HASH
        if blob[: len(_MAGIC)] != _MAGIC or _hash(blob[head:]) != blob[len(_MAGIC) : head]:
            return None
        try:
            code, path, _size, _mtime, digest, fields = marshal.loads(blob[head:])
            if code != self.code or path != stamp.path or digest != stamp.digest:
                return None
            entry = Entry(*fields)
        except Exception:  # a foreign file that happens to pass the checks: ignore it
            return None
        return entry if _well_formed(entry) else None

    def put(self, stamp: Stamp, entry: Entry) -> None:
        """Store an entry atomically; any failure leaves the cache as it was."""
        record = (self.code, stamp.path, stamp.size, stamp.mtime_ns, stamp.digest, entry._dump())
        payload = marshal.dumps(record)
        target = self._file(stamp)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            for folder in (self.folder.parent, self.folder):
                folder.mkdir(mode=0o700, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(_MAGIC + _hash(payload) + payload)
            tmp.replace(target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
