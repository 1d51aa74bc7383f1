"""Study statistics: activity per learner day, the due forecast, true retention, card counts.

Everything is aggregated by SQLite over a read-only connection (the queries are in
``quiz.stats_queries``, in the storage layer), so a history of a million reviews costs a few
index scans, never a Python loop over its rows. Statistics cover the decks given: each one and
all of them together. A card's progress counts only while the card is in its deck (orphaned
progress is left out of the card counts and the forecast; its past answers still count as
activity).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta, tzinfo

from quiz.config import Config
from quiz.scheduling import day_start, learner_today
from quiz.session import StudyDeck
from quiz.stats_queries import StatsReader
from quiz.storage import Store, to_ms
from quiz.text import printable

__all__ = [
    "HEATMAP_DAYS",
    "MATURE_DAYS",
    "RETENTION_WINDOWS",
    "CardCounts",
    "LibraryStats",
    "Rate",
    "Retention",
    "Stats",
    "format_stats",
    "library_stats",
    "stats_text",
]

HEATMAP_DAYS = 53 * 7
"""Learner days of activity kept for the calendar: the 53 week columns of a year-wide heatmap."""
FORECAST_DAYS = 30
"""Learner days ahead the due forecast covers, today first."""
MATURE_DAYS = 21
"""A card whose interval is at least this many days is mature (as Anki counts it)."""
RETENTION_WINDOWS = (7, 30, 365)
"""Learner days over which true retention is measured."""
_DAY_MS = 86_400_000


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rate:
    """Answers that passed (rated Hard or better) out of all answers counted."""

    passed: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        """The pass rate in percent, or None when nothing was answered."""
        return 100.0 * self.passed / self.total if self.total else None

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.passed + other.passed, self.total + other.total)


@dataclass(frozen=True, slots=True)
class Retention:
    """True retention of review answers, split by the interval the card had when answered."""

    young: Rate = Rate()
    """Cards with an interval under ``MATURE_DAYS`` days."""
    mature: Rate = Rate()
    """Cards with an interval of ``MATURE_DAYS`` days or more."""

    @property
    def overall(self) -> Rate:
        """Young and mature together."""
        return self.young + self.mature

    def __add__(self, other: Retention) -> Retention:
        return Retention(self.young + other.young, self.mature + other.mature)


@dataclass(frozen=True, slots=True)
class CardCounts:
    """Cards by state. The first five split every card; leeches are counted among them too."""

    new: int = 0
    learning: int = 0
    review: int = 0
    relearning: int = 0
    suspended: int = 0
    leech: int = 0
    """Cards tagged leech, whether suspended or not."""

    @property
    def total(self) -> int:
        """Every card."""
        return self.new + self.learning + self.review + self.relearning + self.suspended


@dataclass(frozen=True, slots=True)
class Stats:
    """Statistics of one deck, or of several together, on one learner day."""

    today: date
    per_day: dict[date, int] = field(default_factory=dict)
    """Answers (exam answers included) per learner day over the past ``HEATMAP_DAYS`` days."""
    forecast: tuple[int, ...] = (0,) * FORECAST_DAYS
    """Cards due per learner day, today (with overdue cards) first."""
    retention: dict[int, Retention] = field(default_factory=dict)
    """True retention over the last 7, 30 and 365 learner days."""
    cards: CardCounts = CardCounts()
    streak: int = 0
    """Consecutive learner days with answers, ending today or yesterday."""

    @property
    def reviews_today(self) -> int:
        """Answers given today."""
        return self.per_day.get(self.today, 0)

    @property
    def reviews_this_week(self) -> int:
        """Answers given since Monday's learner day."""
        monday = self.today - timedelta(days=self.today.weekday())
        return sum(n for day, n in self.per_day.items() if monday <= day <= self.today)

    @property
    def due_next_7_days(self) -> int:
        """Cards due from now to the end of the 7th learner day, overdue ones included."""
        return sum(self.forecast[:7])


@dataclass(frozen=True, slots=True)
class LibraryStats:
    """Statistics of every deck given, and of all of them together."""

    overall: Stats
    decks: dict[str, Stats]
    titles: dict[str, str]


# --- queries ---------------------------------------------------------------------------------


