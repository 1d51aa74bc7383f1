"""The progress store: an SQLite file holding every answer ever given and each card's state.

API (everything a UI, the statistics or a benchmark needs; nothing else touches SQL)::

    store = Store.open(data_dir, now=now)          # creates, migrates, checks the file
    store.states_for_deck(deck_id) -> dict[key, CardState]   # one query per deck
    store.state(deck_id, key) -> CardState | None
    store.record(deck_id, key, make, text=None) -> Review    # durable when it returns
    store.undo(review_id) -> Review                # marks it undone, restores state_before
    store.bury(refs, until) -> dict[Ref, datetime | None]    # previous values, for undo
    store.unbury(previous)
    store.day_counts(day) -> dict[deck_id, DayCount]         # answers of one learner day
    store.last_learner_day() -> date | None
    store.answers(...) -> Iterator[Answer]         # light rows for statistics
    store.history(deck_id, key) -> list[Review]    # one card's full log
    store.review(review_id) -> Review | None
    store.deck_ids() / store.card_keys(deck_id) / store.entry_spans(deck_id, keys)
    store.texts(deck_id)
    store.relink(deck_id, pairs, now) / store.prune(deck_id, keys)
    store.import_reviews(reviews)                  # bulk, one transaction
    Review.create(deck_id, key, rating=..., kind=..., at=..., zone=..., ...)  # a new entry
    store.rebuild_cache() / store.integrity_problems() / store.close()

Durability: WAL, ``synchronous=FULL`` (a commit is on disk when ``record`` returns), a 10 s busy
timeout and short ``BEGIN IMMEDIATE`` write transactions, so two quiz processes on one data dir
neither fail nor lose an answer. ``record`` computes the new state from the state read *inside*
its transaction, so an answer given in another window is never overwritten.

Times are stored as epoch milliseconds UTC and returned as ``datetime`` in
``datetime.timezone.utc`` (what ``fsrs`` requires). ``card_state`` is a cache: each row is the
``state_after`` of the card's latest log entry that is not undone, except ``buried_until`` which
is set without a log entry (burying lasts one day and is not history).
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import fsrs

from quiz.backup import restore_hint
from quiz.card_state import EPOCH, CardState, Ref, ReviewKind, from_ms, opt_ms, to_ms
from quiz.clock import tz_name
from quiz.errors import StorageError
from quiz.migrations import APPLICATION_ID, SCHEMA_VERSION, migrate

__all__ = [
    "DB_NAME",
    "Answer",
    "CardState",
    "CardText",
    "DayCount",
    "Ref",
    "Review",
    "ReviewKind",
    "Store",
    "db_path",
    "from_ms",
    "to_ms",
]

DB_NAME = "progress.db"
BUSY_TIMEOUT_MS = 10_000


def db_path(data_dir: Path) -> Path:
    """The progress database inside a data dir."""
    return Path(data_dir) / DB_NAME


def _state_row(state: CardState) -> tuple[Any, ...]:
    return (
        state.deck_id,
        state.card_key,
        int(state.state),
        state.step,
        state.stability,
        state.difficulty,
        opt_ms(state.due),
        opt_ms(state.last_review),
        state.lapses,
        state.reps,
        int(state.suspended),
        opt_ms(state.buried_until),
        json.dumps(list(state.tags)),
    )


def _state_from_row(row: sqlite3.Row | tuple[Any, ...]) -> CardState:
    # Hot path (100,000 rows per deck load): no enum call, no JSON for empty tags.
    # Numbers go through int()/float() so that a wrong value fails here (``_decoding``
    # reports it), not deep inside FSRS.
    step, stability, difficulty = row[3], row[4], row[5]
    due, last, buried, tags = row[6], row[7], row[11], row[12]
    return CardState(
        row[0],
        row[1],
        _FSRS_STATES[row[2]],
        None if step is None else int(step),
        None if stability is None else float(stability),
        None if difficulty is None else float(difficulty),
        None if due is None else EPOCH + timedelta(milliseconds=due),
        None if last is None else EPOCH + timedelta(milliseconds=last),
        int(row[8]),
        int(row[9]),
        _FLAGS[row[10]],
        None if buried is None else EPOCH + timedelta(milliseconds=buried),
        () if tags == "[]" else tuple(json.loads(tags)),
    )


_FSRS_STATES = {int(s): s for s in fsrs.State}
_FLAGS = {0: False, 1: True}
_STATE_COLUMNS = (
    "deck_id, card_key, state, step, stability, difficulty, due, last_review,"
    " lapses, reps, suspended, buried_until, tags"
)


@dataclass(frozen=True, slots=True)
class Review:
    """One entry of the review log: an answer (or a manual change) and the states around it."""

    id: str
    deck_id: str
    card_key: str
    rating: int
    """1-4 (Again..Easy); 0 for a manual change."""
    kind: ReviewKind
    reviewed_at: datetime
    utc_offset_minutes: int
    """The learner's UTC offset when answering, so local-time statistics stay right."""
    tz_name: str
    """The learner's IANA time zone when answering."""
    learner_day: date
    """The learner day the answer counts for (see scheduling.learner_today)."""
    duration_ms: int
    content_hash: str
    """The card's content hash when answered, so later edits can be told apart."""
    state_before: CardState | None
    state_after: CardState
    undone: bool = False

    @classmethod
    def create(
        cls,
        deck_id: str,
        card_key: str,
        *,
        rating: int,
        kind: ReviewKind,
        at: datetime,
        zone: tzinfo,
        learner_day: date,
        content_hash: str,
        before: CardState | None,
        after: CardState,
        duration_ms: int = 0,
    ) -> Review:
        """A new entry with a fresh id, the learner's UTC offset and zone name at ``at``."""
        offset = at.astimezone(zone).utcoffset() or timedelta()
        return cls(
            id=str(uuid.uuid4()),
            deck_id=deck_id,
            card_key=card_key,
            rating=rating,
            kind=kind,
            reviewed_at=at,
            utc_offset_minutes=offset // timedelta(minutes=1),
            tz_name=tz_name(zone),
            learner_day=learner_day,
            duration_ms=max(0, int(duration_ms)),
            content_hash=content_hash,
            state_before=before,
            state_after=after,
        )

    def _row(self) -> tuple[Any, ...]:
        return (
            self.id,
            self.deck_id,
            self.card_key,
            self.rating,
            self.kind,
            to_ms(self.reviewed_at),
            self.utc_offset_minutes,
            self.tz_name,
            self.learner_day.isoformat(),
            self.duration_ms,
            self.content_hash,
            None if self.state_before is None else self.state_before.to_json(),
            self.state_after.to_json(),
            int(self.undone),
        )

    @classmethod
    def _from_row(cls, row: tuple[Any, ...]) -> Review:
        deck_id, key = row[1], row[2]
        return cls(
            row[0],
            deck_id,
            key,
            row[3],
            row[4],
            from_ms(row[5]),
            row[6],
            row[7],
            date.fromisoformat(row[8]),
            row[9],
            row[10],
            None if row[11] is None else CardState.from_json(deck_id, key, row[11]),
            CardState.from_json(deck_id, key, row[12]),
            bool(row[13]),
        )


