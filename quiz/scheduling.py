"""When each card comes back: FSRS (the ``fsrs`` package), the learner day, daily limits, queues.

* ``make_scheduler(settings)`` builds an ``fsrs.Scheduler`` (FSRS-6) from ``StudySettings``;
  ``apply_rating`` reviews a ``CardState`` with it and adds quiz's bookkeeping (reps, lapses,
  leeches); ``previews`` gives the interval each rating would set, ``format_interval`` shows it.
* The learner day starts at a local hour (default 4) in the learner's time zone: ``day_of``,
  ``day_start``, ``learner_today``. It is computed from the local wall clock, so days are 23 or
  25 hours long across daylight-saving changes but never skipped or counted twice; and
  ``learner_today`` never goes back a day after flying west (see its docstring).
* ``Queue`` orders what to study: learning cards due now, reviews due today (most overdue
  first), new cards in deck order (or shuffled), then learning cards due within the learn-ahead
  window; new and review cards respect each deck's daily limits and the overall ones.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from itertools import islice
from typing import Literal

import fsrs

from quiz.card_state import CardState, Ref, ReviewKind
from quiz.model import Item, StudySettings
from quiz.storage import DayCount

__all__ = [
    "LEARN_AHEAD",
    "LEECH_TAG",
    "Calendar",
    "DeckPlan",
    "Queue",
    "QueueCounts",
    "Rated",
    "Source",
    "apply_rating",
    "day_of",
    "day_start",
    "format_interval",
    "learner_today",
    "make_scheduler",
    "next_day_start",
    "parse_step",
    "previews",
    "retrievability",
    "review_kind",
]

LEARN_AHEAD = timedelta(minutes=20)
"""Learning cards due this soon are shown when nothing else is left."""

LEECH_TAG = "leech"

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_step(step: str) -> timedelta:
    """A learning step such as ``"1m"``, ``"10m"``, ``"1h"`` or ``"1d"`` as a timedelta."""
    number, unit = step[:-1], step[-1:]
    if not number.isdigit() or unit not in _UNITS:
        raise ValueError(f"a step is a number and one of s, m, h, d (like 10m), not {step!r}")
    return timedelta(seconds=int(number) * _UNITS[unit])


def make_scheduler(settings: StudySettings, *, fuzz: bool | None = None) -> fsrs.Scheduler:
    """The FSRS scheduler for these settings (``fuzz`` overrides ``settings.fuzz``)."""
    return _scheduler(
        settings.desired_retention,
        tuple(settings.learning_steps),
        tuple(settings.relearning_steps),
        settings.maximum_interval,
        settings.fuzz if fuzz is None else fuzz,
        tuple(settings.parameters) if settings.parameters else fsrs.scheduler.DEFAULT_PARAMETERS,
    )


@lru_cache(maxsize=64)
def _scheduler(
    retention: float,
    learning: tuple[str, ...],
    relearning: tuple[str, ...],
    maximum: int,
    fuzz: bool,
    parameters: Sequence[float],
) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        parameters=parameters,
        desired_retention=retention,
        learning_steps=tuple(parse_step(s) for s in learning),
        relearning_steps=tuple(parse_step(s) for s in relearning),
        maximum_interval=maximum,
        enable_fuzzing=fuzz,
    )


# --- the learner day ----------------------------------------------------------------------


def day_of(now: datetime, tz: tzinfo, start_hour: int) -> date:
    """The learner day an instant falls in: its local date, counting hours before
    ``start_hour`` as the previous day."""
    local = now.astimezone(tz).replace(tzinfo=None)
    return (local - timedelta(hours=start_hour)).date()


def day_start(day: date, tz: tzinfo, start_hour: int) -> datetime:
    """The UTC instant a learner day begins (a start hour skipped by DST begins at the
    first instant after the gap)."""
    return datetime.combine(day, time(start_hour), tzinfo=tz).astimezone(UTC)


def next_day_start(now: datetime, tz: tzinfo, start_hour: int) -> datetime:
    """The UTC instant the learner day after the one ``now`` falls in begins."""
    return day_start(day_of(now, tz, start_hour) + timedelta(days=1), tz, start_hour)


def learner_today(now: datetime, tz: tzinfo, start_hour: int, last_day: date | None) -> date:
    """Today's learner day, never earlier than the last day answers were recorded for.

    After flying west the local date can fall back a day; counting that day afresh would give
    a second set of new cards and reviews. So if answers were already recorded for the next
    day (``last_day``), that day stays today until the local clock reaches it. A ``last_day``
    further ahead than one day cannot come from travel (a wrong clock), and is ignored.
    """
    day = day_of(now, tz, start_hour)
    if last_day is not None and day < last_day <= day + timedelta(days=1):
        return last_day
    return day


# --- rating -------------------------------------------------------------------------------


def review_kind(state: CardState | None) -> ReviewKind:
    """How an answer to a card in this state is logged: learn, review or relearn."""
    if state is None or state.is_new or state.state == fsrs.State.Learning:
        return "learn"
    return "review" if state.state == fsrs.State.Review else "relearn"


@dataclass(frozen=True, slots=True)
class Rated:
    """A card's state after a rating, and whether this rating made it a leech."""

    state: CardState
    leech: bool


