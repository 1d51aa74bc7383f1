"""Keyboard helpers shared by the Pilot tests: type text, reorder an order pad."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot


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
