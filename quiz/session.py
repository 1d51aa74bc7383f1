"""The study session: a UI-free engine that both the TUI and the plain mode drive.

API::

    session = StudySession(store, decks, now, config)   # decks: LoadedDeck (or StudyDeck)
    StudySession(store, decks, now, config, only={(deck_id, item_key), ...})  # just these, now
    session.relinks                      # list[Relink]: edited cards that kept their history
    session.unsure; session.link(r, same)  # edited cards that may be old ones: the learner says
    session.renamed; session.move(m, same)  # decks that look renamed: the learner says
    card = session.next_card()           # Prompted | None; the same card until it is handled
    card.item, card.options, card.order, card.previews   # what to show
    grade = session.check(response)      # Grade; typed: str, choice: [option indices],
                                         # truefalse: bool, order: [indices into card.order]
    outcome = session.rate(rating, duration_ms=1234)     # durable before it returns
    session.undo()                       # Item | None: the last answer, bury or suspend, exactly
    session.next_undo(); session.last_answer()  # what undo() would take back
    session.bury() / session.suspend()   # the current card, until tomorrow / for good
    session.current                      # Prompted | None: the card shown and not yet handled
    session.counts()                     # Counts(new, learning, due, done, remaining)
    session.summary()                    # Summary(studied, correct, again, time_ms, next_due)
    deck_overview(store, decks, now, config) -> list[DeckOverview]   # for the home screen

``now`` is a callable returning an aware datetime: the session reads the clock itself when a
card is taken and when it is rated, so a UI never passes times around. The learner day rolls
over on its own (the queue is rebuilt from the store, which also picks up answers given in
another window). A session given ``only`` studies just those cards, at once: no daily limits,
and a card not due yet is reviewed ahead of time (FSRS schedules an early review normally);
suspended and buried cards stay out, and answering one does not bury its siblings (the learner
asked for each of them). Choice options and order items are shuffled with a seed made of the card
and the learner day, so a card looks the same if shown twice in one day.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Literal, Protocol

from fsrs import State

from quiz.config import Config
from quiz.errors import QuizError
from quiz.grading import Grade, Rating, grade_choice, grade_order, grade_true_false, grade_typed
from quiz.identity import DeckMove, Relink, decide, match_edited, renamed_decks
from quiz.model import (
    ChoiceCard,
    Item,
    OrderCard,
    StudySettings,
    TrueFalseCard,
    TypedCard,
)
from quiz.scheduling import (
    Calendar,
    DeckPlan,
    Queue,
    Source,
    apply_rating,
    day_start,
    format_interval,
    learner_today,
    previews,
    review_kind,
)
from quiz.storage import CardState, CardText, Ref, Review, ReviewKind, Store

__all__ = [
    "Counts",
    "DeckOverview",
    "Outcome",
    "Prompted",
    "SessionError",
    "StudyDeck",
    "StudySession",
    "Summary",
    "deck_overview",
]


_UNLIMITED = 10**9


class SessionError(QuizError):
    """The session was driven wrongly: no card shown, or a response of the wrong shape."""

    title = "study"


class StudyDeck(Protocol):
    """What a session needs of a deck (``decks.LoadedDeck`` has it)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def items(self) -> list[Item]: ...
    @property
    def study(self) -> StudySettings: ...


