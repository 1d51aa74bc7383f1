"""A whole draft: run both passes, vet the candidates with ``quiz check``'s lint, keep the
most useful within ``--max``, and build the deck and its report."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from quiz.errors import QuizError
from quiz.generate.distractors import digest
from quiz.generate.people import Article
from quiz.generate.questions import MINOR, ROLES, Candidate, Drafter
from quiz.generate.text import (
    Sentence,
    Skipped,
    article_sentences,
    excerpt_of,
    split_paragraphs,
    split_words,
)
from quiz.generate.words import TITLE_SET
from quiz.lint import MIN_OPTIONS, lint_cards, norm
from quiz.model import DeckFile, cloze_deletions

MAX_ARTICLE_BYTES = 5 * 1024 * 1024
"""A larger file is no article: refuse it rather than draft thousands of cards."""


class GenerateError(QuizError):
    """The article cannot be drafted from (unreadable, empty of facts) or an option is wrong."""

    title = "generate"


@dataclass
class GenerateReport:
    """What the generator did: cards by kind, and what it skipped and why."""

    paragraphs: int = 0
    sentences: int = 0
    cards_by_kind: dict[str, int] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    left_out: int = 0
    repeats: int = 0
    """Cards drafted but left out to keep at most ``PER_SENTENCE`` per sentence."""
    """Cards drafted but left out to honour ``max_cards``."""
    vetoed: list[Skipped] = field(default_factory=list)
    """Cards drafted but left out because ``quiz check`` would warn about them, and why."""

    def summary(self, details: int = 20) -> str:
        """A few lines for the terminal: counts first, then the non-reporting text dropped."""
        total = sum(self.cards_by_kind.values())
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.cards_by_kind.items()))
        lines = [
            f"drafted {total} card(s) from {self.sentences} sentence(s)"
            f" in {self.paragraphs} paragraph(s)" + (f": {kinds}" if kinds else "")
        ]
        if self.repeats:
            lines.append(f"left out {self.repeats} card(s) beyond {PER_SENTENCE} per sentence")
        if self.left_out:
            lines.append(f"left out {self.left_out} card(s) to stay within --max")
        if self.vetoed:
            lines.append(f"left out {len(self.vetoed)} card(s) that quiz check would warn about")
            lines += [f"  paragraph {v.paragraph}: {v.reason}" for v in self.vetoed[:details]]
        if self.skipped:
            reasons = Counter(s.reason for s in self.skipped)
            lines.append(
                f"skipped {len(self.skipped)}: "
                + ", ".join(
                    f"{n} {r}" for r, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0]))
                )
            )
            shown = [s for s in self.skipped if s.reason != "no fact found"][:details]
            lines += [f"  paragraph {s.paragraph}: {s.reason}: {s.excerpt}" for s in shown]
        return "\n".join(lines)


@dataclass(frozen=True)
class Draft:
    """A drafted deck and the report of how it was drafted."""

    deck: DeckFile
    report: GenerateReport
    sentences: tuple[str, ...] = ()
    """The whole sentence each card was drafted from (``deck.cards`` order), for review."""


def _select(candidates: list[Candidate], limit: int | None) -> list[Candidate]:
    """At most ``limit`` candidates, taken round-robin over roles by worth (minor roles only
    when the others are spent), then in article order."""
    if limit is None or len(candidates) <= limit:
        chosen = candidates
    else:
        queues = {role: [c for c in candidates if c.role == role] for role in ROLES}
        chosen = []
        for tier in ([r for r in ROLES if r not in MINOR], [r for r in ROLES if r in MINOR]):
            while len(chosen) < limit and any(queues[r] for r in tier):
                for role in tier:
                    if queues[role] and len(chosen) < limit:
                        chosen.append(queues[role].pop(0))
    rank = {id(c): i for i, c in enumerate(candidates)}
    return sorted(chosen, key=lambda c: (c.sentence.order, ROLES.index(c.role), rank[id(c)]))


PROMPT_FIELDS = ("front", "cloze", "prompt", "question", "statement")

PER_SENTENCE = 2
"""Cards drafted from one sentence at most: a third asks the same fact again, or a lesser one."""


ACROSS = frozenset({"order"})
"""Roles of cards drawn from several sentences (a timeline): not one sentence's card."""


REPEATABLE = frozenset({"said"})
"""Roles whose answer may repeat across a draft: each quote of one speaker is its own fact."""


