"""Anki's history and schedule come through an import, and go back through an export.

Anki studies a collection over simulated days in a process under libfaketime
(``anki_history.py``); quiz imports the package it exports and must have every card due on
the day Anki has it due, in the same state, with the same memory; and the reverse.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import fsrs
import pytest
from helpers import FAKETIME, faketime_env

from quiz.config import Config
from quiz.decks import load_deck, save_deck
from quiz.interop import carried_for, deck_for_export, export_deck, import_file, record_history
from quiz.interop.notes import Note, NoteKind
from quiz.scheduling import Calendar
from quiz.storage import Store

SCRIPT = Path(__file__).with_name("anki_history.py")
ZONE = "America/New_York"
START = "2026-01-05 09:00:00"

pytestmark = pytest.mark.skipif(not FAKETIME.exists(), reason="libfaketime is not installed")


def anki(job: dict[str, Any], tmp: Path) -> dict[str, Any]:
    clock = tmp / "faketime"
    clock.write_text(f"{job['start']}\n")
    env = faketime_env(ZONE, clock)
    done = subprocess.run(
        [sys.executable, str(SCRIPT), json.dumps(job)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A collection Anki studied for two weeks, exported with its scheduling."""
    out = tmp_path_factory.mktemp("anki-history")
    job = {"start": START, "days": 14, "notes": 60, "seed": 3, "out": str(out)}
    return out, anki(job, out)


def local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo(ZONE))


CONFIG = Config(timezone=ZONE, day_starts_at=4)
CALENDAR = Calendar(ZoneInfo(ZONE), 4)


def facet(note: Note, ord_: int) -> str:
    """The quiz item an Anki card is: a cloze group, the reverse, or (for a note that became
    one quiz card per Anki card) the card's front."""
    if note.kind is NoteKind.CLOZE:
        return f"c{ord_ + 1}"
    if note.split is not None:
        return ""
    return "reverse" if ord_ else ""


def imported(package: Path, tmp: Path, now: datetime) -> tuple[Any, dict[tuple[str, int], str]]:
    """Import a package into a fresh quiz data folder: the deck and each Anki card's item key."""
    result = import_file(package)
    path = tmp / "deck.toml"
    save_deck(result.deck, path, force=True)
    loaded = load_deck(path)
    keys = {(it.card_key, it.facet): it.key for it in loaded.items}
    by_card: dict[tuple[str, int], str] = {}
    for card_id, note in result.sources:
        for card in note.cards:
            by_card[(note.guid, card.ord)] = keys[(card_id, facet(note, card.ord))]
    with Store.open(tmp / "home", now=now) as store:
        first = record_history(store, loaded, result, CONFIG, now)
        again = record_history(store, loaded, result, CONFIG, now)
        states = store.states_for_deck(loaded.id)
        log = sum(len(store.history(loaded.id, key)) for key in by_card.values())
    return (first, again, states, log), by_card


def due_offsets(states: dict[str, Any], now: datetime) -> Counter[int]:
    """Cards due per learner day from today (overdue counts as today), suspended left out."""
    today = CALENDAR.day(now)
    return Counter(
        max((CALENDAR.day(s.due) - today).days, 0)
        for s in states.values()
        if not s.suspended and not s.is_new and s.due is not None
    )


