"""Anki's scheduling and review history as quiz's, and quiz's as Anki's; no SQL, no I/O.

Anki keeps a card's state in integer columns (``type``, ``queue``, ``due``, ``ivl``, ``left``)
whose meaning depends on each other: a review card's ``due`` counts days since the
collection was created, an intraday learning card's is epoch seconds. Its review log
(``revlog``) holds one row per answer. quiz keeps a ``CardState`` and a log of ``Review``
entries with the states around each answer. This module translates both ways, so that an
imported card is due on the learner day Anki would show it, and an exported one likewise.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

import fsrs

from quiz.card_state import CardState, ReviewKind, from_ms, to_ms
from quiz.model import StudySettings
from quiz.scheduling import LEECH_TAG, Calendar, apply_rating
from quiz.storage import Review

__all__ = [
    "AnkiCard",
    "AnkiColumns",
    "AnkiLog",
    "AnkiTiming",
    "Carried",
    "ImportedCard",
    "anki_columns",
    "anki_log",
    "anki_state",
    "replay",
]

_NAMESPACE = uuid.UUID("6b1d2f0e-6a8c-4c55-9a57-3f0b2d7c1e42")
"""Review ids of imported answers are derived from Anki's ids, so importing twice adds none."""

_EPOCH_SECONDS = 1_000_000_000
"""A ``due`` above this is epoch seconds (intraday learning), below it a day number."""

_KINDS: dict[int, ReviewKind] = {0: "learn", 1: "review", 2: "relearn", 3: "review"}
"""Anki's revlog types (learn, review, relearn, filtered) as quiz's; 4 and 5 are manual."""


@dataclass(frozen=True, slots=True)
class AnkiTiming:
    """What Anki needs to turn day numbers into days: when the collection began, and where."""

    crt: int
    """Collection creation, epoch seconds."""
    creation_offset: int | None = None
    """Minutes west of UTC where it was created (Anki's ``creationOffset``), if recorded."""
    rollover: int = 4
    """The hour Anki's day starts."""

    def creation_date(self, zone: tzinfo) -> date:
        """The calendar date day 0 is, as Anki counts it."""
        created = datetime.fromtimestamp(self.crt, UTC)
        if self.creation_offset is None:
            return created.astimezone(zone).date()
        return (created - timedelta(minutes=self.creation_offset)).date()

    def day(self, number: int, zone: tzinfo) -> date:
        """The learner day of a day number."""
        return self.creation_date(zone) + timedelta(days=number)


@dataclass(frozen=True, slots=True)
class AnkiLog:
    """One row of Anki's review log."""

    id: int
    """Epoch milliseconds of the answer (Anki's revlog id)."""
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time_ms: int
    type: int


@dataclass(frozen=True, slots=True)
class AnkiCard:
    """One Anki card's scheduling columns, with its own review log in time order."""

    id: int
    ord: int
    type: int = 0
    queue: int = 0
    due: int = 0
    """The home deck's due (``odue`` for a card in a filtered deck)."""
    ivl: int = 0
    factor: int = 0
    reps: int = 0
    lapses: int = 0
    left: int = 0
    mod: int = 0
    memory: tuple[float, float] | None = None
    """FSRS stability and difficulty, where Anki has them."""
    last_review: int | None = None
    """Epoch seconds of the last review (``lrt`` in the card's data), if kept."""
    log: tuple[AnkiLog, ...] = ()

    @property
    def is_new(self) -> bool:
        """Never studied (or forgotten), whatever its queue."""
        return self.type == 0


@dataclass(frozen=True, slots=True)
class ImportedCard:
    """A quiz item that came from an Anki card: where its history goes, and what it was."""

    deck_id: str
    key: str
    content_hash: str
    card: AnkiCard
    leech: bool = False
    """The note carries Anki's ``leech`` tag."""


def _entry(
    item: ImportedCard,
    entry_id: str,
    *,
    rating: int,
    kind: ReviewKind,
    at: datetime,
    calendar: Calendar,
    before: CardState | None,
    after: CardState,
    duration_ms: int = 0,
) -> Review:
    review = Review.create(
        item.deck_id,
        item.key,
        rating=rating,
        kind=kind,
        at=at,
        zone=calendar.tz,
        learner_day=calendar.day(at),
        content_hash=item.content_hash,
        before=before,
        after=after,
        duration_ms=duration_ms,
    )
    return replace(review, id=entry_id)


