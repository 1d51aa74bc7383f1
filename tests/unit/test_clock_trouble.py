"""Clock trouble: the system clock set back (or jumping about) and time zone changes never give
a negative interval, never date an answer before the one it follows and never reopen a
learner day that is over (which would hand out a second batch of new cards)."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quiz.config import Config, Limits
from quiz.decks import parse_deck
from quiz.model import StudySettings
from quiz.scheduling import apply_rating, previews
from quiz.session import StudySession
from quiz.storage import CardState, Review, Store

START = datetime(2024, 3, 9, 20, 0, tzinfo=UTC)  # a Saturday evening: DST starts in the US
NEW_PER_DAY = 4
ZONES = ["UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin", "Asia/Kathmandu"]
DECK = parse_deck(
    f'[deck]\nid = "d"\n[deck.study]\nnew_per_day = {NEW_PER_DAY}\n'
    + "".join(f'[[cards]]\nid = "c{n}"\nfront = "q{n}"\nback = "a{n}"\n' for n in range(12)),
    Path("d.toml"),
)

Step = tuple[str, Any]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(1, 4)),
        st.tuples(st.just("jump"), st.integers(-5 * 24 * 60, 3 * 24 * 60)),  # minutes
        st.tuples(st.just("session"), st.sampled_from(ZONES)),  # restart in another zone
    ),
    min_size=1,
    max_size=40,
)


class Run:
    """A store, a clock the steps move, and the session studying in the current zone."""

    def __init__(self, folder: Path) -> None:
        self.moment = START
        self.store = Store.open(folder, now=START)
        self.session = self.start("UTC")
        self.days: list[date] = []
        """Learner days of this session's answers, in order."""

    def clock(self) -> datetime:
        return self.moment

    def start(self, zone: str) -> StudySession:
        config = Config(timezone=zone, limits=Limits(new_per_day=NEW_PER_DAY))
        self.days = []
        return StudySession(self.store, [DECK], self.clock, config)

    def step(self, step: Step) -> None:
        action, value = step
        if action == "jump":
            self.moment += timedelta(minutes=value)
        elif action == "session":
            self.session = self.start(value)
        elif self.session.next_card() is not None:
            outcome = self.session.rate(value)
            review = outcome.review
            assert outcome.due >= review.reviewed_at, "a negative interval"
            assert review.state_after.last_review is not None
            assert review.state_after.last_review >= review.reviewed_at
            assert not self.days or review.learner_day >= self.days[-1], "a day reopened"
            self.days.append(review.learner_day)
            self.moment += timedelta(seconds=20)


def check_log(store: Store) -> None:
    """Every card's history in order, and no learner day with more new cards than allowed."""
    reviews: list[Review] = [
        r for key in store.card_keys("d") for r in store.history("d", key) if not r.undone
    ]
    new_per_day = Counter(r.learner_day for r in reviews if r.state_before is None)
    assert max(new_per_day.values(), default=0) <= NEW_PER_DAY, new_per_day
    by_card: dict[str, list[Review]] = {}
    for review in reviews:
        by_card.setdefault(review.card_key, []).append(review)
    for history in by_card.values():
        last = [r.state_after.last_review for r in history]
        assert last == sorted(last), "a review dated before the one it follows"  # type: ignore[type-var]
        for review in history:
            after = review.state_after
            assert after.due is not None and after.last_review is not None
            assert after.due >= after.last_review


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
@example(steps=[("answer", 1), ("jump", -2401), ("answer", 1)])  # set back 40 h mid-session
@example(steps=[("answer", 3), ("session", "Asia/Tokyo"), ("jump", 600), ("answer", 3)])
def test_clock_jumps_and_zone_changes_keep_time_in_order(steps: list[Step]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run = Run(Path(folder))
        try:
            for step in steps:
                run.step(step)
            check_log(run.store)
        finally:
            run.store.close()


def studied(store: Store, clock: Callable[[], datetime], zone: str, answers: int) -> list[Review]:
    config = Config(timezone=zone, limits=Limits(new_per_day=NEW_PER_DAY))
    session = StudySession(store, [DECK], clock, config)
    done = []
    for _ in range(answers):
        if session.next_card() is None:
            break
        done.append(session.rate(3).review)
    return done


def test_clock_set_back_mid_session_keeps_the_day_and_the_order(tmp_path: Path) -> None:
    moments = iter([START + timedelta(minutes=n) for n in range(3)] + [START - timedelta(days=2)])
    last = [START]

    def clock() -> datetime:
        last[0] = next(moments, last[0])
        return last[0]

    with Store.open(tmp_path, now=START) as store:
        reviews = studied(store, clock, "UTC", 3 * NEW_PER_DAY)
    # The day's four new cards and no more: the clock going back two days did not open
    # 7 March with four more, and no answer is dated before the one before it.
    assert sum(r.state_before is None for r in reviews) == NEW_PER_DAY
    assert {r.learner_day for r in reviews} == {date(2024, 3, 9)}
    times = [r.reviewed_at for r in reviews]
    assert times == sorted(times)


def test_flying_west_mid_day_does_not_give_the_day_again(tmp_path: Path) -> None:
    """Tokyo at 8 am on the 10th, then Los Angeles: there it is still the 9th (afternoon)."""
    moment = [datetime(2024, 3, 9, 23, 0, tzinfo=UTC)]
    with Store.open(tmp_path, now=moment[0]) as store:
        first = studied(store, lambda: moment[0], "Asia/Tokyo", NEW_PER_DAY)
        moment[0] += timedelta(hours=1)
        second = studied(store, lambda: moment[0], "America/Los_Angeles", 2 * NEW_PER_DAY)
    assert {r.learner_day for r in first} == {date(2024, 3, 10)}
    # The 10th's new cards were given in Tokyo already; only their learning steps come back.
    assert [r for r in second if r.state_before is None] == []
    assert {r.learner_day for r in second} == {date(2024, 3, 10)}
    assert {r.tz_name for r in first} == {"Asia/Tokyo"}


@pytest.mark.parametrize("back", [timedelta(minutes=1), timedelta(days=1), timedelta(days=40)])
@settings(max_examples=30, deadline=None)
@given(ratings=st.lists(st.integers(1, 4), min_size=1, max_size=6), rating=st.integers(1, 4))
def test_a_review_before_the_last_one_never_goes_back_in_time(
    back: timedelta, ratings: list[int], rating: int
) -> None:
    study = StudySettings(fuzz=False)
    state = CardState("d", "c")
    moment = START
    for r in ratings:
        state = apply_rating(state, r, moment, study).state
        moment = (state.due or moment) + timedelta(minutes=1)
    assert state.last_review is not None
    now = state.last_review - back
    assert all(delta >= timedelta(0) for delta in previews(state, now, study).values())
    after = apply_rating(state, rating, now, study).state
    assert after.last_review == state.last_review
    assert after.due is not None and after.due >= state.last_review
