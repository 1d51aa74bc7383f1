"""``quiz exam --plain``: a scored exam line by line, for screen readers, scripts and pipes.

The same exam as the app's (``quiz.exam``): questions in turn, no feedback until the end,
an optional time limit. Unlike the app, each answer is logged the moment it is given (an
``exam`` review, which leaves the schedule as it is), so a killed process loses none. Deck
text is shown as ``quiz study --plain`` shows it (``quiz.plain.say_text``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from quiz.config import Config
from quiz.errors import QuizError
from quiz.exam import Exam, ExamResult, Question, record_answer
from quiz.plain import label, parse_response, say_text
from quiz.storage import Store

__all__ = ["PlainExam"]

_PROMPTS = {
    "choice": "answer (option number)",
    "truefalse": "answer (t/f)",
    "order": "answer (letters in order, e.g. c a b)",
    "typed": "answer",
}


class _End(Exception):
    """``q`` or the end of input: the questions left count as wrong."""


@dataclass
class PlainExam:
    """Ask each question of ``exam`` on ``inp``/``out`` and log each answer in ``store``."""

    exam: Exam
    store: Store
    config: Config
    now: Callable[[], datetime]
    inp: TextIO
    out: TextIO

    def run(self) -> ExamResult:
        """Ask until every question is answered, the time is up, ``q`` or end of input."""
        exam = self.exam
        total = len(exam.questions)
        limit = exam.time_limit
        minutes = f" · time limit {limit.total_seconds() / 60:g} min" if limit else ""
        self.say(f"exam: {total} question(s){minutes}; q ends it (unanswered count as wrong)")
        try:
            for index, question in enumerate(exam.questions):
                if exam.expired(self.now()):
                    break
                self.ask_question(index, question)
        except _End:
            pass
        if exam.expired(self.now()):
            self.say("time is up: the questions left count as wrong")
        result = exam.result()
        self.report(result)
        return result

    def ask_question(self, index: int, question: Question) -> None:
        exam = self.exam
        left = ""
        if exam.time_limit is not None:
            seconds = int(exam.remaining(self.now()).total_seconds())
            left = f" · {seconds // 60:02d}:{seconds % 60:02d} left"
        self.say()
        self.say(
            f"question {index + 1} of {len(exam.questions)}: {question.kind}"
            f" · {question.item.deck_id}{left}"
        )
        self.text("Q: ", question.prompt)
        for i, option in enumerate(question.options):
            mark = label(i, len(question.options)) if question.kind == "order" else str(i + 1)
            self.text(f"  {mark}) ", option)
        prompt = _PROMPTS[question.kind]
        if question.multiple:
            prompt = "answer (option numbers, e.g. 1 3)"
        while True:
            line = self.read(prompt)
            try:
                response = parse_response(question.kind, line, len(question.options))
                if response is None:
                    raise QuizError("type the answer")
                exam.answer(index, response, self.now())
                break
            except QuizError as exc:
                if exam.expired(self.now()):
                    raise _End from None
                self.say(f"? {exc}")
        review = record_answer(self.store, question, exam.answered[index], self.now(), self.config)
        self.say(f"recorded {review.id} {review.deck_id} {review.card_key} exam")

    def report(self, result: ExamResult) -> None:
        """The score, then each mistake with what was given and what was right."""
        self.say()
        self.say(f"score: {result.score} / {result.total} ({result.percent:.0f}%)")
        for n, mistake in enumerate(result.mistakes, start=1):
            self.text(f"mistake {n}: ", mistake.question.prompt)
            self.text("  yours: ", mistake.given or "(not answered)")
            self.text("  right: ", mistake.expected)

    def read(self, prompt: str) -> str:
        interactive = self.inp.isatty()
        self.out.write(f"{prompt}> " if interactive else f"{prompt}>\n")
        self.out.flush()
        line = self.inp.readline()
        if not line or line.strip().lower() == "q":
            if not line and interactive:
                self.out.write("\n")
            raise _End
        text = line.rstrip("\r\n")
        return text[1:] if text.startswith("\\") else text

    def yes(self, question: str) -> bool:
        """A yes/no question after the exam; the end of input is no."""
        try:
            return self.read(question).strip().lower() in ("y", "yes")
        except _End:
            return False

    def say(self, line: str = "") -> None:
        print(line, file=self.out, flush=True)

    def text(self, prefix: str, text: str) -> None:
        say_text(self.out, prefix, text)