@pytest.mark.parametrize("variant", ["legacy", "modern"])
def test_an_anki_collection_continues_where_anki_left_it(
    studied: tuple[Path, dict[str, Any]], tmp_path: Path, variant: str
) -> None:
    folder, report = studied
    now = local(report["now"]).astimezone(UTC) + timedelta(minutes=1)
    (first, again, states, log), by_card = imported(folder / f"{variant}.apkg", tmp_path, now)
    cards = report["cards"]
    assert {c["queue"] for c in cards} >= {0, 1, 2, -1, -3}  # every kind of card is tried
    studied_cards = [c for c in cards if c["type"] != 0]
    assert first.cards == len(studied_cards)
    assert first.reviews == sum(c["reps"] for c in cards)  # every answer, none invented
    # plus Anki's manual changes (set due date), and one entry setting each card's state
    assert report["manual"] > 0
    assert log == first.reviews + report["manual"] + first.cards
    assert (again.reviews, again.cards) == (0, 0)  # importing twice adds nothing
    anki_days: Counter[int] = Counter()
    for card in cards:
        state = states.get(by_card[(card["guid"], card["ord"])])
        if card["type"] == 0:
            assert state is None
            continue
        assert state is not None
        assert (state.reps, state.lapses) == (card["reps"], card["lapses"])
        assert state.suspended == (card["queue"] == -1)
        assert (state.buried_until is not None) == (card["queue"] == -3)
        expected_state = {1: fsrs.State.Learning, 2: fsrs.State.Review, 3: fsrs.State.Relearning}
        assert state.state == expected_state[card["type"]]
        assert state.stability == pytest.approx(card["stability"], rel=1e-3)
        assert state.due is not None
        if card["at"] is not None:
            assert state.due == datetime.fromtimestamp(card["at"], UTC)
            offset = (CALENDAR.day(state.due) - CALENDAR.day(now)).days
        else:
            offset = card["days"]
            assert (CALENDAR.day(state.due) - CALENDAR.day(now)).days == offset
        if card["queue"] != -1:
            anki_days[max(offset, 0)] += 1
    assert due_offsets(states, now) == anki_days


def anki_import(package: Path, tmp: Path, now: datetime) -> dict[str, Any]:
    """A fresh Anki collection importing a package (with scheduling) at ``now``."""
    moment = f"{now.astimezone(ZoneInfo(ZONE)):%Y-%m-%d %H:%M:%S}"
    job = {"import": True, "package": str(package), "start": moment, "out": str(tmp)}
    return anki(job, tmp)


def test_anki_has_the_same_cards_due_as_quiz_after_an_export(
    studied: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    folder, report = studied
    now = local(report["now"]).astimezone(UTC) + timedelta(minutes=1)
    (first, _, states, _), _ = imported(folder / "modern.apkg", tmp_path, now)
    assert first.cards
    out = tmp_path / "back.apkg"
    loaded = load_deck(tmp_path / "deck.toml")
    with Store.open(tmp_path / "home", now=now, read_only=True) as store:
        carried = carried_for(store, loaded, CONFIG, with_progress=True)
    export_deck(deck_for_export(loaded), out, now, carried=carried)
    back = anki_import(out, tmp_path, now)["cards"]
    assert len(back) == len(report["cards"])
    quiz_days = due_offsets(states, now)
    anki_days: Counter[int] = Counter()
    for card in back:
        if card["queue"] in (2, 3, -3) or (card["type"] == 2 and card["queue"] != -1):
            anki_days[max(card["days"], 0)] += 1
        elif card["queue"] == 1:
            due = datetime.fromtimestamp(card["at"], UTC)
            anki_days[max((CALENDAR.day(due) - CALENDAR.day(now)).days, 0)] += 1
    assert anki_days == quiz_days
    original = {(c["guid"], c["ord"]): c for c in report["cards"]}
    for card in back:  # the same memory, reps, lapses and suspension, card by card
        before = original[(card["guid"], card["ord"])]
        for field in ("queue", "type", "reps", "lapses"):
            assert card[field] == before[field], (field, card, before)
        if before["stability"] is not None:
            assert card["stability"] == pytest.approx(before["stability"], rel=1e-3)


def notes_of(collection: Path) -> dict[str, tuple[int, int, str]]:
    """Each note of a collection by guid: note type, modification time and fields."""
    from anki.collection import Collection

    col = Collection(str(collection))
    try:
        assert col.db is not None
        rows = col.db.all("SELECT guid, mid, mod, flds FROM notes")
    finally:
        col.close()
    return {guid: (mid, mod, flds) for guid, mid, mod, flds in rows}


def test_a_round_trip_into_the_original_collection_changes_only_edited_notes(
    studied: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    import shutil

    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    folder, report = studied
    now = local(report["now"]).astimezone(UTC) + timedelta(minutes=1)
    imported(folder / "modern.apkg", tmp_path, now)
    deck_path = tmp_path / "deck.toml"
    text = deck_path.read_text()
    assert 'back = "City 11"' in text
    assert 'front = "a ___ walk"' in text  # one template's card of the custom note type
    text = text.replace('back = "City 11"', 'back = "City eleven"')
    deck_path.write_text(text.replace('front = "a ___ walk"', 'front = "a ___ pace"'))
    out = tmp_path / "back.apkg"
    loaded = load_deck(deck_path)
    with Store.open(tmp_path / "home", now=now, read_only=True) as store:
        carried = carried_for(store, loaded, CONFIG, with_progress=False)
    export_deck(deck_for_export(loaded), out, now, carried=carried)

    original = tmp_path / "original.anki2"
    shutil.copy(folder / "collection.anki2", original)
    before = notes_of(original)
    col = Collection(str(original))
    options = ImportAnkiPackageOptions()
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(out), options=options))
    col.close()
    after = notes_of(original)
    assert after.keys() == before.keys()  # no note added: every guid came back
    changed = {guid for guid in before if after[guid] != before[guid]}
    assert len(changed) == 2 and len(log.log.updated) == 2
    for guid in changed:
        assert after[guid][0] == before[guid][0]  # the same note type
    assert sorted(after[guid][2].split("\x1f") for guid in changed) == [
        ["Capital of country 11?", "City eleven"],
        ["brisk", "quick", "a ___ pace"],  # its other template's fields as they were
    ]


