"""Numbered schema migrations of the progress database, each applied in one transaction.

``PRAGMA user_version`` holds the number of the last migration applied and the ``migrations``
table records when each one ran. A new migration is a new ``mNNN_name`` tuple of statements
appended to ``MIGRATIONS``; existing ones are never edited, because learners' files already
went through them. ``PRAGMA application_id`` marks the file as ours, so a foreign SQLite
database is refused rather than altered.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION", "Migration", "migrate"]

APPLICATION_ID = 0x5155_495A
"""``PRAGMA application_id`` of a quiz progress database ("QUIZ" in ASCII)."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: its number, its name and the statements it runs."""

    number: int
    name: str
    statements: tuple[str, ...]


m001_initial = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE migrations (
        number INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
    )""",
    # Append-only: rows are only ever added, marked undone, re-keyed by a relink, or deleted by
    # an explicit prune. Times are epoch milliseconds UTC; states are CardState JSON.
    """CREATE TABLE review_log (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        deck_id TEXT NOT NULL,
        card_key TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 4),
        kind TEXT NOT NULL CHECK (kind IN ('learn', 'review', 'relearn', 'exam', 'manual')),
        reviewed_at INTEGER NOT NULL,
        utc_offset_minutes INTEGER NOT NULL,
        tz_name TEXT NOT NULL,
        learner_day TEXT NOT NULL,
        duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
        content_hash TEXT NOT NULL,
        state_before TEXT,
        state_after TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
    )""",
    "CREATE INDEX review_log_card ON review_log (deck_id, card_key, seq)",
    "CREATE INDEX review_log_day ON review_log (learner_day, deck_id)",
    "CREATE INDEX review_log_time ON review_log (reviewed_at)",
    # A cache of each card's latest state_after, rebuildable from the log (Store.rebuild_cache).
    """CREATE TABLE card_state (
        deck_id TEXT NOT NULL,
        card_key TEXT NOT NULL,
        state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due INTEGER,
        last_review INTEGER,
        lapses INTEGER NOT NULL DEFAULT 0,
        reps INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        buried_until INTEGER,
        tags TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (deck_id, card_key)
    ) WITHOUT ROWID""",
    "CREATE INDEX card_state_due ON card_state (deck_id, due)",
    # What each reviewed card asked, so an edited card can be matched to its old history.
    """CREATE TABLE card_text (
        deck_id TEXT NOT NULL,
        card_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        facet TEXT NOT NULL,
        prompt TEXT NOT NULL,
        PRIMARY KEY (deck_id, card_key)
    ) WITHOUT ROWID""",
    """CREATE TABLE relinks (
        deck_id TEXT NOT NULL,
        old_key TEXT NOT NULL,
        new_key TEXT NOT NULL,
        score REAL NOT NULL,
        relinked_at INTEGER NOT NULL
    )""",
    # The answers statistics count: rated, not undone.
    """CREATE VIEW answers AS
        SELECT * FROM review_log WHERE undone = 0 AND kind != 'manual' AND rating > 0""",
)

# Statistics read a year of answers per deck and learner day, and split reviews by the interval
# the card had when answered. That interval becomes a (virtual, computed) column, and a partial
# index matching the ``answers`` view holds every column they read, so SQLite answers from the
# index alone instead of looking up and parsing each answer's JSON.
m002_stats_index = (
    """ALTER TABLE review_log ADD COLUMN interval_ms INTEGER GENERATED ALWAYS AS (
        json_extract(state_before, '$.due') - json_extract(state_before, '$.last_review')
    ) VIRTUAL""",
    """CREATE INDEX review_log_stats ON review_log (deck_id, learner_day, kind, rating, interval_ms)
        WHERE undone = 0 AND kind != 'manual' AND rating > 0""",
)

# An edited card is recognised by what it asked *and* what it answered ("Who wrote Hamlet?" and
# "Who wrote the play Hamlet?" both answer "Shakespeare"; a cloze's gaps are told apart by their
# answers, whatever their numbers), so the answer is kept beside the prompt. Rows written before
# it have none: they are matched by their prompt alone, as before.
m003_card_answer = ("ALTER TABLE card_text ADD COLUMN answer TEXT",)

# Decks studied by path belong to the library from then on (the home screen, ``quiz decks``,
# ``quiz check`` and pruning all see them) until the learner forgets them.
m004_deck_files = (
    """CREATE TABLE deck_files (
        path TEXT PRIMARY KEY,
        remembered_at INTEGER NOT NULL
    ) WITHOUT ROWID""",
)

# A learner who says an edited card is *not* the one they studied is not asked again: the
# decision is kept beside the relinks (history stays with the old key, for ``quiz relink`` to
# link by hand or ``quiz orphans --prune`` to delete).
m005_kept_apart = (
    """CREATE TABLE kept_apart (
        deck_id TEXT NOT NULL,
        old_key TEXT NOT NULL,
        new_key TEXT NOT NULL,
        decided_at INTEGER NOT NULL,
        PRIMARY KEY (deck_id, old_key, new_key)
    ) WITHOUT ROWID""",
)

# A card imported from Anki keeps the note it came from (guid, note type, fields, modification
# time) so an export can give Anki back the very note, and its note type once per type.
m006_anki_origin = (
    """CREATE TABLE anki_origin (
        deck_id TEXT NOT NULL,
        card_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        note TEXT NOT NULL,
        PRIMARY KEY (deck_id, card_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE anki_notetype (
        id INTEGER PRIMARY KEY,
        model TEXT NOT NULL
    )""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "m001_initial", m001_initial),
    Migration(2, "m002_stats_index", m002_stats_index),
    Migration(3, "m003_card_answer", m003_card_answer),
    Migration(4, "m004_deck_files", m004_deck_files),
    Migration(5, "m005_kept_apart", m005_kept_apart),
    Migration(6, "m006_anki_origin", m006_anki_origin),
)
SCHEMA_VERSION = MIGRATIONS[-1].number
"""The schema version this program writes; a file with a higher one is refused."""


def migrate(conn: sqlite3.Connection, *, now: datetime) -> list[int]:
    """Apply the migrations the database lacks, each in its own ``BEGIN IMMEDIATE`` transaction.

    The version is re-read inside the transaction, so two processes opening a new file at once
    apply each migration exactly once. Returns the numbers applied.
    """
    applied: list[int] = []
    for migration in MIGRATIONS:
        conn.execute("BEGIN IMMEDIATE")
        try:
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            if version >= migration.number:
                conn.execute("ROLLBACK")
                continue
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO migrations (number, name, applied_at) VALUES (?, ?, ?)",
                (migration.number, migration.name, now.isoformat()),
            )
            conn.execute(f"PRAGMA user_version = {migration.number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(migration.number)
    return applied
