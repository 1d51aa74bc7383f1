"""The exam engine: a scored test over a deck's items, free of any user interface.

An exam asks every question in a form that can be graded without the learner judging
themselves: basic and cloze items become multiple choice, with wrong options taken from other
cards' answers of the same class (names for names, numbers for numbers, dates for dates), so
the right option does not stand out. Exam answers are logged but do not move the schedule.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import Literal, NamedTuple

from quiz.config import Config
from quiz.errors import QuizError
from quiz.grading import (
    Grade,
    grade_choice,
    grade_order,
    grade_true_false,
    grade_typed,
    normalize,
    parse_number,
)
from quiz.model import (
    BasicCard,
    ChoiceCard,
    ClozeCard,
    Item,
    OrderCard,
    TrueFalseCard,
    TypedCard,
)
from quiz.scheduling import learner_today
from quiz.storage import CardState, CardText, Review, Store

__all__ = [
    "AnswerClass",
    "Exam",
    "ExamError",
    "ExamResult",
    "Mistake",
    "Question",
    "Response",
    "answer_class",
    "build_exam",
    "pick_distractors",
    "record_answer",
    "record_exam",
]

DISTRACTORS = 3
"""Wrong options put beside the answer of a basic or cloze item, when that many can be found."""


class ExamError(QuizError):
    """An exam was driven wrongly: an unknown question, a second answer, an answer after time."""

    title = "exam"


# --- answer classes --------------------------------------------------------------------------


class AnswerClass(StrEnum):
    """What kind of thing an answer is, so a wrong option is of the same kind as the right one."""

    NUMBER = "number"
    YEAR = "year"
    DATE = "date"
    WEEKDAY = "weekday"
    MONTH = "month"
    NAME = "name"
    OTHER = "other"

    @property
    def family(self) -> str:
        """Classes that can stand in for one another: every point in time is a time."""
        if self in (AnswerClass.YEAR, AnswerClass.DATE, AnswerClass.WEEKDAY, AnswerClass.MONTH):
            return "time"
        return self.value


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAY_NAMES = frozenset(w.lower() for w in WEEKDAYS)
_MONTH_NAMES = frozenset(m.lower() for m in MONTHS)
_MONTH_WORDS = _MONTH_NAMES | {m[:3].lower() for m in MONTHS} | {"sept"}
"""Month names as dates may write them ("27 Feb 2022"); alone, "Jan" is more likely a name."""
_MULTIPLES = frozenset({"once", "twice", "thrice", "half", "dozen", "dozens", "hundreds"})
_APPROXIMATELY = re.compile(
    r"^(?:about|around|almost|nearly|over|under|roughly|some|approximately|exactly"
    r"|more than|less than|fewer than|at least|at most|up to)\s+"
)
_YEAR = re.compile(r"^(?:in\s+)?(?:the\s+)?(?:1\d{3}|20\d{2})s?$|^\d{1,4}\s*(?:bc|bce|ad|ce)$")
_AD_YEAR = re.compile(r"^(?:ad|ce)\s*\d{1,4}$")
_NUMERIC_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")
_CENTURY = re.compile(r"^(?:the\s+)?\d{1,2}(?:st|nd|rd|th)[\s-]+century(?:\s+(?:bc|bce|ad|ce))?$")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*|\d[\d,.]*", re.UNICODE)
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^]]*\]")
_NAME_JOINERS = frozenset(
    {
        "of",
        "the",
        "and",
        "for",
        "on",
        "in",
        "at",
        "de",
        "da",
        "das",
        "do",
        "dos",
        "del",
        "della",
        "der",
        "den",
        "di",
        "du",
        "la",
        "le",
        "les",
        "van",
        "von",
        "al",
        "el",
        "bin",
        "ibn",
        "ben",
        "y",
        "e",
        "und",
        "zu",
        "'s",
    }
)
_NOT_NAME_STARTS = frozenset(
    {
        "a",
        "an",
        "it",
        "its",
        "he",
        "his",
        "she",
        "her",
        "they",
        "their",
        "we",
        "our",
        "i",
        "you",
        "your",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "because",
        "so",
        "to",
        "by",
        "with",
        "from",
        "as",
        "all",
        "both",
        "some",
        "only",
        "never",
        "always",
        "yes",
        "no",
        "not",
        "nothing",
        "none",
        "nobody",
        "everyone",
        "everybody",
        "something",
        "somewhere",
        "if",
        "when",
        "while",
        "after",
        "before",
        "since",
        "until",
        "during",
    }
)


def answer_class(text: str) -> AnswerClass:
    """Classify an answer: a number or quantity, a time, a capitalised name, or anything else."""
    bare = _PARENTHESES.sub(" ", text).strip(" \t\n.,;:!?\"'“”‘’")
    lower = " ".join(bare.lower().split())
    if not lower:
        return AnswerClass.OTHER
    plain = lower.removeprefix("on ").removeprefix("in ")
    if plain in _WEEKDAY_NAMES:
        return AnswerClass.WEEKDAY
    if plain in _MONTH_NAMES:
        return AnswerClass.MONTH
    if _YEAR.match(lower) or _AD_YEAR.match(lower):
        return AnswerClass.YEAR
    words = _WORD.findall(lower)
    if _is_date(lower, words):
        return AnswerClass.DATE
    if _is_quantity(lower):
        return AnswerClass.NUMBER
    if _is_name(bare):
        return AnswerClass.NAME
    return AnswerClass.OTHER


def _is_date(lower: str, words: list[str]) -> bool:
    if _NUMERIC_DATE.match(lower) or _CENTURY.match(lower):
        return True
    if len(words) > 5:
        return False
    has_month = any(w.rstrip(".,") in _MONTH_WORDS for w in words)
    has_number = any(w[0].isdigit() for w in words)
    return has_month and has_number


def _is_quantity(lower: str) -> bool:
    """A number, maybe approximate, then at most two words of unit ("about 100 tons")."""
    words = _APPROXIMATELY.sub("", lower).split()
    if not words or len(words) > 6:
        return False
    if words[0] in _MULTIPLES:
        return len(words) <= 3
    words[0] = words[0].lstrip("$€£¥").rstrip("%")
    for end in range(len(words), 0, -1):
        if parse_number(" ".join(words[:end])) is not None:
            return len(words) - end <= 2
    return False


def _is_name(text: str) -> bool:
    """Capitalised words, possibly joined by "of", "de", "al" ("Prime Minister of Israel")."""
    words = text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if not words or len(words) > 6 or words[0].lower() in _NOT_NAME_STARTS:
        return False
    if not _capitalised(words[0]):
        return False
    return all(_capitalised(w) or w.lower() in _NAME_JOINERS for w in words[1:])


def _capitalised(word: str) -> bool:
    first = next((c for c in word if c.isalpha()), "")
    return first.isupper()


def _calendar_fill(answer: str, cls: AnswerClass) -> list[str]:
    """Other days or months for a weekday or month answer, when the deck has too few of its own."""
    names: tuple[str, ...] = ()
    if cls is AnswerClass.WEEKDAY:
        names = WEEKDAYS
    elif cls is AnswerClass.MONTH:
        names = MONTHS
    return list(names)


# --- distractors -----------------------------------------------------------------------------

_MAX_SHAPE = 3
"""Differences in word count beyond this all look equally unlike the answer."""


@dataclass(frozen=True, slots=True)
class _Candidate:
    text: str
    cls: AnswerClass
    kind: str
    deck_id: str
    card_key: str
    words: int


def _candidates(items: Iterable[Item]) -> list[_Candidate]:
    """Every answer a deck gives that could be a wrong option for another card."""
    out: list[_Candidate] = []
    for item in items:
        card = item.card
        if isinstance(card, ChoiceCard):
            texts = card.answers
        elif isinstance(card, BasicCard | ClozeCard | TypedCard):
            texts = [item.answer]
        else:
            continue
        out.extend(
            _Candidate(t, answer_class(t), item.kind, item.deck_id, item.card_key, len(t.split()))
            for t in texts
        )
    return out


def pick_distractors(
    item: Item,
    pool: Sequence[Item],
    rng: random.Random,
    count: int = DISTRACTORS,
    *,
    candidates: Sequence[_Candidate] | None = None,
) -> list[str]:
    """Wrong options for an item: other cards' answers, nearest in kind first.

    Preference: the same answer class, then calendar names for a weekday or month, then the
    same class family (a month for a year), then the same card kind, then the same deck, then
    about as many words as the answer (so the right option does not stand out by its length).
    Never the answer itself, one of its accepted forms, or two options that normalise alike.
    """
    answer = item.answer
    cls = answer_class(answer)
    if candidates is None:
        candidates = _candidates(pool)
    seen = {normalize(a) for a in item.accepted}
    seen.add(normalize(answer))
    words = len(answer.split())
    ranked: list[tuple[tuple[int, bool, bool, int, float], str]] = []
    for c in candidates:
        if c.card_key == item.card_key and c.deck_id == item.deck_id:
            continue
        tier = 0 if c.cls is cls else 2 if c.cls.family == cls.family else 3
        shape = min(abs(c.words - words), _MAX_SHAPE)
        key = (tier, c.kind != item.kind, c.deck_id != item.deck_id, shape, rng.random())
        ranked.append((key, c.text))
    ranked.extend(((1, False, False, 0, rng.random()), t) for t in _calendar_fill(answer, cls))
    ranked.sort(key=lambda pair: pair[0])
    chosen: list[str] = []
    for _, text in ranked:
        norm = normalize(text)
        if norm in seen or not norm:
            continue
        seen.add(norm)
        chosen.append(text)
        if len(chosen) == count:
            break
    return chosen


# --- questions -------------------------------------------------------------------------------

QuestionKind = Literal["choice", "typed", "truefalse", "order"]

Response = str | bool | int | Sequence[int]
"""A learner's answer: typed text, true/false, or option numbers (0-based) in the chosen order."""


