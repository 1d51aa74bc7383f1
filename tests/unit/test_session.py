"""The study session: multi-day simulation against fsrs, limits, burying, leeches, undo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quiz.config import Config
from quiz.decks import LoadedDeck, parse_deck
from quiz.grading import Rating
from quiz.scheduling import LEECH_TAG
from quiz.session import SessionError, StudySession, deck_overview
from quiz.storage import Ref, Store

START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Berlin
NO_FUZZ = "[deck.study]\nfuzz = false\n"


@dataclass
class Clock:
    """A fake clock the tests move by hand."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def to(self, moment: datetime) -> None:
        self.now = moment


def deck(body: str, deck_id: str = "d", study: str = NO_FUZZ) -> LoadedDeck:
    return parse_deck(f'[deck]\nid = "{deck_id}"\n{study}\n{body}', Path(f"{deck_id}.toml"))


def basics(n: int, reverse: bool = False) -> str:
    rev = "reverse = true\n" if reverse else ""
    return "".join(f'[[cards]]\nfront = "q{i}"\nback = "a{i}"\n{rev}' for i in range(n))


def session(
    store: Store, clock: Clock, *decks: LoadedDeck, only: list[Ref] | None = None, **config: Any
) -> StudySession:
    cfg = Config.model_validate({"timezone": "Europe/Berlin", **config})
    return StudySession(store, list(decks), clock, cfg, only)


def test_good_every_time_comes_back_at_the_start_of_a_later_learner_day(store: Store) -> None:
    """Intervals of days count learner days (Anki's rule, checked against Anki itself in
    test_anki_scheduler): due at the local day-start hour, each longer than the last, and the
    stability FSRS gives for the learner days elapsed."""
    clock = Clock()
    d = deck(basics(1))
    berlin = ZoneInfo("Europe/Berlin")
    days = []
    for _ in range(8):
        s = session(store, clock, d)
        assert s.next_card() is not None
        outcome = s.rate(Rating.GOOD, duration_ms=1000)
        assert outcome.due is not None
        if outcome.due - clock.now >= timedelta(hours=20):
            local = outcome.due.astimezone(berlin)
            assert (local.hour, local.minute) == (4, 0)  # the learner day's start
            days.append(
                (local.date() - (clock.now.astimezone(berlin) - timedelta(hours=4)).date()).days
            )
        assert s.next_card() is None or outcome.due - clock.now <= timedelta(minutes=20)
        clock.to(outcome.due + timedelta(hours=5))  # answered in the morning of the day due
    assert days == sorted(days) and len(set(days)) == len(days) and len(days) >= 5


def test_again_on_a_review_sends_it_to_relearning(store: Store) -> None:
    clock = Clock()
    d = deck(basics(1))
    s = session(store, clock, d)
    s.next_card()
    s.rate(Rating.EASY)
    clock.to(store.state("d", d.items[0].key).due)  # type: ignore[arg-type, union-attr]
    s.next_card()
    outcome = s.rate(Rating.AGAIN)
    assert outcome.review.kind == "review"
    assert outcome.review.state_after.state == fsrs.State.Relearning
    assert outcome.review.state_after.lapses == 1
    assert outcome.interval == "10m"
    assert s.counts().learning == 1


def test_learning_card_comes_back_within_learn_ahead(store: Store) -> None:
    clock = Clock()
    s = session(store, clock, deck(basics(1)))
    shown = s.next_card()
    assert shown is not None and shown.previews[Rating.AGAIN] == "1m"
    s.rate(Rating.AGAIN)
    again = s.next_card()  # due in 1 minute: shown ahead since nothing else is left
    assert again is not None and again.source == "learning"


