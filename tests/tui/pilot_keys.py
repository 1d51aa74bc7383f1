"""Helpers shared by the Pilot tests: type text, reorder items, answer a card, hold a lock."""

from __future__ import annotations

import gc
import itertools
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from quiz import storage
from quiz.tui.screens.study import StudyScreen


async def open_first_deck(
    pilot: Pilot[Any], settle: Callable[[Pilot[Any]], Awaitable[None]]
) -> None:
    """Once the home screen has loaded, Enter on its first row: study that deck."""
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text into the focused input, key by key."""
    await pilot.press(*("space" if c == " " else c for c in text))


async def put_in_order(pilot: Pilot[Any], shown: list[str], wanted: list[str]) -> None:
    """Reorder an order pad with the keyboard (up/down select, [ moves up), then submit."""
    current = list(shown)
    cursor = 0
    for target, item in enumerate(wanted):
        at = current.index(item)
        await pilot.press(*(["down"] * (at - cursor) if at > cursor else ["up"] * (cursor - at)))
        await pilot.press(*(["left_square_bracket"] * (at - target)))
        current.insert(target, current.pop(at))
        cursor = target
    await pilot.press("enter")


def study_screen(pilot: Pilot[Any]) -> StudyScreen:
    screen = pilot.app.screen
    assert isinstance(screen, StudyScreen), screen
    return screen


async def answer_current(pilot: Pilot[Any]) -> None:
    """Answer the shown card right, whatever its kind, and rate it Easy."""
    screen = study_screen(pilot)
    card = screen.card
    assert card is not None
    match card.kind:
        case "basic" | "cloze":
            await pilot.press("space")
        case "typed":
            await type_text(pilot, "Shakespeare")
            await pilot.press("enter")
        case "choice":
            right = card.item.card.answers  # type: ignore[union-attr]
            numbers = [str(card.options.index(r) + 1) for r in right]
            await pilot.press(*numbers)
            if len(right) > 1:
                await pilot.press("enter")
        case "truefalse":
            await pilot.press("f")
        case "order":
            await put_in_order(pilot, list(card.order), ["one", "two", "three"])
    await pilot.pause()
    assert screen.phase == "answered"
    if card.kind not in ("basic", "cloze"):
        assert screen.grade is not None and screen.grade.correct, (card.kind, screen.grade)
    await pilot.press("4")
    await pilot.pause()


@dataclass
class Ticks:
    """When a 10 ms timer of the app fired: a loop blocked on the disk leaves a long gap."""

    times: list[float] = field(default_factory=list)

    def longest_gap(self) -> float:
        return max((b - a for a, b in itertools.pairwise(self.times)), default=float("inf"))


@contextmanager
def write_locked(app: App[Any], data_dir: Path) -> Iterator[Ticks]:
    """Another process holds the progress database's write lock; meanwhile the app's event
    loop is watched. What earlier tests left on the heap is frozen first, so that a full
    garbage collection (100,000 cards of another test) is not taken for a blocked loop."""
    gc.collect()
    gc.freeze()
    ticks = Ticks()
    timer = app.set_interval(0.01, lambda: ticks.times.append(time.perf_counter()))
    other = sqlite3.connect(storage.db_path(data_dir), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield ticks
    finally:
        other.execute("ROLLBACK")
        other.close()
        timer.stop()
        gc.unfreeze()