@dataclass(frozen=True, slots=True)
class Question:
    """One exam question: an item asked in a form that grades itself."""

    item: Item
    kind: QuestionKind
    prompt: str
    options: tuple[str, ...] = ()
    """Choice options, or the items of an order question, as shown (shuffled)."""
    answers: tuple[str, ...] = ()
    """The right options of a choice, the accepted answers of a typed question, the right order."""

    @property
    def expected(self) -> str:
        """The right answer as shown after the exam."""
        if self.kind == "order":
            return " → ".join(self.answers)
        if self.kind == "truefalse":
            return self.item.answer
        if self.kind == "typed":
            return self.answers[0]
        return "; ".join(self.answers)

    @property
    def multiple(self) -> bool:
        """Whether several options must be chosen."""
        return self.kind == "choice" and len(self.answers) > 1

    def grade(self, response: Response) -> Grade:
        """Grade a response; a response of the wrong shape is the caller's mistake."""
        match self.kind, response:
            case "typed", str():
                return grade_typed(response, self.answers[0], self.answers[1:])
            case "truefalse", bool():
                card = self.item.card
                assert isinstance(card, TrueFalseCard)
                return grade_true_false(response, card.true)
            case "choice", int() if not isinstance(response, bool):
                return grade_choice([self._option(response)], self.answers)
            case "choice", Sequence() if not isinstance(response, str):
                if not self.multiple and len(set(response)) > 1:
                    raise ExamError("one answer is right: choose one option")
                return grade_choice([self._option(i) for i in response], self.answers)
            case "order", Sequence() if not isinstance(response, str):
                return grade_order([self._option(i) for i in response], self.answers)
        raise ExamError(f"a {self.kind} question cannot take {response!r} as an answer")

    def _option(self, index: int) -> str:
        if isinstance(index, bool) or not 0 <= index < len(self.options):
            raise ExamError(f"there is no option {index}")
        return self.options[index]


