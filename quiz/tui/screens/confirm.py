"""A question in a small modal, answered by a key or a button: yes/no for actions that cannot
be taken back (``ConfirmModal``), and the shape other few-answer questions share
(``ChoiceModal``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

__all__ = ["ChoiceModal", "ConfirmModal"]

T = TypeVar("T")


class ChoiceModal(ModalScreen[T], Generic[T]):
    """A question and its answers, each ``(key, label, value)``: the key or the button
    dismisses with the value; Escape with ``escape``."""

    DEFAULT_CSS = """
    ChoiceModal { align: center middle; }
    ChoiceModal > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: round $warning; background: $surface; padding: 1 2;
    }
    ChoiceModal Horizontal { height: auto; margin: 1 0 0 0; }
    ChoiceModal Button { margin: 0 2 0 0; }
    """

    def __init__(self, question: Content, choices: Sequence[tuple[str, str, T]], escape: T) -> None:
        super().__init__()
        self.question = question
        self.choices = list(choices)
        self.escape = escape

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            with Horizontal():
                for n, (key, label, _) in enumerate(self.choices):
                    content = Content.assemble((f"{key} ", "bold"), label)
                    button = Button(content, id=f"choice-{n}", compact=True)
                    if n == 0:
                        button.variant = "warning"  # the answer the question is about
                    yield button

    def on_key(self, event: events.Key) -> None:
        values = {key: value for key, _, value in self.choices}
        if event.key in values or event.key == "escape":
            event.stop()
            self.dismiss(values.get(event.key, self.escape))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.choices[int((event.button.id or "choice-0").split("-")[1])][2])


class ConfirmModal(ChoiceModal[bool]):
    """Ask before doing something drastic; ``y`` confirms, ``n``/Escape declines."""

    def __init__(self, question: Content, yes: str = "Yes") -> None:
        super().__init__(question, [("y", yes, True), ("n", "No", False)], escape=False)
