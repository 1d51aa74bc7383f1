"""Card info: a card's state, memory, chance of recall and history in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs

from quiz.card_info import history_lines, state_lines
from quiz.model import StudySettings
from quiz.storage import CardState, Review, ReviewKind

NOW = datetime(2026, 5, 4, 12, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")


def test_a_studied_card_says_its_memory_and_chance_of_recall() -> None:
    state = CardState(
        "d",
        "k",
        state=fsrs.State.Review,
        reps=5,
        lapses=1,
        stability=10.0,
        difficulty=5.5,
        due=NOW + timedelta(days=3),
        last_review=NOW - timedelta(days=10),
        tags=("leech",),
    )
    lines = dict(state_lines(state, NOW, StudySettings(), ZONE))
    assert lines["State"] == "review · due 2026-05-07 14:00"
    assert lines["Reviews"] == "reps 5 · lapses 1"
    # FSRS: after as many days as the stability, recall is the 90% it is defined by.
    assert lines["Memory"] == "stability 10.0d · difficulty 5.5 · recall now 90%"
    assert lines["Tags"].startswith("leech")


def test_a_new_card_says_new_or_buried() -> None:
    assert state_lines(None, NOW, StudySettings(), ZONE) == [("State", "new")]
    buried = CardState("d", "k", buried_until=NOW + timedelta(hours=5))
    assert state_lines(buried, NOW, StudySettings(), ZONE) == [
        ("State", "buried"),
        ("Buried until", "2026-05-04 19:00"),
    ]


def test_history_is_newest_first_with_undone_and_manual_entries() -> None:
    def review(minutes: int, rating: int, kind: ReviewKind, undone: bool = False) -> Review:
        entry = Review.create(
            "d",
            "k",
            rating=rating,
            kind=kind,
            at=NOW + timedelta(minutes=minutes),
            zone=ZONE,
            learner_day=NOW.date(),
            content_hash="h",
            before=None,
            after=CardState("d", "k"),
            duration_ms=4200 if rating else 0,
        )
        return replace(entry, undone=undone)

    lines = history_lines(
        [review(0, 3, "learn"), review(5, 1, "review", True), review(9, 0, "manual")], ZONE
    )
    assert lines == [
        "2026-05-04 14:09  manual   changed by hand",
        "2026-05-04 14:05  review   Again · 4s (undone)",
        "2026-05-04 14:00  learn    Good · 4s",
    ]
