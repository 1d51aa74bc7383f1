"""A yes/no question in a small modal, for actions that cannot be taken back."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

__all__ = ["ConfirmModal"]


class ConfirmModal(ModalScreen[bool]):
    """Ask before doing something drastic; ``y``/Enter confirms, ``n``/Escape declines."""

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical {
        width: 60; max-width: 100%; height: auto;
        border: round $warning; background: $surface; padding: 1 2;
    }
    ConfirmModal Horizontal { height: auto; margin: 1 0 0 0; }
    ConfirmModal Button { margin: 0 2 0 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: Content, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            with Horizontal():
                yield Button(
                    Content.assemble(("y ", "bold"), self.yes),
                    id="yes",
                    variant="warning",
                    compact=True,
                )
                yield Button(Content.assemble(("n ", "bold"), "No"), id="no", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
