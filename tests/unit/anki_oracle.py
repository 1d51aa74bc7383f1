"""Anki's own scheduler answering one card at chosen instants, run in its own process.

``python anki_oracle.py JSON``: JSON holds ``maximum_interval`` and ``answers``, a list of
``[local time "YYYY-MM-DD HH:MM:SS", rating]``. The process runs under libfaketime reading
the time from ``FAKETIME_TIMESTAMP_FILE`` (rewritten before each answer), in the zone ``TZ``,
with ``ANKI_TEST_MODE`` set (Anki's fuzz off). It prints, per answer, the learner day and
what Anki set: in review, the days until due; in learning, the seconds; and the memory state.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def main() -> None:
    from anki.collection import Collection
    from anki.decks import DeckId

    job = json.loads(sys.argv[1])
    clock = Path(os.environ["FAKETIME_TIMESTAMP_FILE"])
    answers = job["answers"]
    clock.write_text(f"@{answers[0][0]}\n")
    col = Collection(str(Path(tempfile.mkdtemp()) / "oracle.anki2"))
    col.set_config("fsrs", True)
    deck = DeckId(1)
    conf = col.decks.config_dict_for_deck_id(deck)
    conf["new"]["delays"] = [1.0, 10.0]
    conf["lapse"]["delays"] = [10.0]
    conf["desiredRetention"] = 0.9
    conf["rev"]["maxIvl"] = job["maximum_interval"]
    col.decks.update_config(conf)
    basic = col.models.by_name("Basic")
    assert basic is not None and col.db is not None
    db = col.db
    note = col.new_note(basic)
    note["Front"], note["Back"] = "q", "a"
    col.add_note(note, deck)
    card_id = db.scalar("SELECT id FROM cards")
    out = []
    for moment, rating in answers:
        clock.write_text(f"@{moment}\n")
        card = col.get_card(card_id)
        card.start_timer()
        today = col.sched.today
        col.sched.answerCard(card, rating)
        card = col.get_card(card_id)
        memory = card.memory_state
        now = db.scalar("SELECT CAST(strftime('%s', 'now') AS INTEGER)")
        out.append(
            {
                "day": today,
                "review": card.queue in (2, 3),
                "days": card.due - today if card.queue in (2, 3) else None,
                "seconds": card.due - now if card.queue == 1 else None,
                "stability": memory.stability if memory else None,
            }
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
