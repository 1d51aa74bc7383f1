"""Helpers shared by the unit and the app tests (``tests/`` is on ``sys.path`` for both)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from quiz.storage import Store

__all__ = ["FAKETIME", "OPENED", "faketime_env", "review_count", "write_deck"]

OPENED = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
"""When the ``store`` fixture opens its database: before every test's own clock."""


def write_deck(
    folder: Path, deck_id: str, cards: int, *, text: str = "q", later: bool = False
) -> Path:
    """A deck of ``cards`` basic cards with ids ``c0``…; ``later`` moves its file stamp a
    second on, so that a rewrite shows even on a file system with a coarse clock."""
    body = "".join(
        f'[[cards]]\nid = "c{n}"\nfront = "{text}{n}"\nback = "a{n}"\n' for n in range(cards)
    )
    path = folder / f"{deck_id}.toml"
    path.write_text(f'[deck]\nid = "{deck_id}"\ntitle = "Deck {deck_id}"\n{body}')
    if later:
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    return path


def review_count(store: Store) -> int:
    """Entries in the review log, undone ones included: what a test expects to be written."""
    with store.reader() as conn:
        (n,) = conn.execute("SELECT count(*) FROM review_log").fetchone()
    return int(n)


FAKETIME = next(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"), Path("/nonexistent"))
"""Debian's libfaketime, which lets Anki's scheduler (reading the system clock) run at the
instants a test chooses; tests needing it are skipped where it is not installed."""


def faketime_env(zone: str, clock: Path) -> dict[str, str]:
    """The environment of a process whose clock reads ``clock`` (rewritten as it goes), in
    ``zone``, with Anki's fuzz off (``ANKI_TEST_MODE``)."""
    return {
        **os.environ,
        "TZ": zone,
        "ANKI_TEST_MODE": "1",
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME_TIMESTAMP_FILE": str(clock),
        "FAKETIME_NO_CACHE": "1",
    }
