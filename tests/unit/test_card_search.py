"""Card search: plain words are matched over the whole index at once; the result must be the
same as testing every term on every card, in deck order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
        "kind:cloze",
        "-kind:basic paris",
        "rated:1",
        "prop:lapses=0 -is:new",
        "prop:due<=0",
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
        ("kind:cloze rated:7 prop:ivl>=10 prop:due=-1 prop:stability<2.5", []),
        (
            "kind:poem rated:0 rated:x prop:ivl>x prop:colour>3 prop:ivl",
            ["kind:poem", "rated:0", "rated:x", "prop:ivl>x", "prop:colour>3", "prop:ivl"],
        ),
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


def test_kind_rated_and_prop_filters_count_the_learners_days(index: CardIndex) -> None:
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    import fsrs

    from quiz.scheduling import Calendar

    # The learner is in Tokyo, their day starting at 4:00; NOW is 21:00 there on 1 June.
    calendar = Calendar(ZoneInfo("Asia/Tokyo"), 4)
    entries = index.entries  # per deck: basic, its reverse, cloze c1 and c2, typed, truefalse
    day = timedelta(days=1)
    # Answered five days ago for an eight-day interval, lapsed twice.
    steady = CardState(
        *entries[4].ref,
        reps=6,
        lapses=2,
        state=fsrs.State.Review,
        stability=8.0,
        difficulty=6.5,
        last_review=NOW - 5 * day,
        due=NOW + 3 * day,
    )
    # Answered at 11:00 in Tokyo (today there; yesterday for a UTC day starting at 4:00),
    # due two days ago: overdue by two.
    today = CardState(
        *entries[5].ref,
        reps=1,
        state=fsrs.State.Review,
        last_review=NOW - timedelta(hours=10),
        due=NOW - 2 * day,
        stability=1.0,
    )
    states = {s.ref: s for s in (steady, today)}

    def found(query: str) -> list[tuple[str, str]]:
        return [e.ref for e in index.search(query, states, NOW, calendar=calendar).entries]

    assert found("kind:typed") == [entries[4].ref, entries[10].ref]
    assert found("kind:truefalse deck:alpha") == [today.ref]
    assert found("rated:1") == [today.ref]
    assert index.search("rated:1", states, NOW).entries == []  # by UTC days it was yesterday
    assert found("rated:5") == [today.ref]
    assert found("rated:6") == [steady.ref, today.ref]
    assert found("prop:due=3") == [steady.ref]
    assert found("prop:due<0") == [today.ref]
    assert found("prop:ivl=8") == [steady.ref]
    assert found("prop:ivl>=8") == [steady.ref]
    assert found("prop:lapses>1") == [steady.ref]
    assert found("prop:lapses=0 deck:alpha") == [
        e.ref for e in entries[:6] if e.ref != steady.ref
    ]  # a new card has no lapses
    assert found("prop:stability>=2 prop:difficulty<7") == [steady.ref]
    assert found("prop:due>-100 -is:new") == [steady.ref, today.ref]  # new cards have no due day


def test_sorting_orders_every_match_before_the_first_page(index: CardIndex) -> None:
    from datetime import timedelta

    import fsrs

    from quiz.search import sort_key

    entries = index.entries
    day = timedelta(days=1)
    later = CardState(*entries[7].ref, reps=2, state=fsrs.State.Review, due=NOW + 5 * day)
    sooner = CardState(*entries[2].ref, reps=2, state=fsrs.State.Review, due=NOW + day)
    held = CardState(*entries[9].ref, reps=1, suspended=True, due=NOW - day)
    states = {s.ref: s for s in (later, sooner, held)}

    def first(query: str, limit: int, **how: Any) -> list[tuple[str, str]]:
        return [e.ref for e in index.search(query, states, NOW, limit=limit, **how).entries]

    # The earliest due date wins even though it comes after the first page in deck order.
    assert first("", 2, order="due") == [held.ref, sooner.ref]
    assert first("-is:new", 3, order="due", descending=True) == [later.ref, sooner.ref, held.ref]
    assert first("", 1, order="state") == [sooner.ref]  # due-soon reviews before new cards
    prompts = [e.item.prompt.lower() for e in index.search("", states, NOW, order="card").entries]
    assert prompts == sorted(prompts)
    assert first("", 12, order="deck")[:6] == [e.ref for e in entries[:6]]  # ties keep deck order
    with pytest.raises(ValueError, match="cannot sort by 'colour'"):
        sort_key("colour", states, NOW)
