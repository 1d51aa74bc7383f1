"""The quiz app: owns the clock, the progress store and the deck library; screens do the rest.

The app loads the decks in a worker thread (a big deck takes a moment to validate) and then
opens the screen the command asked for: home, study or exam. Screens reach the shared state
through ``QuizApp`` attributes and never read the wall clock themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from quiz.decks import Library, LoadedDeck, load_deck, load_library, own_copy
from quiz.editor import EditorRunner, run_editor
from quiz.errors import DeckError, Problem, QuizError
from quiz.storage import Store
from quiz.text import printable
from quiz.tui.commands import DeckCommands
from quiz.tui.workers import reporting

if TYPE_CHECKING:
    from quiz.config import Config
    from quiz.custom import CustomStudy
    from quiz.exam import ExamResult
    from quiz.generate.review import DraftReview
    from quiz.model import DeckFile

__all__ = ["EditorRunner", "LibraryLoaded", "QuizApp", "StartRequest", "run_editor"]


@dataclass(frozen=True, slots=True)
class StartRequest:
    """What the command line asked for: the screen to open first and its options."""

    command: str = "home"
    """``home``, ``study`` or ``exam``."""
    deck_ids: tuple[str, ...] = ()
    """Decks named on the command line by id (files and folders are loaded as extra paths)."""
    deck_files: tuple[Path, ...] = ()
    """Deck files and folders named on the command line."""
    exam_count: int = 20
    exam_minutes: float | None = None
    custom: CustomStudy | None = None
    """``quiz study``'s custom study flags."""


class LibraryLoaded(Message):
    """The decks are loaded (or reloaded); screens showing counts refresh."""


