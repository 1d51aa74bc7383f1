"""Tests for quiz.grading: normalisation, numbers, typed/choice/order grading."""

from __future__ import annotations

import math
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.grading import (
    DiffSpan,
    Grade,
    Rating,
    diff,
    grade_choice,
    grade_order,
    grade_true_false,
    grade_typed,
    normalize,
    parse_number,
)

# --------------------------------------------------------------------------
# normalize
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # case and whitespace
        ("PARIS", "paris"),
        ("  Paris  ", "paris"),
        ("New\t  York\n", "new york"),
        ("Straße", "strasse"),
        # accents
        ("Zélensky", "zelensky"),
        ("Ångström", "angstrom"),
        ("İstanbul", "istanbul"),
        ("Łódź", "lodz"),
        ("crème brûlée", "creme brulee"),
        # curly quotes and apostrophes
        ("Korniychuk’s", "korniychuk's"),
        ("“Hello”", "hello"),
        ("rock ’n’ roll", "rock 'n' roll"),
        # surrounding punctuation
        ("Paris.", "paris"),
        ("¿Qué?", "que"),
        ("...Paris!!!", "paris"),
        ("(Paris)", "paris"),
        ("'Paris'", "paris"),
        ("Paris)", "paris"),
        ("St. Petersburg", "st. petersburg"),
        # meaningful edge characters survive
        ("f(x)", "f(x)"),
        ("C#", "c#"),
        ("50%", "50%"),
        ("-5", "-5"),
        (".5", ".5"),
        ("C++", "c++"),
        # leading articles
        ("The Eiffel Tower", "eiffel tower"),
        ("a dog", "dog"),
        ("An apple", "apple"),
        ("the the", "the"),
        ("A", "a"),
        ("the", "the"),
        ("Theodore", "theodore"),
        ("Anne", "anne"),
        ("  the  'Beatles'.", "beatles"),
        # dashes
        ("1914–1918", "1914-1918"),
        # empty
        ("", ""),
        ("   ", ""),
        ("?!", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zelensky", "Zélensky"),
        ("Korniychuk's", "Korniychuk’s"),
        ("The Beatles", "beatles"),
        ("Paris", "  paris. "),
        ("cafe", "Café"),
        ("e\u0301", "é"),  # decomposed vs precomposed
    ],
)
def test_normalize_equates(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("C#", "C"),
        ("-5", "5"),
        ("कुल", "कल"),  # Devanagari vowel signs are not accents
    ],
)
def test_normalize_keeps_distinctions(a: str, b: str) -> None:
    assert normalize(a) != normalize(b)


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


# --------------------------------------------------------------------------
# parse_number
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100", 100),
        ("100.0", 100),
        (" 100. ", 100),
        ("1,000", 1000),
        ("1000", 1000),
        ("1 000 000", 1_000_000),
        ("-5", -5),
        ("−5", -5),
        ("+5", 5),
        (".5", 0.5),
        ("1e3", 1000),
        ("1/2", 0.5),
        ("½", 0.5),
        ("0", 0),
        ("zero", 0),
        ("one", 1),
        ("twelve", 12),
        ("twenty-one", 21),
        ("Twenty One", 21),
        ("ninety nine", 99),
        ("one hundred", 100),
        ("a hundred", 100),
        ("one hundred and five", 105),
        ("one hundred five", 105),
        ("nine hundred ninety-nine", 999),
        ("two thousand", 2000),
        ("two thousand and twenty-four", 2024),
        ("one thousand two hundred thirty-four", 1234),
        ("twelve hundred", 1200),
        ("three million four hundred thousand", 3_400_000),
        ("2 million", 2_000_000),
        ("1.5 million", 1_500_000),
        ("minus seven", -7),
        ("three point one four", 3.14),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    result = parse_number(text)
    assert result is not None
    assert math.isclose(result, value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "paris",
        "100 tons",
        "1,00",
        "1,0000",
        "five five",
        "nineteen eighty-four",
        "twenty twenty",
        "thousand million",
        "one and",
        "hundred hundred",
        "1/0",
        "nan",
        "inf",
        "1e999",
        "point",
    ],
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_number_digits_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


# --------------------------------------------------------------------------
# grade_typed: exact and normalised matches
# --------------------------------------------------------------------------


