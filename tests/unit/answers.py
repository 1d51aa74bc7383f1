"""Recording a plain answer straight into a store, for tests about storage and backups."""

from __future__ import annotations

from datetime import UTC, datetime

from quiz.storage import CardState, Review, Store

__all__ = ["answer"]


def answer(store: Store, key: str, at: datetime, deck_id: str = "d") -> Review:
    """Record one Good answer to ``key`` (the store's own ``Review.create`` fills in the rest)."""

    def make(before: CardState | None) -> Review:
        after = CardState(deck_id, key, reps=(before.reps if before else 0) + 1, last_review=at)
        return Review.create(
            deck_id,
            key,
            rating=3,
            kind="learn",
            at=at,
            zone=UTC,
            learner_day=at.date(),
            content_hash="h",
            before=before,
            after=after,
        )

    return store.record(deck_id, key, make)
