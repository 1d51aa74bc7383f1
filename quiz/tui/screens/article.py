"""Asking for the article to draft a deck from (the home screen's ``g``)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

__all__ = ["ArticleModal"]


class ArticleModal(ModalScreen[str | None]):
    """A path typed in one line; Enter drafts from it, Escape cancels."""

    DEFAULT_CSS = """
    ArticleModal { align: center middle; }
    ArticleModal > Vertical {
        width: 76; max-width: 100%; height: auto;
        border: round $primary; background: $surface; padding: 1 2;
    }
    ArticleModal Input { margin: 1 0 0 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Content(
                    "Draft a deck from an article: the path of a plain-text file (UTF-8)."
                    " You review every card before it is saved to your deck folder."
                )
            )
            yield Input(placeholder="path/to/article.txt", id="article-path")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        self.dismiss(path or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
