"""Fixtures for the Textual tests: a temp QUIZ_HOME, a clock the test moves, an app factory."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerState

from quiz.config import Config
from quiz.model import StudySettings
from quiz.storage import Store
from quiz.tui import build_app
from quiz.tui.app import QuizApp

DECKS = Path(__file__).parent / "decks"
START = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


@dataclass
class Clock:
    """The app's wall clock and monotonic clock, moved only by the test."""

    moment: datetime = START
    seconds: float = 0.0

    def now(self) -> datetime:
        return self.moment

    def monotonic(self) -> float:
        return self.seconds

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)
        self.seconds += seconds


@dataclass
class EditorSpy:
    """Stands in for $EDITOR: records where it was opened and may rewrite the file."""

    calls: list[tuple[Path, int]] = field(default_factory=list)
    edit: Callable[[Path], None] | None = None

    def __call__(self, path: Path, line: int) -> None:
        self.calls.append((path, line))
        if self.edit is not None:
            self.edit(path)


@pytest.fixture
def quiz_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("QUIZ_HOME", str(home))
    return home


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def editor() -> EditorSpy:
    return EditorSpy()


AppFactory = Callable[..., QuizApp]


@pytest.fixture
def make_app(quiz_home: Path, clock: Clock, editor: EditorSpy) -> AppFactory:
    """Build the app as the CLI does, over test decks only, with the test's clock."""

    def make(*decks: str | Path, **options: Any) -> QuizApp:
        # UTC learner days and no interval fuzz: the same screens on every run.
        options.setdefault("config", Config(timezone="UTC", study=StudySettings(fuzz=False)))
        options.setdefault("default_decks", False)
        paths = [d if isinstance(d, Path) else DECKS / d for d in decks]
        if not decks and not options["default_decks"]:
            paths = [DECKS / "every-kind.toml"]
        return build_app(
            data_dir=quiz_home,
            decks=paths,
            now=clock.now,
            monotonic=clock.monotonic,
            editor=editor,
            calm=True,
            **options,
        )

    return make


SnapCompare = Callable[..., bool]
"""pytest-textual-snapshot's ``snap_compare`` fixture."""

StoreOpener = Callable[[], Store]
"""The ``store`` fixture: opens the test's progress database."""


@pytest.fixture
def store(quiz_home: Path) -> Iterator[StoreOpener]:
    """Open the test's progress database (after the app wrote to it) to check what it holds."""
    opened: list[Store] = []

    def open_store() -> Store:
        opened.append(Store.open(quiz_home, now=START))
        return opened[-1]

    yield open_store
    for s in opened:
        s.close()


async def _settle(pilot: Pilot[Any]) -> None:
    """Until no worker is left running and the screen has caught up twice in a row.

    A screen may chain workers (browse: index, then search, then a card's history), each
    started by the callback of the one before: waiting a fixed number of rounds is enough on an
    idle machine only. The loop ends, without sleeping, as soon as all is quiet."""
    quiet = 0
    for _ in range(200):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # superseded by a newer one (a search per keystroke)
            continue
        await pilot.pause()
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= 2:
            return
    raise AssertionError("workers kept running")


Settle = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture
def settle() -> Settle:
    """Let workers finish and the screen catch up (no sleeping)."""
    return _settle
