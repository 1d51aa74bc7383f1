"""Card search: plain words are matched over the whole index at once; the result must be the
same as testing every term on every card, in deck order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.decks import parse_deck
from quiz.search import CardIndex, fold, parse_query
from quiz.storage import CardState

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
DECK = """[deck]
id = "{id}"
title = "{title}"
tags = ["shared"]

[[cards]]
front = "Capital of France?"
back = "Paris"
reverse = true
tags = ["geo"]

[[cards]]
cloze = "{{{{Water}}}} boils at {{{{100}}}} degrees"

[[cards]]
prompt = "Largest ocean"
answer = "Pacific"
tags = ["geo", "sea"]

[[cards]]
statement = "Paris is in Spain"
true = false
"""


@pytest.fixture
def index() -> CardIndex:
    decks = [
        parse_deck(DECK.format(id=deck_id, title=title), Path(f"{deck_id}.toml"))
        for deck_id, title in (("alpha", "First deck"), ("beta", "Second deck"))
    ]
    return CardIndex(decks)


def states_for(index: CardIndex) -> dict[tuple[str, str], CardState]:
    """Some cards studied (one due, one suspended), the rest new."""
    entries = index.entries
    due = CardState(*entries[0].ref, reps=3, due=NOW.replace(hour=1), last_review=NOW)
    held = CardState(*entries[3].ref, reps=1, suspended=True, due=NOW, last_review=NOW)
    return {due.ref: due, held.ref: held}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "paris",
        "PARIS france",
        "-paris",
        "paris -spain",
        "tag:geo",
        "tag:geo -pacific",
        "deck:beta water",
        "is:due",
        "is:new paris",
        "-is:new",
        "is:suspended",
        '"capital of"',
        "nothing-matches",
        "second",
    ],
)
@pytest.mark.parametrize("limit", [1, 3, 200])
def test_search_equals_every_term_on_every_card(index: CardIndex, query: str, limit: int) -> None:
    states = states_for(index)
    terms = parse_query(query)
    expected = [
        e
        for e in index.entries
        if all(pred(e, states.get(e.ref), NOW) == wanted for wanted, pred in terms)
    ]
    result = index.search(query, states, NOW, limit=limit)
    assert result.total == len(expected)
    assert result.entries == expected[:limit]


def test_cancelled_search_stops(index: CardIndex) -> None:
    assert index.search("paris", {}, NOW, cancelled=lambda: True).entries == []


def test_is_filters_for_every_state(index: CardIndex) -> None:
    from datetime import timedelta

    import fsrs

    entries = index.entries
    learning = CardState(*entries[1].ref, reps=1, state=fsrs.State.Learning, due=NOW)
    review = CardState(*entries[2].ref, reps=4, state=fsrs.State.Review, due=NOW)
    buried = CardState(
        *entries[4].ref, reps=2, state=fsrs.State.Review, due=NOW, buried_until=NOW + timedelta(1)
    )
    states = {s.ref: s for s in (learning, review, buried)}

    def found(query: str) -> list[tuple[str, str]]:
        return [e.ref for e in index.search(query, states, NOW).entries]

    assert found("is:learning") == [learning.ref]
    assert found("is:review") == [review.ref, buried.ref]
    assert found("is:buried") == [buried.ref]
    assert found("is:review -is:buried") == [review.ref]


@pytest.mark.parametrize(
    ("query", "unknown"),
    [
        ("tag:geo is:due deck:x -is:new paris", []),
        ("colour:red is:odd -flag:1", ["colour:red", "is:odd", "-flag:1"]),
        ("10:30 a:", []),  # not a field: a time, a trailing colon
        ('"is:odd"', ["is:odd"]),
    ],
)
def test_unknown_search_terms_are_named(query: str, unknown: list[str]) -> None:
    from quiz.search import unknown_terms

    assert unknown_terms(query) == unknown


@pytest.mark.parametrize("query", ["peru", "PERÚ", "perú", "CAFE", "café", "tag:espanol"])
def test_search_sets_case_and_accents_aside(query: str) -> None:
    deck = parse_deck(
        '[deck]\nid = "es"\n[[cards]]\nfront = "Capital de Perú"\nback = "Lima"\n'
        'tags = ["español"]\n[[cards]]\nfront = "Un café"\nback = "coffee"\ntags = ["español"]\n'
        '[[cards]]\nfront = "other"\nback = "x"\n',
        Path("es.toml"),
    )
    found = CardIndex([deck]).search(query, {}, NOW).entries
    expected = {"peru": 1, "cafe": 1, "tag:espanol": 2}[fold(query)]
    assert len(found) == expected


def test_fold_is_plain_lowercase_for_ascii_and_drops_only_accents() -> None:
    assert fold("Straße Ångström ÉCOLE") == "strasse angstrom ecole"
    assert fold("Hello") == "hello"
    assert fold("日本") == "日本"
