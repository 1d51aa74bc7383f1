"""The first pass over the whole article: its people (with their offices), its speakers and
its places and organisations, so that the second pass can name them and find distractors of
the same kind."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from quiz.generate.facts import date_spans
from quiz.generate.quotes import attributions
from quiz.generate.text import SENTENCE_CACHE, Sentence, Span, split_words
from quiz.generate.words import (
    ANON_NOUNS,
    CAPW,
    KEYWORDS,
    NAMEW,
    NOT_NAMES,
    NOT_ORG_ACRONYMS,
    NOT_PERSON_WORDS,
    ORG_CUES,
    ORG_WORDS,
    PLACE_ACRONYMS,
    PLACE_CUES,
    PLACE_WORDS,
    PRONOUNS,
    QUALIFIERS,
    STATE_AFTER,
    TITLE_RE,
    TITLE_SET,
    TITLE_WORDS,
    wordset,
)


def _valid_name_words(words: list[str]) -> list[str]:
    """The leading run of words that can be part of a person's name."""
    out: list[str] = []
    for n, w in enumerate(words):
        bare = w.rstrip(".")
        later = [x for x in words[n + 1 : n + 3] if x not in _PARTICLES][:1]
        if bare in _PARTICLES and out and later and later[0][:1].isupper():
            out.append(w)  # "Caron de Beaumarchais", "Ludwig van Beethoven", "de la Vega"
            continue
        if bare.lower() in NOT_NAMES or bare.lower() in ORG_WORDS or bare.lower() in PLACE_WORDS:
            break
        if len(bare) > 1 and bare.isupper():
            break
        out.append(w)
    return out


