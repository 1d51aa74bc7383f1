"""What one card is now and how it got there: its state, FSRS memory, the chance of recall
now, and its review history. UI-free; the browser's details, the study screen's card info
(``i``) and plain mode (``i``) all say it in these words."""

from __future__ import annotations

from datetime import datetime, tzinfo

from quiz.card_state import CardState
from quiz.grading import RATING_NAMES, Rating
from quiz.model import StudySettings
from quiz.scheduling import retrievability
from quiz.search import state_name
from quiz.storage import Review

__all__ = ["history_lines", "state_lines"]


def _when(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def state_lines(
    state: CardState | None, now: datetime, settings: StudySettings, zone: tzinfo
) -> list[tuple[str, str]]:
    """(label, text) of a card's state: what it is, when due, reps and lapses, its memory."""
    if state is None or state.is_new:
        lines = [("State", state_name(state, now))]
        if state is not None and state.buried_until is not None and state.buried_until > now:
            lines.append(("Buried until", _when(state.buried_until, zone)))
        return lines
    due = _when(state.due, zone) if state.due else "—"
    lines = [
        ("State", f"{state_name(state, now)} · due {due}"),
        ("Reviews", f"reps {state.reps} · lapses {state.lapses}"),
    ]
    recall = retrievability(state, now, settings)
    memory = f"stability {state.stability or 0:.1f}d · difficulty {state.difficulty or 0:.1f}"
    if recall is not None:
        memory += f" · recall now {recall:.0%}"
    lines.append(("Memory", memory))
    if "leech" in state.tags:
        lines.append(("Tags", "leech (forgotten again and again)"))
    return lines


def history_lines(history: list[Review], zone: tzinfo, *, last: int = 50) -> list[str]:
    """A card's log, newest first: when, what kind, the rating (or a change by hand), the
    time taken, and whether it was undone."""
    lines = []
    for review in reversed(history[-last:]):
        if review.rating:
            what = RATING_NAMES.get(Rating(review.rating), str(review.rating))
        else:
            what = "changed by hand"
        undone = " (undone)" if review.undone else ""
        seconds = f" · {review.duration_ms / 1000:.0f}s" if review.duration_ms >= 500 else ""
        lines.append(f"{_when(review.reviewed_at, zone)}  {review.kind:<8} {what}{seconds}{undone}")
    return lines
