"""One error family, so the CLI and the TUI can show any user-caused failure without a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quiz.text import printable, printable_line

__all__ = ["DeckError", "Problem", "QuizError", "StorageError"]


class QuizError(Exception):
    """Base of every error a user can cause; its text is meant to be read by that user."""

    title = "quiz error"


class StorageError(QuizError):
    """The progress database cannot be used as it is (locked, damaged, too new)."""

    title = "progress database"


@dataclass(frozen=True, slots=True)
class Problem:
    """One located finding in a deck file: an error or, with ``warning``, advice."""

    path: Path
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        # Paths and messages quote deck files (a shared folder's file names too): never escapes.
        level = "warning: " if self.warning else ""
        path = printable_line(str(self.path))  # a newline in a file name must not split it
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: {level}{printable(self.message)}"


class DeckError(QuizError):
    """A deck could not be loaded; carries every located problem found."""

    title = "deck"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
