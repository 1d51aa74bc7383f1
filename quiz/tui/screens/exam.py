"""Exam: a scored test driven by ``quiz.exam``; the result lists mistakes and offers to study them.

Questions are answered once and in turn, without feedback until the end. A time limit shows
as a countdown read from the app's clock; when it runs out the exam ends on its own. Answers
are logged as exam reviews (``record_exam``), which leave the schedule as it is; studying the
missed cards afterwards is a normal study session (``StudySession(only=...)``) that does move it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, ProgressBar, Static

from quiz.decks import LoadedDeck
from quiz.errors import QuizError
from quiz.exam import Exam, ExamResult, build_exam
from quiz.text import printable
from quiz.tui.literal import literal
from quiz.tui.screens.base import QuizScreen
from quiz.tui.screens.confirm import ConfirmModal
from quiz.tui.screens.study import StudyScreen
from quiz.tui.widgets.answer import AnswerPad, make_pad
from quiz.tui.widgets.card import Field, prompt_content
from quiz.tui.widgets.swap import replace_children

__all__ = ["ExamResultScreen", "ExamScreen", "countdown"]


def countdown(left: timedelta) -> str:
    """Time left as mm:ss (h:mm:ss past an hour)."""
    seconds = max(0, int(left.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class ExamScreen(QuizScreen[None]):
    """One question at a time until all are answered or the time is up."""

    HELP_TITLE = "Exam"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "finish", "End exam", id="exam.finish"),
    ]

    def __init__(
        self,
        decks: Sequence[LoadedDeck] = (),
        *,
        count: int = 20,
        minutes: float | None = None,
        exam: Exam | None = None,
    ) -> None:
        super().__init__()
        self.decks = list(decks)
        self.count = count
        self.minutes = minutes
        self.exam = exam
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="exam-status"):
            yield ProgressBar(show_eta=False, show_percentage=False, id="exam-progress")
            yield Static(id="exam-count", markup=False)
            yield Static(id="exam-clock", markup=False)
        yield VerticalScroll(id="card")
        yield Footer()

    async def on_mount(self) -> None:
        titles = ", ".join(d.title for d in self.decks) if len(self.decks) < 3 else "several decks"
        self.sub_title = printable(f"Exam · {titles}" if self.decks else "Exam · missed questions")
        if self.exam is None:
            app = self.quiz
            now = app.now()
            limit = None if self.minutes is None else timedelta(minutes=self.minutes)
            items = [item for deck in self.decks for item in deck.items]
            try:
                self.exam = build_exam(
                    items, count=self.count, seed=int(now.timestamp()), now=now, time_limit=limit
                )
            except QuizError as exc:
                self.quiz.report(exc, "Exam")
                self.app.pop_screen()
                return
        if self.exam.time_limit is not None:
            self.set_interval(1, self._tick)
        await self.show_question()

    def _tick(self) -> None:
        assert self.exam is not None
        now = self.quiz.now()
        self.query_one("#exam-clock", Static).update(
            Content.styled(f"⏱ {countdown(self.exam.remaining(now))} left", "bold $text-warning")
        )
        if self.exam.expired(now):
            self._finish(timed_out=True)

    async def show_question(self) -> None:
        """Show the first question not answered yet, or the result when all are."""
        exam = self.exam
        assert exam is not None
        waiting = [i for i in range(len(exam.questions)) if i not in exam.answered]
        if not waiting:
            self._finish()
            return
        self.index = waiting[0]
        question = exam.questions[self.index]
        total = len(exam.questions)
        self.query_one(ProgressBar).update(total=total, progress=len(exam.answered))
        self.query_one("#exam-count", Static).update(
            Content(f"Question {self.index + 1} of {total}")
        )
        if exam.time_limit is not None:
            self._tick()
        area = self.query_one("#card", VerticalScroll)
        pad = make_pad(
            question.kind, question.options, multiple=question.multiple, blink=not self.quiz.calm
        )
        meta = Content.styled(f"{question.kind} · {printable(question.item.deck_id)}", "dim")
        await replace_children(
            area,
            [
                Static(meta, classes="card-meta", markup=False),
                Static(prompt_content(question.item), id="prompt", markup=False),
                pad,
            ],
        )
        pad.focus()

    @on(AnswerPad.Answered)
    async def _answered(self, event: AnswerPad.Answered) -> None:
        exam = self.exam
        assert exam is not None
        try:
            exam.answer(self.index, event.response, self.quiz.now())
        except QuizError as exc:
            if exam.expired(self.quiz.now()):
                self._finish(timed_out=True)
            else:
                self.quiz.report(exc, "Exam")
            return
        await self.show_question()

    def action_finish(self) -> None:
        """End now; unanswered questions count as wrong, so ask first."""
        exam = self.exam
        if exam is None or len(exam.answered) == len(exam.questions):
            self._finish()
            return
        left = len(exam.questions) - len(exam.answered)
        question = Content(f"End the exam now? {left} unanswered question(s) count as wrong.")
        self.app.push_screen(
            ConfirmModal(question, yes="End exam"),
            lambda yes: self._finish() if yes else None,
        )

    def _finish(self, *, timed_out: bool = False) -> None:
        exam = self.exam
        if exam is None or not self.is_current:
            return
        result = exam.result()
        self.quiz.record_exam(result)
        self.app.switch_screen(ExamResultScreen(result, timed_out=timed_out))


class ExamResultScreen(QuizScreen[None]):
    """The score, every mistake with the right answer, and studying the missed cards."""

    HELP_TITLE = "Exam result"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "study_missed", "Study missed", id="exam-result.study-missed"),
        Binding("enter,escape", "back", "Back to decks", id="exam-result.back"),
    ]
    GRACE_SECONDS = 1.5
    """After the time runs out, keys are ignored this long: a learner still typing an answer
    (its Enter, an "m" in a word) must not dismiss the result before reading it."""

    def __init__(self, result: ExamResult, *, timed_out: bool = False) -> None:
        super().__init__()
        self.result = result
        self.timed_out = timed_out
        self.shown_at = 0.0

    def _keys_too_soon(self) -> bool:
        return self.timed_out and self.quiz.monotonic() - self.shown_at < self.GRACE_SECONDS

    def compose(self) -> ComposeResult:
        result = self.result
        yield Header()
        with VerticalScroll(id="exam-result"):
            if self.timed_out:
                yield Static(
                    Content.styled("Time is up: the questions left count as wrong.", "bold"),
                    id="exam-time-up",
                )
            grade = "$text-success" if result.percent >= 80 else "$text-warning"
            yield Static(
                Content.assemble(
                    ("Score ", "bold"),
                    (f"{result.score} / {result.total}", f"bold {grade}"),
                    (f"  ({result.percent:.0f}%)", grade),
                ),
                id="exam-score",
            )
            if not result.mistakes:
                yield Static(Content.styled("No mistakes. Well done!", "$text-success"))
            else:
                yield Static(Content.styled(f"Mistakes ({len(result.mistakes)})", "bold"))
            for n, mistake in enumerate(result.mistakes, start=1):
                given = (
                    literal(mistake.given, "$text-error")
                    if mistake.given
                    else Content.styled("(not answered)", "italic dim")
                )
                yield Vertical(
                    Field(f"{n}.", literal(mistake.question.prompt, "bold")),
                    Field("yours", given),
                    Field("right", literal(mistake.expected, "$text-success")),
                    classes="mistake",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Exam result"
        self.shown_at = self.quiz.monotonic()

    def action_back(self) -> None:
        """Back to the decks (not in the moment after a time-out, see ``GRACE_SECONDS``)."""
        if not self._keys_too_soon():
            self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "study_missed":
            return bool(self.result.mistakes)
        return True

    def action_study_missed(self) -> None:
        """Study the missed cards now, due or not, in a normal session (it moves the schedule)."""
        if self._keys_too_soon():
            return
        missed = set(self.result.missed_keys)
        deck_ids = {deck_id for deck_id, _ in missed}
        decks = [d for d in self.quiz.library.decks if d.id in deck_ids]
        if not decks:
            self.notify("The missed cards' decks are no longer loaded.", severity="warning")
            return
        self.app.switch_screen(StudyScreen(decks, only=missed))
