"""The deck format: pydantic models of a TOML deck and the reviewable items a card expands into.

A deck file is written by people, so every model forbids unknown keys (a typo is an error, not a
silently ignored field) and the kind of a card is inferred from its keys, keeping cards short.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
)

__all__ = [
    "KINDS",
    "MAX_TEXT",
    "BasicCard",
    "Card",
    "CardSource",
    "ChoiceCard",
    "ClozeCard",
    "ClozeDeletion",
    "DeckFile",
    "DeckMeta",
    "DeckSource",
    "Item",
    "OrderCard",
    "StudySettings",
    "TrueFalseCard",
    "TypedCard",
    "card_key",
    "cloze_deletions",
    "deck_json_schema",
    "expand",
    "item_faces",
]

MAX_TEXT = 10_000
"""Longest text a field may hold: longer is a mistake (or an attack), never a flashcard."""

KINDS = ("basic", "cloze", "typed", "choice", "truefalse", "order")


Text = Annotated[str, StringConstraints(max_length=MAX_TEXT, pattern=r"\S")]
"""A required piece of deck text: present, not blank, not absurdly long."""

OptionalText = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Tagname = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^\S+$")]
Identifier = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][\w.:/-]*$")
]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True
    )


class CardSource(_Strict):
    """Where in the source text a card's fact comes from."""

    paragraph: Annotated[int, Field(ge=1)] | None = None
    """1-based paragraph of the source text the fact is stated in."""
    excerpt: OptionalText | None = None
    """A short pointer to the passage: a paraphrase in our own words, or a short quote in
    quotation marks (shown as written, so a paraphrase never looks like a quote)."""


class DeckSource(_Strict):
    """The text a deck was drawn from, for decks that teach an article or a book."""

    title: OptionalText | None = None
    """Title of the source text."""
    publisher: OptionalText | None = None
    """Who published it."""
    date: Annotated[dt.date, Field(strict=False)] | None = None
    """When it was published (a TOML date: 2022-02-27)."""
    url: OptionalText | None = None
    """Where to read it."""