@dataclass(frozen=True, slots=True)
class Calendar:
    """The learner's days: their time zone and the local hour a day starts. Intervals of a
    day or more count these days, as Anki does, not 24-hour periods."""

    tz: tzinfo = UTC
    start_hour: int = 4

    def day(self, moment: datetime) -> date:
        return day_of(moment, self.tz, self.start_hour)

    def start(self, day: date) -> datetime:
        return day_start(day, self.tz, self.start_hour)


def apply_rating(
    state: CardState,
    rating: int,
    now: datetime,
    settings: StudySettings,
    calendar: Calendar = Calendar(),
    load: Mapping[date, int] | None = None,
) -> Rated:
    """Review ``state`` with FSRS and count reps and lapses; flag and maybe suspend leeches.

    A lapse is Again on a card in review. A card becomes a leech when its lapses reach
    ``leech_threshold``, and again every ceil(threshold / 2) lapses after that (as in Anki),
    so a leech the learner unsuspended is caught again if it keeps failing.
    """
    card = _answers(state, now, settings, calendar, load)[rating]
    lapse = not state.is_new and state.state == fsrs.State.Review and rating == fsrs.Rating.Again
    lapses = state.lapses + lapse
    after = replace(state.with_fsrs(card), reps=state.reps + 1, lapses=lapses, buried_until=None)
    threshold = settings.leech_threshold
    every = max(1, -(-threshold // 2))
    leech = lapse and lapses >= threshold and (lapses - threshold) % every == 0
    if leech:
        tags = after.tags if LEECH_TAG in after.tags else (*after.tags, LEECH_TAG)
        after = replace(
            after, tags=tags, suspended=after.suspended or settings.leech_action == "suspend"
        )
    return Rated(after, leech)


def previews(
    state: CardState,
    now: datetime,
    settings: StudySettings,
    calendar: Calendar = Calendar(),
    load: Mapping[date, int] | None = None,
) -> dict[int, timedelta]:
    """How long from now each rating (1-4) brings the card back: exactly what that rating
    does (the same fuzz and load balance), for the rating buttons."""
    now = now.astimezone(UTC)
    answers = _answers(state, now, settings, calendar, load)
    return {r: (card.due or now) - now for r, card in answers.items()}


_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)
"""Day 0 of the even timeline FSRS is shown: learner days there are 24 hours each."""


def _answers(
    state: CardState,
    now: datetime,
    settings: StudySettings,
    calendar: Calendar,
    load: Mapping[date, int] | None = None,
) -> dict[int, fsrs.Card]:
    """The card after each rating, as Anki's FSRS scheduler would leave it.

    FSRS (``fsrs.Scheduler``, fuzz off) gets the learner days since the last review, not
    24-hour periods: the review is placed on an even timeline where the last review's day
    starts at ``_ORIGIN``. A learning step is then added to now, in minutes; an interval of
    days is set as Anki sets it (``_review_days``) and falls due when its learner day starts.
    """
    now = _review_time(state, now)
    today = calendar.day(now)
    into_day = min(now - calendar.start(today), _DAY - timedelta(seconds=1))
    elapsed = 0
    if not state.is_new and state.last_review is not None:
        elapsed = max(0, (today - calendar.day(state.last_review)).days)
    at = _ORIGIN + timedelta(days=elapsed) + into_day
    card = state.to_fsrs(at)
    if not state.is_new:
        card.last_review, card.due = _ORIGIN, at
    scheduler = make_scheduler(settings, fuzz=False)
    results = {int(r): scheduler.review_card(card, r, at)[0] for r in fsrs.Rating}
    days = _review_days(state, results, settings, calendar, _Balance(today, load or {}))
    for r, result in results.items():
        result.last_review = now
        if r in days:
            result.due = calendar.start(today + timedelta(days=days[r]))
        else:
            result.due = now + (result.due - at)
    return results


_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class _Balance:
    """What the load balancer weighs: reviews already due on each learner day."""

    today: date
    load: Mapping[date, int]


def _review_days(
    state: CardState,
    results: Mapping[int, fsrs.Card],
    settings: StudySettings,
    cal: Calendar,
    balance: _Balance,
) -> dict[int, int]:
    """The days until each rating's review, for the ratings that leave the card in review:
    FSRS's interval for the new stability, then Anki's rules (``rslib/src/scheduler/states``):
    from review, hard <= good - 1 <= easy - 2 and none shorter than the last interval when
    the interval grew; from learning, easy a day past good; fuzz within Anki's ranges, seeded
    by the card and its review count, so a preview is what the answer does."""
    reviewing = {r for r, c in results.items() if c.state == fsrs.State.Review}
    if not reviewing:
        return {}
    params = make_scheduler(settings, fuzz=False).parameters
    exact = {r: _interval(results[r].stability or 0.0, settings, params) for r in reviewing}
    factor = _fuzz_factor(state) if settings.fuzz else None
    top = max(1, settings.maximum_interval)
    days: dict[int, int] = {}

    def fuzzed(interval: float, minimum: int, maximum: int) -> int:
        if factor is not None and settings.load_balance:
            easy = settings.easy_days
            day = _balanced(state, interval, minimum, maximum, balance, easy)
            if day is not None:
                return day
        return _fuzzed(factor, interval, minimum, maximum)

    if not state.is_new and state.state == fsrs.State.Review:
        previous = (cal.day(state.due or _ORIGIN) - cal.day(state.last_review or _ORIGIN)).days
        floor = 1
        for r in (2, 3, 4):
            lowest = max(_least_fuzzed(exact[r], previous, top), floor)
            days[r] = fuzzed(exact[r], min(lowest, top), top)
            floor = days[r] + 1
        if 1 in reviewing:  # no relearning steps: Again stays in review
            days[1] = min(max(1, _round(exact[1])), top)
        return days
    for r in reviewing - {4}:
        days[r] = fuzzed(max(1.0, _round(exact[r])), 1, top)
    if 4 in reviewing:
        good = fuzzed(exact[3], 1, top) if 3 in exact else 0
        days[4] = fuzzed(max(1.0, _round(exact[4])), min(good + 1, top), top)
    return days


def _interval(stability: float, settings: StudySettings, params: Sequence[float]) -> float:
    """FSRS's interval in days for a stability at the desired retention, unrounded."""
    decay = -float(params[20])
    factor = 0.9 ** (1 / decay) - 1
    return float(stability / factor * (settings.desired_retention ** (1 / decay) - 1))


def _decay(settings: StudySettings) -> float:
    weights = settings.parameters or fsrs.scheduler.DEFAULT_PARAMETERS
    return -float(weights[20])


def _retrievability(state: CardState, now: datetime, decay: float) -> float:
    """FSRS's probability that a card in review is recalled now."""
    if not state.stability or state.last_review is None:
        return 0.0
    days = max((now - state.last_review) / _DAY, 0.0)
    factor = 0.9 ** (1 / decay) - 1
    return float((1 + factor * days / state.stability) ** decay)


def retrievability(state: CardState, now: datetime, settings: StudySettings) -> float | None:
    """The chance FSRS gives that a studied card is recalled now (None for a new card)."""
    if state.is_new or not state.stability or state.last_review is None:
        return None
    return _retrievability(state, now, _decay(settings))


def _round(x: float) -> int:
    """Rounded half away from zero, as Rust rounds (Python rounds half to even)."""
    return math.floor(x + 0.5)


def _fuzz_factor(state: CardState) -> float:
    """Where in its fuzz range a card's next interval falls: fixed by the card and its
    review count, so the buttons, the answer, undo and redo, and any replay agree."""
    seed = f"{state.deck_id}\x1f{state.card_key}\x1f{state.reps}"
    return random.Random(seed).random()


_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))


