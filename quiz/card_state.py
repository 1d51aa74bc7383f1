"""A card's scheduling state, its FSRS conversion and its JSON form; no SQL, no I/O.

The scheduler turns a ``CardState`` into an ``fsrs.Card`` and back; the store keeps it as a
``card_state`` row and, in the review log, as JSON around each answer. Times are aware UTC
datetimes (``datetime.timezone.utc``, what ``fsrs`` requires), kept as epoch milliseconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import fsrs

__all__ = [
    "EPOCH",
    "CardState",
    "Ref",
    "ReviewKind",
    "from_ms",
    "opt_dt",
    "opt_ms",
    "to_ms",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Ref = tuple[str, str]
"""A card's identity in the store: ``(deck_id, card_key)``."""

ReviewKind = Literal["learn", "review", "relearn", "exam", "manual"]
"""learn/review/relearn: an answer in that FSRS state; exam: an exam answer; manual: a change
the learner made by hand (suspend, unsuspend), logged so the cache can be rebuilt."""


def to_ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime (exact, no float rounding)."""
    return (moment - EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    """The UTC datetime (``timezone.utc``) of epoch milliseconds."""
    return EPOCH + timedelta(milliseconds=ms)


def opt_ms(moment: datetime | None) -> int | None:
    return None if moment is None else to_ms(moment)


def opt_dt(ms: int | None) -> datetime | None:
    return None if ms is None else from_ms(ms)


@dataclass(frozen=True, slots=True)
class CardState:
    """A card's scheduling state: FSRS fields plus quiz's flags. No row means a new card.

    A row with ``reps == 0`` is a new card that was buried or suspended before any answer.
    """

    deck_id: str
    card_key: str
    state: fsrs.State = fsrs.State.Learning
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    lapses: int = 0
    reps: int = 0
    suspended: bool = False
    buried_until: datetime | None = None
    tags: tuple[str, ...] = ()

    @property
    def ref(self) -> Ref:
        """The ``(deck_id, card_key)`` this state belongs to."""
        return (self.deck_id, self.card_key)

    @property
    def is_new(self) -> bool:
        """Never answered (maybe buried or suspended)."""
        return self.reps == 0

    def word(self, now: datetime, *, due: bool = True) -> str:
        """The state in one word (suspended, buried, new, due, learning, review, relearning).

        ``due=False`` names the FSRS phase of a due card instead of calling it due,
        as an import summary wants.
        """
        if self.suspended:
            return "suspended"
        if self.buried_until is not None and self.buried_until > now:
            return "buried"
        if self.is_new:
            return "new"
        if due and self.due is not None and self.due <= now:
            return "due"
        return str(self.state.name).lower()

    def to_fsrs(self, now: datetime) -> fsrs.Card:
        """The ``fsrs.Card`` to review (card_id is unused by quiz; 0 avoids fsrs's 1 ms sleep)."""
        if self.is_new:
            return fsrs.Card(card_id=0, due=now)
        return fsrs.Card(
            card_id=0,
            state=self.state,
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due or now,
            last_review=self.last_review,
        )

    def with_fsrs(self, card: fsrs.Card) -> CardState:
        """This state with the FSRS fields of a reviewed ``fsrs.Card``."""
        return replace(
            self,
            state=fsrs.State(card.state),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )

    def to_json(self) -> str:
        """Compact JSON for the log's state_before/state_after (the ref is in the row)."""
        return json.dumps(
            {
                "state": int(self.state),
                "step": self.step,
                "stability": self.stability,
                "difficulty": self.difficulty,
                "due": opt_ms(self.due),
                "last_review": opt_ms(self.last_review),
                "lapses": self.lapses,
                "reps": self.reps,
                "suspended": self.suspended,
                "buried_until": opt_ms(self.buried_until),
                "tags": list(self.tags),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, deck_id: str, card_key: str, text: str) -> CardState:
        """Inverse of ``to_json``."""
        d: dict[str, Any] = json.loads(text)
        return cls(
            deck_id,
            card_key,
            fsrs.State(d["state"]),
            d["step"],
            d["stability"],
            d["difficulty"],
            opt_dt(d["due"]),
            opt_dt(d["last_review"]),
            d["lapses"],
            d["reps"],
            bool(d["suspended"]),
            opt_dt(d["buried_until"]),
            tuple(d["tags"]),
        )
