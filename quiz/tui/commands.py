"""Command palette entries for each deck: study it, take an exam on it, see its statistics.

Deck titles are shown literally: Textual's matcher highlights by parsing markup, so hits are
displayed as plain content and only scored by the matcher.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from quiz.tui.literal import literal

if TYPE_CHECKING:
    from quiz.decks import LoadedDeck
    from quiz.tui.app import QuizApp

__all__ = ["DeckCommands"]


class DeckCommands(Provider):
    """ "Study <deck>", "Exam <deck>" and "Statistics <deck>" for every loaded deck."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], None]]]:
        app: QuizApp = self.app  # type: ignore[assignment]
        actions: list[tuple[str, Callable[[list[LoadedDeck]], None]]] = [
            ("Study", app.open_study),
            ("Exam", app.open_exam),
            ("Statistics", app.open_stats),
        ]
        for deck in app.library.decks:
            for verb, action in actions:
                yield f"{verb} {deck.title}", f"{verb} deck {deck.id}", partial(action, [deck])

    async def discover(self) -> Hits:
        for text, help_text, callback in self._commands():
            yield DiscoveryHit(literal(text), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, literal(text), callback, text=text, help=help_text)
