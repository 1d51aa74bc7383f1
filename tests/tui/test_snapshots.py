"""Screenshots of every screen at 80x24 and 120x40 (pytest-textual-snapshot).

The app is built by the same factory as the CLI, with a fixed clock, a temp QUIZ_HOME and no
animation or cursor blink. Each screen is reached in ``run_before`` so workers can finish
before the picture is taken. Update with ``--snapshot-update`` only after looking at them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import AppFactory, Clock, Settle, SnapCompare
from pilot_keys import put_in_order, study_screen, type_text
from textual.pilot import Pilot

from quiz.session import StudySession, Summary
from quiz.tui.screens.exam import ExamScreen
from quiz.tui.screens.summary import SummaryScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

Steps = Callable[[Pilot[Any]], Awaitable[None]]


Shoot = Callable[..., bool]
"""Take a screenshot after some steps; True when it matches the stored one."""


@pytest.fixture
def shoot(
    snap_compare: SnapCompare, make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> Shoot:
    """Take a screenshot of an app after some steps, each followed by letting workers finish.

    Runs in the decks' folder, so deck paths show the same wherever the tests run.
    """
    monkeypatch.chdir(Path(__file__).parent / "decks")

    def take(size: tuple[int, int], *steps: Steps, app: Any = None, **options: Any) -> bool:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            for step in steps:
                await step(pilot)
                await settle(pilot)

        same = snap_compare(app or make_app(**options), terminal_size=size, run_before=run_before)
        return bool(same)

    return take


def keys(*names: str) -> Steps:
    async def press(pilot: Pilot[Any]) -> None:
        await pilot.press(*names)

    return press


async def to_typed_card(pilot: Pilot[Any]) -> None:
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("space", "3", "space", "3")


@pytest.mark.parametrize("size", SIZES)
def test_home(
    shoot: Shoot,
    size: tuple[int, int],
    tmp_path: Path,
    make_app: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("broken.toml").write_text('[deck]\ntitle = "Broken"\n\n[[cards]]\nfornt = "typo"\n')
    app = make_app("every-kind.toml", "hostile.toml", Path("broken.toml"))
    assert shoot(size, app=app)


@pytest.mark.parametrize("size", SIZES)
def test_study_question(shoot: Shoot, size: tuple[int, int]) -> None:
    assert shoot(size, keys("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_study_revealed(shoot: Shoot, size: tuple[int, int]) -> None:
    assert shoot(size, keys("enter"), keys("space"))


@pytest.mark.parametrize("size", SIZES)
def test_study_typed_feedback(shoot: Shoot, size: tuple[int, int]) -> None:
    async def typo(pilot: Pilot[Any]) -> None:
        await type_text(pilot, "Shakespaere")
        await pilot.press("enter")

    assert shoot(size, to_typed_card, typo)


@pytest.mark.parametrize("size", SIZES)
def test_study_choice(shoot: Shoot, size: tuple[int, int]) -> None:
    async def right_answer(pilot: Pilot[Any]) -> None:
        await type_text(pilot, "Shakespeare")
        await pilot.press("enter", "4")

    assert shoot(size, to_typed_card, right_answer)


@pytest.mark.parametrize("size", SIZES)
def test_study_order(shoot: Shoot, size: tuple[int, int]) -> None:
    async def to_order(pilot: Pilot[Any]) -> None:
        while (kind := study_screen(pilot).card.kind) != "order":  # type: ignore[union-attr]
            # Bury until the order card (leaving the answer box of a typed card first).
            await pilot.press(*(["escape"] if kind == "typed" else []), "minus")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.press("down", "left_square_bracket")

    assert shoot(size, keys("enter"), to_order)


@pytest.mark.parametrize("size", SIZES)
def test_summary(shoot: Shoot, size: tuple[int, int], clock: Clock) -> None:
    """The summary of seven answers in 56 s, shown from a fixed summary: the session that
    leads to it is played (and its summary checked) by test_every_kind_to_the_summary."""

    async def summary(pilot: Pilot[Any]) -> None:
        clock.advance(56)
        now = clock.now()
        done = Summary(
            studied=7, correct=7, again=0, time_ms=56_000, next_due=now + timedelta(days=8)
        )
        pilot.app.push_screen(SummaryScreen(done, now))

    assert shoot(size, summary)


@pytest.mark.parametrize("size", SIZES)
def test_exam_question(shoot: Shoot, size: tuple[int, int]) -> None:
    assert shoot(size, command="exam", exam_count=7, exam_minutes=10)


@pytest.mark.parametrize("size", SIZES)
def test_exam_result(shoot: Shoot, size: tuple[int, int]) -> None:
    async def answer_all(pilot: Pilot[Any]) -> None:
        wrong = True
        while isinstance(screen := pilot.app.screen, ExamScreen):
            assert screen.exam is not None
            question = screen.exam.questions[screen.index]
            match question.kind:
                case "typed":
                    await type_text(pilot, "no idea" if wrong else question.answers[0])
                    await pilot.press("enter")
                case "truefalse":
                    await pilot.press("t" if question.answers[0] == "true" else "f")
                case "choice":
                    numbers = [str(question.options.index(a) + 1) for a in question.answers]
                    await pilot.press(*numbers, *(["enter"] if question.multiple else []))
                case "order":
                    await put_in_order(pilot, list(question.options), list(question.options))
            wrong = False
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    assert shoot(size, answer_all, command="exam", exam_count=7)


@pytest.mark.parametrize("size", SIZES)
def test_statistics(
    shoot: Shoot, size: tuple[int, int], make_app: AppFactory, clock: Clock
) -> None:
    app = make_app()
    start = clock.now()

    async def history(pilot: Pilot[Any]) -> None:
        for days_ago in (40, 25, 12, 9, 3, 1):
            clock.moment = start - timedelta(days=days_ago)
            session = StudySession(app.store, app.library.decks, clock.now, app.config)
            for n in range(20):
                if session.next_card() is None:
                    break
                session.rate(1 if n % 5 == 0 else 3)
                clock.advance(30)
        clock.moment = start
        await pilot.press("s")

    assert shoot(size, history, app=app)


@pytest.mark.parametrize("size", SIZES)
def test_browse(shoot: Shoot, size: tuple[int, int], make_app: AppFactory, clock: Clock) -> None:
    app = make_app()

    async def some_history(pilot: Pilot[Any]) -> None:
        session = StudySession(app.store, app.library.decks, clock.now, app.config)
        session.next_card()
        session.rate(3, duration_ms=5000)
        await pilot.press("b")

    assert shoot(size, some_history, keys("tab"), app=app)


@pytest.mark.parametrize("size", SIZES)
def test_help(shoot: Shoot, size: tuple[int, int]) -> None:
    assert shoot(size, keys("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_custom_study(shoot: Shoot, size: tuple[int, int]) -> None:
    assert shoot(size, keys("c"))


@pytest.mark.parametrize("size", SIZES)
def test_card_info(shoot: Shoot, size: tuple[int, int], make_app: AppFactory, clock: Clock) -> None:
    app = make_app()

    async def studied_yesterday(pilot: Pilot[Any]) -> None:
        """The first card answered a day ago (Again, then Good), so it has a history."""
        clock.advance(-86_400)
        session = StudySession(app.store, app.library.decks, clock.now, app.config)
        session.next_card()
        session.rate(1, duration_ms=7000)
        clock.advance(120)
        session.next_card()
        session.rate(3, duration_ms=3000)
        clock.advance(86_400 - 120)

    assert shoot(size, studied_yesterday, keys("enter"), keys("space", "i"), app=app)


@pytest.mark.parametrize("size", SIZES)
def test_browse_marked_and_sorted(shoot: Shoot, size: tuple[int, int]) -> None:
    assert shoot(size, keys("b"), keys("down", "space", "space", "o"))
