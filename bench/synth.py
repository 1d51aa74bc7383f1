"""Synthetic libraries: decks of every card kind and a review history, generated fast.

Decks are written as TOML text directly (JSON string literals are valid TOML basic strings),
so a 100,000-card library takes well under a second to write; the history is inserted in one
transaction. Everything is seeded, so two runs measure the same data.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = [
    "NOW",
    "REVIEWS",
    "SIZES",
    "Library",
    "deck_text",
    "write_deck",
    "write_history",
    "write_library",
]

SIZES = {"small": 1_000, "medium": 10_000, "large": 100_000}
"""Cards in the library for each ``--size``."""

REVIEWS = {"small": 10_000, "medium": 100_000, "large": 1_000_000}
"""Reviews in the history for each ``--size`` (spread over two years)."""

_WORDS = (  # noqa: SIM905 - a word list reads better as text
    "river mountain treaty empire protein enzyme theorem capital island verb noun tense "
    "planet orbit comet galaxy atom molecule bond acid base salt ocean desert forest glacier "
    "volcano canyon delta harbour fortress cathedral parliament senate council dynasty "
    "revolution republic kingdom province colony alliance battle siege armistice charter "
    "sonata fugue symphony concerto opera ballet sculpture fresco mosaic tapestry "
    "Zürich Kraków São Paulo Reykjavík Île-de-France Ελλάδα 東京 Москва"
).split()

_KINDS = ("basic", "basic-reverse", "cloze", "typed", "choice", "truefalse", "order")


def _phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


def _s(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _card(rng: random.Random, deck: str, n: int) -> str:
    """One ``[[cards]]`` table; the serial number keeps every prompt distinct."""
    kind = _KINDS[n % len(_KINDS)]
    tag = f"#{n}"
    lines = ["[[cards]]"]
    if n % 2 == 0:
        lines.append(f'id = "{deck}-{n}"')
    if kind.startswith("basic"):
        lines.append(f"front = {_s(f'What is the {_phrase(rng, 3)} of {tag}?')}")
        lines.append(f"back = {_s(_phrase(rng, 2))}")
        if kind == "basic-reverse":
            lines.append("reverse = true")
    elif kind == "cloze":
        gap, near = _phrase(rng, 1), _phrase(rng, 2)
        lines.append(f"cloze = {_s(f'The {{{{{gap}}}}} of {tag} is near {{{{{near}::place}}}}.')}")
    elif kind == "typed":
        lines.append(f"prompt = {_s(f'Name the {_phrase(rng, 2)} of {tag}')}")
        lines.append(f"answer = {_s(_phrase(rng, 2))}")
        lines.append(f"accept = [{_s(_phrase(rng, 1))}]")
    elif kind == "choice":
        lines.append(f"question = {_s(f'Which {_phrase(rng, 2)} belongs to {tag}?')}")
        lines.append(f'answer = "right {n}"')
        lines.append(f'distractors = ["wrong {n} a", "wrong {n} b", "wrong {n} c"]')
    elif kind == "truefalse":
        lines.append(f"statement = {_s(f'The {_phrase(rng, 3)} of {tag} is old.')}")
        lines.append(f"true = {'true' if n % 3 else 'false'}")
    else:
        lines.append(f"prompt = {_s(f'Order the {_phrase(rng, 1)} of {tag}')}")
        lines.append(f'items = ["first {n}", "second {n}", "third {n}", "fourth {n}"]')
    if n % 5 == 0:
        lines.append(f'tags = ["{rng.choice(_WORDS[:20])}", "set-{n % 7}"]')
    if n % 4 == 1:
        lines.append(f"explanation = {_s(f'Because the {_phrase(rng, 6)}.')}")
    return "\n".join(lines)


def deck_text(deck_id: str, count: int, *, seed: int = 0) -> str:
    """A deck of ``count`` cards cycling through every kind (and reverse basics)."""
    rng = random.Random(f"{deck_id}/{seed}")
    head = (
        f'[deck]\nid = "{deck_id}"\ntitle = "Synthetic {deck_id}"\n'
        f'description = "Generated for benchmarks."\ntags = ["bench"]\n\n'
    )
    return head + "\n\n".join(_card(rng, deck_id, n) for n in range(count)) + "\n"


def write_deck(path: Path, deck_id: str, count: int, *, seed: int = 0) -> Path:
    """Write a synthetic deck file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(deck_text(deck_id, count, seed=seed), encoding="utf-8")
    return path


_SHARES = (0.4, 0.3, 0.15, 0.1, 0.05)
"""How a library's cards are split over its decks."""