_PARTICLES = frozenset(
    {"de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "ter", "la", "los"}
)
"""Lower-case words inside a person's name, between capitalised ones."""

_CAP_RUN = re.compile(rf"{NAMEW}(?:\s{NAMEW})*")
_PERSON_RUN = re.compile(rf"{NAMEW}(?:\s(?:(?:{'|'.join(sorted(_PARTICLES))})\s){{0,2}}{NAMEW})*")
"""A run of name words that may hold a particle: "Antonio de Santa Anna"."""


_NAME_RUN = re.compile(rf"{NAMEW}(?:\s(?:(?:of|of the|de|van|von|der|da|del)\s)?{NAMEW})*")
"""Runs of capitalised words that may name a place or organisation: "University of Leeds"."""


_BEFORE_WORD = re.compile(r"([\w’'-]+)\s+$")


@dataclass(frozen=True, slots=True)
class _Titled:
    span: Span  # office and name together
    office: str
    name: str


@lru_cache(maxsize=SENTENCE_CACHE)
def titled_mentions(text: str) -> tuple[_Titled, ...]:
    """Everyone a sentence names with an office, before or after the name (each pass asks)."""
    return (*_titled_people(text), *_appositive_people(text))


def _titled_people(text: str) -> list[_Titled]:
    """People named after their office: "Foreign Minister Yair Lapid", "striker Amir Haddad"."""
    found: list[_Titled] = []
    taken = 0
    for m in TITLE_RE.finditer(text):
        if m.start() < taken or m.group().lower() == "head":
            continue
        named = _named_after(text, m)
        if named is None:
            continue
        office_end, name_words = named
        start = _office_start(text, m.start())
        name = " ".join(name_words)
        name_start = text.index(name, office_end)
        if re.match(r" [IVX]+\b", text[name_start + len(name) :]):
            continue  # "King Louis XV": a regnal name, one of many Louis
        office = text[start:office_end].strip()
        if start == 0 and office.lower() in _PLAIN_ROLES:
            office = office.lower()  # "Substitute Kwame Mensah, 19, ..." opens a sentence
        if office.endswith("s") and office.rsplit(" ", 1)[-1][:-1].lower() in TITLE_SET:
            office = office[:-1]  # "councillors Alvin Yeung, Claudia Mo ...": one of them
        span = Span(start, name_start + len(name), text[start : name_start + len(name)])
        found.append(_Titled(span, office, name))
        taken = span.end
    return found


def _named_after(text: str, title: re.Match[str]) -> tuple[int, list[str]] | None:
    """Where the office ends and the name that follows a title: "Minister Yair Lapid",
    "Minister for Eurasia Gary Koren" (the last two words after "for"); None for no name."""
    rest = text[title.end() :]
    comp = re.match(r"\s+(?:to|for|of|at)\s+(?:the\s+)?", rest)
    if not comp and not rest.startswith(" "):
        return None
    run = _PERSON_RUN.match(rest[comp.end() :] if comp else rest.lstrip(" "))
    if not run:
        return None
    words = run.group().split(" ")
    if comp:
        if len(words) < 2:
            return None
        cut = max(1, len(words) - 2)
        place, words = words[:cut], words[cut:]
        name_words = _valid_name_words(words)
        if name_words != words or len(name_words) < 2:
            return None  # "Vice President of Apache Parquet" names a project, not its VP
        after = rest[comp.end() + run.end() :]
        if not _ENDS_A_NAME.match(after):
            return None  # "Director of the National Iodine Nutrition study": a thing's name
        office_end = title.end() + comp.end() + len(" ".join(place))
    else:
        size = 3 + sum(w in _PARTICLES for w in words[:4])  # "Antonio de Santa Anna"
        name_words = _valid_name_words(words[:size])
        office_end = title.end()
    single = len(name_words) == 1
    if not name_words or (
        single and not title.group()[0].isupper() and not _said_next(text, title)
    ):
        return None  # "the striker Haddad" asks for more; "Everton boss Koeman said" does not
    after_name = text[title.end() :].split(" ".join(name_words), 1)[-1]
    if (nxt := re.match(r"\s+([a-z]+)", after_name)) and nxt.group(1) in TITLE_WORDS:
        return None  # "General Motors chairman": a company before an office, not a general
    return office_end, name_words


_PLAIN_ROLES = frozenset(
    [
        "substitute",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "winger",
        "keeper",
        "forward",
        "player",
        "captain",
        "coach",
        "manager",
        "driver",
        "rider",
        "teammate",
    ]
)
"""Roles written in lower case inside a sentence, so also when one opens it."""


def _said_next(text: str, title: re.Match[str]) -> bool:
    """Whether the one name after a title is followed by a verb of saying or deciding."""
    return bool(
        re.match(
            r"\s+[A-Z][\w'’-]*\s+(?:said|says|told|added|admitted|insisted)\b", text[title.end() :]
        )
    )


_ENDS_A_NAME = re.compile(
    r"(?:$|[,.;:!?)]|\s+(?:said|told|who|and|has|had|is|was|will|would|also)\b|\s+[a-z]+(?:ed|s)\b)"
)
"""What follows a person's name after "Minister for Eurasia Gary Koren": punctuation or a
verb ("said", "attended", "warns"), not a noun ("the National Iodine Nutrition study")."""


def _office_start(text: str, start: int) -> int:
    """Where an office begins, taking in the capitalised words and qualifiers just before its
    title ("former Foreign Minister", "Everton boss")."""
    while before := _BEFORE_WORD.search(text, 0, start):
        w = before.group(1)
        capital = w[0].isupper() and w.lower() not in NOT_NAMES - TITLE_WORDS
        if not (capital or w.lower() in QUALIFIERS) or start - before.start() > 40:
            break
        start = before.start()
    return start


_APPOSITIVE = re.compile(
    rf"(?P<name>{NAMEW}(?:\s{NAMEW}){{1,3}}),\s+"
    rf"(?P<office>(?:(?:the|a|an)\s+)?(?:[A-Za-z][\w-]*\s+){{0,3}}?{TITLE_RE.pattern}"
    rf"(?:\s+(?:of|at|for|in|with|from)\s+[^,;.]+?)?(?:\s+and\s+{TITLE_RE.pattern})?)"
    rf"(?=\s*(?:[,;.!?]|$)|\s+(?:and|who|which|said|says)\b)"
)


def _appositive_people(text: str) -> list[_Titled]:
    """People followed by their role: "Hanne Dahl, chief executive of Nordlys Energy"."""
    found: list[_Titled] = []
    for m in _APPOSITIVE.finditer(text):
        words = m.group("name").split(" ")
        while words and words[0].rstrip(".").lower() in NOT_NAMES:
            words = words[1:]
        words = _valid_name_words(words)
        if len(words) < 2:
            continue
        name = " ".join(words)
        start = m.start("name") + m.group("name").index(name)
        span = Span(start, m.end("office"), text[start : m.end("office")])
        found.append(_Titled(span, m.group("office"), name))
    return found


_HONORIFIC = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sir|Dame|Don|Doña|Dona)\.?\s+(?P<name>{CAPW}"
    r"(?:\s(?:(?:de|da|del|della|di|du|van|von|der|den|ter|la|los)\s){0,2}"
    rf"{CAPW})?)"
)
"""A name after an honorific ("Sir Tim Berners-Lee", "Don José de Garay"): a person's."""


