"""Running the user's editor on a file: the app's ``E`` and the draft review's edit key."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

from quiz.errors import QuizError

__all__ = ["EditorRunner", "run_editor"]

EditorRunner = Callable[[Path, int], None]
"""Opens a file at a line and returns when the user is done (tests pass a fake)."""


def run_editor(path: Path, line: int) -> None:
    """Run ``$EDITOR +LINE PATH`` (understood by vi, nano, emacs, micro...) and wait for it."""
    command = shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")
    try:
        subprocess.call([*command, f"+{max(line, 1)}", str(path)])
    except OSError as exc:
        raise QuizError(f"cannot run the editor {command[0]!r}: {exc.strerror or exc}") from exc
