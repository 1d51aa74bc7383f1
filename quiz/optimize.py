"""Your own FSRS weights, fitted to your own reviews (``quiz optimize``).

FSRS predicts recall from 21 weights; its defaults are fitted to many learners, and a learner
unlike them gets intervals that miss the retention asked for. ``fit`` trains the weights on
the review log with ``fsrs-rs-python`` (the Rust FSRS that Anki uses; no torch), and scores
the weights in use and the fitted ones on the same history: log loss (how surprised the model
is by what you remembered and forgot) and RMSE over bins of predicted recall. Days between
reviews are learner days, as the scheduler counts them.

``write_parameters`` puts the weights into the settings file's ``[study]`` table, keeping the
rest of the file (comments included) as it is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.errors import QuizError

if TYPE_CHECKING:
    import fsrs_rs_python

    from quiz.storage import Answer

__all__ = [
    "MIN_REVIEWS",
    "Fit",
    "dated_items",
    "fit",
    "prediction",
    "review_items",
    "write_parameters",
]

MIN_REVIEWS = 400
"""Fewer reviews (a day apart or more) than this fit noise, not the learner."""


@dataclass(frozen=True, slots=True)
class Fit:
    """The weights in use and the fitted ones, each with how well it predicts the history."""

    reviews: int
    cards: int
    current: tuple[float, ...]
    current_loss: float
    current_rmse: float
    fitted: tuple[float, ...]
    fitted_loss: float
    fitted_rmse: float


def review_items(answers: Iterable[Answer]) -> list[fsrs_rs_python.FSRSItem]:
    """One training item per review a day or more after the card's previous one: the card's
    ratings so far, each with the learner days since the one before (FSRS's input)."""
    return [item for _, item in dated_items(answers)]


def dated_items(answers: Iterable[Answer]) -> list[tuple[date, fsrs_rs_python.FSRSItem]]:
    """``review_items`` with the learner day of each item's last review (to hold out the
    latest reviews when judging a fit)."""
    import fsrs_rs_python as rs

    by_card: dict[tuple[str, str], list[Answer]] = defaultdict(list)
    for a in answers:
        if a.kind != "exam":  # an exam answers without scheduling: no review
            by_card[(a.deck_id, a.card_key)].append(a)
    items = []
    for history in by_card.values():
        reviews = []
        previous = None
        for a in history:
            days = 0 if previous is None else (a.learner_day - previous).days
            reviews.append(rs.FSRSReview(a.rating, days))
            previous = a.learner_day
            if len(reviews) > 1 and days > 0:
                items.append((a.learner_day, rs.FSRSItem(list(reviews))))
    return items


def fit(answers: Iterable[Answer], current: Sequence[float] | None = None) -> Fit:
    """Fit FSRS's weights to these answers and score both sets of weights on them."""
    import fsrs_rs_python as rs

    answers = list(answers)
    items = review_items(answers)
    if len(items) < MIN_REVIEWS:
        raise QuizError(
            f"{len(items)} review(s) a day or more apart: FSRS needs at least {MIN_REVIEWS} to "
            "fit your own weights; keep studying with the defaults"
        )
    weights = tuple(current) if current else tuple(rs.DEFAULT_PARAMETERS)
    config = rs.TrainingConfig()  # a fixed seed: the same history fits the same weights
    fitted = tuple(rs.FSRS(list(weights)).compute_parameters(items, training_config=config))
    return _scored(answers, items, weights, fitted)


def prediction(answers: Iterable[Answer], weights: Sequence[float] | None) -> Fit | None:
    """How well these weights (None: FSRS's defaults) predict the answers' reviews, as a
    ``Fit`` of the weights with themselves; None with fewer than ``MIN_REVIEWS`` to judge."""
    import fsrs_rs_python as rs

    answers = list(answers)
    items = review_items(answers)
    if len(items) < MIN_REVIEWS:
        return None
    used = tuple(weights) if weights else tuple(rs.DEFAULT_PARAMETERS)
    return _scored(answers, items, used, used)


def _scored(
    answers: list[Answer],
    items: list[fsrs_rs_python.FSRSItem],
    current: tuple[float, ...],
    fitted: tuple[float, ...],
) -> Fit:
    import fsrs_rs_python as rs

    before = rs.FSRS(list(current)).evaluate(items)
    after = before if fitted == current else rs.FSRS(list(fitted)).evaluate(items)
    cards = len({(a.deck_id, a.card_key) for a in answers})
    return Fit(
        len(items),
        cards,
        current,
        before.log_loss,
        before.rmse_bins,
        fitted,
        after.log_loss,
        after.rmse_bins,
    )


_TABLE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*parameters\s*=")


def write_parameters(path: Path, weights: Sequence[float]) -> None:
    """Set ``[study] parameters`` in the settings file at ``path`` (created if missing),
    replacing an earlier value and leaving every other line as it was."""
    from quiz.files import write_output

    line = "parameters = [" + ", ".join(f"{w:.4f}" for w in weights) + "]"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    table: str | None = None
    header: int | None = None
    for n, text in enumerate(lines):
        if m := _TABLE.match(text):
            table = m.group(1)
            header = n if table == "study" else header
        elif table == "study" and _KEY.match(text):
            lines[n] = line
            break
    else:
        if header is None:
            lines += ["", "[study]", line] if lines else ["[study]", line]
        else:
            lines.insert(header + 1, line)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_output(path, "\n".join(lines) + "\n", force=True)
