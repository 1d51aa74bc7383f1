"""The progress store: durable answers, exact undo, a rebuildable cache, refusing bad files."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import threading
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import fsrs
import pytest
from helpers import review_count

from quiz.errors import StorageError
from quiz.migrations import MIGRATIONS, SCHEMA_VERSION
from quiz.storage import CardState, CardText, Review, Store, db_path, from_ms, to_ms

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def entry(
    before: CardState | None,
    *,
    deck: str = "d",
    key: str = "k",
    rating: int = 3,
    at: datetime = NOW,
) -> Review:
    base = before or CardState(deck, key)
    after = replace(
        base,
        state=fsrs.State.Review,
        step=None,
        stability=3.0,
        difficulty=5.0,
        due=at + timedelta(days=3),
        last_review=at,
        reps=base.reps + 1,
    )
    return Review(
        id=str(uuid.uuid4()),
        deck_id=deck,
        card_key=key,
        rating=rating,
        kind="learn",
        reviewed_at=at,
        utc_offset_minutes=60,
        tz_name="Europe/Berlin",
        learner_day=date(2024, 3, 1),
        duration_ms=1200,
        content_hash="abc",
        state_before=before,
        state_after=after,
    )


def test_times_round_trip_exactly_in_utc() -> None:
    moment = datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)
    assert from_ms(to_ms(moment)) == moment
    assert from_ms(0).tzinfo is UTC


def test_new_store_is_private_and_versioned(tmp_path: Path) -> None:
    with Store.open(tmp_path / "d", now=NOW) as s:
        assert s.path == db_path(tmp_path / "d")
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == 0o700
    assert stat.S_IMODE(db_path(tmp_path / "d").stat().st_mode) == 0o600
    conn = sqlite3.connect(db_path(tmp_path / "d"))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT name FROM migrations").fetchall() == [(m.name,) for m in MIGRATIONS]


def test_reopening_applies_no_migration_twice(tmp_path: Path) -> None:
    Store.open(tmp_path, now=NOW).close()
    Store.open(tmp_path, now=NOW + timedelta(days=1)).close()
    conn = sqlite3.connect(db_path(tmp_path))
    assert conn.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_record_is_committed_and_returns_the_entry(store: Store, tmp_path: Path) -> None:
    review = store.record("d", "k", entry, text=CardText("basic", "", "2+2?"))
    other = sqlite3.connect(store.path)
    assert other.execute("SELECT id, undone FROM review_log").fetchall() == [(review.id, 0)]
    assert store.state("d", "k") == review.state_after
    assert store.states_for_deck("d") == {"k": review.state_after}
    assert store.history("d", "k") == [review]
    assert store.review(review.id) == review
    assert store.texts("d") == {"k": CardText("basic", "", "2+2?")}


def test_record_builds_on_the_state_read_in_its_transaction(store: Store) -> None:
    first = store.record("d", "k", entry)
    second = store.record("d", "k", entry)
    assert first.state_before is None
    assert second.state_before == first.state_after
    assert store.state("d", "k").reps == 2  # type: ignore[union-attr]


def test_undo_restores_the_state_before_exactly(store: Store) -> None:
    first = store.record("d", "k", entry)
    second = store.record("d", "k", entry)
    assert store.undo(second.id).undone
    assert store.state("d", "k") == first.state_after
    store.undo(first.id)
    assert store.state("d", "k") is None
    assert [r.undone for r in store.history("d", "k")] == [True, True]
    assert store.day_counts(date(2024, 3, 1)) == {}


def test_undo_refuses_an_answer_that_is_not_the_latest(store: Store) -> None:
    first = store.record("d", "k", entry)
    store.record("d", "k", entry)
    with pytest.raises(StorageError, match="answered again"):
        store.undo(first.id)


def test_day_counts_count_new_cards_and_reviews(store: Store) -> None:
    store.record("d", "a", lambda s: entry(s, key="a"))
    store.record("d", "b", lambda s: entry(s, key="b"))
    review = store.record("d", "a", lambda s: replace(entry(s, key="a"), kind="review"))
    assert store.day_counts(date(2024, 3, 1))["d"].new == 2
    assert store.day_counts(date(2024, 3, 1))["d"].reviews == 1
    store.undo(review.id)
    assert store.day_counts(date(2024, 3, 1))["d"].reviews == 0
    assert store.last_learner_day() == date(2024, 3, 1)


def test_bury_and_unbury_leave_no_trace(store: Store) -> None:
    until = NOW + timedelta(hours=16)
    previous = store.bury([("d", "new")], until)
    assert store.state("d", "new") == CardState("d", "new", buried_until=until)
    store.unbury(previous)
    assert store.state("d", "new") is None


def test_rebuild_cache_recovers_every_state_from_the_log(store: Store) -> None:
    a = store.record("d", "a", lambda s: entry(s, key="a"))
    b = store.record("d", "b", lambda s: entry(s, key="b"))
    b2 = store.record("d", "b", lambda s: entry(s, key="b"))
    store.undo(b2.id)
    before = store.states_for_deck("d")
    with sqlite3.connect(store.path) as conn:
        conn.execute("DELETE FROM card_state")
    assert store.states_for_deck("d") == {}
    assert store.rebuild_cache() == 2
    assert store.states_for_deck("d") == before == {"a": a.state_after, "b": b.state_after}


def test_import_reviews_appends_in_bulk(store: Store) -> None:
    reviews = [entry(None, key=f"k{i}") for i in range(100)]
    assert store.import_reviews(reviews) == 100
    assert len(store.states_for_deck("d")) == 100
    assert len(list(store.answers(deck_ids=["d"]))) == 100


def test_relink_moves_history_and_prune_deletes_it(store: Store) -> None:
    review = store.record(
        "d", "old", lambda s: entry(s, key="old"), text=CardText("basic", "", "q")
    )
    assert store.relink("d", [("old", "new", 90.0)], NOW) == 1
    assert store.card_keys("d") == {"new"}
    assert store.entry_counts("d", ["new", "old"]) == {"new": 1, "old": 0}
    assert store.history("d", "new")[0].id == review.id
    assert store.texts("d").keys() == {"new"}
    assert store.prune("d", ["new"]) == 1
    assert store.deck_ids() == []


def test_a_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    Store.open(tmp_path, now=NOW).close()
    with sqlite3.connect(db_path(tmp_path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    content = db_path(tmp_path).read_bytes()
    with pytest.raises(StorageError, match="newer quiz") as info:
        Store.open(tmp_path, now=NOW)
    assert str(db_path(tmp_path)) in str(info.value)
    assert db_path(tmp_path).read_bytes() == content


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    db_path(tmp_path).write_bytes(b"my shopping list\n" * 100)
    with pytest.raises(StorageError, match="damaged or not a quiz database") as info:
        Store.open(tmp_path, now=NOW)
    assert str(db_path(tmp_path)) in str(info.value)
    assert db_path(tmp_path).read_bytes() == b"my shopping list\n" * 100


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    with sqlite3.connect(db_path(tmp_path)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(StorageError, match="not a quiz progress database"):
        Store.open(tmp_path, now=NOW)
    conn = sqlite3.connect(db_path(tmp_path))
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("contacts",)]


def test_two_connections_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    stores = [Store.open(tmp_path, now=NOW) for _ in range(2)]

    def answer(store: Store) -> None:
        for _ in range(50):
            store.record("d", "k", entry)

    threads = [threading.Thread(target=answer, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert review_count(stores[0]) == 100
    assert stores[1].state("d", "k").reps == 100  # type: ignore[union-attr]
    for s in stores:
        s.close()


def test_many_processes_creating_the_file_at_once_all_succeed(tmp_path: Path) -> None:
    code = (
        "import sys, datetime as d\n"
        "from quiz.storage import Store\n"
        "Store.open(sys.argv[1], now=d.datetime(2024, 3, 1, tzinfo=d.UTC)).close()\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors
    conn = sqlite3.connect(db_path(tmp_path))
    assert conn.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)
