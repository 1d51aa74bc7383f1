"""Running ``quiz study --plain`` as a real process, and what every reliability test asserts
about the progress database afterwards."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

from quiz.storage import Review, Store, db_path

__all__ = ["RECORDED", "assert_sound", "checked_log", "start_study"]

RECORDED = re.compile(r"^recorded (\S+) (\S+) (\S+) ([1-4])$", re.MULTILINE)
"""The line plain mode prints once an answer is durably committed: id, deck, card, rating."""


def start_study(home: Path, deck: Path, now: str) -> subprocess.Popen[str]:
    """``quiz study --plain DECK`` on pipes, over the data dir ``home``, its clock stopped."""
    env = {**os.environ, "QUIZ_HOME": str(home), "QUIZ_NOW": now, "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen(
        [sys.executable, "-m", "quiz", "study", "--plain", str(deck)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def assert_sound(home: Path) -> None:
    """SQLite's own full check of the file."""
    with sqlite3.connect(db_path(home)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def checked_log(
    store: Store, deck_id: str, acknowledged: dict[str, tuple[str, int]]
) -> dict[str, Review]:
    """The deck's log, after checking it against what the program acknowledged.

    Every acknowledged answer (review id -> card key, rating) is there and not undone; each
    answer to a card was built on the one before it (none overwritten, whichever process gave
    it); and the state cache is exactly what the log rebuilds.
    """
    log: dict[str, Review] = {}
    for key in store.card_keys(deck_id):
        history = store.history(deck_id, key)
        log.update((r.id, r) for r in history)
        kept = [r for r in history if not r.undone]
        for before, after in pairwise(kept):
            assert after.state_before == before.state_after, f"{key}: an answer was overwritten"
    for review_id, (key, rating) in acknowledged.items():
        assert review_id in log, f"acknowledged answer {review_id} is lost"
        entry = log[review_id]
        assert (entry.card_key, entry.rating, entry.undone) == (key, rating, False), entry
    states = store.states_for_deck(deck_id)
    store.rebuild_cache()
    assert store.states_for_deck(deck_id) == states, "the state cache disagrees with the log"
    assert store.integrity_problems() == []
    return log
