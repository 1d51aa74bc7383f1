"""Card search for the browser: a precomputed lowercase index and a small query language.

A query is words that must all appear in a card's text (prompt, answer, tags, deck title),
plus filters: ``tag:NAME``, ``deck:ID-OR-TITLE``, ``is:`` one of ``STATES``, ``kind:`` one of
the card kinds, ``rated:N`` (answered in the last N learner days, today being 1) and
``prop:`` comparisons of a card's numbers (``prop:ivl>=10``, ``prop:due<=3``, ``prop:lapses>2``,
see ``PROPS``), as Anki's search has them; ``-word`` or ``-is:new`` negates a term and
"quoted words" match as one. The
index is built once per library; a search is a single pass over plain strings, quick enough
for 100,000 cards, and only the first ``limit`` matches are materialised for display.

UI-free, so the browser, a future CLI search and the tests share it.
"""

from __future__ import annotations

import operator
import re
import shlex
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fsrs import State

from quiz.card_state import CardState, Ref
from quiz.decks import LoadedDeck
from quiz.model import KINDS, Item
from quiz.scheduling import Calendar

__all__ = [
    "ORDERS",
    "PROPS",
    "STATES",
    "CardIndex",
    "Entry",
    "SearchResult",
    "fold",
    "parse_query",
    "sort_key",
    "state_name",
    "states_of",
    "unknown_terms",
]

STATES = ("due", "new", "learning", "review", "suspended", "buried", "leech")
"""The ``is:`` filters."""
FIELDS = ("tag", "deck", "is", "kind", "rated", "prop")
"""The ``field:value`` filters; any other ``word:`` is an unknown term."""
PROPS = ("due", "ivl", "lapses", "reps", "stability", "difficulty")
"""What ``prop:`` compares: due (learner days from today, negative when overdue), ivl (days
between the last answer and the due day), lapses, reps, stability (days), difficulty (1-10)."""
_PROP = re.compile(r"([a-z]+)(<=|>=|!=|<|>|=)(-?\d+(?:\.\d+)?)")
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "!=": operator.ne,
}

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


def _kind(name: str) -> Predicate:
    return lambda entry, state, now: entry.item.kind == name


def _rated(days: int, calendar: Calendar) -> Predicate:
    def check(entry: Entry, state: CardState | None, now: datetime) -> bool:
        if state is None or state.last_review is None:
            return False
        return (calendar.day(now) - calendar.day(state.last_review)).days < days

    return check


def _prop_value(
    name: str, state: CardState | None, now: datetime, calendar: Calendar
) -> float | None:
    """A card's number for ``prop:``, or None when it has none (a new card has no due day)."""
    if name in ("lapses", "reps"):
        return 0 if state is None else getattr(state, name)
    if state is None or state.is_new:
        return None
    if name == "due":
        return None if state.due is None else (calendar.day(state.due) - calendar.day(now)).days
    if name == "ivl":
        if state.due is None or state.last_review is None:
            return None
        return (calendar.day(state.due) - calendar.day(state.last_review)).days
    value: float | None = getattr(state, name)
    return value


def _prop(term: str, calendar: Calendar) -> Predicate | None:
    """``prop:ivl>=10`` and the like; None for a comparison search does not know."""
    match = _PROP.fullmatch(term)
    if match is None or match[1] not in PROPS:
        return None
    name, compare, bound = match[1], _OPERATORS[match[2]], float(match[3])

    def check(entry: Entry, state: CardState | None, now: datetime) -> bool:
        value = _prop_value(name, state, now, calendar)
        return value is not None and compare(value, bound)

    return check


def _known(field: str, value: str) -> bool:
    """Whether a ``field:value`` filter means something (else it is reported, and matches
    nothing)."""
    match field:
        case "is":
            return value in STATES
        case "kind":
            return value in KINDS
        case "rated":
            return value.isdigit() and int(value) >= 1
        case "prop":
            return _prop(value, Calendar()) is not None
    return field in FIELDS


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
        if not _known(field.casefold(), fold(value)):
            unknown.append(raw)
    return unknown


