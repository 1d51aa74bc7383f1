"""Line-based study (``quiz study --plain``): the study loop on standard input and output.

A thin text UI over ``quiz.session`` for screen readers, scripts and tests: it reads one line
at a time from standard input and writes plain lines to standard output, flushing after every
prompt, so it works the same from a terminal or a pipe. When standard input is not a terminal
each prompt ends its own line. Deck text goes through ``quiz.text.printable`` first. The
input and output format is documented in docs/plain-mode.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import TextIO

from quiz.decks import LoadedDeck, load_deck, own_copy
from quiz.editor import EditorRunner
from quiz.errors import DeckError, QuizError
from quiz.grading import RATING_NAMES, Grade, Rating
from quiz.identity import Relink
from quiz.model import ChoiceCard, OrderCard, TrueFalseCard, TypedCard
from quiz.session import Prompted, SessionError, StudySession, Summary
from quiz.text import printable

__all__ = [
    "CONTINUED",
    "PlainStudy",
    "label",
    "local_time",
    "parse_response",
    "say_relinks",
    "say_text",
]

_RATING_KEYS = {
    **{"1": 1, "2": 2, "3": 3, "4": 4, "a": 1, "h": 2, "g": 3, "e": 4},
    **{"again": 1, "hard": 2, "good": 3, "easy": 4},
}
CONTINUED = "   | "
"""How every line of deck text after its first begins: no line of deck text can pass for
one of the lines a script reads (``recorded ...``), whatever the text holds."""
_TRUE = {"t", "true", "y", "yes"}
_FALSE = {"f", "false", "n", "no"}


class _Quit(Exception):
    """The learner typed q, or input ended."""


class _Undone(Exception):
    """The learner undid the last answer, or buried or suspended the card: show the card
    the session gives now."""


def local_time(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def say_relinks(relinks: Sequence[Relink], out: TextIO) -> None:
    for r in relinks:
        print(
            f"relinked {r.deck_id} {r.old_key} -> {r.new_key}: the edited card"
            f" {printable(r.new_prompt)!r} keeps its history ({r.score:.0f}% similar)",
            file=out,
        )


@dataclass
class PlainStudy:
    """The line-based study loop over one session."""

    session: StudySession
    inp: TextIO
    out: TextIO
    zone: tzinfo
    monotonic: Callable[[], float] = time.monotonic
    editor: EditorRunner | None = None
    """Runs ``$EDITOR`` for ``edit``; None where there is no terminal to hand it."""
    quiet: bool = False
    """Fewer words per card for screen readers: no counts, intervals or review ids."""
    shown: int = 0
    earlier: list[Summary] = field(default_factory=list)
    """The sessions before an edit rebuilt this one, for the summary."""

    def run(self) -> None:
        """Study until nothing is left, ``q`` or end of input; then print the summary."""
        say_relinks(self.session.relinks, self.out)
        try:
            self.decide_relinks()
            counts = self.session.counts()
            self.say(f"today: {counts.new} new · {counts.learning} learning · {counts.due} due")
            while (card := self.session.next_card()) is not None:
                try:
                    self.study(card)
                except _Undone:
                    continue
            self.say("nothing more to study now")
        except _Quit:
            pass
        self.summary()

    def decide_relinks(self) -> None:
        """Ask about each edited card that may be an old one, before any is studied: once
        the edited card is answered, the old history can no longer join it."""
        for m in list(self.session.renamed):
            self.say(f"the deck {m.new_id} has {m.shared} of the {m.total} cards you studied in")
            self.say(f"  {m.old_id}, a deck no longer found: was its file renamed or moved?")
            moved = self.session.move(m, self._yes("give it that deck's progress? [y/N]"))
            self.say(f"{m.new_id} keeps the progress of {m.old_id}" if moved else "kept apart")
        for r in list(self.session.unsure):
            self.say(f"an edited card of {r.deck_id} may be one you studied before:")
            self.say(f"  before: {printable(r.old_prompt)}")
            self.say(f"  now:    {printable(r.new_prompt)}")
            same = self._decision("the same card, keeping its history? [y/n, Enter: later]")
            linked = self.session.link(r, same)
            self.say(
                "it keeps its history"
                if linked
                else "asked again next time"
                if same is None
                else "kept apart: it starts as a new card"
            )

    def _decision(self, question: str) -> bool | None:
        """y: yes, n: no, anything else: not now."""
        try:
            answer = self.ask(question).strip().lower()
        except _Undone:
            return None
        return True if answer in ("y", "yes") else False if answer in ("n", "no") else None

    def _yes(self, question: str) -> bool:
        try:
            return self.ask(question).strip().lower() in ("y", "yes")
        except _Undone:  # nothing answered yet to undo
            return False

    def say(self, line: str = "") -> None:
        print(line, file=self.out, flush=True)

    def ask(self, prompt: str) -> str:
        """Read one line; ``q`` or end of input quits, ``u`` undoes the last answer."""
        interactive = self.inp.isatty()
        self.out.write(f"{prompt}> " if interactive else f"{prompt}>\n")
        self.out.flush()
        line = self.inp.readline()
        if not line:
            if interactive:
                self.out.write("\n")
            raise _Quit
        text = line.rstrip("\r\n")
        command = text.strip().lower()
        if command == "q":
            raise _Quit
        if command == "u":
            self.undo()
            raise _Undone
        if command == "i" and self.session.current is not None:
            self.info(self.session.current)
            return self.ask(prompt)
        if command in ("-", "!") and self.session.current is not None:
            self.put_away(bury=command == "-")
            raise _Undone
        if command == "edit" and self.session.current is not None:  # e is Easy
            self.edit(self.session.current)
            raise _Undone
        return text[1:] if text.startswith("\\") else text

    def put_away(self, *, bury: bool) -> None:
        """Bury (``-``) or suspend (``!``) the card shown; ``u`` takes it back."""
        card = self.session.current
        assert card is not None
        try:
            self.session.bury() if bury else self.session.suspend()
        except QuizError as exc:
            self.say(f"cannot {'bury' if bury else 'suspend'}: {exc}")
            return
        what = "buried until tomorrow" if bury else "suspended"
        self.say(f"{what} {card.item.deck_id} {card.item.key}")

    def edit(self, card: Prompted) -> None:
        """``edit``: the card's deck in ``$EDITOR`` at its line, then the session rebuilt on the
        reloaded deck (progress is kept by card id or text; a bundled deck is copied first)."""
        item = card.item
        deck = next((d for d in self.session.decks if d.id == item.deck_id), None)
        if self.editor is None or not isinstance(deck, LoadedDeck):
            self.say("cannot edit: no terminal for the editor")
            return
        data_dir = self.session.store.path.parent
        try:
            copy = own_copy(deck, data_dir)
            path = copy or deck.path
            if copy is not None:
                self.say(f"copied the bundled deck: your edits go to {printable(str(copy))}")
            self.editor(path, item.line)
            fresh = load_deck(path, data_dir=data_dir)
        except DeckError as exc:
            self.say(f"the deck no longer loads; kept the previous version: {printable(str(exc))}")
            return
        except QuizError as exc:
            self.say(f"cannot edit: {printable(str(exc))}")
            return
        self.earlier.append(self.session.summary())
        decks = [fresh if d is deck else d for d in self.session.decks]
        self.session = replace(self.session, decks=decks)
        self.say(f"edited {fresh.id}: {len(fresh.items)} card(s) to study from")
        say_relinks(self.session.relinks, self.out)
        self.decide_relinks()

    def info(self, card: Prompted) -> None:
        """``i``: the card's state, memory and history (``quiz.card_info``), then the prompt
        again."""
        from quiz.card_info import history_lines, state_lines

        item = card.item
        store = self.session.store
        state = store.state(item.deck_id, item.key)
        now = self.session.now()
        self.say(f"info {item.deck_id} {item.key}")
        for label, line in state_lines(state, now, self.session.settings(item.deck_id), self.zone):
            self.say(f"  {label}: {line}")
        for line in history_lines(store.history(item.deck_id, item.key), self.zone)[:10]:
            self.say(f"  history: {line}")

    def text(self, prefix: str, text: str) -> None:
        say_text(self.out, prefix, text)

    def undo(self) -> None:
        kind, last = self.session.next_undo(), self.session.last_answer()
        try:
            item = self.session.undo()
        except QuizError as exc:
            self.say(f"cannot undo: {exc}")
            return
        if kind is None:
            self.say("nothing to undo")
        elif last is not None:
            self.say(f"undone {last.id} {last.deck_id} {last.card_key}")
        elif item is not None:
            self.say(f"undone the {kind} of {item.deck_id} {item.key}")

    def study(self, card: Prompted) -> None:
        """Show one card, take the answer and a rating, record it and say what happened."""
        self.shown += 1
        counts = self.session.counts()
        self.say()
        if self.quiet:
            self.say(f"card {self.shown}, {card.kind}")
        else:
            self.say(
                f"card {self.shown}: {printable(card.deck_title)} · {card.kind} · {card.source}"
                f" ({counts.new} new · {counts.learning} learning · {counts.due} due)"
            )
        self.question(card)
        started = self.monotonic()
        grade = self.answer(card)
        if grade is not None:
            self.text(f"{grade.message}. answer: ", grade.expected)
            if isinstance(card.item.card, TypedCard) and grade.rating != Rating.GOOD:
                self.text("you typed: ", grade.given)
        else:
            self.text("A: ", card.item.answer)
        rating = self.rating(card, grade)
        outcome = self.session.rate(rating, duration_ms=round((self.monotonic() - started) * 1000))
        review = outcome.review
        if self.quiet:
            self.say(f"{RATING_NAMES[outcome.rating]}, next in {outcome.interval}")
        else:
            self.say(f"recorded {review.id} {review.deck_id} {review.card_key} {int(rating)}")
            self.say(
                f"{RATING_NAMES[outcome.rating]}: next in {outcome.interval}"
                f" (due {local_time(outcome.due, self.zone)})"
            )
        if outcome.leech:
            action = "suspended" if outcome.suspended else "tagged"
            self.say(f"leech: this card keeps slipping; it was {action} as a leech")
        if outcome.buried:
            self.say(f"buried until tomorrow: {len(outcome.buried)} sibling card(s)")
        explanation = card.item.card.explanation
        if explanation:
            self.text("why: ", explanation)
        source = card.item.card.source
        if source and (source.paragraph or source.excerpt):
            where = f"paragraph {source.paragraph}" if source.paragraph else ""
            self.text("source: ", " · ".join(p for p in (where, source.excerpt or "") if p))

    def question(self, card: Prompted) -> None:
        self.text("Q: ", card.item.prompt)
        for i, option in enumerate(card.options, start=1):
            self.text(f"  {i}) ", option)
        for i, entry in enumerate(card.order):
            self.text(f"  {label(i, len(card.order))}) ", entry)

    def answer(self, card: Prompted) -> Grade | None:
        """Read the answer until it parses; None for a card revealed without typing."""
        single = isinstance(card.item.card, ChoiceCard) and len(card.item.card.answers) == 1
        prompt = {
            ChoiceCard: "answer (option number)" if single else "answer (option numbers, e.g. 1 3)",
            TrueFalseCard: "answer (t/f)",
            OrderCard: "answer (letters in order, e.g. c a b)",
            TypedCard: "answer",
        }.get(type(card.item.card), "Enter shows the answer (or type it)")
        while True:
            text = self.ask(prompt)
            try:
                return self._grade(card, text)
            except SessionError as exc:
                self.say(f"? {exc}")

    def _grade(self, card: Prompted, text: str) -> Grade | None:
        count = len(card.options) or len(card.order)
        response = parse_response(card.kind, text, count)
        return None if response is None else self.session.check(response)

    def rating(self, card: Prompted, grade: Grade | None) -> Rating:
        """Read a rating; Enter takes the suggested one."""
        buttons = " · ".join(f"{int(r)} {RATING_NAMES[r]} {card.previews[r]}" for r in RATING_NAMES)
        if self.quiet:
            prompt = "rate 1 to 4" if grade is None else f"rate 1 to 4, Enter: {int(grade.rating)}"
        elif grade is not None:
            self.say(f"suggested: {int(grade.rating)} {RATING_NAMES[grade.rating]}")
            prompt = f"rate [Enter accepts {int(grade.rating)}] ({buttons})"
        else:
            prompt = f"rate ({buttons})"
        while True:
            text = self.ask(prompt).strip().lower()
            if not text and grade is not None:
                return grade.rating
            if text in _RATING_KEYS:
                return Rating(_RATING_KEYS[text])
            self.say("? rate with 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), or the word")

    def summary(self) -> None:
        s = self.session.summary()
        for earlier in self.earlier:
            s = s.after(earlier)
        self.say()
        self.say(
            f"summary: studied {s.studied} · correct {s.correct} · again {s.again}"
            f" · time {_duration(s.time_ms)}"
        )
        if s.next_due is not None:
            self.say(f"next due: {local_time(s.next_due, self.zone)}")
        else:
            self.say("next due: nothing scheduled")


def parse_response(kind: str, text: str, count: int) -> str | bool | list[int] | None:
    """A line typed at an answer prompt as a response: 0-based option numbers (choice), a
    bool (truefalse), item positions from their labels (order) or the text itself; None for
    a bare Enter on a card that shows its answer. ``count`` is how many options or items
    were shown. Whether the response fits the card is the grader's to say."""
    words = text.replace(",", " ").split()
    if kind == "choice":
        if not words or not all(w.isdigit() for w in words):
            raise SessionError("answer with option numbers")
        return [int(w) - 1 for w in words]
    if kind == "truefalse":
        word = text.strip().lower()
        if word not in _TRUE | _FALSE:
            raise SessionError("answer t or f")
        return word in _TRUE
    if kind == "order":
        labels = [label(i, count) for i in range(count)]
        if len(words) == 1 and count <= 26:
            words = list(words[0])
        if not words or any(w.lower() not in labels for w in words):
            raise SessionError(f"answer with the labels {' '.join(labels)}")
        return [labels.index(w.lower()) for w in words]
    if kind == "typed" or text.strip():
        return text
    return None


def say_text(out: TextIO, prefix: str, text: str) -> None:
    """Deck text after ``prefix``, its later lines marked as its own (``CONTINUED``)."""
    first, *rest = printable(text).split("\n")
    print(prefix + first, file=out, flush=True)
    for line in rest:
        print(CONTINUED + line, file=out, flush=True)


def label(index: int, count: int) -> str:
    """The label of an order item: a letter, or its number past 26 items."""
    return chr(ord("a") + index) if count <= 26 else str(index + 1)


def _duration(ms: int) -> str:
    seconds = round(ms / 1000)
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"
