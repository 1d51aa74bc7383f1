"""Card search for the browser: a precomputed lowercase index and a small query language.

A query is words that must all appear in a card's text (prompt, answer, tags, deck title),
plus filters: ``tag:NAME``, ``deck:ID-OR-TITLE``, ``is:`` one of ``STATES``; ``-word`` or
``-is:new`` negates a term and "quoted words" match as one. The
index is built once per library; a search is a single pass over plain strings, quick enough
for 100,000 cards, and only the first ``limit`` matches are materialised for display.

UI-free, so the browser, a future CLI search and the tests share it.
"""

from __future__ import annotations

import shlex
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from fsrs import State

from quiz.card_state import CardState, Ref
from quiz.decks import LoadedDeck
from quiz.model import Item

__all__ = [
    "STATES",
    "CardIndex",
    "Entry",
    "SearchResult",
    "fold",
    "parse_query",
    "state_name",
    "states_of",
    "unknown_terms",
]

STATES = ("due", "new", "learning", "review", "suspended", "buried", "leech")
"""The ``is:`` filters."""
FIELDS = ("tag", "deck", "is")
"""The ``field:value`` filters; any other ``word:`` is an unknown term."""

Predicate = Callable[["Entry", CardState | None, datetime], bool]


@dataclass(frozen=True, slots=True)
class Entry:
    """One searchable item with its lowercase text."""

    item: Item
    deck: LoadedDeck
    haystack: str

    @property
    def ref(self) -> Ref:
        """The ``(deck_id, item key)`` its progress is stored under."""
        return (self.item.deck_id, self.item.key)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The first matches of a query and how many there are in all."""

    entries: list[Entry]
    total: int


def fold(text: str) -> str:
    """Text as search compares it: case and accents set aside (``Perú`` finds ``peru`` and
    ``peru`` finds ``Perú``), as a learner typing without their keyboard's accents expects."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def state_name(state: CardState | None, now: datetime) -> str:
    """A card's state in one word, as the browser's table shows it."""
    return "new" if state is None else state.word(now)


def _is(name: str) -> Predicate:
    def check(entry: Entry, state: CardState | None, now: datetime) -> bool:
        if name == "new":
            return state is None or state.is_new
        if state is None:
            return False
        match name:
            case "suspended":
                return state.suspended
            case "buried":
                return state.buried_until is not None and state.buried_until > now
            case "leech":
                return "leech" in state.tags
            case "learning":
                return not state.is_new and state.state != State.Review
            case "review":
                return not state.is_new and state.state == State.Review
        return not state.suspended and state.due is not None and state.due <= now

    return check


def _tag(name: str) -> Predicate:
    return lambda entry, state, now: (
        any(fold(t) == name for t in entry.item.tags) or (state is not None and name in state.tags)
    )


def _deck(name: str) -> Predicate:
    return lambda entry, state, now: name == fold(entry.deck.id) or name in fold(entry.deck.title)


@dataclass(frozen=True, slots=True)
class _Word:
    """A plain word: ``CardIndex.search`` tests it over all the index's text in one
    comprehension (C-speed ``in``) before anything that needs a card's state."""

    word: str

    def __call__(self, entry: Entry, state: CardState | None, now: datetime) -> bool:
        return self.word in entry.haystack


def _split(query: str) -> list[str]:
    try:
        return shlex.split(query)
    except ValueError:  # an unclosed quote while typing
        return query.replace('"', " ").replace("'", " ").split()


def unknown_terms(query: str) -> list[str]:
    """The terms of a query that filter by something search does not know (``foo:bar``,
    ``is:odd``): said to the learner, who would otherwise see no match and not know why."""
    unknown = []
    for raw in _split(query):
        token = raw[1:] if raw.startswith("-") else raw
        field, colon, value = token.partition(":")
        if not colon or not value or not field.isalpha():
            continue
        known = field.casefold() in FIELDS
        if not known or (field.casefold() == "is" and value.casefold() not in STATES):
            unknown.append(raw)
    return unknown


def parse_query(query: str) -> list[tuple[bool, Predicate]]:
    """The terms of a query as (wanted, predicate); an unknown ``is:`` value matches nothing."""
    terms: list[tuple[bool, Predicate]] = []
    for raw in _split(fold(query)):
        wanted = not (raw.startswith("-") and len(raw) > 1)
        token = raw if wanted else raw[1:]
        field, _, value = token.partition(":")
        if value and field == "tag":
            terms.append((wanted, _tag(value)))
        elif value and field == "deck":
            terms.append((wanted, _deck(value)))
        elif value and field == "is":
            terms.append((wanted, _is(value) if value in STATES else lambda e, s, n: False))
        else:
            terms.append((wanted, _Word(token)))
    return terms


def _haystack(item: Item, deck: LoadedDeck) -> str:
    return fold("\n".join((item.prompt, item.answer, " ".join(item.tags), deck.title)))


class CardIndex:
    """Every item of a library with its search text, in deck order."""

    def __init__(self, decks: Iterable[LoadedDeck]) -> None:
        self.entries = [
            Entry(item, deck, _haystack(item, deck)) for deck in decks for item in deck.items
        ]
        self._texts = [entry.haystack for entry in self.entries]

    def search(
        self,
        query: str,
        states: Mapping[Ref, CardState],
        now: datetime,
        *,
        limit: int = 200,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> SearchResult:
        """The first ``limit`` entries matching ``query``, and the number of all matches."""
        terms = parse_query(query)
        texts = self._texts
        picked: list[int] | None = None  # None: every entry
        rest: list[tuple[bool, Predicate]] = []
        for wanted, pred in terms:
            if not isinstance(pred, _Word):
                rest.append((wanted, pred))
            elif picked is None:
                picked = [n for n, text in enumerate(texts) if (pred.word in text) == wanted]
            else:
                picked = [n for n in picked if (pred.word in texts[n]) == wanted]
            if cancelled():
                return SearchResult([], 0)
        if picked is None:
            picked = list(range(len(texts)))
        if not rest:
            return SearchResult([self.entries[n] for n in picked[:limit]], len(picked))
        found: list[Entry] = []
        total = 0
        for count, n in enumerate(picked):
            if count % 4096 == 0 and cancelled():
                break
            entry = self.entries[n]
            state = states.get(entry.ref)
            if all(pred(entry, state, now) == wanted for wanted, pred in rest):
                total += 1
                if total <= limit:
                    found.append(entry)
        return SearchResult(found, total)


def states_of(
    decks: Sequence[LoadedDeck], read: Callable[[str], Mapping[str, CardState]]
) -> dict[Ref, CardState]:
    """Every stored state of these decks, keyed by ref (one read per deck)."""
    return {(d.id, key): state for d in decks for key, state in read(d.id).items()}