@dataclass(frozen=True, slots=True)
class Prompted:
    """A card to show, with everything a UI needs to show it."""

    item: Item
    deck_title: str
    source: Source
    """Where it came from: "new", "learning" or "review"."""
    state: CardState | None
    """Its stored state (None for a card never seen)."""
    options: tuple[str, ...]
    """Choice cards: the options, shuffled (answer by index)."""
    order: tuple[str, ...]
    """Order cards: the items, shuffled (answer with indices in the right order)."""
    intervals: dict[Rating, timedelta]
    """The interval each rating would set now."""
    previews: dict[Rating, str]
    """The same, formatted for the buttons: {AGAIN: "1m", ..., EASY: "8d"}."""

    @property
    def kind(self) -> str:
        """The card kind (basic, cloze, typed, choice, truefalse, order)."""
        return self.item.kind


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an answer did, once it is safely stored."""

    review: Review
    """The log entry (its ``id`` is the review id; ``state_after`` the new state)."""
    item: Item
    rating: Rating
    due: datetime
    interval: str
    """The new interval, formatted ("10m", "3d")."""
    leech: bool
    """This answer made the card a leech: tell the learner."""
    suspended: bool
    """The card is now suspended (a leech, with leech_action = "suspend")."""
    buried: tuple[Item, ...]
    """Siblings hidden until tomorrow."""


@dataclass(frozen=True, slots=True)
class Counts:
    """What is left today, and what was done in this session."""

    new: int
    learning: int
    due: int
    done: int
    remaining: int


@dataclass(frozen=True, slots=True)
class Summary:
    """The end-of-session report."""

    studied: int
    correct: int
    """Answers rated Hard, Good or Easy."""
    again: int
    time_ms: int
    next_due: datetime | None
    """When a card is next available (None: nothing scheduled)."""

    def after(self, earlier: Summary) -> Summary:
        """This summary with an earlier part of the same sitting added (a session rebuilt
        after an edit goes on counting from where the first left off)."""
        return Summary(
            studied=self.studied + earlier.studied,
            correct=self.correct + earlier.correct,
            again=self.again + earlier.again,
            time_ms=self.time_ms + earlier.time_ms,
            next_due=self.next_due,
        )


@dataclass(frozen=True, slots=True)
class DeckOverview:
    """One deck on the home screen."""

    deck_id: str
    title: str
    new: int
    learning: int
    due: int
    next_due: datetime | None
    """Earliest due time of a studied card (may be in the past); None if none."""


UndoKind = Literal["answer", "bury", "suspend"]


@dataclass(frozen=True, slots=True)
class _Undo:
    kind: UndoKind
    ref: Ref
    """The card shown again once this is undone."""
    review: Review | None
    """The log entry to mark undone (an answer or a suspend); None for a bury."""
    buried: dict[Ref, datetime | None]
    """``buried_until`` to restore: the siblings an answer buried, or the buried card."""


@dataclass
class _Day:
    day: date
    end: datetime
    queue: Queue


@dataclass
class StudySession:
    """Study some decks with one store and one clock. See the module docstring."""

    store: Store
    decks: Sequence[StudyDeck]
    now: Callable[[], datetime]
    config: Config = field(default_factory=Config)
    only: Collection[Ref] | None = None
    """Study just these cards, (deck id, item key), now (see the module docstring)."""
    extra_new: int = 0
    """New cards beyond today's limits, per deck and in all (custom study)."""
    reviews_only: bool = False
    """No new cards (custom study)."""
    relinks: list[Relink] = field(init=False)
    unsure: list[Relink] = field(init=False)
    renamed: list[DeckMove] = field(init=False)
    """Decks without progress that look like a renamed deck: asked, never guessed (``move``)."""
    """Edited cards that may be old ones: asked, never guessed (``identity.link``)."""
    _plans: dict[str, DeckPlan] = field(init=False)
    _titles: dict[str, str] = field(init=False)
    _states: dict[str, dict[str, CardState]] = field(init=False)
    _siblings: dict[tuple[str, str], list[Ref]] = field(init=False)
    _today: _Day | None = field(default=None, init=False)
    _current: Prompted | None = field(default=None, init=False)
    _undo: list[_Undo] = field(default_factory=list, init=False)
    _answers: list[Review] = field(default_factory=list, init=False)
    _latest: datetime | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._tz = self.config.zone()
        self._hour = self.config.day_starts_at
        self._calendar = Calendar(self._tz, self._hour)
        self._load: dict[str, Counter[date]] = {}
        """Per deck, reviews due on each learner day (``_load_for``), for the load balancer."""
        now = self._clock()
        # Relinking sees whole decks: given only some items, all the others would look orphaned.
        self.renamed = renamed_decks(self.store, [(d.id, d.items) for d in self.decks])
        self.relinks, self.unsure = [], []
        for deck in self.decks:
            relinked, unsure = match_edited(self.store, deck.id, deck.items, now)
            self.relinks += relinked
            self.unsure += unsure
        chosen = None if self.only is None else set(self.only)
        wanted = None if chosen is None else {deck_id for deck_id, _ in chosen}
        self._plans = {
            d.id: DeckPlan(
                d.id,
                d.items if chosen is None else [i for i in d.items if (d.id, i.key) in chosen],
                self._new_limit(self.config.settings_for(d.study)),
            )
            for d in self.decks
            if wanted is None or d.id in wanted
        }
        self._titles = {d.id: d.title for d in self.decks}
        self._siblings = {}
        for plan in self._plans.values():
            for item in plan.items:
                self._siblings.setdefault((item.deck_id, item.card_key), []).append(
                    (plan.deck_id, item.key)
                )
        self._states = {}

    def _new_limit(self, settings: StudySettings) -> StudySettings:
        """A deck's settings with today's new-card limit as custom study changes it."""
        if self.reviews_only:
            return settings.model_copy(update={"new_per_day": 0})
        if self.extra_new:
            return settings.model_copy(
                update={"new_per_day": settings.new_per_day + self.extra_new}
            )
        return settings

    # --- the clock and the day ------------------------------------------------------------

    def _clock(self) -> datetime:
        """Now, in UTC to the millisecond (what the store keeps), and never earlier than a
        moment this session already used: a clock set back mid-session must not reopen a past
        learner day (a second batch of new cards) or date an answer before the one it follows.
        """
        now = self.now().astimezone(UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        self._latest = now if self._latest is None else max(self._latest, now)
        return self._latest

    def _day(self, now: datetime) -> _Day:
        """Today's queue, rebuilt from the store when the learner day changes."""
        today = learner_today(now, self._tz, self._hour, self.store.last_learner_day())
        if self._today is None or self._today.day != today:
            self._rebuild(now, today)
        assert self._today is not None
        return self._today

    def _rebuild(self, now: datetime, today: date) -> None:
        self._load.clear()
        self._states = {deck_id: self.store.states_for_deck(deck_id) for deck_id in self._plans}
        end = day_start(today + timedelta(days=1), self._tz, self._hour)
        if self.only is None:
            queue = Queue.build(
                list(self._plans.values()),
                self._states,
                self.store.day_counts(today),
                now=now,
                day_end=end,
                total_new=0
                if self.reviews_only
                else self.config.limits.new_per_day + self.extra_new,
                total_reviews=self.config.limits.reviews_per_day,
                review_order=self.config.limits.review_order,
            )
        else:
            queue = self._queue_now(now, end)
        self._today = _Day(today, end, queue)
        self._current = None

    def _queue_now(self, now: datetime, end: datetime) -> Queue:
        """The queue of an ``only`` session: no limits, and each card not answered in this
        session is due now (later answers schedule it as usual, learning steps included)."""
        answered = {(a.deck_id, a.card_key) for a in self._answers}
        states = {
            deck_id: {
                key: s if (deck_id, key) in answered else replace(s, due=min(s.due or now, now))
                for key, s in deck_states.items()
            }
            for deck_id, deck_states in self._states.items()
        }
        unlimited = {"new_per_day": _UNLIMITED, "reviews_per_day": _UNLIMITED}
        plans = [
            replace(plan, settings=plan.settings.model_copy(update=unlimited))
            for plan in self._plans.values()
        ]
        return Queue.build(
            plans, states, {}, now=now, day_end=end, total_new=_UNLIMITED, total_reviews=_UNLIMITED
        )

    # --- showing --------------------------------------------------------------------------

    def link(self, relink: Relink, same: bool | None) -> bool:
        """The learner's word on an unsure pair: ``same`` gives the old card's history to the
        edited one (the day's queue is then rebuilt, so it comes back on its own schedule);
        False keeps the two apart for good (``identity.decide``); None asks again another
        time. False when nothing moved (by now the edited card has history of its own, which
        is never mixed with another's)."""
        if relink not in self.unsure:
            raise SessionError("that pair is not waiting for a decision")
        self.unsure.remove(relink)
        if same is None or not decide(self.store, relink, same, self._clock()):
            return False
        self.relinks.append(relink)
        self._today = None
        self._current = None
        return True

    def move(self, move: DeckMove, same: bool) -> bool:
        """The learner's word on a deck that looks renamed: ``same`` gives it the old deck's
        history (then its edited cards are matched as on loading), else they stay apart."""
        if move not in self.renamed:
            raise SessionError("that deck is not waiting for a decision")
        self.renamed.remove(move)
        if not same or not self.store.move_deck(move.old_id, move.new_id):
            return False
        deck = next(d for d in self.decks if d.id == move.new_id)
        relinked, unsure = match_edited(self.store, deck.id, deck.items, self._clock())
        self.relinks += relinked
        self.unsure += unsure
        self._today = None
        self._current = None
        return True

    def next_card(self) -> Prompted | None:
        """The card to show now (the same one until it is rated, buried or suspended)."""
        now = self._clock()
        today = self._day(now)
        if self._current is not None:
            return self._current
        ref = today.queue.next(now)
        if ref is None:
            return None
        self._current = self._prompt(ref, today, now)
        return self._current

    def _prompt(self, ref: Ref, today: _Day, now: datetime) -> Prompted:
        item = today.queue.items[ref]
        state = self._states[ref[0]].get(ref[1])
        rng = random.Random(f"{item.deck_id}\x1f{item.key}\x1f{today.day.isoformat()}")
        options: tuple[str, ...] = ()
        order: tuple[str, ...] = ()
        if isinstance(item.card, ChoiceCard):
            options = _shuffled(rng, [*item.card.answers, *item.card.distractors])
        elif isinstance(item.card, OrderCard):
            order = _shuffled(rng, item.card.items, avoid=tuple(item.card.items))
        intervals = {
            Rating(r): d
            for r, d in previews(
                state or CardState(*ref),
                now,
                self._plans[ref[0]].settings,
                self._calendar,
                self._load_for(ref[0]),
            ).items()
        }
        return Prompted(
            item=item,
            deck_title=self._titles[ref[0]],
            source=today.queue.source(ref) or "new",
            state=state,
            options=options,
            order=order,
            intervals=intervals,
            previews={r: format_interval(d) for r, d in intervals.items()},
        )

    def settings(self, deck_id: str) -> StudySettings:
        """The study settings a deck of this session is scheduled with."""
        return self._plans[deck_id].settings

    @property
    def current(self) -> Prompted | None:
        """The card shown (by ``next_card``) and not yet rated, buried or suspended."""
        return self._current

    def _shown(self) -> Prompted:
        if self._current is None:
            raise SessionError("no card is shown: call next_card() first")
        return self._current

    # --- answering ------------------------------------------------------------------------

    def check(self, response: str | bool | Sequence[int]) -> Grade:
        """Grade a response to the shown card without recording anything.

        typed (and basic/cloze, typed against the answer): the text; choice: indices into
        ``options`` (several for a card with several right options); truefalse: a bool;
        order: indices into ``order``, in the order the learner put them.
        """
        shown = self._shown()
        card = shown.item.card
        if isinstance(card, TrueFalseCard):
            if not isinstance(response, bool):
                raise SessionError("answer true or false")
            return grade_true_false(response, card.true)
        if isinstance(response, bool):
            raise SessionError("this card is not true/false")
        if isinstance(card, ChoiceCard):
            chosen = _pick(shown.options, response, "option")
            if len(card.answers) == 1 and len(set(chosen)) > 1:
                raise SessionError("one answer is right: choose one option")
            return grade_choice(chosen, card.answers)
        if isinstance(card, OrderCard):
            given = _pick(shown.order, response, "item")
            if len(given) != len(card.items) or len(set(given)) != len(given):
                raise SessionError(f"put all {len(card.items)} items in order, each once")
            return grade_order(given, card.items)
        if not isinstance(response, str):
            raise SessionError("type the answer")
        accept = card.accept if isinstance(card, TypedCard) else ()
        return grade_typed(response, shown.item.answer, accept)

    def rate(self, rating: int, *, duration_ms: int = 0) -> Outcome:
        """Record the shown card's rating (1-4) durably, then move on."""
        shown = self._shown()
        rating = Rating(rating)
        item = shown.item
        ref = (item.deck_id, item.key)
        settings = self._plans[item.deck_id].settings
        now = self._clock()
        today = self._day(now)
        leech = False

        def make(before: CardState | None) -> Review:
            nonlocal leech
            load = self._load_for(item.deck_id)
            rated = apply_rating(
                before or CardState(*ref), rating, now, settings, self._calendar, load
            )
            leech = rated.leech
            return self._entry(
                item, now, before, rated.state, rating, review_kind(before), duration_ms
            )

        text = CardText(item.kind, item.facet, item.prompt, item.answer)
        review = self.store.record(item.deck_id, item.key, make, text=text)
        after = review.state_after
        before = self._states[item.deck_id].get(item.key)
        self._states[item.deck_id][item.key] = after
        self._count_due(item.deck_id, before, -1)
        self._count_due(item.deck_id, after, +1)
        today.queue.answered(ref, after)
        bury = settings.bury_siblings and self.only is None
        buried = self._bury_siblings(item, today) if bury else {}
        self._undo.append(_Undo("answer", ref, review, buried))
        self._answers.append(review)
        self._current = None
        due = after.due or now
        return Outcome(
            review=review,
            item=item,
            rating=rating,
            due=due,
            interval=format_interval(due - now),
            leech=leech,
            suspended=after.suspended,
            buried=tuple(today.queue.items[r] for r in buried),
        )

    def _entry(
        self,
        item: Item,
        now: datetime,
        before: CardState | None,
        after: CardState,
        rating: int,
        kind: ReviewKind,
        duration_ms: int,
    ) -> Review:
        assert self._today is not None
        return Review.create(
            item.deck_id,
            item.key,
            rating=int(rating),
            kind=kind,
            at=now,
            zone=self._tz,
            learner_day=self._today.day,
            content_hash=item.content_hash,
            before=before,
            after=after,
            duration_ms=duration_ms,
        )

    def _bury_siblings(self, item: Item, today: _Day) -> dict[Ref, datetime | None]:
        """Hide the answered card's new and review siblings until the next learner day."""
        refs = [
            r
            for r in self._siblings.get((item.deck_id, item.card_key), [])
            if r[1] != item.key and today.queue.source(r) in ("new", "review")
        ]
        if not refs:
            return {}
        previous = self.store.bury(refs, today.end)
        today.queue.remove(refs)
        for deck_id, key in refs:
            state = self._states[deck_id].get(key) or CardState(deck_id, key)
            self._states[deck_id][key] = replace(state, buried_until=today.end)
        return previous

    def last_answer(self) -> Review | None:
        """The answer ``undo`` would take back (None when it would take back something else)."""
        last = self._undo[-1] if self._undo else None
        return last.review if last is not None and last.kind == "answer" else None

    def next_undo(self) -> UndoKind | None:
        """What ``undo`` would take back: an answer, a bury or a suspend of this session."""
        return self._undo[-1].kind if self._undo else None

    # --- the load balancer's counts ---------------------------------------------------------

    def _load_for(self, deck_id: str) -> Counter[date]:
        """Reviews due on each learner day in a deck, counted once, then kept up to date."""
        if deck_id not in self._load:
            counts: Counter[date] = Counter()
            for state in self._states[deck_id].values():
                self._count(counts, state, +1)
            self._load[deck_id] = counts
        return self._load[deck_id]

    def _count_due(self, deck_id: str, state: CardState | None, change: int) -> None:
        if deck_id in self._load and state is not None:
            self._count(self._load[deck_id], state, change)

    def _count(self, counts: Counter[date], state: CardState, change: int) -> None:
        if state.state == State.Review and state.due is not None and not state.suspended:
            counts[self._calendar.day(state.due)] += change

    def undo(self) -> Item | None:
        """Take back this session's last answer, bury or suspend, exactly (as Anki's undo
        does); its card is shown again."""
        self._load.clear()  # states change back: count again when next needed
        if not self._undo:
            return None
        last = self._undo[-1]
        if last.review is not None:
            self.store.undo(last.review.id)
        if last.buried:
            self.store.unbury(last.buried)
        self._undo.pop()
        if last.review is not None:
            self._answers = [a for a in self._answers if a.id != last.review.id]
        now = self._clock()
        self._rebuild(now, learner_today(now, self._tz, self._hour, self.store.last_learner_day()))
        assert self._today is not None
        ref = last.ref
        if ref in self._today.queue.items:
            self._current = self._prompt(ref, self._today, now)
            return self._current.item
        return None

    def bury(self) -> None:
        """Hide the shown card until the next learner day."""
        shown = self._shown()
        today = self._day(self._clock())
        ref = (shown.item.deck_id, shown.item.key)
        previous = self.store.bury([ref], today.end)
        self._undo.append(_Undo("bury", ref, None, previous))
        today.queue.remove([ref])
        self._current = None

    def suspend(self) -> None:
        """Suspend the shown card: it is not shown again until unsuspended (logged)."""
        self._load.clear()  # a suspended card is due on no day
        shown = self._shown()
        item = shown.item
        ref = (item.deck_id, item.key)
        now = self._clock()
        today = self._day(now)

        def make(before: CardState | None) -> Review:
            after = replace(before or CardState(*ref), suspended=True)
            return self._entry(item, now, before, after, 0, "manual", 0)

        review = self.store.record(item.deck_id, item.key, make)
        self._undo.append(_Undo("suspend", ref, review, {}))
        self._states[item.deck_id][item.key] = review.state_after
        today.queue.remove([ref])
        self._current = None

    # --- reporting ------------------------------------------------------------------------

    def counts(self) -> Counts:
        """What is left today and what this session did."""
        counts = self._day(self._clock()).queue.counts()
        return Counts(
            new=counts.new,
            learning=counts.learning,
            due=counts.due,
            done=len(self._answers),
            remaining=counts.new + counts.learning + counts.due,
        )

    def summary(self) -> Summary:
        """The session so far: answers, how many right, time spent, when to come back."""
        now = self._clock()
        today = self._day(now)
        again = sum(1 for a in self._answers if a.rating == Rating.AGAIN)
        return Summary(
            studied=len(self._answers),
            correct=len(self._answers) - again,
            again=again,
            time_ms=sum(a.duration_ms for a in self._answers),
            next_due=_next_due(self._states, self._plans.values(), now, today.end),
        )


def _shuffled(
    rng: random.Random, values: Iterable[str], avoid: tuple[str, ...] = ()
) -> tuple[str, ...]:
    out = list(values)
    rng.shuffle(out)
    if avoid and tuple(out) == avoid and len(out) > 1:
        out = out[1:] + out[:1]
    return tuple(out)


def _pick(choices: tuple[str, ...], response: str | Sequence[int], what: str) -> list[str]:
    if isinstance(response, str):
        raise SessionError(f"answer with {what} numbers")
    try:
        if any(i < 0 for i in response):
            raise IndexError
        return [choices[i] for i in response]
    except (IndexError, TypeError):
        raise SessionError(f"there are only {len(choices)} {what}s") from None


def _next_due(
    states: dict[str, dict[str, CardState]],
    plans: Iterable[DeckPlan],
    now: datetime,
    day_end: datetime,
) -> datetime | None:
    """When something is next available: the earliest future due, or tomorrow for new cards."""
    best: datetime | None = None
    for plan in plans:
        deck_states = states.get(plan.deck_id, {})
        for item in plan.items:
            state = deck_states.get(item.key)
            if state is not None and state.suspended:
                continue
            if state is None or state.is_new:
                moment = day_end if plan.settings.new_per_day else None
            else:
                moment = max(state.due or now, now)
                if state.buried_until and state.buried_until > moment:
                    moment = state.buried_until
            if moment is not None and moment > now and (best is None or moment < best):
                best = moment
    return best


def deck_overview(
    store: Store, decks: Sequence[StudyDeck], now: datetime, config: Config | None = None
) -> list[DeckOverview]:
    """Each deck's new / learning / due counts for today (its own limits) and next due time."""
    config = config or Config()
    zone = config.zone()
    now = now.astimezone(UTC)
    today = learner_today(now, zone, config.day_starts_at, store.last_learner_day())
    end = day_start(today + timedelta(days=1), zone, config.day_starts_at)
    plans = [DeckPlan(d.id, d.items, config.settings_for(d.study)) for d in decks]
    states = {d.id: store.states_for_deck(d.id) for d in decks}
    queue = Queue.build(
        plans,
        states,
        store.day_counts(today),
        now=now,
        day_end=end,
        total_new=_UNLIMITED,
        total_reviews=_UNLIMITED,
    )
    overview = []
    for deck in decks:
        counts = queue.deck_counts(deck.id)
        dues = [
            s.due
            for s in states[deck.id].values()
            if s.due is not None and not s.suspended and not s.is_new
        ]
        overview.append(
            DeckOverview(
                deck.id,
                deck.title,
                counts.new,
                counts.learning,
                counts.due,
                min(dues) if dues else None,
            )
        )
    return overview