@dataclass
class Person:
    name: str
    order: int
    office: str | None = None
    office_sentence: Sentence | None = None

    @property
    def surname(self) -> str:
        """The last name, or all the words after a particle ("Santa Anna" of "Antonio de
        Santa Anna"), as the text calls the person later."""
        words = self.name.split(" ")
        after = [i for i, w in enumerate(words[1:-1], 1) if w in _PARTICLES]
        return " ".join(words[after[-1] + 1 :]) if after else words[-1]


@dataclass(frozen=True, slots=True)
class Speaker:
    kind: str  # "person" or "org"
    shown: str  # as written in the sentence ("" for a pronoun)
    full: str  # the person's full name or the organisation


_EVENT_HEADS = wordset(
    "treaty act battle siege war convention accord declaration congress council peace edict charter"
)
_PLACE_HEADS = wordset(
    "isthmus gulf bay cape strait straits sea isle island islands lake mount port"
    " province county city republic kingdom"
)


@dataclass
class _Names:
    """Evidence that a capitalised name is a place or an organisation."""

    place: Counter[str] = field(default_factory=Counter)
    org: Counter[str] = field(default_factory=Counter)
    sentences: Counter[str] = field(default_factory=Counter)

    def kind(self, name: str) -> str | None:
        if STATE_AFTER.search(name):
            return "place"
        last = re.sub(r"(?: No\.)? \d+(?:\.\d+)?$", "", name).split(" ")[-1].lower()
        if all(word in NOT_ORG_ACRONYMS for word in name.split(" ")):
            return None  # "CEO", "PM EDT": a title or a time zone, no organisation
        first = name.split(" ")[0].lower()
        if self.org[name] or last in ORG_WORDS or (first in ORG_WORDS and " of " in name):
            return "org"  # "Society of the Cincinnati", "University of Leeds"
        if " of " in name and first in _EVENT_HEADS:
            return "event"  # "Treaty of Guadalupe Hidalgo", "Siege of Savannah"
        if " of " in name and first in _PLACE_HEADS:
            return "place"  # "Isthmus of Tehuantepec", "Gulf of Mexico"
        if self.place[name] or last in PLACE_WORDS or name in PLACE_ACRONYMS:
            return "place"
        if name.isupper() and len(name) >= 3 and name not in NOT_ORG_ACRONYMS:
            return "org"
        return None


