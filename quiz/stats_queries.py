"""The queries of the statistics, in the storage layer: read-only, aggregated by SQLite.

``quiz.stats`` turns what these return into retention windows, card counts and forecasts;
only this module (with ``quiz.storage``) knows the tables. Each query groups by the learner
day stored with each answer or by what a card's state row counts, so a million reviews cost a
few index scans, never a Python loop over their rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from quiz.errors import StorageError
from quiz.scheduling import LEECH_TAG
from quiz.storage import Store

__all__ = ["CardGroup", "ReviewDay", "StatsReader"]


class ReviewDay(NamedTuple):
    """The review answers of one deck on one learner day."""

    deck_id: str
    day: date
    total: int
    passed: int
    """Rated Hard or better."""
    mature: int
    """Of cards whose interval was at least the mature threshold."""
    mature_passed: int


class CardGroup(NamedTuple):
    """How many cards of a deck share these properties."""

    new: bool
    suspended: bool
    state: int
    """1 learning, 2 review, 3 relearning (0 for a new card)."""
    leech: bool
    due_day: int
    """Index of the first day boundary the card is due before; -1 if after all of them."""
    cards: int


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({','.join('?' * len(values))})"


@dataclass(frozen=True)
class StatsReader:
    """The statistics' queries over a read-only connection of their own: statistics can
    never change progress."""

    conn: sqlite3.Connection

    @classmethod
    @contextmanager
    def open(cls, store: Store) -> Iterator[StatsReader]:
        """A reader of ``store``; a damaged row (JSON edited by hand) is reported as damage."""
        with store.reader() as conn:
            try:
                yield cls(conn)
            except sqlite3.Error as exc:
                if "malformed JSON" in str(exc):  # tags or a state edited by hand
                    raise store.damage_report(exc) from exc
                raise StorageError(f"cannot read statistics from {store.path}: {exc}") from exc
            except (ValueError, KeyError, TypeError, IndexError, OverflowError) as exc:
                raise store.damage_report(exc) from exc

    def activity(
        self, deck_ids: Sequence[str], *, since: date = date.min, before: date = date.max
    ) -> dict[str, dict[date, int]]:
        """Answers per deck and learner day, from ``since`` up to (not including) ``before``."""
        rows = self.conn.execute(
            "SELECT deck_id, learner_day, count(*) FROM answers"
            f" WHERE learner_day >= ? AND learner_day < ? AND {_in('deck_id', deck_ids)}"
            " GROUP BY deck_id, learner_day",
            (since.isoformat(), before.isoformat(), *deck_ids),
        ).fetchall()
        out: dict[str, dict[date, int]] = {d: {} for d in deck_ids}
        for deck_id, day, n in rows:
            out[deck_id][date.fromisoformat(day)] = n
        return out

    def review_days(
        self, deck_ids: Sequence[str], *, since: date, mature_ms: int
    ) -> list[ReviewDay]:
        """Review answers per deck and learner day since ``since``, in the order of the
        covering index (no sort)."""
        rows = self.conn.execute(
            "SELECT deck_id, learner_day, count(*), sum(rating >= 2),"
            " ifnull(sum(interval_ms >= ?), 0), ifnull(sum(interval_ms >= ? AND rating >= 2), 0)"
            " FROM answers WHERE kind = 'review' AND learner_day >= ?"
            f" AND {_in('deck_id', deck_ids)}"
            " GROUP BY deck_id, learner_day",
            (mature_ms, mature_ms, since.isoformat(), *deck_ids),
        ).fetchall()
        return [ReviewDay(d, date.fromisoformat(day), *counts) for d, day, *counts in rows]

    def card_keys(self, deck_id: str) -> set[str]:
        """The keys of the cards of a deck that have progress."""
        return {k for (k,) in self.conn.execute(_KEYS, (deck_id,))}

    def card_groups(
        self, deck_id: str, bounds: Sequence[int], *, only: Sequence[str] | None = None
    ) -> list[CardGroup]:
        """A deck's progress rows (one per card) grouped by what is counted, with the learner
        day each card falls due on worked out against the day boundaries (UTC ms); ``only``
        these keys when given."""
        day_of_due = " ".join(f"WHEN due < ? THEN {n}" for n in range(len(bounds)))
        sql = (
            "SELECT reps = 0, suspended, state,"
            f" tags != '[]' AND EXISTS (SELECT 1 FROM json_each(tags) WHERE value = '{LEECH_TAG}'),"
            f" CASE {day_of_due} ELSE -1 END, count(*) FROM card_state WHERE deck_id = ?"
        )
        params: tuple[object, ...] = (*bounds, deck_id)
        if only is not None:
            sql += " AND card_key IN (SELECT value FROM json_each(?))"
            params += (json.dumps(list(only)),)
        rows = self.conn.execute(sql + " GROUP BY 1, 2, 3, 4, 5", params)
        return [
            CardGroup(bool(new), bool(suspended), state, bool(leech), day, n)
            for new, suspended, state, leech, day, n in rows
        ]


_KEYS = "SELECT card_key FROM card_state WHERE deck_id = ?"