def replay(
    item: ImportedCard,
    settings: StudySettings,
    calendar: Calendar,
    timing: AnkiTiming,
    now: datetime,
) -> list[Review]:
    """The card's Anki answers as quiz's review log, ending in the state Anki has it in.

    Each answer is replayed through quiz's FSRS to give the states around it (for statistics
    and the optimizer); a last ``manual`` entry then sets the state Anki holds (due day,
    memory, suspended, buried), so the card is due when Anki would show it.
    """
    card = item.card
    state = CardState(item.deck_id, item.key)
    entries: list[Review] = []
    for log in card.log:
        at = from_ms(log.id)
        before = None if state.is_new and not entries else state
        if log.type in _KINDS and 1 <= log.ease <= 4:
            rating, kind = log.ease, _KINDS[log.type]
            after = apply_rating(state, rating, at, settings, calendar).state
        else:
            rating, kind = 0, "manual"
            forgot = log.ease == 0 and log.ivl == 0 and log.type == 4
            after = CardState(item.deck_id, item.key) if forgot else state
        entries.append(
            _entry(
                item,
                str(uuid.uuid5(_NAMESPACE, f"{card.id}:{log.id}")),
                rating=rating,
                kind=kind,
                at=at,
                calendar=calendar,
                before=before,
                after=after,
                duration_ms=min(max(log.time_ms, 0), 3_600_000),
            )
        )
        state = after
    final = anki_state(item, state, settings, calendar, timing, now)
    if final is None and not entries:
        return []
    final = final or CardState(item.deck_id, item.key)
    entries.append(
        _entry(
            item,
            str(uuid.uuid5(_NAMESPACE, f"{card.id}:state:{card.mod}:{card.due}:{card.queue}")),
            rating=0,
            kind="manual",
            at=now,
            calendar=calendar,
            before=state if entries else None,
            after=final,
        )
    )
    return entries


def anki_state(
    item: ImportedCard,
    replayed: CardState,
    settings: StudySettings,
    calendar: Calendar,
    timing: AnkiTiming,
    now: datetime,
) -> CardState | None:
    """The state Anki holds the card in; None for a plain new card (no row in quiz)."""
    card = item.card
    tags = (LEECH_TAG,) if item.leech else ()
    suspended = card.queue == -1
    buried = (
        calendar.start(calendar.day(now) + timedelta(days=1)) if card.queue in (-2, -3) else None
    )
    if card.is_new:
        if not (suspended or buried or tags):
            return None
        return CardState(
            item.deck_id, item.key, suspended=suspended, buried_until=buried, tags=tags
        )
    if card.due > _EPOCH_SECONDS:
        due = datetime.fromtimestamp(card.due, UTC)
    else:
        due = calendar.start(timing.day(card.due, calendar.tz))
    kind = {1: fsrs.State.Learning, 3: fsrs.State.Relearning}.get(card.type, fsrs.State.Review)
    step: int | None = None
    if kind is not fsrs.State.Review:
        steps = (
            settings.learning_steps if kind is fsrs.State.Learning else settings.relearning_steps
        )
        step = min(max(len(steps) - card.left % 1000, 0), max(len(steps) - 1, 0))
    if card.memory is not None:
        stability, difficulty = card.memory
    elif replayed.stability is not None and replayed.difficulty is not None:
        stability, difficulty = replayed.stability, replayed.difficulty
    else:  # scheduled without a history (SM-2 without a log): the interval is what is known
        stability, difficulty = float(max(card.ivl, 1)), 5.0
    if card.last_review is not None:
        last = datetime.fromtimestamp(card.last_review, UTC)
    elif replayed.last_review is not None:
        last = replayed.last_review
    else:
        last = due - timedelta(days=max(card.ivl, 0))
    return CardState(
        item.deck_id,
        item.key,
        state=kind,
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=due,
        last_review=last,
        lapses=card.lapses,
        reps=max(card.reps, 1),
        suspended=suspended,
        buried_until=buried,
        tags=tags,
    )


