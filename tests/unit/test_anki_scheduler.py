"""quiz's intervals against Anki's own FSRS scheduler (the ``anki`` package), to the day.

Anki's scheduler reads the system clock, so it runs in a process under libfaketime (Debian's
``faketime``, installed by ``.ci/run``) at each chosen instant, fuzz off (``ANKI_TEST_MODE``).
quiz answers the same card at the same instants; after every answer both must agree: in
review, on the learner day it falls due; in learning, on the seconds; and on the stability.

No case spans a daylight-saving change: Anki counts the days since a review in 24-hour periods
up to the next day start, one too many or too few across such a change; quiz counts learner
days on the calendar (``test_scheduling``'s DST tests).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from helpers import FAKETIME, faketime_env

from quiz.card_state import CardState
from quiz.model import StudySettings
from quiz.scheduling import Calendar, apply_rating

ORACLE = Path(__file__).with_name("anki_oracle.py")

pytestmark = pytest.mark.skipif(not FAKETIME.exists(), reason="libfaketime is not installed")


def anki(
    zone: str, answers: list[tuple[str, int]], tmp: Path, maximum: int
) -> list[dict[str, Any]]:
    clock = tmp / "faketime"
    clock.write_text(f"@{answers[0][0]}\n")
    env = faketime_env(zone, clock)
    job = json.dumps({"answers": answers, "maximum_interval": maximum})
    done = subprocess.run(
        [sys.executable, str(ORACLE), job], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def quiz(zone: str, answers: list[tuple[str, int]], maximum: int) -> list[dict[str, Any]]:
    tz = ZoneInfo(zone)
    calendar = Calendar(tz, 4)
    settings = StudySettings(fuzz=False, maximum_interval=maximum)
    state = CardState("d", "k")
    out = []
    for moment, rating in answers:
        now = datetime.fromisoformat(moment).replace(tzinfo=tz)
        state = apply_rating(state, rating, now, settings, calendar).state
        assert state.due is not None
        review = state.state == 2
        out.append(
            {
                "review": review,
                "days": (calendar.day(state.due) - calendar.day(now)).days if review else None,
                "seconds": None if review else round((state.due - now).total_seconds()),
                "stability": state.stability,
            }
        )
    return out


def on_due(
    start: str, ratings: list[int], zone: str, earlier: timedelta = timedelta()
) -> list[tuple[str, int]]:
    """Answers at ``start`` then each time on the day the card falls due (learning steps after
    their delay), each day ``earlier`` than the last."""
    tz = ZoneInfo(zone)
    calendar = Calendar(tz, 4)
    settings = StudySettings(fuzz=False)
    moment = datetime.fromisoformat(start).replace(tzinfo=tz)
    state = CardState("d", "k")
    answers = []
    for rating in ratings:
        answers.append((moment.strftime("%Y-%m-%d %H:%M:%S"), rating))
        state = apply_rating(state, rating, moment, settings, calendar).state
        assert state.due is not None
        if state.state == 2:  # in review: that day, at the same hour (or earlier)
            day = calendar.day(state.due)
            local = moment.astimezone(tz) - earlier
            moment = datetime.combine(day, local.time(), tzinfo=tz)
            if calendar.day(moment) != day:
                moment += timedelta(days=1)
        else:
            moment = state.due.astimezone(tz) + timedelta(seconds=30)
    return answers


def later(start: str, steps: list[tuple[timedelta, int]]) -> list[tuple[str, int]]:
    """Answers at ``start`` plus each offset (from the answer before)."""
    moment = datetime.fromisoformat(start)
    answers = []
    for offset, rating in steps:
        moment += offset
        answers.append((moment.strftime("%Y-%m-%d %H:%M:%S"), rating))
    return answers


BERLIN = "Europe/Berlin"
MINUTE, DAY = timedelta(minutes=1), timedelta(days=1)
CASES: dict[str, tuple[str, list[tuple[str, int]], int]] = {
    "a new card, Good throughout": (BERLIN, on_due("2024-03-04 09:00:00", [3] * 7, BERLIN), 36500),
    "Hard, Good and Easy mixed": (
        BERLIN,
        on_due("2024-01-08 10:00:00", [3, 3, 2, 3, 4, 2, 3, 4, 3], BERLIN),
        36500,
    ),
    "lapses, then relearning": (
        BERLIN,
        on_due("2024-01-08 10:00:00", [3, 3, 3, 1, 3, 3, 1, 3, 2, 3, 1, 3, 3], BERLIN),
        36500,
    ),
    "Easy from the first answer": (
        BERLIN,
        on_due("2024-01-08 20:00:00", [4, 4, 4, 4], BERLIN),
        36500,
    ),
    "50 minutes earlier every day": (
        BERLIN,
        on_due("2024-01-08 23:00:00", [3] * 9, BERLIN, earlier=timedelta(minutes=50)),
        36500,
    ),
    "overdue and early reviews": (
        BERLIN,
        later(
            "2024-01-08 10:00:00",
            [
                (0 * DAY, 3),
                (11 * MINUTE, 3),
                (30 * DAY, 3),
                (2 * DAY, 3),
                (1 * DAY, 2),
                (40 * DAY, 4),
            ],
        ),
        36500,
    ),
    "answers late at night, across midnight and the day start": (
        BERLIN,
        later(
            "2024-01-08 23:50:00",
            [(0 * DAY, 3), (11 * MINUTE, 3), (DAY + 3 * 60 * MINUTE, 3), (4 * 60 * MINUTE, 3)],
        ),
        36500,
    ),
    "the maximum interval": (
        BERLIN,
        on_due("2024-01-08 10:00:00", [3, 3, 4, 4, 4, 3, 2], BERLIN),
        10,
    ),
}


def compare(zone: str, answers: list[tuple[str, int]], tmp: Path, maximum: int) -> None:
    theirs = anki(zone, answers, tmp, maximum)
    ours = quiz(zone, answers, maximum)
    for n, (a, q) in enumerate(zip(theirs, ours, strict=True)):
        where = f"answer {n + 1} ({answers[n]})"
        assert (q["review"], q["days"]) == (a["review"], a["days"]), where
        if not a["review"]:
            assert q["seconds"] == pytest.approx(a["seconds"], abs=2), where
        assert q["stability"] == pytest.approx(a["stability"], rel=1e-3), where


@pytest.mark.parametrize("name", list(CASES))
def test_quiz_schedules_as_anki_does(name: str, tmp_path: Path) -> None:
    zone, answers, maximum = CASES[name]
    compare(zone, answers, tmp_path, maximum)
