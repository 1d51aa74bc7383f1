"""Progress follows a card through edits a person would call "the same card", and never
moves to another card: the matching on a corpus of real edits, and through the store."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from edit_corpus import CLOZE_EDITS, EDITS

from quiz.config import Config
from quiz.decks import LoadedDeck, parse_deck
from quiz.grading import Rating
from quiz.identity import judge, link, unsure_links
from quiz.model import DeckFile, Item, expand
from quiz.session import StudySession
from quiz.storage import CardText, Store

NOW = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


def _item(card: dict[str, object]) -> Item:
    return expand("d", DeckFile.model_validate({"cards": [card]}).cards)[0]


def _verdict(old_prompt: str, old_answer: str, new_prompt: str, new_answer: str) -> str:
    old = _item({"front": old_prompt, "back": old_answer})
    new = _item({"front": new_prompt, "back": new_answer})
    return judge(CardText(old.kind, old.facet, old.prompt, old.answer), new)[0]


def test_the_edit_corpus_has_no_wrong_link_and_no_silent_loss() -> None:
    verdicts: Counter[tuple[str, str]] = Counter()
    for old_p, old_a, new_p, new_a, truth, what in EDITS:
        verdict = _verdict(old_p, old_a, new_p, new_a)
        verdicts[truth, verdict] += 1
        if truth == "same":
            assert verdict != "other", f"history silently lost: {what}: {old_p!r} -> {new_p!r}"
        else:
            assert verdict != "same", f"history given to another card: {what}: {new_p!r}"
    assert len(EDITS) >= 60
    same = sum(n for (truth, _), n in verdicts.items() if truth == "same")
    # most same-card edits need no question: the learner is asked about few
    assert verdicts["same", "same"] >= 0.8 * same, verdicts


def test_the_corpus_cloze_edits_move_each_gap_by_its_answer() -> None:
    for old_text, new_text, expected in CLOZE_EDITS:
        olds = expand("d", DeckFile.model_validate({"cards": [{"cloze": old_text}]}).cards)
        news = expand("d", DeckFile.model_validate({"cards": [{"cloze": new_text}]}).cards)
        for old in olds:
            text = CardText(old.kind, old.facet, old.prompt, old.answer)
            same = [n.answer for n in news if judge(text, n)[0] == "same"]
            assert same == ([expected[old.answer]] if expected[old.answer] else []), (old, same)


def _deck(body: str) -> LoadedDeck:
    study = "[deck.study]\nfuzz = false\nbury_siblings = false\n"  # every gap in one sitting
    return parse_deck(f'[deck]\nid = "d"\n{study}{body}', Path("d.toml"))


def _study(store: Store, deck: LoadedDeck, now: datetime, *ratings: Rating) -> StudySession:
    s = StudySession(store, [deck], lambda: now, Config())
    for rating in ratings:
        assert s.next_card() is not None
        s.rate(rating)
    return s


def _states(store: Store, deck: LoadedDeck) -> dict[str, tuple[float | None, int]]:
    """Each answer of the deck's items to (stability, answers logged)."""
    out = {}
    for item in deck.items:
        history = store.history("d", item.key)
        state = store.state("d", item.key)
        out[item.answer] = (None if state is None else state.stability, len(history))
    return out


def _answer_each(store: Store, deck: LoadedDeck, ratings: dict[str, Rating]) -> None:
    """Answer the deck's items once each, by answer."""
    s = StudySession(store, [deck], lambda: NOW, Config())
    for _ in ratings:  # a card rated Again comes back within the session: once is enough
        shown = s.next_card()
        assert shown is not None
        s.rate(ratings[shown.item.answer])


def test_adding_a_gap_in_front_leaves_every_gap_its_own_history(store: Store) -> None:
    before = _deck('[[cards]]\ncloze = "Pure water boils at {{100}} degrees, freezes at {{0}}."\n')
    _answer_each(store, before, {"100": Rating.EASY, "0": Rating.AGAIN})
    old = _states(store, before)
    after = _deck(
        '[[cards]]\ncloze = "{{Pure}} water boils at {{100}} degrees, freezes at {{0}}."\n'
    )
    s = StudySession(store, [after], lambda: NOW + timedelta(minutes=5), Config())
    assert {(r.old_prompt, r.new_prompt) for r in s.relinks} and len(s.relinks) == 2
    new = _states(store, after)
    assert new["100"] == old["100"] and new["0"] == old["0"]
    assert new["Pure"] == (None, 0)  # never seen: no one else's history


def test_removing_the_first_gap_keeps_the_other_two(store: Store) -> None:
    before = _deck('[[cards]]\ncloze = "{{Paris}} is the capital of {{France}}, by the {{Seine}}"')
    _answer_each(store, before, {"Paris": Rating.GOOD, "France": Rating.EASY, "Seine": Rating.HARD})
    old = _states(store, before)
    after = _deck('[[cards]]\ncloze = "Paris is the capital of {{France}}, by the {{Seine}}"')
    StudySession(store, [after], lambda: NOW + timedelta(minutes=5), Config())
    new = _states(store, after)
    assert new["France"] == old["France"] and new["Seine"] == old["Seine"]


