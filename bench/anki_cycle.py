"""Anki doing what the answer benchmark times in quiz, run in its own process.

``build ANKI_DIR DATA_DIR DECKS``: a collection with one Basic note per quiz item (its prompt
and answer), every card quiz has a state for put in review with the same due date and
interval, and the same review log (one ``revlog`` row per quiz answer).

``answer COLLECTION N``: answer N cards Good, each cycle being what Anki's reviewer does:
``answer_card`` (scheduling, the durable commit) then ``get_queued_cards`` (the next card).
Prints the seconds of each cycle as JSON. Both sides get limits high enough for every run.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["answer", "build"]

LIMIT = 9_999
"""New cards and reviews a day, in both apps (Anki's largest): repeated runs on one day must
find cards to answer."""


def _collection(path: Path) -> Any:
    from anki.collection import Collection

    return Collection(str(path))


def build(anki_dir: Path, data_dir: Path, decks: Path) -> None:
    from anki.collection import AddNoteRequest

    from bench.synth import NOW
    from quiz.decks import load_library
    from quiz.storage import db_path

    anki_dir.mkdir(parents=True, exist_ok=True)
    library = load_library([decks], data_dir=data_dir)
    items = [item for deck in library.decks for item in deck.items]
    col = _collection(anki_dir / "bench.anki2")
    basic = col.models.by_name("Basic")
    deck_id = col.decks.id("bench")
    requests = []
    for item in items:
        note = col.new_note(basic)
        note["Front"], note["Back"] = item.prompt, item.answer
        requests.append(AddNoteRequest(note=note, deck_id=deck_id))
    col.add_notes(requests)
    card_ids = [row[0] for row in col.db.all("SELECT id FROM cards ORDER BY id")]
    ids = {(item.deck_id, item.key): cid for item, cid in zip(items, card_ids, strict=True)}
    today = col.sched.today
    with sqlite3.connect(db_path(data_dir)) as quiz:
        states = quiz.execute(
            "SELECT deck_id, card_key, due, stability, reps, lapses FROM card_state"
        ).fetchall()
        log = quiz.execute(
            "SELECT deck_id, card_key, reviewed_at, rating, kind FROM review_log ORDER BY seq"
        ).fetchall()
    now_ms = int(NOW.timestamp() * 1000)
    col.db.executemany(
        "UPDATE cards SET type = 2, queue = 2, due = ?, ivl = ?, factor = 2500, reps = ?,"
        " lapses = ? WHERE id = ?",
        [
            (
                max(0, today + (due - now_ms) // 86_400_000),
                max(1, round(stab or 1)),
                reps,
                lapses,
                cid,
            )
            for deck, key, due, stab, reps, lapses in states  # overdue: due on day 0, the first
            if (cid := ids.get((deck, key))) is not None
        ],
    )
    used: set[int] = set()
    rows = []
    for deck, key, at, rating, kind in log:
        cid = ids.get((deck, key))
        if cid is None:
            continue
        while at in used:
            at += 1
        used.add(at)
        rows.append((at, cid, -1, rating, 1, 1, 2500, 4000, 0 if kind == "learn" else 1))
    col.db.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    config = col.decks.config_dict_for_deck_id(deck_id)
    config["new"]["perDay"] = LIMIT
    config["rev"]["perDay"] = LIMIT
    col.decks.update_config(config)
    col.decks.select(deck_id)
    col.close()
    (anki_dir / "built.json").write_text(json.dumps({"cards": len(items), "reviews": len(rows)}))


def answer(collection: Path, count: int) -> list[float]:
    import anki.collection  # noqa: F401 - first: anki.cards alone is a circular import
    from anki.cards import Card
    from anki.scheduler.v3 import CardAnswer

    col = _collection(collection)
    times = []
    queued = col.sched.get_queued_cards().cards[0]
    for _ in range(count):
        start = time.perf_counter()
        card = Card(col, backend_card=queued.card)
        card.start_timer()
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=queued.states, rating=CardAnswer.GOOD)
        )
        found = col.sched.get_queued_cards().cards
        times.append(time.perf_counter() - start)
        if not found:
            break
        queued = found[0]
    col.close()
    return times


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        print(json.dumps(answer(Path(sys.argv[2]), int(sys.argv[3]))))
