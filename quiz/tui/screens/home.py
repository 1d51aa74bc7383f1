"""Home: the deck library with today's counts, and the way into every other screen.

The core (session, statistics, scheduling: the deck model, FSRS) is imported by the worker
that counts, not with this module: the first frame does not wait for it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.widgets import DataTable, Footer, Header, Static

from quiz.tui.app import LibraryLoaded
from quiz.tui.literal import literal, literal_text, shown_path
from quiz.tui.screens.base import QuizScreen
from quiz.tui.widgets.table import FillTable
from quiz.tui.workers import reporting

if TYPE_CHECKING:
    from quiz.custom import CustomStudy
    from quiz.decks import LoadedDeck
    from quiz.identity import Relink
    from quiz.session import DeckOverview
    from quiz.stats import Stats

__all__ = ["HomeScreen", "when"]

ALL = "\0all"
"""Row key of the "All decks" row."""


def when(moment: datetime | None, now: datetime) -> str:
    """A due time as the learner reads it: "now", "in 3h", "none"."""
    if moment is None:
        return "none"
    if moment <= now:
        return "now"
    from quiz.scheduling import format_interval

    return f"in {format_interval(moment - now)}"


@dataclass(frozen=True, slots=True)
class Overview:
    """What the home screen shows, computed off the UI thread."""

    decks: list[DeckOverview]
    overall: Stats
    now: datetime
    unsure: tuple[Relink, ...] = ()
    """Edited cards that may be cards studied before, waiting for the learner's word."""
    done: int = 0
    """Study answers given today (an exam's answers are no study)."""


