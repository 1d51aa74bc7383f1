"""Decks changing underneath: a library knows when its files changed and says how, and a
session keeps studying the cards it has, losing no answer, whatever happens to the files."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers import review_count, write_deck

from quiz.config import Config
from quiz.decks import load_library
from quiz.grading import Rating
from quiz.session import StudySession
from quiz.storage import Store

NOW = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def touch_later(path: Path) -> None:
    """Make sure a rewrite shows in the file's stamp even on a coarse clock."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_library_notices_and_describes_every_kind_of_change(tmp_path: Path) -> None:
    for deck_id in ("edited", "deleted", "broken", "same"):
        write_deck(tmp_path, deck_id, 2)
    library = load_library([tmp_path])
    assert not library.is_stale()
    assert load_library([tmp_path]).changes_since(library) == []

    write_deck(tmp_path, "edited", 3, text="new q")
    touch_later(tmp_path / "edited.toml")
    (tmp_path / "deleted.toml").unlink()
    (tmp_path / "broken.toml").write_text('[deck]\nid = "broken"\n[[cards]]\nfront = 1\n')
    write_deck(tmp_path, "added", 1)
    assert library.is_stale()

    reloaded = load_library([tmp_path])
    assert not reloaded.is_stale()
    assert reloaded.changes_since(library) == [
        "'Deck added' is new",
        "'Deck edited' was edited",
        "'Deck broken' no longer loads (see the problems); its progress is kept",
        "'Deck deleted' is gone; its progress is kept",
    ]
    assert [d.id for d in reloaded.decks] == ["added", "edited", "same"]
    assert {p.path for p in reloaded.failures} == {tmp_path / "broken.toml"}


def test_a_new_broken_file_is_reported(tmp_path: Path) -> None:
    write_deck(tmp_path, "fine", 1)
    library = load_library([tmp_path])
    (tmp_path / "typo.toml").write_text("[deck\n")
    assert library.is_stale()
    assert load_library([tmp_path]).changes_since(library) == [
        f"{tmp_path / 'typo.toml'} does not load (see the problems)"
    ]


def test_session_goes_on_with_its_cards_when_the_deck_changes_and_nothing_is_lost(
    tmp_path: Path,
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    path = write_deck(decks, "d", 4)
    config = Config(timezone="UTC")
    clock = [NOW]
    with Store.open(tmp_path / "data", now=NOW) as store:
        session = StudySession(store, load_library([decks]).decks, lambda: clock[0], config)
        answered: list[str] = []

        def answer_next() -> None:
            card = session.next_card()
            assert card is not None
            answered.append(card.item.key)
            session.rate(Rating.EASY)
            clock[0] += timedelta(seconds=30)

        answer_next()
        write_deck(decks, "d", 2, text="rewritten ")  # cards c2 and c3 are gone, c0, c1 edited
        answer_next()
        path.write_text("not a deck [")  # now invalid
        answer_next()
        path.unlink()  # and now deleted
        answer_next()
        assert session.next_card() is None  # it studied the four cards it started with
        assert answered == ["c0", "c1", "c2", "c3"]
        assert session.summary().studied == 4

        write_deck(decks, "d", 2, text="rewritten ")  # the deck comes back, edited
        reloaded = load_library([decks]).decks
        assert [item.prompt for item in reloaded[0].items] == ["rewritten 0", "rewritten 1"]
        states = store.states_for_deck("d")
        assert set(states) == {"c0", "c1", "c2", "c3"}  # every answer kept, by card id
        assert all(s.reps == 1 for s in states.values())
        assert review_count(store) == 4