def _retention(
    reader: StatsReader, deck_ids: Sequence[str], today: date
) -> dict[str, dict[int, Retention]]:
    """Review answers passed and given, young and mature, per window of learner days: the
    few hundred day rows SQLite counts are summed into the windows here."""
    starts = {w: today - timedelta(days=w - 1) for w in RETENTION_WINDOWS}
    out: dict[str, dict[int, Retention]] = {
        d: dict.fromkeys(RETENTION_WINDOWS, Retention()) for d in deck_ids
    }
    since = min(starts.values())
    for row in reader.review_days(deck_ids, since=since, mature_ms=MATURE_DAYS * _DAY_MS):
        answered = Retention(
            Rate(row.passed - row.mature_passed, row.total - row.mature),
            Rate(row.mature_passed, row.mature),
        )
        for window, start in starts.items():
            if row.day >= start:
                out[row.deck_id][window] += answered
    return out


def _cards(
    reader: StatsReader, decks: Sequence[StudyDeck], bounds: Sequence[int]
) -> tuple[dict[str, CardCounts], dict[str, tuple[int, ...]]]:
    """Card counts and the due forecast of each deck's current cards.

    Progress of cards no longer in their deck (found by a set difference of keys) is taken
    back out of what SQLite counted; items without progress are new.
    """
    counts: dict[str, CardCounts] = {}
    forecasts: dict[str, tuple[int, ...]] = {}
    for deck in decks:
        stored = reader.card_keys(deck.id)
        orphans = sorted(stored - {item.key for item in deck.items})
        groups = [(1, g) for g in reader.card_groups(deck.id, bounds)]
        if orphans:
            groups += [(-1, g) for g in reader.card_groups(deck.id, bounds, only=orphans)]
        tally: Counter[str] = Counter(new=len(deck.items) - len(stored) + len(orphans))
        due = [0] * len(bounds)
        for sign, group in groups:
            n = sign * group.cards
            tally["leech"] += n * group.leech
            if group.suspended:
                tally["suspended"] += n
            elif group.new:
                tally["new"] += n
            else:
                tally[("", "learning", "review", "relearning")[group.state]] += n
                if group.due_day >= 0:
                    due[group.due_day] += n
        counts[deck.id] = CardCounts(**tally)
        forecasts[deck.id] = tuple(due)
    return counts, forecasts


def _streak(active: set[date], today: date, since: date, older: Callable[[], set[date]]) -> int:
    """Consecutive active days back from today (or yesterday, if today has no answers yet)."""
    day = today if today in active else today - timedelta(days=1)
    streak = 0
    while day in active:
        streak += 1
        day -= timedelta(days=1)
        if day < since:
            active, since = active | older(), date.min
    return streak


def _summed(stats: Sequence[Stats], today: date, streak: int) -> Stats:
    per_day: Counter[date] = Counter()
    for s in stats:
        per_day.update(s.per_day)
    return Stats(
        today=today,
        per_day=dict(per_day),
        forecast=tuple(map(sum, zip(*(s.forecast for s in stats), strict=True)))
        if stats
        else Stats(today).forecast,
        retention={w: sum((s.retention[w] for s in stats), Retention()) for w in RETENTION_WINDOWS},
        cards=CardCounts(
            **{f.name: sum(getattr(s.cards, f.name) for s in stats) for f in fields(CardCounts)}
        ),
        streak=streak,
    )


def library_stats(
    store: Store, decks: Sequence[StudyDeck], now: datetime, *, tz: tzinfo, start_hour: int
) -> LibraryStats:
    """Statistics of each deck and of all of them, as of ``now``.

    Today is the learner day the study session would call today (``learner_today``).
    """
    today = learner_today(now, tz, start_hour, store.last_learner_day())
    since = today - timedelta(days=HEATMAP_DAYS - 1)
    bounds = [
        to_ms(day_start(today + timedelta(days=n), tz, start_hour))
        for n in range(1, FORECAST_DAYS + 1)
    ]
    unique = list({d.id: d for d in decks}.values())
    ids = [d.id for d in unique]
    with StatsReader.open(store) as reader:
        activity = reader.activity(ids, since=since)
        retention = _retention(reader, ids, today)
        counts, forecasts = _cards(reader, unique, bounds)

        older: dict[str, dict[date, int]] = {}

        def streak(deck_ids: Sequence[str]) -> int:
            def before() -> set[date]:
                """Days before the calendar, read once and only for a streak over a year long."""
                if not older:
                    older.update(reader.activity(ids, before=since))
                return {d for i in deck_ids for d in older[i]}

            return _streak({d for i in deck_ids for d in activity[i]}, today, since, before)

        per_deck = {
            i: Stats(
                today=today,
                per_day=activity[i],
                forecast=forecasts[i],
                retention=retention[i],
                cards=counts[i],
                streak=streak([i]),
            )
            for i in ids
        }
        overall = _summed(list(per_deck.values()), today, streak(ids))
    return LibraryStats(overall, per_deck, {d.id: d.title for d in unique})


