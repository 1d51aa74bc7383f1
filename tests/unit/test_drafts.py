"""Drafts of real texts (``python -m bench.drafts``): none worse than its recorded floor, none
with a card ``quiz check`` would warn about, every draft reproducible.

The texts live in ``../shared/texts`` (never in the repository); a checkout without them skips
these tests, and says so.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench.drafts import keys, measure, text_path
from quiz.decks import deck_to_toml
from quiz.generate import generate_deck

KEYS = keys()


def test_every_text_has_a_key_of_real_facts() -> None:
    assert len(KEYS) >= 13
    for key in KEYS:
        assert len(key.facts) >= 12, key.name
        assert all(f.answer and all(a.strip() for a in f.answer) for f in key.facts), key.name


@pytest.mark.parametrize("key", KEYS, ids=[k.name for k in KEYS])
def test_draft_meets_its_floor_with_no_flagged_card(key) -> None:  # type: ignore[no-untyped-def]
    if not text_path(key).exists():
        pytest.skip(f"{text_path(key)} is not here (the shared texts sit beside the checkout)")
    result = measure(key)
    assert result.flagged == []
    assert len(result.taught) >= key.floor, [f.ask for f in result.missed]
    # at most two cards of one sentence (an order card's events come from several)
    sentences = Counter(
        c.source.excerpt for c in result.deck.cards if c.source and c.kind != "order"
    )
    assert max(sentences.values()) <= 2
    text = text_path(key).read_text(encoding="utf-8")
    again = generate_deck(text, source_name=text_path(key).name).deck
    assert deck_to_toml(again) == deck_to_toml(result.deck)