@dataclass(frozen=True)
class Library:
    """A generated library: the deck folder and its files."""

    folder: Path
    decks: list[Path]
    cards: int


def write_library(folder: Path, cards: int) -> Library:
    """Several decks totalling ``cards`` cards under ``folder``."""
    paths = []
    left = cards
    for n, share in enumerate(_SHARES):
        count = left if n == len(_SHARES) - 1 else round(cards * share)
        left -= count
        paths.append(write_deck(folder / f"synth-{n + 1}.toml", f"synth-{n + 1}", count))
    return Library(folder, paths, cards)


# --- review history ---------------------------------------------------------------------------

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
"""The moment every benchmark takes as now (``QUIZ_NOW`` for the processes it starts)."""

_DAY_MS = 86_400_000
_COLUMNS = (
    "id, deck_id, card_key, rating, kind, reviewed_at, utc_offset_minutes, tz_name,"
    " learner_day, duration_ms, content_hash, state_before, state_after, undone"
)


def _state(again: bool, stability: float, due: int, last: int, lapses: int, reps: int) -> str:
    """``CardState.to_json`` of a reviewed card (in review, or relearning after an Again),
    written directly: there are a million of them."""
    kind, step = (3, 0) if again else (2, "null")
    return (
        f'{{"state":{kind},"step":{step},"stability":{stability!r},"difficulty":5.0,'
        f'"due":{due},"last_review":{last},"lapses":{lapses},"reps":{reps},'
        f'"suspended":false,"buried_until":null,"tags":[]}}'
    )


def _histories(
    refs: list[tuple[str, str]], reviews: int, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    """Review-log rows: cards first seen over two years, each reviewed at growing intervals
    (an Again now and then), until ``reviews`` rows are made or the cards run out. The learner
    kept up with most cards; about a third were left a while ago and are overdue now."""
    now_ms = int(NOW.timestamp() * 1000)
    start_ms = now_ms - 730 * _DAY_MS
    per_card = max(1, reviews // max(1, len(refs)) * 2)
    made = 0
    for deck_id, key in refs:
        if made >= reviews:
            return
        at = start_ms + rng.randrange(730 * _DAY_MS)
        stop = now_ms - (rng.randrange(30 * _DAY_MS) if rng.random() < 0.3 else 0)
        stability, lapses, before = 1.0, 0, None
        for reps in range(1, per_card + 1):
            if at >= stop or made >= reviews:
                break
            rating = 1 if rng.random() < 0.1 else 3
            if rating == 1:
                lapses += 1
                stability = max(0.5, stability / 4)
            else:
                stability *= 2.5
            due = at + int(stability * _DAY_MS)
            after = _state(rating == 1, stability, due, at, lapses, reps)
            day = (datetime.fromtimestamp(at / 1000, UTC) - timedelta(hours=4)).date()
            kind = "learn" if before is None else "review"
            yield (
                f"bench-{made}", deck_id, key, rating, kind, at, 0, "UTC", day.isoformat(),
                4000, "0" * 16, before, after, 0,
            )  # fmt: skip
            made += 1
            before = after
            at = due + rng.randrange(_DAY_MS)


def write_history(data_dir: Path, refs: list[tuple[str, str]], reviews: int) -> int:
    """A progress database in ``data_dir`` holding ``reviews`` answers to the given items.

    Created by the store (so the schema is the real one), then filled by direct SQL in one
    transaction; ``card_state`` is each card's last ``state_after``, as the store keeps it.
    """
    from quiz.storage import Store, db_path

    Store.open(data_dir, now=NOW).close()
    conn = sqlite3.connect(db_path(data_dir), isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        conn.executemany(
            f"INSERT INTO review_log ({_COLUMNS}) VALUES ({','.join('?' * 14)})",
            _histories(refs, reviews, random.Random(0)),
        )
        conn.execute(
            "INSERT OR REPLACE INTO card_state (deck_id, card_key, state, step, stability,"
            " difficulty, due, last_review, lapses, reps, suspended, buried_until, tags)"
            " SELECT deck_id, card_key, state_after->>'state', state_after->>'step',"
            " state_after->>'stability',"
            " 5.0, state_after->>'due', state_after->>'last_review', state_after->>'lapses',"
            " state_after->>'reps', 0, NULL, '[]' FROM review_log"
            " WHERE seq IN (SELECT max(seq) FROM review_log GROUP BY deck_id, card_key)"
        )
        conn.execute("COMMIT")
        (count,) = conn.execute("SELECT count(*) FROM review_log").fetchone()
    finally:
        conn.close()
    return int(count)