_REVIEW_COLUMNS = (
    "id, deck_id, card_key, rating, kind, reviewed_at, utc_offset_minutes, tz_name,"
    " learner_day, duration_ms, content_hash, state_before, state_after, undone"
)


@dataclass(frozen=True, slots=True)
class Answer:
    """A light view of one answer for statistics (no JSON states)."""

    deck_id: str
    card_key: str
    rating: int
    kind: ReviewKind
    reviewed_at: datetime
    utc_offset_minutes: int
    learner_day: date
    duration_ms: int


@dataclass(frozen=True, slots=True)
class DayCount:
    """Answers of one deck on one learner day, as the daily limits count them."""

    new: int = 0
    """Cards answered for the first time."""
    reviews: int = 0
    """Answers to cards in the review state."""
    answers: int = 0
    """Every answer (learning steps included)."""


@dataclass(frozen=True, slots=True)
class CardText:
    """What a card asked, kept so that an edited card can inherit its old history."""

    kind: str
    facet: str
    prompt: str
    answer: str | None = None
    """Its answer, as shown; None for rows written before answers were kept."""


@dataclass
class Store:
    """An open progress database. Use ``Store.open``; close it (or use ``with``)."""

    path: Path
    _conn: sqlite3.Connection = field(repr=False)
    read_only: bool = False
    """Opened for reading only (``Store.open(read_only=True)`` on a file quiz cannot write)."""
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    # --- opening --------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path | str, *, now: datetime, read_only: bool = False) -> Store:
        """Open (creating and migrating if need be) the database in ``data_dir``.

        A directory quiz creates is private (0700) and so is the file (0600). A file that is
        not a quiz database, is damaged or was written by a newer quiz raises ``StorageError``
        and is left untouched, and so does a database quiz could not save answers in (a
        read-only file, folder or disk): nobody should study and lose what they answer.
        ``read_only`` (listings and statistics) opens such a database for reading instead,
        and a missing one as an empty one, writing nothing.
        """
        directory = Path(data_dir)
        path = db_path(directory)
        if directory.exists() and not directory.is_dir():
            raise StorageError(
                f"the data folder {directory} is a file, not a folder;"
                " choose another with --data-dir or QUIZ_HOME"
            )
        if path.exists() and not path.is_file():
            raise StorageError(f"{path} is not a file")
        if problem := _unwritable(directory, path):
            if read_only:
                return cls._open_read_only(path, now)
            raise StorageError(
                f"{problem}, so no answer or change could be saved there: quiz will not start."
                " Make it writable or choose another --data-dir."
            )
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not path.exists():
                os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        except OSError as exc:
            raise StorageError(f"cannot create {path}: {_os_reason(exc)}") from exc
        try:
            conn = sqlite3.connect(
                path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open {path}: {exc}") from exc
        return cls._ready(cls(path, conn), lambda store: store._prepare(now))

    @classmethod
    def _ready(cls, store: Store, prepare: Callable[[Store], object]) -> Store:
        """``store`` once ``prepare`` has checked it; its connection closed if that fails."""
        try:
            with store._guard():
                prepare(store)
        except BaseException:
            store._conn.close()
            raise
        return store

    @classmethod
    def _open_read_only(cls, path: Path, now: datetime) -> Store:
        """The database for reading only; a missing one is an empty one in memory."""
        try:
            if not path.exists():
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                migrate(conn, now=now)
            else:
                conn = _connect_read_only(path)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot read {path}: {exc}") from exc
        return cls._ready(cls(path, conn, read_only=True), lambda store: store._check(conn))

    def _prepare(self, now: datetime) -> None:
        """Check the file, switch it to WAL and migrate it, retrying while another process
        creates it (SQLite reports some of those conflicts at once, without waiting)."""
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._check_and_migrate(now)
                return
            except sqlite3.OperationalError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if not _busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _check_and_migrate(self, now: datetime) -> None:
        conn = self._conn
        version = self._check(conn)
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        if str(mode).lower() != "wal":
            (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            if str(mode).lower() != "wal":
                raise StorageError(f"{self.path}: cannot switch to WAL journaling (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        if version < SCHEMA_VERSION:
            migrate(conn, now=now)

    def _check(self, conn: sqlite3.Connection) -> int:
        """Refuse a file that is not a quiz database or is too new; return its version."""
        conn.execute("BEGIN")  # one snapshot of the header and the schema
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        (tables,) = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
        if self.read_only and version < SCHEMA_VERSION:
            raise StorageError(
                f"{self.path} was written by an older quiz and must be upgraded, which needs"
                " write access: open it once where it is writable"
            )
        if app_id != APPLICATION_ID and (app_id != 0 or tables or version):
            raise StorageError(
                f"{self.path} is not a quiz progress database (another program's SQLite file?);"
                " it was left untouched. Move it away or choose another --data-dir."
                f" {restore_hint(self.path.parent)}"
            )
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path} was written by a newer quiz (schema {version}; this quiz knows up"
                f" to {SCHEMA_VERSION}). Upgrade quiz; the file was left untouched."
            )
        return int(version)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """Serialise threads and turn SQLite failures into readable ``StorageError``s."""
        with self._lock:
            try:
                yield self._conn
            except sqlite3.OperationalError as exc:
                text = str(exc)
                if _busy(exc):
                    raise StorageError(
                        f"{self.path} stayed busy for {BUSY_TIMEOUT_MS // 1000} s"
                        " (another quiz is writing to it?); try again"
                    ) from exc
                if "disk is full" in text or "disk I/O error" in text:
                    raise StorageError(
                        f"the disk holding {self.path} is full or failing ({text}):"
                        " this was not saved. Free some space and try again."
                    ) from exc
                if "readonly" in text:
                    raise StorageError(
                        f"{self.path} cannot be written (it is read-only): this was not saved"
                    ) from exc
                raise StorageError(f"{self.path}: {text}") from exc
            except sqlite3.DatabaseError as exc:
                raise StorageError(
                    f"{self.path} is damaged or not a quiz database ({exc}); it was left"
                    f" untouched. {restore_hint(self.path.parent)}"
                ) from exc
            except _DECODE_ERRORS as exc:  # a stored value that is not what quiz wrote
                raise self.damage_report(exc) from exc

    def damage_report(self, exc: BaseException | None = None) -> StorageError:
        """A ``StorageError`` naming the rows whose values quiz cannot read (up to five)."""
        try:
            with self._lock:
                found = [
                    f"{table} row {', '.join(map(repr, ref))}: {problem}"
                    for table, query in (("card_state", _BAD_STATES), ("review_log", _BAD_LOG))
                    for *ref, problem in self._conn.execute(query).fetchmany(5)
                ]
        except sqlite3.Error as error:
            found = [f"it cannot be checked ({error})"]
        if not found:
            found = [f"a stored value cannot be read ({type(exc).__name__}: {exc})"]
        return StorageError(
            f"{self.path} has damaged progress that quiz cannot read: {'; '.join(found[:5])}."
            f" The file was left untouched. {restore_hint(self.path.parent)}"
        )

    @contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection for long queries (statistics) that can change nothing and
        holds no lock of this store's; a read-only store lends its own."""
        if self.read_only:
            with self._lock:
                yield self._conn
            return
        try:
            conn = _connect_read_only(self.path)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot read {self.path}: {exc}") from exc
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A short ``BEGIN IMMEDIATE`` transaction, committed (to disk) on success."""
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:  # SQLite rolls back by itself on a full disk
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # --- reading --------------------------------------------------------------------------

    def state(self, deck_id: str, card_key: str) -> CardState | None:
        """One card's state, or None if it was never answered, buried or suspended."""
        with self._guard() as conn:
            return self._state(conn, deck_id, card_key)

    @staticmethod
    def _state(conn: sqlite3.Connection, deck_id: str, card_key: str) -> CardState | None:
        row = conn.execute(
            f"SELECT {_STATE_COLUMNS} FROM card_state WHERE deck_id = ? AND card_key = ?",
            (deck_id, card_key),
        ).fetchone()
        return None if row is None else _state_from_row(row)

    def states_for_deck(self, deck_id: str) -> dict[str, CardState]:
        """Every stored state of a deck, by card key, in one query."""
        with self._guard() as conn:
            rows = conn.execute(
                f"SELECT {_STATE_COLUMNS} FROM card_state WHERE deck_id = ?", (deck_id,)
            ).fetchall()
            return {row[1]: _state_from_row(row) for row in rows}

    def deck_ids(self) -> list[str]:
        """Decks that have any stored progress."""
        with self._guard() as conn:
            rows = conn.execute("SELECT DISTINCT deck_id FROM card_state").fetchall()
        return sorted(r[0] for r in rows)

    def card_keys(self, deck_id: str) -> set[str]:
        """Keys of a deck's cards that have a stored state (any progress, or buried)."""
        with self._guard() as conn:
            rows = conn.execute(
                "SELECT card_key FROM card_state WHERE deck_id = ?", (deck_id,)
            ).fetchall()
        return {r[0] for r in rows}

    def entry_counts(self, deck_id: str, keys: Iterable[str]) -> dict[str, int]:
        """Log entries (undone ones included) of each of these cards."""
        return {key: n for key, (n, _) in self.entry_spans(deck_id, keys).items()}

    def entry_spans(
        self, deck_id: str, keys: Iterable[str]
    ) -> dict[str, tuple[int, datetime | None]]:
        """Log entries (undone ones included) of each of these cards, and when the last was
        written: what a learner weighs before deleting history."""
        out: dict[str, tuple[int, datetime | None]] = {}
        with self._guard() as conn:
            for key in keys:
                n, last = conn.execute(
                    "SELECT count(*), max(reviewed_at) FROM review_log"
                    " WHERE deck_id = ? AND card_key = ?",
                    (deck_id, key),
                ).fetchone()
                out[key] = (n, None if last is None else from_ms(last))
        return out

    def deck_files(self) -> list[Path]:
        """The deck files and folders a learner studied by path, oldest first."""
        with self._guard() as conn:
            if not _has_table(conn, "deck_files"):
                return []  # an older file opened read-only, not migrated: none remembered
            rows = conn.execute("SELECT path FROM deck_files ORDER BY remembered_at, path")
            return [Path(path) for (path,) in rows.fetchall()]

    def remember_deck_files(self, paths: Iterable[Path], now: datetime) -> None:
        """Keep these deck files or folders in the library (absolute, each once)."""
        rows = [(str(p.resolve()), to_ms(now)) for p in paths]
        if rows:
            with self._write() as conn:
                conn.executemany("INSERT OR IGNORE INTO deck_files VALUES (?, ?)", rows)

    def forget_deck_file(self, path: Path) -> bool:
        """Take a deck studied by path out of the library (its progress stays)."""
        with self._write() as conn:
            cur = conn.execute("DELETE FROM deck_files WHERE path = ?", (str(path.resolve()),))
            return cur.rowcount > 0

    def texts(self, deck_id: str) -> dict[str, CardText]:
        """What each reviewed card of a deck asked when last answered."""
        with self._guard() as conn:
            rows = conn.execute(
                "SELECT card_key, kind, facet, prompt, answer FROM card_text WHERE deck_id = ?",
                (deck_id,),
            ).fetchall()
        return {key: CardText(*text) for key, *text in rows}

    def day_counts(self, day: date) -> dict[str, DayCount]:
        """Answers (not undone) of one learner day, per deck, as the daily limits count them."""
        with self._guard() as conn:
            rows = conn.execute(
                "SELECT deck_id,"
                " sum(state_before IS NULL OR json_extract(state_before, '$.reps') = 0),"
                " sum(kind = 'review'), count(*)"
                " FROM answers WHERE learner_day = ? AND kind != 'exam' GROUP BY deck_id",
                (day.isoformat(),),
            ).fetchall()
        return {deck: DayCount(new, reviews, n) for deck, new, reviews, n in rows}

    def last_learner_day(self) -> date | None:
        """The latest learner day any answer was recorded for."""
        with self._guard() as conn:
            (day,) = conn.execute("SELECT max(learner_day) FROM review_log").fetchone()
            return None if day is None else date.fromisoformat(day)

    def answers(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        deck_ids: Iterable[str] | None = None,
    ) -> Iterator[Answer]:
        """Rated answers that are not undone, oldest first, read lazily.

        ``since``/``until`` bound ``reviewed_at`` (half-open); exam answers are included
        (``kind == "exam"``), manual changes are not.
        """
        where = ["reviewed_at >= ?", "reviewed_at < ?"]
        params: list[Any] = [
            to_ms(since) if since else -(2**62),
            to_ms(until) if until else 2**62,
        ]
        if deck_ids is not None:
            ids = list(deck_ids)
            where.append(f"deck_id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        sql = (
            "SELECT deck_id, card_key, rating, kind, reviewed_at, utc_offset_minutes,"
            " learner_day, duration_ms FROM answers WHERE "
            + " AND ".join(where)
            + " ORDER BY reviewed_at, seq"
        )
        with self._guard() as conn:
            rows = conn.execute(sql, params).fetchall()
            answers = [
                Answer(
                    deck, key, rating, kind, from_ms(at), offset, date.fromisoformat(day), duration
                )
                for deck, key, rating, kind, at, offset, day, duration in rows
            ]
        yield from answers

    def history(self, deck_id: str, card_key: str) -> list[Review]:
        """A card's full log (undone entries included), oldest first."""
        with self._guard() as conn:
            rows = conn.execute(
                f"SELECT {_REVIEW_COLUMNS} FROM review_log WHERE deck_id = ? AND card_key = ?"
                " ORDER BY seq",
                (deck_id, card_key),
            ).fetchall()
            return [Review._from_row(r) for r in rows]

    def review(self, review_id: str) -> Review | None:
        """One log entry by its id."""
        with self._guard() as conn:
            row = conn.execute(
                f"SELECT {_REVIEW_COLUMNS} FROM review_log WHERE id = ?", (review_id,)
            ).fetchone()
            return None if row is None else Review._from_row(row)

    def integrity_problems(self) -> list[str]:
        """SQLite's ``quick_check`` findings; empty when the file is sound."""
        with self._guard() as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        return [r[0] for r in rows if r[0] != "ok"]

    # --- writing --------------------------------------------------------------------------

    def record(
        self,
        deck_id: str,
        card_key: str,
        make: Callable[[CardState | None], Review],
        *,
        text: CardText | None = None,
    ) -> Review:
        """Append the entry ``make(current_state)`` returns and store its ``state_after``.

        ``make`` runs inside the write transaction with the state read there, so a concurrent
        answer from another process is built upon, never lost. The commit is durable
        (``synchronous=FULL``) before this returns.
        """
        with self._write() as conn:
            review = make(self._state(conn, deck_id, card_key))
            if (review.deck_id, review.card_key) != (deck_id, card_key):
                raise ValueError("make() returned a review of another card")
            conn.execute(
                f"INSERT INTO review_log ({_REVIEW_COLUMNS}) VALUES ({','.join('?' * 14)})",
                review._row(),
            )
            self._put(conn, review.state_after)
            if text is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO card_text (deck_id, card_key, kind, facet, prompt,"
                    " answer) VALUES (?, ?, ?, ?, ?, ?)",
                    (deck_id, card_key, text.kind, text.facet, text.prompt, text.answer),
                )
        return review

    @staticmethod
    def _put(conn: sqlite3.Connection, state: CardState) -> None:
        conn.execute(
            f"INSERT OR REPLACE INTO card_state ({_STATE_COLUMNS}) VALUES ({','.join('?' * 13)})",
            _state_row(state),
        )

    def undo(self, review_id: str) -> Review:
        """Mark an entry undone and restore the card's ``state_before``, exactly.

        Only a card's latest entry can be undone: if another answer to it came later (say in
        another window), undoing this one would lose that answer, so it is refused.
        """
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {_REVIEW_COLUMNS} FROM review_log WHERE id = ?", (review_id,)
            ).fetchone()
            if row is None:
                raise StorageError(f"no answer {review_id} to undo")
            review = Review._from_row(row)
            if review.undone:
                raise StorageError("that answer was already undone")
            (latest,) = conn.execute(
                "SELECT id FROM review_log WHERE deck_id = ? AND card_key = ? AND undone = 0"
                " ORDER BY seq DESC LIMIT 1",
                (review.deck_id, review.card_key),
            ).fetchone()
            if latest != review_id:
                raise StorageError("the card was answered again since (in another window?)")
            conn.execute("UPDATE review_log SET undone = 1 WHERE id = ?", (review_id,))
            if review.state_before is None:
                conn.execute(
                    "DELETE FROM card_state WHERE deck_id = ? AND card_key = ?",
                    (review.deck_id, review.card_key),
                )
            else:
                self._put(conn, review.state_before)
        return replace(review, undone=True)

    def bury(self, refs: Iterable[Ref], until: datetime) -> dict[Ref, datetime | None]:
        """Hide cards until ``until``; returns each card's previous ``buried_until`` for undo."""
        previous: dict[Ref, datetime | None] = {}
        with self._write() as conn:
            for deck_id, key in refs:
                current = self._state(conn, deck_id, key) or CardState(deck_id, key)
                previous[(deck_id, key)] = current.buried_until
                self._put(conn, replace(current, buried_until=until))
        return previous

    def unbury(self, previous: Mapping[Ref, datetime | None]) -> None:
        """Put back the ``buried_until`` values ``bury`` returned."""
        with self._write() as conn:
            for (deck_id, key), until in previous.items():
                conn.execute(
                    "UPDATE card_state SET buried_until = ? WHERE deck_id = ? AND card_key = ?",
                    (opt_ms(until), deck_id, key),
                )
                conn.execute(
                    "DELETE FROM card_state WHERE deck_id = ? AND card_key = ? AND reps = 0"
                    " AND suspended = 0 AND buried_until IS NULL AND tags = '[]'"
                    " AND NOT EXISTS (SELECT 1 FROM review_log r WHERE r.deck_id = ?"
                    " AND r.card_key = ? AND undone = 0)",
                    (deck_id, key, deck_id, key),
                )

    def relink(self, deck_id: str, pairs: Iterable[tuple[str, str, float]], now: datetime) -> int:
        """Give the history of ``old`` keys to ``new`` keys, ``(old, new, score)``, atomically.

        The log's rows are re-keyed (their content hashes still tell what was asked) and each
        relink is recorded in the ``relinks`` table.
        """
        count = 0
        with self._write() as conn:
            for old, new, score in pairs:
                taken = conn.execute(
                    "SELECT 1 FROM review_log WHERE deck_id = ? AND card_key = ? LIMIT 1",
                    (deck_id, new),
                ).fetchone()
                if taken:
                    continue
                conn.execute(
                    "DELETE FROM card_state WHERE deck_id = ? AND card_key = ?", (deck_id, new)
                )
                for table in ("review_log", "card_state", "card_text"):
                    conn.execute(
                        f"UPDATE {table} SET card_key = ? WHERE deck_id = ? AND card_key = ?",
                        (new, deck_id, old),
                    )
                conn.execute(
                    "INSERT INTO relinks VALUES (?, ?, ?, ?, ?)",
                    (deck_id, old, new, score, to_ms(now)),
                )
                count += 1
        return count

    def keep_apart(self, deck_id: str, old: str, new: str, now: datetime) -> None:
        """Remember that the learner said card ``new`` is not card ``old`` edited."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO kept_apart VALUES (?, ?, ?, ?)",
                (deck_id, old, new, to_ms(now)),
            )

    def kept_apart(self, deck_id: str) -> set[tuple[str, str]]:
        """The ``(old, new)`` pairs of a deck the learner said are different cards."""
        with self._guard() as conn:
            if not _has_table(conn, "kept_apart"):
                return set()  # an older file opened read-only, not migrated: none decided
            rows = conn.execute(
                "SELECT old_key, new_key FROM kept_apart WHERE deck_id = ?", (deck_id,)
            )
            return {(old, new) for old, new in rows.fetchall()}

    def move_deck(self, old: str, new: str) -> int:
        """Give deck ``old``'s whole history to deck ``new`` (a deck file renamed, with no
        ``[deck] id`` to keep), atomically; refused (0) when ``new`` has history of its own.
        Returns the log entries moved."""
        with self._write() as conn:
            if conn.execute(
                "SELECT 1 FROM card_state WHERE deck_id = ? LIMIT 1", (new,)
            ).fetchone():
                return 0
            moved = conn.execute(
                "UPDATE review_log SET deck_id = ? WHERE deck_id = ?", (new, old)
            ).rowcount
            for table in ("card_state", "card_text", "relinks", "kept_apart", "anki_origin"):
                conn.execute(f"UPDATE {table} SET deck_id = ? WHERE deck_id = ?", (new, old))
        return moved

    def prune(self, deck_id: str, keys: Iterable[str]) -> int:
        """Delete all progress of these cards (log included); returns log entries deleted."""
        deleted = 0
        with self._write() as conn:
            for key in keys:
                cur = conn.execute(
                    "DELETE FROM review_log WHERE deck_id = ? AND card_key = ?", (deck_id, key)
                )
                deleted += cur.rowcount
                for table in ("card_state", "card_text"):
                    conn.execute(
                        f"DELETE FROM {table} WHERE deck_id = ? AND card_key = ?", (deck_id, key)
                    )
        return deleted

    def import_reviews(self, reviews: Iterable[Review]) -> int:
        """Append many entries in one transaction (imports, benchmarks); states follow the log.

        Each card's cached state becomes the ``state_after`` of its last entry given here.
        """
        latest: dict[Ref, CardState] = {}

        def rows() -> Iterator[tuple[Any, ...]]:
            for review in reviews:
                if not review.undone:
                    latest[(review.deck_id, review.card_key)] = review.state_after
                yield review._row()

        with self._write() as conn:
            before = conn.total_changes
            conn.executemany(
                f"INSERT INTO review_log ({_REVIEW_COLUMNS}) VALUES ({','.join('?' * 14)})",
                rows(),
            )
            count = conn.total_changes - before
            conn.executemany(
                f"INSERT OR REPLACE INTO card_state ({_STATE_COLUMNS})"
                f" VALUES ({','.join('?' * 13)})",
                (_state_row(s) for s in latest.values()),
            )
        return count

    def import_history(self, reviews: Iterable[Review]) -> tuple[set[str], int]:
        """Append entries whose ids the log lacks, in one transaction: the ids added, and how
        many cards' states they set.

        Importing the same history twice adds nothing. A card that gained entries takes the
        ``state_after`` of its last one given here; a card that gained none keeps its state
        (progress made since an earlier import of the same history is never overwritten).
        """
        latest: dict[Ref, CardState] = {}
        added: set[str] = set()
        with self._write() as conn:
            for review in reviews:
                cur = conn.execute(
                    f"INSERT OR IGNORE INTO review_log ({_REVIEW_COLUMNS})"
                    f" VALUES ({','.join('?' * 14)})",
                    review._row(),
                )
                if cur.rowcount:
                    added.add(review.id)
                    if not review.undone:
                        latest[(review.deck_id, review.card_key)] = review.state_after
            for state in latest.values():
                self._put(conn, state)
        return added, len(latest)

    def save_anki_origins(
        self, deck_id: str, notes: Iterable[tuple[str, str, str]], notetypes: Mapping[int, str]
    ) -> None:
        """Keep where imported cards came from: ``(card id, content hash, note JSON)`` each,
        and the note types (legacy JSON by id) they use."""
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO anki_origin (deck_id, card_id, content_hash, note)"
                " VALUES (?, ?, ?, ?)",
                ((deck_id, *row) for row in notes),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO anki_notetype (id, model) VALUES (?, ?)",
                notetypes.items(),
            )

    def anki_origins(self, deck_id: str) -> tuple[dict[str, tuple[str, str]], dict[int, str]]:
        """Each imported card's ``(content hash, note JSON)`` by card id, and the note types."""
        with self._guard() as conn:
            if not _has_table(conn, "anki_origin"):
                return {}, {}  # an older file opened read-only, not migrated
            rows = conn.execute(
                "SELECT card_id, content_hash, note FROM anki_origin WHERE deck_id = ?", (deck_id,)
            ).fetchall()
            types = conn.execute("SELECT id, model FROM anki_notetype").fetchall()
        return {key: (digest, note) for key, digest, note in rows}, dict(types)

    def rebuild_cache(self) -> int:
        """Recompute ``card_state`` from the log (each card's latest entry not undone).

        Buried flags, which are not logged, are dropped. Returns the number of cards.
        """
        with self._write() as conn:
            rows = conn.execute(
                "SELECT deck_id, card_key, state_after, max(seq) FROM review_log"
                " WHERE undone = 0 GROUP BY deck_id, card_key"
            ).fetchall()
            conn.execute("DELETE FROM card_state")
            conn.executemany(
                f"INSERT INTO card_state ({_STATE_COLUMNS}) VALUES ({','.join('?' * 13)})",
                (_state_row(CardState.from_json(d, k, s)) for d, k, s, _ in rows),
            )
        return len(rows)