# --- text ------------------------------------------------------------------------------------


def _percent(rate: Rate) -> str:
    return "—" if rate.percent is None else f"{rate.percent:.0f}%"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _summary(stats: Stats, heading: str) -> list[str]:
    """A few lines that fit 80 columns even with six-figure counts."""
    month = stats.retention[30]
    cards = stats.cards
    return [
        heading,
        f"  Reviews    today {stats.reviews_today} · this week {stats.reviews_this_week}"
        f" · streak {_plural(stats.streak, 'day')}",
        f"  Due        today {stats.forecast[0]} · next 7 days {stats.due_next_7_days}",
        f"  Retention  30 days {_percent(month.overall)}"
        f" ({month.overall.passed}/{month.overall.total})"
        f" · young {_percent(month.young)} · mature {_percent(month.mature)}",
        f"             7 days {_percent(stats.retention[7].overall)}"
        f" · 365 days {_percent(stats.retention[365].overall)}",
        f"  Cards      {cards.total}: new {cards.new} · learning {cards.learning}"
        f" · review {cards.review} · relearning {cards.relearning}",
        f"             suspended {cards.suspended} · leeches {cards.leech}",
    ]


def format_stats(stats: LibraryStats) -> str:
    """The statistics as plain text: a summary of all decks, then a line per deck.

    Deck titles are data: control characters in them are shown, never sent to the terminal.
    """
    titles = {deck_id: printable(title) for deck_id, title in stats.titles.items()}
    if len(stats.decks) == 1:
        ((deck_id, only),) = stats.decks.items()
        return "\n".join(_summary(only, titles[deck_id])) + "\n"
    lines = _summary(stats.overall, f"All decks ({_plural(len(stats.decks), 'deck')})")
    if stats.decks:
        width = min(40, max(len(t) for t in titles.values()))
        lines += ["", f"  {'Deck':<{width}}  Today   Week  Due 7d  Retention 30d"]
        for deck_id, s in stats.decks.items():
            title = titles[deck_id]
            if len(title) > width:
                title = title[: width - 1] + "…"
            lines.append(
                f"  {title:<{width}}  {s.reviews_today:>5}  {s.reviews_this_week:>5}"
                f"  {s.due_next_7_days:>6}  {_percent(s.retention[30].overall):>13}"
            )
    return "\n".join(lines) + "\n"


def stats_text(store: Store, decks: Sequence[StudyDeck], now: datetime, config: Config) -> str:
    """What ``quiz stats`` prints, for the plain-text front end: the statistics, then which
    FSRS weights schedule the cards and how well they predict the learner's reviews."""
    text = format_stats(
        library_stats(store, decks, now, tz=config.zone(), start_hour=config.day_starts_at)
    )
    return f"{text}\n{weights_line(store, decks, now, config)}\n"


PREDICTION_DAYS = 365
"""How far back ``weights_line`` judges the weights: a year of reviews, not a lifetime's."""


def weights_line(store: Store, decks: Sequence[StudyDeck], now: datetime, config: Config) -> str:
    """Which FSRS weights schedule the cards, and how well they predict these decks' reviews
    of the past year (log loss, RMSE over bins of predicted recall)."""
    from quiz.optimize import prediction

    weights = config.study.parameters
    which = "your own ([study] parameters)" if weights else "FSRS's defaults"
    since = now - timedelta(days=PREDICTION_DAYS)
    fit = prediction(store.answers(since=since, deck_ids=[d.id for d in decks]), weights)
    judged = (
        f": on your {fit.reviews} reviews this past year, log loss {fit.current_loss:.3f},"
        f" RMSE {fit.current_rmse:.1%} (quiz optimize may fit better ones)"
        if fit
        else " (quiz optimize fits your own once you have a few hundred reviews)"
    )
    return f"FSRS weights: {which}{judged}"
