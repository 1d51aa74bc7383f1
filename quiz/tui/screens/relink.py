"""The learner's word on an edited card that may be one they studied: same, different, later.

quiz links an edited card to its history by itself only when it is certain; between "certainly
the same" and "certainly another card" it asks here, from the study screen before the card is
answered, and from the home screen (``L``) for every deck at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from quiz.text import printable
from quiz.tui.screens.confirm import ChoiceModal

if TYPE_CHECKING:
    from quiz.identity import Relink

__all__ = ["RelinkModal"]


class RelinkModal(ChoiceModal[bool | None]):
    """``y``: the same card (it keeps its history); ``n``: another card (not asked again);
    Escape: decide later. Dismisses with True, False or None."""

    def __init__(self, relink: Relink, place: str = "") -> None:
        heading = "An edited card may be one you studied before"
        question = Content.assemble(
            (heading + (f" ({place})" if place else "") + "\n\n", "bold"),
            ("deck    ", "dim"),
            printable(relink.deck_id),
            ("\nbefore  ", "dim"),
            printable(relink.old_prompt),
            ("\nnow     ", "dim"),
            printable(relink.new_prompt),
            "\n\nIs it the same card, keeping its history?",
        )
        choices = [("y", "Same card", True), ("n", "Another card", False), ("esc", "Later", None)]
        super().__init__(question, choices, escape=None)
        self.relink = relink