class DeckTable(FillTable):
    """The deck list; Enter (study) is shown in the footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Study", id="decks.select-cursor")
    ]
    COUNT_WIDTH = 6

    def __init__(self) -> None:
        width = self.COUNT_WIDTH
        counts = [(f"{name:>{width}}", name.lower(), width) for name in ("New", "Learn", "Due")]
        super().__init__(("Deck", "title"), counts, id="decks")


class HomeScreen(QuizScreen[None]):
    """The deck library: new / learning / due per deck; Enter studies the selected row."""

    HELP_TITLE = "Home"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "study", "Study", show=False, id="home.study"),
        Binding("e", "exam", "Exam", id="home.exam"),
        Binding("c", "custom_study", "Custom study", id="home.custom-study"),
        Binding("s", "stats", "Stats", id="home.stats"),
        Binding("b", "browse", "Browse", id="home.browse"),
        Binding("g", "draft", "Draft", id="home.draft"),
        Binding("L", "relinks", "Edited cards", id="home.relinks"),
        Binding(
            "r", "reload", "Reload decks", show=False, id="home.reload"
        ),  # in help; decks reload on their own
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    overview: var[Overview | None] = var(None, bindings=True, always_update=True)
    """Today's counts, once counted; the footer follows it (``L`` only with edits waiting)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("Loading decks…"), id="home-today")
        yield DeckTable()
        yield Static(id="deck-info", markup=False)
        with VerticalScroll(id="failures"):
            yield Static(id="failures-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Decks"
        self.query_one("#failures").display = False
        if not self.quiz.loading:
            self.refresh_counts()

    def on_screen_resume(self) -> None:
        """Back from another screen: reload the decks if a file changed meanwhile, else recount."""
        if self.quiz.loading:
            return
        if self.quiz.library.is_stale():
            self.action_reload()
        else:
            self.refresh_counts()

    @on(LibraryLoaded)
    def _library_loaded(self) -> None:
        self.refresh_counts()

    def action_reload(self) -> None:
        self.query_one("#home-today", Static).update(Content("Loading decks…"))
        self.quiz.load_decks()

    @work(thread=True, exclusive=True, group="home")
    @reporting
    def refresh_counts(self) -> None:
        """Count every deck's cards for today off the UI thread (a big library takes a while)."""
        from quiz.identity import unsure_links
        from quiz.scheduling import learner_today
        from quiz.session import deck_overview
        from quiz.stats import library_stats

        app = self.quiz
        decks = app.library.decks
        now = app.now()
        hour = app.config.day_starts_at
        today = learner_today(now, app.zone, hour, app.store.last_learner_day())
        counts = app.store.day_counts(today)
        overview = Overview(
            deck_overview(app.store, decks, now, app.config),
            library_stats(
                app.store, decks, now, tz=app.zone, start_hour=app.config.day_starts_at
            ).overall,
            now,
            tuple(r for d in decks for r in unsure_links(app.store, d.id, d.items)),
            sum(counts[d.id].answers for d in decks if d.id in counts),
        )
        self.app.call_from_thread(self._show, overview)

    def _show(self, overview: Overview) -> None:
        self.overview = overview
        table: DataTable[Text] = self.query_one("#decks", DataTable)
        selected = self._selected_key()
        table.clear()
        rows = overview.decks
        limits = self.quiz.config.limits
        totals = (
            min(sum(d.new for d in rows), limits.new_per_day),
            sum(d.learning for d in rows),
            min(sum(d.due for d in rows), limits.reviews_per_day),
        )
        if len(rows) > 1:
            table.add_row(Text("All decks", style="bold"), *self._counts(*totals), key=ALL)
        for deck in rows:
            title = literal_text(deck.title)
            title.no_wrap, title.overflow = True, "ellipsis"
            counts = self._counts(deck.new, deck.learning, deck.due)
            table.add_row(title, *counts, key=deck.deck_id)
        if selected is not None:
            keys = [ALL, *(d.deck_id for d in rows)]
            if selected in keys:
                table.move_cursor(row=table.get_row_index(selected))
        self._show_today(overview, totals)
        self._show_failures()
        self._show_deck_info()

    @staticmethod
    def _counts(new: int, learning: int, due: int) -> list[Text]:
        return [
            Text(f"{n:>{DeckTable.COUNT_WIDTH}}", style="bold" if n else "dim")
            for n in (new, learning, due)
        ]

    def _show_today(self, overview: Overview, totals: tuple[int, int, int]) -> None:
        stats = overview.overall
        dues = [d.next_due for d in overview.decks if d.next_due is not None]
        new, learning, due = totals
        days = "day" if stats.streak == 1 else "days"
        line = Content.assemble(
            ("Today ", "bold"),
            (f"{due} due", "$text-success"),
            ", ",
            (f"{new} new", "$text-primary"),
            ", ",
            (f"{learning} learning", "$text-warning"),
            f", {overview.done} done  ",
            ("Streak ", "bold"),
            f"{stats.streak} {days}  ",
            ("Next review ", "bold"),
            when(min(dues) if dues else None, overview.now),
        )
        if not overview.decks:
            line = Content(
                "No decks yet. Put .toml decks in the deck folder, or run: quiz new my-deck.toml"
            )
        if n := len(overview.unsure):
            cards = "card may be one" if n == 1 else "cards may be ones"
            line = Content.assemble(
                line, "\n", (f"{n} edited {cards} you studied before: ", "$text-warning"), "L asks"
            )
        self.query_one("#home-today", Static).update(line)

    def _show_failures(self) -> None:
        failures = self.quiz.library.failures
        box = self.query_one("#failures", VerticalScroll)
        box.display = bool(failures)
        box.border_title = (
            f"{len(failures)} problem{'s' if len(failures) != 1 else ''} loading decks"
        )
        text = Content("\n").join(
            literal(str(replace(problem, path=Path(shown_path(problem.path)))))
            for problem in failures
        )
        self.query_one("#failures-list", Static).update(text)

    # --- actions --------------------------------------------------------------------------

    def _selected_key(self) -> str | None:
        table: DataTable[Text] = self.query_one("#decks", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    def selected_decks(self) -> list[LoadedDeck]:
        """The decks of the selected row (every deck for "All decks")."""
        key = self._selected_key()
        library = self.quiz.library
        if key is None:
            return []
        if key == ALL:
            return list(library.decks)
        deck = library.by_id(key)
        return [deck] if deck else []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("study", "exam", "custom_study"):
            return bool(self.quiz.library.decks) or None
        if action == "relinks":
            return bool(self.overview and self.overview.unsure)
        return True

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_study()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._show_deck_info()

    def _show_deck_info(self) -> None:
        """What the selected deck is: its description, size and file."""
        decks = self.selected_decks()
        info = self.query_one("#deck-info", Static)
        info.display = bool(decks)
        if len(decks) == 1:
            deck = decks[0]
            size = f"{len(deck.cards)} cards ({len(deck.items)} to study)"
            parts = [Content.styled(f"{size} · {shown_path(deck.path)}", "dim")]
            if deck.meta.description:
                parts.insert(0, literal(deck.meta.description))
            info.update(Content("\n").join(parts))
        elif decks:
            cards = sum(len(d.cards) for d in decks)
            items = sum(len(d.items) for d in decks)
            info.update(
                Content.styled(f"{len(decks)} decks · {cards} cards ({items} to study)", "dim")
            )

    def action_study(self) -> None:
        self.quiz.open_study(self.selected_decks())

    def action_custom_study(self) -> None:
        """Ask what to study (``CustomStudyModal``), then study it in the selected decks."""
        from quiz.tui.screens.custom import CustomStudyModal

        decks = self.selected_decks()
        if not decks:
            return
        names = decks[0].title if len(decks) == 1 else f"{len(decks)} decks"

        def chosen(custom: CustomStudy | None) -> None:
            if custom is not None:
                self.quiz.open_study(decks, custom)

        self.app.push_screen(CustomStudyModal(names), chosen)

    def action_exam(self) -> None:
        self.quiz.open_exam(self.selected_decks())

    def action_stats(self) -> None:
        key = self._selected_key()
        self.quiz.open_stats(None if key in (None, ALL) else self.selected_decks())

    def action_browse(self) -> None:
        key = self._selected_key()
        self.quiz.open_browse("" if key in (None, ALL) else f"deck:{key}")

    # --- edited cards quiz is unsure of: the learner decides, every deck at once ---------

    def action_relinks(self) -> None:
        if self.overview and self.overview.unsure:
            self._ask_relink(list(self.overview.unsure), 0)

    def _ask_relink(self, pending: list[Relink], index: int) -> None:
        from quiz.tui.screens.relink import RelinkModal

        if index >= len(pending):
            self.refresh_counts()
            return
        place = f"{index + 1} of {len(pending)}" if len(pending) > 1 else ""

        def answered(same: bool | None) -> None:
            if same is None:  # later: the next one
                self._ask_relink(pending, index + 1)
            else:
                self._decide(pending, index, same)

        self.app.push_screen(RelinkModal(pending[index], place), answered)

    @work(thread=True, group="relink")
    @reporting
    def _decide(self, pending: list[Relink], index: int, same: bool) -> None:
        """Write the learner's word off the UI thread, then ask about the next pair."""
        from quiz.identity import decide

        moved = decide(self.quiz.store, pending[index], same, self.quiz.now())
        self.app.call_from_thread(self._decided, pending, index, same and not moved)

    def _decided(self, pending: list[Relink], index: int, refused: bool) -> None:
        if refused:
            self.notify(
                "The edited card has history of its own by now: never mixed with another's.",
                title="Not linked",
                severity="warning",
            )
        self._ask_relink(pending, index + 1)

    def action_draft(self) -> None:
        """Draft a deck from an article, review it card by card, save it to the deck folder."""
        from quiz.tui.screens.article import ArticleModal

        def chosen(path: str | None) -> None:
            if path:
                self.quiz.draft_from(Path(path).expanduser())

        self.app.push_screen(ArticleModal(), chosen)
