"""The second pass: candidate cards written sentence by sentence, one writer per kind of
question (who holds an office, who said what, what a term is, why, who did what, which
command, numbers, dates, places and organisations)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from quiz.generate.distractors import pick, pick_number
from quiz.generate.facts import (
    APPOSITION,
    BECAUSE,
    CAUSE_WORDS,
    CODE_NOUNS,
    DEFINES,
    KNOWN_AS,
    NOT_TERMS,
    clause_starts,
    code_spans,
    date_spans,
    definition,
    find_numbers,
    list_spans,
)
from quiz.generate.focus import CODE_PROMPT, FUNCTION_WORDS, key_phrases, words_of
from quiz.generate.people import Article, Person, Speaker
from quiz.generate.quotes import attributions, balance_quotes, full_stop, trim_statement
from quiz.generate.text import Sentence, Span, contains, split_words
from quiz.generate.words import ANON_NOUNS, CAPW, DAYS, HONORIFICS, MONTHS, NOT_NAMES, wordset
from quiz.lint import norm
from quiz.model import cloze_deletions

_TIMELINE = 4
_EVENT_WORDS = 14


def _undated(sentence: str, date: str) -> str:
    """The sentence without its date phrase ("in 1777", "on May 12, 1780"), cut to a short
    event; "" when too little is left to tell one event from another."""
    text = re.sub(
        rf",?\s*(?:(?i:in|on|by|from|since|during|until|of)\s+)?{re.escape(date)},?", "", sentence
    )
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    text = text[:1].upper() + text[1:]
    words = text.split()
    if len(words) < 4:
        return ""
    if len(words) > _EVENT_WORDS:
        text = " ".join(words[:_EVENT_WORDS]).rstrip(",;:") + "…"
    return text.rstrip(".")


_TERM_QUOTED = re.compile(r"[“\"](?P<term>[A-Za-z][A-Za-z'’ -]{1,40}?[A-Za-z])[”\"]")
_TERM_WORDS = 4
_SAID_AFTER = re.compile(r",?\s*(?:he|she|they|it|\w+)?\s*(?:said|says|added|told)\b")
SECOND_KEY = 4.0
"""A plain sentence's second key phrase is asked only when it scores this (its first:
``focus.MIN_SCORE``): a second gap in a sentence nothing else marks is often a lesser fact."""
_OPENING_PRONOUN = re.compile(r"(He|She|His|Her) ")
_GIST_WORDS = 14
_WINDOW_MIN, _WINDOW_MAX = 8, 22


_STATEMENT_WORDS = 40
_VERSION = re.compile(r"(?<![\w.])[A-Z][\w+#-]* (?P<v>\d+(?:\.\d+)+)(?![\w.]?\d)")
"""A release named by its number ("Rust 1.1", "Python 2.4"): a number in a name, asked whole."""
_SUPPOSING = re.compile(r"\b(?:[Ii]f|[Ww]hen|[Ww]henever|[Uu]nless|[Ss]uppose)\s+$")
_ARTICLE_OPENING = re.compile(r"^(?:The|A|An)(?= [a-z])")


_EPITHET = re.compile(
    r"\b(?:called|labell?ed|branded|dubbed|denounced)\s+"
    r"(?P<whom>him|her|them|it|(?:[Tt]he\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})\s+"
    r"(?:(?:an?|the)\s+(?:“|\")?|“|\")(?P<name>[\w’'-]+(?:\s+[\w’'-]+){0,2}?)(?:”|\")?"
    r"(?=\s+(?:in|for|after|over|and|but|because|as|at|on|during|while)\b|\s*[,;:.!?—–)]|$)"
)
"""What one party called another ("Putin called Zelensky a {{Nazi}}", "dubbed her the
“{{Iron Lady}}”"): the word the report turns on."""


_PER_VALUE = 2  # cards per date value and per place or organisation


def _anonymous(phrase: str) -> Speaker | None:
    """An unnamed source ("the source", "a senior diplomatic source", "officials"): no card asks
    who it was, but what it said is still a fact of the text."""
    words = phrase.strip(" ,.").split()
    if not 1 <= len(words) <= 5 or words[-1].lower() not in ANON_NOUNS:
        return None
    shown = " ".join(words)
    shown = shown[:1].lower() + shown[1:] if words[0].lower() in ("the", "a", "an") else shown
    return Speaker("anonymous", shown, shown)


def _find(text: str, part: str) -> Span | None:
    """Where ``part`` (a statement cut from the sentence) is in ``text``, if it is there."""
    at = text.find(part.strip())
    return Span(at, at + len(part.strip()), part.strip()) if at >= 0 and part.strip() else None


_INTRO = re.compile(
    r"(?:After|Before|While|When|Following|Despite|Although|Though|Having|Since|Until|Once"
    r"|With|Without|Unlike|Like|Behind|Against)\b[^,;]*$"
)
"""An opening phrase up to its first comma: the name after that comma starts the clause."""


def _in_list(text: str, span: Span) -> bool:
    """Whether the name at ``span`` is one of a list of names ("Lukaku, Carrasco, and Mertens"):
    a gap there asks which of several, which the sentence cannot tell."""
    if re.match(r", [\d.,]+(?:;|$)", text[span.end :]) or re.search(
        r"[\d.]; $", text[: span.start]
    ):
        return True  # "Kyle Busch, 609; Ryan Newman, 606": a table of results in prose
    after = re.match(r"(?:,| and| or)\s+(?:and\s+)?[A-Z]", text[span.end :])
    before = re.search(r"([A-Z][\w'’-]*)(?:,| and| or)\s+(?:and\s+)?$", text[: span.start])
    if (
        before
        and (
            before.group(1) in DAYS | MONTHS  # "On Saturday, Tomas Rivera won"
            or len(text[: before.start()].split()) < 2  # an opening phrase, not a list
            or _INTRO.match(text[: before.end(1)])  # "After claiming the lead from Bowyer,"
        )
    ):
        before = None
    return bool(after or before)


def _inside(part: Span, whole: Span) -> bool:
    return whole.start <= part.start and part.end <= whole.end


_NOT_NAME_PARTS = NOT_NAMES | HONORIFICS


def _in_longer_name(text: str, span: Span) -> bool:
    """Whether a capitalised word runs on from the span ("Jeff Gordon Day", "New Sarah Lee
    Bakery"); a title before it ("President Franklin Pierce") does not count."""
    after = text[span.end : span.end + 2]
    if len(after) == 2 and after[0] == " " and after[1].isupper():
        return True
    before = text[: span.start]
    if not before.endswith(" "):
        return False
    word = before.rstrip(" ").rsplit(" ", 1)[-1]
    if not word[:1].isupper() or not word[-1:].isalnum():  # "On Sunday, Jeff Gordon"
        return False
    if word.endswith(("'s", "’s")):  # "Demosisto's Nathan Law": his party, not his name
        return False
    if re.search(r"-[a-z]", word):  # "Pan-democrat Gary Fan": a camp, not his name
        return False
    return word.lower() not in _NOT_NAME_PARTS  # "The", "In", a title, "Don"


ROLES = (
    "said",
    "epithet",
    "subject",
    "why",
    "define",
    "term",
    "score",
    "deed",
    "num",
    "list",
    "date",
    "name",
    "code",
    "holder",
    "office",
    "order",
    "day",
    "count",
    "key",
    "what",
    "tf",
)
"""Card roles by what a teacher would ask first: of a sentence's candidates the first two are
kept, and ``--max`` takes them round-robin in this order (the minor ones last)."""
MINOR = frozenset({"day", "count", "what", "tf", "key"})
"""Roles ``--max`` takes only when the others are spent: seldom the point of a sentence."""


_TAGS = {
    "office": "people",
    "deed": "people",
    "code": "commands",
    "define": "definitions",
    "why": "reasons",
    "term": "definitions",
    "epithet": "quotes",
    "list": "lists",
    "order": "dates",
    "holder": "people",
    "said": "quotes",
    "what": "quotes",
    "tf": "quotes",
    "num": "numbers",
    "date": "dates",
    "key": "facts",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    role: str
    sentence: Sentence
    fields: dict[str, Any]
    tag: str


_BORN_IN = re.compile(r"\b(?:born|raised|grew up) (?:in|at|near) (?:the )?$")
"""Before a birthplace: in a life, where someone was born is what the sentence tells."""
_QUOTED_WORDS = re.compile(r"(?<=\w )[“\"](?P<q>[^”\"]+)[”\"]")
"""A quote that running text leads into ("behaving in a “measured and responsible way,”")."""
_QUOTED_MAX = 6
_RELATIVE = re.compile(r"(?:who|whom|whose|which)\b")
_CLAUSE_PRONOUN = re.compile(r"(?:[a-z0-9,]+ ){0,4}?(he|she)\b")
"""A clause whose first words hold a person's pronoun ("so in 1853 he signed"): cut from its
sentence, it needs the name."""
_UNCLEAR = Person("", -1)
"""Whom an opening "He" meant when nothing said: the next "He" is no clearer."""
_RELATIVE_NAMED = re.compile(
    r"\b(?:[Hh]is|[Hh]er|[Tt]heir) (?:brother|sister|son|daughter|father|mother|wife|husband"
    rf"|cousin|uncle|aunt|nephew|niece)s?,? ({CAPW}(?: {CAPW})*)"
)
"""A relative named ("her sister Clara Ruiz"): someone else an opening "She" next may mean."""
_KIN_OF = re.compile(
    r"\b(?:son|daughter|child|wife|husband|widow|brother|sister|father|mother) of (?:the )?$"
)
"""Before a relative: whose child someone was is told, not done, and asked after the rest."""
_SMALL_WORDS = wordset("two three four five six seven eight nine ten eleven twelve")
_DECISIVE = re.compile(r",? (?:won|wins|beat|defeated|clinched|captured|scored)\b")
"""After a name: the one who decided the event."""
_BEST = re.compile(r"\b(?:led|leading|leads|had|having|has|won|winning|scored|scoring) the most\b")
"""After a name: what sets them above the rest ("he would end the race leading the most
laps"), as telling as who won."""
_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+[—–-]\s+")


def _clauses(text: str, start: int, end: int) -> tuple[int, int]:
    """The clauses around ``[start, end)``, as many as make ``_WINDOW_MIN`` words, and the
    one before a relative clause ("Walding, who served in Iraq": it says who "who" is)."""
    cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(text)), len(text)]
    lo = max(i for i, c in enumerate(cuts[:-1]) if c <= start)
    hi = next(i for i, c in enumerate(cuts) if c >= end and i > lo)
    while len(split_words(text[cuts[lo] : cuts[hi]])) < _WINDOW_MIN and (
        lo > 0 or hi < len(cuts) - 1
    ):
        if lo > 0:
            lo -= 1
        if len(split_words(text[cuts[lo] : cuts[hi]])) < _WINDOW_MIN and hi < len(cuts) - 1:
            hi += 1
    if lo > 0 and _RELATIVE.match(text, cuts[lo]):
        lo -= 1
    return cuts[lo], cuts[hi]


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``[start, end)``, widened to a few words and cut to at most ~22."""
    ws, we = _clauses(text, start, end)
    tokens = [(m.start() + ws, m.end() + ws) for m in re.finditer(r"\S+", text[ws:we])]
    if len(tokens) > _WINDOW_MAX:
        first = next(i for i, t in enumerate(tokens) if t[1] > start)
        last = max(i for i, t in enumerate(tokens) if t[0] < end)
        spare = max(_WINDOW_MAX - (last - first + 1), 0)
        a = max(first - spare // 2, 0)
        b = min(a + max(_WINDOW_MAX, last - first + 1), len(tokens))
        a = max(min(a, b - _WINDOW_MAX), 0)
        ws, we = tokens[a][0], tokens[b - 1][1]
    return ws, we


def _without_stray_closers(body: str) -> str:
    """``body`` without a ")" whose "(" the window cut off ("…Hertleif maintains them)")."""
    depth, out = 0, []
    for ch in body:
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                continue
            depth -= 1
        out.append(ch)
    return "".join(out).rstrip()


def _derived_before(text: str, start: int, target: Span) -> int | None:
    """Where the clause after a word made from the answer's last word starts ("Schwartzian"
    before "Randal L. Schwartz", which gives it away), when one stands between ``start`` and
    the answer; None when none does."""
    last = target.text.split(" ")[-1]
    stem = last.rstrip("aeiouy")  # "Haldane" -> "Haldanian"
    if len(stem) < 4 or not last[0].isupper():
        return None
    derived = re.compile(rf"\b{re.escape(stem)}\w+")
    found = [m for m in derived.finditer(text, start, target.start) if m.group() != last]
    if not found:
        return None
    brk = _CLAUSE_BREAK.search(text, found[-1].end(), target.start)
    return brk.end() if brk else None


def _render(text: str, start: int, end: int, cuts: list[tuple[Span, str]]) -> str:
    """``text[start:end]`` with spans replaced, and "…" where it was cut from the sentence."""
    out, pos = [], start
    for span, new in sorted(cuts, key=lambda c: c[0].start):
        out.append(text[pos : span.start])
        out.append(new)
        pos = span.end
    out.append(text[pos:end])
    body = _without_stray_closers("".join(out).strip())
    if end < len(text):
        body = body.rstrip(" ,;:—–-") + "…"
    if start > 0:
        body = "…" + body
    return body


class Drafter:
    """The second pass: candidate cards, sentence by sentence, each drawn from one sentence."""

    def __init__(self, article: Article, source: str = "") -> None:
        self.a = article
        self.source = source
        """The whole text as given, code blocks and all (evidence that a word is code)."""
        self.candidates: list[Candidate] = []
        self.prompts: set[str] = set()
        self.per_value: Counter[str] = Counter()
        self.per_sentence: Counter[int] = Counter()
        self.topics: dict[str, bool] = {}
        self.as_code: dict[str, bool] = {}
        self.inside: dict[str, bool] = {}
        self.resolved: dict[int, Sentence] = {}
        """Each sentence with its opening pronoun named, where it could be (by order)."""
        self.dominant: str | None = None
        """The speaker quoted most ("" when none is), found when first needed."""
        """Whether the text writes a word capitalised inside a sentence (asked once a word)."""
        self.said_count = 0
        self.numbers_by_unit: dict[str, list[str]] = {}
        self.text = "\n".join(s.text for s in article.sentences)
        self.word_counts: Counter[str] = Counter(
            w for s in article.sentences for w in {w.lower() for w in words_of(s.text)}
        )
        many = max(4, len(article.sentences) / 6)
        self.topic_words = frozenset(w for w, n in self.word_counts.items() if n >= many)
        for s in article.sentences:
            for n in find_numbers(s.text, [sp for sp, _ in date_spans(s.text)]):
                values = self.numbers_by_unit.setdefault(n.unit, [])
                if n.span.text not in values:
                    values.append(n.span.text)

    def add(self, role: str, s: Sentence, fields: dict[str, Any], tag: str = "") -> bool:
        prompt = next(
            fields[k] for k in ("front", "cloze", "prompt", "question", "statement") if k in fields
        )
        key = norm(prompt)  # a cloze's gaps are its question: two gaps, two cards
        key = f"{key}|{prompt}" if "cloze" in fields and key else key
        if not key or key in self.prompts:
            return False
        self.prompts.add(key)
        self.candidates.append(Candidate(role, s, fields, tag or _TAGS[role]))
        self.per_sentence[s.order] += 1
        return True

    def run(self) -> list[Candidate]:
        last: tuple[int, Person] | None = None
        found = [self.a.person_mentions(s.text) for s in self.a.sentences]
        subject = self._dominant(found)
        before: list[str] = []  # whom the sentence before names, in order
        chain: Person | None = None  # whom its opening "He" meant
        paragraph = 0
        for original, mentions in zip(self.a.sentences, found, strict=True):
            if original.paragraph != paragraph:
                before, chain, paragraph = [], None, original.paragraph
            meant = self._antecedent(subject, before, chain)
            s = self._resolved(original, meant)
            self.resolved[s.order] = s
            # "He ..." keeps its subject for the next sentence; "Her sister ..." does not
            opens_on_he = original.text.startswith(("He ", "She "))
            subject_pronoun = s is not original and opens_on_he
            chain = meant if subject_pronoun else _UNCLEAR if opens_on_he else None
            named = self.a.person_mentions(s.text) if subject_pronoun else mentions
            if s is not original:
                mentions = self.a.person_mentions(s.text)
            before = [p.name for _, p in named] + sorted(self._unknown_opener(original.text))
            before += [
                m.group(1)
                for m in _RELATIVE_NAMED.finditer(original.text)
                if m.group(1) not in before
            ]
            recent = last[1] if last and s.paragraph - last[0] <= 1 else None
            self.people(original)
            self.said(s, recent)
            dates = date_spans(s.text)
            code = code_spans(s.text)
            blocked = [sp for sp, _ in mentions] + [sp for sp, _ in dates] + code
            self.code(s, code)
            self.definitions(s)
            self.terms(s)
            self.epithets(s)
            self.reasons(s)
            self.numbers(s, blocked)
            self.versions(s, blocked)
            self.dates(s, dates)
            self.names(s, blocked)
            self.lists(s)
            self.deeds(s, mentions)
            self.key(s, blocked)  # people, dates and code are no key phrase
            if mentions:
                last = (s.paragraph, mentions[-1][1])
        self.timeline()
        return self.candidates

    def timeline(self) -> None:
        """Dated events in order: when at least four sentences each give one year of their
        own, an order card of four of them (spread from first to last), each event told in the
        sentence's words without its date."""
        events: dict[str, tuple[Sentence, str]] = {}
        for original in self.a.sentences:
            s = self.resolved.get(original.order, original)  # "He (L'Enfant) arrived ..."
            years = [sp for sp, hint in date_spans(s.text) if re.search(r"\d{4}", sp.text)]
            found = {re.search(r"\d{4}", sp.text).group() for sp in years}  # type: ignore[union-attr]
            if len(found) != 1 or len(years) != 1 or "{" in s.text:
                continue
            year = found.pop()
            event = _undated(s.text, years[0].text)
            if event and year not in events and not re.search(r"\d{4}", event):
                events[year] = (s, event)
        if len(events) < _TIMELINE:
            return
        ordered = sorted(events.items())
        step = (len(ordered) - 1) / (_TIMELINE - 1)
        chosen = [ordered[round(i * step)][1] for i in range(_TIMELINE)]
        items = [event for _, event in chosen]
        if len({norm(i) for i in items}) < _TIMELINE:
            return
        prompt = "Put these events in the order they happened, earliest first."
        self.add("order", chosen[0][0], {"prompt": prompt, "items": items}, "dates")

    def _dominant(self, found: list[list[tuple[Span, Person]]]) -> Person | None:
        """The person a text is about, when one is: an entry's subject, or someone named at
        least three times and twice as often as anyone else."""
        if self.a.subject is not None:
            return self.a.subject
        counts = Counter(p.name for mentions in found for _, p in mentions)
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
            return None
        return self.a.people[ranked[0][0]]

    def _antecedent(
        self, subject: Person | None, before: list[str], chain: Person | None
    ) -> Person | None:
        """Whom an opening "He" or "She" means, from the sentence before (in the same
        paragraph): the person the text is about, when that sentence names nobody else or
        names them first; the one person it names ("Zelensky said ... He later agreed ...");
        the one its own "He" meant, when it named them first ("He arrived ... with
        Lafayette. He was commissioned ..." is still about him). None when it is unclear
        ("his brother Pierre Joseph died ... and Pierre Charles became ... He studied")."""
        if chain is _UNCLEAR:
            return None  # "He arrived ... beside Captain Lund. He was made ...": still unclear
        named = set(before)
        if subject is not None and (not named - {subject.name} or before[0] == subject.name):
            return subject
        if chain is not None and before[:1] == [chain.name]:
            return chain
        if len(named) == 1:
            name = before[0]
            return self.a.people.get(name) or Person(name, len(self.a.people))
        return None

    def _unknown_opener(self, text: str) -> set[str]:
        """The name a sentence opens on when it is no known person, place or body but the
        text also writes it capitalised mid-sentence ("Walding, who served ...": the man of
        "The John Wayne Walding 400"): an opening "His" next means him, not the text's
        subject."""
        m = re.match(r"([A-Z][\w'’-]+)(?=,| (?:was|is|had|has|who)\b)", text)
        if m is None or m.group(1).lower() in NOT_NAMES or self.a.resolve(m.group(1)):
            return set()
        word = m.group(1)
        if word not in self.inside:
            pattern = rf"[\w,;] {re.escape(word)}\b"
            self.inside[word] = re.search(pattern, self.text) is not None
        return {word} if self.inside[word] and not self.a.names.kind(word) else set()

    def _resolved(self, s: Sentence, person: Person | None) -> Sentence:
        """A sentence opening on "He" or "She" with the person it means named beside the
        pronoun ("He (L'Enfant) studied art ..."); else the sentence as it is (its cards that
        open on the pronoun are then left out by the lint)."""
        m = _OPENING_PRONOUN.match(s.text)
        if person is None or m is None:
            return s
        text = f"{m.group(1)} ({self.a.short_name(person)}){s.text[m.end(1) :]}"
        return Sentence(s.paragraph, s.index, s.order, text, original=s.text)

    # people and offices

    def others(self, person: Person, short: bool) -> list[str]:
        people = sorted(self.a.people.values(), key=lambda p: (p.office is None, p.order))
        return [p.surname if short else p.name for p in people if p is not person]

    def people(self, s: Sentence) -> None:
        for person in self.a.people.values():
            if person.office_sentence is not s or not person.office:
                continue
            office = person.office
            if re.fullmatch(r"[A-Z][a-z]{1,4}\.", office):
                continue  # "Sen.": an abbreviation is no answer, and "Who is the Sen.?" no question
            self.add("office", s, {"front": f"Who is {person.name}?", "back": office})
            if self._office_is_ambiguous(person):
                continue
            question = (
                f"Who is {office}?"
                if office.split(" ")[0].lower() in {"a", "an", "the"}
                else f"Who is the {office}?"
            )
            distractors = pick(person.name, self.others(person, short=False))
            if distractors:
                fields = {"question": question, "answer": person.name, "distractors": distractors}
            else:
                fields = {"front": question, "back": person.name}
            self.add("holder", s, fields)

    def _office_is_ambiguous(self, person: Person) -> bool:
        assert person.office is not None
        mine = norm(re.sub(r"^(?:the|a|an)\s+", "", person.office, flags=re.I))
        for other in self.a.people.values():
            if other is person or not other.office:
                continue
            theirs = norm(other.office)
            if theirs.startswith(("former ", "ex ")) and not mine.startswith("former"):
                continue
            if f" {mine} " in f" {theirs} ":
                return True
        return False

    # who said what

    def said(self, s: Sentence, recent: Person | None) -> None:
        for att in attributions(s.text):
            speaker = self.a.speaker(att.speaker, recent) or _anonymous(att.speaker)
            if speaker is None:
                continue
            statement = balance_quotes(re.sub(r"[.!?]+$", "", att.statement.strip()))
            if len(split_words(statement)) < 3:
                continue
            gist = trim_statement(statement, _GIST_WORDS)
            report = att.verb.startswith("report") or att.verb == "according to"
            if (
                speaker.kind != "anonymous"
                and speaker.shown
                and contains(s.text, speaker.shown)
                and not contains(gist, speaker.shown)
            ):
                if self._dominant_speaker() == speaker.full:  # "Who said?" guesses itself
                    self._quoted_words(s, speaker, att.statement)
                self._who_said(s, speaker, gist, report)
                self._quoted_words(s, speaker, att.statement)
            self._what_said(s, speaker, statement, report)

    def _dominant_speaker(self) -> str | None:
        """Who is quoted most, when that is at least three times and twice anyone else: the
        answer to most "Who said ...?" cards, so how they put it is asked first."""
        if self.dominant is None:
            counts: Counter[str] = Counter()
            recent: Person | None = None
            for s in self.a.sentences:
                for att in attributions(s.text):
                    if (speaker := self.a.speaker(att.speaker, recent)) is not None:
                        counts[speaker.full] += 1
            top = [*counts.most_common(2), ("", 0)]
            self.dominant = top[0][0] if top[0][1] >= 3 and top[0][1] >= 2 * top[1][1] else ""
        return self.dominant or None

    def _quoted_words(self, s: Sentence, speaker: Speaker, statement: str) -> None:
        """The speaker's own words quoted inside what they are reported to have said
        ("Israel is behaving in a “{{measured and responsible way}},” Bennett said"): how
        someone put it is the fact; the gap keeps the speaker in view."""
        for m in _QUOTED_WORDS.finditer(s.text):
            words = m.group("q").strip(" ,.")
            if not 2 <= len(split_words(words)) <= _QUOTED_MAX or not contains(statement, words):
                continue
            if norm(words) == norm(statement):  # the whole statement is the quote
                continue
            start = m.start("q")
            target = Span(start, start + len(words), words)
            ws, we = _window(s.text, target.start, target.end)
            if not contains(s.text[ws:we], speaker.shown):
                continue
            if self._cloze("said", s, target, "", "quotes"):
                return

    def _speaker_pool(self, speaker: Speaker) -> list[str]:
        if speaker.kind == "org":
            pool = list(self.a.org_speakers)
            pool += [n for n in self.a.names.sentences if self.a.names.kind(n) == "org"]
            return pick(speaker.shown, pool)
        person = self.a.resolve(speaker.full)
        short = " " not in speaker.shown
        pool = self.others(person, short) if person else []
        return pick(speaker.shown, pool)

    def _who_said(self, s: Sentence, speaker: Speaker, gist: str, report: bool) -> None:
        gist = _ARTICLE_OPENING.sub(lambda m: m.group().lower(), gist)  # "that the mayor ..."
        question = f"Who reported that {gist}?" if report else f"Who said {gist}?"
        distractors = self._speaker_pool(speaker)
        if distractors:
            fields: dict[str, Any] = {
                "question": question,
                "answer": speaker.shown,
                "distractors": distractors,
            }
        else:
            fields = {"front": question, "back": speaker.shown}
        person = self.a.resolve(speaker.full) if speaker.kind == "person" else None
        if person is not None and (who := self._office_note(person, s)):
            fields["explanation"] = who
        if not self.add("said", s, fields) or not distractors or speaker.kind != "person":
            return
        self.said_count += 1
        verb = "reported that" if report else "said"
        if self.said_count % 2:
            wrong = distractors[0]
            self.add(
                "tf",
                s,
                {
                    "statement": full_stop(f"{wrong} {verb} {gist}"),
                    "true": False,
                    "explanation": f"It was {speaker.shown}.",
                },
            )
        else:
            self.add(
                "tf", s, {"statement": full_stop(f"{speaker.shown} {verb} {gist}"), "true": True}
            )

    def _what_said(self, s: Sentence, speaker: Speaker, statement: str, report: bool) -> None:
        verb = "report" if report else "say"
        own = norm(speaker.full)
        topics: list[tuple[int, str]] = []
        for sp, person in self.a.person_mentions(statement):
            if norm(person.name) != own:
                topics.append((sp.start, person.name))
        for sp in self.a.name_spans(statement, []):
            if (
                self.a.names.kind(sp.text)
                and norm(sp.text) != own
                and self.a.resolve(sp.text) is None
            ):
                topics.append((sp.start, sp.text))
        back = trim_statement(statement, _STATEMENT_WORDS)
        for _, topic in sorted(topics):
            if self.add(
                "what", s, {"front": f"What did {speaker.full} {verb} about {topic}?", "back": back}
            ):
                return

    # numbers, dates, names

    def numbers(self, s: Sentence, blocked: list[Span]) -> None:
        for n in find_numbers(s.text, blocked):
            key = f"num:{n.span.text}:{n.unit}"  # "Rust 1.0" four times is one fact, asked once
            if self.per_value[key] >= 1 or self._number_is_topic(n.span.text):
                continue
            self.per_value[key] += 1
            ws, we = _window(s.text, n.span.start, n.span.end)
            prompt = "Fill in the number: " + _render(s.text, ws, we, [(n.span, "___")])
            if contains(prompt, n.span.text):
                continue
            distractors = pick_number(n.span.text, self.numbers_by_unit.get(n.unit, []))
            if distractors and n.unit:
                fields: dict[str, Any] = {
                    "question": prompt,
                    "answer": n.span.text,
                    "distractors": distractors,
                }
            else:
                fields = {"prompt": prompt, "answer": n.span.text}
                if n.accept:
                    fields["accept"] = list(n.accept)
            # "compares two samples", "over the next six years": a number written as a word
            # is seldom the point of its sentence; a figure ("29,670", "$10 million") is.
            small = n.span.text.lower() in _SMALL_WORDS
            if small and _SUPPOSING.search(s.text, 0, n.span.start):
                continue  # "if two items have the same key": a case supposed, no fact
            role = "score" if n.unit == "score" else "count" if small else "num"
            self.add(role, s, fields, "numbers")

    def versions(self, s: Sentence, blocked: list[Span]) -> None:
        """A release named by its version ("releasing Rust {{1.1::version}} beta"), unless
        it is the text's own topic ("Rust 1.0" in its announcement)."""
        if "{" in s.text or "}" in s.text:
            return
        for m in _VERSION.finditer(s.text):
            span = Span(m.start("v"), m.end("v"), m.group("v"))
            key = f"version:{span.text}"
            if any(b.start < span.end and span.start < b.end for b in blocked):
                continue
            if self.per_value[key] or self._number_is_topic(span.text):
                continue
            self.per_value[key] += 1
            if self._cloze("num", s, span, "version", "numbers"):
                return

    @staticmethod
    def _office_note(person: Person, s: Sentence) -> str:
        """ "Naftali Bennett: Prime Minister", when this sentence names the office: a card that
        asks who, and has no room for a card of its own on the office, still shows it."""
        office = person.office
        return f"{person.name}: {office}." if office and contains(s.text, office) else ""

    def _cloze(
        self, role: str, s: Sentence, target: Span, hint: str, tag: str = "", note: str = ""
    ) -> bool:
        ws, we = _window(s.text, target.start, target.end)
        if (cut := _derived_before(s.text, ws, target)) is not None:
            # "Schwartzian transform, after {{Randal L. Schwartz}}": the clause after it
            ws, we = (cut + x for x in _window(s.text[cut:], target.start - cut, target.end - cut))
        same = [
            Span(m.start(), m.end(), m.group())
            for m in re.finditer(rf"(?<!\w){re.escape(target.text)}(?!\w)", s.text)
            if ws <= m.start() and m.end() <= we
        ]
        hint_part = f"::{hint}" if hint else ""
        group = "c1::" if len(same) > 1 else ""
        cuts = [(sp, f"{{{{{group}{sp.text}{hint_part}}}}}") for sp in same]
        if ws > 0 and (named := self._pronoun_named(s.text, ws, target)) is not None:
            cuts.append(named)
        fields = {"cloze": _render(s.text, ws, we, cuts)}
        if note:
            fields["explanation"] = note
        return self.add(role, s, fields, tag)

    def _pronoun_named(self, text: str, ws: int, target: Span) -> tuple[Span, str] | None:
        """A window that opens on "he" or "she" ("…but he needed money to …"), which the
        clause cut off names: the pronoun with the person the sentence opens on, as a cut
        ("he (Santa Anna)"); None when no pronoun opens it or the person is unclear."""
        m = _CLAUSE_PRONOUN.match(text, ws)
        if m is None or target.start <= m.start(1) < target.end:
            return None
        if self.a.person_mentions(text[ws : m.start(1)]):
            return None
        mentions = self.a.person_mentions(text[:ws])
        people = {p.name: p for _, p in mentions}
        if len(people) != 1 or not re.fullmatch(
            r"(?:[A-Z][\w.’'-]* )*", text[: mentions[0][0].start]
        ):
            return None  # the person must be whom the sentence is about: named first
        person = next(iter(people.values()))
        pronoun = Span(m.start(1), m.end(1), m.group(1))
        return pronoun, f"{pronoun.text} ({person.surname})"

    def dates(self, s: Sentence, dates: Sequence[tuple[Span, str]]) -> None:
        if "{" in s.text or "}" in s.text:
            return
        for span, hint in dates:
            key = "date:" + span.text
            role = "day" if hint == "day" else "date"  # "on Sunday" is seldom the point
            if self.per_value[key] < _PER_VALUE and self._cloze(role, s, span, hint, "dates"):
                self.per_value[key] += 1
                return

    def definitions(self, s: Sentence) -> None:
        """What a term is, where the text says so: "crates.io is a central package repository
        ...", "Cargo, the Rust package manager, is ..." (a basic card), and the name a thing
        is "known as" or "called" (a gap)."""
        for pattern in (DEFINES, APPOSITION):
            m = pattern.search(s.text)
            if m is None or m.start() not in (0, *clause_starts(s.text)):
                continue
            term, meaning = m.group("term"), definition(m.group("meaning"))
            if (
                meaning
                and term.split(" ")[0].lower() not in NOT_TERMS
                and self._uses(term) > 1  # a term the text uses, not "Finally, the ..."
                and self.a.resolve(term) is None  # people have their who-is cards
            ):
                self.add("define", s, {"front": f"What is {term}?", "back": meaning})
                break
        if "{" in s.text or "}" in s.text:
            return
        for m in KNOWN_AS.finditer(s.text):
            span = Span(m.start("name"), m.end("name"), m.group("name"))
            if self._cloze("define", s, span, "name"):
                return

    def terms(self, s: Sentence) -> None:
        """A term the text sets in quotation marks ("the “lucky dog” rule", "a “drop-in
        replacement”"): the word the writer wants read, as a gap."""
        if "{" in s.text or "}" in s.text:
            return
        for m in _TERM_QUOTED.finditer(s.text):
            term = m.group("term")
            if len(term.split()) > _TERM_WORDS or term.lower() in NOT_TERMS:
                continue  # a quoted clause is a quotation, not a term
            if _SAID_AFTER.match(s.text, m.end()):
                continue
            span = Span(m.start("term"), m.end("term"), term)
            if self._cloze("term", s, span, "term"):
                return

    def epithets(self, s: Sentence) -> None:
        """What someone called someone else, as a gap: a teacher asks the word itself, which
        a who-said card of the same sentence never does."""
        if "{" in s.text or "}" in s.text:
            return
        for m in _EPITHET.finditer(s.text):
            name = m.group("name")
            if name.split(" ")[0].lower() in FUNCTION_WORDS or name.lower() in NOT_TERMS:
                continue  # "called them on Friday": no epithet
            if self._cloze("epithet", s, Span(m.start("name"), m.end("name"), name), "what"):
                return

    def _uses(self, term: str) -> int:
        """How often the article writes ``term`` as a word of its own."""
        return len(re.findall(rf"(?<![\w.]){re.escape(term)}(?![\w])", self.text))

    def reasons(self, s: Sentence) -> None:
        """Why something happened, where the text says so: the cause after "because", "due
        to", "owing to" or "in response to" becomes a gap ("substituted ... due to
        {{injury::why}}"), as long as it is a short phrase of its own."""
        if "{" in s.text or "}" in s.text:
            return
        for m in BECAUSE.finditer(s.text):
            cause = re.split(r" (?:and|but|which|when|while|so|then) ", m.group("cause"))[0]
            cause = cause.rstrip()
            if not 1 <= len(cause.split()) <= CAUSE_WORDS:
                continue
            span = Span(m.start("cause"), m.start("cause") + len(cause), cause)
            if self._cloze("why", s, span, "why"):
                return

    def code(self, s: Sentence, spans: list[Span]) -> None:
        """Technical text: a gap for the option, function or constant a sentence is about
        ("Use the {{-L::option}} option to tell it to follow redirects"), the whole token;
        never a gap in a line typed at a prompt (">>> sorted({{data}})"), which is code."""
        if "{" in s.text or "}" in s.text or CODE_PROMPT.match(s.text):
            return
        hints = [(span, self._code_hint(s.text, span)) for span in spans]
        named = [(sp, h) for sp, h in hints if h not in (None, "name", "option", "function")]
        named.sort(key=lambda sh: sh[1] != "command")  # a whole command line first
        for span, hint in named + [(sp, h) for sp, h in hints if (sp, h) not in named]:
            key = "code:" + span.text
            if hint is None:
                continue
            if self.per_value[key] < _PER_VALUE and self._cloze("code", s, span, hint):
                self.per_value[key] += 1
                return

    def _code_hint(self, text: str, span: Span) -> str | None:
        """The cloze hint of a code token: option, function, or the noun the text names it by
        ("the {{key::parameter}} parameter"). A plain word named so must also appear as code
        somewhere in the text (``key=``, ``import operator``), or it is no name ("the
        dedicated options"): None."""
        if " " in span.text:
            return "command"
        if span.text.startswith("-"):
            return "option"
        if span.text.endswith(")"):
            return "function"
        after = text[span.end :].split(" ", 2)[1:2]
        noun = after[0].rstrip(",.;:") if after else ""
        noun = noun[:-1] if noun.endswith("s") and noun[:-1] in CODE_NOUNS else noun
        if noun not in CODE_NOUNS:
            return "name"
        plain = span.text.isalpha() and span.text.islower()
        if plain and not self._written_as_code(span.text):
            return None
        return noun

    def _written_as_code(self, word: str) -> bool:
        """Whether the text uses ``word`` as code somewhere (``key=``, ``import operator``),
        asked once per word: the search runs over the whole text."""
        if word not in self.as_code:
            t = re.escape(word)
            pattern = rf"\b{t}\s*=|\b(?:import|from) {t}\b|\b{t}\.\w|\b{t}\(|`{t}`"
            self.as_code[word] = re.search(pattern, self.source or self.text) is not None
        return self.as_code[word]

    def deeds(self, s: Sentence, mentions: list[tuple[Span, Person]]) -> None:
        """Who did what: a gap for the person a sentence is about (who scored, who refereed,
        who was defeated, whom the speaker told). A speaker is left to the quote cards, and so
        is anyone named inside what was said; two people at most. A titled mention keeps its
        title as the cue:
        "Ukrainian President {{Volodymyr Zelensky::who}} has asked ..."."""
        if "{" in s.text or "}" in s.text:
            return
        said = attributions(s.text)
        quoted = [_find(s.text, a.statement) for a in said]
        asked = 0
        for span, person in mentions:
            name = self._deed_gap(s, span, person)
            if name is None or any(contains(a.speaker, person.surname) for a in said):
                continue
            if any(q and q.start < name.end and name.start < q.end for q in quoted):
                continue
            if _in_longer_name(s.text, name) and name == span:  # "Jeff Gordon Day" is a day
                continue
            if _in_list(s.text, name):
                continue
            role = "name" if _KIN_OF.search(s.text, 0, name.start) else "deed"
            note = self._office_note(person, s)
            if self._cloze(role, s, name, "who", tag="people", note=note):
                self.per_value["deed:" + person.name] += 1
                self.per_value["deed:subject"] += person is self.a.subject or self._is_topic(
                    person.surname
                )
                asked += 1
            if asked == 3:  # "... to Netanyahu, ... and to President Isaac Herzog": both (two kept)
                return

    def _deed_gap(self, s: Sentence, span: Span, person: Person) -> Span | None:
        """The words of a mention to gap: the full name, or the surname alone where the
        person won or scored; None when this person is no "who" here."""
        decisive = bool(_DECISIVE.match(s.text, span.end))  # "Gordon won ...": who won?
        decisive = decisive or _BEST.search(s.text, span.end) is not None
        about = person is self.a.subject or self._is_topic(person.surname)
        if about and not (decisive and not self.per_value["deed:subject"]):
            return None  # a text about someone: "who" would always be them (once: who won)
        if re.match(r" [IVX]+\b", s.text[span.end :]):
            return None  # "King Louis XV": the name goes on
        said_as = person.name if span.text.endswith(person.name) else person.surname
        if self.per_value["deed:" + person.name] >= _PER_VALUE or not (
            span.text.endswith(said_as) and (said_as == person.name or decisive)
        ):
            return None  # a surname alone is a gap only where it won or scored
        return Span(span.end - len(said_as), span.end, said_as)

    def _number_is_topic(self, number: str) -> bool:
        """Whether a number names what the text is about ("the 1.0 release" of an article
        announcing Rust 1.0): in its first sentence and in a tenth of all (three at least)."""
        if not re.search(r"\d", number) or not self.a.sentences:
            return False
        pattern = rf"(?<![\w.,]){re.escape(number)}(?![\w]|[.,]\d)"
        if not re.search(pattern, self.a.sentences[0].text):
            return False
        uses = sum(1 for s in self.a.sentences if re.search(pattern, s.text))
        return uses >= 3 and uses >= len(self.a.sentences) / 10

    def _is_topic(self, name: str) -> bool:
        """Whether a name is what the whole text is about (in a quarter of its sentences, and
        at least four): a gap for it guesses itself ("{{Israel}} is in a special situation")."""
        if name not in self.topics:
            self.topics[name] = self._counts_as_topic(name)
        return self.topics[name]

    def _counts_as_topic(self, name: str) -> bool:
        stem = name[:6] if len(name) >= 6 and " " not in name else name  # Australia(n)
        uses = sum(1 for s in self.a.sentences if stem in s.text)
        return uses >= 4 and uses >= len(self.a.sentences) / 4

    def key(self, s: Sentence, blocked: list[Span]) -> None:
        """A sentence's key phrase as a gap (``focus``): the fact a teacher would test when no
        name or number marks it. It ranks last, so it is kept only where the other writers
        left a slot; a strong second phrase only where they found nothing."""
        if "{" in s.text or "}" in s.text:
            return
        blocked = [*blocked, *self._gapped(s, lambda c: c.role == "why")]
        for a in attributions(s.text):  # "the {{Gazette reported}}": who-said cards ask it
            if (speaker := _find(s.text, a.speaker)) is not None:
                blocked.append(speaker)
        found = key_phrases(s.text, blocked, self.word_counts, self.topic_words)
        if not found or not self._cloze("key", s, found[0][1], ""):
            return
        if len(found) > 1 and found[1][0] >= SECOND_KEY and self.per_sentence[s.order] < 2:
            first, second = found[0][1], found[1][1]
            lists = list_spans(s.text)
            if not any(_inside(first, x.span) and _inside(second, x.span) for x in lists):
                self._cloze("key", s, second, "")  # "... for {{Chevrolet}}, ... for {{Hendrick}}"

    def _gapped(self, s: Sentence, which: Callable[[Candidate], bool]) -> list[Span]:
        """Where this sentence's cloze candidates so far (those ``which`` picks) have their
        gaps: a key phrase inside a reason ("due to {{changes in the dairy industry}}") would
        ask part of the same answer again."""
        spans: list[Span] = []
        for c in reversed(self.candidates):  # this sentence's candidates are the latest
            if c.sentence.order != s.order:
                break
            if not which(c):
                continue
            for gap in cloze_deletions(c.fields.get("cloze", "")):
                if (found := _find(s.text, gap.answer)) is not None:
                    spans.append(found)
        return spans

    def lists(self, s: Sentence) -> None:
        """A list of three or more alike items ("wheat, rice, maize and soybean") as one cloze
        whose gaps are asked together: recalling the whole list is the fact."""
        if "{" in s.text or "}" in s.text:
            return
        for found in list_spans(s.text):
            ws, we = _window(s.text, found.span.start, found.span.end)
            cuts = [(item, f"{{{{c1::{item.text}}}}}") for item in found.items]
            if self.add("list", s, {"cloze": _render(s.text, ws, we, cuts)}):
                return

    def names(self, s: Sentence, blocked: list[Span]) -> None:
        if "{" in s.text or "}" in s.text:
            return
        own = set(self.a.subject.name.split(" ")) if self.a.subject else set()
        spans = [
            sp
            for sp in self.a.name_spans(s.text, blocked)
            if self.a.names.kind(sp.text) and not self._is_topic(sp.text) and sp.text not in own
        ]  # the subject's own names ("from {{Pierre}} to Peter" in Pierre L'Enfant's entry)
        speakers = [a.speaker for a in attributions(s.text)]
        for sp in sorted(spans, key=lambda x: (self.a.names.sentences[x.text], x.start)):
            if any(contains(speaker, sp.text) for speaker in speakers):
                continue  # "{{RIA}} reported that ...": the quote cards ask who
            key = "name:" + sp.text
            kind = self.a.names.kind(sp.text)
            tag = {"place": "places", "event": "events"}.get(kind or "", "organisations")
            if _in_longer_name(s.text, sp):
                continue  # "{{North}} Korea": never half a name
            subject = re.fullmatch(r"(?:[Tt]he )?", s.text[: sp.start]) is not None
            subject = subject or _BORN_IN.search(s.text, 0, sp.start) is not None
            role = "subject" if subject else "name"  # what the sentence is about comes first
            if self.per_value[key] < _PER_VALUE and self._cloze(role, s, sp, "", tag):
                self.per_value[key] += 1
                return
