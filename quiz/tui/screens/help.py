"""The keys of every screen, read from the screens' own bindings so the list cannot go stale."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quiz.tui.screens.base import QuizScreen

__all__ = ["HelpModal", "binding_ids", "screen_keys"]


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


def screen_keys(
    owner: type[DOMNode], keymap: Mapping[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """(keys, description, binding id) of a screen's or widget's bindings, keys of one action
    together, as the learner's ``[keys]`` (``keymap``) set them."""
    grouped: dict[str, tuple[list[str], str]] = {}
    for item in owner.BINDINGS:
        if not isinstance(item, Binding) or not item.description:
            continue
        keys, _ = grouped.setdefault(item.description, ([], item.id or ""))
        own = (keymap or {}).get(item.id or "")
        for key in (own or item.key).split(","):
            shown = (
                _display_key(key.strip()) if own else item.key_display or _display_key(key.strip())
            )
            if shown not in keys:
                keys.append(shown)
    return [(" ".join(keys), description, bid) for description, (keys, bid) in grouped.items()]


def binding_ids() -> list[str]:
    """Every binding id of the app, which ``[keys]`` in the settings may give other keys."""
    from quiz.tui.screens.article import LineModal
    from quiz.tui.screens.custom import CustomStudyModal
    from quiz.tui.screens.info import CardInfoModal
    from quiz.tui.screens.review import DraftReviewScreen
    from quiz.tui.screens.summary import SummaryScreen

    owners = [owner for _, owner in _sections()]
    owners += [DraftReviewScreen, SummaryScreen, HelpModal, LineModal, CustomStudyModal]
    owners.append(CardInfoModal)
    return sorted(
        {b.id for o in owners for b in o.BINDINGS if isinstance(b, Binding) and b.id is not None}
    )


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
        Binding("escape,question_mark,q", "dismiss", "Close help", id="help.dismiss"),
    ]

    def __init__(self, current: type[Screen[Any]] | None = None) -> None:
        super().__init__()
        self.current = current

    def quiz_keys(self) -> Mapping[str, str]:
        """The learner's own keys (``[keys]`` in the settings), if the app has settings."""
        config = getattr(self.app, "_config", None)
        return config.keys if config is not None else {}

    def compose(self) -> ComposeResult:
        sections = sorted(_sections(), key=lambda section: section[1] is not self.current)
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "esc closes"
            for title, owner in sections:
                yield Static(Content(title), classes="help-title")
                keymap = self.quiz_keys()
                rows = [
                    Content.assemble(
                        (f"{keys:>14}", "bold $text-accent"),
                        "  ",
                        f"{description:<22}",
                        (f" {bid}", "dim"),
                    )
                    for keys, description, bid in screen_keys(owner, keymap)
                ]
                if owner.__name__ == "QuizApp":
                    rows.append(
                        Content.assemble(
                            (f"{'ctrl+p':>14}", "bold $text-accent"), "  Command palette"
                        )
                    )
                yield Static(Content("\n").join(rows), classes="help-keys")
