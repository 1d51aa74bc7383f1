"""Statistics against a small made-up history whose every number is worked out by hand.

Times are Berlin wall-clock times (CET, UTC+1, in early March); the learner day starts at 4am.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quiz.config import Config
from quiz.model import DeckFile, Item, StudySettings, expand
from quiz.scheduling import day_of
from quiz.stats import (
    CardCounts,
    Rate,
    Retention,
    Stats,
    format_stats,
    library_stats,
    stats_text,
)
from quiz.stats_queries import StatsReader
from quiz.storage import CardState, Review, ReviewKind, Store

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = 4
NOW = datetime(2024, 3, 14, 10, 0, tzinfo=BERLIN).astimezone(UTC)  # a Thursday
TODAY = date(2024, 3, 14)
_ids = itertools.count()


@dataclass
class Deck:
    id: str
    title: str
    items: list[Item]
    study: StudySettings = field(default_factory=StudySettings)


def deck(deck_id: str, *keys: str) -> Deck:
    cards = [{"id": k, "front": f"Q {k}", "back": f"A {k}"} for k in keys]
    items = expand(deck_id, DeckFile.model_validate({"cards": cards}).cards)
    return Deck(deck_id, f"Deck {deck_id.upper()}", items)


def local(text: str) -> datetime:
    """A Berlin wall-clock time as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).astimezone(UTC)


