"""The keys of every screen, read from the screens' own bindings so the list cannot go stale."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
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
    }
    return names.get(key, key)


def screen_keys(screen: type[QuizScreen[Any]]) -> list[tuple[str, str]]:
    """(keys, description) of a screen's bindings; keys of one action are listed together."""
    grouped: dict[str, list[str]] = {}
    for item in screen.BINDINGS:
        if not isinstance(item, Binding) or not item.description:
            continue
        keys = grouped.setdefault(item.description, [])
        for key in item.key.split(","):
            shown = item.key_display or _display_key(key.strip())
            if shown not in keys:
                keys.append(shown)
    return [(" ".join(keys), description) for description, keys in grouped.items()]


def _screens() -> list[type[QuizScreen[Any]]]:
    from quiz.tui.screens.browse import BrowseScreen
    from quiz.tui.screens.exam import ExamScreen
    from quiz.tui.screens.home import HomeScreen
    from quiz.tui.screens.stats import StatsScreen
    from quiz.tui.screens.study import StudyScreen

    return [HomeScreen, StudyScreen, ExamScreen, BrowseScreen, StatsScreen]


class HelpModal(ModalScreen[None]):
    """Every key of every screen, the one it was opened from first; any key closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help"),
    ]

    def __init__(self, current: type[Screen[Any]] | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        screens = _screens()
        if self.current in screens:
            screens.remove(self.current)
            screens.insert(0, self.current)
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "esc closes"
            for screen in screens:
                yield Static(Content(screen.HELP_TITLE), classes="help-title")
                rows = [
                    Content.assemble((f"{keys:>12}", "bold $accent"), "  ", description)
                    for keys, description in screen_keys(screen)
                ]
                yield Static(Content("\n").join(rows), classes="help-keys")
            yield Static(
                Content("Everywhere: ctrl+p command palette · ctrl+q quit"),
                classes="help-title",
            )