def _assert_good(grade: Grade) -> None:
    assert grade.rating is Rating.GOOD
    assert grade.correct is True
    assert grade.diff == ()
    assert grade.message == "Correct"


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("Paris", "Paris"),
        ("paris", "Paris"),
        ("  PARIS.  ", "Paris"),
        ("Zelensky", "Zélensky"),
        ("zélensky", "Zelensky"),
        ("Korniychuk’s law", "Korniychuk's Law"),
        ("Eiffel Tower", "The Eiffel Tower"),
        ("the eiffel tower", "Eiffel Tower"),
        ("an apple", "Apple"),
        ("new   york", "New York"),
        ("USA", "U.S.A."),
        ("ice-cream", "ice cream"),
        ("C#", "C#"),
    ],
)
def test_typed_normalised_match_is_good(given: str, answer: str) -> None:
    grade = grade_typed(given, answer)
    _assert_good(grade)
    assert grade.matched == answer
    assert grade.expected == answer


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("100", "100.0"),
        ("100.0", "100"),
        ("one hundred", "100"),
        ("100", "One hundred"),
        ("1,000", "1000"),
        ("1000", "1,000"),
        ("twenty-one", "21"),
        ("one hundred and five", "105"),
        ("2000", "two thousand"),
        ("0.5", "½"),
        # a unit the expected answer has may be given or omitted
        ("100 tons", "100 tons"),
        ("100", "100 tons"),
        ("100tons", "100 tons"),
        ("one hundred tons", "100 tons"),
        ("100 ton", "100 tons"),
        ("50 percent", "50%"),
        ("7 samurai", "Seven Samurai"),
        ("2001 A Space Odyssey", "2001: A Space Odyssey"),
    ],
)
def test_typed_numbers_compare_by_value(given: str, answer: str) -> None:
    _assert_good(grade_typed(given, answer))


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("101", "100"),
        ("100", "101"),
        ("1000", "100"),
        ("10", "100"),
        ("1.5", "15"),
        ("twenty-two", "twenty-one"),
        ("one hundred and six", "105"),
        ("101 tons", "100 tons"),
        ("Eight Samurai", "Seven Samurai"),
        ("2010: A Space Odyssey", "2001: A Space Odyssey"),
        ("Apollo 12", "Apollo 11"),
        ("Louis XV", "Louis XIV"),
        ("World War II", "World War I"),
        ("Maroon nine", "Maroon Five"),
    ],
)
def test_typed_different_number_is_wrong_not_near_miss(given: str, answer: str) -> None:
    grade = grade_typed(given, answer)
    assert grade.rating is Rating.AGAIN
    assert grade.correct is False


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("100 tons", "100"),  # a unit the expected answer doesn't have
        ("100 kg", "100 km"),  # a different unit
        ("100 tonnes", "100 tons"),
    ],
)
def test_typed_number_with_wrong_unit_is_wrong(given: str, answer: str) -> None:
    assert grade_typed(given, answer).rating is Rating.AGAIN


# --------------------------------------------------------------------------
# grade_typed: near misses
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("Pariss", "Paris"),
        ("Parsi", "Paris"),  # transposition
        ("Missisippi", "Mississippi"),
        ("Zelenskyy", "Zelensky"),
        ("zelenski", "Zélensky"),
        ("Eifel Tower", "The Eiffel Tower"),
        ("Apolo 11", "Apollo 11"),
        ("lous xiv", "Louis XIV"),
        ("Sevn Samurai", "Seven Samurai"),
        ("one hundered", "one hundred"),
        ("ice-creem", "ice cream"),
        ("7 samuari", "Seven Samurai"),
    ],
)
def test_typed_near_miss_is_hard(given: str, answer: str) -> None:
    grade = grade_typed(given, answer)
    assert grade.rating is Rating.HARD
    assert grade.correct is True
    assert grade.message == "Almost: check the spelling"
    assert grade.matched == answer
    assert any(span.op != "equal" for span in grade.diff)


def test_near_miss_diff_marks_the_differing_chars() -> None:
    grade = grade_typed("Mississipi", "Mississippi")
    assert grade.rating is Rating.HARD
    changed = [span for span in grade.diff if span.op != "equal"]
    assert changed == [DiffSpan("insert", "", "p")]
    assert "".join(s.given for s in grade.diff) == "Mississipi"
    assert "".join(s.expected for s in grade.diff) == "Mississippi"


