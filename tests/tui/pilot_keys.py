"""Keyboard helpers shared by the Pilot tests: type text, reorder items, answer a card."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from quiz.tui.screens.study import StudyScreen


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
