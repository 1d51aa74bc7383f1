"""What every quiz screen shares: typed access to the app and a title for the help screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from quiz.tui.app import QuizApp

__all__ = ["QuizScreen"]

ResultType = TypeVar("ResultType")


class QuizScreen(Screen[ResultType]):
    """A screen of the quiz app."""

    HELP_TITLE: ClassVar[str] = ""
    """The heading of this screen's keys in the help screen."""

    @property
    def quiz(self) -> QuizApp:
        """The app, typed: its clock, store, config and deck library."""
        return cast("QuizApp", self.app)
