"""Key phrases: the gap a plain sentence gets when no name, number or quote marks its fact."""

from __future__ import annotations

from collections import Counter

import pytest

from quiz.generate import generate_deck
from quiz.generate.focus import _zipf_table, key_phrase, rarity, words_of, zipf
from quiz.generate.text import Span
from quiz.model import ClozeCard, cloze_deletions


def phrase(sentence: str, blocked: list[Span] | None = None, topic: str = "") -> str | None:
    counts = Counter(w.lower() for w in words_of(sentence))
    found = key_phrase(sentence, blocked or [], counts, frozenset(topic.split()))
    return found.text if found else None


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        ("The engine runs without a garbage collector, so it starts fast.", "garbage collector"),
        (
            "What sets the language apart from its rivals is its type system, which helps.",
            "type system",
        ),
        (
            "To ship faster, the team adopted a train-based release model.",
            "train-based release model",
        ),
        ("The new charter establishes a set of subteams, each with its own area.", "subteams"),
        ("Most of the vitamin in a diet comes from seafood, eggs and milk.", "seafood"),
        ("Later in life a patient may develop a goiter and feel tired.", "goiter"),
        ("The tool downloads a package by adding one line to your manifest.", "manifest"),
        ("This release begins a firm commitment to stability, the team said.", "stability"),
    ],
)
def test_the_specific_phrase_a_clause_ends_on_is_the_gap(sentence: str, key: str) -> None:
    assert phrase(sentence) == key


@pytest.mark.parametrize(
    "sentence",
    [
        "How permanent is the redirect?",  # the text's own question
        "The new release marks the end of that churn.",  # points back to another sentence
        "The results were better than the goals.",  # everyday words only
        "The program follows up to thirty redirects by default.",  # an idiom, not a fact
        "The business intelligence (BI) market is growing.",  # spelled out just before
        "For news, follow @TheFoundation on the web.",  # a handle is a token of its own
        "The majority in the district councils' seats held firm.",  # never half a token
        "The award went to the Budweiser Man of the Match again.",  # half of a longer name
        "The report came from the Department of Agriculture yesterday.",  # the end of a name
        "The race was named the Gold Cup 400 Powered by Acme.",  # capital by its place
        'The agency notes, "Ground-level smog harms crops badly."',  # capital by its place
        "In the end the Russian president refused the plan.",  # an adjective of a name
        "The Korean People's Army [KPA] was put on alert.",  # spelled out just before
        ">>> class Student:",  # a line of code
        "The idiom is named after Randal L. Schwartz today.",  # an initial: the name goes on
        '"It is fast. Additionally the cost falls," she said.',  # a sentence's first word
        "The best tests are written for the compiler itself.",  # a reflexive is no fact
        "He was initiated at Harbour Lodge No. 8 that spring.",  # the name goes on
        "Users want to ship faster releases.",  # "to" and a verb ("ship" is no "-ship" noun)
    ],
)
def test_no_gap_where_a_teacher_would_not_cut(sentence: str) -> None:
    found = phrase(sentence)
    assert found not in {"redirect", "churn", "goals", "default", "BI", "TheFoundation"}
    assert found not in {"district councils", "councils", "Match", "Agriculture", "Powered"}
    assert found not in {"Ground-level", "Russian", "KPA", "Student", "Randal L", "Additionally"}
    assert found not in {"Harbour Lodge No", "ship faster releases"}
    assert found is None or "itself" not in found


def test_the_topic_and_blocked_spans_are_never_the_gap() -> None:
    sentence = "Nothing else in the toolkit compares to the kettle algorithm."
    assert phrase(sentence) == "kettle algorithm"
    assert phrase(sentence, topic="kettle algorithm") is None
    start = sentence.index("kettle")
    assert phrase(sentence, blocked=[Span(start, start + 6, "kettle")]) is None


def test_frequencies_read_from_the_shipped_list_match_wordfreq_itself() -> None:
    from wordfreq import zipf_frequency

    words = [*sorted(_zipf_table() or {})[::97], "train-based", "e-book", "open-source", "café"]
    assert len(words) > 200
    for word in words:
        assert zipf(word) == pytest.approx(zipf_frequency(word, "en", wordlist="small"), abs=0.005)
    assert zipf("qzx-the") == 0.0  # one unknown part: unknown, as wordfreq says


def test_rarity_ranks_specific_words_above_everyday_ones() -> None:
    assert rarity("the") < rarity("system") < rarity("collector") < rarity("goiter")
    assert rarity("qzxjvw") == 8.0  # a word the list has never seen


def test_a_plain_sentence_gets_a_key_phrase_card_and_a_marked_one_does_not() -> None:
    text = (
        "The Ferro toolkit is a small library for engineers.\n\n"
        "The planner avoids costly mistakes by checking every joint against a tolerance matrix."
        "\n\nEngineers at Ferro said the planner saved them 40 hours a week."
    )
    cards = generate_deck(text, title="Ferro").deck.cards
    keys = [c for c in cards if c.id and c.id.startswith("key-")]
    gaps = {
        c.source.paragraph if c.source else 0: [d.answer for d in cloze_deletions(c.cloze)]
        for c in keys
        if isinstance(c, ClozeCard)
    }
    assert gaps[2] == ["tolerance matrix"]
    assert 3 not in gaps  # the quote and the number mark what paragraph 3 teaches
    assert all(c.tags == ["facts"] for c in keys)


def test_a_capitalised_name_is_a_gap_even_when_common() -> None:
    assert phrase("The mayor's office informed Washington of the details.") == "Washington"
    assert phrase("All replies must carry a Location, or the client stops.") == "Location"


def test_an_opening_pronoun_is_named_from_the_one_person_just_before() -> None:
    text = (
        "Prime Minister Ada Brook met envoys in Vienna on Monday.\n\n"
        "Mayor Tomas Quell said he would not attend the summit in Geneva. "
        "He later agreed to join the talks held at the border with Austria.\n\n"
        "Brook thanked Quell. Brook said the talks would go on."
    )
    cards = generate_deck(text, title="Talks").deck.cards
    prompts = [c.cloze for c in cards if isinstance(c, ClozeCard)]
    assert any(p.startswith("He (Quell) later agreed") for p in prompts)


def test_a_plain_sentence_may_get_a_second_key_phrase_when_it_is_strong() -> None:
    text = (
        "The Ferro toolkit is a small library for engineers.\n\n"
        "The win was the twelfth straight title for Corvatek, and the ninth for Halvorsen Racing."
        "\n\nThe planner then checks the joints again."
    )
    second = [c for c in generate_deck(text).deck.cards if c.source and c.source.paragraph == 2]
    gaps = {d.answer for c in second if isinstance(c, ClozeCard) for d in cloze_deletions(c.cloze)}
    assert gaps == {"Corvatek", "Halvorsen Racing"}


def test_a_relative_clause_after_where_offers_its_subject_whole() -> None:
    """In "where {{chlorine-containing sanitisers}} replaced ..." the subject of the clause is
    a phrase of its own, and a hyphenated "-containing" is no verb to strip."""
    from quiz.generate.focus import key_phrases

    sentence = "Output fell in the old mills, where steam-driving looms had replaced hand looms."
    counts = Counter(w.lower() for w in words_of(sentence))
    found = [span.text for _, span in key_phrases(sentence, [], counts, frozenset())]
    assert "steam-driving looms" in found, found