class StudySettings(_Strict):
    """How a deck is scheduled. A deck sets some; the user's config file overrides them."""

    desired_retention: Annotated[float, Field(ge=0.7, le=0.99)] = 0.9
    """Probability of recall FSRS aims for when a card comes due (higher means more reviews)."""
    learning_steps: list[Annotated[str, StringConstraints(pattern=r"^\d+[smhd]$")]] = ["1m", "10m"]
    """Short steps a new card goes through before its first day-long interval ("1m", "10m")."""
    relearning_steps: list[Annotated[str, StringConstraints(pattern=r"^\d+[smhd]$")]] = ["10m"]
    """Steps a forgotten card goes through before it is back in review."""
    maximum_interval: Annotated[int, Field(ge=1, le=36500)] = 36500
    """Longest interval, in days, a card may be scheduled out."""
    fuzz: bool = True
    """Spread intervals a little so cards learnt together do not stay bunched together."""
    new_per_day: Annotated[int, Field(ge=0, le=100_000)] = 20
    """New cards introduced per learner day."""
    reviews_per_day: Annotated[int, Field(ge=0, le=1_000_000)] = 200
    """Reviews shown per learner day; the rest wait for the next day."""
    new_order: Literal["deck", "shuffled"] = "deck"
    """Introduce new cards in the order of the deck file, or shuffled."""
    leech_threshold: Annotated[int, Field(ge=1, le=1000)] = 8
    """Lapses after which a card is tagged a leech."""
    leech_action: Literal["suspend", "tag"] = "suspend"
    """What happens to a leech: suspend it, or only tag it."""
    bury_siblings: bool = True
    """Hide a card's siblings (reverse, other deletions) until the next day once one is seen."""
    load_balance: bool = True
    """Within the fuzz range, prefer the days with fewer reviews due (Anki's load balancer)."""
    easy_days: Annotated[
        list[Annotated[float, Field(ge=0, le=1)]], Field(min_length=7, max_length=7)
    ] = [1.0] * 7
    """Each weekday's share of reviews, Monday first (0.5: half as many, 0: as few as can be);
    the load balancer moves reviews off the lighter days."""
    parameters: list[float] | None = None
    """Your own 21 FSRS-6 weights (``quiz optimize`` fits them to your reviews); None: FSRS's
    defaults."""

    @field_validator("parameters")
    @classmethod
    def _fsrs_bounds(cls, value: list[float] | None) -> list[float] | None:
        """Within the bounds FSRS accepts (read from ``fsrs`` only when weights are given)."""
        if value is None:
            return value
        from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

        if len(value) != (size := len(LOWER_BOUNDS_PARAMETERS)):
            raise ValueError(f"FSRS-6 takes {size} numbers, not {len(value)}")
        for n, (w, low, high) in enumerate(
            zip(value, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
        ):
            if not low <= w <= high:
                raise ValueError(f"weight {n} is {w}, outside FSRS's bounds {low} to {high}")
        return value


class DeckMeta(_Strict):
    """The ``[deck]`` table: what the deck is."""

    id: Identifier | None = None
    """Stable identity of the deck; progress is keyed by it. Defaults to the file name."""
    title: Text | None = None
    """Name shown in the deck list. Defaults to the id."""
    description: OptionalText = ""
    """One or two sentences on what the deck teaches."""
    tags: list[Tagname] = Field(default_factory=list)
    """Tags applied to every card of the deck."""
    language: Annotated[str, StringConstraints(max_length=35)] = "en"
    """Language of the deck's text (an IETF tag such as "en" or "pt-BR")."""
    source: DeckSource | None = None
    """The text the deck was drawn from, if any."""
    study: StudySettings = StudySettings()
    """Scheduling settings for this deck (see the README for each)."""


class _CardBase(_Strict):
    id: Identifier | None = None
    """Explicit stable identity; progress follows it through any edit of the card's text."""
    tags: list[Tagname] = Field(default_factory=list)
    """Tags for browsing and filtering."""
    explanation: OptionalText | None = None
    """Shown after the card is answered: why the answer is right."""
    source: CardSource | None = None
    """Where in the deck's source text the fact comes from."""


class BasicCard(_CardBase):
    """A question and its answer; self-graded after the answer is revealed."""

    kind: Literal["basic"] = "basic"
    """Card kind; inferred from ``front``/``back``."""
    front: Text
    """The question side."""
    back: Text
    """The answer side."""
    reverse: bool = False
    """Also ask back-to-front, as a second card."""


_CLOZE_GROUP = re.compile(r"c(\d+)::")


@dataclass(frozen=True, slots=True)
class ClozeDeletion:
    """One ``{{answer::hint}}`` of a cloze text."""

    group: str
    answer: str
    hint: str | None
    start: int
    end: int


def cloze_deletions(text: str) -> list[ClozeDeletion]:
    """The deletions of a cloze text; ``{{c2::...}}`` groups deletions into one card as in Anki."""
    # Scanned with str.find, not one lazy regex: that backtracks cubically on text such as
    # "{{c1::{{c1::..." (minutes for one 10,000-character field of a shared deck).
    found: list[ClozeDeletion] = []
    start = text.find("{{")
    while start != -1:
        close = text.find("}}", start + 2)
        if close == -1:
            break
        body = text[start + 2 : close]
        numbered = _CLOZE_GROUP.match(body)
        group = f"c{numbered.group(1)}" if numbered else f"c{len(found) + 1}"
        answer, colons, hint = body[numbered.end() if numbered else 0 :].partition("::")
        found.append(ClozeDeletion(group, answer, hint if colons else None, start, close + 2))
        start = text.find("{{", close + 2)
    return found


class ClozeCard(_CardBase):
    """A sentence with gaps: ``{{answer}}`` or ``{{answer::hint}}``; one card per gap."""

    kind: Literal["cloze"] = "cloze"
    """Card kind; inferred from ``cloze``."""
    cloze: Text
    """The text with its deletions marked ``{{...}}``."""

    @field_validator("cloze")
    @classmethod
    def _deletions_well_formed(cls, value: str) -> str:
        for d in cloze_deletions(value):
            if not d.answer.strip():
                raise ValueError("a deletion {{...}} is empty")
            if "{{" in d.answer:
                raise ValueError("deletions {{...}} must not nest")
        return value


class TypedCard(_CardBase):
    """A prompt whose answer the learner types; graded leniently."""

    kind: Literal["typed"] = "typed"
    """Card kind; inferred from ``prompt`` with ``answer``."""
    prompt: Text
    """The question."""
    answer: Text
    """The expected answer, as shown after answering."""
    accept: list[Text] = Field(default_factory=list)
    """Other answers that count as right."""


class ChoiceCard(_CardBase):
    """Multiple choice: the answers and distractors are shuffled each time it is shown."""

    kind: Literal["choice"] = "choice"
    """Card kind; inferred from ``question``/``distractors``."""
    question: Text
    """The question."""
    answer: Text | Annotated[list[Text], Field(min_length=1)]
    """The right option, or a list of all right options."""
    distractors: Annotated[list[Text], Field(min_length=1)]
    """Wrong options shown beside the answer."""

    @property
    def answers(self) -> list[str]:
        """The right options as a list, whether one or several were given."""
        return [self.answer] if isinstance(self.answer, str) else list(self.answer)


class TrueFalseCard(_CardBase):
    """A statement to judge true or false."""

    kind: Literal["truefalse"] = "truefalse"
    """Card kind; inferred from ``statement``."""
    statement: Text
    """The statement."""
    true: bool
    """Whether the statement is true."""


class OrderCard(_CardBase):
    """Items to put in order (events by date, steps of a process)."""

    kind: Literal["order"] = "order"
    """Card kind; inferred from ``items``."""
    prompt: Text
    """What to order and by what."""
    items: Annotated[list[Text], Field(min_length=2, max_length=50)]
    """The items, in the correct order; shuffled when shown."""

    @field_validator("items")
    @classmethod
    def _items_distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("items must be distinct, or their order is ambiguous")
        return value


def _infer_kind(value: Any) -> str | None:
    """Pick the card model from the keys a card has, so authors need not write ``kind``."""
    if isinstance(value, BaseModel):
        return getattr(value, "kind", None)
    if not isinstance(value, dict):
        return None
    if "kind" in value:
        kind = value["kind"]
        return kind if kind in KINDS else None
    if "cloze" in value:
        return "cloze"
    if "statement" in value or "true" in value:
        return "truefalse"
    if "items" in value:
        return "order"
    if "question" in value or "distractors" in value:
        return "choice"
    if "front" in value or "back" in value or "reverse" in value:
        return "basic"
    if "prompt" in value or "answer" in value or "accept" in value:
        return "typed"
    return None


Card = Annotated[
    Annotated[BasicCard, Tag("basic")]
    | Annotated[ClozeCard, Tag("cloze")]
    | Annotated[TypedCard, Tag("typed")]
    | Annotated[ChoiceCard, Tag("choice")]
    | Annotated[TrueFalseCard, Tag("truefalse")]
    | Annotated[OrderCard, Tag("order")],
    Discriminator(
        _infer_kind,
        custom_error_type="card_kind",
        custom_error_message=(
            "cannot tell the card's kind: give front/back, cloze, prompt/answer,"
            " question/answer/distractors, statement/true or prompt/items"
            f" (or kind = one of {', '.join(KINDS)})"
        ),
    ),
]
"""Any card of a deck."""


class DeckFile(_Strict):
    """A whole deck file: the ``[deck]`` table and its ``[[cards]]``."""

    deck: DeckMeta = DeckMeta()
    """What the deck is."""
    cards: Annotated[list[Card], Field(max_length=1_000_000, default_factory=list)]
    """The cards, in the order new ones are introduced."""


def prompt_text(card: Card) -> str:
    """The text that identifies a card: what it asks, not what it answers."""
    match card:
        case BasicCard():
            return card.front
        case ClozeCard():
            return card.cloze
        case TypedCard() | OrderCard():
            return card.prompt
        case ChoiceCard():
            return card.question
        case TrueFalseCard():
            return card.statement
    raise AssertionError(card)


def _digest(*parts: str, size: int = 12) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=size // 2 * 2).hexdigest()[
        :size
    ]


