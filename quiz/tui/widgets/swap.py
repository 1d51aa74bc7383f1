"""Replace a container's children safely: removal is asynchronous, so swaps are serialised."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from weakref import WeakKeyDictionary

from textual.widget import Widget

__all__ = ["replace_children"]

_locks: WeakKeyDictionary[Widget, asyncio.Lock] = WeakKeyDictionary()


async def replace_children(container: Widget, widgets: Iterable[Widget]) -> None:
    """Remove a container's children, then mount ``widgets``; one swap at a time per container.

    Without the lock, two quick swaps (a worker's result and a key press) could interleave
    and mount two widgets with the same id.
    """
    lock = _locks.setdefault(container, asyncio.Lock())
    async with lock:
        await container.remove_children()
        await container.mount_all(widgets)