_DECODE_ERRORS = (ValueError, KeyError, TypeError, IndexError, OverflowError, AttributeError)
"""What decoding a stored value raises when the value is not what quiz wrote."""

_TIME = "IN ('integer', 'null')"
_BAD_STATES = f"""SELECT deck_id, card_key, CASE
    WHEN state NOT IN (1, 2, 3) THEN 'state ' || quote(state) || ' is not an FSRS state'
    WHEN typeof(step) {_TIME} = 0 THEN 'step is not a whole number'
    WHEN typeof(stability) NOT IN ('integer', 'real', 'null') THEN 'stability is not a number'
    WHEN typeof(difficulty) NOT IN ('integer', 'real', 'null') THEN 'difficulty is not a number'
    WHEN typeof(due) {_TIME} = 0 THEN 'due is not a time'
    WHEN typeof(last_review) {_TIME} = 0 THEN 'last_review is not a time'
    WHEN typeof(buried_until) {_TIME} = 0 THEN 'buried_until is not a time'
    WHEN typeof(lapses) != 'integer' OR typeof(reps) != 'integer'
        THEN 'lapses or reps is not a whole number'
    WHEN suspended NOT IN (0, 1) THEN 'suspended is not 0 or 1'
    WHEN NOT json_valid(tags) THEN 'tags is not JSON'
    WHEN json_type(tags) != 'array' THEN 'tags is not a JSON list'
    END AS problem FROM card_state WHERE problem IS NOT NULL"""