def _question(
    item: Item, pool: Sequence[Item], candidates: Sequence[_Candidate], rng: random.Random
) -> Question:
    """Ask an item in its exam form: self-graded kinds become multiple choice."""
    card = item.card
    prompt = item.prompt
    match card:
        case ChoiceCard():
            options = [*card.answers, *card.distractors]
            rng.shuffle(options)
            return Question(item, "choice", prompt, tuple(options), tuple(card.answers))
        case TrueFalseCard():
            return Question(item, "truefalse", prompt, answers=(item.answer,))
        case OrderCard():
            shown = list(card.items)
            while shown == card.items:
                rng.shuffle(shown)
            return Question(item, "order", prompt, tuple(shown), tuple(card.items))
        case TypedCard():
            return Question(item, "typed", prompt, answers=tuple(item.accepted))
    distractors = pick_distractors(item, pool, rng, candidates=candidates)
    if not distractors:
        return Question(item, "typed", prompt, answers=tuple(item.accepted))
    options = [item.answer, *distractors]
    rng.shuffle(options)
    return Question(item, "choice", prompt, tuple(options), (item.answer,))


# --- the exam --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExamAnswer:
    """One answered question: what was given, its grade, when and how long it took."""

    index: int
    grade: Grade
    at: datetime | None
    duration_ms: int