def test_near_miss_diff_shows_replacement() -> None:
    grade = grade_typed("Bombey", "Bombay")
    assert grade.rating is Rating.HARD
    assert grade.diff == (
        DiffSpan("equal", "Bomb", "Bomb"),
        DiffSpan("replace", "e", "a"),
        DiffSpan("equal", "y", "y"),
    )


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("cat", "bat"),  # one edit, but too much of a short word
        ("London", "Paris"),
        ("Parris Hilton", "Paris"),
        ("Misisipi", "Mississippi"),  # three edits in eleven letters
        ("Berlin", "Bern"),
    ],
)
def test_typed_too_far_is_wrong(given: str, answer: str) -> None:
    grade = grade_typed(given, answer)
    assert grade.rating is Rating.AGAIN
    assert grade.correct is False
    assert grade.message == "Wrong"
    assert grade.matched is None
    assert "".join(s.given for s in grade.diff) == given
    assert "".join(s.expected for s in grade.diff) == answer


@pytest.mark.parametrize("given", ["", "   ", "\n", "?", "..."])
def test_typed_empty_answer_is_again(given: str) -> None:
    grade = grade_typed(given, "Paris")
    assert grade.rating is Rating.AGAIN
    assert grade.correct is False
    assert grade.expected == "Paris"


@pytest.mark.parametrize("given", ["", "  ", "?"])
def test_empty_answer_message(given: str) -> None:
    assert grade_typed(given, "Paris").message == "No answer"


def test_punctuation_only_answer_compares_as_written() -> None:
    assert grade_typed("?", "?").rating is Rating.GOOD
    assert grade_typed("!", "?").rating is Rating.AGAIN


# --------------------------------------------------------------------------
# grade_typed: alternatives
# --------------------------------------------------------------------------


def test_accepted_alternative_is_good_and_reported() -> None:
    grade = grade_typed("bombay", "Mumbai", accept=["Bombay", "Bambai"])
    _assert_good(grade)
    assert grade.matched == "Bombay"
    assert grade.expected == "Mumbai"


def test_alternative_near_miss_diffs_against_that_alternative() -> None:
    grade = grade_typed("Bombey", "Mumbai", accept=["Bombay"])
    assert grade.rating is Rating.HARD
    assert grade.matched == "Bombay"
    assert "".join(s.expected for s in grade.diff) == "Bombay"


def test_good_alternative_beats_near_miss_of_answer() -> None:
    grade = grade_typed("colour", "color", accept=["colour"])
    _assert_good(grade)
    assert grade.matched == "colour"


def test_closest_near_miss_wins() -> None:
    grade = grade_typed("Kyivv", "Kiev", accept=["Kyiv"])
    assert grade.rating is Rating.HARD
    assert grade.matched == "Kyiv"


def test_wrong_with_alternatives_diffs_against_answer() -> None:
    grade = grade_typed("Berlin", "Mumbai", accept=["Bombay"])
    assert grade.rating is Rating.AGAIN
    assert grade.matched is None
    assert "".join(s.expected for s in grade.diff) == "Mumbai"


def test_numeric_alternative() -> None:
    assert grade_typed("12", "a dozen", accept=["12"]).rating is Rating.GOOD


# --------------------------------------------------------------------------
# grade_typed: properties
# --------------------------------------------------------------------------


@given(st.text(min_size=1).filter(lambda s: any(c.isalnum() for c in s)))
def test_answer_graded_against_itself_is_good(text: str) -> None:
    grade = grade_typed(text, text)
    assert grade.rating is Rating.GOOD
    assert grade.correct is True


@given(st.text(), st.text())
def test_grade_typed_is_consistent(given_text: str, answer: str) -> None:
    grade = grade_typed(given_text, answer)
    assert grade.correct == (grade.rating in (Rating.GOOD, Rating.HARD))
    assert grade.rating is not Rating.EASY
    if grade.diff:
        assert "".join(s.given for s in grade.diff) == grade.given