def card_key(card: Card) -> str:
    """The card's stable key: its ``id``, else a hash of its kind and the text it asks."""
    if card.id is not None:
        return card.id
    return f"{card.kind}-{_digest(card.kind, prompt_text(card))}"


def content_hash(card: Card) -> str:
    """A hash of everything on the card, logged with each review so later edits can be told."""
    data = json.dumps(card.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return _digest(data, size=16)


@dataclass(frozen=True, slots=True)
class Item:
    """One reviewable face of a card: the card itself, its reverse, or one cloze deletion.

    Progress is kept per item; items of the same card are siblings (``card_key``).
    """

    deck_id: str
    key: str
    card_key: str
    facet: str
    index: int
    card: Card
    line: int = 0
    tags: tuple[str, ...] = field(default=())

    @property
    def content_hash(self) -> str:
        """Hash of the card's whole content, computed only when a review is logged."""
        return content_hash(self.card)

    @property
    def kind(self) -> str:
        """The card kind this item is reviewed as."""
        return self.card.kind

    @property
    def prompt(self) -> str:
        """What the learner is asked, as plain text (never markup)."""
        card = self.card
        if isinstance(card, BasicCard):
            return card.back if self.facet == "reverse" else card.front
        if isinstance(card, ClozeCard):
            return cloze_prompt(card.cloze, self.facet)
        return prompt_text(card)

    @property
    def answer(self) -> str:
        """The right answer, as plain text for display."""
        card = self.card
        match card:
            case BasicCard():
                return card.front if self.facet == "reverse" else card.back
            case ClozeCard():
                return ", ".join(
                    d.answer for d in cloze_deletions(card.cloze) if d.group == self.facet
                )
            case TypedCard():
                return card.answer
            case ChoiceCard():
                return "; ".join(card.answers)
            case TrueFalseCard():
                return "true" if card.true else "false"
            case OrderCard():
                return " → ".join(card.items)
        raise AssertionError(card)

    @property
    def accepted(self) -> list[str]:
        """Answers a typed response may match: the answer and its alternatives."""
        card = self.card
        if isinstance(card, TypedCard):
            return [card.answer, *card.accept]
        return [self.answer]


def cloze_prompt(text: str, group: str) -> str:
    """The cloze text with one group's deletions hidden and every other deletion filled in."""
    out: list[str] = []
    pos = 0
    for d in cloze_deletions(text):
        out.append(text[pos : d.start])
        out.append(f"[{d.hint or '...'}]" if d.group == group else d.answer)
        pos = d.end
    out.append(text[pos:])
    return "".join(out)


def cloze_answered(text: str) -> str:
    """The cloze text with every deletion filled in."""
    return cloze_prompt(text, group="\0")


def item_faces(cards: Sequence[Card]) -> list[tuple[str, str, str, int]]:
    """Each card's reviewable faces as (item key, card key, facet, card index), keys unique.

    Two cards asking the same thing without ids would share a key; each of such twins gets
    a suffix from its content instead, so that reordering them moves no history from one to
    the other (and a third identical one a ``~n``). Apart from ``expand`` so the parse
    cache can keep the keys and a deck's items can be counted without building them.
    """
    faces: list[tuple[str, str, str, int]] = []
    used: set[str] = set()
    bases = [card_key(card) for card in cards]
    twins = {k for k, n in Counter(bases).items() if n > 1}
    for index, card in enumerate(cards):
        base = bases[index]
        if base in twins and card.id is None:
            base = f"{base}~{content_hash(card)[:8]}"
        key = base
        n = 2
        while key in used:
            key = f"{base}~{n}"
            n += 1
        used.add(key)
        if isinstance(card, ClozeCard):
            for facet in dict.fromkeys(d.group for d in cloze_deletions(card.cloze)):
                faces.append((f"{key}/{facet}", key, facet, index))
        else:
            faces.append((key, key, "", index))
            if isinstance(card, BasicCard) and card.reverse:
                faces.append((f"{key}/reverse", key, "reverse", index))
    return faces


def expand(
    deck_id: str,
    cards: Sequence[Card],
    lines: Sequence[int] | None = None,
    deck_tags: tuple[str, ...] = (),
    faces: Sequence[tuple[str, str, str, int]] | None = None,
) -> list[Item]:
    """Turn a deck's cards into reviewable items (``faces``: ``item_faces(cards)``, if known)."""
    deck_tags = tuple(dict.fromkeys(deck_tags))
    items: list[Item] = []
    for key, card_key_, facet, index in item_faces(cards) if faces is None else faces:
        card = cards[index]
        line = lines[index] if lines and index < len(lines) else 0
        tags = tuple(dict.fromkeys((*deck_tags, *card.tags))) if card.tags else deck_tags
        items.append(Item(deck_id, key, card_key_, facet, index, card, line, tags))
    return items


def deck_json_schema() -> dict[str, Any]:
    """The JSON Schema of a deck file, for editors with a TOML language server."""
    schema = DeckFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "quiz deck"
    return schema