def test_the_commands_say_what_history_they_keep_and_export(
    studied: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from quiz.cli import main

    folder, report = studied
    now = local(report["now"]).astimezone(UTC) + timedelta(minutes=1)
    monkeypatch.setenv("QUIZ_NOW", now.isoformat())
    deck = tmp_path / "capitals.toml"
    assert main(["import", str(folder / "legacy.apkg"), "-o", str(deck)]) == 0
    out = capsys.readouterr().out
    studied_cards = sum(1 for c in report["cards"] if c["type"] != 0)
    assert f"of history and the state of {studied_cards} cards (" in out
    assert "1 suspended" in out and "1 buried" in out
    assert main(["import", str(folder / "legacy.apkg"), "-o", str(deck), "--force"]) == 0
    assert "no new history to keep" in capsys.readouterr().out
    assert main(["decks"]) == 0  # the imported deck is in the library, with cards due
    listing = capsys.readouterr().out
    assert "capitals" in listing
    assert main(["export", str(deck), "-o", str(tmp_path / "a.apkg"), "--with-progress"]) == 0
    assert f"with the progress of {studied_cards} cards" in capsys.readouterr().out
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("QUIZ_HOME", str(fresh))
    assert (
        main(["import", str(folder / "legacy.apkg"), "-o", str(deck), "--force", "--no-progress"])
        == 0
    )
    assert "left out the package's review history" in capsys.readouterr().out
    assert main(["export", str(deck), "-o", str(tmp_path / "b.apkg"), "--with-progress"]) == 0
    assert "with the progress of 0 cards" in capsys.readouterr().out


def test_a_whole_collection_package_brings_its_history_too(
    studied: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    import shutil

    from anki.collection import Collection

    folder, report = studied
    copy = tmp_path / "collection.anki2"
    shutil.copy(folder / "collection.anki2", copy)
    col = Collection(str(copy))
    col.export_collection_package(str(tmp_path / "all.colpkg"), include_media=True, legacy=False)
    col.close()
    now = local(report["now"]).astimezone(UTC) + timedelta(minutes=1)
    (first, _, states, _), _ = imported(tmp_path / "all.colpkg", tmp_path, now)
    assert first.reviews == sum(c["reps"] for c in report["cards"])
    assert first.cards == sum(1 for c in report["cards"] if c["type"] != 0) == len(states)
