"""Advice on cards that load but teach badly: what ``quiz check`` warns about.

The same rules serve a hand-written deck and a draft of ``quiz generate`` (whose harness counts
them as defects). Each rule is cheap and local to one card, so a large deck lints in one pass:
a card asked twice; a gap, option or answer that the prompt gives away; a choice card with too
few options to be more than a coin toss; a "who is" answered by a bare name; a cloze that cuts
a word or an abbreviation apart, deletes the deck's own topic, or opens on a pronoun with
nobody to refer to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from quiz.model import (
    BasicCard,
    Card,
    ChoiceCard,
    ClozeCard,
    TypedCard,
    cloze_deletions,
    prompt_text,
)

__all__ = ["MIN_OPTIONS", "lint_cards", "norm"]

MIN_OPTIONS = 3
"""Options a choice card needs: with two, half the guesses are right."""

_NOT_WORD = re.compile(r"[^\w\s]")
_ASCII_NORM = {
    code: char.lower() if char.isalnum() or char == "_" or char.isspace() else " "
    for code, char in ((code, chr(code)) for code in range(128))
}
"""``norm`` for ASCII text in one ``str.translate`` (twice as fast as casefold and a regex)."""

_WHO_IS = re.compile(r"\s*who\s+(is|was|are|were)\b.*\?\s*$", re.IGNORECASE)
_PRONOUN_START = re.compile(
    r"\s*(he|she|it|they|him|her|his|its|their|them|this|these|those)\b(?!\s*\()", re.IGNORECASE
)
_STOP_WORDS = """a an and the of in on at to for from by with between over under its their his
her how why what who when where is are was were be as or"""
_TITLE_STOP = frozenset(_STOP_WORDS.split())


def norm(text: str) -> str:
    """Text compared word for word: case-folded, punctuation as spaces, spaces collapsed."""
    if text.isascii():
        return " ".join(text.translate(_ASCII_NORM).split())
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def _contains(text: str, phrase: str) -> bool:
    """Whether ``phrase`` appears word for word in ``text`` (both already normalised)."""
    return bool(phrase) and f" {phrase} " in f" {text} "


def _cuts_a_token(text: str, start: int, end: int) -> bool:
    """Whether the gap ``text[start:end]`` begins or ends inside a word, a number or an
    abbreviation (``{{R-S}}.D.``, ``___ac2``): the gap then gives away or garbles its answer."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if _in_word(before) or _in_word(after):
        return True
    rest = text[end : end + 2]
    return len(rest) == 2 and rest[0] in ".-/" and _in_word(rest[1])


def _in_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _title_words(title: str) -> set[str]:
    return {w for w in norm(title).split() if w not in _TITLE_STOP and len(w) > 2}


def _cloze_advice(card: ClozeCard, title_words: set[str]) -> list[str]:
    text = card.cloze
    deletions = cloze_deletions(text)
    if not deletions:
        return ["cloze has no deletion: mark the answer as {{answer}}"]
    advice = []
    if match := _PRONOUN_START.match(text):
        advice.append(
            f"the cloze opens on {match.group(1)!r}: out of its article nobody knows who"
            " that is; name them"
        )
    visible = " ".join(
        part for part in re.split(r"\{\{.*?\}\}", text) if part.strip()
    )  # the text around the gaps
    shown = norm(visible)
    for deletion in deletions:
        answer = norm(deletion.answer)
        if _cuts_a_token(text, deletion.start, deletion.end):
            advice.append(f"the gap {deletion.answer!r} cuts a word or abbreviation apart")
        if answer and answer in title_words:
            advice.append(f"the gap {deletion.answer!r} is the deck's topic: it guesses itself")
        if _contains(shown, answer):
            advice.append(f"the gap {deletion.answer!r} also appears in the text around it")
    return advice


def _answer_advice(asked: str, answer: str, prompt: str, what: str, where: str) -> list[str]:
    """A question with one written answer: not given away, and not a bare name for "who"."""
    advice = []
    if _contains(prompt, norm(answer)):
        advice.append(f"{what} appears word for word in the {where}")
    if _WHO_IS.match(asked) and len(norm(answer).split()) == 1:
        advice.append(f"'who is' answered by one word ({answer!r}): say who they are")
    return advice


def _card_advice(card: Card, prompt: str, title_words: set[str]) -> list[str]:
    """Every warning for one card (``prompt`` is its normalised prompt)."""
    match card:
        case ClozeCard():
            return _cloze_advice(card, title_words)
        case ChoiceCard():
            advice = []
            answers = {norm(a) for a in card.answers}
            if repeated := [d for d in card.distractors if norm(d) in answers]:
                advice.append(f"answer repeated among the distractors: {repeated[0]!r}")
            options = len(card.answers) + len({norm(d) for d in card.distractors} - answers)
            if options < MIN_OPTIONS:
                advice.append(
                    f"only {options} option(s): add distractors (at least {MIN_OPTIONS} options)"
                    " or make it a typed card"
                )
            advice += [
                f"the answer {a!r} appears in the question"
                for a in card.answers
                if _contains(prompt, norm(a))
            ]
            return advice
        case BasicCard():
            return _answer_advice(card.front, card.back, prompt, "the answer (back)", "front")
        case TypedCard():
            return _answer_advice(card.prompt, card.answer, prompt, "the answer", "prompt")
        case _:
            return []


def lint_cards(cards: Sequence[Card], title: str = "") -> list[tuple[int, str]]:
    """``(card index, advice)`` for every warning of a deck's cards, in card order."""
    title_words = _title_words(title)
    found: list[tuple[int, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for i, card in enumerate(cards):
        prompt = norm(prompt_text(card))
        if isinstance(card, ClozeCard):  # one sentence, two gaps: two questions
            prompt = f"{prompt}|{card.cloze.casefold()}"
        first = seen.setdefault((card.kind, prompt), i)
        if first != i:
            found.append((i, f"same prompt as card {first + 1}"))
        found += [(i, advice) for advice in _card_advice(card, prompt, title_words)]
    return found
