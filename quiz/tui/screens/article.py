"""One line asked for in a modal: the article to draft a deck from (the home screen's ``g``),
the days to set a card's due date to (browse's ``D``)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

__all__ = ["ArticleModal", "LineModal"]


class LineModal(ModalScreen[str | None]):
    """A question answered in one line; Enter gives the line (None if blank), Escape None."""

    DEFAULT_CSS = """
    LineModal { align: center middle; }
    LineModal > Vertical {
        width: 76; max-width: 100%; height: auto;
        border: round $primary; background: $surface; padding: 1 2;
    }
    LineModal Input { margin: 1 0 0 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="line.cancel")
    ]

    def __init__(self, question: Content, placeholder: str, value: str = "") -> None:
        super().__init__()
        self.question, self.placeholder, self.value = question, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="line-answer")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ArticleModal(LineModal):
    """The path of an article to draft a deck from."""

    def __init__(self) -> None:
        super().__init__(
            Content(
                "Draft a deck from an article: the path of a plain-text file (UTF-8)."
                " You review every card before it is saved to your deck folder."
            ),
            "path/to/article.txt",
        )
