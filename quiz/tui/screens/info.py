"""Card info during study (``i``): the card's state, memory, chance of recall and history, as
the browser's details show them (``quiz.card_info``), without leaving the card."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from quiz.tui.literal import literal

__all__ = ["CardInfoModal"]


class CardInfoModal(ModalScreen[None]):
    """What ``quiz.card_info`` says of one card; any of Escape, ``i`` or ``q`` closes it."""

    DEFAULT_CSS = """
    CardInfoModal { align: center middle; }
    CardInfoModal > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 1 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,i,q", "dismiss", "Close", id="info.dismiss")
    ]

    def __init__(self, prompt: str, lines: list[tuple[str, str]], history: list[str]) -> None:
        super().__init__()
        self.prompt, self.lines, self.history = prompt, lines, history

    def compose(self) -> ComposeResult:
        parts = [
            Content.assemble(("Card info · ", "bold"), literal(self.prompt, "bold")),
            *(Content.assemble((f"{label:<13}", "dim"), text) for label, text in self.lines),
            Content.styled("History", "dim"),
            *(Content(line) for line in self.history or ["never reviewed"]),
        ]
        with VerticalScroll():
            yield Static(Content("\n").join(parts), id="info", markup=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
