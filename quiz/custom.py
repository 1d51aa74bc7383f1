"""Custom study, as Anki has it: study ahead, a search, forgotten cards, more new cards today,
reviews only. UI-free: ``quiz study`` flags and the app's custom study dialog both use it.

A custom study that *picks* cards (``ahead``, ``search``, ``forgotten``; together, the cards
all of them pick) gives the session its ``only`` set: those cards now, without daily limits.
``extra_new`` and ``reviews_only`` change today's limits of a usual session instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from quiz.card_state import CardState, Ref
from quiz.config import Config
from quiz.decks import LoadedDeck
from quiz.errors import QuizError
from quiz.scheduling import Calendar, day_start, learner_today
from quiz.search import CardIndex, states_of, unknown_terms
from quiz.storage import Store

__all__ = ["CustomStudy", "CustomStudyError", "chosen_cards"]

MAX_DAYS = 36_500


class CustomStudyError(QuizError):
    """A custom study that cannot be: a bad number, an unknown search term, no card."""

    title = "custom study"


@dataclass(frozen=True, slots=True)
class CustomStudy:
    """What to study beyond today's usual queue (see the module docstring)."""

    ahead: int | None = None
    """Cards due within this many learner days (0: today's), studied now."""
    search: str | None = None
    """Cards matching a browser search (``tag:verbs is:due``), studied now."""
    forgotten: int | None = None
    """Cards rated Again in the last this many learner days (1: today)."""
    extra_new: int = 0
    """New cards beyond today's limits (of every deck and in all)."""
    reviews_only: bool = False
    """No new cards today, only what is due."""

    def __post_init__(self) -> None:
        for name, value, low in (
            ("ahead", self.ahead, 0),
            ("forgotten", self.forgotten, 1),
            ("extra new", self.extra_new, 0),
        ):
            if value is not None and not low <= value <= MAX_DAYS * 10:
                raise CustomStudyError(f"{name} must be a whole number from {low} up")
        if self.extra_new and self.reviews_only:
            raise CustomStudyError("extra new cards and reviews only do not go together")

    @property
    def picks(self) -> bool:
        """Whether it studies chosen cards now (rather than today's queue, changed)."""
        return self.ahead is not None or self.search is not None or self.forgotten is not None

    def describe(self) -> str:
        """A few words for the screen title and the plain-mode header."""
        parts = []
        if self.ahead is not None:
            parts.append(f"due within {self.ahead} day{'s' * (self.ahead != 1)}")
        if self.search is not None:
            parts.append(f"matching {self.search!r}")
        if self.forgotten is not None:
            parts.append(f"forgotten in {self.forgotten} day{'s' * (self.forgotten != 1)}")
        if self.extra_new:
            parts.append(f"{self.extra_new} extra new")
        if self.reviews_only:
            parts.append("reviews only")
        return ", ".join(parts)


def chosen_cards(
    custom: CustomStudy,
    store: Store,
    decks: Sequence[LoadedDeck],
    now: datetime,
    config: Config,
) -> set[Ref] | None:
    """The cards a picking custom study studies (None: it picks none, use today's queue).

    Suspended and buried cards stay out (the session leaves them out too); raise
    ``CustomStudyError`` when nothing is left, saying which choice left nothing."""
    if not custom.picks:
        return None
    zone, hour = config.zone(), config.day_starts_at
    today = learner_today(now, zone, hour, store.last_learner_day())
    states = states_of(decks, store.states_for_deck)
    chosen: set[Ref] = {(d.id, item.key) for d in decks for item in d.items}
    if custom.search is not None:
        if unknown := unknown_terms(custom.search):
            raise CustomStudyError(f"unknown search terms: {', '.join(unknown)}")
        calendar = Calendar(zone, hour)
        found = CardIndex(decks).search(
            custom.search, states, now, limit=len(chosen), calendar=calendar
        )
        chosen &= {entry.ref for entry in found.entries}
        _some(chosen, f"no card matches {custom.search!r}")
    if custom.ahead is not None:
        end = day_start(today + timedelta(days=custom.ahead + 1), zone, hour)
        chosen &= {ref for ref, s in states.items() if _due_before(s, end, now)}
        _some(chosen, f"no studied card is due within {custom.ahead} days")
    if custom.forgotten is not None:
        since = day_start(today - timedelta(days=custom.forgotten - 1), zone, hour)
        again = {
            (a.deck_id, a.card_key)
            for a in store.answers(since=since, deck_ids=[d.id for d in decks])
            if a.rating == 1 and a.kind != "exam"
        }
        chosen &= again
        _some(chosen, f"no card was forgotten in the last {custom.forgotten} days")
    chosen = {ref for ref in chosen if ref not in states or _available(states[ref], now)}
    _some(chosen, "every card chosen is suspended or buried")
    return chosen


def _some(chosen: set[Ref], reason: str) -> None:
    if not chosen:
        raise CustomStudyError(reason)


def _available(state: CardState, now: datetime) -> bool:
    return not state.suspended and (state.buried_until is None or state.buried_until <= now)


def _due_before(state: CardState, end: datetime, now: datetime) -> bool:
    """A studied card, neither suspended nor buried, due before ``end``."""
    due = state.due
    return not state.is_new and due is not None and due < end and _available(state, now)
