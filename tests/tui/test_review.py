"""The draft review screen of ``quiz generate --review``: keys, edits and what is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import AppFactory, EditorSpy, Settle, SnapCompare
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from quiz.generate import Draft, generate_deck
from quiz.generate.review import DraftReview
from quiz.model import BasicCard, ChoiceCard, DeckFile
from quiz.tui.review import ReviewApp
from quiz.tui.screens.confirm import ConfirmModal
from quiz.tui.screens.review import DraftReviewScreen

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def _review() -> DraftReview:
    cards = [
        {"id": "c1", "question": "Who won?", "answer": "Ada", "distractors": ["Bo", "Cy", "Di"]},
        {"id": "b1", "front": "Where was the final?", "back": "[bold]Oslo[/bold]"},
        {"id": "t1", "statement": "The final went to extra time.", "true": True},
    ]
    deck = DeckFile.model_validate({"deck": {"title": "Cup"}, "cards": cards})
    report = generate_deck("Ada won the cup in Oslo on Sunday after extra time.").report
    sentences = (
        "Ada won the final on Sunday.",
        "The final was played in Oslo.",
        "It went to extra time.",
    )
    return DraftReview(Draft(deck, report, sentences))


def _shown(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def test_keep_drop_and_write(editor: EditorSpy) -> None:
    app = ReviewApp(_review(), editor)
    async with app.run_test() as pilot:
        assert "Card 1 of 3" in _shown(pilot, "#review-status")
        assert "Ada won the final on Sunday." in _shown(pilot, "#review-sentence")
        assert 'question = "Who won?"' in _shown(pilot, "#review-card")
        await pilot.press("k", "d")
        assert "Card 3 of 3" in _shown(pilot, "#review-status")
        await pilot.press("left")
        assert "dropped" in _shown(pilot, "#review-status")
        assert "[bold]Oslo[/bold]" in _shown(pilot, "#review-card")  # deck text, not markup
        await pilot.press("right", "right")
        assert "End of the draft" in _shown(pilot, "#review-status")
        await pilot.press("k")  # nothing to keep past the end
        await pilot.press("w")
    deck = app.return_value
    assert isinstance(deck, DeckFile) and [c.id for c in deck.cards] == ["c1", "t1"]


async def test_change_kind_and_edit_inline(editor: EditorSpy) -> None:
    app = ReviewApp(_review(), editor)
    async with app.run_test() as pilot:
        await pilot.press("t")
        assert "Now a basic card." in _shown(pilot, "#review-message")
        await pilot.press("e")
        area = app.screen.query_one("#review-editor", TextArea)
        assert area.display and area.has_focus and area.text.startswith("[[cards]]\n")
        await pilot.press("k")  # typed into the card, not a keep
        assert "Card 1 of 3" in _shown(pilot, "#review-status")
        assert area.text.startswith("k[[cards]]")
        area.text = area.text.removeprefix("k").replace("front =", "frnt =")
        await pilot.press("ctrl+s")
        assert "card 1:3: unknown field 'frnt'" in _shown(pilot, "#review-message")
        area.text = area.text.replace("frnt =", "front =").replace('"Ada"', '"Ada Berg"')
        await pilot.press("ctrl+s")
        assert not area.display and "Edit applied" in _shown(pilot, "#review-message")
        assert "kept" in _shown(pilot, "#review-status")
        await pilot.press("a", "w")
    deck = app.return_value
    assert isinstance(deck, DeckFile) and len(deck.cards) == 3
    first = deck.cards[0]
    assert isinstance(first, BasicCard) and first.back == "Ada Berg" and first.id == "c1"


async def test_edit_in_the_editor(editor: EditorSpy) -> None:
    def rewrite(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"Who won?"', '"Who won the cup?"'), encoding="utf-8")

    editor.edit = rewrite
    app = ReviewApp(_review(), editor)
    async with app.run_test() as pilot:
        await pilot.press("E")
        assert editor.calls and editor.calls[0][1] == 2
        assert 'question = "Who won the cup?"' in _shown(pilot, "#review-card")
        await pilot.press("w")
    deck = app.return_value
    assert isinstance(deck, DeckFile) and isinstance(deck.cards[0], ChoiceCard)
    assert deck.cards[0].question == "Who won the cup?"


async def test_quitting_after_decisions_asks_first(editor: EditorSpy) -> None:
    app = ReviewApp(_review(), editor)
    async with app.run_test() as pilot:
        await pilot.press("d", "q")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        assert "Card 2 of 3" in _shown(pilot, "#review-status")
        await pilot.press("q", "y")
    assert app.return_value is None


async def test_writing_nothing_is_refused(editor: EditorSpy) -> None:
    app = ReviewApp(_review(), editor)
    async with app.run_test() as pilot:
        await pilot.press("d", "d", "d", "w")
        assert "nothing to write" in _shown(pilot, "#review-message")
        await pilot.press("q", "y")
    assert app.return_value is None


@pytest.mark.parametrize("size", SIZES)
def test_review_screen(snap_compare: SnapCompare, size: tuple[int, int], editor: EditorSpy) -> None:
    review = _review()  # fixed cards: the picture does not change as drafting improves

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("k")
        await pilot.pause()

    assert snap_compare(ReviewApp(review, editor), terminal_size=size, run_before=run_before)


async def test_draft_from_the_home_screen_is_reviewed_then_saved(
    make_app: AppFactory, settle: Settle, quiz_home: Path
) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("g")
        await pilot.press(*str(ARTICLES / "sport.txt"))
        await pilot.press("enter")
        await settle(pilot)
        assert "Card 1 of" in _shown(pilot, "#review-status")
        await pilot.press("d", "a", "w")
        await settle(pilot)
        saved = quiz_home / "decks" / "sport.toml"
        assert saved.exists()
        deck = next(d for d in app.library.decks if d.path == saved)
        # the first card was dropped: it is not in the saved deck
        first = generate_deck((ARTICLES / "sport.txt").read_text(encoding="utf-8"))
        assert first.deck.cards[0].id not in {c.id for c in deck.cards}
        assert len(deck.cards) == len(first.deck.cards) - 1


async def test_draft_from_a_missing_article_says_so(make_app: AppFactory, settle: Settle) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("g", *"no-such-article.txt", "enter")
        await settle(pilot)
        assert any("no such file" in str(n.message) for n in app._notifications)
        assert not isinstance(app.screen, DraftReviewScreen)


async def test_escape_cancels_an_inline_edit_and_then_quits(editor: EditorSpy) -> None:
    app = ReviewApp(_review(), editor)
    async with app.run_test() as pilot:
        await pilot.press("e")
        area = app.screen.query_one("#review-editor", TextArea)
        area.text = area.text.replace("Who won?", "Who lost?")
        await pilot.press("escape")
        assert not area.display and "Edit cancelled." in _shown(pilot, "#review-message")
        assert 'question = "Who won?"' in _shown(pilot, "#review-card")  # nothing applied
        assert isinstance(app.screen, DraftReviewScreen)
        await pilot.press("escape")  # nothing decided: quits without asking
    assert app.return_value is None
