"""Anki studying a collection over simulated days, run in its own process under libfaketime.

``python anki_history.py JSON``: JSON holds ``start`` (local "YYYY-MM-DD HH:MM:SS"), ``days``,
``notes``, ``seed`` and ``out`` (a folder). Each simulated day Anki's own scheduler answers what
it has due (ratings from a seeded generator); on the last day some cards are left in
learning, one review card is suspended and one buried. It writes ``out/legacy.apkg`` and
``out/modern.apkg`` (with scheduling) and prints, per card, what Anki has: its note guid and
ordinal, queue and type, days until due (review, day learning) or the due instant in epoch
seconds (learning), and its FSRS stability. Or, with ``import`` and ``package`` in JSON, it
imports a package into a fresh collection at ``start`` and prints the same for it.
"""

from __future__ import annotations

import json
import os
import random
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any


def _set_clock(clock: Path, moment: datetime) -> None:
    clock.write_text(f"{moment:%Y-%m-%d %H:%M:%S}\n")  # frozen there: the run is repeatable


def _report(col: Any) -> list[dict[str, Any]]:
    today = col.sched.today
    out = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        memory = card.memory_state
        due = card.odue if card.odid else card.due
        out.append(
            {
                "guid": card.note().guid,
                "ord": card.ord,
                "queue": card.queue,
                "type": card.type,
                "days": due - today if card.queue in (2, 3) or card.type == 2 else None,
                "at": due if card.queue == 1 else None,
                "stability": memory.stability if memory else None,
                "reps": card.reps,
                "lapses": card.lapses,
            }
        )
    return out


def _setup(col: Any) -> None:
    from anki.decks import DeckId

    col.set_config("fsrs", True)
    conf = col.decks.config_dict_for_deck_id(DeckId(1))
    conf["new"]["delays"] = [1.0, 10.0]
    conf["lapse"]["delays"] = [10.0]
    conf["new"]["perDay"] = 5
    conf["desiredRetention"] = 0.9
    col.decks.update_config(conf)


def _study(
    col: Any,
    clock: Path,
    moment: datetime,
    rate: Callable[[Any], int],
    done: Callable[[], bool] = lambda: False,
) -> datetime:
    """Answer what Anki shows, 40 seconds apart, until nothing is due or ``done()``."""
    for _ in range(200):
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards or done():
            break
        card = col.get_card(queued.cards[0].card.id)
        card.start_timer()
        col.sched.answerCard(card, rate(card))
        moment += timedelta(seconds=40)
        _set_clock(clock, moment)
    return moment


def _leave_mid_step(col: Any, clock: Path, moment: datetime) -> datetime:
    """End the last day with new cards in learning and review cards relearning."""
    col.sched.extend_limits(2, 0)
    col.sched.set_due_date(col.find_cards("is:review -is:learn")[:2], "0")

    def done() -> bool:
        learning = col.find_cards("is:learn -is:review")
        return bool(learning) and len(col.find_cards("is:learn is:review")) > 1

    return _study(col, clock, moment, lambda card: 1 if card.type == 2 else 3, done)


def add_vocab_type(col: Any, fields: tuple[str, ...]) -> None:
    """A note type "Vocab" whose two templates ask different things: Word → Meaning, and
    Example → Word (neither the other's reverse)."""
    models = col.models
    vocab = models.new("Vocab")
    for name in fields:
        models.add_field(vocab, models.new_field(name))
    for name, question, answer in (("Meaning", "Word", "Meaning"), ("Usage", "Example", "Word")):
        template = models.new_template(name)
        template["qfmt"] = f"{{{{{question}}}}}"
        template["afmt"] = f"{{{{FrontSide}}}}<hr id=answer>{{{{{answer}}}}}"
        models.add_template(vocab, template)
    models.add(vocab)


def _add_unusual_notes(col: Any, deck: Any) -> None:
    """Notes one quiz card cannot stand for: a nested cloze (two cards) and a note type whose
    two templates ask different things; added first, so they are studied."""
    add_vocab_type(col, ("Word", "Meaning", "Example"))
    note = col.new_note(col.models.by_name("Vocab"))
    note["Word"], note["Meaning"], note["Example"] = "brisk", "quick", "a ___ walk"
    col.add_note(note, deck)
    note = col.new_note(col.models.by_name("Cloze"))
    note["Text"] = "{{c1::Lima lies {{c2::on the coast}}}} of Peru"
    col.add_note(note, deck)


def build(job: dict[str, Any], clock: Path) -> None:
    from anki.collection import Collection, ExportAnkiPackageOptions

    out = Path(job["out"])
    rng = random.Random(job["seed"])
    start = datetime.strptime(job["start"], "%Y-%m-%d %H:%M:%S")
    _set_clock(clock, start)
    col: Any = Collection(str(out / "collection.anki2"))
    _setup(col)
    deck = col.decks.id("Capitals")
    col.decks.select(deck)
    _add_unusual_notes(col, deck)
    for n in range(job["notes"]):
        kind = "Basic (and reversed card)" if n % 5 == 0 else "Basic"
        if n % 7 == 3:
            note = col.new_note(col.models.by_name("Cloze"))
            note["Text"] = f"{{{{c1::City {n}}}}} lies in {{{{c2::Country {n}}}}}"
        else:
            note = col.new_note(col.models.by_name(kind))
            note["Front"], note["Back"] = f"Capital of country {n}?", f"City {n}"
        col.add_note(note, deck)
    moment = start
    for day in range(job["days"]):
        moment = start + timedelta(days=day, minutes=rng.randrange(0, 600))
        _set_clock(clock, moment)
        moment = _study(col, clock, moment, lambda _: rng.choices([1, 2, 3, 4], [2, 1, 6, 1])[0])
    moment = _leave_mid_step(col, clock, moment)
    reviews = col.find_cards("is:review -is:learn -is:due")
    col.sched.suspend_cards(reviews[:1])
    col.sched.bury_cards(reviews[1:2])
    for name, legacy in (("legacy.apkg", True), ("modern.apkg", False)):
        options = ExportAnkiPackageOptions(with_scheduling=True, legacy=legacy)
        col.export_anki_package(out_path=str(out / name), options=options, limit=None)
    manual = col.db.scalar("SELECT count() FROM revlog WHERE ease = 0")
    print(
        json.dumps({"cards": _report(col), "now": f"{moment:%Y-%m-%d %H:%M:%S}", "manual": manual})
    )
    col.close()


def load(job: dict[str, Any], clock: Path) -> None:
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    _set_clock(clock, datetime.strptime(job["start"], "%Y-%m-%d %H:%M:%S"))
    col: Any = Collection(str(Path(job["out"]) / "fresh.anki2"))
    _setup(col)
    options = ImportAnkiPackageOptions(with_scheduling=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=job["package"], options=options))
    print(json.dumps({"cards": _report(col)}))
    col.close()


if __name__ == "__main__":
    job = json.loads(sys.argv[1])
    clock = Path(os.environ["FAKETIME_TIMESTAMP_FILE"])
    (load if job.get("import") else build)(job, clock)
