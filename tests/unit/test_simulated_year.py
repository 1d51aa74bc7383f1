"""A simulated year of study: a learner whose memory follows FSRS (the default weights) answers
what the session shows, most days, through the whole app core (queue, limits, siblings,
durable store). What they recalled of their reviews must be within two points of the desired
retention; no card may drop out of the queue; the daily limits and siblings must hold.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs

from quiz.config import Config
from quiz.decks import parse_deck
from quiz.grading import Rating
from quiz.session import StudySession
from quiz.storage import Store

START = datetime(2024, 1, 1, 8, tzinfo=UTC)
DAYS = 365
NEW_PER_DAY = 4


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


def test_a_year_of_study_keeps_the_retention_asked_for(tmp_path: Path) -> None:
    cards = "".join(
        f'[[cards]]\nfront = "q{n}"\nback = "a{n}"\n{"reverse = true" if n % 5 == 0 else ""}\n'
        for n in range(NEW_PER_DAY * DAYS)
    )
    deck = parse_deck(
        f'[deck]\nid = "year"\n[deck.study]\nnew_per_day = {NEW_PER_DAY}\n'
        f"reviews_per_day = 9999\n{cards}",
        Path("year.toml"),
    )
    rng = random.Random(2024)
    memory = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    truth: dict[str, fsrs.Card] = {}
    recalled: Counter[bool] = Counter()
    config = Config.model_validate({"timezone": "UTC"})
    clock = Clock()
    with Store.open(tmp_path, now=START) as store:
        for day in range(DAYS):
            if rng.random() < 0.1:
                continue  # a day off: what was due waits
            clock.now = now = START + timedelta(days=day, hours=rng.random() * 12)
            session = StudySession(store, [deck], clock, config)
            new_today, keys_today = 0, set()
            while (shown := session.next_card()) is not None:
                key = shown.item.key
                card = truth.get(key, fsrs.Card(0, due=now))
                first = key not in truth
                r = 1.0 if first else memory.get_card_retrievability(card, now)
                remember = first or rng.random() < r
                if shown.source == "review":
                    recalled[remember] += 1
                rating = Rating.GOOD if remember else Rating.AGAIN
                truth[key] = memory.review_card(card, fsrs.Rating(int(rating)), now)[0]
                new_today += shown.source == "new"
                base = key.split("/")[0]
                assert base not in keys_today or shown.source != "new"  # siblings wait a day
                keys_today.add(base)
                session.rate(rating)
                clock.now = now = now + timedelta(seconds=20)
            assert new_today <= NEW_PER_DAY
            waiting = [
                s
                for s in store.states_for_deck("year").values()
                if s.due is not None
                and s.due < now
                and not s.suspended
                and not (s.buried_until and s.buried_until > now)  # a sibling's: tomorrow
            ]
            assert not waiting  # every card due was shown: none fell out of the queue
    retention = recalled[True] / sum(recalled.values())
    assert sum(recalled.values()) > 3000
    assert abs(retention - 0.9) <= 0.02, retention
