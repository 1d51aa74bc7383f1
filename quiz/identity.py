"""Card identity across edits: orphaned history, and relinking it to the edited card.

A card's key is its explicit ``id``, else a hash of its kind and prompt, so editing the prompt
of a card without an id gives it a new key and leaves its history behind (an orphan). When a
deck is loaded, an orphan inherits a new card of the same deck, kind and facet whose prompt is
at least ``SIMILARITY`` percent similar (``rapidfuzz.fuzz.ratio`` on case- and
punctuation-folded text); the log's rows are re-keyed in one transaction and the learner is
told. History that matches nothing stays until ``quiz orphans --prune``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process, utils

from quiz.model import Item
from quiz.storage import Store

__all__ = ["SIMILARITY", "Orphan", "Relink", "find_orphans", "relink_edited"]

SIMILARITY = 85.0
"""Lowest prompt similarity (0-100) at which an edited card inherits an orphan's history."""


@dataclass(frozen=True, slots=True)
class Relink:
    """History that moved to an edited card."""

    deck_id: str
    old_key: str
    new_key: str
    old_prompt: str
    new_prompt: str
    score: float


@dataclass(frozen=True, slots=True)
class Orphan:
    """Progress whose card is in no loaded deck."""

    deck_id: str
    card_key: str
    entries: int
    """Log entries (answers and manual changes) it has."""
    prompt: str | None
    """What the card asked when last answered, if known."""
    deck_loaded: bool
    """False when the whole deck is missing (moved, deleted, or failed to load)."""


def find_orphans(store: Store, decks: Iterable[tuple[str, Sequence[Item]]]) -> list[Orphan]:
    """Stored progress matching no item of the given decks (``(deck_id, items)`` pairs)."""
    current = {deck_id: {item.key for item in items} for deck_id, items in decks}
    orphans: list[Orphan] = []
    for deck_id in store.deck_ids():
        keys = current.get(deck_id, set())
        texts = store.texts(deck_id)
        lost = sorted(store.card_keys(deck_id) - keys)
        for key, entries in store.entry_counts(deck_id, lost).items():
            if entries:
                text = texts.get(key)
                orphans.append(
                    Orphan(
                        deck_id,
                        key,
                        entries,
                        None if text is None else text.prompt,
                        deck_id in current,
                    )
                )
    return orphans


def relink_edited(store: Store, deck_id: str, items: Sequence[Item], now: datetime) -> list[Relink]:
    """Give each orphan of a deck to its most similar new item, if similar enough."""
    history = store.card_keys(deck_id)
    keys = {item.key for item in items}
    orphans = history - keys
    if not orphans:
        return []
    texts = store.texts(deck_id)
    candidates: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        if item.key not in history:
            candidates[item.kind, item.facet].append(item)
    found: list[tuple[float, str, Item]] = []
    for key in sorted(orphans):
        text = texts.get(key)
        group = candidates.get((text.kind, text.facet), []) if text else []
        if not text or not group:
            continue
        for _, score, index in process.extract(
            text.prompt,
            [item.prompt for item in group],
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=SIMILARITY,
            limit=3,
        ):
            found.append((score, key, group[index]))
    relinks: list[Relink] = []
    taken: set[str] = set()
    for score, key, item in sorted(found, key=lambda f: -f[0]):
        if key in taken or item.key in taken:
            continue
        taken.update((key, item.key))
        relinks.append(Relink(deck_id, key, item.key, texts[key].prompt, item.prompt, score))
    if relinks:
        store.relink(deck_id, [(r.old_key, r.new_key, r.score) for r in relinks], now)
    return relinks
