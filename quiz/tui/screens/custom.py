"""Custom study from the home screen (``c``): the choices of ``quiz study``'s custom study
flags, one at a time, as Anki's Custom Study dialog offers them."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from quiz.custom import CustomStudy, CustomStudyError
from quiz.text import printable

__all__ = ["CHOICES", "CustomStudyModal"]

CHOICES: list[tuple[str, str, str, str]] = [
    ("ahead", "Study ahead", "days ahead (0: today's due cards)", "1"),
    ("forgotten", "Review forgotten cards", "days back (1: today)", "1"),
    ("search", "Study the cards a search finds", "search, e.g. tag:verbs -is:new", "is:due"),
    ("extra_new", "More new cards today", "new cards beyond today's limit", "10"),
    ("reviews_only", "Reviews only, no new cards", "", ""),
]
"""(field of ``CustomStudy``, label, what the value is, its default)."""


class CustomStudyModal(ModalScreen[CustomStudy | None]):
    """Pick a kind of custom study and its value; Enter starts it, Escape cancels."""

    DEFAULT_CSS = """
    CustomStudyModal { align: center middle; }
    CustomStudyModal > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: round $primary; background: $surface; padding: 1 2;
    }
    CustomStudyModal OptionList { height: auto; margin: 1 0; }
    CustomStudyModal #custom-error { color: $text-error; height: auto; }
    CustomStudyModal #custom-value { margin: 0 0 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="custom.cancel")
    ]

    def __init__(self, decks: str) -> None:
        super().__init__()
        self.decks = decks

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Content.assemble(("Custom study", "bold"), f" · {printable(self.decks)}"),
                markup=False,
            )
            yield OptionList(
                *(f"{n}  {label}" for n, (_, label, _, _) in enumerate(CHOICES, 1)),
                id="custom-kind",
            )
            yield Static(id="custom-what", markup=False)
            yield Input(id="custom-value", compact=True)
            yield Static(id="custom-error", markup=False)
            yield Static(
                Content.styled("↑↓ or 1-5 choose · Enter starts · Esc cancels", "dim"),
                markup=False,
            )

    def on_mount(self) -> None:
        kinds = self.query_one(OptionList)
        kinds.highlighted = 0
        kinds.focus()

    def _chosen(self) -> tuple[str, str, str, str]:
        return CHOICES[self.query_one(OptionList).highlighted or 0]

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        _, _, what, default = self._chosen()
        value = self.query_one(Input)
        value.display = bool(what)
        value.placeholder, value.value = what, default
        self.query_one("#custom-what", Static).update(Content.styled(what.capitalize(), "dim"))
        self.query_one("#custom-error", Static).update("")

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        if self._chosen()[2]:
            self.query_one(Input).focus()
        else:
            self._start()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._start()

    def on_key(self, event: events.Key) -> None:
        """1-5 pick a choice (not in the value box, where digits are the value)."""
        if isinstance(self.focused, Input) or not event.key.isdigit():
            return
        if 1 <= int(event.key) <= len(CHOICES):
            event.stop()
            self.query_one(OptionList).highlighted = int(event.key) - 1
            self._selected()

    def _start(self) -> None:
        field, _, _, _ = self._chosen()
        text = self.query_one(Input).value.strip()
        try:
            self.dismiss(custom_study(field, text))
        except CustomStudyError as exc:
            self.query_one("#custom-error", Static).update(str(exc))

    def action_cancel(self) -> None:
        self.dismiss(None)


def custom_study(field: str, text: str) -> CustomStudy:
    """The custom study of one choice of the dialog, its value as typed."""
    if field == "reviews_only":
        return CustomStudy(reviews_only=True)
    if field == "search":
        if not text:
            raise CustomStudyError("type a search")
        return CustomStudy(search=text)
    try:
        number = int(text)
    except ValueError:
        raise CustomStudyError(f"{text or 'nothing'!r} is not a whole number") from None
    if field == "ahead":
        return CustomStudy(ahead=number)
    if field == "forgotten":
        return CustomStudy(forgotten=number)
    if number < 1:
        raise CustomStudyError("at least one new card")
    return CustomStudy(extra_new=number)
