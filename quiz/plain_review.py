"""``quiz generate ARTICLE --review --plain``: review a draft line by line.

The same review as the app's screen (``quiz.generate.review``), on standard input and output:
for screen readers, scripts and terminals where the app cannot run. Each card is shown beside
the sentence it was drafted from; one line answers it. Deck text goes through
``quiz.text.printable`` first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from quiz.editor import EditorRunner
from quiz.errors import DeckError, QuizError
from quiz.generate.review import DraftReview
from quiz.model import DeckFile
from quiz.text import printable

__all__ = ["HELP", "card_lines", "review_plain"]

Say = Callable[[str], None]

HELP = (
    "k keep · d drop · e edit in $EDITOR · t change kind · b back · n next"
    " · a keep the rest · w write and stop · q stop without writing"
)


def card_lines(review: DraftReview, index: int) -> list[str]:
    """What is shown for one card: where it is, its sentence, and the card as it will be written."""
    item = review.items[index]
    source = item.card.source
    where = f" · paragraph {source.paragraph}" if source and source.paragraph else ""
    lines = [f"[{index + 1}/{len(review)}] {item.card.kind}{where} · {item.status}"]
    if item.sentence:
        lines.append(f"  text: {printable(item.sentence)}")
    body = review.card_text(index).splitlines()[1:]  # the [[cards]] line says nothing here
    lines += [f"  {printable(line)}" for line in body if line.strip()]
    return lines


def review_plain(
    review: DraftReview, inp: TextIO, out: TextIO, editor: EditorRunner
) -> DeckFile | None:
    """Ask about each card until ``w`` (the deck to write) or ``q`` / end of input (None)."""

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    say(f"Reviewing {len(review)} drafted card(s): {HELP}")
    index = 0
    while True:
        if index >= len(review):
            say(f"end of the draft: {review.summary()}")
            index = len(review) - 1
            answer = _ask(inp, out, "w to write, q to stop without writing, b to go back")
        else:
            for line in card_lines(review, index):
                say(line)
            answer = _ask(inp, out, "k/d/e/t/b/n/a/w/q")
        if answer is None or answer == "q":
            say("stopped: nothing written")
            return None
        if answer == "w":
            return review.deck()
        index = _act(review, index, answer, editor, say)


def _act(review: DraftReview, index: int, answer: str, editor: EditorRunner, say: Say) -> int:
    """Apply one answer to the card at ``index``; the index of the card to show next."""
    match answer:
        case "k" | "":
            review.keep(index)
            return index + 1
        case "d":
            review.drop(index)
            return index + 1
        case "n":
            return index + 1
        case "b":
            return max(index - 1, 0)
        case "a":
            for i in range(index, len(review)):
                if review.items[i].kept is None:
                    review.keep(i)
            return len(review)
        case "t":
            kind = review.change_kind(index)
            say(f"now a {kind} card" if kind else "this card cannot be another kind")
            return index
        case "e":
            _edit(review, index, editor, say)
            return index
        case _:
            say(f"unknown answer {printable(answer)!r}: {HELP}")
            return index


def _edit(review: DraftReview, index: int, editor: EditorRunner, say: Say) -> None:
    """Edit the card in the user's editor; a card that does not parse changes nothing."""
    try:
        review.edit_in(index, editor)
    except DeckError as exc:
        say(f"the edit was not applied:\n{exc}")
    except QuizError as exc:
        say(f"the edit was not applied: {exc}")


def _ask(inp: TextIO, out: TextIO, prompt: str) -> str | None:
    """One answer, lower-cased; None at the end of input."""
    interactive = inp.isatty()
    out.write(f"{prompt}> " if interactive else f"{prompt}>\n")
    out.flush()
    line = inp.readline()
    if not line:
        if interactive:
            out.write("\n")
        return None
    return line.strip().lower()
