"""Exam flows driven with Pilot: answered to the score, logged as exam reviews, studying the
missed cards, time limit."""

from __future__ import annotations

from typing import Any

from conftest import AppFactory, Clock, Settle, StoreOpener
from helpers import review_count
from pilot_keys import answer_current, put_in_order, study_screen, type_text
from textual.pilot import Pilot
from textual.widgets import Static

from quiz.exam import Question
from quiz.tui.screens.exam import ExamResultScreen, ExamScreen, countdown
from quiz.tui.screens.study import StudyScreen
from quiz.tui.screens.summary import SummaryScreen


def exam_screen(pilot: Pilot[Any]) -> ExamScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ExamScreen), screen
    return screen


def current(pilot: Pilot[Any]) -> Question:
    screen = exam_screen(pilot)
    assert screen.exam is not None
    return screen.exam.questions[screen.index]


async def answer(pilot: Pilot[Any], question: Question, *, right: bool) -> None:
    """Answer a question with the keyboard, rightly or wrongly."""
    match question.kind:
        case "typed":
            await type_text(pilot, question.answers[0] if right else "no idea")
            await pilot.press("enter")
        case "truefalse":
            truth = question.answers[0] == "true"
            await pilot.press("t" if truth == right else "f")
        case "choice":
            wanted = (
                question.answers
                if right
                else [next(o for o in question.options if o not in question.answers)]
            )
            await pilot.press(*(str(question.options.index(a) + 1) for a in wanted))
            if question.multiple:
                await pilot.press("enter")
        case "order":
            # Shown shuffled, never in the right order: submitting it as shown is wrong.
            wanted = question.answers if right else question.options
            await put_in_order(pilot, list(question.options), list(wanted))
    await pilot.pause()


async def test_exam_to_its_score_is_logged_without_moving_the_schedule(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    app = make_app(command="exam", exam_count=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        kinds = set()
        first = True
        while isinstance(pilot.app.screen, ExamScreen):
            question = current(pilot)
            kinds.add(question.kind)
            await answer(pilot, question, right=not first)
            first = False
            await settle(pilot)
        result_screen = pilot.app.screen
        assert isinstance(result_screen, ExamResultScreen)
        result = result_screen.result
        assert (result.score, result.total) == (6, 7)
        assert len(result.mistakes) == 1
        text = "\n".join(str(s.render()) for s in result_screen.query(".mistake .field-value"))
        assert result.mistakes[0].expected in text
    assert kinds == {"choice", "typed", "truefalse", "order"}
    db = store()
    assert review_count(db) == 7
    logged = [r for key in db.card_keys("every-kind") for r in db.history("every-kind", key)]
    assert {r.kind for r in logged} == {"exam"}
    assert sorted(r.rating > 1 for r in logged) == [False] + [True] * 6
    assert all(s.is_new for s in db.states_for_deck("every-kind").values())


async def test_exam_answers_are_not_counted_as_study_done_today(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    async with make_app(command="exam", exam_count=3).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        while isinstance(pilot.app.screen, ExamScreen):
            await answer(pilot, current(pilot), right=True)
            await settle(pilot)
    assert review_count(store()) == 3
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        today = str(app.screen.query_one("#home-today", Static).render())
        assert ", 0 done" in today


async def test_study_missed_studies_the_mistakes_with_the_scheduler(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    async with make_app(command="exam", exam_count=3).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        missed = current(pilot)
        await answer(pilot, missed, right=False)
        await settle(pilot)
        while isinstance(pilot.app.screen, ExamScreen):
            await answer(pilot, current(pilot), right=True)
            await settle(pilot)
        assert isinstance(pilot.app.screen, ExamResultScreen)
        await pilot.press("m")
        await settle(pilot)
        shown = []
        while isinstance(pilot.app.screen, StudyScreen):
            card = study_screen(pilot).card
            assert card is not None
            shown.append(card.item.key)
            await answer_current(pilot)
            await settle(pilot)
        assert isinstance(pilot.app.screen, SummaryScreen)
        assert pilot.app.screen.summary.studied == 1
    assert shown == [missed.item.key]
    db = store()
    kinds = {
        key: [r.kind for r in db.history("every-kind", key)] for key in db.card_keys("every-kind")
    }
    assert kinds.pop(missed.item.key) == ["exam", "learn"]
    assert len(kinds) == 2 and all(k == ["exam"] for k in kinds.values())
    state = db.state("every-kind", missed.item.key)
    assert state is not None and state.reps == 1


async def test_time_limit_counts_down_and_ends_the_exam(
    make_app: AppFactory, settle: Settle, clock: Clock, store: StoreOpener
) -> None:
    app = make_app(command="exam", exam_count=5, exam_minutes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        clock_text = str(pilot.app.screen.query_one("#exam-clock").render())
        assert "01:00 left" in clock_text
        await answer(pilot, current(pilot), right=True)
        late = current(pilot)
        clock.advance(61)
        # Too late: refused, the exam ends, whether the clock's tick or this answer ends it
        # (under load the tick may come between the keys: they must not dismiss the result).
        await answer(pilot, late, right=True)
        await pilot.press("enter", "m", "escape")  # still typing as the time ran out
        await settle(pilot)
        result = pilot.app.screen
        assert isinstance(result, ExamResultScreen) and result.timed_out
        assert (result.result.score, result.result.total) == (1, 5)
        assert "Time is up" in str(result.query_one("#exam-time-up").render())
        clock.advance(ExamResultScreen.GRACE_SECONDS)
        await pilot.press("enter")  # read it: now Enter goes back
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ExamResultScreen)
    assert review_count(store()) == 1


def test_countdown_format() -> None:
    from datetime import timedelta

    assert countdown(timedelta(seconds=61)) == "01:01"
    assert countdown(timedelta(hours=1, seconds=5)) == "1:00:05"
    assert countdown(timedelta(seconds=-3)) == "00:00"