"""The ``card_state`` rows whose values ``_state_from_row`` cannot read, and why."""

_BAD_LOG = """SELECT id, deck_id, card_key, CASE
    WHEN typeof(reviewed_at) != 'integer' THEN 'reviewed_at is not a time'
    WHEN typeof(utc_offset_minutes) != 'integer' THEN 'utc_offset_minutes is not a number'
    WHEN typeof(learner_day) != 'text' OR date(learner_day) IS NOT learner_day
        THEN 'learner_day is not a date'
    WHEN NOT json_valid(state_after) THEN 'state_after is not JSON'
    WHEN state_before IS NOT NULL AND NOT json_valid(state_before)
        THEN 'state_before is not JSON'
    WHEN json_type(state_after) != 'object' THEN 'state_after is not a JSON object'
    WHEN json_extract(state_after, '$.state') NOT IN (1, 2, 3)
        THEN 'state_after has no FSRS state'
    END AS problem FROM review_log WHERE problem IS NOT NULL"""
"""The ``review_log`` rows whose values ``Review._from_row`` cannot read, and why."""


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether a table exists (an older file opened read-only is not migrated)."""
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None
    )


def _unwritable(directory: Path, path: Path) -> str | None:
    """Why quiz could not write the database (and its WAL files beside it), or None."""
    if not directory.exists():
        parent = next((p for p in directory.parents if p.exists()), None)
        if parent is not None and not os.access(parent, os.W_OK | os.X_OK):
            return f"the data folder {directory} cannot be created in {parent} (read-only)"
        return None
    if not os.access(directory, os.W_OK | os.X_OK):
        return f"the data folder {directory} is read-only"
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and not os.access(file, os.W_OK):
            return f"{file} is read-only"
    return None


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; in a read-only folder a WAL database cannot make its shared
    memory file, so it is then read as immutable (nothing can write it there anyway)."""
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(
            f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn = sqlite3.connect(
            f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None, check_same_thread=False
        )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite gave up waiting for another connection's lock."""
    text = str(exc)
    return "locked" in text or "busy" in text
