"""Browse: search every card as you type, see one card's state and history, manage it.

The search runs in a worker over a precomputed index (``quiz.search``) and only the first
``SHOWN`` matches go into the table, so 100,000 cards stay responsive; the count line says how
many more there are, and reaching the last row adds the next ``SHOWN``. A keystroke redraws as
little as it can: table rows are updated in place (only those that changed), and the details
pane keeps its fields and refills them only when the highlighted card changes, since mounting
widgets costs more than the search itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.worker import get_current_worker

from quiz.card_info import history_lines, state_lines
from quiz.errors import QuizError
from quiz.scheduling import Calendar
from quiz.search import STATES, CardIndex, Entry, SearchResult, state_name, states_of, unknown_terms
from quiz.storage import CardState, Ref, Review
from quiz.text import printable
from quiz.tui.literal import literal, literal_text, shown_path
from quiz.tui.screens.base import QuizScreen
from quiz.tui.screens.confirm import ConfirmModal
from quiz.tui.widgets.card import Field, notes_of
from quiz.tui.widgets.table import FillTable
from quiz.tui.workers import reporting

__all__ = ["BrowseScreen"]

SHOWN = 200
"""Matches put in the table at a time; reaching the last row adds as many again."""

STATE_STYLES = {
    "new": "blue",
    "due": "green",
    "learning": "yellow",
    "relearning": "yellow",
    "suspended": "red",
    "buried": "dim",
}

COLUMNS = ("deck", "card", "state", "due")
"""The table's column keys, in the order ``_row`` gives the cells."""

DETAILS = ("Asks", "Answer", "Why", "Source", "File", "Tags", "State", "History")
"""The details pane's fields, in order; those a card lacks are hidden."""


