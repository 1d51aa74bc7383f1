"""How a card reads on screen: prompt, answer, explanation and source, plus the rating bar.

All deck text goes through ``literal`` so it is shown exactly as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from quiz.grading import RATING_NAMES, Rating
from quiz.model import ClozeCard, Item, cloze_deletions
from quiz.tui.literal import literal

__all__ = [
    "RATING_NAMES",
    "Field",
    "RatingBar",
    "answer_field",
    "note_fields",
    "notes_of",
    "prompt_content",
]


def _cloze(text: str, group: str, revealed: bool) -> Content:
    """A cloze text with this group's gaps hidden (or, revealed, highlighted)."""
    parts: list[Content] = []
    pos = 0
    for d in cloze_deletions(text):
        parts.append(literal(text[pos : d.start]))
        if d.group != group:
            parts.append(literal(d.answer))
        elif revealed:
            parts.append(literal(d.answer, "bold underline $text-success"))
        else:
            parts.append(literal(f"[{d.hint or '…'}]", "bold $text-accent"))
        pos = d.end
    parts.append(literal(text[pos:]))
    return Content.assemble(*parts)


def prompt_content(item: Item, *, revealed: bool = False) -> Content:
    """What the card asks; a cloze shows its gap, filled in once revealed."""
    if isinstance(item.card, ClozeCard):
        return _cloze(item.card.cloze, item.facet, revealed)
    return literal(item.prompt)


class Field(Horizontal):
    """A labelled value whose lines wrap under the value, not under the label."""

    def __init__(self, label: str, value: Content, *, classes: str = "") -> None:
        super().__init__(classes=f"field {classes}".strip())
        self.label = label
        self.value = value

    def compose(self) -> ComposeResult:
        yield Static(Content(self.label), classes="field-label")
        yield Static(self.value, classes="field-value", markup=False)

    def set_value(self, value: Content) -> None:
        """Show another value (the history, once it is read)."""
        self.value = value  # used by compose if it has not run yet
        for static in self.query(".field-value").results(Static):
            static.update(value)


def answer_field(item: Item) -> Field:
    """The answer, for cards whose answer is not already marked on the card itself."""
    return Field("Answer", literal(item.answer, "bold"), classes="answer")


def notes_of(item: Item) -> dict[str, Content]:
    """The explanation ("Why") and the source ("Source"), those the card has, by label."""
    card = item.card
    notes: dict[str, Content] = {}
    if card.explanation:
        notes["Why"] = literal(card.explanation)
    source = card.source
    if source and (source.paragraph or source.excerpt):
        where = f"¶{source.paragraph} " if source.paragraph else ""
        # As written: a paraphrase reads as one, a quote carries its own quotation marks.
        excerpt = literal(source.excerpt, "italic") if source.excerpt else Content("")
        notes["Source"] = Content.assemble((where, "bold"), excerpt)
    return notes


def note_fields(item: Item) -> list[Field]:
    """The explanation and the source (paragraph and excerpt), if the card has them."""
    return [Field(label, value, classes="notes") for label, value in notes_of(item).items()]


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy buttons, each with the interval it would set."""

    DEFAULT_CSS = """
    RatingBar { height: auto; width: 1fr; }
    RatingBar Button { width: 1fr; min-width: 10; margin: 0 1 0 0; }
    RatingBar Button.-suggested { text-style: bold underline; }
    """
    VARIANTS: ClassVar[dict[Rating, str]] = {
        Rating.AGAIN: "error",
        Rating.HARD: "warning",
        Rating.GOOD: "success",
        Rating.EASY: "primary",
    }

    def compose(self) -> ComposeResult:
        for rating, name in RATING_NAMES.items():
            button = Button(
                name,
                variant=self.VARIANTS[rating],  # type: ignore[arg-type]
                id=f"rate-{int(rating)}",
                action=f"screen.rate({int(rating)})",
                compact=True,
            )
            button.can_focus = False
            yield button

    def show(self, previews: Mapping[Rating, str], suggested: Rating | None = None) -> None:
        """Label each button with its key, name and interval; mark the suggested rating."""
        for rating, name in RATING_NAMES.items():
            button = self.query_one(f"#rate-{int(rating)}", Button)
            mark = "▸ " if rating == suggested else ""
            button.label = Content.assemble(
                (f"{mark}{int(rating)} ", "bold"), name, (f" {previews.get(rating, '')}", "italic")
            )
            button.set_class(rating == suggested, "-suggested")