def _nothing(entry: Entry, state: CardState | None, now: datetime) -> bool:
    return False


def parse_query(query: str, calendar: Calendar | None = None) -> list[tuple[bool, Predicate]]:
    """The terms of a query as (wanted, predicate); a filter with a value search does not
    know (``is:odd``, ``prop:ivl>x``) matches nothing. ``calendar`` says where the learner's
    days start, for ``rated:`` and ``prop:due``/``ivl`` (UTC midnight-4h by default)."""
    calendar = calendar or Calendar()
    terms: list[tuple[bool, Predicate]] = []
    for raw in _split(fold(query)):
        wanted = not (raw.startswith("-") and len(raw) > 1)
        token = raw if wanted else raw[1:]
        field, _, value = token.partition(":")
        if not value or field not in FIELDS:
            terms.append((wanted, _Word(token)))
        elif not _known(field, value):
            terms.append((wanted, _nothing))
        elif field == "tag":
            terms.append((wanted, _tag(value)))
        elif field == "deck":
            terms.append((wanted, _deck(value)))
        elif field == "is":
            terms.append((wanted, _is(value)))
        elif field == "kind":
            terms.append((wanted, _kind(value)))
        elif field == "rated":
            terms.append((wanted, _rated(int(value), calendar)))
        else:
            terms.append((wanted, _prop(value, calendar) or _nothing))
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
        calendar: Calendar | None = None,
        order: str | None = None,
        descending: bool = False,
    ) -> SearchResult:
        """The first ``limit`` entries matching ``query``, and the number of all matches.

        In deck order, or sorted by one of ``ORDERS`` (every match is then sorted, so the
        first page is the first of all of them)."""
        terms = parse_query(query, calendar)
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
        keep = limit if order is None else len(picked)
        if not rest:
            found = [self.entries[n] for n in picked[:keep]]
            total = len(picked)
        else:
            found = []
            total = 0
            for count, n in enumerate(picked):
                if count % 4096 == 0 and cancelled():
                    break
                entry = self.entries[n]
                state = states.get(entry.ref)
                if all(pred(entry, state, now) == wanted for wanted, pred in rest):
                    total += 1
                    if total <= keep:
                        found.append(entry)
        if order is not None:
            found.sort(key=sort_key(order, states, now), reverse=descending)
        return SearchResult(found[:limit], total)


ORDERS = ("deck", "card", "state", "due")
"""What the browser sorts by (the table's columns); without one, cards keep deck order."""
_STATE_ORDER = {
    name: n
    for n, name in enumerate(
        ("due", "learning", "relearning", "review", "new", "buried", "suspended")
    )
}


def sort_key(order: str, states: Mapping[Ref, CardState], now: datetime) -> Callable[[Entry], Any]:
    """How ``order`` sorts entries; ties keep deck order (the sort is stable). A card with no
    due date (a new one) sorts after every dated card."""
    if order == "deck":
        return lambda e: fold(e.deck.id)
    if order == "card":
        return lambda e: fold(e.item.prompt)
    if order == "state":
        return lambda e: _STATE_ORDER.get(state_name(states.get(e.ref), now), len(_STATE_ORDER))
    if order == "due":

        def due(entry: Entry) -> tuple[bool, float]:
            state = states.get(entry.ref)
            if state is None or state.is_new or state.due is None:
                return (True, 0.0)
            return (False, state.due.timestamp())

        return due
    raise ValueError(f"cannot sort by {order!r} (one of {', '.join(ORDERS)})")


def states_of(
    decks: Sequence[LoadedDeck], read: Callable[[str], Mapping[str, CardState]]
) -> dict[Ref, CardState]:
    """Every stored state of these decks, keyed by ref (one read per deck)."""
    return {(d.id, key): state for d in decks for key, state in read(d.id).items()}
