"""Reviewing a draft before it is studied: each card beside the sentence it came from.

A reviewer keeps, drops, edits or changes the kind of each drafted card; the cards not dropped
become the deck. The TUI's review screen and the plain line-by-line review are thin layers
over ``DraftReview``, which never touches the screen or the disk.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from quiz.errors import DeckError, Problem, QuizError
from quiz.generate.draft import Draft
from quiz.model import (
    BasicCard,
    Card,
    ChoiceCard,
    ClozeCard,
    DeckFile,
    TypedCard,
    cloze_deletions,
    cloze_prompt,
)

__all__ = ["DraftReview", "Drafted", "convert"]

_SAID_TWICE = re.compile(r"^card 1(?: \(id '[^']*'\))?: ")
"""The parser's own "card 1 (id 'x'): ", which an edit of one card does not need."""

KINDS = ("basic", "typed", "choice")
"""Kinds a drafted card can be changed into (true/false and order cards stay as they are)."""


@dataclass
class Drafted:
    """One drafted card under review."""

    card: Card
    sentence: str
    """The whole sentence of the text the card was drafted from."""
    kept: bool | None = None
    """True kept, False dropped, None not reviewed yet (written unless dropped)."""
    distractors: list[str] = field(default_factory=list)
    """The options of a choice card, remembered so that typed → choice can bring them back."""
    unsaved: str | None = None
    """The text of an edit that did not parse: the next edit starts from it, not from scratch."""

    @property
    def status(self) -> str:
        return {True: "kept", False: "dropped", None: "not reviewed"}[self.kept]


def _ask_answer(card: Card) -> tuple[str, str] | None:
    """A card's question and single answer, when it has exactly one of each."""
    match card:
        case BasicCard():
            return card.front, card.back
        case TypedCard():
            return card.prompt, card.answer
        case ChoiceCard() if len(card.answers) == 1:
            return card.question, card.answers[0]
        case ClozeCard():
            groups = {d.group for d in cloze_deletions(card.cloze)}
            if len(groups) != 1:
                return None
            (group,) = groups
            answers = {d.answer for d in cloze_deletions(card.cloze)}
            if len(answers) != 1:
                return None
            return cloze_prompt(card.cloze, group), answers.pop()
    return None


def convert(card: Card, kind: str, distractors: Sequence[str] = ()) -> Card | None:
    """``card`` as a card of ``kind`` asking the same thing, or None when it cannot be one
    (several answers, or a choice without distractors)."""
    pair = _ask_answer(card)
    if pair is None or kind == card.kind:
        return None
    ask, answer = pair
    common: dict[str, Any] = card.model_dump(include={"id", "tags", "explanation", "source"})
    if kind == "basic":
        return BasicCard(**common, front=ask, back=answer)
    if kind == "typed":
        return TypedCard(**common, prompt=ask, answer=answer)
    if kind == "choice" and distractors:
        return ChoiceCard(**common, question=ask, answer=answer, distractors=list(distractors))
    return None


class DraftReview:
    """A draft under review; ``deck()`` is what the reviewer's choices make of it."""

    def __init__(self, draft: Draft) -> None:
        self.meta = draft.deck.deck
        sentences = list(draft.sentences) + [""] * (len(draft.deck.cards) - len(draft.sentences))
        self.items = [
            Drafted(card, sentence, distractors=_options(card))
            for card, sentence in zip(draft.deck.cards, sentences, strict=False)
        ]

    def __len__(self) -> int:
        return len(self.items)

    def keep(self, index: int) -> None:
        self.items[index].kept = True

    def drop(self, index: int) -> None:
        self.items[index].kept = False

    def kinds(self, index: int) -> list[str]:
        """The kinds this card can be changed into, besides its own."""
        item = self.items[index]
        return [k for k in KINDS if convert(item.card, k, item.distractors) is not None]

    def change_kind(self, index: int) -> str | None:
        """Turn the card into the next kind it can be (basic → typed → choice → …); the new
        kind, or None when it can be no other."""
        item = self.items[index]
        order = [*KINDS, *KINDS]
        start = order.index(item.card.kind) + 1 if item.card.kind in KINDS else 0
        for kind in order[start : start + len(KINDS)]:
            if (new := convert(item.card, kind, item.distractors)) is not None:
                item.card = new
                return kind
        return None

    def card_text(self, index: int) -> str:
        """The card as TOML, as it will be written (what an edit starts from)."""
        from quiz.decks import card_to_toml

        return card_to_toml(self.items[index].card)

    def edit_text(self, index: int) -> str:
        """What an edit of the card starts from: its TOML, or the last edit that failed."""
        return self.items[index].unsaved or self.card_text(index)

    def edit(self, index: int, text: str) -> None:
        """Replace the card by the TOML ``text`` (one ``[[cards]]`` table); a card that does not
        parse raises ``DeckError`` with ``card N:line: what is wrong``, and the card stays as it
        was (the text is kept for the next try)."""
        from quiz.decks import parse_deck

        where = Path(f"card {index + 1}")
        item = self.items[index]
        try:
            cards = parse_deck(text, where).cards
        except DeckError as exc:  # "card 3:2: card 1: ..." says the card twice
            item.unsaved = text
            raise DeckError(
                [replace(p, message=_SAID_TWICE.sub("", p.message, count=1)) for p in exc.problems]
            ) from None
        if len(cards) != 1:
            item.unsaved = text
            raise DeckError([Problem(where, 1, f"expected one card, found {len(cards)}")])
        item.unsaved = None
        item.card = cards[0]
        item.distractors = _options(cards[0]) or item.distractors
        item.kept = True

    def edit_in(self, index: int, editor: Callable[[Path, int], None]) -> None:
        """Edit the card in the user's editor (a temporary file opened on its first field);
        raises ``DeckError`` when the result does not parse, ``QuizError`` when the editor
        cannot run, and the card stays as it was."""
        with tempfile.TemporaryDirectory(prefix="quiz-review-") as folder:
            path = Path(folder) / f"card-{index + 1}.toml"
            path.write_text(self.edit_text(index), encoding="utf-8")
            editor(path, 2)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise QuizError(f"cannot read the edited card back: {exc}") from None
        self.edit(index, text)

    def counts(self) -> tuple[int, int, int]:
        """Kept, dropped and not yet reviewed."""
        kept = sum(i.kept is True for i in self.items)
        dropped = sum(i.kept is False for i in self.items)
        return kept, dropped, len(self.items) - kept - dropped

    def summary(self) -> str:
        kept, dropped, waiting = self.counts()
        return f"{kept} kept, {dropped} dropped, {waiting} not reviewed (written unless dropped)"

    def deck(self) -> DeckFile:
        """The deck of every card not dropped."""
        return DeckFile(deck=self.meta, cards=[i.card for i in self.items if i.kept is not False])


def _options(card: Card) -> list[str]:
    return list(card.distractors) if isinstance(card, ChoiceCard) else []