def _fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    minimum = min(minimum, maximum)
    interval = min(max(interval, minimum), maximum)
    delta = 0.0
    if interval >= 2.5:
        delta = 1.0 + sum(
            f * max(min(interval, end) - start, 0.0) for start, end, f in _FUZZ_RANGES
        )
    lower = min(max(max(_round(interval - delta), 1), minimum), maximum)
    upper = min(max(_round(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def _fuzzed(factor: float | None, interval: float, minimum: int, maximum: int) -> int:
    """Anki's ``with_review_fuzz``: a day within the fuzz range, or the rounded interval."""
    if factor is None:
        return min(max(_round(interval), minimum), maximum)
    lower, upper = _fuzz_bounds(interval, minimum, maximum)
    return math.floor(lower + factor * (1 + upper - lower))


BALANCE_UP_TO = 90
"""Intervals of more days than this are fuzzed, not balanced (as in Anki)."""


def _balanced(
    state: CardState,
    interval: float,
    minimum: int,
    maximum: int,
    balance: _Balance,
    easy_days: Sequence[float],
) -> int | None:
    """Anki's load balancer: a day of the fuzz range, drawn with a weight that falls steeply
    with the reviews already due that day (and with the day's distance), times the weekday's
    easy-day share; the draw is seeded like the fuzz, so a preview is what the answer does.
    None past ``BALANCE_UP_TO`` days."""
    if interval > BALANCE_UP_TO or minimum > BALANCE_UP_TO:
        return None
    lower, upper = _fuzz_bounds(interval, minimum, maximum)
    choices = list(range(lower, upper + 1))
    weights = []
    for n in choices:
        day = balance.today + timedelta(days=n)
        due = balance.load.get(day, 0)
        weight = 1.0 if due == 0 else (1 / due) ** 2.15 * (1 / n) ** 3
        weights.append(weight * max(easy_days[day.weekday()], 1e-4))
    seed = f"{state.deck_id}\x1f{state.card_key}\x1f{state.reps}\x1fbalance"
    return random.Random(seed).choices(choices, weights)[0]


def _least_fuzzed(interval: float, previous: int, maximum: int) -> int:
    """Anki's ``minimum_review_fuzz_interval``: a grown interval never falls to the last one
    or below; one that barely grew stays at least the last."""
    upper = _fuzz_bounds(interval, 1, maximum)[1]
    if _round(interval) > previous:
        return previous + 1
    return previous if previous <= upper else 0


def _review_time(state: CardState, now: datetime) -> datetime:
    """When FSRS takes a review to happen: now, but never before the card's last review.

    After the clock was set back, FSRS would see a negative elapsed time and could schedule
    the card due before its previous review; reviewing at the last review time instead keeps
    the card's history in order and every interval non-negative.
    """
    now = now.astimezone(UTC)
    return max(now, state.last_review) if state.last_review else now


def format_interval(delta: timedelta) -> str:
    """A short interval for buttons and messages: 45s, 10m, 3h, 4d, 2.1mo, 1.5y."""
    seconds = max(0.0, delta.total_seconds())
    days = seconds / 86400
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if days < 1:
        return f"{round(seconds / 3600)}h"
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30.4375:.1f}".removesuffix(".0") + "mo"
    return f"{days / 365.25:.1f}".removesuffix(".0") + "y"


# --- the queue ----------------------------------------------------------------------------

Source = Literal["learning", "review", "new"]
"""Which part of the queue a card was taken from."""


@dataclass(frozen=True, slots=True)
class DeckPlan:
    """One deck as the queue sees it: its items in deck order and its merged settings."""

    deck_id: str
    items: Sequence[Item]
    settings: StudySettings


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """What is left today: new cards (within limits), learning cards due today, reviews."""

    new: int
    learning: int
    due: int


@dataclass
class _Limits:
    new: int
    reviews: int


@dataclass
class Queue:
    """Today's study queue over some decks, kept up to date as cards are answered.

    Built once per learner day from the stored states (O(cards)); each answer, bury or
    suspension then costs little, so a 100,000-card library stays quick. The review and new
    lists are never edited: an entry counts only while ``_where`` still places its card there.
    """

    items: dict[Ref, Item]
    day_end: datetime
    _where: dict[Ref, Source] = field(default_factory=dict)
    _learning: list[tuple[datetime, int, Ref]] = field(default_factory=list)
    _reviews: list[Ref] = field(default_factory=list)
    _due: list[tuple[datetime, int, Ref]] = field(default_factory=list)
    _new: dict[str, list[Ref]] = field(default_factory=dict)
    _start: dict[str, int] = field(default_factory=dict)
    """Per list ("" for reviews, else a deck id): entries before it are all stale."""
    _avail: dict[tuple[Source, str], int] = field(default_factory=dict)
    _limits: dict[str, _Limits] = field(default_factory=dict)
    _total: _Limits = field(default_factory=lambda: _Limits(0, 0))
    _order: int = 0

    @classmethod
    def build(
        cls,
        decks: Sequence[DeckPlan],
        states: Mapping[str, Mapping[str, CardState]],
        done: Mapping[str, DayCount],
        *,
        now: datetime,
        day_end: datetime,
        total_new: int,
        total_reviews: int,
        review_order: Literal["overdue", "retrievability"] = "overdue",
    ) -> Queue:
        """The queue for the learner day ending at ``day_end``, given today's answers ``done``:
        reviews the longest overdue first, or the likeliest forgotten first."""
        queue = cls(items={}, day_end=day_end)
        used = DayCount(sum(c.new for c in done.values()), sum(c.reviews for c in done.values()))
        queue._total = _Limits(total_new - used.new, total_reviews - used.reviews)
        for plan in decks:
            deck = plan.deck_id
            deck_done = done.get(deck, DayCount())
            queue._limits[deck] = _Limits(
                plan.settings.new_per_day - deck_done.new,
                plan.settings.reviews_per_day - deck_done.reviews,
            )
            deck_states = states.get(deck, {})
            new: list[Ref] = []
            for item in plan.items:
                ref = (deck, item.key)
                queue.items[ref] = item
                state = deck_states.get(item.key)
                if state is None:
                    new.append(ref)
                elif state.suspended or (state.buried_until and state.buried_until > now):
                    continue
                elif state.is_new:
                    new.append(ref)
                else:
                    queue._place(ref, state)
            if plan.settings.new_order == "shuffled":
                random.Random(deck).shuffle(new)
            queue._new[deck] = new
            for ref in new:
                queue._add(ref, "new")
        if review_order == "retrievability":
            decay = {p.deck_id: _decay(p.settings) for p in decks}

            def recall(entry: tuple[datetime, int, Ref]) -> tuple[float, int]:
                deck, key = entry[2]
                return _retrievability(states[deck][key], now, decay[deck]), entry[1]

            queue._due.sort(key=recall)
        else:
            queue._due.sort()
        queue._reviews = [ref for _, _, ref in queue._due]
        queue._due = []
        return queue

    def _add(self, ref: Ref, source: Source) -> None:
        self._where[ref] = source
        self._avail[source, ref[0]] = self._avail.get((source, ref[0]), 0) + 1

    def _place(self, ref: Ref, state: CardState) -> None:
        """Queue an answered card if its state makes it due before the day ends."""
        if state.suspended or state.due is None or state.due >= self.day_end:
            return
        self._order += 1
        entry = (state.due, self._order, ref)
        if state.state == fsrs.State.Review:
            self._due.append(entry)  # only while building; sorted at the end
            self._add(ref, "review")
        else:
            bisect.insort(self._learning, entry)
            self._add(ref, "learning")

    def source(self, ref: Ref) -> Source | None:
        """Which part of today's queue a card is in (None if it is not in it)."""
        return self._where.get(ref)

    def next(self, now: datetime, *, skip: Iterable[Ref] = ()) -> Ref | None:
        """The card to show now, or None when nothing is left within the learn-ahead window."""
        skipped = set(skip)
        for horizon in (now, None):
            if horizon is None:
                found = self._next_review(skipped) or self._next_new(skipped)
                if found:
                    return found
                horizon = now + LEARN_AHEAD
            for due, _, ref in self._learning:
                if due > horizon:
                    break
                if ref not in skipped:
                    return ref
        return None

    def _next_review(self, skipped: set[Ref]) -> Ref | None:
        if self._total.reviews <= 0:
            return None
        for ref in self._live("", self._reviews, "review"):
            if (
                self._where.get(ref) == "review"
                and ref not in skipped
                and self._limits[ref[0]].reviews > 0
            ):
                return ref
        return None

    def _next_new(self, skipped: set[Ref]) -> Ref | None:
        if self._total.new <= 0:
            return None
        for deck, refs in self._new.items():
            if self._limits[deck].new <= 0 or not self._avail.get(("new", deck)):
                continue
            for ref in self._live(deck, refs, "new"):
                if self._where.get(ref) == "new" and ref not in skipped:
                    return ref
        return None

    def _live(self, name: str, refs: list[Ref], source: Source) -> Iterator[Ref]:
        """``refs`` from its first entry still in ``source`` on (stale entries stay stale)."""
        pos = self._start.get(name, 0)
        while pos < len(refs) and self._where.get(refs[pos]) != source:
            pos += 1
        self._start[name] = pos
        return islice(refs, pos, None)

    def remove(self, refs: Iterable[Ref]) -> None:
        """Take cards out of today's queue (answered, buried, suspended)."""
        for ref in refs:
            source = self._where.pop(ref, None)
            if source is None:
                continue
            self._avail[source, ref[0]] -= 1
            if source == "learning":
                self._learning = [e for e in self._learning if e[2] != ref]

    def answered(self, ref: Ref, state: CardState) -> None:
        """Account for an answer: use up a new or review slot and requeue learning steps."""
        source = self._where.get(ref)
        limits = self._limits.get(ref[0])
        if limits is not None and source in ("new", "review"):
            if source == "new":
                limits.new -= 1
                self._total.new -= 1
            else:
                limits.reviews -= 1
                self._total.reviews -= 1
        self.remove([ref])
        if state.state != fsrs.State.Review:
            self._place(ref, state)

    def counts(self) -> QueueCounts:
        """New and review cards left within today's limits, and learning cards due today."""
        new = due = 0
        for deck, limits in self._limits.items():
            new += max(0, min(self._avail.get(("new", deck), 0), limits.new))
            due += max(0, min(self._avail.get(("review", deck), 0), limits.reviews))
        return QueueCounts(
            new=max(0, min(new, self._total.new)),
            learning=len(self._learning),
            due=max(0, min(due, self._total.reviews)),
        )

    def deck_counts(self, deck_id: str) -> QueueCounts:
        """Like ``counts`` for one deck, within its own limits only."""
        limits = self._limits.get(deck_id, _Limits(0, 0))
        return QueueCounts(
            new=max(0, min(self._avail.get(("new", deck_id), 0), limits.new)),
            learning=self._avail.get(("learning", deck_id), 0),
            due=max(0, min(self._avail.get(("review", deck_id), 0), limits.reviews)),
        )