class Article:
    """What the first pass learns about the whole article, used to draft and pick distractors."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self.people: dict[str, Person] = {}
        self.names = _Names()
        self.org_speakers: list[str] = []
        self.subject: Person | None = None
        """The person an entry is about, named in full as its first words."""
        self._long: re.Pattern[str] | bool | None = None
        """The long names' pattern (False: none), built when first needed."""
        for s in sentences:
            self._learn_people(s)
        self._merge_single_names()
        self._learn_subject()
        self._learn_named_people()
        self.surnames = self._surname_index()
        for s in sentences:
            self._learn_speakers(s)
        self.surnames = self._surname_index()
        for s in sentences:
            self._learn_names(s)

    # people

    def _add_person(self, name: str, office: str | None, sentence: Sentence) -> None:
        person = self.people.setdefault(name, Person(name, len(self.people)))
        self._long = None  # the long names are found again
        if office and (person.office is None or len(office) > len(person.office)):
            person.office, person.office_sentence = office, sentence

    def _learn_people(self, s: Sentence) -> None:
        for t in titled_mentions(s.text):
            self._add_person(t.name, t.office, s)
        for m in _HONORIFIC.finditer(s.text):
            words = _valid_name_words(m.group("name").split(" "))
            if len(words) >= 2 and words[-1][:1].isupper():
                self._add_person(" ".join(words), None, s)
        for pattern in (_MEMBER, _OF_PARTY, _ACTS, _WHO, _BY_PERSON, _KIN):
            for m in pattern.finditer(s.text):
                if re.search(r"\b(?:the|a|an)\s$", s.text[: m.start("name")], re.IGNORECASE):
                    continue  # "the Food Standards of Australia": a body, not a person
                words = m.group("name").split(" ")
                if len(words) == 3 and re.search(r"-[a-z]", words[0]):
                    words = words[1:]  # "Pan-democrat Gary Fan": a camp, then the name
                name = " ".join(words)
                if _valid_name_words(words) != words or not _could_be_person(name):
                    continue
                if pattern is _MEMBER or not {w.lower() for w in words} & TITLE_WORDS:
                    self._add_person(name, None, s)

    def _learn_subject(self) -> None:
        """The person an entry is about: named in full as its first words ("Pierre Charles
        L'Enfant (1754-1825) was ...") and by surname alone later, though relatives may share
        the surname."""
        if not self.sentences:
            return
        first = self.sentences[0]
        run = _CAP_RUN.match(first.text)
        if run is None:
            return
        words = run.group().split(" ")
        if not 2 <= len(words) <= 4 or _valid_name_words(words) != words:
            return
        if not _could_be_person(run.group()):
            return
        surname = words[-1]
        alone = sum(
            1
            for s in self.sentences[1:]
            for m in re.finditer(rf"(?<![\w'’-]){re.escape(surname)}(?![\w'’-])", s.text)
            if not re.search(rf"{_UP_WORD}\s$", s.text[: m.start()])
        )
        if alone >= 2:
            self._add_person(run.group(), None, first)
            self.subject = self.people[run.group()]

    def _learn_named_people(self) -> None:
        """People named in full once and by surname alone elsewhere ("Kasey Kahne" ...
        "Kahne led"): how reports and entries name people who have no title to go by."""
        full, alone = _name_runs(self.sentences)
        surnames = Counter(name.split(" ")[-1] for name in full)
        known = {p.surname for p in self.people.values()}
        things = _product_words(self.sentences)
        full_uses = Counter(
            m.group()
            for s in self.sentences
            for m in _CAP_RUN.finditer(s.text)
            if m.group() in full
        )
        for name, sentence in full.items():
            last = name.split(" ")[-1]
            if set(name.split(" ")) & things:
                continue  # "Apache Drill", "Apache Hadoop": products of the Apache foundation
            # "for Eurasia Gary Koren": Koren is known already
            # "Kyle Busch" and "Kurt Busch": relatives, named in full (no surname points to one)
            family = surnames[last] > 1 and full_uses[name] >= 1
            named = alone[last] if surnames[last] == 1 else family
            if last not in known and named and _could_be_person(name):
                self._add_person(name, None, sentence)

    def _merge_single_names(self) -> None:
        full = {p.surname: p for p in self.people.values() if " " in p.name}
        for name in [n for n in self.people if " " not in n]:
            if (target := full.get(name)) is not None:
                single = self.people.pop(name)
                if single.office and (
                    target.office is None or len(single.office) > len(target.office)
                ):
                    target.office, target.office_sentence = single.office, single.office_sentence

    def _surname_index(self) -> dict[str, str]:
        """Each surname one person has; in an entry, the subject's surname and given names
        mean the subject even where relatives share them ("L'Enfant", "Pierre Charles")."""
        counts = Counter(p.surname for p in self.people.values())
        index = {p.surname: p.name for p in self.people.values() if counts[p.surname] == 1}
        if self.subject is not None:
            words = self.subject.name.split(" ")
            index[self.subject.surname] = self.subject.name
            if len(words) >= 3:
                index[" ".join(words[:-1])] = self.subject.name
        return index

    def person_mentions(self, text: str) -> list[tuple[Span, Person]]:
        """Where known people are named in a sentence (titled spans, full names, surnames)."""
        found: list[tuple[Span, Person]] = []

        def add(span: Span, person: Person) -> None:
            if not any(f.start < span.end and span.start < f.end for f, _ in found):
                found.append((span, person))

        for t in titled_mentions(text):
            if (p := self.resolve(t.name)) is not None:
                add(t.span, p)
        if (long := self._long_names()) is not None:  # "Pierre Augustin Caron de Beaumarchais"
            for m in long.finditer(text):
                add(Span(m.start(), m.end(), m.group()), self.people[m.group()])
        for m in _CAP_RUN.finditer(text):
            words = m.group().split(" ")
            for i in range(len(words)):
                for size in range(min(3, len(words) - i), 0, -1):
                    name = " ".join(words[i : i + size])
                    if name in self.people or name in self.surnames:
                        start = m.start() + len(" ".join(words[:i])) + (1 if i else 0)
                        if size == 1 and STATE_AFTER.match(text, start + len(name)):
                            continue  # "Washington, D.C.": the city, not the general
                        if size == 1 and i > 0 and _given_name(words[i - 1]):
                            continue  # "Clara Ruiz": a relative of Ruiz, not Ruiz
                        add(Span(start, start + len(name), name), self.people[self.full(name)])
        return sorted(found, key=lambda f: f[0].start)

    def _long_names(self) -> re.Pattern[str] | None:
        """Names the runs of capitalised words miss (with a particle or an initial, or of four
        words), as one pattern built once; None when there are none."""
        if self._long is None:
            names = [
                n
                for n in self.people
                if len(n.split(" ")) > 3 or set(n.split(" ")) & _PARTICLES or "." in n
            ]  # "Randal L. Schwartz": a run of capitalised words stops at the initial
            alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            self._long = (
                re.compile(rf"(?<![\w’'-])(?:{alternatives})(?![\w’'-])") if names else False
            )
        return self._long if isinstance(self._long, re.Pattern) else None

    def short_name(self, person: Person) -> str:
        """How to name someone in a few words: the surname, or the full name where it is
        another person's surname too ("Clara Ruiz" beside Ana Maria Ruiz)."""
        if self.surnames.get(person.surname, person.name) == person.name:
            return person.surname
        return person.name

    def full(self, name: str) -> str:
        return name if name in self.people else self.surnames.get(name, name)

    def resolve(self, name: str) -> Person | None:
        return self.people.get(self.full(name))

    # speakers

    def speaker(self, phrase: str, last_person: Person | None) -> Speaker | None:
        """Who a speaker phrase names: a person, an organisation, or nobody we can name."""
        phrase = phrase.strip(" ,.")
        if phrase.lower() in PRONOUNS:
            return Speaker("person", "", last_person.name) if last_person else None
        if titled := _titled_people(phrase):
            return Speaker("person", titled[-1].name, self.full(titled[-1].name))
        honor = _HONORIFIC.search(phrase)
        runs = [r.group() for r in _CAP_RUN.finditer(phrase)]
        for run in ([honor.group("name")] if honor else []) + runs[::-1]:
            words = run.split(" ")
            for i in range(len(words)):
                name = " ".join(words[i:])
                if self.resolve(name) is not None:
                    return Speaker("person", name, self.full(name))
        lowered = phrase.lower().split()
        if not runs or (lowered and lowered[-1] in ANON_NOUNS):
            return None
        name = runs[-1]
        while name.split(" ")[0].lower() in NOT_NAMES - ORG_WORDS and " " in name:
            name = name.split(" ", 1)[1]
        if name.lower() in NOT_NAMES:
            return None
        if self.names.kind(name) == "org" or len(split_words(phrase)) > len(split_words(name)):
            return Speaker("org", name, name)
        words = _valid_name_words(name.split(" "))
        if len(words) >= 2 and len(words) == len(name.split(" ")):
            return Speaker("person", name, name)
        return Speaker("org", name, name) if name in self.org_speakers else None

    def _learn_speakers(self, s: Sentence) -> None:
        for a in attributions(s.text):
            if a.verb == "according to" or a.verb.startswith("report"):
                runs = [r.group() for r in _CAP_RUN.finditer(a.speaker)]
                if runs and self.resolve(runs[-1]) is None and runs[-1] not in self.org_speakers:
                    name = runs[-1]
                    if name.lower() not in NOT_NAMES:
                        self.org_speakers.append(name)
                        self.names.org[name] += 1
                continue
            phrase = a.speaker.strip(" ,.")
            if (spokesperson := _FOR_BODY.match(phrase)) is not None:
                phrase = spokesperson.group(1)  # "Lydia Buchtmann for Food Standards ..."
            words = phrase.split(" ")
            named = 2 <= len(words) <= 3 and _valid_name_words(words) == words
            named = named and _could_be_person(phrase) and not set(words) & TITLE_WORDS
            if named and all(w[:1].isupper() for w in words) and self.resolve(a.speaker) is None:
                self._add_person(" ".join(words), None, s)

    # places and organisations

    def name_spans(self, text: str, blocked: list[Span]) -> list[Span]:
        """Capitalised names in a sentence outside people and dates, leading small words cut."""
        masked = list(text)
        for b in blocked:
            masked[b.start : b.end] = "\0" * (b.end - b.start)
        found: list[Span] = []
        for m in _NAME_RUN.finditer("".join(masked)):
            words = m.group().split(" ")
            start = m.start()
            while words and (words[0].lower() in NOT_NAMES or words[0].endswith(".")):
                inside = start > 0 and words[0].lower() in _KEPT_INSIDE
                if inside and len(words) > 1:
                    break  # "New People Party" inside a sentence: "New" is part of the name
                start += len(words[0]) + 1
                words = words[1:]
            while words and words[-1].lower() in NOT_NAMES | {"of", "the"}:
                words = words[:-1]
            if not words or (len(words) == 1 and words[0].lower() in KEYWORDS):
                continue
            name = " ".join(words)
            member = _PERSON_OF.fullmatch(name)  # "Cyd Ho of the Labour Party"
            if member and _valid_name_words(member.group("person").split(" ")) == member.group(
                "person"
            ).split(" "):
                start += member.start("org")
                name = member.group("org")
                words = name.split(" ")
            if tail := _name_tail(text, start + len(name)):
                name += tail
                words = name.split(" ")
            follows = text[start + len(name) : start + len(name) + 3]
            if len(words) == 1 and follows.startswith(("’s", "'s")) and name in self.surnames:
                continue
            found.append(Span(start, start + len(name), name))
        return found

    def _learn_names(self, s: Sentence) -> None:
        blocked = [sp for sp, _ in self.person_mentions(s.text)]
        blocked += [sp for sp, _ in date_spans(s.text)]
        spans = self.name_spans(s.text, blocked)
        for sp in spans:
            before = s.text[: sp.start].split()[-3:]
            cue = [w.lower().strip(",") for w in before]
            if cue[-1:] == ["the"]:
                cue = cue[:-1]
            if cue[-2:] == ["according", "to"]:
                continue
            if cue and cue[-1] in PLACE_CUES:
                self.names.place[sp.text] += 1
            if cue and cue[-1] in ORG_CUES:
                self.names.org[sp.text] += 1
        between = re.finditer(
            rf"\bbetween\s+(?:the\s+)?({CAPW})\s+and\s+(?:the\s+)?({CAPW})", s.text
        )
        for m in between:
            self.names.place[m.group(1)] += 1
            self.names.place[m.group(2)] += 1
        for name in dict.fromkeys(sp.text for sp in spans):
            self.names.sentences[name] += 1


