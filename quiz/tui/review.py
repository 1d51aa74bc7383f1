"""The small app ``quiz generate --review`` opens: the draft review screen alone."""

from __future__ import annotations

from textual.app import App

from quiz.editor import EditorRunner, run_editor
from quiz.generate.review import DraftReview
from quiz.model import DeckFile
from quiz.tui.screens.review import DraftReviewScreen

__all__ = ["ReviewApp"]


class ReviewApp(App[DeckFile | None]):
    """Review one draft; the app's result is the deck to write, or None."""

    CSS_PATH = "app.tcss"
    TITLE = "quiz generate: review the draft"

    def __init__(self, review: DraftReview, editor: EditorRunner = run_editor) -> None:
        super().__init__()
        self.review = review
        self.editor = editor

    def on_mount(self) -> None:
        screen = DraftReviewScreen(self.review, self.editor, headless=self.is_headless)
        self.push_screen(screen, self.exit)
