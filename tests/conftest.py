"""Fixtures shared by every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import OPENED

from quiz.storage import Store


@pytest.fixture(autouse=True)
def _quiz_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point QUIZ_HOME at a fresh folder, so no test (or the processes it starts) writes the
    parse cache or progress into the real data dir. A test may set its own."""
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path_factory.mktemp("quiz-home")))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty progress database of the test's own (the app tests have their own ``store``,
    which opens the database the app wrote)."""
    with Store.open(tmp_path / "data", now=OPENED) as s:
        yield s
