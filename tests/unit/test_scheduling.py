"""The learner day across DST and travel, intervals, and the queue's order and limits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quiz.model import BasicCard, Card, StudySettings, expand
from quiz.scheduling import (
    Calendar,
    DeckPlan,
    Queue,
    apply_rating,
    day_of,
    day_start,
    format_interval,
    learner_today,
    make_scheduler,
    next_day_start,
    parse_step,
    previews,
)
from quiz.storage import CardState, DayCount, Ref

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def scan(start: datetime, hours: int, step_minutes: int = 10) -> list[datetime]:
    return [start + timedelta(minutes=m) for m in range(0, hours * 60, step_minutes)]


@pytest.mark.parametrize(
    ("first", "start_hour"),
    [
        (datetime(2024, 3, 28, tzinfo=UTC), 4),  # spring forward on 31 March
        (datetime(2024, 3, 28, tzinfo=UTC), 2),  # ... the start hour itself is skipped
        (datetime(2024, 10, 24, tzinfo=UTC), 4),  # fall back on 27 October
        (datetime(2024, 10, 24, tzinfo=UTC), 2),  # ... the start hour happens twice
        (datetime(2024, 10, 24, tzinfo=UTC), 0),
    ],
)
def test_dst_changes_neither_skip_nor_double_a_day(first: datetime, start_hour: int) -> None:
    moments = scan(first, 24 * 7)
    days = [day_of(m, BERLIN, start_hour) for m in moments]
    # Each consecutive day appears in one unbroken run: none skipped, none repeated.
    runs = [d for i, d in enumerate(days) if i == 0 or d != days[i - 1]]
    assert runs == [runs[0] + timedelta(days=i) for i in range(len(runs))]
    for moment, day in zip(moments, days, strict=True):
        assert (
            day_start(day, BERLIN, start_hour)
            <= moment
            < next_day_start(moment, BERLIN, start_hour)
        )
        assert next_day_start(moment, BERLIN, start_hour) == day_start(
            day + timedelta(days=1), BERLIN, start_hour
        )


def test_the_day_starts_at_the_local_start_hour() -> None:
    assert day_of(datetime(2024, 7, 1, 1, 59, tzinfo=UTC), BERLIN, 4) == date(2024, 6, 30)
    assert day_of(datetime(2024, 7, 1, 2, 0, tzinfo=UTC), BERLIN, 4) == date(2024, 7, 1)
    assert day_start(date(2024, 3, 31), BERLIN, 4) == datetime(2024, 3, 31, 2, tzinfo=UTC)
    assert day_start(date(2024, 3, 30), BERLIN, 4) == datetime(2024, 3, 30, 3, tzinfo=UTC)


def test_flying_west_does_not_give_the_same_day_twice() -> None:
    # 05:00 in Berlin on 5 March: the learner studies (day 5 March) and flies to New York,
    # where it is still 4 March, 23:00 when they land and study again.
    berlin_morning = datetime(2024, 3, 5, 4, 0, tzinfo=UTC)
    studied = learner_today(berlin_morning, BERLIN, 4, None)
    assert studied == date(2024, 3, 5)
    landed = berlin_morning + timedelta(hours=0)  # same instant, new zone
    assert day_of(landed, NEW_YORK, 4) == date(2024, 3, 4)
    assert learner_today(landed, NEW_YORK, 4, studied) == studied
    # It stays 5 March until 04:00 on 6 March in New York, then moves on by one day.
    six_march = day_start(date(2024, 3, 6), NEW_YORK, 4)
    assert learner_today(six_march - timedelta(seconds=1), NEW_YORK, 4, studied) == studied
    assert learner_today(six_march, NEW_YORK, 4, studied) == date(2024, 3, 6)


def test_flying_east_moves_on_one_day_without_skipping() -> None:
    evening = datetime(2024, 3, 5, 19, 0, tzinfo=UTC)  # 20:00 Berlin, day 5 March
    assert learner_today(evening, BERLIN, 4, None) == date(2024, 3, 5)
    landed = evening + timedelta(hours=12)  # 16:00 in Tokyo on 6 March
    assert learner_today(landed, TOKYO, 4, date(2024, 3, 5)) == date(2024, 3, 6)


def test_a_wrong_clock_far_ahead_is_not_trusted() -> None:
    now = datetime(2024, 3, 5, 12, tzinfo=UTC)
    assert learner_today(now, BERLIN, 4, date(2030, 1, 1)) == date(2024, 3, 5)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=29), "29d"),
        (timedelta(days=64), "2.1mo"),
        (timedelta(days=365 * 2), "2y"),
    ],
)
def test_format_interval(delta: timedelta, text: str) -> None:
    assert format_interval(delta) == text


def test_steps_and_scheduler_follow_the_settings() -> None:
    assert parse_step("90s") == timedelta(seconds=90)
    assert parse_step("1d") == timedelta(days=1)
    with pytest.raises(ValueError):
        parse_step("10x")
    settings = StudySettings(learning_steps=["5m", "1h"], desired_retention=0.95, fuzz=False)
    scheduler = make_scheduler(settings)
    assert scheduler.learning_steps == (timedelta(minutes=5), timedelta(hours=1))
    assert scheduler.desired_retention == 0.95 and not scheduler.enable_fuzzing


def test_previews_give_each_ratings_interval() -> None:
    now = datetime(2024, 3, 5, 12, tzinfo=UTC)
    shown = {
        r: format_interval(d)
        for r, d in previews(CardState("d", "k"), now, StudySettings()).items()
    }
    assert shown[1] == "1m" and shown[3] == "10m"
    assert shown[4].endswith("d")


def test_lapses_count_only_again_on_a_review() -> None:
    now = datetime(2024, 3, 5, 12, tzinfo=UTC)
    settings = StudySettings(fuzz=False)
    learning = apply_rating(CardState("d", "k"), 1, now, settings).state
    assert (learning.lapses, learning.reps, learning.state) == (0, 1, fsrs.State.Learning)
    review = apply_rating(learning, 4, now, settings).state
    assert review.state == fsrs.State.Review
    lapsed = apply_rating(review, 1, review.due or now, settings).state
    assert (lapsed.lapses, lapsed.state) == (1, fsrs.State.Relearning)


def _review(last: datetime, stability: float, days: int, **fields: object) -> CardState:
    """A card in review, last answered at ``last`` and due ``days`` later."""
    return CardState(
        "d",
        "k",
        fsrs.State.Review,
        None,
        stability,
        5.0,
        last + timedelta(days=days),
        last,
        reps=4,
        **fields,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("zone", "changed"),
    [
        (BERLIN, date(2024, 3, 31)),
        (BERLIN, date(2024, 10, 27)),
        (NEW_YORK, date(2024, 3, 10)),
        (NEW_YORK, date(2024, 11, 3)),
    ],
)
@pytest.mark.parametrize("answered", [time(4, 30), time(23, 30)])
def test_a_card_due_in_days_comes_back_when_that_learner_day_starts_across_dst(
    zone: ZoneInfo, changed: date, answered: time
) -> None:
    """The day before a clock change and the day of it: whatever hour the answer, each
    rating's card is due at 04:00 local on the learner day its interval names, never the same
    day again and never a day skipped."""
    calendar = Calendar(zone, 4)
    for day in (changed - timedelta(days=1), changed):
        now = datetime.combine(day, answered, tzinfo=zone).astimezone(UTC)  # no wall-clock sums
        state = _review(now - timedelta(days=3), 3.0, 3)
        for rating, delta in previews(state, now, StudySettings(), calendar).items():
            due = (now + delta).astimezone(zone)
            if rating == 1:
                continue  # relearning: ten minutes
            assert (due.hour, due.minute) == (4, 0)
            assert calendar.day(due) > calendar.day(now)


def test_days_since_a_review_are_learner_days_across_dst() -> None:
    """Eleven learner days across New York's autumn change (25 hours one of them): FSRS
    sees eleven days, as it would without the change."""
    calendar = Calendar(NEW_YORK, 4)
    last = datetime(2024, 10, 27, 4, 40, tzinfo=NEW_YORK).astimezone(UTC)
    now = datetime(2024, 11, 7, 4, 40, tzinfo=NEW_YORK).astimezone(UTC)
    after = apply_rating(_review(last, 10.97, 11), 3, now, StudySettings(), calendar).state
    plain = datetime(2024, 1, 1, 4, 40, tzinfo=UTC)  # no change: eleven days of 24 hours
    card = fsrs.Card(0, fsrs.State.Review, None, 10.97, 5.0, plain, plain)
    expected, _ = make_scheduler(StudySettings(), fuzz=False).review_card(
        card, fsrs.Rating.Good, plain + timedelta(days=11)
    )
    assert after.stability == pytest.approx(expected.stability)


@pytest.mark.parametrize("reps", range(1, 7))
def test_the_buttons_show_what_each_answer_does_fuzz_and_all(reps: int) -> None:
    calendar = Calendar(BERLIN, 4)
    now = datetime(2024, 5, 6, 9, tzinfo=BERLIN).astimezone(UTC)
    state = replace(_review(now - timedelta(days=20), 25.0, 20), reps=reps)
    shown = previews(state, now, StudySettings(), calendar)
    for rating, delta in shown.items():
        again = apply_rating(state, rating, now, StudySettings(), calendar).state
        assert again.due == now + delta  # the same day, fuzz included, every time
    days = [calendar.day(now + shown[r]) for r in (2, 3, 4)]
    assert days[0] < days[1] < days[2]


def test_the_load_balancer_picks_a_quiet_day_within_the_fuzz_range() -> None:
    """A Good due in about 20 days (fuzz range 18-22): with reviews piled on every day of the
    range but one, the quiet day is chosen; the buttons show the same day; past 90 days the
    ordinary fuzz applies."""
    calendar = Calendar(BERLIN, 4)
    now = datetime(2024, 5, 6, 9, tzinfo=BERLIN).astimezone(UTC)
    today = calendar.day(now)
    state = _review(now - timedelta(days=8), 8.0, 8)
    settings = StudySettings(maximum_interval=36500)
    unfuzzed = settings.model_copy(update={"fuzz": False})
    plain = apply_rating(state, 3, now, unfuzzed, calendar, {}).state
    assert plain.due is not None
    days = (calendar.day(plain.due) - today).days  # the middle of the fuzz range
    for quiet in range(days - 1, days + 2):  # within the fuzz range, wherever it is
        load = {today + timedelta(days=n): 40 for n in range(days - 6, days + 7) if n != quiet}
        after = apply_rating(state, 3, now, settings, calendar, load).state
        assert after.due is not None
        assert calendar.day(after.due) == today + timedelta(days=quiet)
    shown = previews(state, now, settings, calendar, load)[3]
    assert now + shown == after.due
    unbalanced = settings.model_copy(update={"load_balance": False})
    off = apply_rating(state, 3, now, unbalanced, calendar, load)
    alone = apply_rating(state, 3, now, unbalanced, calendar, {})
    assert off.state.due == alone.state.due  # no balancing: the fuzz alone, whatever the load


def test_easy_days_take_reviews_off_the_weekend() -> None:
    calendar = Calendar(BERLIN, 4)
    now = datetime(2024, 5, 6, 9, tzinfo=BERLIN).astimezone(UTC)  # a Monday
    weekdays = []
    for n in range(40):
        state = replace(_review(now - timedelta(days=20), 25.0, 20), card_key=f"k{n}")
        settings = StudySettings(easy_days=[1, 1, 1, 1, 1, 0, 0])
        after = apply_rating(state, 3, now, settings, calendar, {}).state
        assert after.due is not None
        weekdays.append(calendar.day(after.due).weekday())
    assert len(set(weekdays)) > 1 and not {5, 6} & set(weekdays)


def test_hard_good_easy_stay_a_day_apart_after_many_lapses() -> None:
    """After lapses FSRS's stabilities are small and alike; Anki keeps each button a day
    further than the one before, and so does quiz."""
    calendar = Calendar(BERLIN, 4)
    now = datetime(2024, 5, 6, 9, tzinfo=BERLIN).astimezone(UTC)
    state = replace(_review(now - timedelta(days=1), 0.3, 1), difficulty=9.8, lapses=6)
    days = [
        (calendar.day(now + d) - calendar.day(now)).days
        for r, d in sorted(previews(state, now, StudySettings(fuzz=False), calendar).items())
        if r > 1
    ]
    assert days == [1, 2, 3]


def test_a_leech_is_flagged_at_the_threshold_then_every_half_threshold_rounded_up() -> None:
    settings = StudySettings(leech_threshold=3, leech_action="tag", fuzz=False)
    now = datetime(2024, 5, 6, 9, tzinfo=UTC)
    state = _review(now - timedelta(days=2), 2.0, 2)
    flagged = []
    for _ in range(9):
        rated = apply_rating(state, 1, now, settings)
        flagged.append(rated.leech)
        relearnt = apply_rating(rated.state, 3, now + timedelta(minutes=11), settings).state
        now = relearnt.due or now
        state = relearnt
    assert [n for n, leech in enumerate(flagged, 1) if leech] == [3, 5, 7, 9]


def _plan(n: int, deck_id: str = "d", **settings: object) -> DeckPlan:
    cards: list[Card] = [BasicCard(front=f"q{i}", back=f"a{i}") for i in range(n)]
    return DeckPlan(deck_id, expand(deck_id, cards), StudySettings.model_validate(settings))


def test_queue_order_learning_then_most_overdue_reviews_then_new() -> None:
    now = datetime(2024, 3, 5, 12, tzinfo=UTC)
    plan = _plan(5)
    keys = [i.key for i in plan.items]
    review = CardState("d", "", fsrs.State.Review, None, 5.0, 5.0, reps=3)
    states = {
        keys[0]: CardState("d", keys[0], due=now - timedelta(minutes=1), reps=1),
        keys[1]: replace(review, card_key=keys[1], due=now - timedelta(days=1)),
        keys[2]: replace(review, card_key=keys[2], due=now - timedelta(days=3)),
    }
    queue = Queue.build(
        [plan],
        {"d": states},
        {},
        now=now,
        day_end=now + timedelta(hours=10),
        total_new=9,
        total_reviews=9,
    )
    order = []
    while (ref := queue.next(now)) is not None:
        order.append(ref[1])
        queue.remove([ref])
    assert order == [keys[0], keys[2], keys[1], keys[3], keys[4]]


def test_a_backlog_can_come_likeliest_forgotten_first() -> None:
    """Two overdue reviews: the one overdue longer, but of a card learnt well (high
    stability), is likelier remembered than a weak card overdue a day."""
    now = datetime(2024, 3, 5, 12, tzinfo=UTC)
    plan = _plan(2)
    keys = [i.key for i in plan.items]
    strong = replace(_review(now - timedelta(days=65), 60.0, 60), card_key=keys[0], reps=6)
    weak = replace(_review(now - timedelta(days=3), 2.0, 2), card_key=keys[1], reps=2)
    orders: dict[str, list[str]] = {}
    for order in ("overdue", "retrievability"):
        queue = Queue.build(
            [plan],
            {"d": {keys[0]: strong, keys[1]: weak}},
            {},
            now=now,
            day_end=now + timedelta(hours=10),
            total_new=9,
            total_reviews=9,
            review_order=order,
        )
        taken = []
        while (ref := _take(queue, now)) is not None:
            taken.append(ref[1])
        orders[order] = taken
    assert orders == {"overdue": keys, "retrievability": keys[::-1]}


def _take(queue: Queue, now: datetime) -> Ref | None:
    ref = queue.next(now)
    if ref is not None:
        queue.remove([ref])
    return ref


def test_queue_limits_count_what_was_done_today() -> None:
    now = datetime(2024, 3, 5, 12, tzinfo=UTC)
    queue = Queue.build(
        [_plan(10, new_per_day=4)],
        {},
        {"d": DayCount(new=3)},
        now=now,
        day_end=now + timedelta(hours=1),
        total_new=100,
        total_reviews=100,
    )
    assert queue.counts().new == 1
    ref = queue.next(now)
    assert ref is not None
    queue.answered(
        ref, CardState(*ref, state=fsrs.State.Review, due=now + timedelta(days=2), reps=1)
    )
    assert queue.counts().new == 0 and queue.next(now) is None


def test_shuffled_new_order_is_deterministic() -> None:
    now = datetime(2024, 3, 5, 12, tzinfo=UTC)

    def first_new() -> list[str]:
        queue = Queue.build(
            [_plan(30, new_order="shuffled")],
            {},
            {},
            now=now,
            day_end=now + timedelta(hours=1),
            total_new=100,
            total_reviews=100,
        )
        out = []
        while (ref := queue.next(now)) is not None:
            out.append(ref[1])
            queue.remove([ref])
        return out

    assert first_new() == first_new()
    assert first_new() != [i.key for i in _plan(30).items][:20]