def _name_runs(sentences: list[Sentence]) -> tuple[dict[str, Sentence], Counter[str]]:
    """Capitalised runs of two or three name words (with the sentence of their first use), and
    how often each single capitalised word stands alone."""
    full: dict[str, Sentence] = {}
    opening: set[str] = set()  # runs that open a sentence: "Using Cargo" is no name
    within: set[str] = set()  # words capitalised inside a sentence, where case tells
    alone: Counter[str] = Counter()
    things: set[str] = set()  # "the City Hall", "the Federal Hall": a person has no article
    for s in sentences:
        for m in _CAP_RUN.finditer(s.text):
            words = m.group().split(" ")
            if m.start() > 0:
                within.update(words)
            if re.search(r"\b(?:the|a|an)\s$", s.text[: m.start()]):
                things.add(m.group())
            if len(words) == 1:
                before = s.text[: m.start()].split()[-1:]
                if not before or before[0].lower() not in ("the", "a", "an"):
                    alone[words[0]] += 1  # "the Grid", "a Treaty": not a person
            elif len(words) <= 3 and _valid_name_words(words) == words:
                full.setdefault(m.group(), s)
                if m.start() == 0:
                    opening.add(m.group())
    full = {
        n: s
        for n, s in full.items()
        if (n not in opening or n.split(" ")[0] in within) and n not in things
    }
    return full, alone