def test_new_cards_respect_the_deck_limit_then_the_next_day(store: Store) -> None:
    clock = Clock()
    d = deck(basics(5), study=NO_FUZZ + "new_per_day = 2\n")
    s = session(store, clock, d)
    assert s.counts().new == 2
    for _ in range(2):
        assert s.next_card() is not None
        s.rate(Rating.EASY)
    assert s.next_card() is None
    assert s.counts().new == 0
    # A new process the same day still sees the limit used up.
    assert session(store, clock, d).counts().new == 0
    clock.to(datetime(2024, 3, 5, 3, 0, tzinfo=UTC))  # 04:00 Berlin: the next learner day
    assert session(store, clock, d).counts().new == 2


def test_overall_limit_caps_several_decks(store: Store) -> None:
    clock = Clock()
    a, b = deck(basics(5), "a"), deck(basics(5), "b")
    s = session(store, clock, a, b, limits={"new_per_day": 3})
    seen = []
    while (shown := s.next_card()) is not None:
        seen.append(shown.item.deck_id)
        s.rate(Rating.EASY)
    assert seen == ["a", "a", "a"]


def test_siblings_are_buried_until_the_next_day(store: Store) -> None:
    clock = Clock()
    d = deck(basics(1, reverse=True))
    s = session(store, clock, d)
    assert s.counts().new == 2
    s.next_card()
    outcome = s.rate(Rating.EASY)
    assert [i.facet for i in outcome.buried] == ["reverse"]
    assert s.next_card() is None
    assert session(store, clock, d).counts().new == 0
    clock.to(datetime(2024, 3, 5, 3, 0, tzinfo=UTC))
    nxt = session(store, clock, d).next_card()
    assert nxt is not None and nxt.item.facet == "reverse"


def test_undo_restores_state_limits_and_siblings(store: Store) -> None:
    clock = Clock()
    d = deck(basics(1, reverse=True), study=NO_FUZZ + "new_per_day = 1\n")
    s = session(store, clock, d)
    first = s.next_card()
    assert first is not None
    outcome = s.rate(Rating.GOOD)
    assert s.counts().new == 0
    item = s.undo()
    assert item == first.item
    assert store.state("d", first.item.key) is None
    assert store.state("d", d.items[1].key) is None
    assert store.review(outcome.review.id).undone  # type: ignore[union-attr]
    assert s.counts().new == 1 and s.counts().done == 0
    assert s.next_card() == first
    assert s.undo() is None


def test_undo_then_the_same_answer_gives_the_same_date_with_fuzz_on(store: Store) -> None:
    clock = Clock()
    d = deck(basics(1), study="")  # fuzz on
    key = d.items[0].key
    s = session(store, clock, d)
    for rating in (Rating.GOOD, Rating.GOOD):  # through learning, into review
        assert s.next_card() is not None
        s.rate(rating)
        clock.to(store.state("d", key).due)  # type: ignore[arg-type, union-attr]
    clock.advance(minutes=30)
    s = session(store, clock, d)
    shown = s.next_card()
    assert shown is not None
    first = s.rate(Rating.EASY).due
    assert first is not None and first - clock.now == shown.intervals[Rating.EASY]
    s.undo()
    assert s.next_card() is not None
    assert s.rate(Rating.EASY).due == first


def test_leech_is_tagged_suspended_and_reported(store: Store) -> None:
    clock = Clock()
    d = deck(basics(1), study=NO_FUZZ + "leech_threshold = 2\n")
    s = session(store, clock, d)
    key = d.items[0].key
    s.next_card()
    s.rate(Rating.EASY)
    outcomes = []
    for _ in range(2):
        clock.to(store.state("d", key).due)  # type: ignore[arg-type, union-attr]
        assert s.next_card() is not None
        outcomes.append(s.rate(Rating.AGAIN))
        while s.next_card() is not None:  # relearning steps
            clock.advance(minutes=10)
            s.rate(Rating.GOOD)
    assert [o.leech for o in outcomes] == [False, True]
    assert outcomes[1].suspended
    state = store.state("d", key)
    assert state is not None and LEECH_TAG in state.tags and state.suspended
    clock.advance(days=400)
    assert session(store, clock, d).next_card() is None