class QuizApp(App[int]):
    """Flashcards in the terminal: home, study, exam, statistics and browse screens."""

    CSS_PATH = "app.tcss"
    TITLE = "quiz"
    COMMANDS = App.COMMANDS | {DeckCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012
    """Screens get ``-wide`` from 110 columns: side-by-side layouts where they fit."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
    ]

    def __init__(
        self,
        *,
        store: Store,
        config: Config | None,
        deck_paths: Sequence[Path],
        now: Callable[[], datetime],
        monotonic: Callable[[], float],
        start: StartRequest = StartRequest(),
        editor: EditorRunner = run_editor,
        calm: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self._config = config
        self.deck_paths = list(deck_paths)
        self.now = now
        self.monotonic = monotonic
        self.start = start
        self.editor = editor
        self.calm = calm
        self.library = Library()
        self.loading = True
        if calm:
            self.animation_level = "none"

    @property
    def config(self) -> Config:
        """The settings; None given means the defaults, built on first use (by the worker that
        counts), so that pydantic is not imported before the first frame."""
        if self._config is None:
            from quiz.config import Config

            self._config = Config()
        return self._config

    @cached_property
    def zone(self) -> tzinfo:
        """The learner's time zone: learner days and local times are reckoned in it."""
        return self.config.zone()

    # --- start-up -------------------------------------------------------------------------

    def on_mount(self) -> None:
        from quiz.tui.screens.home import HomeScreen

        self._apply_settings()
        self.push_screen(HomeScreen())
        # After the first frame: loading imports the deck model and holds the GIL a while.
        self.call_after_refresh(self.load_decks)

    def _apply_settings(self) -> None:
        """The learner's own keys and theme; a name the app does not know is said (with the
        closest known one), never fatal."""
        import difflib

        from quiz.tui.screens.help import binding_ids

        config = self._config
        if config is None:
            return
        known = binding_ids()
        problems = []
        for binding in config.keys:
            if binding not in known:
                close = difflib.get_close_matches(binding, known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(f"[keys] {binding!r} is no binding{hint}")
        self.set_keymap({k: v for k, v in config.keys.items() if k in known})
        if config.theme is not None:
            themes = sorted(self.available_themes)
            if config.theme in themes:
                self.theme = config.theme
            else:
                close = difflib.get_close_matches(config.theme, themes, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"one of {', '.join(themes)}"
                problems.append(f"theme {config.theme!r} is not a theme ({hint})")
        if problems:
            self.notify("\n".join(problems), title="Settings", severity="warning", markup=False)

    def on_unmount(self) -> None:
        self.store.close()

    @work(thread=True, exclusive=True, group="library")
    @reporting
    def load_decks(self) -> None:
        """Load every deck off the UI thread, then open the screen the command asked for."""
        library = load_library(self.deck_paths, data_dir=self.store.path.parent)
        known = {deck.id for deck in library.decks}
        for deck_id in self.start.deck_ids:
            if deck_id not in known:
                library.failures.append(Problem(Path(deck_id), 0, "no deck with this id or path"))
        self.call_from_thread(self._library_ready, library)

    def _library_ready(self, library: Library) -> None:
        first_load = self.loading
        previous, self.library = self.library, library
        self.loading = False
        self.screen.post_message(LibraryLoaded())
        if first_load:
            self._open_start_screen()
        elif changes := library.changes_since(previous):
            self.notify("\n".join(changes), title="Decks reloaded", markup=False)

    def _open_start_screen(self) -> None:
        start = self.start
        if start.command not in ("study", "exam"):
            return
        decks = self.named_decks()
        if start.command == "study":
            self.open_study(decks, start.custom)
        elif len(decks) == 1 or (decks and start.deck_ids + start.deck_files):
            self.open_exam(decks, count=start.exam_count, minutes=start.exam_minutes)
        else:
            self.notify("Name the deck to take an exam on.", severity="error")

    @work(thread=True, exclusive=True, group="draft")
    @reporting
    def draft_from(self, article: Path) -> None:
        """Draft a deck from an article off the UI thread, then open its review."""
        from quiz.generate import GenerateError, generate_deck, read_article
        from quiz.generate.review import DraftReview

        draft = generate_deck(read_article(article), source_name=article.name)
        if not draft.deck.cards:
            raise GenerateError(f"{article}: found nothing to draft cards from")
        self.call_from_thread(self._review_draft, DraftReview(draft), article)

    def _review_draft(self, review: DraftReview, article: Path) -> None:
        from quiz.tui.screens.review import DraftReviewScreen

        def reviewed(deck: DeckFile | None) -> None:
            if deck is not None:
                self.save_draft(deck, article)

        screen = DraftReviewScreen(review, self.editor, headless=self.is_headless)
        self.push_screen(screen, reviewed)

    @work(thread=True, exclusive=True, group="draft")
    @reporting
    def save_draft(self, deck: DeckFile, article: Path) -> None:
        """Save a reviewed draft as a new deck in the user's deck folder, and load it."""
        from quiz.decks import save_deck
        from quiz.files import OutputError
        from quiz.paths import user_decks_dir

        folder = user_decks_dir(self.store.path.parent)
        folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w-]+", "-", article.stem.lower()).strip("-") or "draft"
        for n in range(1, 1000):
            path = folder / (f"{stem}.toml" if n == 1 else f"{stem}-{n}.toml")
            try:
                save_deck(deck, path)
                break
            except OutputError:
                if not path.exists():
                    raise
        else:
            raise QuizError(f"{folder} already holds 999 decks named {stem}: rename some")
        if folder not in self.deck_paths:
            self.deck_paths.append(folder)
        self.call_from_thread(
            self.notify,
            f"{len(deck.cards)} card(s) saved to {path}",
            title="Draft saved",
            markup=False,
        )
        self.call_from_thread(self.load_decks)

    @work(thread=True, group="exam-record")
    def record_exam(self, result: ExamResult) -> None:
        """Log an exam's answers off the UI thread: the result shows at once, whatever the
        disk does; a failure (a locked database) is reported."""
        from quiz.exam import record_exam

        try:
            record_exam(self.store, result, self.now(), self.config)
        except QuizError as exc:
            self.call_from_thread(self.report, exc, "Exam answers not saved")

    def named_decks(self) -> list[LoadedDeck]:
        """The decks the command line named (by id or path), else every deck."""
        start = self.start
        if not start.deck_ids and not start.deck_files:
            return list(self.library.decks)
        named = [Path(p).resolve() for p in start.deck_files]
        return [
            deck
            for deck in self.library.decks
            if deck.id in start.deck_ids
            or any(deck.path.resolve().is_relative_to(p) for p in named)
        ]

    # --- navigation used by screens and commands ------------------------------------------

    def open_study(self, decks: Iterable[LoadedDeck], custom: CustomStudy | None = None) -> None:
        """Study the due cards of these decks (or a custom study of them)."""
        from quiz.tui.screens.study import StudyScreen

        chosen = list(decks)
        if not chosen:
            self.notify("No deck to study.", severity="warning")
            return
        self.push_screen(StudyScreen(chosen, custom=custom))

    def open_exam(
        self, decks: Iterable[LoadedDeck], *, count: int | None = None, minutes: float | None = None
    ) -> None:
        """Take an exam on these decks."""
        from quiz.tui.screens.exam import ExamScreen

        chosen = list(decks)
        if not chosen:
            self.notify("No deck for an exam.", severity="warning")
            return
        self.push_screen(ExamScreen(chosen, count=count or self.start.exam_count, minutes=minutes))

    def open_stats(self, decks: Iterable[LoadedDeck] | None = None) -> None:
        """Statistics of these decks (all decks when None)."""
        from quiz.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(None if decks is None else list(decks)))

    def open_browse(self, query: str = "") -> None:
        """Search every card."""
        from quiz.tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen(query))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification made printable: messages quote deck text, file names and errors,
        and Textual would pass their ESC and bidi characters on to the terminal."""
        super().notify(
            printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def report(self, exc: QuizError, title: str | None = None) -> None:
        """The one place a user-caused failure (a locked database, a deck that no longer
        loads) becomes a message: an error notification, never a traceback."""
        if isinstance(exc, DeckError) and exc.problems:
            message = "\n".join(str(p) for p in exc.problems[:5])
        else:
            message = str(exc)
        self.notify(message, title=title or exc.title, severity="error", markup=False)

    def action_help(self) -> None:
        """Every key of every screen, the current screen's first."""
        from quiz.tui.screens.help import HelpModal

        if not isinstance(self.screen, HelpModal):
            self.push_screen(HelpModal(type(self.screen)))

    # --- decks ----------------------------------------------------------------------------

    def edit_deck(self, deck: LoadedDeck, line: int) -> LoadedDeck | None:
        """Open ``$EDITOR`` on a deck at a line, then reload it; None if it no longer loads.

        Progress is keyed by card ids (or their text), so the reloaded deck keeps it. A
        bundled deck is never edited in place: it is first copied to the learner's deck folder.
        """
        try:
            copy = own_copy(deck, self.store.path.parent)
        except QuizError as exc:
            self.report(exc, "Not edited")
            return deck
        path = copy or deck.path
        if copy is not None:
            self.notify(f"Your edits go to {copy}", title="Copied the bundled deck", markup=False)
        # A headless app (tests) has no terminal to hand over.
        suspended = nullcontext() if self.is_headless else self.suspend()
        try:
            with suspended:
                self.editor(path, line)
        except QuizError as exc:
            self.report(exc, "Editor")
            return deck
        try:
            fresh = load_deck(path, data_dir=self.store.path.parent)
        except DeckError as exc:
            self.report(exc, "The deck no longer loads; kept the previous version")
            return None
        decks = [fresh if d.path == deck.path else d for d in self.library.decks]
        self.library = replace(self.library, decks=decks)
        self.screen.post_message(LibraryLoaded())
        return fresh

    # --- command palette ------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Study all decks", "Study every due card", self._study_all)
        yield SystemCommand("Browse cards", "Search every card", self.open_browse)
        yield SystemCommand("Statistics", "Reviews, forecast, retention", self.open_stats)
        yield SystemCommand("Keys", "Every key of every screen", self.action_help)

    def _study_all(self) -> None:
        self.open_study(self.library.decks)