def _could_be_person(name: str) -> bool:
    """Whether a capitalised run can be a person's name, not a place, an event or initials."""
    words = name.split(" ")
    if {w.lower() for w in words} & NOT_PERSON_WORDS:
        return False
    inner = {n for n, w in enumerate(words) if 0 < n < len(words) - 1 and _INITIAL.fullmatch(w)}
    return all(
        n in inner or (len(w) > 1 and not w.isupper() and "." not in w) for n, w in enumerate(words)
    )  # "Randal L. Schwartz": a middle initial, never "J. R." alone


_INITIAL = re.compile(r"[A-Z]\.")


_UP_WORD = r"[A-Z][\w'’-]*"
_KEPT_INSIDE = frozenset({"new", "old", "first", "united", "great", "all"})
"""Common words that begin names ("New York", "First Nations") when capitalised mid-sentence."""
_ORG_TAIL_EARLY = "|".join(sorted(w.title() for w in ORG_WORDS))
_PERSON_OF = re.compile(
    rf"(?P<person>{CAPW}(?: {CAPW}){{0,2}}) of (?:the )?(?P<org>(?:{CAPW} )*(?:{_ORG_TAIL_EARLY}))"
)
"""A person and their organisation in one capitalised run: only the organisation is a name."""
_MEMBER = re.compile(
    rf"{CAPW}['’]s (?P<name>{CAPW}(?: {CAPW}){{1,2}})"
    r"(?=,| and\b| (?:was|were|is|has|had|said|says|won|lost|topped|became|\w+ed)\b)"
)
"""Someone named as a party's or a team's own: "Demosisto's Nathan Law earned a seat"."""
_OF_PARTY = re.compile(
    rf"(?<![\w’'-])(?P<name>{CAPW}(?: {CAPW}){{1,2}}) of (?:the )?{CAPW}(?: {CAPW})*"
    r"(?=,| and\b| (?:was|were|is|has|had|said|says|won|lost|received|failed|topped|\w+ed)\b)"
)
"""Someone named with their party or club: "Gary Fan of the Neo Democrats failed ..."."""
_ACTS = re.compile(
    rf"(?<![\w’'-])(?P<name>{CAPW}(?: {CAPW}){{1,2}})"
    r"(?:,[^,]{1,60},)? (?:was (?:re-)?elected|was born|died|resigned|defeated|defeating"
    r"|married|scored|netted|maintains|maintained|founded|co-founded|invented|authored)\b"
)
"""Someone doing what only people do: "Eddie Chu was elected", "Junius Ho defeating ..."."""
_WHO = re.compile(rf"(?<![\w’'-])(?P<name>{CAPW}(?: {NAMEW}){{0,2}} {CAPW}), who\b")
"""Someone a relative clause says is a person: "after Randal L. Schwartz, who popularized it"."""
_FOR_BODY = re.compile(rf"({CAPW}(?: {CAPW}){{1,2}}),? (?:for|of|from|at) (?:the )?{CAPW}")
"""A speaker named with the body they speak for: the person is the first name."""
_BY_PERSON = re.compile(
    rf"\b(?:was|were) (?:recruited|hired|appointed|founded|painted|written|composed|designed"
    rf"|discovered|invented|coached|trained|knighted) by (?P<name>{CAPW}"
    rf"(?: (?:(?:de|da|del|van|von|der|le|la) )?{CAPW}){{1,4}})"
)
"""Someone named as the doer of a passive verb only people do: "recruited by Pierre ..."."""
_KIN = re.compile(
    r"\b(?:friend|friends|son|daughter|wife|husband|widow|father|mother|brother|sister"
    r"|cousin|nephew|niece|grandson|granddaughter|pupil|student|protégé|mentor|aide"
    r"|successor|predecessor) of "
    rf"(?P<name>{CAPW}(?: (?:(?:de|da|del|van|von|der|le|la) )?{CAPW}){{1,3}})"
)
"""Someone named by how a person is related to them: "a friend of Alexander Hamilton"."""
"""A capitalised word: before a surname it makes a longer name ("Marie L'Enfant")."""