def _per_sentence(candidates: list[Candidate]) -> tuple[list[Candidate], int]:
    """At most ``PER_SENTENCE`` candidates of each sentence, the most worth asking, in their
    first order; and how many were left out. A card whose answer an earlier sentence's card
    already asks for goes after the others: a teacher asks a new fact before an old one
    again ("{{George Washington}}" twice). So does one a later sentence asks among its own
    first two: the birth date in an entry's lead is asked in "Early life", the lead asks
    something else."""
    by_sentence: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_sentence.setdefault(c.sentence.order, []).append(c)
    keep = {id(c) for c in candidates if c.role in ACROSS}
    asked: set[str] = set()  # answers already asked for, by an earlier sentence's card
    tails: set[str] = set()  # their last words: "Gordon" after "Jeff Gordon" asks him again

    last_asked = _asked_last(by_sentence)

    def rank(c: Candidate) -> tuple[bool, bool, int]:
        answer = norm(_answer_text(c))
        again = c.role not in REPEATABLE and (answer in asked or answer in tails)
        later = last_asked.get(answer, -1) > c.sentence.order  # asked there instead
        return again, later, _role_rank(c)

    for order in sorted(by_sentence):
        ranked = sorted((c for c in by_sentence[order] if c.role not in ACROSS), key=rank)
        chosen: list[Candidate] = []
        for c in ranked:  # a card asking what a chosen one answers is the same fact: left out
            if len(chosen) < PER_SENTENCE and not any(_same_fact(c, o) for o in chosen):
                chosen.append(c)
        keep.update(id(c) for c in chosen)
        for c in chosen:
            answer = norm(_answer_text(c))
            asked.add(answer)
            if " " in answer:
                tails.add(answer.rsplit(" ", 1)[1])
    kept = [c for c in candidates if id(c) in keep]
    return kept, len(candidates) - len(kept)


def _role_rank(c: Candidate) -> int:
    return ROLES.index(c.role) if c.role in ROLES else len(ROLES)


def _asked_last(by_sentence: dict[int, list[Candidate]]) -> dict[str, int]:
    """Each answer's last sentence that would ask it among its own first picks (by role)."""
    last: dict[str, int] = {}
    for order, group in sorted(by_sentence.items()):
        own = sorted((c for c in group if c.role not in ACROSS), key=_role_rank)
        for c in own[:PER_SENTENCE]:
            if c.role not in REPEATABLE:
                last[norm(_answer_text(c))] = order
    return last


def _prompt(c: Candidate) -> str:
    return str(next(c.fields[k] for k in PROMPT_FIELDS if k in c.fields))


def _answer_text(c: Candidate) -> str:
    f = c.fields
    if "cloze" in f:
        return " ".join(d.answer for d in cloze_deletions(f["cloze"]))
    answer = f.get("answer", f.get("back", f.get("explanation", "")))
    return " ".join(answer) if isinstance(answer, list) else str(answer)


def _same_fact(a: Candidate, b: Candidate) -> bool:
    """Whether two cards of one sentence ask one fact: the same answer ("Who said ...?" and
    "The {{EPA}} says ..."), a list and one of its items, or a person's office asked both ways
    ("Who is the captain?", "What is Ferreira's role?")."""
    if {a.role, b.role} == {"office", "holder"}:
        return True
    x, y = norm(_answer_text(a)), norm(_answer_text(b))
    if not x or not y:
        return False
    if a.role == b.role == "said":  # "Who reported that Putin said ...?" holds "Who said ...?"
        nested = f" {x} " in f" {norm(_prompt(b))} " or f" {y} " in f" {norm(_prompt(a))} "
        return nested or x == y
    if "list" in (a.role, b.role):  # a list and one of its items
        return f" {x} " in f" {y} " or f" {y} " in f" {x} "
    return x == y


def _vetted(
    candidates: list[Candidate],
    title: str,
    report: GenerateReport,
    sentences: Sequence[Sentence] = (),
) -> list[Candidate]:
    """The candidates ``quiz check`` would not warn about (``quiz.lint``), so a draft starts
    clean: a choice with too few options becomes a typed card, a cloze that opens on a
    pronoun ("It returns {{None}}") is widened by the sentence before it when that one is
    short, any other flagged card is dropped and the summary says why."""
    before = {(b.paragraph, b.index + 1): b for b in sentences}
    kept = list(candidates)
    for _ in range(2):  # a choice turned typed is linted once more
        cards = DeckFile.model_validate({"cards": [c.fields for c in kept]}).cards
        flagged: dict[int, str] = {}
        for index, advice in lint_cards(cards, title):
            flagged.setdefault(index, advice)
        if not flagged:
            break
        vetted = []
        for index, candidate in enumerate(kept):
            fields = candidate.fields
            if index not in flagged:
                vetted.append(candidate)
            elif (
                "question" in fields
                and len(fields["answer"] if isinstance(fields["answer"], list) else [0]) <= 1
                and len(fields.get("distractors", ())) < MIN_OPTIONS - 1
                and flagged[index].startswith("only ")
            ):
                answer = fields["answer"]
                typed = {"prompt": fields["question"], "answer": _first(answer)}
                if "explanation" in fields:
                    typed["explanation"] = fields["explanation"]
                vetted.append(replace(candidate, fields=typed))
            elif (who := _WHO_IS_ROLE.fullmatch(fields.get("front", ""))) and fields[
                "back"
            ].casefold() in TITLE_SET:
                # "Who is Isaac Herzog?" / "president": ask for the role, which a word answers.
                asked = {**fields, "front": f"What is {who.group(1)}'s role?"}
                vetted.append(replace(candidate, fields=asked))
            elif flagged[index].startswith("the cloze opens on") and (
                widened := _widened(fields, before.get(_place(candidate)))
            ):
                vetted.append(replace(candidate, fields=widened))
            else:
                s = candidate.sentence
                report.vetoed.append(Skipped(s.paragraph, excerpt_of(s.written), flagged[index]))
        kept = vetted
    return kept


