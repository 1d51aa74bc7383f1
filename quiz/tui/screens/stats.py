"""Statistics: activity heatmap, due forecast, true retention and card counts, per deck or all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, LoadingIndicator, Select, Static

from quiz.decks import LoadedDeck
from quiz.stats import RETENTION_WINDOWS, LibraryStats, Rate, Stats, library_stats, weights_line
from quiz.tui.literal import literal_text
from quiz.tui.screens.base import QuizScreen
from quiz.tui.widgets.charts import BarChart, Heatmap
from quiz.tui.widgets.swap import replace_children
from quiz.tui.workers import reporting

__all__ = ["StatsScreen"]

ALL = "\0all"


def _rate_cell(rate: Rate) -> Content:
    """A retention cell: the percentage, then how many of how many answers passed."""
    if rate.percent is None:
        return Content.styled(f"{'—':>4}{'':8}", "dim")
    count = f"{rate.passed}/{rate.total}"
    return Content.assemble(f"{rate.percent:>3.0f}%", (f" {count:<7}", "dim"))


def _retention_table(stats: Stats) -> Content:
    header = "cards   " + "".join(f"{f'{n} days':<12}" for n in RETENTION_WINDOWS)
    lines = [Content.styled(header.rstrip(), "bold")]
    for name in ("young", "mature", "overall"):
        cells = [_rate_cell(getattr(stats.retention[n], name)) for n in RETENTION_WINDOWS]
        label = "all" if name == "overall" else name
        lines.append(Content.assemble(f"{label:<8}", *cells))
    return Content("\n").join(lines)


def _card_table(stats: Stats) -> Content:
    cards = stats.cards
    rows = [
        ("new", cards.new, "$primary"),
        ("learning", cards.learning, "$warning"),
        ("review", cards.review, "$success"),
        ("relearning", cards.relearning, "$warning"),
        ("suspended", cards.suspended, "$text-muted"),
        ("leeches", cards.leech, "$error"),
    ]
    lines = [Content.assemble((f"{name:<11}", style), f"{count:>7}") for name, count, style in rows]
    lines.append(Content.assemble(("total      ", "bold"), (f"{cards.total:>7}", "bold")))
    return Content("\n").join(lines)


class StatsScreen(QuizScreen[None]):
    """Charts and tables of one deck's (or every deck's) study history."""

    HELP_TITLE = "Statistics"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="stats.back"),
        Binding(
            "left_square_bracket",
            "cycle(-1)",
            "Previous deck",
            key_display="[",
            id="stats.previous-deck",
        ),
        Binding(
            "right_square_bracket", "cycle(1)", "Next deck", key_display="]", id="stats.next-deck"
        ),
        # The deck picker has the focus: the page keys scroll the charts wherever it is.
        Binding("pagedown", "scroll('page_down')", "Page down", id="stats.page-down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", id="stats.page-up", show=False),
        Binding("end", "scroll('end')", "Bottom", id="stats.bottom", show=False),
        Binding("home", "scroll('home')", "Top", id="stats.top", show=False),
    ]

    def __init__(self, decks: Sequence[LoadedDeck] | None = None) -> None:
        super().__init__()
        self.only = None if decks is None else [d.id for d in decks]
        self.stats: LibraryStats | None = None
        self.weights = ""
        """Which FSRS weights schedule the cards, and how well they predict (``weights_line``)."""

    def compose(self) -> ComposeResult:
        yield Header()
        decks = self.quiz.library.decks
        options: list[tuple[Text, str]] = [(Text("All decks"), ALL)]
        options += [(literal_text(d.title), d.id) for d in decks]
        start = self.only[0] if self.only and len(self.only) == 1 else ALL
        yield Select(options, value=start, allow_blank=False, id="stats-deck", compact=True)
        with VerticalScroll(id="stats-body"):
            yield LoadingIndicator()
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Statistics"
        self.compute()

    @work(thread=True, exclusive=True)
    @reporting
    def compute(self) -> None:
        """Query every deck's statistics off the UI thread; a long history takes a moment."""
        app = self.quiz
        stats = library_stats(
            app.store,
            app.library.decks,
            app.now(),
            tz=app.zone,
            start_hour=app.config.day_starts_at,
        )
        self.app.call_from_thread(self.call_later, self._show_stats, stats)
        self.judge_weights()

    @work(thread=True, exclusive=True, group="weights")
    @reporting
    def judge_weights(self) -> None:
        """How well the FSRS weights predict: scored after the statistics are on screen,
        since it reads a year of reviews."""
        app = self.quiz
        line = weights_line(app.store, app.library.decks, app.now(), app.config)
        self.app.call_from_thread(self._show_weights, line)

    def _show_weights(self, line: str) -> None:
        self.weights = line
        for shown in self.query("#stats-weights").results(Static):
            shown.update(Content.styled(line, "dim"))

    async def _show_stats(self, stats: LibraryStats) -> None:
        self.stats = stats
        await self._render_selected()

    @on(Select.Changed)
    async def _deck_changed(self) -> None:
        await self._render_selected()

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#stats-body", VerticalScroll)
        if where == "page_down":
            body.scroll_page_down()
        elif where == "page_up":
            body.scroll_page_up()
        elif where == "end":
            body.scroll_end()
        else:
            body.scroll_home()

    def action_cycle(self, step: int) -> None:
        select = self.query_one(Select)
        values = [ALL, *(d.id for d in self.quiz.library.decks)]
        current = values.index(select.value) if select.value in values else 0
        select.value = values[(current + step) % len(values)]

    async def _render_selected(self) -> None:
        if self.stats is None:
            return
        value = self.query_one(Select).value
        stats = self.stats.decks.get(str(value), self.stats.overall)
        body = self.query_one("#stats-body", VerticalScroll)
        await replace_children(body, self._widgets(stats))

    def _widgets(self, stats: Stats) -> list[Static | Vertical | Horizontal]:
        summary = Content.assemble(
            ("Today ", "bold"),
            f"{stats.reviews_today} reviews · this week {stats.reviews_this_week} · ",
            ("streak ", "bold"),
            f"{stats.streak} day{'s' if stats.streak != 1 else ''} · ",
            ("due ", "bold"),
            f"today {stats.forecast[0]}, next 7 days {stats.due_next_7_days}",
        )
        heatmap = Vertical(Heatmap(stats.per_day, stats.today), classes="panel", id="stats-heatmap")
        heatmap.border_title = "Reviews per day"
        last = stats.today + timedelta(days=len(stats.forecast) - 1)
        forecast = Vertical(
            BarChart(stats.forecast, first_label="today", last_label=last.strftime("%d %b")),
            classes="panel",
            id="stats-forecast",
        )
        forecast.border_title = f"Due in the next {len(stats.forecast)} days"
        retention = Static(_retention_table(stats), classes="panel", id="stats-retention")
        retention.border_title = "True retention"
        cards = Static(_card_table(stats), classes="panel", id="stats-cards")
        cards.border_title = "Cards"
        return [
            Static(summary, id="stats-summary"),
            Static(Content.styled(self.weights, "dim"), id="stats-weights", markup=False),
            heatmap,
            forecast,
            Horizontal(retention, cards, id="stats-tables"),
        ]
