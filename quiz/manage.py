"""Changes a learner makes to a card by hand, outside a study session: suspend, unsuspend,
reset (forget), unbury and set due date.

Each change is logged as a ``manual`` review around the card's state (read inside the write
transaction, so an answer given in another window is never lost), which keeps the card-state
cache rebuildable from the log and lets the browser show the change in the card's history.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from quiz.config import Config
from quiz.errors import QuizError
from quiz.model import Item
from quiz.scheduling import day_start, learner_today
from quiz.storage import CardState, Review, Store

__all__ = ["DueDays", "reset_card", "set_due", "set_suspended", "unbury"]

MAX_DAYS = 36_500


@dataclass(frozen=True, slots=True)
class DueDays:
    """When "set due date" puts a card, in learner days from today: one number, or a range
    the cards spread over (``1-7``, as Anki writes it; each card's day seeded by its key)."""

    low: int
    high: int

    @classmethod
    def parse(cls, text: str) -> DueDays:
        found = re.fullmatch(r"\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?", text)
        if found is None:
            raise QuizError(f"{text!r} is not a number of days (3) or a range (1-7)")
        low = int(found.group(1))
        high = int(found.group(2) or low)
        if high < low or high > MAX_DAYS:
            raise QuizError(f"{text!r}: give days from 0 to {MAX_DAYS}, the smaller first")
        return cls(low, high)

    def for_card(self, item: Item) -> int:
        if self.low == self.high:
            return self.low
        return random.Random(f"{item.deck_id}\x1f{item.key}").randint(self.low, self.high)


def _change(
    store: Store,
    item: Item,
    now: datetime,
    config: Config,
    change: Callable[[CardState], CardState],
) -> Review:
    zone = config.zone()
    now = now.astimezone(UTC)
    day = learner_today(now, zone, config.day_starts_at, store.last_learner_day())

    def make(before: CardState | None) -> Review:
        current = before or CardState(item.deck_id, item.key)
        return Review.create(
            item.deck_id,
            item.key,
            rating=0,
            kind="manual",
            at=now,
            zone=zone,
            learner_day=day,
            content_hash=item.content_hash,
            before=before,
            after=change(current),
        )

    return store.record(item.deck_id, item.key, make)


def set_suspended(
    store: Store, item: Item, suspended: bool, now: datetime, config: Config
) -> Review:
    """Suspend a card (it is not studied) or unsuspend it (it comes back when due)."""
    return _change(store, item, now, config, lambda state: replace(state, suspended=suspended))


def reset_card(store: Store, item: Item, now: datetime, config: Config) -> Review:
    """Forget a card's progress: it is new again, unsuspended and no longer a leech.

    Its past answers stay in the log (and in the statistics); only the state starts over.
    """
    return _change(store, item, now, config, lambda state: CardState(item.deck_id, item.key))


def unbury(store: Store, item: Item, now: datetime, config: Config) -> Review:
    """Show a buried card again today."""
    return _change(store, item, now, config, lambda state: replace(state, buried_until=None))


def set_due(
    store: Store, item: Item, days: DueDays, now: datetime, config: Config
) -> Review | None:
    """Move a studied card to the start of a learner day (0: today, so due now), keeping its
    memory (FSRS counts the days that really pass at its next review); None for a new card,
    which has no schedule to move (study it first)."""
    zone, hour = config.zone(), config.day_starts_at
    today = learner_today(now.astimezone(UTC), zone, hour, store.last_learner_day())
    state = store.state(item.deck_id, item.key)
    if state is None or state.is_new:
        return None
    due = day_start(today + timedelta(days=days.for_card(item)), zone, hour)
    return _change(store, item, now, config, lambda s: replace(s, due=due, buried_until=None))
