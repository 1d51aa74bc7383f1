"""Study: one card at a time from a ``StudySession``; every answer is stored before the next card.

Phases of a card: *question* (reveal with space, or answer through the card's pad) and
*answered* (the answer, the grade and notes are shown; 1-4 rate, Enter takes the suggested
rating of a graded card). Rating keys are disabled in the question phase via ``check_action``.

No key waits on the disk: a rating, an undo, a bury or a suspend is written by a worker, which
then reads the next card; meanwhile the screen is *saving* and its keys are off. A write that
fails (another process holds the lock) is reported and the card stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import partial
from typing import ClassVar, Literal, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, LoadingIndicator, ProgressBar, Static

from quiz.custom import CustomStudy, chosen_cards
from quiz.decks import LoadedDeck
from quiz.errors import QuizError
from quiz.grading import Grade, Rating
from quiz.identity import DeckMove, Relink
from quiz.model import ChoiceCard, Item, OrderCard, StudySettings
from quiz.session import Counts, Outcome, Prompted, StudySession, Summary
from quiz.text import printable
from quiz.tui.screens.base import QuizScreen
from quiz.tui.screens.confirm import ConfirmModal
from quiz.tui.widgets.answer import AnswerPad, TypedPad, make_pad
from quiz.tui.widgets.card import (
    RATING_NAMES,
    RatingBar,
    answer_field,
    note_fields,
    prompt_content,
)
from quiz.tui.widgets.swap import replace_children

_T = TypeVar("_T")

__all__ = ["StudyScreen"]

Phase = Literal["loading", "question", "answered", "saving", "stalled"]
"""*stalled*: saved, but the next card could not be read; space tries again."""
SELF_GRADED = ("basic", "cloze")


def _right(prompted: Prompted) -> list[str]:
    """What was right, for marking a pad: the right options, the order, or the truth."""
    card = prompted.item.card
    if isinstance(card, ChoiceCard):
        return card.answers
    if isinstance(card, OrderCard):
        return list(card.items)
    return [prompted.item.answer]


class StudyScreen(QuizScreen[None]):
    """Study the due cards of some decks, then show the session's summary."""

    HELP_TITLE = "Study"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", "Show answer", key_display="space", id="study.reveal"),
        Binding("1", "rate(1)", "Again", show=False, id="study.rate-1"),
        Binding("2", "rate(2)", "Hard", show=False, id="study.rate-2"),
        Binding("3", "rate(3)", "Good", show=False, id="study.rate-3"),
        Binding("4", "rate(4)", "Easy", show=False, id="study.rate-4"),
        Binding("enter", "accept", "Accept rating", id="study.accept"),
        Binding("u,ctrl+z", "undo", "Undo", id="study.undo"),
        Binding(
            "ctrl+z", "undo_typing", "Undo", key_display="^z", id="study.undo-typing"
        ),  # in the answer box
        Binding("tab", "focus_answer", "Answer box", id="study.focus-answer"),
        Binding("minus", "bury", "Bury", key_display="-", id="study.bury"),
        Binding(
            "exclamation_mark",
            "suspend",
            "Suspend",
            key_display="!",
            show=False,
            id="study.suspend",
        ),
        Binding("E", "edit", "Edit in $EDITOR", key_display="E", show=False, id="study.edit"),
        Binding("i", "info", "Card info", show=False, id="study.info"),
        Binding("escape", "finish", "End", id="study.finish"),
    ]

    phase: var[Phase] = var[Phase]("loading", bindings=True)
    """Where the card is (see the module docstring); the keys follow it (``check_action``)."""
    undoable = var(0, bindings=True)
    """Answers of this session that ``u`` can take back."""

    def __init__(
        self,
        decks: Sequence[LoadedDeck],
        *,
        only: Collection[tuple[str, str]] | None = None,
        custom: CustomStudy | None = None,
    ) -> None:
        super().__init__()
        self.decks = list(decks)
        self.only = only
        """Study just these cards, (deck id, item key), due or not (the missed cards of an exam)."""
        self.custom = custom
        """A custom study (its picked cards are found when the session starts)."""
        self.session: StudySession | None = None
        self.card: Prompted | None = None
        self.grade: Grade | None = None
        self.shown_at = 0.0
        self.earlier: list[Summary] = []
        """Summaries of sessions replaced after editing a deck, added to the final one."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="study-status"):
            yield ProgressBar(show_eta=False, show_percentage=False, id="study-progress")
            yield Static(id="study-counts", markup=False)
        with VerticalScroll(id="card"):
            yield LoadingIndicator()
        yield RatingBar(id="rating")
        yield Footer()

    def on_mount(self) -> None:
        titles = ", ".join(d.title for d in self.decks) if len(self.decks) < 3 else "several decks"
        what = f"missed cards of {titles}" if self.only is not None else titles
        if self.custom is not None:
            what = f"{titles} · {self.custom.describe()}"
        self.sub_title = printable(f"Study · {what}")
        self.query_one(RatingBar).display = False
        self.start_session()

    @work(thread=True, exclusive=True, group="study")
    def start_session(self) -> None:
        """Build the session off the UI thread: it reads every state of the decks once."""
        app = self.quiz
        custom = self.custom
        try:
            if self.only is None and custom is not None and custom.picks:
                # once: a session rebuilt after an edit studies the cards it picked at first
                self.only = chosen_cards(custom, app.store, self.decks, app.now(), app.config)
            only = self.only
            session = StudySession(
                app.store,
                self.decks,
                app.now,
                app.config,
                only,
                extra_new=custom.extra_new if custom else 0,
                reviews_only=custom.reviews_only if custom else False,
            )
            card, counts = session.next_card(), session.counts()
        except QuizError as exc:
            self.app.call_from_thread(self._fail, exc)
            return
        self.app.call_from_thread(self.call_later, self._started, session, card, counts)

    def _fail(self, exc: QuizError) -> None:
        self.quiz.report(exc, "Study")
        self.app.pop_screen()

    async def _started(self, session: StudySession, card: Prompted | None, counts: Counts) -> None:
        self.session = session
        for relink in session.relinks[:3]:
            self.notify(
                printable(f"{relink.old_prompt} → {relink.new_prompt}"),
                title="An edited card kept its history",
                markup=False,
            )
        await self._show(card, counts)

    # --- edited cards quiz is unsure of: the learner decides --------------------------------

    def _ask_relink(self) -> None:
        """Ask about the first edited card that may be an old one (``session.unsure``):
        quiz never guesses, and once the edited card is answered it cannot join its past."""
        session = self.session
        if session is None or self.phase != "question":
            return
        if session.renamed:
            self._ask_move(session.renamed[0])
            return
        if not session.unsure:
            return
        from quiz.tui.screens.relink import RelinkModal

        r = session.unsure[0]
        self.app.push_screen(RelinkModal(r), partial(self._decided, r))

    def _ask_move(self, move: DeckMove) -> None:
        question = Content.assemble(
            ("A deck may have been renamed or moved.\n\n", "bold"),
            printable(f"{move.new_id} has {move.shared} of the {move.total} cards you studied in "),
            printable(f"{move.old_id}, a deck that is no longer found."),
            "\n\nGive it that deck's progress?",
        )
        done = partial(self._moved, move)
        self.app.push_screen(
            ConfirmModal(question, yes="Same deck"),
            lambda same: self._save("Deck", lambda s: s.move(move, bool(same)), done),
        )

    def _moved(self, move: DeckMove, moved: bool) -> None:
        if moved:
            self.notify(
                printable(f"{move.new_id} keeps the progress of {move.old_id}"),
                title="Progress moved",
                markup=False,
            )

    def _decided(self, relink: Relink, same: bool | None) -> None:
        self._save("Relink", lambda s: s.link(relink, same), partial(self._linked, relink))

    def _linked(self, relink: Relink, linked: bool) -> None:
        if linked:
            self.notify(
                printable(f"{relink.old_prompt} → {relink.new_prompt}"),
                title="The edited card keeps its history",
                markup=False,
            )

    # --- saving, off the UI thread ----------------------------------------------------------

    def _save(
        self, title: str, write: Callable[[StudySession], _T], done: Callable[[_T], None]
    ) -> None:
        """Write in a worker, then read the next card there too; keys are off meanwhile.

        ``done`` runs on the UI thread once the write is on disk (before the next card shows);
        a ``QuizError`` is reported under ``title`` and the card stays as it was."""
        if self.session is None or self.phase in ("loading", "saving"):
            return
        before, self.phase = self.phase, "saving"
        self._write(self.session, title, write, done, before)

    @work(thread=True, exclusive=True, group="study-save")
    def _write(
        self,
        session: StudySession,
        title: str,
        write: Callable[[StudySession], _T],
        done: Callable[[_T], None],
        before: Phase,
    ) -> None:
        try:
            result = write(session)
        except QuizError as exc:
            self.app.call_from_thread(self._unsaved, exc, title, before)
            return
        self.app.call_from_thread(done, result)
        self._read_next(session)

    def _unsaved(self, exc: QuizError, title: str, before: Phase) -> None:
        self.quiz.report(exc, title)
        self.phase = before

    @work(thread=True, exclusive=True, group="study-save")
    def _retry_next(self, session: StudySession) -> None:
        self._read_next(session)

    def _read_next(self, session: StudySession) -> None:
        """In a worker: the next card and the counts, then show them on the UI thread."""
        try:
            card, counts = session.next_card(), session.counts()
        except QuizError as exc:
            self.app.call_from_thread(self._stalled, exc)
            return
        self.app.call_from_thread(self.call_later, self._show, card, counts)

    def _stalled(self, exc: QuizError) -> None:
        self.notify(
            f"{exc}\nYour answer is saved. Press space to try again.",
            title="The next card could not be read",
            severity="error",
            markup=False,
        )
        self.phase = "stalled"

    # --- showing a card -------------------------------------------------------------------

    async def _show(self, card: Prompted | None, counts: Counts) -> None:
        """Show a card the worker read, or the summary when nothing is left."""
        if card is None:
            self.card = None
            self.action_finish()
            return
        self.card = card
        self.grade = None
        self.phase = "question"
        self.shown_at = self.quiz.monotonic()
        self._update_status(counts)
        area = self.query_one("#card", VerticalScroll)
        await replace_children(area, self._question_widgets(card))
        area.scroll_home(animate=False)
        self.query_one(RatingBar).display = False
        pads = area.query(AnswerPad)
        if pads:
            pads.first().focus()
        else:
            area.focus()
        self._ask_relink()  # before the card is answered: after, its past cannot join it

    def _question_widgets(self, card: Prompted) -> list[Static | AnswerPad]:
        item = card.item
        meta = Content.assemble(
            (card.source, f"bold $text-{self._source_colour(card)}"),
            (f" · {item.kind}", "dim"),
            (f" · {printable(card.deck_title)}", "dim"),
        )
        widgets: list[Static | AnswerPad] = [
            Static(meta, classes="card-meta", markup=False),
            Static(prompt_content(item), id="prompt", markup=False),
        ]
        if item.kind not in SELF_GRADED:
            options = card.options or card.order
            multiple = isinstance(item.card, ChoiceCard) and len(item.card.answers) > 1
            widgets.append(
                make_pad(item.kind, options, multiple=multiple, blink=not self.quiz.calm)
            )
        else:
            widgets.append(Static(Content("space shows the answer"), classes="hint"))
        return widgets

    @staticmethod
    def _source_colour(card: Prompted) -> str:
        return {"new": "primary", "learning": "warning"}.get(card.source, "success")

    def _update_status(self, counts: Counts) -> None:
        """The counts and the progress bar; answers given before an edit rebuilt the session
        still count as done."""
        before = sum(s.studied for s in self.earlier)
        counts = replace(counts, done=counts.done + before)
        bar = self.query_one(ProgressBar)
        bar.update(total=max(counts.done + counts.remaining, 1), progress=counts.done)
        self.query_one("#study-counts", Static).update(
            Content.assemble(
                (f"{counts.new} new", "$text-primary"),
                "  ",
                (f"{counts.learning} learning", "$text-warning"),
                "  ",
                (f"{counts.due} due", "$text-success"),
                ("  ·  ", "dim"),
                f"{counts.done}/{counts.done + counts.remaining} done",
            )
        )

    # --- answering ------------------------------------------------------------------------

    def action_reveal(self) -> None:
        if self.phase == "stalled" and self.session is not None:
            self.phase = "saving"
            self._retry_next(self.session)
            return
        if self.card is None or self.phase != "question":
            return
        self._answered(None)

    @on(AnswerPad.Answered)
    def _pad_answered(self, event: AnswerPad.Answered) -> None:
        if self.session is None or self.card is None or self.phase != "question":
            return
        response = event.response
        if isinstance(response, int) and not isinstance(response, bool):
            response = [response]
        try:
            grade = self.session.check(response)
        except QuizError as exc:
            self.quiz.report(exc, "Answer")
            return
        event.pad.show_result(grade, _right(self.card))
        self._answered(grade)

    def _answered(self, grade: Grade | None) -> None:
        """Show the answer, the grade and the notes, and offer the ratings."""
        assert self.card is not None
        card = self.card
        self.grade = grade
        self.phase = "answered"
        area = self.query_one("#card", VerticalScroll)
        item = card.item
        if item.kind == "cloze":
            self.query_one("#prompt", Static).update(prompt_content(item, revealed=True))
        for hint in area.query(".hint"):
            hint.remove()
        widgets: list[Widget] = []
        # Choice, typed and cloze cards show the answer on the card itself.
        if item.kind == "basic" or (
            grade is not None and not grade.correct and item.kind in ("order", "truefalse")
        ):
            widgets.append(answer_field(item))
        if grade is not None:
            widgets.append(Static(self._verdict(grade), classes="verdict", markup=False))
        notes = note_fields(item)
        if notes:
            widgets.append(Vertical(*notes, classes="notes-box"))
        area.mount_all(widgets)
        area.focus()
        bar = self.query_one(RatingBar)
        bar.show(card.previews, grade.rating if grade else None)
        bar.display = True

    @staticmethod
    def _verdict(grade: Grade) -> Content:
        mark, style = ("✓", "$text-success") if grade.correct else ("✗", "$text-error")
        name = RATING_NAMES[Rating(grade.rating)]
        return Content.assemble(
            (f"{mark} {grade.message}", f"bold {style}"),
            ("   Enter: ", "dim"),
            (f"{name}", "bold"),
            (" · 1-4 to change", "dim"),
        )

    def action_rate(self, rating: int) -> None:
        if self.session is None or self.phase != "answered":
            return
        duration_ms = int((self.quiz.monotonic() - self.shown_at) * 1000)
        self._save(
            "Not saved", lambda session: session.rate(rating, duration_ms=duration_ms), self._rated
        )

    def _rated(self, outcome: Outcome) -> None:
        self.undoable += 1
        if outcome.leech:
            verb = "suspended" if outcome.suspended else "tagged leech"
            self.notify(f"You keep forgetting this card: {verb}.", title="Leech", markup=False)

    def action_accept(self) -> None:
        if self.grade is not None:
            self.action_rate(int(self.grade.rating))

    # --- managing cards -------------------------------------------------------------------

    def action_undo(self) -> None:
        kind = self.session.next_undo() if self.session is not None else None
        self._save("Undo", StudySession.undo, partial(self._undone, kind))

    def _undone(self, kind: str | None, item: Item | None) -> None:
        self.undoable = max(0, self.undoable - 1)
        self.notify(f"Took back the last {kind}." if kind else "Nothing to take back.")

    def action_bury(self) -> None:
        if self.card is not None:
            self._save(
                "Not buried", StudySession.bury, partial(self._managed, "Buried until tomorrow.")
            )

    def action_suspend(self) -> None:
        if self.card is not None:
            said = "Suspended: unsuspend it in the browser (b on the home screen), or u."
            self._save("Not suspended", StudySession.suspend, partial(self._managed, said))

    def _managed(self, message: str, _: None) -> None:
        self.undoable += 1  # u takes it back, as it does an answer
        self.notify(message)

    def action_info(self) -> None:
        if self.card is not None:
            self._show_info(self.card)

    @work(thread=True, exclusive=True, group="study-info")
    def _show_info(self, card: Prompted) -> None:
        """Read the card's state and history off the UI thread, then show them."""
        from quiz.card_info import history_lines, state_lines
        from quiz.tui.screens.info import CardInfoModal

        app = self.quiz
        item = card.item
        deck = next((d for d in self.decks if d.id == item.deck_id), None)
        settings = app.config.settings_for(deck.study if deck else StudySettings())
        try:
            state = app.store.state(item.deck_id, item.key)
            history = app.store.history(item.deck_id, item.key)
        except QuizError as exc:
            self.app.call_from_thread(app.report, exc, "Card info")
            return
        lines = state_lines(state, app.now(), settings, app.zone)
        lines.append(("Deck", f"{card.deck_title} · {item.kind}"))
        modal = CardInfoModal(item.prompt, lines, history_lines(history, app.zone))
        self.app.call_from_thread(self.app.push_screen, modal)

    def action_edit(self) -> None:
        """Open the card in ``$EDITOR``; the deck is reloaded and the session rebuilt."""
        if self.session is None or self.card is None:
            return
        item = self.card.item
        deck = next((d for d in self.decks if d.id == item.deck_id), None)
        if deck is None:
            return
        fresh = self.quiz.edit_deck(deck, item.line)
        if fresh is None:
            return
        self.earlier.append(self.session.summary())
        self.decks = [fresh if d is deck else d for d in self.decks]
        self.session = None
        self.card = None
        self.phase = "loading"
        self.start_session()

    def action_undo_typing(self) -> None:
        self.action_undo()

    def action_focus_answer(self) -> None:
        self.query_one(TypedPad).focus()

    def _typing(self) -> bool:
        """Whether the answer box has the keys: letters, ``-`` and ``!`` go into it then."""
        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which keys work now, and so which the footer offers: none that the answer box
        would take as text while it has focus (``^z`` undoes there, Escape leaves it)."""
        phase = self.phase
        kind = self.card.kind if self.card is not None else ""
        typing = self._typing()
        match action:
            case "bury" | "suspend" | "edit" | "undo" | "info" if typing:
                return False
            case "undo_typing":
                return typing and phase == "question" and self.undoable > 0
            case "focus_answer":
                return phase == "question" and not typing and bool(self.query(TypedPad))
            case "reveal":
                return (phase == "question" and kind in SELF_GRADED) or phase == "stalled"
            case "rate":
                return phase == "answered"
            case "accept":
                return phase == "answered" and self.grade is not None
            case "bury" | "suspend" | "edit" | "info":
                return phase in ("question", "answered") and self.card is not None
            case "undo":
                return phase in ("question", "answered") and self.undoable > 0
            case "finish":
                return phase != "saving"
        return True

    def action_finish(self) -> None:
        """End the session: show its summary (or go back if nothing was studied)."""
        from quiz.tui.screens.summary import SummaryScreen

        if self.session is None:
            self.app.pop_screen()
            return
        summary = self.session.summary()
        if summary.studied == 0 and not self.earlier and self.card is not None:
            self.app.pop_screen()  # left before answering anything: nothing to sum up
            return
        for earlier in self.earlier:
            summary = summary.after(earlier)
        self.app.switch_screen(SummaryScreen(summary, self.quiz.now()))