@pytest.mark.parametrize(
    ("old", "new", "answer"),
    [
        ("Who wrote Hamlet?", "Who wrote the play Hamlet?", "Shakespeare"),
        ("¿Cómo estás?", "¿Cómo estás hoy?", "How are you?"),
    ],
)
def test_a_modest_rewording_keeps_its_history(
    store: Store, old: str, new: str, answer: str
) -> None:
    before = _deck(f'[[cards]]\nfront = "{old}"\nback = "{answer}"\n')
    _study(store, before, NOW, Rating.GOOD)
    after = _deck(f'[[cards]]\nfront = "{new}"\nback = "{answer}"\n')
    s = StudySession(store, [after], lambda: NOW + timedelta(minutes=5), Config())
    assert [r.new_prompt for r in s.relinks] == [new]
    assert len(store.history("d", after.items[0].key)) == 1


def test_a_doubtful_edit_is_asked_not_guessed_and_the_learner_can_link_it(store: Store) -> None:
    before = _deck('[[cards]]\nfront = "Who wrote Hamlet?"\nback = "Shakespeare"\n')
    _study(store, before, NOW, Rating.GOOD)
    after = _deck('[[cards]]\nfront = "Hamlet: its author?"\nback = "Shakespeare"\n')
    s = StudySession(store, [after], lambda: NOW + timedelta(minutes=5), Config())
    assert s.relinks == [] and store.history("d", after.items[0].key) == []
    [unsure] = unsure_links(store, "d", after.items)
    assert (unsure.old_prompt, unsure.new_prompt) == ("Who wrote Hamlet?", "Hamlet: its author?")
    assert link(store, unsure, NOW + timedelta(minutes=6))
    assert len(store.history("d", after.items[0].key)) == 1
    assert unsure_links(store, "d", after.items) == []


def test_a_doubtful_edit_decided_later_is_asked_again_and_one_kept_apart_is_not(
    store: Store,
) -> None:
    before = _deck('[[cards]]\nfront = "Who wrote Hamlet?"\nback = "Shakespeare"\n')
    _study(store, before, NOW, Rating.GOOD)
    after = _deck('[[cards]]\nfront = "Hamlet: its author?"\nback = "Shakespeare"\n')
    s = StudySession(store, [after], lambda: NOW + timedelta(minutes=5), Config())
    [unsure] = s.unsure
    assert not s.link(unsure, None) and s.unsure == []
    s = StudySession(store, [after], lambda: NOW + timedelta(minutes=6), Config())
    assert s.unsure == [unsure]  # later: asked again
    assert not s.link(unsure, False)
    assert store.kept_apart("d") == {(unsure.old_key, unsure.new_key)}
    s = StudySession(store, [after], lambda: NOW + timedelta(minutes=7), Config())
    assert s.unsure == [] and unsure_links(store, "d", after.items) == []
    assert store.history("d", after.items[0].key) == []
    assert len(store.history("d", unsure.old_key)) == 1  # kept, for quiz relink or prune


def test_twins_keep_their_own_history_when_reordered(store: Store) -> None:
    """Two cards that ask the same and answer differently are told apart by their answers."""
    a = '[[cards]]\nfront = "Name a primary colour"\nback = "red"\n'
    b = '[[cards]]\nfront = "Name a primary colour"\nback = "blue"\n'
    before = _deck(a + b)
    _answer_each(store, before, {"red": Rating.EASY, "blue": Rating.AGAIN})
    old = _states(store, before)
    after = _deck(b + a)
    StudySession(store, [after], lambda: NOW + timedelta(minutes=5), Config())
    assert _states(store, after) == old


def test_a_renamed_deck_without_an_id_is_offered_its_old_progress(store: Store) -> None:
    body = "".join(f'[[cards]]\nfront = "q{n}"\nback = "a{n}"\n' for n in range(4))
    study = "[deck.study]\nfuzz = false\n"
    before = parse_deck(study + body, Path("old-name.toml"))
    _study(store, before, NOW, Rating.GOOD, Rating.EASY)
    after = parse_deck(study + body, Path("new-name.toml"))
    other = parse_deck(study + '[[cards]]\nfront = "x"\nback = "y"\n', Path("other.toml"))
    s = StudySession(store, [after, other], lambda: NOW + timedelta(minutes=5), Config())
    [move] = s.renamed
    assert (move.old_id, move.new_id, move.shared, move.total) == ("old-name", "new-name", 2, 2)
    assert s.move(move, True) and s.renamed == []
    assert [len(store.history("new-name", i.key)) for i in after.items] == [1, 1, 0, 0]
    assert store.card_keys("old-name") == set()
    again = StudySession(store, [after], lambda: NOW + timedelta(minutes=6), Config())
    assert again.renamed == []  # decided: never asked again


def test_a_deck_declined_as_renamed_keeps_both_apart(store: Store) -> None:
    body = '[[cards]]\nfront = "q"\nback = "a"\n'
    _study(store, parse_deck(body, Path("one.toml")), NOW, Rating.GOOD)
    s = StudySession(store, [parse_deck(body, Path("two.toml"))], lambda: NOW, Config())
    [move] = s.renamed
    assert not s.move(move, False)
    assert len(store.card_keys("one")) == 1 and store.card_keys("two") == set()