class Mistake(NamedTuple):
    """A question answered wrongly or not at all (``given`` is None)."""

    question: Question
    given: str | None
    expected: str


@dataclass(frozen=True, slots=True)
class ExamResult:
    """The outcome of an exam. A near miss of a typed answer counts as right."""

    score: int
    total: int
    percent: float
    mistakes: list[Mistake]
    missed_keys: list[tuple[str, str]]
    """(deck id, item key) of every question missed, to study them afterwards."""
    answers: list[tuple[Question, ExamAnswer]] = field(default_factory=list)
    """Every answered question, in the order answered, for the review log."""


@dataclass
class Exam:
    """A running exam: questions, the answers given so far and the optional time limit."""

    questions: tuple[Question, ...]
    started: datetime
    seed: int
    time_limit: timedelta | None = None
    _answers: dict[int, ExamAnswer] = field(default_factory=dict, repr=False)
    _last: datetime | None = field(default=None, repr=False)

    @property
    def answered(self) -> Mapping[int, ExamAnswer]:
        """Answers given so far, by question index."""
        return self._answers

    def answer(self, question_index: int, response: Response, now: datetime | None = None) -> Grade:
        """Grade and keep the answer to one question; each question is answered once.

        With ``now``, an answer after the time limit is refused and the time taken is kept.
        """
        if not 0 <= question_index < len(self.questions):
            raise ExamError(f"there is no question {question_index + 1}")
        if question_index in self._answers:
            raise ExamError(f"question {question_index + 1} is already answered")
        if now is not None and self.expired(now):
            raise ExamError("time is up: the exam is over")
        grade = self.questions[question_index].grade(response)
        duration = 0
        if now is not None:
            since = max(self._last or self.started, self.started)
            duration = max(0, int((now - since).total_seconds() * 1000))
            self._last = now
        self._answers[question_index] = ExamAnswer(question_index, grade, now, duration)
        return grade

    def remaining(self, now: datetime) -> timedelta:
        """Time left; without a limit, as good as forever (``timedelta.max``)."""
        if self.time_limit is None:
            return timedelta.max
        return max(timedelta(0), self.started + self.time_limit - now)

    def expired(self, now: datetime) -> bool:
        """Whether the time limit has run out."""
        return self.time_limit is not None and now >= self.started + self.time_limit

    def result(self) -> ExamResult:
        """The score so far; a question not answered counts as wrong."""
        mistakes: list[Mistake] = []
        for index, question in enumerate(self.questions):
            given = self._answers.get(index)
            if given is None or not given.grade.correct:
                text = None if given is None else given.grade.given
                mistakes.append(Mistake(question, text, question.expected))
        total = len(self.questions)
        score = total - len(mistakes)
        ordered = sorted(self._answers.values(), key=lambda a: (a.at is None, a.at, a.index))
        return ExamResult(
            score=score,
            total=total,
            percent=100.0 * score / total if total else 0.0,
            mistakes=mistakes,
            missed_keys=list(
                dict.fromkeys((m.question.item.deck_id, m.question.item.key) for m in mistakes)
            ),
            answers=[(self.questions[a.index], a) for a in ordered],
        )