@given(st.text(), st.text())
def test_diff_reconstructs_both_sides(a: str, b: str) -> None:
    spans = diff(a, b)
    assert "".join(s.given for s in spans) == unicodedata.normalize("NFC", a)
    assert "".join(s.expected for s in spans) == unicodedata.normalize("NFC", b)
    for span in spans:
        if span.op == "insert":
            assert span.given == ""
        if span.op == "delete":
            assert span.expected == ""


def test_diff_ignores_case_accents_and_quote_style() -> None:
    spans = diff("ZELENSKY’S", "Zélensky's")
    assert [s.op for s in spans] == ["equal"]


@pytest.mark.parametrize("n", [10, 2000])  # short texts and the long-text fallback
def test_diff_marks_single_change(n: int) -> None:
    spans = diff("a" * n + "b", "a" * n + "c")
    assert spans == (DiffSpan("equal", "a" * n, "a" * n), DiffSpan("replace", "b", "c"))


def test_diff_of_identical_text_is_one_equal_span() -> None:
    assert diff("abc", "abc") == (DiffSpan("equal", "abc", "abc"),)


# --------------------------------------------------------------------------
# choice, true/false, order
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "correct", "rating"),
    [
        (["B"], ["B"], Rating.GOOD),
        (["A"], ["B"], Rating.AGAIN),
        (["A", "C"], ["C", "A"], Rating.GOOD),
        ({"A", "C"}, frozenset({"A", "C"}), Rating.GOOD),
        (["A"], ["A", "C"], Rating.AGAIN),  # missing one
        (["A", "B", "C"], ["A", "C"], Rating.AGAIN),  # one too many
        ([], ["A"], Rating.AGAIN),
        (["b"], ["B"], Rating.AGAIN),  # options are compared exactly
    ],
)
def test_grade_choice(chosen: list[str], correct: list[str], rating: Rating) -> None:
    grade = grade_choice(chosen, correct)
    assert grade.rating is rating
    assert grade.correct is (rating is Rating.GOOD)
    assert grade.diff == ()


def test_grade_choice_display() -> None:
    grade = grade_choice(["C"], ["A", "B"])
    assert grade.expected == "A, B"
    assert grade.given == "C"
    assert grade.message == "Wrong"


@pytest.mark.parametrize(
    ("given_answer", "truth", "rating"),
    [
        (True, True, Rating.GOOD),
        (False, False, Rating.GOOD),
        (True, False, Rating.AGAIN),
        (False, True, Rating.AGAIN),
    ],
)
def test_grade_true_false(given_answer: bool, truth: bool, rating: Rating) -> None:
    grade = grade_true_false(given_answer, truth)
    assert grade.rating is rating
    assert grade.correct is (rating is Rating.GOOD)
    assert grade.expected == str(truth)
    assert grade.given == str(given_answer)


@pytest.mark.parametrize(
    ("given_order", "correct", "rating"),
    [
        (["a", "b", "c"], ["a", "b", "c"], Rating.GOOD),
        (("a", "b", "c"), ["a", "b", "c"], Rating.GOOD),
        (["a", "c", "b"], ["a", "b", "c"], Rating.AGAIN),
        (["c", "b", "a"], ["a", "b", "c"], Rating.AGAIN),
        (["a", "b"], ["a", "b", "c"], Rating.AGAIN),
    ],
)
def test_grade_order(given_order: list[str], correct: list[str], rating: Rating) -> None:
    grade = grade_order(given_order, correct)
    assert grade.rating is rating
    assert grade.correct is (rating is Rating.GOOD)


# --------------------------------------------------------------------------
# API contract
# --------------------------------------------------------------------------


def test_rating_values_match_fsrs() -> None:
    assert [(r.name, int(r)) for r in Rating] == [
        ("AGAIN", 1),
        ("HARD", 2),
        ("GOOD", 3),
        ("EASY", 4),
    ]
    fsrs = pytest.importorskip("fsrs")
    for rating in Rating:
        assert int(fsrs.Rating[rating.name.title()]) == int(rating)


def test_grade_is_frozen() -> None:
    grade = grade_true_false(True, True)
    with pytest.raises(AttributeError):
        grade.rating = Rating.AGAIN  # type: ignore[misc]


def test_module_imports_no_ui_toolkit() -> None:
    code = (
        "import sys, quiz.grading; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