# --- quiz to Anki ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Carried:
    """What an export carries beside the cards: where each came from, and its progress."""

    origins: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """By card id: the content hash at import and the Anki note (``Origin`` as JSON)."""
    notetypes: Mapping[int, str] = field(default_factory=dict)
    """The original note types (legacy JSON) by id."""
    states: Mapping[str, CardState] | None = None
    """By item key; None exports every card as new."""
    history: Mapping[str, Sequence[Review]] = field(default_factory=dict)
    """By item key: the review log to export with the states."""
    settings: StudySettings = field(default_factory=StudySettings)
    calendar: Calendar = field(default_factory=Calendar)
    media: Path | None = None
    """The deck's media folder (``DECK.media/``, filled by an import), packed with the notes."""


@dataclass(frozen=True, slots=True)
class AnkiColumns:
    """A card's scheduling columns as an Anki collection holds them."""

    type: int = 0
    queue: int = 0
    due: int | None = None
    """None: a new card, due by its position."""
    ivl: int = 0
    factor: int = 0
    reps: int = 0
    lapses: int = 0
    left: int = 0
    data: str = ""


def anki_columns(
    state: CardState | None,
    settings: StudySettings,
    calendar: Calendar,
    timing: AnkiTiming,
    now: datetime,
) -> AnkiColumns:
    """A quiz card state as the columns Anki would hold for it (due days counted from
    ``timing``), with the FSRS memory state in the card's data."""
    import json

    if state is None or state.is_new:
        queue = -1 if state is not None and state.suspended else 0
        return AnkiColumns(queue=queue)
    due = state.due or now
    kind = {fsrs.State.Learning: 1, fsrs.State.Review: 2}.get(state.state, 3)
    last = state.last_review or due
    ivl = max((calendar.day(due) - calendar.day(last)).days, 0)
    left = 0
    if kind == 2:
        queue, due_value = 2, (calendar.day(due) - timing.creation_date(calendar.tz)).days
        ivl = max(ivl, 1)
    else:
        steps = settings.learning_steps if kind == 1 else settings.relearning_steps
        remaining = max(len(steps) - (state.step or 0), 1)
        left = remaining
        if calendar.day(due) > calendar.day(now):
            queue, due_value = 3, (calendar.day(due) - timing.creation_date(calendar.tz)).days
        else:
            queue, due_value = 1, int(due.timestamp())
    if state.suspended:
        queue = -1
    elif state.buried_until is not None and state.buried_until > now:
        queue = -3
    data: dict[str, float | int] = {}
    if state.stability is not None and state.difficulty is not None:
        data = {"s": round(state.stability, 4), "d": round(state.difficulty, 4)}
        data["lrt"] = int(last.timestamp())
    factor = 2500 if kind != 1 else 0
    return AnkiColumns(
        kind,
        queue,
        due_value,
        ivl,
        factor,
        state.reps,
        state.lapses,
        left,
        json.dumps(data, separators=(",", ":")) if data else "",
    )


def anki_log(
    reviews: Iterable[Review], calendar: Calendar, used: set[int]
) -> list[tuple[int, int, int, int, int, int]]:
    """Answers as revlog rows ``(id ms, ease, ivl, last_ivl, time ms, type)``, ids unique.

    Manual changes and exam answers are not Anki reviews and are left out; an interval is in
    days (negative seconds for a learning step, as Anki writes it). ``used`` holds the ids
    already taken in the collection (a revlog id is unique across all cards).
    """
    rows: list[tuple[int, int, int, int, int, int]] = []
    for review in reviews:
        if review.undone or review.kind in ("manual", "exam") or not 1 <= review.rating <= 4:
            continue
        at = to_ms(review.reviewed_at)
        while at in used:
            at += 1
        used.add(at)
        rows.append(
            (
                at,
                review.rating,
                _interval(review.state_after, calendar),
                _interval(review.state_before, calendar) if review.state_before else 0,
                review.duration_ms,
                {"learn": 0, "review": 1, "relearn": 2}[review.kind],
            )
        )
    return rows


def _interval(state: CardState | None, calendar: Calendar) -> int:
    if state is None or state.due is None or state.last_review is None:
        return 0
    if state.state == fsrs.State.Review:
        return max((calendar.day(state.due) - calendar.day(state.last_review)).days, 1)
    return -int((state.due - state.last_review).total_seconds())