def test_check_grades_each_kind(store: Store) -> None:
    clock = Clock()
    body = (
        '[[cards]]\nquestion = "2+2?"\nanswer = "4"\ndistractors = ["3", "5"]\n'
        '[[cards]]\nstatement = "Water is wet"\ntrue = true\n'
        '[[cards]]\nprompt = "Count"\nitems = ["one", "two", "three"]\n'
        '[[cards]]\nprompt = "Capital of France?"\nanswer = "Paris"\n'
    )
    s = session(store, clock, deck(body))
    shown = s.next_card()
    assert shown is not None and sorted(shown.options) == ["3", "4", "5"]
    assert s.check([shown.options.index("4")]).rating == Rating.GOOD
    assert s.check([shown.options.index("3")]).rating == Rating.AGAIN
    with pytest.raises(SessionError):
        s.check([7])
    s.rate(Rating.GOOD)
    s.next_card()
    assert s.check(True).correct and not s.check(False).correct
    s.rate(Rating.GOOD)
    shown = s.next_card()
    assert shown is not None and shown.order != ("one", "two", "three")
    assert s.check([shown.order.index(x) for x in ("one", "two", "three")]).correct
    s.rate(Rating.GOOD)
    s.next_card()
    assert s.check("paris").rating == Rating.GOOD
    assert s.check("Pariss").rating == Rating.HARD


def test_deck_overview_counts_each_deck(store: Store) -> None:
    clock = Clock()
    a, b = deck(basics(3), "a"), deck(basics(30), "b")
    s = session(store, clock, a)
    s.next_card()
    s.rate(Rating.AGAIN)
    cfg = Config(timezone="Europe/Berlin")
    rows = {r.deck_id: r for r in deck_overview(store, [a, b], clock.now, cfg)}
    assert (rows["a"].new, rows["a"].learning, rows["a"].due) == (2, 1, 0)
    assert rows["a"].next_due == clock.now + timedelta(minutes=1)
    assert (rows["b"].new, rows["b"].next_due) == (20, None)


def test_an_edited_card_inherits_its_history(store: Store) -> None:
    clock = Clock()
    before = deck('[[cards]]\nprompt = "What is the capital of France?"\nanswer = "Paris"\n')
    s = session(store, clock, before)
    s.next_card()
    answered = s.rate(Rating.GOOD)
    edited = deck('[[cards]]\nprompt = "What is the capital of France ?"\nanswer = "Paris"\n')
    other = deck('[[cards]]\nprompt = "Name a river"\nanswer = "Seine"\n')
    assert session(store, clock, other).relinks == []  # not similar: stays an orphan
    s2 = session(store, clock, edited)
    [relink] = s2.relinks
    assert (relink.old_key, relink.new_key) == (before.items[0].key, edited.items[0].key)
    assert store.history("d", edited.items[0].key)[0].id == answered.review.id
    shown = s2.next_card()
    assert shown is not None and shown.source == "learning"


def test_the_new_day_starts_at_4am_local_across_dst(store: Store) -> None:
    clock = Clock(datetime(2024, 3, 30, 20, 0, tzinfo=UTC))  # Saturday 21:00 CET
    d = deck(basics(4), study=NO_FUZZ + "new_per_day = 1\n")
    s = session(store, clock, d)
    s.next_card()
    s.rate(Rating.EASY)
    assert s.counts().new == 0
    clock.to(datetime(2024, 3, 31, 1, 59, tzinfo=UTC))  # 03:59 CEST (clocks went forward)
    assert s.counts().new == 0
    clock.to(datetime(2024, 3, 31, 2, 0, tzinfo=UTC))  # 04:00 CEST: a new learner day
    assert s.counts().new == 1
    s.next_card()
    s.rate(Rating.EASY)
    clock.to(datetime(2024, 4, 1, 1, 59, tzinfo=UTC))
    assert s.counts().new == 0