WIDEN_WORDS = 25
"""The longest sentence put before a cloze that opens on a pronoun, to say what it means."""


def _place(c: Candidate) -> tuple[int, int]:
    return c.sentence.paragraph, c.sentence.index


def _widened(fields: dict[str, Any], prior: Sentence | None) -> dict[str, Any] | None:
    """A cloze opening on "It" or "This" with the sentence before it (same paragraph, short,
    itself opening on no pronoun) in front, which says what "it" is; or None."""
    cloze = fields.get("cloze", "")
    if prior is None or not _THING.match(cloze):
        return None  # "They say ...", "He was ...": a sentence before rarely names them
    text = prior.written
    if "{" in text or "}" in text or len(split_words(text)) > WIDEN_WORDS:
        return None
    if _OPENING_PRONOUN.match(text):
        return None
    return {**fields, "cloze": f"{text} {cloze}"}


_THING = re.compile(r"(?:It|This|These|That|Those)\b")
_OPENING_PRONOUN = re.compile(r"(?:It|This|These|That|Those|They|He|She|Its|Their|His|Her)\b")
_WHO_IS_ROLE = re.compile(r"Who is (?!the |a |an )(.+)\?")


def _first(answer: str | list[str]) -> str:
    return answer if isinstance(answer, str) else answer[0]


def _card(c: Candidate, used: set[str]) -> dict[str, Any]:
    prompt = _prompt(c)
    s = c.sentence
    base = f"{c.role}-p{s.paragraph}-{s.index}-{digest(prompt)[:6]}"
    card_id, n = base, 2
    while card_id in used:
        card_id, n = f"{base}-{n}", n + 1
    used.add(card_id)
    source = {"paragraph": s.paragraph, "excerpt": f"“{excerpt_of(s.written)}”"}  # its words
    return {"id": card_id, **c.fields, "tags": [c.tag], "source": source}


def generate_deck(
    text: str,
    *,
    title: str | None = None,
    max_cards: int | None = None,
    source_name: str | None = None,
) -> Draft:
    """Draft a deck from an article's text; the same text always gives the same deck."""
    if max_cards is not None and max_cards < 1:
        raise GenerateError(f"--max must be at least 1, not {max_cards}")
    if title is not None and not title.strip():
        raise GenerateError("the title must not be blank")
    report = GenerateReport()
    paragraphs = split_paragraphs(text)
    report.paragraphs = len(paragraphs)
    sentences, headline = article_sentences(paragraphs, report.skipped)
    report.sentences = len(sentences)
    candidates = Drafter(Article(sentences), text).run()
    with_cards = {c.sentence.order for c in candidates}
    for s in sentences:
        if s.order not in with_cards:
            report.skipped.append(Skipped(s.paragraph, excerpt_of(s.text), "no fact found"))
    deck_title = (title or headline or Path(source_name or "").stem or "Draft deck").strip()[:200]
    candidates = _vetted(candidates, deck_title, report, sentences)
    candidates, report.repeats = _per_sentence(candidates)
    report.skipped.sort(key=lambda sk: sk.paragraph)
    chosen = _select(candidates, max_cards)
    report.left_out = len(candidates) - len(chosen)
    used: set[str] = set()
    cards = [_card(c, used) for c in chosen]
    origin = source_name or "an article"
    meta: dict[str, Any] = {
        "title": deck_title,
        "description": f"Drafted by quiz generate from {origin}: check every card before studying.",
    }
    if headline:
        meta["source"] = {"title": headline}
    deck = DeckFile.model_validate({"deck": meta, "cards": cards})
    report.cards_by_kind = dict(sorted(Counter(c.kind for c in deck.cards).items()))
    return Draft(deck, report, tuple(c.sentence.written for c in chosen))


def read_article(path: Path) -> str:
    """An article file's text; every way it can fail is a readable ``GenerateError``."""
    try:
        if path.is_dir():
            raise GenerateError(f"{path} is a folder, not a text file")
        if path.exists() and not path.is_file():
            raise GenerateError(f"{path} is not a regular file (a pipe or a device?)")
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            raise GenerateError(
                f"{path} is larger than {MAX_ARTICLE_BYTES // 2**20} MB: not an article"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise GenerateError(f"{path}: no such file") from None
    except OSError as exc:
        raise GenerateError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if b"\0" in data:
        raise GenerateError(f"{path} looks like a binary file, not plain text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GenerateError(
            f"{path} is not UTF-8 text (bad byte at offset {exc.start}): save it as UTF-8"
        ) from None