_MARKED = re.compile(r"([A-Z][\w-]*)[™®]")
_ORG_TAIL = "|".join(sorted(w.title() for w in ORG_WORDS))
_ORG_RUN = re.compile(rf"(?:The\s)?({CAPW})(?:\s{CAPW})*\s(?:{_ORG_TAIL})\b")


def _name_tail(text: str, end: int) -> str:
    """What a name runs on into after ``end``: a dotted district ("Washington, D.C.") or a
    number ("the Brickyard 400", "Rust 1.0", "Holland Lodge No. 8"); "" when nothing."""
    if state := STATE_AFTER.match(text, end):
        return state.group()
    number = re.match(r" (?:No\. )?\d+(?:\.\d+)?\b(?![.,]?\d|[-–:])", text[end:])
    return number.group() if number else ""


def _given_name(word: str) -> bool:
    """Whether a capitalised word before a surname is a given name ("Clara" of "Clara
    Ruiz"), not a title, a day or a place word ("President Ruiz", "Sunday Ruiz")."""
    lower = word.lower()
    return not (
        lower in NOT_PERSON_WORDS or lower in NOT_NAMES or lower in TITLE_SET or word.isupper()
    )


def _product_words(sentences: list[Sentence]) -> set[str]:
    """Words that name things, not people: marked ™ or ®, or the first word of an
    organisation's name ("Apache" of "Apache Software Foundation")."""
    words: set[str] = set()
    for s in sentences:
        words.update(m.group(1) for m in _MARKED.finditer(s.text))
        words.update(m.group(1) for m in _ORG_RUN.finditer(s.text))
    return words