class BrowseScreen(QuizScreen[None]):
    """A search box, a table of matching cards and the selected card's details."""

    HELP_TITLE = "Browse"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="browse.back"),
        Binding("slash", "focus_search", "Search", key_display="/", id="browse.focus-search"),
        Binding(
            "exclamation_mark",
            "toggle_suspend",
            "(Un)suspend",
            key_display="!",
            id="browse.toggle-suspend",
        ),
        Binding("R", "reset", "Reset", key_display="R", id="browse.reset"),
        Binding("D", "set_due", "Due date", key_display="D", id="browse.set-due"),
        Binding("U", "unbury", "Unbury", key_display="U", show=False, id="browse.unbury"),
        Binding("E", "edit", "Edit", key_display="E", id="browse.edit"),
        Binding("o", "sort", "Sort", key_display="o", show=False, id="browse.sort"),
        Binding("space", "mark", "Mark", key_display="space", id="browse.mark"),
        Binding(
            "asterisk", "mark_all", "Mark all", key_display="*", show=False, id="browse.mark-all"
        ),
        Binding(
            "down", "to_table", "Results", key_display="↓", priority=True, id="browse.to-table"
        ),  # from the box
    ]

    changing = var(False, bindings=True)
    """A change is being written: the keys that change a card wait for it."""
    highlighted = var(-1, bindings=True)
    """The row under the cursor: whether there is a card to suspend, reset or edit."""
    marks = var(0, bindings=True)
    """How many cards are marked: what the footer says a change applies to."""
    matches = var(0, bindings=True)
    """How many matches the table shows: whether ``down`` has anywhere to go."""

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.index: CardIndex | None = None
        self.states: dict[Ref, CardState] = {}
        self.result = SearchResult([], 0)
        self.order: str | None = None
        """The column the matches are sorted by (``quiz.search.ORDERS``); None: deck order."""
        self.descending = False
        self.marked: dict[Ref, Entry] = {}
        """Cards marked with space: a change applies to all of them (in marking order)."""
        self.unknown: list[str] = []
        self.detailed: Entry | None = None
        """The entry the details pane shows."""
        self.fields = {
            label: Field(label, Content(), classes=_field_classes(label)) for label in DETAILS
        }

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            self.initial,
            placeholder="Search: words, tag:NAME, deck:NAME, is:due|new|suspended|leech",
            id="search",
        )
        yield Static(Content("Indexing cards…"), id="browse-count")
        with Vertical(id="browse-main"):
            yield FillTable(
                ("Card", "card"),
                [("Deck", "deck", 14), ("State", "state", 10), ("Due", "due", 10)],
                fill_at=1,
                id="matches",
            )
            with VerticalScroll(id="details"):
                yield from self.fields.values()
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Browse"
        self.query_one("#search", Input).cursor_blink = not self.quiz.calm
        for field in self.fields.values():
            field.display = False
        self.build_index()

    @work(thread=True, exclusive=True, group="browse-index")
    @reporting
    def build_index(self) -> None:
        """Index every card and read every state once, off the UI thread."""
        app = self.quiz
        index = CardIndex(app.library.decks)
        states = states_of(app.library.decks, app.store.states_for_deck)
        self.app.call_from_thread(self._indexed, index, states)

    def _indexed(self, index: CardIndex, states: dict[Ref, CardState]) -> None:
        self.index = index
        self.states = states
        self.search(self.query_one("#search", Input).value)

    # --- searching ------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        if self.marked:  # a change must never reach cards the learner no longer sees
            self.marked.clear()
            self.marks = 0
        if self.index is not None:
            self.search(event.value)

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self.query_one("#matches", DataTable).focus()

    @work(thread=True, exclusive=True, group="browse-search")
    def search(self, query: str, limit: int = SHOWN) -> None:
        """Search in a worker; a newer keystroke cancels this search. A larger ``limit``
        shows more of the same query's matches, the cursor staying where it is."""
        assert self.index is not None
        worker = get_current_worker()
        now = self.quiz.now()
        config = self.quiz.config
        result = self.index.search(
            query,
            self.states,
            now,
            limit=limit,
            cancelled=lambda: worker.is_cancelled,
            calendar=Calendar(config.zone(), config.day_starts_at),
            order=self.order,
            descending=self.descending,
        )
        if not worker.is_cancelled:
            unknown = unknown_terms(query)
            more = limit > SHOWN
            self.app.call_from_thread(
                self.call_later, self._show_result, result, now, unknown, more=more
            )

    async def _show_result(
        self,
        result: SearchResult,
        now: datetime,
        unknown: list[str] | None = None,
        *,
        more: bool = False,
    ) -> None:
        if self._taken_down():
            return
        previous = self.result.entries
        self.result = result
        self.matches = len(result.entries)
        table: DataTable[Text] = self.query_one("#matches", DataTable)
        if not more:
            table.move_cursor(row=0)
        self._fill(table, previous, result.entries, now)
        self.unknown = unknown or []
        self._count_line()
        self._show_details()

    def _count_line(self) -> None:
        """How many match, how many are shown, the order, the marks and any unknown term."""
        result, unknown = self.result, self.unknown
        shown = len(result.entries)
        more_left = result.total - shown
        count = f"{result.total:,} card{'s' if result.total != 1 else ''} match"
        if more_left > 0:
            count += f" · showing {shown:,}; the last row shows {min(more_left, SHOWN):,} more"
        if self.order is not None:
            count += f" · by {self.order}{' ↓' if self.descending else ''}"
        if self.marked:
            count += f" · {len(self.marked):,} marked (esc clears)"
        line = Content(count)
        if unknown:
            is_terms = all(term.lstrip("-").casefold().startswith("is:") for term in unknown)
            known = f"is: takes {' '.join(STATES)}" if is_terms else "filters: tag: deck: is:"
            said = f" · unknown {' '.join(unknown)} · {known}"
            line = Content.assemble(line, (printable(said), "$text-warning"))
        self.query_one("#browse-count", Static).update(line)

    def _fill(
        self, table: DataTable[Text], old: list[Entry], new: list[Entry], now: datetime
    ) -> None:
        """Turn the rows of ``old`` into those of ``new``, touching only the cells that differ.

        Clearing and refilling would relayout the whole screen on every keystroke."""
        kept = min(len(old), len(new))
        for n, entry in enumerate(new[:kept]):
            key = str(n)
            for column, cell, before in zip(
                COLUMNS, self._row(entry, now), table.get_row(key), strict=True
            ):
                if cell != before:
                    table.update_cell(key, column, cell)
        for n in reversed(range(kept, len(old))):
            table.remove_row(str(n))
        for n in range(kept, len(new)):
            table.add_row(*self._row(new[n], now), key=str(n))

    def _row(self, entry: Entry, now: datetime) -> list[Text]:
        state = self.states.get(entry.ref)
        name = state_name(state, now)
        due = ""
        if state is not None and state.due is not None and not state.is_new:
            due = state.due.astimezone(self.quiz.zone).strftime("%Y-%m-%d")
        prompt = literal_text(" ".join(entry.item.prompt.split()))
        if entry.ref in self.marked:
            prompt = Text.assemble(("● ", "bold"), prompt)
        prompt.no_wrap, prompt.overflow = True, "ellipsis"
        deck = literal_text(entry.deck.id)
        deck.no_wrap, deck.overflow = True, "ellipsis"
        return [deck, prompt, Text(name, style=STATE_STYLES.get(name, "")), Text(due)]

    # --- the selected card ----------------------------------------------------------------

    def selected(self) -> Entry | None:
        """The entry under the table's cursor."""
        table: DataTable[Text] = self.query_one("#matches", DataTable)
        row = table.cursor_row
        if not self.result.entries or not 0 <= row < len(self.result.entries):
            return None
        return self.result.entries[row]

    @on(DataTable.RowHighlighted, "#matches")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_details()
        self.highlighted = event.cursor_row
        shown = len(self.result.entries)
        if event.cursor_row == shown - 1 and self.result.total > shown:
            # The last row reached: the next page of matches, as a virtual table would.
            self.search(self.query_one("#search", Input).value, limit=shown + SHOWN)

    def _show_details(self, *, again: bool = False) -> None:
        """Fill the details pane for the highlighted card, unless it shows it already."""
        entry = self.selected()
        if entry is self.detailed and not again:
            return
        self.detailed = entry
        values = {} if entry is None else self._details(entry)
        for label, field in self.fields.items():
            value = values.get(label)
            field.display = value is not None
            if value is not None:
                field.set_value(value)
        self.query_one("#details", VerticalScroll).scroll_home(animate=False)
        if entry is not None:
            self._show_history(entry)

    def _details(self, entry: Entry) -> dict[str, Content]:
        """What the details pane shows of a card, by field label."""
        item = entry.item
        state = self.states.get(entry.ref)
        path = shown_path(entry.deck.path)
        values = {
            "Asks": literal(item.prompt, "bold"),
            "Answer": literal(item.answer),
            **notes_of(item),
            "File": literal(f"{path}:{item.line}" if item.line else path),
        }
        tags = [*item.tags, *(t for t in (state.tags if state else ()) if t not in item.tags)]
        if tags:  # the deck's tags and quiz's own (leech), which live with the progress
            values["Tags"] = literal(" ".join(tags))
        if state is not None and not state.is_new:
            settings = self.quiz.config.settings_for(entry.deck.study)
            lines = state_lines(state, self.quiz.now(), settings, self.quiz.zone)
            values["State"] = Content("\n".join(text for _, text in lines))
        values["History"] = Content.styled("…", "dim")
        return values

    @work(thread=True, exclusive=True, group="browse-history")
    @reporting
    def _show_history(self, entry: Entry) -> None:
        lines = history_lines(self.quiz.store.history(*entry.ref), self.quiz.zone)
        text = Content("\n".join(lines)) if lines else Content.styled("never reviewed", "dim")
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._mount_history, entry, text)

    def _mount_history(self, entry: Entry, text: Content) -> None:
        if self._taken_down():
            return
        if self.selected() is entry:
            self.fields["History"].set_value(text)

    def _taken_down(self) -> bool:
        """Whether the screen is being taken down: a worker's late result has nowhere to go."""
        return not self.is_attached or not self.query("#matches")

    # --- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys the search box would take as text are off (and out of the footer) in it."""
        typing = isinstance(self.focused, Input)
        if action in ("toggle_suspend", "reset", "edit", "set_due", "unbury"):
            return not typing and ((self.selected() is not None and not self.changing) or None)
        if action in ("mark", "mark_all", "sort"):
            return not typing and self.matches > 0
        if action == "to_table":
            return typing and self.matches > 0
        return True

    def action_sort(self) -> None:
        """``o``: sort by the next column (due, card, state, deck), then back to deck order."""
        cycle: list[str | None] = ["due", "card", "state", "deck", None]
        self._sort_by(cycle[(cycle.index(self.order) + 1) % len(cycle)], descending=False)

    @on(DataTable.HeaderSelected, "#matches")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column's header sorts by it; a second click reverses the order."""
        key = str(event.column_key.value)
        self._sort_by(key, descending=self.order == key and not self.descending)

    def _sort_by(self, order: str | None, *, descending: bool) -> None:
        self.order, self.descending = order, descending
        table: DataTable[Text] = self.query_one("#matches", DataTable)
        for column in table.columns.values():
            label = str(column.label).rstrip(" ▲▼")
            if column.key.value == order:
                label += " ▼" if descending else " ▲"
            column.label = Text(label)
        table.refresh()
        if self.index is not None:
            self.search(self.query_one("#search", Input).value)

    def action_to_table(self) -> None:
        self.query_one("#matches", DataTable).focus()

    def action_back(self) -> None:
        """Escape clears the marks first, then leaves."""
        if self.marked:
            self.marked.clear()
            self._after_marking()
            return
        self.app.pop_screen()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def _redraw_states(self) -> None:
        """Show the states again (after a change) in the table and the details pane."""
        table: DataTable[Text] = self.query_one("#matches", DataTable)
        row = table.cursor_row
        now = self.quiz.now()
        for n, entry in enumerate(self.result.entries):
            for column, cell in zip(COLUMNS, self._row(entry, now), strict=True):
                if column != "deck":
                    table.update_cell(str(n), column, cell)
        table.move_cursor(row=row)
        self._show_details(again=True)

    def targets(self) -> list[Entry]:
        """The cards a change applies to: the marked ones, or else the one under the cursor."""
        if self.marked:
            return list(self.marked.values())
        entry = self.selected()
        return [] if entry is None else [entry]

    def _change(
        self,
        title: str,
        entries: list[Entry],
        write: Callable[[Entry], Review | None],
        done: str,
    ) -> None:
        """Write a change to each card in a worker, so no key waits on the disk; ``done`` is
        said once it is on disk (with the count, for several), a failure (another process
        holds the lock) is reported under ``title``, and a change that did not apply to any
        card (None) under ``title`` too."""
        self.changing = True
        self._in_worker(lambda: self._write(title, entries, write, done))

    @work(thread=True, group="browse-change")
    def _in_worker(self, job: Callable[[], None]) -> None:
        job()

    def _write(
        self, title: str, entries: list[Entry], write: Callable[[Entry], Review | None], done: str
    ) -> None:
        """In the worker: each card's change in turn, stopping at the first failure."""
        reviews: list[Review] = []
        failure: QuizError | None = None
        for entry in entries:
            try:
                review = write(entry)
            except QuizError as exc:
                failure = exc
                break
            if review is not None:
                reviews.append(review)
        self.app.call_from_thread(self._changed, reviews, len(entries), title, done, failure)

    def _changed(
        self,
        reviews: list[Review],
        asked: int,
        title: str,
        done: str,
        exc: QuizError | None,
    ) -> None:
        self.changing = False
        for review in reviews:
            self.states[(review.deck_id, review.card_key)] = review.state_after
        if reviews:
            self._redraw_states()
        if exc is not None:
            if reviews:
                title = f"{title} after {len(reviews)} of {asked} cards"
            self.quiz.report(exc, title)
        elif not reviews:
            self.notify(title, severity="warning", markup=False)
        elif asked == 1:
            self.notify(done, markup=False)
        else:
            skipped = f"; {asked - len(reviews)} left as they were" if len(reviews) < asked else ""
            self.notify(f"{done.split(':')[0].rstrip('.')}: {len(reviews)} cards{skipped}.")

    def action_toggle_suspend(self) -> None:
        """Suspend the cards (all of them, if any is not suspended), or unsuspend them."""
        from quiz.manage import set_suspended

        entries = self.targets()
        if not entries:
            return
        states = [self.states.get(e.ref) for e in entries]
        suspend = not all(state is not None and state.suspended for state in states)
        app = self.quiz
        self._change(
            "Not changed",
            entries,
            lambda e: set_suspended(app.store, e.item, suspend, app.now(), app.config),
            "Suspended." if suspend else "Unsuspended: it comes back when due.",
        )

    def action_reset(self) -> None:
        entries = self.targets()
        if not entries:
            return
        what = (
            literal(entries[0].item.prompt, "bold")
            if len(entries) == 1
            else Content.styled(f"{len(entries)} marked cards", "bold")
        )
        question = Content.assemble(
            "Forget all progress? The card becomes new again (its history is kept).\n\n", what
        )
        self.app.push_screen(
            ConfirmModal(question, yes="Reset"), lambda yes: self._reset(yes, entries)
        )

    def _reset(self, yes: bool | None, entries: list[Entry]) -> None:
        from quiz.manage import reset_card

        if not yes or not entries or self.changing:
            return
        app = self.quiz
        self._change(
            "Not reset",
            entries,
            lambda e: reset_card(app.store, e.item, app.now(), app.config),
            "Reset: the card is new again.",
        )

    def action_unbury(self) -> None:
        from quiz.manage import unbury

        now = self.quiz.now()

        def buried(entry: Entry) -> bool:
            state = self.states.get(entry.ref)
            return state is not None and state.buried_until is not None and state.buried_until > now

        entries = [e for e in self.targets() if buried(e)]
        if not entries:
            self.notify("Not buried: nothing to unbury.", markup=False)
            return
        app = self.quiz
        self._change(
            "Not unburied",
            entries,
            lambda e: unbury(app.store, e.item, app.now(), app.config),
            "Unburied: it can be studied today.",
        )

    def action_set_due(self) -> None:
        """Ask how many days from today (or a range) the cards are due."""
        from quiz.tui.screens.article import LineModal

        entries = self.targets()
        if not entries:
            return
        what = (
            literal(entries[0].item.prompt, "bold")
            if len(entries) == 1
            else Content.styled(f"{len(entries)} marked cards", "bold")
        )
        question = Content.assemble(
            "Set the due date: days from today (0: now), or a range (1-7).\n\n", what
        )
        self.app.push_screen(
            LineModal(question, "days", "0"), lambda text: self._set_due(text, entries)
        )

    def _set_due(self, text: str | None, entries: list[Entry]) -> None:
        from quiz.manage import DueDays, set_due

        if text is None or not entries or self.changing:
            return
        try:
            days = DueDays.parse(text)
        except QuizError as exc:
            self.quiz.report(exc, "Not moved")
            return
        app = self.quiz
        self._change(
            "A new card has no due date to move: study it first.",
            entries,
            lambda e: set_due(app.store, e.item, days, app.now(), app.config),
            f"Due in {text} day(s) from today.",
        )

    def action_mark(self) -> None:
        """``space``: mark the card under the cursor (or unmark it), for a change to many."""
        entry = self.selected()
        if entry is None:
            return
        if self.marked.pop(entry.ref, None) is None:
            self.marked[entry.ref] = entry
        self._after_marking()
        table: DataTable[Text] = self.query_one("#matches", DataTable)
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_mark_all(self) -> None:
        """``*``: mark every match shown, or clear the marks when all are marked."""
        shown = {e.ref: e for e in self.result.entries}
        if shown.keys() <= self.marked.keys():
            self.marked.clear()
        else:
            self.marked.update(shown)
        self._after_marking()

    def _after_marking(self) -> None:
        self.marks = len(self.marked)
        self._redraw_states()
        self._count_line()

    def action_edit(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        fresh = self.quiz.edit_deck(entry.deck, entry.item.line)
        if fresh is not None:
            self.build_index()


def _field_classes(label: str) -> str:
    """Notes are muted; the history is looked up by tests and filled in by a worker."""
    return {"Why": "notes", "Source": "notes", "History": "history"}.get(label, "")
