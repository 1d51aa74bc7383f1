"""``quiz check``'s advice (``quiz.lint``): each defect class on a small card of our own, and
the cards that must not be flagged."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from quiz.generate import generate_deck
from quiz.lint import lint_cards
from quiz.model import Card, ChoiceCard, DeckFile, TypedCard


def cards(*tables: Mapping[str, object]) -> list[Card]:
    return DeckFile.model_validate({"cards": list(tables)}).cards


def advice(table: Mapping[str, object], title: str = "") -> list[str]:
    return [text for _, text in lint_cards(cards(table), title)]


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ({"cloze": "The deal was signed in {{Washington}}, D.C."}, []),
        ({"cloze": "Ratified by {{R-S}}.D. senators"}, ["cuts a word or abbreviation"]),
        ({"cloze": "The commit was {{1f3}}ac2"}, ["cuts a word or abbreviation"]),
        ({"cloze": "The hash ___{{ac2}}"}, ["cuts a word or abbreviation"]),
        ({"cloze": "He won the race in {{2014}}"}, ["opens on 'He'"]),
        ({"cloze": "Hendrick won the race in {{2014}}"}, []),
        ({"cloze": "{{Harold}} lost the battle; Harold died"}, ["also appears in the text"]),
        ({"front": "Who is Motors?", "back": "General"}, ["'who is' answered by one word"]),
        ({"front": "Who is Isaac Herzog?", "back": "Israel's president"}, []),
        ({"prompt": "Who was Harold?", "answer": "King"}, ["'who is' answered by one word"]),
        (
            {"question": "Which king?", "answer": "Harold", "distractors": ["William"]},
            ["only 2 option(s)"],
        ),
        (
            {"question": "Which king?", "answer": "Harold", "distractors": ["William", "Cnut"]},
            [],
        ),
        (
            {"question": "Which king?", "answer": "Harold", "distractors": ["William", "harold"]},
            ["answer repeated among the distractors", "only 2 option(s)"],
        ),
    ],
)
def test_each_defect_is_named_and_good_cards_pass(
    table: dict[str, object], says: list[str]
) -> None:
    found = advice(table)
    assert len(found) == len(says), found
    for text, expected in zip(found, says, strict=True):
        assert expected in text


def test_a_gap_that_is_the_decks_topic_is_flagged() -> None:
    table = {"cloze": "Troops entered {{Ukraine}} in February"}
    assert any("deck's topic" in a for a in advice(table, title="The war in Ukraine"))
    assert advice(table, title="Troop movements") == []


def test_a_draft_never_keeps_a_card_its_own_check_flags() -> None:
    text = (
        "Maria Lopez, the mayor of Springfield, opened the new bridge on Monday.\n\n"
        "He said the bridge cost 40 million dollars and took three years to build.\n\n"
        "The bridge crosses the Green River near the old mill."
    )
    draft = generate_deck(text, title="A bridge in Springfield")
    assert lint_cards(draft.deck.cards, "A bridge in Springfield") == []
    for card in draft.deck.cards:
        if isinstance(card, ChoiceCard):
            assert len(card.distractors) >= 2  # else it became a typed card
    assert any(isinstance(c, TypedCard) for c in draft.deck.cards)
    assert all(
        "cloze" not in c.model_dump() or not c.model_dump()["cloze"].startswith("He ")
        for c in draft.deck.cards
    )


def test_one_sentence_with_two_gaps_is_no_duplicate_but_the_same_gap_twice_is() -> None:
    cards = DeckFile.model_validate(
        {
            "cards": [
                {"cloze": "Water boils at {{100}} degrees at sea level."},
                {"cloze": "Water boils at 100 degrees at {{sea level}}."},
                {"cloze": "Water boils at {{100}} degrees at sea level."},
            ]
        }
    ).cards
    assert [(i, a) for i, a in lint_cards(cards) if a.startswith("same prompt")] == [
        (2, "same prompt as card 1")
    ]
