"""Reviewing a draft before it is studied: the core, the line-by-line review and the CLI."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.decks import deck_to_toml, parse_deck
from quiz.errors import DeckError
from quiz.generate import Draft, generate_deck
from quiz.generate.review import DraftReview, convert
from quiz.model import BasicCard, ChoiceCard, ClozeCard, DeckFile, TrueFalseCard, TypedCard
from quiz.plain_review import review_plain

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"


def _draft() -> Draft:
    return generate_deck((ARTICLES / "sport.txt").read_text(encoding="utf-8"), title="Cup")


def _review(*cards: object) -> DraftReview:
    deck = DeckFile.model_validate({"deck": {"title": "T"}, "cards": list(cards)})
    return DraftReview(Draft(deck, report=_draft().report, sentences=("one.", "two.", "three.")))


CHOICE = {"id": "c1", "question": "Who won?", "answer": "Ada", "distractors": ["Bo", "Cy"]}
CLOZE = {"id": "z1", "cloze": "The match ended {{3-2::score}} after extra time."}


# --- the core ---------------------------------------------------------------------------------


def test_each_card_comes_with_its_whole_sentence() -> None:
    draft = _draft()
    assert len(draft.sentences) == len(draft.deck.cards)
    for card, sentence in zip(draft.deck.cards, draft.sentences, strict=True):
        assert card.source is not None and card.source.excerpt is not None
        excerpt = card.source.excerpt[1:-1].removesuffix(" …")  # the draft quotes the text
        assert sentence.startswith(excerpt) and len(sentence) >= len(excerpt)


def test_dropped_cards_are_left_out_and_unreviewed_ones_are_written() -> None:
    review = _review(CHOICE, CLOZE, {"statement": "Ada won.", "true": True})
    review.drop(1)
    review.keep(0)
    assert review.counts() == (1, 1, 1)
    assert [c.id for c in review.deck().cards] == ["c1", None]
    assert review.deck().deck.title == "T"
    assert "1 kept, 1 dropped, 1 not reviewed" in review.summary()


def test_change_kind_cycles_through_what_the_card_can_be_and_keeps_its_options() -> None:
    review = _review(CHOICE)
    seen = [review.change_kind(0) for _ in range(3)]
    assert seen == ["basic", "typed", "choice"]
    card = review.items[0].card
    assert isinstance(card, ChoiceCard) and card.distractors == ["Bo", "Cy"] and card.id == "c1"


def test_a_cloze_with_one_gap_becomes_a_question_with_its_hint() -> None:
    card = convert(ClozeCard.model_validate(CLOZE), "typed")
    assert isinstance(card, TypedCard)
    assert card.prompt == "The match ended [score] after extra time." and card.answer == "3-2"
    two_gaps = ClozeCard(cloze="{{Ada}} beat {{Bo}}.")
    assert convert(two_gaps, "typed") is None  # which gap would it ask?


def test_cards_that_cannot_change_kind_say_so() -> None:
    review = _review({"statement": "Ada won.", "true": True})
    assert review.kinds(0) == [] and review.change_kind(0) is None
    assert isinstance(review.items[0].card, TrueFalseCard)
    typed = TypedCard(prompt="Who won?", answer="Ada")
    assert convert(typed, "choice") is None  # no options to offer
    assert isinstance(convert(typed, "basic"), BasicCard)


def test_an_edit_replaces_the_card_and_keeps_it() -> None:
    review = _review(CHOICE)
    text = review.card_text(0)
    assert text.startswith("[[cards]]\n") and 'distractors = ["Bo", "Cy"]' in text
    review.edit(0, text.replace('"Ada"', '"Ada Lovelace"'))
    card = review.items[0].card
    assert isinstance(card, ChoiceCard) and card.answer == "Ada Lovelace"
    assert review.items[0].kept is True


def test_a_bad_edit_changes_nothing_and_says_where() -> None:
    review = _review(CHOICE)
    before = review.items[0].card
    with pytest.raises(DeckError) as caught:
        review.edit(0, '[[cards]]\nquestion = "Who won?"\nanswr = "Ada"\ndistractors = ["Bo"]\n')
    message = str(caught.value)
    assert "card 1:3: unknown field 'answr' (did you mean 'answer'?)" in message
    assert "card 1: card 1" not in message
    with pytest.raises(DeckError, match="expected one card, found 2"):
        review.edit(0, '[[cards]]\nfront = "a"\nback = "b"\n[[cards]]\nfront = "c"\nback = "d"\n')
    assert review.items[0].card is before and review.items[0].kept is None
    assert review.edit_text(0).startswith('[[cards]]\nfront = "a"')  # the next try starts here


# --- line by line -----------------------------------------------------------------------------


def _plain(review: DraftReview, answers: str, editor: object = None) -> tuple[object, str]:
    out = io.StringIO()

    def no_editor(path: Path, line: int) -> None:
        raise AssertionError("no editor expected")

    deck = review_plain(review, io.StringIO(answers), out, editor or no_editor)  # type: ignore[arg-type]
    return deck, out.getvalue()


def test_plain_review_shows_sentence_and_card_and_writes_what_is_kept() -> None:
    review = _review(CHOICE, CLOZE, {"statement": "Ada won.", "true": True})
    deck, out = _plain(review, "k\nd\nt\nw\n")
    assert "[1/3] choice · not reviewed" in out and "  text: one." in out
    assert '  question = "Who won?"' in out and "[[cards]]" not in out
    assert "this card cannot be another kind" in out
    assert isinstance(deck, DeckFile) and len(deck.cards) == 2


def test_plain_review_end_of_input_writes_nothing() -> None:
    deck, out = _plain(_review(CHOICE), "k\n")
    assert deck is None and out.rstrip().endswith("stopped: nothing written")


def test_plain_review_keep_the_rest_then_back() -> None:
    review = _review(CHOICE, CLOZE, {"statement": "Ada won.", "true": True})
    deck, out = _plain(review, "d\na\nb\nk\nw\n")
    assert "end of the draft: 2 kept, 1 dropped, 0 not reviewed" in out
    assert isinstance(deck, DeckFile) and len(deck.cards) == 2


def test_plain_review_edits_in_the_editor_and_survives_a_bad_edit() -> None:
    review = _review(CHOICE)
    edits = iter(
        [
            ('question = "Who won?"', 'question = "Who won the cup?'),  # a quote left open
            ('"Who won the cup?', '"Who won the cup?"'),  # the fix, in what was typed before
        ]
    )

    def editor(path: Path, line: int) -> None:
        assert line == 2
        old, new = next(edits)
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    deck, out = _plain(review, "e\ne\nw\n", editor)
    assert "the edit was not applied" in out and "card 1:3:" in out
    assert isinstance(deck, DeckFile)
    assert isinstance(deck.cards[0], ChoiceCard) and deck.cards[0].question == "Who won the cup?"


def test_plain_review_shows_deck_text_literally() -> None:
    review = _review({"front": "Who \x1b[31mwon\x1b[0m?", "back": "[bold]Ada[/]"})
    _, out = _plain(review, "q\n")
    assert "\x1b" not in out and "[bold]Ada[/]" in out


# --- the command line -------------------------------------------------------------------------


def test_cli_review_plain_writes_the_kept_cards_next_to_the_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "sport.txt"
    article.write_text((ARTICLES / "sport.txt").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("d\nk\nw\n"))
    assert main(["generate", str(article), "--review", "--plain", "--max", "5"]) == 0
    written = tmp_path / "sport.toml"
    assert "wrote 4 card(s) to" in capsys.readouterr().err
    assert len(parse_deck(written.read_text(encoding="utf-8"), written).cards) == 4


def test_cli_review_refuses_an_existing_output_before_any_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "sport.txt"
    article.write_text((ARTICLES / "sport.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sport.toml").write_text("mine", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("w\n"))
    assert main(["generate", str(article), "--review", "--plain"]) != 0
    assert "Reviewing" not in capsys.readouterr().out
    assert (tmp_path / "sport.toml").read_text(encoding="utf-8") == "mine"


def test_cli_review_stopped_writes_nothing_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    out = tmp_path / "d.toml"
    assert (
        main(["generate", str(ARTICLES / "sport.txt"), "--review", "--plain", "-o", str(out)]) == 1
    )
    assert "nothing written" in capsys.readouterr().err and not out.exists()


def test_cli_review_in_the_app_needs_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "d.toml"
    assert main(["generate", str(ARTICLES / "sport.txt"), "--review", "-o", str(out)]) != 0
    assert "--review --plain" in capsys.readouterr().err and not out.exists()


# --- how decks are written ----------------------------------------------------------------------


def test_short_arrays_are_written_on_one_line_and_read_back_the_same() -> None:
    deck = DeckFile.model_validate(
        {
            "deck": {"title": "T", "tags": ["a", "b"]},
            "cards": [
                {"front": 'tags = [\n    "x",\n]', "back": "b", "tags": ['q"r', "s"]},
                {
                    "question": "Q",
                    "answer": "A",
                    "distractors": [f"option {i}" * 3 for i in range(9)],
                },
            ],
        }
    )
    text = deck_to_toml(deck)
    assert 'tags = ["a", "b"]' in text and 'tags = ["q\\"r", "s"]' in text
    assert "distractors = [\n" in text  # too long for one line
    assert parse_deck(text, Path("t.toml")).cards == deck.cards
    assert tomllib.loads(text)["cards"][0]["front"] == 'tags = [\n    "x",\n]'
