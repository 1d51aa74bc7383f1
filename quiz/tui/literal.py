"""Deck text on screen, exactly as typed: never parsed as markup, never sent as escapes.

Every widget that shows text from a deck file (or a learner's answer) builds it here, so
``[bold]``, ``[@click=app.quit]`` and ESC sequences appear literally and do nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.content import Content

from quiz.text import printable

__all__ = ["literal", "literal_text", "shown_path"]


def literal(text: str, style: str = "") -> Content:
    """Deck text as Textual content: made printable, with no markup parsed."""
    return Content.styled(printable(text), style) if style else Content(printable(text))


def literal_text(text: str, style: str = "") -> Text:
    """Deck text as Rich text, for widgets that take Rich renderables (table cells)."""
    return Text(printable(text), style=style)


def shown_path(path: Path) -> str:
    """A file's path as short as it reads well: relative to here, else to ``~``, else whole."""
    full = path.expanduser().absolute()
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~" + os.sep)):
        if full.is_relative_to(base):
            return prefix + str(full.relative_to(base))
    return str(full)