def review(
    ref: str,
    at: str,
    rating: int = 3,
    *,
    kind: ReviewKind = "review",
    interval: int = 1,
    after: fsrs.State = fsrs.State.Review,
    due: str | None = None,
    undone: bool = False,
    suspended: bool = False,
    tags: tuple[str, ...] = (),
) -> Review:
    """One logged answer at a Berlin time; ``interval`` is the card's interval before it."""
    deck_id, key = ref.split(":")
    moment = local(at)
    before = None
    if kind in ("review", "relearn"):
        before = CardState(
            deck_id,
            key,
            fsrs.State.Review,
            None,
            5.0,
            5.0,
            moment,
            moment - timedelta(days=interval),
            reps=3,
        )
    reps = 0 if kind == "exam" else 4
    state_after = CardState(
        deck_id,
        key,
        after,
        0 if after != fsrs.State.Review else None,
        due=local(due) if due else None,
        last_review=moment if reps else None,
        reps=reps,
        suspended=suspended,
        tags=tags,
    )
    if kind == "exam" and before is None:
        state_after = CardState(deck_id, key)
    return Review(
        id=f"r{next(_ids)}",
        deck_id=deck_id,
        card_key=key,
        rating=rating,
        kind=kind,
        reviewed_at=moment,
        utc_offset_minutes=int(moment.astimezone(BERLIN).utcoffset().total_seconds() // 60),  # type: ignore[union-attr]
        tz_name="Europe/Berlin",
        learner_day=day_of(moment, BERLIN, HOUR),
        duration_ms=5000,
        content_hash="h",
        state_before=before,
        state_after=state_after,
        undone=undone,
    )


HISTORY = [
    # d:a, mature (30 d), passed, on today's learner day (04:30 is after the 4am boundary).
    review("d:a", "2024-03-14 04:30", 3, interval=30, due="2024-03-16 12:00"),
    # d:b, young (5 d), failed, at 03:30: still yesterday's learner day. Due again (overdue).
    review(
        "d:b",
        "2024-03-14 03:30",
        1,
        interval=5,
        after=fsrs.State.Relearning,
        due="2024-03-14 03:40",
    ),
    # d:c, young (10 d), Hard counts as passed.
    review("d:c", "2024-03-12 20:00", 2, interval=10, due="2024-03-20 22:00"),
    # d:d, first answer: a learning step, not a review; due long ago.
    review(
        "d:d",
        "2024-03-10 12:00",
        3,
        kind="learn",
        after=fsrs.State.Learning,
        due="2024-03-10 12:10",
    ),
    # d:e, mature, passed 9 days ago (in the 30-day window only); then suspended as a leech.
    review(
        "d:e",
        "2024-03-05 12:00",
        4,
        interval=25,
        due="2024-03-14 12:00",
        suspended=True,
        tags=("leech",),
    ),
    # d:f, an exam answer: activity, but neither retention nor a change of state (still new).
    review("d:f", "2024-03-14 09:00", 3, kind="exam"),
    # e:x, mature (40 d), passed yesterday, due exactly when tomorrow's learner day starts.
    review("e:x", "2024-03-13 10:00", 3, interval=40, due="2024-03-15 04:00"),
    # e:x, young (3 d) and failed in December: counts in the 365-day window only.
    review("e:x", "2023-12-01 10:00", 1, interval=3, due="2023-12-01 10:10"),
    # e:y, an answer that was undone: it counts nowhere.
    review("e:y", "2024-03-14 08:00", 3, interval=9, due="2024-03-14 09:00", undone=True),
    # d:gone, a card no longer in the deck: left out of counts and forecast.
    review("d:gone", "2023-01-01 10:00", 3, interval=9, due="2024-03-14 12:00"),
]


def ordered(reviews: Sequence[Review]) -> list[Review]:
    """The log in time order, as the store would have received it."""
    return sorted(reviews, key=lambda r: r.reviewed_at)


@pytest.fixture
def history(store: Store) -> tuple[Deck, Deck]:
    store.import_reviews(ordered(HISTORY))
    return deck("d", *"abcdefg"), deck("e", "x", "y")


def stats_at(store: Store, decks: Sequence[Deck], now: datetime = NOW, hour: int = HOUR) -> Stats:
    return library_stats(store, decks, now, tz=BERLIN, start_hour=hour).overall


def test_activity_per_learner_day(store: Store, history: tuple[Deck, Deck]) -> None:
    result = library_stats(store, history, NOW, tz=BERLIN, start_hour=HOUR)
    overall = result.overall
    assert overall.today == TODAY
    assert overall.per_day == {
        date(2024, 3, 14): 2,  # d:a, d:f (exam)
        date(2024, 3, 13): 2,  # d:b at 03:30, e:x
        date(2024, 3, 12): 1,
        date(2024, 3, 10): 1,
        date(2024, 3, 5): 1,
        date(2023, 12, 1): 1,
    }
    assert (overall.reviews_today, overall.reviews_this_week) == (2, 5)  # Mon 11th to Thu 14th
    assert result.decks["e"].per_day == {date(2024, 3, 13): 1, date(2023, 12, 1): 1}
    assert result.decks["d"].reviews_today == 2


def test_streak(store: Store, history: tuple[Deck, Deck]) -> None:
    result = library_stats(store, history, NOW, tz=BERLIN, start_hour=HOUR)
    assert result.overall.streak == 3  # 12th, 13th, 14th; nothing on the 11th
    assert result.decks["d"].streak == 3
    assert result.decks["e"].streak == 1  # yesterday only: the streak is still alive
    later = stats_at(store, history, NOW + timedelta(days=2))
    assert later.streak == 0  # nothing yesterday (15th) nor today (16th)


def test_retention(store: Store, history: tuple[Deck, Deck]) -> None:
    result = library_stats(store, history, NOW, tz=BERLIN, start_hour=HOUR)
    assert result.overall.retention == {
        7: Retention(young=Rate(1, 2), mature=Rate(2, 2)),
        30: Retention(young=Rate(1, 2), mature=Rate(3, 3)),
        365: Retention(young=Rate(1, 3), mature=Rate(3, 3)),
    }
    assert result.decks["d"].retention[7] == Retention(Rate(1, 2), Rate(1, 1))
    assert result.decks["e"].retention[30] == Retention(Rate(0, 0), Rate(1, 1))
    assert result.overall.retention[30].overall == Rate(4, 5)
    assert Rate().percent is None
    assert Rate(4, 5).percent == pytest.approx(80.0)


def test_card_counts(store: Store, history: tuple[Deck, Deck]) -> None:
    result = library_stats(store, history, NOW, tz=BERLIN, start_hour=HOUR)
    assert result.decks["d"].cards == CardCounts(
        new=2, learning=1, review=2, relearning=1, suspended=1, leech=1
    )
    assert result.decks["e"].cards == CardCounts(new=1, review=1)
    assert result.overall.cards == CardCounts(
        new=3, learning=1, review=3, relearning=1, suspended=1, leech=1
    )
    assert result.overall.cards.total == 9


def test_forecast(store: Store, history: tuple[Deck, Deck]) -> None:
    result = library_stats(store, history, NOW, tz=BERLIN, start_hour=HOUR)
    overall = result.overall
    assert len(overall.forecast) == 30
    # Today: d:b and d:d (overdue); the suspended d:e and the orphan are not counted.
    assert overall.forecast[:8] == (2, 1, 1, 0, 0, 0, 1, 0)
    assert sum(overall.forecast) == 5
    assert overall.due_next_7_days == 5
    assert result.decks["d"].forecast[:7] == (2, 0, 1, 0, 0, 0, 1)
    assert result.decks["e"].due_next_7_days == 1


def test_day_boundary_at_4am(store: Store, history: tuple[Deck, Deck]) -> None:
    early = datetime(2024, 3, 15, 3, 30, tzinfo=BERLIN).astimezone(UTC)
    at_four_am = stats_at(store, history, early)
    assert at_four_am.today == TODAY  # 03:30 on the 15th is still the 14th
    assert at_four_am.reviews_today == 2
    midnight = stats_at(store, history, early, hour=0)
    assert midnight.today == date(2024, 3, 15)
    assert midnight.reviews_today == 0
    # With the day starting at midnight, e:x (due at 04:00 on the 15th) falls due today.
    assert midnight.forecast[0] == 3


def test_forecast_across_daylight_saving(store: Store) -> None:
    # Clocks go forward at 02:00 on 31 March 2024: that learner day is 23 hours long.
    store.import_reviews(
        [
            review("d:a", "2024-03-29 12:00", due="2024-03-31 03:30"),  # still the 30th's day
            review("d:b", "2024-03-29 12:00", due="2024-03-31 04:00"),  # the 31st begins
            review("d:c", "2024-03-29 12:00", due="2024-04-01 03:59"),
            review("d:d", "2024-03-29 12:00", due="2024-04-01 04:00"),
        ]
    )
    now = datetime(2024, 3, 30, 12, 0, tzinfo=BERLIN).astimezone(UTC)
    stats = stats_at(store, [deck("d", *"abcd")], now)
    assert stats.forecast[:3] == (1, 2, 1)


def test_streak_longer_than_the_calendar(store: Store) -> None:
    days = 400
    store.import_reviews(
        [
            review("d:a", f"{TODAY - timedelta(days=n)} 12:00", due="2025-01-01 12:00")
            for n in range(days, 0, -1)
        ]
    )
    stats = stats_at(store, [deck("d", "a")])
    assert stats.streak == days
    assert len(stats.per_day) == 53 * 7 - 1  # the calendar's days but today


def test_no_history(store: Store) -> None:
    result = library_stats(store, [deck("d", "a", "b")], NOW, tz=BERLIN, start_hour=HOUR)
    stats = result.overall
    assert stats.per_day == {}
    assert stats.streak == 0
    assert stats.cards == CardCounts(new=2)
    assert stats.retention[30] == Retention()
    assert library_stats(store, [], NOW, tz=BERLIN, start_hour=HOUR).overall.cards.total == 0


def test_format_one_deck(store: Store, history: tuple[Deck, Deck]) -> None:
    text = format_stats(library_stats(store, history[:1], NOW, tz=BERLIN, start_hour=HOUR))
    assert text.splitlines() == [
        "Deck D",
        "  Reviews    today 2 · this week 4 · streak 3 days",
        "  Due        today 2 · next 7 days 4",
        "  Retention  30 days 75% (3/4) · young 50% · mature 100%",
        "             7 days 67% · 365 days 75%",
        "  Cards      7: new 2 · learning 1 · review 2 · relearning 1",
        "             suspended 1 · leeches 1",
    ]


def test_format_several_decks(store: Store, history: tuple[Deck, Deck]) -> None:
    d, e = history
    e = replace(e, title="A deck with a title far too long to fit in its column of the table")
    text = format_stats(library_stats(store, [d, e], NOW, tz=BERLIN, start_hour=HOUR))
    lines = text.splitlines()
    assert lines[0] == "All decks (2 decks)"
    assert "today 2 · this week 5 · streak 3 days" in lines[1]
    assert lines[-3].split() == ["Deck", "Today", "Week", "Due", "7d", "Retention", "30d"]
    assert lines[-2].split() == ["Deck", "D", "2", "4", "4", "75%"]
    assert lines[-1].split()[-4:] == ["0", "1", "1", "100%"]
    assert "…" in lines[-1] and len(lines[-1]) == len(lines[-2])


def test_no_answers_show_a_dash(store: Store) -> None:
    text = format_stats(library_stats(store, [deck("d", "a")], NOW, tz=BERLIN, start_hour=HOUR))
    assert "30 days — (0/0) · young — · mature —" in text
    assert "streak 0 days" in text


def test_stats_text_follows_the_settings(store: Store, history: tuple[Deck, Deck]) -> None:
    early = datetime(2024, 3, 15, 3, 30, tzinfo=BERLIN).astimezone(UTC)
    berlin = Config(timezone="Europe/Berlin")
    assert "today 2 ·" in stats_text(store, history[:1], early, berlin)
    midnight = Config(timezone="Europe/Berlin", day_starts_at=0)
    assert "today 0 ·" in stats_text(store, history[:1], early, midnight)


def test_queries_read_the_log_through_its_index(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a million answers, a look-up per answer is what would make statistics slow."""
    daily = [review("d:a", f"{TODAY - timedelta(days=n)} 12:00") for n in range(400, -1, -1)]
    store.import_reviews(daily)
    statements: list[str] = []
    real_open = StatsReader.open

    @contextmanager
    def traced(s: Store) -> Iterator[StatsReader]:
        with real_open(s) as reader:
            reader.conn.set_trace_callback(statements.append)
            yield reader

    monkeypatch.setattr(StatsReader, "open", traced)
    assert stats_at(store, [deck("d", "a")]).streak == 401
    on_log = [s for s in statements if "FROM answers" in s]
    assert len(on_log) == 3  # activity, retention, and older days for the streak
    with sqlite3.connect(store.path) as conn:
        for sql in on_log:
            plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert "USING INDEX review_log_stats" in plan, (sql, plan)
        columns = [row[2] for row in conn.execute("PRAGMA index_info(review_log_stats)")]
    # Every column the queries read is in the index, so SQLite never reads the rows.
    assert columns == ["deck_id", "learner_day", "kind", "rating", "interval_ms"]


def test_titles_are_printed_literally(store: Store) -> None:
    hostile = replace(deck("d", "a"), title="[bold]Evil\x1b[2J\x1b]8;;http://x\x07")
    text = format_stats(library_stats(store, [hostile], NOW, tz=BERLIN, start_hour=HOUR))
    assert "\x1b" not in text and "\x07" not in text
    assert text.startswith("[bold]Evil␛[2J␛]8;;http://x␇\n")
