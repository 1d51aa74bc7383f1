"""The exam engine: answer classes, distractors, determinism, scoring and the time limit."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import fsrs
import pytest

from quiz.config import Config
from quiz.exam import (
    AnswerClass,
    Exam,
    ExamError,
    answer_class,
    build_exam,
    pick_distractors,
    record_exam,
)
from quiz.grading import Rating, normalize
from quiz.model import DeckFile, Item, expand
from quiz.storage import CardState, DayCount, Review, Store

NOW = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def deck_items(*cards: dict[str, Any], deck_id: str = "d") -> list[Item]:
    return expand(deck_id, DeckFile.model_validate({"cards": list(cards)}).cards)


def by_key(items: list[Item], key: str) -> Item:
    return next(i for i in items if i.key == key)


PEOPLE: list[dict[str, Any]] = [
    {"id": "p1", "front": "Who founded Rome?", "back": "Romulus"},
    {"id": "p2", "front": "Who wrote the Iliad?", "back": "Homer"},
    {"id": "p3", "front": "Who painted the Mona Lisa?", "back": "Leonardo da Vinci"},
    {"id": "p4", "front": "Who discovered penicillin?", "back": "Alexander Fleming"},
]
NUMBERS: list[dict[str, Any]] = [
    {"id": "n1", "front": "How many legs has a spider?", "back": "8"},
    {"id": "n2", "front": "How many days in a leap year?", "back": "366"},
    {"id": "n3", "prompt": "Tons of aid sent?", "answer": "100 tons"},
    {"id": "n4", "front": "How many sides has a triangle?", "back": "three"},
]
TIMES: list[dict[str, Any]] = [
    {"id": "t1", "cloze": "The wall fell in {{1989}}."},
    {"id": "t2", "cloze": "The meeting was on {{Sunday}}."},
    {"id": "t3", "cloze": "The treaty was signed on {{4 July 1776}}."},
    {"id": "t4", "front": "In which month is Christmas?", "back": "December"},
]
OTHER: list[dict[str, Any]] = [
    {"id": "o1", "front": "What does a thermometer measure?", "back": "temperature"},
    {"id": "o2", "front": "What is ice?", "back": "frozen water"},
]
MIXED: list[dict[str, Any]] = [
    *PEOPLE,
    *NUMBERS,
    *TIMES,
    *OTHER,
    {"id": "c1", "question": "Largest planet?", "answer": "Jupiter", "distractors": ["Mars"]},
    {"id": "c2", "question": "Primes?", "answer": ["2", "3"], "distractors": ["4", "6"]},
    {"id": "f1", "statement": "Water boils at 100 °C at sea level.", "true": True},
    {"id": "f2", "statement": "The Moon is a planet.", "true": False},
    {"id": "r1", "prompt": "Order by size", "items": ["ant", "cat", "horse"]},
    {"id": "y1", "prompt": "Capital of France?", "answer": "Paris", "accept": ["Paris, France"]},
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", AnswerClass.NUMBER),
        ("about 100 tons", AnswerClass.NUMBER),
        ("one hundred", AnswerClass.NUMBER),
        ("twice", AnswerClass.NUMBER),
        ("$5 million", AnswerClass.NUMBER),
        ("50%", AnswerClass.NUMBER),
        ("1989", AnswerClass.YEAR),
        ("the 1990s", AnswerClass.YEAR),
        ("44 BC", AnswerClass.YEAR),
        ("27 February 2022", AnswerClass.DATE),
        ("2022-02-27", AnswerClass.DATE),
        ("the 19th century", AnswerClass.DATE),
        ("Sunday", AnswerClass.WEEKDAY),
        ("on Friday", AnswerClass.WEEKDAY),
        ("October", AnswerClass.MONTH),
        ("Naftali Bennett", AnswerClass.NAME),
        ("Prime Minister of Israel", AnswerClass.NAME),
        ("The United States", AnswerClass.NAME),
        ("Leonardo da Vinci", AnswerClass.NAME),
        ("KAN News", AnswerClass.NAME),
        ("Nothing", AnswerClass.OTHER),
        ("It declined to comment", AnswerClass.OTHER),
        ("A Russian news agency", AnswerClass.OTHER),
        ("frozen water", AnswerClass.OTHER),
        ("Jan", AnswerClass.NAME),
        ("", AnswerClass.OTHER),
    ],
)
def test_answer_class(text: str, expected: AnswerClass) -> None:
    assert answer_class(text) is expected


def test_time_classes_share_a_family() -> None:
    assert AnswerClass.YEAR.family == AnswerClass.WEEKDAY.family == "time"
    assert AnswerClass.NAME.family != AnswerClass.NUMBER.family


@pytest.mark.parametrize("seed", range(5))
def test_distractors_come_from_the_same_class(seed: int) -> None:
    items = deck_items(*MIXED)
    got = pick_distractors(by_key(items, "p1"), items, random.Random(seed))
    assert set(got) == {"Homer", "Leonardo da Vinci", "Alexander Fleming"}
    # Numbers: the other basic cards' numbers first, then one of the typed or choice ones.
    got = pick_distractors(by_key(items, "n1"), items, random.Random(seed))
    assert len(got) == 3
    assert {"366", "three"} < set(got) < {"366", "three", "100 tons", "2", "3"}


def test_distractors_prefer_same_class_then_calendar_then_family() -> None:
    items = deck_items(*TIMES, *PEOPLE)
    sunday = by_key(items, "t2/c1")
    got = pick_distractors(sunday, items, random.Random(3))
    # No other weekday in the deck: the calendar fills in, never Sunday itself.
    assert len(got) == 3
    assert all(answer_class(g) is AnswerClass.WEEKDAY for g in got)
    assert "Sunday" not in got
    year = by_key(items, "t1/c1")
    got = pick_distractors(year, items, random.Random(3))
    # Only other points in time, before any name.
    assert set(got) == {"Sunday", "4 July 1776", "December"}


def test_distractors_then_same_kind_when_the_class_runs_out() -> None:
    items = deck_items(
        {"id": "a", "front": "Q1", "back": "Romulus"},
        {"id": "b", "front": "Q2", "back": "frozen water"},
        {"id": "c", "cloze": "It is {{green grass}}."},
    )
    got = pick_distractors(by_key(items, "a"), items, random.Random(0))
    assert got == ["frozen water", "green grass"]


@pytest.mark.parametrize("seed", range(3))
def test_distractors_look_like_the_answer(seed: int) -> None:
    names = ["Alan Turing", "Homer", "Marie Curie", "Plato", "Ada Lovelace", "Niels Bohr"]
    items = deck_items(*({"id": f"n{i}", "front": f"Q{i}", "back": n} for i, n in enumerate(names)))
    got = pick_distractors(by_key(items, "n0"), items, random.Random(seed))
    assert set(got) == {"Marie Curie", "Ada Lovelace", "Niels Bohr"}


def test_distractors_never_repeat_or_equal_the_answer_after_normalising() -> None:
    items = deck_items(
        {"id": "a", "front": "Q1", "back": "Homer"},
        {"id": "b", "front": "Q2", "back": "homer!"},
        {"id": "c", "front": "Q3", "back": "Virgil"},
        {"id": "d", "front": "Q4", "back": "  VIRGIL "},
        {"id": "e", "front": "Q5", "back": "The Virgil"},
        {"id": "f", "prompt": "Q6", "answer": "Ovid", "accept": ["Ovidius"]},
        {"id": "g", "front": "Q7", "back": "Ovidius"},
    )
    got = pick_distractors(by_key(items, "a"), items, random.Random(0))
    norms = [normalize(g) for g in got]
    assert "homer" not in norms
    assert len(set(norms)) == len(norms) == 3
    ovid = pick_distractors(by_key(items, "f"), items, random.Random(0))
    assert "Ovidius" not in ovid


def test_distractors_skip_siblings_of_the_same_card() -> None:
    items = deck_items(
        {"id": "h", "front": "Isaac Herzog", "back": "President of Israel", "reverse": True},
        {"id": "b", "front": "Who led the government?", "back": "Naftali Bennett"},
    )
    reverse = by_key(items, "h/reverse")
    assert pick_distractors(reverse, items, random.Random(0)) == ["Naftali Bennett"]


def test_exam_forms_by_kind() -> None:
    items = deck_items(*MIXED)
    exam = build_exam(items, count=len(items), seed=7, now=NOW)
    assert len(exam.questions) == len(items)
    forms = {q.item.key: q for q in exam.questions}
    for key in ("p1", "n1", "t1/c1", "o1"):
        q = forms[key]
        assert q.kind == "choice"
        assert q.answers == (q.item.answer,)
        assert q.item.answer in q.options and len(q.options) == 4
    assert forms["c1"].kind == "choice" and set(forms["c1"].options) == {"Jupiter", "Mars"}
    assert forms["c2"].multiple
    assert forms["f1"].kind == "truefalse"
    assert forms["y1"].kind == "typed" and forms["y1"].answers == ("Paris", "Paris, France")
    order = forms["r1"]
    assert order.kind == "order" and sorted(order.options) == ["ant", "cat", "horse"]
    assert list(order.options) != ["ant", "cat", "horse"]


def test_a_lone_card_without_distractors_is_typed() -> None:
    items = deck_items({"id": "a", "front": "Capital of Peru?", "back": "Lima"})
    (q,) = build_exam(items, seed=1, now=NOW).questions
    assert q.kind == "typed"
    assert q.grade("lima").correct


def test_exam_is_deterministic_for_a_seed() -> None:
    items = deck_items(*MIXED)

    def shape(exam: Exam) -> list[tuple[str, tuple[str, ...]]]:
        return [(q.item.key, q.options) for q in exam.questions]

    first = build_exam(items, count=10, seed=42, now=NOW)
    again = build_exam(items, count=10, seed=42, now=NOW)
    other = build_exam(items, count=10, seed=43, now=NOW)
    assert shape(first) == shape(again)
    assert shape(first) != shape(other)


def test_one_question_per_card_before_siblings() -> None:
    cards = [{"id": f"c{n}", "front": f"Q{n}", "back": f"A{n}", "reverse": True} for n in range(5)]
    items = deck_items(*cards)
    exam = build_exam(items, count=5, seed=3, now=NOW)
    assert len({q.item.card_key for q in exam.questions}) == 5
    full = build_exam(items, count=50, seed=3, now=NOW)
    assert len(full.questions) == 10
    assert len({q.item.key for q in full.questions}) == 10


def _answer_right(exam: Exam, index: int, now: datetime | None = None) -> None:
    q = exam.questions[index]
    if q.kind == "typed":
        exam.answer(index, q.answers[0], now)
    elif q.kind == "truefalse":
        exam.answer(index, q.item.answer == "true", now)
    elif q.kind == "order":
        exam.answer(index, [q.options.index(a) for a in q.answers], now)
    else:
        exam.answer(index, [q.options.index(a) for a in q.answers], now)


def test_scoring_and_mistakes() -> None:
    items = deck_items(*MIXED)
    exam = build_exam(items, count=8, seed=5, now=NOW)
    kinds = {q.kind for q in exam.questions}
    assert {"choice", "truefalse"} <= kinds
    wrong = 0
    for index, q in enumerate(exam.questions):
        if q.kind == "truefalse":
            grade = exam.answer(index, q.item.answer != "true")
            assert not grade.correct
            wrong = index
        elif index != 1:
            _answer_right(exam, index)
    result = exam.result()
    assert result.total == 8
    assert result.score == 6  # one wrong, one (index 1) unanswered
    assert result.percent == pytest.approx(75.0)
    missed = {m.question.item.key: m for m in result.mistakes}
    assert set(missed) == {exam.questions[wrong].item.key, exam.questions[1].item.key}
    assert missed[exam.questions[1].item.key].given is None
    assert missed[exam.questions[wrong].item.key].expected == exam.questions[wrong].item.answer
    assert result.missed_keys == [("d", m.question.item.key) for m in result.mistakes]
    assert len(result.answers) == 7


def test_typed_near_miss_counts_as_right() -> None:
    items = deck_items({"id": "y", "prompt": "Who wrote Hamlet?", "answer": "Shakespeare"})
    exam = build_exam(items, seed=1, now=NOW)
    grade = exam.answer(0, "Shakespear")
    assert grade.correct
    assert exam.result().score == 1


def test_answers_are_checked() -> None:
    items = deck_items(*MIXED)
    exam = build_exam(items, count=len(items), seed=5, now=NOW)
    choice = next(i for i, q in enumerate(exam.questions) if q.kind == "choice")
    typed = next(i for i, q in enumerate(exam.questions) if q.kind == "typed")
    with pytest.raises(ExamError, match="no option"):
        exam.answer(choice, [9])
    with pytest.raises(ExamError, match="cannot take"):
        exam.answer(typed, True)
    with pytest.raises(ExamError, match="no question"):
        exam.answer(len(exam.questions), "x")
    exam.answer(typed, "x")
    with pytest.raises(ExamError, match="already answered"):
        exam.answer(typed, "y")


def test_time_limit() -> None:
    items = deck_items(*PEOPLE)
    exam = build_exam(items, count=4, seed=2, now=NOW, time_limit=timedelta(minutes=5))
    assert exam.remaining(NOW) == timedelta(minutes=5)
    assert exam.remaining(NOW + timedelta(minutes=2)) == timedelta(minutes=3)
    _answer_right(exam, 0, NOW + timedelta(seconds=30))
    _answer_right(exam, 1, NOW + timedelta(seconds=75))
    assert [a.duration_ms for a in exam.answered.values()] == [30_000, 45_000]
    assert not exam.expired(NOW + timedelta(minutes=4, seconds=59))
    late = NOW + timedelta(minutes=5)
    assert exam.expired(late)
    assert exam.remaining(late + timedelta(minutes=1)) == timedelta(0)
    with pytest.raises(ExamError, match="time is up"):
        _answer_right(exam, 2, late)
    result = exam.result()
    assert (result.score, result.total) == (2, 4)
    assert [m.given for m in result.mistakes] == [None, None]


def test_no_time_limit_never_expires() -> None:
    exam = build_exam(deck_items(*PEOPLE), seed=2, now=NOW)
    assert not exam.expired(NOW + timedelta(days=400))
    assert exam.remaining(NOW) == timedelta.max


@pytest.mark.parametrize(
    "kwargs",
    [{"count": 0}, {"time_limit": timedelta(0)}],
)
def test_bad_exam_requests_are_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ExamError):
        build_exam(deck_items(*PEOPLE), seed=1, now=NOW, **kwargs)
    with pytest.raises(ExamError, match="no cards"):
        build_exam([], seed=1, now=NOW)


def test_record_exam_logs_answers_without_moving_the_schedule(tmp_path: Path) -> None:
    items = deck_items(*PEOPLE)
    config = Config(timezone="Europe/Berlin")
    with Store.open(tmp_path, now=NOW) as store:
        studied = items[0]
        session_state = CardState(
            "d",
            studied.key,
            fsrs.State.Review,
            None,
            12.0,
            5.0,
            NOW + timedelta(days=12),
            NOW,
            reps=3,
        )
        store.import_reviews([_study_review(studied, session_state)])
        exam = build_exam(items, count=4, seed=9, now=NOW)
        index = {q.item.key: n for n, q in enumerate(exam.questions)}
        _answer_right(exam, index[studied.key], NOW + timedelta(seconds=20))
        wrong = next(n for n in range(4) if n != index[studied.key])
        options = exam.questions[wrong].options
        bad = next(n for n, o in enumerate(options) if o not in exam.questions[wrong].answers)
        exam.answer(wrong, [bad], NOW + timedelta(seconds=50))
        logged = record_exam(store, exam.result(), NOW + timedelta(minutes=1), config)

        assert [r.kind for r in logged] == ["exam", "exam"]
        assert [r.rating for r in logged] == [Rating.GOOD, Rating.AGAIN]
        assert [r.duration_ms for r in logged] == [20_000, 30_000]
        assert logged[0].reviewed_at == NOW + timedelta(seconds=20)
        assert logged[0].tz_name == "Europe/Berlin" and logged[0].utc_offset_minutes == 60
        assert logged[0].learner_day == date(2024, 3, 5)
        # The studied card keeps its schedule; the new card stays new.
        assert store.state("d", studied.key) == session_state
        untouched = store.state("d", exam.questions[wrong].item.key)
        assert untouched is None or untouched.is_new
        assert store.day_counts(date(2024, 3, 5)) == {"d": DayCount(0, 1, 1)}
        history = store.history("d", studied.key)
        assert [r.kind for r in history] == ["review", "exam"]
        assert history[-1].state_before == history[-1].state_after == session_state


def _study_review(item: Item, after: CardState) -> Review:
    return Review(
        id="study-1",
        deck_id=item.deck_id,
        card_key=item.key,
        rating=3,
        kind="review",
        reviewed_at=NOW - timedelta(minutes=5),
        utc_offset_minutes=60,
        tz_name="Europe/Berlin",
        learner_day=date(2024, 3, 5),
        duration_ms=1000,
        content_hash=item.content_hash,
        state_before=replace(after, due=NOW, last_review=NOW - timedelta(days=3)),
        state_after=after,
    )
