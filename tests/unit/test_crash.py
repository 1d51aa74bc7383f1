"""Crash safety: ``quiz study --plain`` killed with SIGKILL at random points never loses an
answer it acknowledged, never records one twice, and leaves a sound database.

Each run starts the real program on a pipe, writes a burst of answers, reads a random number
of its ``recorded <review-id> <deck> <card> <rating>`` lines (printed after the durable
commit) and kills it: during start-up (opening, migrating, the daily backup), between answers,
or in the middle of a commit. The clock moves a day per run so earlier cards come due again.

CI runs a few runs (``QUIZ_CRASH_RUNS``, default 6); ``QUIZ_SLOW=1`` runs at least 60 runs and
200 acknowledged answers (see docs/reliability.md). ``QUIZ_CRASH_SEED`` replays a failure.
"""

from __future__ import annotations

import os
import random
import signal
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from deadline import within
from plain_runs import RECORDED, assert_sound, checked_log, start_study

from quiz.backup import backups_dir, list_backups, rotate, verify_backup
from quiz.storage import Store, db_path

START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
SLOW = os.environ.get("QUIZ_SLOW") == "1"
RUNS = int(os.environ.get("QUIZ_CRASH_RUNS") or (60 if SLOW else 6))
MIN_ANSWERS = 200 if SLOW else 0
SEED = int(os.environ.get("QUIZ_CRASH_SEED") or 20240304)


def write_home(home: Path, cards: int) -> Path:
    (home / "config.toml").write_text(
        'timezone = "UTC"\n[limits]\nnew_per_day = 10000\nreviews_per_day = 100000\n'
    )
    deck = home / "crash.toml"
    body = "".join(f'[[cards]]\nfront = "q{n}"\nback = "a{n}"\n' for n in range(cards))
    deck.write_text(
        '[deck]\nid = "crash"\ntitle = "Crash"\n[deck.study]\nnew_per_day = 10000\n' + body
    )
    return deck


@dataclass
class Runs:
    """What the runs were told, and what the program acknowledged."""

    acknowledged: dict[str, tuple[str, int]] = field(default_factory=dict)
    """review id -> (card key, rating) for every ``recorded`` line read."""
    killed: int = 0
    sent: int = 0


def study_and_kill(home: Path, deck: Path, now: datetime, rng: random.Random, runs: Runs) -> None:
    proc = start_study(home, deck, now.isoformat())
    assert proc.stdin is not None and proc.stdout is not None
    burst = rng.randint(1, 12)
    proc.stdin.write("".join(f"\n{rng.randint(1, 4)}\n" for _ in range(burst)))
    proc.stdin.flush()
    runs.sent += burst
    # Wait for some acknowledgements (none: killed while starting up), then maybe a few more
    # lines, so the kill lands anywhere in showing, grading or committing the next answer.
    wait_for = rng.randint(0, burst - 1)
    extra_lines = rng.randint(0, 4)
    seen: list[str] = []
    with within(60):
        while sum(1 for line in seen if RECORDED.match(line)) < wait_for:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
        for _ in range(extra_lines if wait_for else 0):
            seen.append(proc.stdout.readline())
        proc.send_signal(signal.SIGKILL)
        rest, err = proc.communicate()
    runs.killed += proc.returncode == -signal.SIGKILL
    out = "".join(seen) + rest  # lines flushed before the kill were acknowledged too
    assert "Traceback" not in err, err
    for review_id, deck_id, key, rating in RECORDED.findall(out):
        assert deck_id == "crash"
        assert review_id not in runs.acknowledged, f"{review_id} acknowledged twice"
        runs.acknowledged[review_id] = (key, int(rating))


@pytest.mark.slow
def test_sigkill_never_loses_or_doubles_an_answer(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    home = tmp_path / "home"
    home.mkdir()
    deck = write_home(home, cards=40)
    runs = Runs()
    run = 0
    while run < RUNS or len(runs.acknowledged) < MIN_ANSWERS:
        now = START + timedelta(days=run, minutes=rng.randint(0, 600))
        study_and_kill(home, deck, now, rng, runs)
        run += 1
        if db_path(home).exists():
            assert_sound(home)
    note = f"(QUIZ_CRASH_SEED={SEED}, {run} runs)"
    print(f"{len(runs.acknowledged)} acknowledged, {runs.sent} sent, {runs.killed} killed {note}")
    assert runs.killed >= run // 2, f"most runs should be killed mid-way {note}"

    with Store.open(home, now=START + timedelta(days=run)) as store:
        log = checked_log(store, "crash", runs.acknowledged)
    # At most one answer per kill was committed but not yet acknowledged: none doubled.
    assert len(runs.acknowledged) <= len(log) <= len(runs.acknowledged) + runs.killed, note
    assert len(log) <= runs.sent, note
    assert_sound(home)
    # A kill during the daily backup never leaves a bad backup, and its partial copy goes.
    backups = backups_dir(home)
    rotate(backups, START + timedelta(days=run))
    assert not list(backups.glob(".*.partial")), note
    for backup in list_backups(backups):
        assert verify_backup(backup.path) == [], note