_CANDIDATE_SAMPLE = 5000
"""Answers considered for wrong options; a huge deck is sampled so an exam starts at once."""


def build_exam(
    items: Sequence[Item],
    *,
    count: int = 20,
    seed: int,
    now: datetime,
    time_limit: timedelta | None = None,
) -> Exam:
    """Pick ``count`` items (one per card first, siblings only to fill up) and ask each.

    The same items, count and seed always give the same exam.
    """
    if count < 1:
        raise ExamError("an exam needs at least one question")
    if not items:
        raise ExamError("there are no cards to examine")
    if time_limit is not None and time_limit <= timedelta(0):
        raise ExamError("the time limit must be positive")
    rng = random.Random(seed)
    cards: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        cards.setdefault((item.deck_id, item.card_key), []).append(item)
    groups = list(cards.values())
    rng.shuffle(groups)
    firsts = [rng.choice(group) for group in groups]
    chosen = firsts[:count]
    if len(chosen) < count:
        picked = {id(i) for i in firsts}
        rest = [i for group in groups for i in group if id(i) not in picked]
        rng.shuffle(rest)
        chosen += rest[: count - len(chosen)]
        rng.shuffle(chosen)
    candidates = _candidates(items)
    if len(candidates) > _CANDIDATE_SAMPLE:
        candidates = rng.sample(candidates, _CANDIDATE_SAMPLE)
    questions = tuple(_question(item, items, candidates, rng) for item in chosen)
    return Exam(questions, started=now, seed=seed, time_limit=time_limit)


def record_exam(store: Store, result: ExamResult, now: datetime, config: Config) -> list[Review]:
    """Log every answered question as an ``exam`` review that leaves the card's state as it is.

    Each answer is its own short transaction (its state is read inside it), so a study session
    in another window is never overwritten. Questions left unanswered are not logged.
    """
    return [record_answer(store, q, a, now, config) for q, a in result.answers]


def record_answer(
    store: Store, question: Question, answer: ExamAnswer, now: datetime, config: Config
) -> Review:
    """Log one answered question (``record_exam`` at the end, or each at once in plain mode)."""
    zone = config.zone()
    item = question.item
    at = answer.at or now
    day = learner_today(at, zone, config.day_starts_at, store.last_learner_day())
    entry = Review.create(
        item.deck_id,
        item.key,
        rating=int(answer.grade.rating),
        kind="exam",
        at=at,
        zone=zone,
        learner_day=day,
        content_hash=item.content_hash,
        before=None,
        after=CardState(item.deck_id, item.key),
        duration_ms=answer.duration_ms,
    )
    text = CardText(item.kind, item.facet, item.prompt, item.answer)
    return store.record(item.deck_id, item.key, partial(_unchanged, entry), text=text)


def _unchanged(entry: Review, current: CardState | None) -> Review:
    """The exam entry around the card's current state, which it leaves as it is."""
    return replace(entry, state_before=current, state_after=current or entry.state_after)
