"""The keys of every screen, read from the screens' own bindings so the list cannot go stale."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quiz.tui.screens.base import QuizScreen

__all__ = ["HelpModal", "screen_keys"]


def _display_key(key: str) -> str:
    names = {
        "question_mark": "?",
        "exclamation_mark": "!",
        "minus": "-",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "space": "space",
        "enter": "enter",
        "escape": "esc",
        "ctrl+z": "^z",
    }
    return names.get(key, key)


def screen_keys(owner: type[DOMNode]) -> list[tuple[str, str]]:
    """(keys, description) of a screen's or widget's bindings, keys of one action together."""
    grouped: dict[str, list[str]] = {}
    for item in owner.BINDINGS:
        if not isinstance(item, Binding) or not item.description:
            continue
        keys = grouped.setdefault(item.description, [])
        for key in item.key.split(","):
            shown = item.key_display or _display_key(key.strip())
            if shown not in keys:
                keys.append(shown)
    return [(" ".join(keys), description) for description, keys in grouped.items()]


def _sections() -> list[tuple[str, type[DOMNode]]]:
    from quiz.tui.app import QuizApp
    from quiz.tui.screens.browse import BrowseScreen
    from quiz.tui.screens.exam import ExamResultScreen, ExamScreen
    from quiz.tui.screens.home import DeckTable, HomeScreen
    from quiz.tui.screens.stats import StatsScreen
    from quiz.tui.screens.study import StudyScreen
    from quiz.tui.widgets.answer import ChoicePad, OrderPad, TrueFalsePad, TypedPad

    screens: list[type[QuizScreen[Any]]] = [
        HomeScreen,
        StudyScreen,
        ExamScreen,
        ExamResultScreen,
        BrowseScreen,
        StatsScreen,
    ]
    return [
        *((screen.HELP_TITLE, screen) for screen in screens),
        ("Deck list", DeckTable),
        ("Typed answers", TypedPad),
        ("Choice questions", ChoicePad),
        ("True or false", TrueFalsePad),
        ("Order questions", OrderPad),
        ("Everywhere", QuizApp),
    ]


class HelpModal(ModalScreen[None]):
    """Every key of every screen, the one it was opened from first; any key closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
    ]

    def __init__(self, current: type[Screen[Any]] | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        sections = sorted(_sections(), key=lambda section: section[1] is not self.current)
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "esc closes"
            for title, owner in sections:
                yield Static(Content(title), classes="help-title")
                rows = [
                    Content.assemble((f"{keys:>14}", "bold $text-accent"), "  ", description)
                    for keys, description in screen_keys(owner)
                ]
                if owner.__name__ == "QuizApp":
                    rows.append(
                        Content.assemble(
                            (f"{'ctrl+p':>14}", "bold $text-accent"), "  Command palette"
                        )
                    )
                yield Static(Content("\n").join(rows), classes="help-keys")