def test_suspend_and_bury_hide_the_card(store: Store) -> None:
    clock = Clock()
    d = deck(basics(2))
    s = session(store, clock, d)
    first = s.next_card()
    assert first is not None
    s.suspend()
    second = s.next_card()
    assert second is not None and second.item != first.item
    s.bury()
    assert s.next_card() is None
    assert session(store, clock, d).next_card() is None
    clock.advance(days=1)
    again = session(store, clock, d).next_card()
    assert again is not None and again.item == second.item
    assert store.history("d", first.item.key)[0].kind == "manual"
    with pytest.raises(SessionError):
        StudySession(store, [d], clock, Config()).rate(Rating.GOOD)


def test_only_studies_the_given_cards_now_and_leaves_the_rest_alone(store: Store) -> None:
    clock = Clock()
    d = deck(
        basics(3) + '[[cards]]\nfront = "q1?"\nback = "a1"\n', study=NO_FUZZ + "new_per_day = 2\n"
    )
    q0, q1, q2, q1_again = (item.key for item in d.items)
    s = session(store, clock, d)
    for _ in range(2):  # q0 and q1: reviews due in days
        s.next_card()
        s.rate(Rating.EASY)
    clock.advance(hours=2)
    q1_history = store.history("d", q1)
    assert session(store, clock, d).next_card() is None  # new cards used up, q0 not due

    s = session(store, clock, d, only=[("d", q0), ("d", q2), ("d", q1_again), ("gone", "x")])
    assert s.relinks == []  # q1 is no orphan, though its look-alike q1? is studied alone
    shown = []
    while (card := s.next_card()) is not None:
        shown.append((card.item.key, card.source))
        s.rate(Rating.AGAIN if (card.item.key, card.source) == (q2, "new") else Rating.EASY)
    assert shown == [(q0, "review"), (q2, "new"), (q1_again, "new"), (q2, "learning")]
    assert [r.kind for r in store.history("d", q0)] == ["learn", "review"]  # early, by FSRS
    assert [(r.kind, r.rating) for r in store.history("d", q2)] == [("learn", 1), ("learn", 4)]
    assert [r.kind for r in store.history("d", q1_again)] == ["learn"]
    assert store.history("d", q1) == q1_history
    assert s.summary().studied == 4


def test_undo_takes_back_a_bury_or_a_suspend_not_the_answer_before(store: Store) -> None:
    clock = Clock()
    d = deck(basics(3))
    s = session(store, clock, d)
    first = s.next_card()
    assert first is not None
    answered = s.rate(Rating.GOOD)
    second = s.next_card()
    assert second is not None
    s.bury()
    assert s.next_undo() == "bury" and s.last_answer() is None
    assert s.undo() == second.item  # the buried card is back, the answer stands
    restored = store.state("d", second.item.key)
    assert restored is None or restored.buried_until is None  # as it was: new, unburied
    assert not store.history("d", first.item.key)[0].undone
    shown = s.next_card()
    assert shown is not None and shown.item == second.item
    s.suspend()
    assert s.next_undo() == "suspend"
    assert s.undo() == second.item
    state = store.state("d", second.item.key)
    assert state is None or not state.suspended  # as it was before: a new card
    assert [e.undone for e in store.history("d", second.item.key)] == [True]
    assert s.next_undo() == "answer" and s.last_answer() == answered.review


def test_a_single_answer_choice_takes_one_option_not_several(store: Store) -> None:
    card = '[[cards]]\nquestion = "Largest planet?"\nanswer = "Jupiter"\n'
    d = deck(card + 'distractors = ["Mars", "Venus", "Earth"]\n')
    s = session(store, Clock(), d)
    shown = s.next_card()
    assert shown is not None
    right = shown.options.index("Jupiter")
    with pytest.raises(SessionError, match="one answer is right"):
        s.check([right, (right + 1) % 4])
    assert s.check([right]).correct
