"""Changes a learner makes to a card by hand, outside a study session: suspend, unsuspend, reset.

Each change is logged as a ``manual`` review around the card's state (read inside the write
transaction, so an answer given in another window is never lost), which keeps the card-state
cache rebuildable from the log and lets the browser show the change in the card's history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from quiz.config import Config
from quiz.model import Item
from quiz.scheduling import learner_today
from quiz.storage import CardState, Review, Store

__all__ = ["reset_card", "set_suspended"]


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
