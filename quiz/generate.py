"""Draft a deck from a plain-text article: offline, rule-based and reproducible byte for byte.

A draft is where an author starts, not a finished deck, so the pipeline prefers cards it can
check over clever ones: every answer is text of the sentence it came from, distractors are
other facts of the same class in the same article, and every card says where it came from.

Pipeline: clean the text, split paragraphs, drop what is not reporting (link lists, bylines,
captions, share prompts, contact details), split sentences, learn the article's people,
speakers and names in a first pass, then draft candidate cards sentence by sentence and pick
them (``--max``) round-robin over card roles so a short deck still covers every kind of fact.
No NLP library is needed: capitalised-name heuristics and small word lists do the work.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from quiz.errors import QuizError
from quiz.model import DeckFile

__all__ = [
    "EXCERPT_WORDS",
    "MAX_ARTICLE_BYTES",
    "Draft",
    "GenerateError",
    "GenerateReport",
    "Skipped",
    "generate_deck",
    "read_article",
    "split_paragraphs",
    "split_sentences",
]

MAX_ARTICLE_BYTES = 5 * 1024 * 1024
"""A larger file is no article: refuse it rather than draft thousands of cards."""

EXCERPT_WORDS = 12
"""A card's ``source.excerpt`` is the start of its sentence: enough to find it, not a copy."""

_GIST_WORDS = 14
_STATEMENT_WORDS = 40
_MAX_SENTENCE_WORDS = 80
_WINDOW_MIN, _WINDOW_MAX = 8, 22
_PER_VALUE = 2  # cards per date value and per place or organisation
_PER_SENTENCE_NUMBERS = 3
_DISTRACTORS = 3


class GenerateError(QuizError):
    """The article cannot be drafted from (unreadable, empty of facts) or an option is wrong."""

    title = "generate"


# --- word lists -----------------------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _char_class(predicate: Callable[[str], bool], limit: int = 0x2000) -> str:
    """A regex character class of the letters below ``limit`` that satisfy ``predicate``."""
    ranges: list[list[int]] = []
    for code in range(limit):
        if predicate(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    parts = (re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
    return "[" + "".join(parts) + "]"


_UP = _char_class(str.isupper)
_LETTER = r"[^\W\d_]"
_CAPW = rf"{_UP}(?:{_LETTER}|[’'](?!s\b)(?={_LETTER})|-(?={_LETTER}))*"
"""A capitalised word (Bennett, Director-General, O’Brien, KAN) without a possessive ’s."""
_NAMEW = rf"(?:{_CAPW}|{_UP}\.)"

_DAYS = _wordset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_MONTHS = _wordset(
    "January February March April May June July August September October November December"
)

_TITLES = """
prime minister|deputy prime minister|foreign minister|defence minister|defense minister|
finance minister|minister|president|vice president|vice-president|ambassador|envoy|consul|
director-general|director general|director|secretary-general|secretary of state|secretary|
chancellor|senator|congressman|congresswoman|governor|mayor|king|queen|prince|princess|
general|admiral|colonel|commander|chief executive officer|chief executive|chief operating officer|
chief financial officer|chief technology officer|ceo|cfo|cto|coo|chairman|chairwoman|
chairperson|chair|co-founder|founder|head coach|coach|manager|captain|striker|midfielder|
defender|goalkeeper|winger|substitute|professor|researcher|scientist|spokesperson|spokesman|
spokeswoman|commissioner|judge|justice|lawmaker|legislator|rabbi|pope|bishop|editor|analyst|
economist|engineer|astronomer|glaciologist|geophysicist|physicist|biologist|chemist|historian|
official|leader|lead author|co-author|author|correspondent|prosecutor|attorney general|premier|
head of communications|head of research|head|referee|umpire|teammate|driver|rider|forward|
keeper|player|pilot|skipper
"""
_TITLE_LIST = sorted(
    {t.strip() for t in _TITLES.replace("\n", "").split("|") if t.strip()},
    key=lambda t: (-len(t), t),
)
_TITLE_SET = frozenset(_TITLE_LIST)
_TITLE_WORDS = frozenset(w for t in _TITLE_LIST for w in re.split(r"[\s-]", t))
_TITLE_RE = re.compile(
    r"(?<![\w-])(?i:" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in _TITLE_LIST) + r")"
    r"(?![\w-])"
)
_QUALIFIERS = frozenset({"former", "then", "acting", "interim", "deputy", "senior", "assistant"})

_COMMON = _wordset("""
the a an in on at but and or so yet however he she it they we i you this that these those his
her its their our my your after before during earlier later asked top meanwhile also when while
if as for from with to by of according last next every all some many most both each such what
who whom whose where why how nobody there here today yesterday tomorrow then now still even only
just not no yes despite although though since until because about into over under between among
without within across through throughout toward towards near outside inside instead one two
three four five six seven eight nine ten first second third new old whether will would can could
should may might must has have had is are was were be been do does did said says told mr mrs ms
dr prof sir dame read share click follow key about funding researchers substitute nobody
""")
_NOT_NAMES = _COMMON | _TITLE_WORDS | {d.lower() for d in _DAYS | _MONTHS}

_ORG_WORDS = _wordset("""
ministry office news agency company corporation inc ltd llc plc corp co as asa ab gmbh ag sa
university institute college school council party army navy bank club fc association federation
league committee commission court parliament cabinet government group labs laboratory
observatory foundation society department authority service times post journal network centre
center hospital museum union organization organisation fund board police forces rovers united
athletic wanderers press broadcasting radio television
""")
_PLACE_WORDS = _wordset(
    "park stadium island street river lake mountain mountains ocean sea bay coast valley"
)
_KEYWORDS = _ORG_WORDS | _PLACE_WORDS | _NOT_NAMES
_PLACE_CUES = _wordset("""
in into to from near across throughout toward towards outside inside within between via at
""")
_ORG_CUES = _wordset("""
beat against face faces faced versus vs journal newspaper agency company firm group club
broadcaster operator supplier team network magazine outlet channel station
""")
_NOT_ORG_ACRONYMS = _wordset("GPS CEO CFO CTO COO DNA RNA TV AI FAQ URL PDF OK AM PM")
_PLACE_ACRONYMS = _wordset("US USA UK EU UAE")

_VERB_WORDS = (
    "said says told tells added adds stated noted notes explained announced argued warned claimed"
    " insisted confirmed reported reports wrote writes acknowledged admitted stressed emphasised"
    " emphasized predicted recalled declared tweeted concluded"
)
_VERB_RE = re.compile(r"\b(?:" + _VERB_WORDS.replace(" ", "|") + r")\b")
_TELL = frozenset({"told", "tells"})
_ADVERBIAL = _wordset("""
at on in during when after before while last this earlier later to as and from
""")
_PRONOUNS = frozenset({"he", "she"})
_ANON_NOUNS = _wordset(
    "source sources official officials spokesperson spokesman spokeswoman company statement"
)

_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
_UNIT_STOP = _COMMON | {"percent", "per", "cent", "times", "than", "more", "less", "or"}

# --- text cleaning, paragraphs and sentences ------------------------------------------------

_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufffe]"
)
_BULLET = re.compile(r"^(?:[-*•–—·▪►‣◦]|\d{1,2}[.)])\s+")
_TERMINAL = re.compile(r"[.!?…。！？][\"”’'»)\]]*$")


def _clean(text: str) -> str:
    """NFC text with newlines only: control and bidi characters are data we do not want."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\r\n?|[\u2028\u2029\x0c\x0b\x85]", "\n", text)
    text = text.replace("\t", " ").replace("\u00a0", " ")
    return _CONTROL.sub("", text)


def _words(text: str) -> list[str]:
    return text.split()


def _is_terminal(line: str) -> bool:
    return bool(_TERMINAL.search(line)) or line.endswith(":")


def _is_heading(line: str) -> bool:
    return not _is_terminal(line) and len(_words(line)) <= 8


def split_paragraphs(text: str) -> list[str]:
    """The article's paragraphs, numbered from 1 in ``source.paragraph``.

    With no blank line in the text every line is a paragraph. Otherwise each blank-line block
    is one, with its hard-wrapped lines joined, unless most of its lines end a sentence (then
    each line is one); bullets and short headings always stand alone.
    """
    blocks: list[list[str]] = [[]]
    for raw in _clean(text).split("\n"):
        line = " ".join(raw.split())
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if len(blocks) == 1:
        return blocks[0]
    paragraphs: list[str] = []
    for block in blocks:
        prose = [ln for ln in block if not _BULLET.match(ln)]
        ended = sum(_is_terminal(ln) for ln in prose)
        if len(block) == 1 or ended >= 0.6 * len(prose):
            paragraphs.extend(block)
            continue
        width = max(len(ln) for ln in block)
        current: list[str] = []
        for line in block:
            if _BULLET.match(line) and current:
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
            short_end = _TERMINAL.search(line) and len(line) < 0.7 * width
            if _BULLET.match(line) or line.endswith(":") or _is_heading(line) or short_end:
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs


_SENTENCE_END = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s|$)|[。！？]+[\"”’'»)\]]*")
_ABBREV_TITLES = _wordset(
    "mr mrs ms mx dr prof st sen rep gov gen col lt sgt capt cmdr adm rev hon pres fr messrs mt"
    " sr jr"
)
_ABBREV_OTHER = _wordset(
    "inc ltd co corp etc vs approx est dept no fig vol jan feb mar apr jun jul aug sep sept oct"
    " nov dec e.g i.e a.m p.m u.s u.k u.n e.u"
)
_STARTERS = _wordset(
    "the he she it they we i but this that in on a an and however its his her their there"
)


def _is_boundary(text: str, punct: int, end: int) -> bool:
    """Whether the punctuation at ``punct`` ends a sentence (not "Mr.", "U.S. officials", "J.")."""
    rest = text[end:].lstrip()
    if not rest:
        return True
    nxt = rest[0]
    if nxt.islower():
        return False
    if text[punct] != "." or text[punct : punct + 2] == "..":
        return True
    start = text.rfind(" ", 0, punct) + 1
    word = text[start:punct].lstrip("\"“‘'([").lower()
    next_word = re.split(r"[\s,;:]", rest, maxsplit=1)[0].lower()
    if word in _ABBREV_TITLES:
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "J. K. Rowling"
    if word in _ABBREV_OTHER or re.fullmatch(r"(?:\w\.)+\w", word):
        if nxt.isdigit():
            return False
        return next_word in _STARTERS
    return True


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, keeping "Mr.", "U.S.", initials and decimals intact."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        if not _is_boundary(paragraph, m.start(), m.end()):
            continue
        piece = paragraph[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


# --- what is not reporting --------------------------------------------------------------------

_LINK_HEADER = re.compile(
    r"^(?:read (?:more|also|next)|related(?: articles?| stories| coverage| content| links)?|"
    r"see also|more (?:on|from|about|stories|coverage|news)|also read|further reading|"
    r"recommended(?: reading| for you)?|most (?:read|popular)|trending(?: now)?|"
    r"you (?:may|might) also like|what to read next|top stories|latest news)\b",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|words by|story by|text by|additional reporting by|"
    r"edited by|editing by|published|updated|posted|last updated)\b[\s:]",
    re.I,
)
_CAPTION = re.compile(
    r"^[(\[]?\s*(?:photo(?:graph)?s?|image|picture|pictured|video|credit|caption|illustration|"
    r"graphic|file photo)\b[^:]{0,40}:",
    re.I,
)
_INLINE_CAPTION = re.compile(
    r"\s*[(\[]\s*(?:photo(?:graph)?|image|picture|video|credit)s?\b[^)\]]*[)\]]", re.I
)
_SHARE = re.compile(
    r"^(?:share (?:on|this|via|article)|click (?:here|to)|tap here|subscribe\b|sign up\b|"
    r"follow (?:us|him|her|them|the author)\b|join (?:us|our)\b|download (?:our|the)\b|"
    r"listen to (?:this|the)\b|watch (?:now|the video|live)\b|print (?:this|article)|"
    r"email (?:this|article)|copy link|comments?\b|advertisement\b|sponsored\b|tweet\b)",
    re.I,
)
_LINK = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$|^\[[^\]]*\]\([^)]*\)$", re.I)
_CONTACT_HEADER = re.compile(
    r"^(?:media|press|investor)\s+(?:contacts?|enquiries|inquiries)\b", re.I
)
_CONTACT = re.compile(r"\S+@\S+\.\w+|\+?\d[\d ()-]{7,}\d")
_DATELINE = re.compile(
    r"^[A-Z][A-Z'.-]{2,}(?:\s+[A-Z][A-Z'.-]{2,})*(?:\s*\([^)]{1,30}\))?(?:,[^.!?\n]{0,60}?)?"
    r"\s+(?:--|—|–|-)\s+(?=\S)"
)
_BOILERPLATE = re.compile(r"^(?:for immediate release|embargoed|ends|-?\s*end\s*-?)$", re.I)


@dataclass(frozen=True, slots=True)
class Skipped:
    """Text the draft left out, and why (shown in the summary)."""

    paragraph: int
    excerpt: str
    reason: str


def _excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    parts = _words(text)
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]).rstrip(",;:") + " …"


def _noise(paragraphs: list[str]) -> tuple[dict[int, str], str | None]:
    """Paragraph index → why it is not reporting; and the headline, if the article has one."""
    reasons: dict[int, str] = {}
    headline: str | None = None
    in_list: str | None = None
    seen_prose = False
    for i, para in enumerate(paragraphs):
        n = len(_words(para))
        bullet = bool(_BULLET.match(para))
        if in_list and (bullet or _LINK.match(para) or (not _is_terminal(para) and n <= 15)):
            reasons[i] = in_list
            continue
        in_list = None
        reason: str | None = None
        if _LINK_HEADER.match(para) and n <= 14:
            reason = in_list = "link list"
        elif _CONTACT_HEADER.match(para):
            reason = in_list = "contact details"
        elif _LINK.match(para):
            reason = "link"
        elif _BYLINE.match(para) and n <= 15:
            reason = "byline"
        elif _CAPTION.match(para) or (para[:1] in "([" and para[-1:] in ")]"):
            reason = "caption"
        elif _SHARE.match(para) and n <= 25:
            reason = "share prompt"
        elif _CONTACT.search(para) and n <= 15:
            reason = "contact details"
        elif not re.search(_LETTER, para):
            reason = "separator"
        elif _BOILERPLATE.match(para.strip(" .")):
            reason = "boilerplate"
        elif not _is_terminal(para) and n <= 20 and not bullet:
            if not seen_prose and headline is None and n >= 3 and not para.isupper():
                headline, reason = para, "headline"
            else:
                reason = "heading or fragment"
        elif bullet and not _is_terminal(para):
            reason = "heading or fragment"
        if reason:
            reasons[i] = reason
        else:
            seen_prose = True
    return reasons, headline


# --- sentences and spans --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sentence:
    paragraph: int  # 1-based
    index: int  # 1-based within the paragraph
    order: int  # 0-based within the article
    text: str


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    text: str


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _contains(haystack: str, needle: str) -> bool:
    n = _norm(needle)
    return bool(n) and f" {n} " in f" {_norm(haystack)} "


_CODE = re.compile(
    r"(?<![\w-])(?:--?[A-Za-z][\w-]*[\w]|-[A-Za-z]|[A-Za-z_][\w.]*\(\)|[A-Z][A-Z0-9]*_[A-Z0-9_]+)"
    r"(?![\w(])"
)
"""A token of code in prose: an option (``-L``, ``--max-redirs``), a call (``sorted()``,
``list.sort()``) or a constant (``CURLOPT_POSTREDIR``)."""


_TERM = r"(?:[A-Z][\w.+#-]*(?: [A-Z][\w.+#-]*){0,3}|[a-z][\w-]*(?:\.[a-z][\w-]*)+(?:\(\))?)"
_DEFINES = re.compile(rf"(?P<term>{_TERM}) (?:is|was) (?P<meaning>(?:a|an|the) [^;:]+)")
"""A sentence that says what a term is: "crates.io is a central package repository ..."."""
_APPOSITION = re.compile(rf"(?P<term>{_TERM}), (?P<meaning>the [^,;:]+), ")
"""A term glossed as it is introduced: "Cargo, the Rust package manager and build system, ..."."""
_KNOWN_AS = re.compile(
    r"\b(?:known(?: today)? as|also called|is called|are called) (?:the )?"
    r"(?P<name>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3})"
)
_NOT_TERMS = _wordset(
    "it this that these those there here he she they we you i what which who one some all each"
    " both another other such a an the however finally additionally moreover meanwhile also"
    " then today yesterday first second third furthermore nonetheless instead still thus"
    " therefore indeed besides otherwise likewise overall"
)
_DEFINITION_WORDS = 14


_BECAUSE = re.compile(
    r"\b(?:because(?: of)?|due to|owing to|in response to|as a result of|thanks to) "
    r"(?P<cause>[^,;:.!?()\"“”]+)"
)
_CAUSE_WORDS = 10


def _clause_starts(text: str) -> list[int]:
    """Where a clause starts after a dash or a semicolon ("... comes in -- crates.io is ...")."""
    return [m.end() for m in re.finditer(r"(?:\s--?\s|\s—\s?|;\s)", text)]


def _definition(text: str) -> str:
    """The gloss of a definition up to its first clause break, or "" when it is too vague or
    too long to be a card's back."""
    gloss = re.split(r",| which | that | who | where |\.\s|\.$", text.strip(), maxsplit=1)[0]
    words = gloss.split()
    if not 3 <= len(words) <= _DEFINITION_WORDS:
        return ""
    return gloss.strip()


_DASHED_WORDS = _wordset("the a an and or but which that this it is was who with to of in")
"""``--the``: a dash written as two hyphens before a word, not an option."""


def _code_spans(text: str) -> list[_Span]:
    return [
        _Span(m.start(), m.end(), m.group())
        for m in _CODE.finditer(text)
        if m.group().lstrip("-").lower() not in _DASHED_WORDS
    ]


def _in_list(text: str, span: _Span) -> bool:
    """Whether the name at ``span`` is one of a list of names ("Lukaku, Carrasco, and Mertens"):
    a gap there asks which of several, which the sentence cannot tell."""
    after = re.match(r"(?:,| and| or)\s+(?:and\s+)?[A-Z]", text[span.end :])
    before = re.search(r"([A-Z][\w'’-]*)(?:,| and| or)\s+(?:and\s+)?$", text[: span.start])
    if (
        before
        and (
            before.group(1) in _DAYS | _MONTHS  # "On Saturday, Tomas Rivera won"
            or len(text[: before.start()].split()) < 2  # an opening phrase, not a list
        )
    ):
        before = None
    return bool(after or before)


def _in_longer_name(text: str, span: _Span) -> bool:
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
    return word.lower() not in _TITLE_WORDS


_NOT_PERSON_WORDS = frozenset(
    {*_DAYS, *_MONTHS}
    | _wordset(
        "north south east west northern southern eastern western new upper lower central great"
        " saint san santa st war treaty purchase act plan cup series award prize day league"
        " party camp council army navy grid native american mexican korean australian"
        " russian ukrainian european african asian israeli chinese japanese british english"
        " french german spanish italian indian canadian iranian swedish belgian"
    )
)
"""Words that make a capitalised run a place, an event or a body, never a person's name."""


def _valid_name_words(words: list[str]) -> list[str]:
    """The leading run of words that can be part of a person's name."""
    out: list[str] = []
    for w in words:
        bare = w.rstrip(".")
        if bare.lower() in _NOT_NAMES or bare.lower() in _ORG_WORDS or bare.lower() in _PLACE_WORDS:
            break
        if len(bare) > 1 and bare.isupper():
            break
        out.append(w)
    return out


_CAP_RUN = re.compile(rf"{_NAMEW}(?:\s{_NAMEW})*")
_NAME_RUN = re.compile(rf"{_NAMEW}(?:\s(?:(?:of|of the|de|van|von|der|da|del)\s)?{_NAMEW})*")
"""Runs of capitalised words that may name a place or organisation: "University of Leeds"."""
_BEFORE_WORD = re.compile(r"([\w’'-]+)\s+$")


@dataclass(frozen=True, slots=True)
class _Titled:
    span: _Span  # office and name together
    office: str
    name: str


def _titled_people(text: str) -> list[_Titled]:
    """People named after their office: "Foreign Minister Yair Lapid", "striker Amir Haddad"."""
    found: list[_Titled] = []
    taken = 0
    for m in _TITLE_RE.finditer(text):
        if m.start() < taken:
            continue
        core = m.group().lower()
        if core == "head":
            continue
        rest = text[m.end() :]
        comp = re.match(r"\s+(?:to|for|of|at)\s+(?:the\s+)?", rest)
        after = rest[comp.end() :] if comp else rest.lstrip(" ")
        if not comp and not rest.startswith(" "):
            continue
        run = _CAP_RUN.match(after)
        if not run:
            continue
        words = run.group().split(" ")
        if comp:
            if len(words) < 2:
                continue
            place, words = words[: max(1, len(words) - 2)], words[max(1, len(words) - 2) :]
            name_words = _valid_name_words(words)
            if len(name_words) != len(words):
                continue
            office_end = m.end() + comp.end() + len(" ".join(place))
        else:
            name_words = _valid_name_words(words[:3])
            office_end = m.end()
        if not name_words or (len(name_words) == 1 and not m.group()[0].isupper()):
            continue
        start = m.start()
        while before := _BEFORE_WORD.search(text, 0, start):
            w = before.group(1)
            capital = w[0].isupper() and w.lower() not in _NOT_NAMES - _TITLE_WORDS
            if not (capital or w.lower() in _QUALIFIERS) or start - before.start() > 40:
                break
            start = before.start()
        name = " ".join(name_words)
        name_start = text.index(name, office_end)
        office = text[start:office_end].strip()
        if start == 0 and " " not in office and office.lower() in _TITLE_WORDS:
            office = office.lower()  # "Substitute Kwame Mensah, 19, ..." opens a sentence
        span = _Span(start, name_start + len(name), text[start : name_start + len(name)])
        found.append(_Titled(span, office, name))
        taken = span.end
    return found


_APPOSITIVE = re.compile(
    rf"(?P<name>{_NAMEW}(?:\s{_NAMEW}){{1,3}}),\s+"
    rf"(?P<office>(?:(?:the|a|an)\s+)?(?:[a-z][\w-]*\s+){{0,3}}?{_TITLE_RE.pattern}"
    rf"(?:\s+(?:of|at|for|in|with|from)\s+[^,;.]+?)?)"
    rf"(?=\s*(?:[,;.!?]|$)|\s+(?:and|who|which|said|says)\b)"
)


def _appositive_people(text: str) -> list[_Titled]:
    """People followed by their role: "Hanne Dahl, chief executive of Nordlys Energy"."""
    found: list[_Titled] = []
    for m in _APPOSITIVE.finditer(text):
        words = m.group("name").split(" ")
        while words and words[0].rstrip(".").lower() in _NOT_NAMES:
            words = words[1:]
        words = _valid_name_words(words)
        if len(words) < 2:
            continue
        name = " ".join(words)
        start = m.start("name") + m.group("name").index(name)
        span = _Span(start, m.end("office"), text[start : m.end("office")])
        found.append(_Titled(span, m.group("office"), name))
    return found


_HONORIFIC = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sir|Dame)\.?\s+(?P<name>{_CAPW}(?:\s{_CAPW})?)"
)


def _date_spans(text: str) -> list[tuple[_Span, str]]:
    """Dates and days with a hint for their cloze: day, month, date or year."""
    months = "|".join(sorted(_MONTHS))
    pattern = re.compile(
        rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{months})(?:,?\s+\d{{4}})?"
        rf"|(?:{months})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?\b)?(?:,?\s+\d{{4}})?"
        rf"|(?:{'|'.join(sorted(_DAYS))})"
        r"|(?:1[5-9]|20)\d{2}(?![\d%-]|[,.]\d|\s*(?:percent|per\s+cent)|\s+[a-z]+s\b))\b"
    )
    found: list[tuple[_Span, str]] = []
    for m in pattern.finditer(text):
        value = m.group()
        if value in _DAYS:
            hint = "day"
        elif value.isdigit():
            hint = "year"
        elif re.search(r"\d", value) and not re.fullmatch(rf"(?:{months}),?\s+\d{{4}}", value):
            hint = "date"
        else:
            hint = "month"
        if value == "May" and not re.match(r"\s+\d", text[m.end() :]):
            continue  # "May" alone is as likely a verb at the start of a sentence
        found.append((_Span(m.start(), m.end(), value), hint))
    return found


@dataclass(frozen=True, slots=True)
class _Number:
    span: _Span  # what the learner supplies
    unit: str  # unit key: numbers of one unit are each other's distractors
    accept: tuple[str, ...]


_NUMERAL = re.compile(
    r"(?<![\w.,/-])(?P<cur>[$€£¥])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<ord>st|nd|rd|th)?(?P<mult>\s(?:million|billion|trillion|thousand))?(?![\w,.]\d)"
    r"(?P<pct>\s?%|\s(?:percent|per\scent)\b)?"
)
_SCORE = re.compile(r"(?<![\w.-])\d{1,2}[-–]\d{1,2}(?![\w.-]?\d)")
_WORD_NUMBER = re.compile(
    r"\b(?:(?P<w>" + "|".join(_NUMBER_WORDS) + r")\s+(?P<unit>[a-z][a-z-]+)|twice|"
    r"(?P<t>" + "|".join(_NUMBER_WORDS) + r")\s+times)\b"
)
_SMALL = {v: k for k, v in _NUMBER_WORDS.items() if v <= 12 and k != "dozen"}


def _unit_after(text: str, pos: int) -> str:
    m = re.match(r"[\s-]((?:cubic|square)\s)?([a-z][a-z-]*)", text[pos:])
    if not m or m.group(2) in _UNIT_STOP or m.group(2).endswith("ed"):
        return ""
    return (m.group(1) or "") + m.group(2)


def _unit_key(unit: str) -> str:
    return unit.removesuffix("s") if len(unit) > 3 else unit


def _numbers(text: str, blocked: list[_Span]) -> list[_Number]:
    """Quantities, counts, scores and ordinals ("100 tons", "twice", "3-2", "58th minute")."""
    found: list[_Number] = []

    def free(start: int, end: int) -> bool:
        return not any(b.start < end and start < b.end for b in blocked) and not any(
            n.span.start < end and start < n.span.end for n in found
        )

    for m in _SCORE.finditer(text):
        if free(m.start(), m.end()):
            found.append(_Number(_Span(m.start(), m.end(), m.group()), "score", ()))
    for m in _NUMERAL.finditer(text):
        if not free(m.start(), m.end()):
            continue
        num = m.group("num")
        if m.group("pct"):
            end, unit = m.end("num"), "percent"
        else:
            end = m.end("mult") if m.group("mult") else m.end()
            unit = _unit_after(text, m.end())
            if m.group("ord"):
                end, unit = m.end("ord"), "ordinal " + unit
            elif m.group("cur"):
                unit = m.group("cur") + unit
        start = m.start("num") if m.group("pct") or not m.group("cur") else m.start()
        if m.group("cur") and not m.group("pct"):
            start = m.start()
        accept: list[str] = []
        plain = num.replace(",", "")
        if plain != num:
            accept.append(plain)
        if plain.isdigit() and int(plain) in _SMALL and not m.group("ord"):
            accept.append(_SMALL[int(plain)])
        if m.group("ord"):
            accept.append(num)
        found.append(_Number(_Span(start, end, text[start:end]), _unit_key(unit), tuple(accept)))
    for m in _WORD_NUMBER.finditer(text):
        if not free(m.start(), m.end()):
            continue
        before = text[: m.start()].split()[-1:] or [""]
        if m.group() == "twice":
            found.append(_Number(_Span(m.start(), m.end(), "twice"), "time", ("two times", "2")))
        elif m.group("t"):
            word = m.group("t")
            span = _Span(m.start(), m.start() + len(word), word)
            found.append(_Number(span, "time", (str(_NUMBER_WORDS[word]),)))
        elif (
            before[0].lower() not in {"the", "these", "those", "all", "both", "its", "their"}
            and m.group("unit") not in _UNIT_STOP
            and m.group("unit").endswith("s")
        ):
            word = m.group("w")
            span = _Span(m.start(), m.start() + len(word), word)
            unit = _unit_key(m.group("unit"))
            found.append(_Number(span, unit, (str(_NUMBER_WORDS[word]),)))
    return sorted(found, key=lambda n: n.span.start)[:_PER_SENTENCE_NUMBERS]


def _quote_depth(text: str, pos: int) -> int:
    """How many quotation marks are open at ``pos`` (curly quotes nest; straight ones toggle)."""
    before = text[:pos]
    curly = before.count("“") - before.count("”")
    return max(curly, 0) + before.count('"') % 2


def _balance(text: str) -> str:
    """Close a quotation left open by trimming or by cutting a statement off its attribution."""
    text = text.strip(" ,;:")
    if text.count("“") > text.count("”"):
        text += "”"
    if text.count('"') % 2:
        text = text + '"' if text.lstrip().startswith('"') or '"' in text[1:] else text
    return text


def _trim(text: str, words: int) -> str:
    """The first ``words`` words of a statement, its closing full stop dropped, quotes closed."""
    parts = _words(text)
    if len(parts) > words:
        text = " ".join(parts[:words]).rstrip(",;:") + "…"
    return _balance(re.sub(r"[.,;:]+(?=[”\"]?$)", "", text.strip()))


def _full_stop(text: str) -> str:
    return text if re.search(r"[…?!.][”\"]?$", text) else text + "."


@dataclass(frozen=True, slots=True)
class _Attribution:
    speaker: str
    verb: str
    statement: str


_SEP = re.compile(r"(?:,[”\"]|[”\"],|,)\s+")
_TOLD_OBJECT = re.compile(rf"\s+(?:{_CAPW}(?:\s{_CAPW})*|reporters|journalists|him|her|them)")
_WHEN = re.compile(
    rf"\s+(?:on|last|this|earlier|later|in)\s+(?:{'|'.join(sorted(_DAYS))}|{'|'.join(sorted(_MONTHS))}"
    r"|week|month|year|morning|evening|night)\b|\s+(?:today|yesterday|earlier|later)\b"
)
_ACCORDING = re.compile(r"(?:^|,\s*)[Aa]ccording to (?P<src>[^,.;]+?)(?=[,.;]|$)")


def _leading(text: str, verb: re.Match[str]) -> _Attribution | None:
    """``X said (that) ...``, ``After the call, X told Y on Sunday that ...``."""
    left = text[: verb.start()].rstrip()
    speaker = _SEP.split(left)[-1] if left else ""
    if not speaker or len(_words(speaker)) > 12:
        return None
    rest = text[verb.end() :]
    if verb.group() in _TELL and (obj := _TOLD_OBJECT.match(rest)):
        rest = rest[obj.end() :]
    if when := _WHEN.match(rest):
        rest = rest[when.end() :]
    rest = re.sub(r"^,?\s+(?:that\s+)?", "", rest)
    rest = re.sub(r"[.!?]+$", "", rest.strip())
    first = rest.split(" ", 1)[0].lower()
    if len(_words(rest)) < 3 or first in _ADVERBIAL or first.startswith((",", ":")):
        return None
    return _Attribution(speaker, verb.group(), rest)


def _trailing(text: str, verb: re.Match[str]) -> list[_Attribution]:
    """``"...," X said (at ...)``, ``..., said X, the ...``, ``..., X said, and that ...``."""
    left, right = text[: verb.start()], text[verb.end() :]
    seps = list(_SEP.finditer(left))
    found: list[_Attribution] = []
    if seps and seps[-1].end() == len(left) and verb.group() not in _TELL:
        speaker = re.split(r"[,.;]", right.strip(), maxsplit=1)[0]
        statement = left[: seps[-1].start()]
        found.append(_Attribution(speaker, verb.group(), statement))
    elif seps:
        sep = seps[-1]
        speaker = left[sep.end() :].strip()
        statement = left[: sep.start()] + sep.group().strip(" ,")
        words = right.strip(" .").split()
        first = words[0].lower() if words else ""
        told = verb.group() in _TELL and words and (words[0][0].isupper() or first == "reporters")
        if len(_words(speaker)) > 8 or not (not words or first in _ADVERBIAL or told):
            return []
        found.append(_Attribution(speaker, verb.group(), statement))
        if more := re.search(r",\s+and that\s+(.+?)[.!?]*$", right):
            found.append(_Attribution(speaker, verb.group(), more.group(1)))
    else:
        return []
    return [a for a in found if len(_words(a.statement)) >= 3 and a.speaker]


def _attributions(text: str, depth: int = 0) -> list[_Attribution]:
    """Who said what in a sentence, outer attribution first, then any reported inside it."""
    if depth > 2:
        return []
    found: list[_Attribution] = []
    if m := _ACCORDING.search(text):
        body = (text[: m.start()] + text[m.end() :]).strip(" ,.")
        if m.start() > 0:
            clauses = [c for c in re.split(r",\s+", body) if len(_words(c)) >= 5]
            body = clauses[-1] if clauses else body
        if len(_words(body)) >= 3:
            found.append(_Attribution(m.group("src").strip(), "according to", body))
        return found
    verbs = [v for v in _VERB_RE.finditer(text) if not _quote_depth(text, v.start())]
    if not verbs:
        return []
    if outer := _trailing(text, verbs[-1]):
        return outer + _attributions(outer[0].statement, depth + 1)
    if lead := _leading(text, verbs[0]):
        return [lead, *_attributions(lead.statement, depth + 1)]
    return []


# --- the article: people, speakers and names --------------------------------------------------


@dataclass
class _Person:
    name: str
    order: int
    office: str | None = None
    office_sentence: _Sentence | None = None

    @property
    def surname(self) -> str:
        return self.name.split(" ")[-1]


@dataclass(frozen=True, slots=True)
class _Speaker:
    kind: str  # "person" or "org"
    shown: str  # as written in the sentence ("" for a pronoun)
    full: str  # the person's full name or the organisation


@dataclass
class _Names:
    """Evidence that a capitalised name is a place or an organisation."""

    place: Counter[str] = field(default_factory=Counter)
    org: Counter[str] = field(default_factory=Counter)
    sentences: Counter[str] = field(default_factory=Counter)

    def kind(self, name: str) -> str | None:
        last = name.split(" ")[-1].lower()
        if name in _NOT_ORG_ACRONYMS:
            return None
        if self.org[name] or last in _ORG_WORDS:
            return "org"
        if self.place[name] or last in _PLACE_WORDS or name in _PLACE_ACRONYMS:
            return "place"
        if name.isupper() and len(name) >= 3 and name not in _NOT_ORG_ACRONYMS:
            return "org"
        return None


class _Article:
    """What the first pass learns about the whole article, used to draft and pick distractors."""

    def __init__(self, sentences: list[_Sentence]) -> None:
        self.sentences = sentences
        self.people: dict[str, _Person] = {}
        self.names = _Names()
        self.org_speakers: list[str] = []
        for s in sentences:
            self._learn_people(s)
        self._merge_single_names()
        self._learn_named_people()
        self.surnames = self._surname_index()
        for s in sentences:
            self._learn_speakers(s)
        self.surnames = self._surname_index()
        for s in sentences:
            self._learn_names(s)

    # people

    def _add_person(self, name: str, office: str | None, sentence: _Sentence) -> None:
        person = self.people.setdefault(name, _Person(name, len(self.people)))
        if office and (person.office is None or len(office) > len(person.office)):
            person.office, person.office_sentence = office, sentence

    def _learn_people(self, s: _Sentence) -> None:
        for t in _titled_people(s.text) + _appositive_people(s.text):
            self._add_person(t.name, t.office, s)
        for m in _HONORIFIC.finditer(s.text):
            words = _valid_name_words(m.group("name").split(" "))
            if len(words) == 2:
                self._add_person(" ".join(words), None, s)

    def _learn_named_people(self) -> None:
        """People named in full once and by surname alone elsewhere ("Kasey Kahne" ...
        "Kahne led"): how reports and entries name people who have no title to go by."""
        full: dict[str, _Sentence] = {}
        opening: set[str] = set()  # runs that open a sentence: "Using Cargo" is no name
        within: set[str] = set()  # words capitalised inside a sentence, where case tells
        alone: Counter[str] = Counter()
        for s in self.sentences:
            for m in _CAP_RUN.finditer(s.text):
                words = m.group().split(" ")
                if m.start() > 0:
                    within.update(words)
                if len(words) == 1:
                    before = s.text[: m.start()].split()[-1:]
                    if not before or before[0].lower() not in ("the", "a", "an"):
                        alone[words[0]] += 1  # "the Grid", "a Treaty": not a person
                elif len(words) <= 3 and _valid_name_words(words) == words:
                    full.setdefault(m.group(), s)
                    if m.start() == 0:
                        opening.add(m.group())
        full = {n: s for n, s in full.items() if n not in opening or n.split(" ")[0] in within}
        surnames = Counter(name.split(" ")[-1] for name in full)
        known = {p.surname for p in self.people.values()}
        for name, sentence in full.items():
            words = name.split(" ")
            if (
                words[-1] not in known  # "for Eurasia Gary Koren": Koren is known already
                and alone[words[-1]]
                and surnames[words[-1]] == 1
                and not {w.lower() for w in words} & _NOT_PERSON_WORDS
                and all(len(w) > 1 and not w.isupper() and "." not in w for w in words)
            ):
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
        counts = Counter(p.surname for p in self.people.values())
        return {p.surname: p.name for p in self.people.values() if counts[p.surname] == 1}

    def person_mentions(self, text: str) -> list[tuple[_Span, _Person]]:
        """Where known people are named in a sentence (titled spans, full names, surnames)."""
        found: list[tuple[_Span, _Person]] = []

        def add(span: _Span, person: _Person) -> None:
            if not any(f.start < span.end and span.start < f.end for f, _ in found):
                found.append((span, person))

        for t in _titled_people(text) + _appositive_people(text):
            if (p := self.resolve(t.name)) is not None:
                add(t.span, p)
        for m in _CAP_RUN.finditer(text):
            words = m.group().split(" ")
            for i in range(len(words)):
                for size in (3, 2, 1):
                    name = " ".join(words[i : i + size])
                    known = self.people if size > 1 else self.surnames
                    if name in known:
                        start = m.start() + len(" ".join(words[:i])) + (1 if i else 0)
                        add(_Span(start, start + len(name), name), self.people[self.full(name)])
        return sorted(found, key=lambda f: f[0].start)

    def full(self, name: str) -> str:
        return name if name in self.people else self.surnames.get(name, name)

    def resolve(self, name: str) -> _Person | None:
        return self.people.get(self.full(name))

    # speakers

    def speaker(self, phrase: str, last_person: _Person | None) -> _Speaker | None:
        """Who a speaker phrase names: a person, an organisation, or nobody we can name."""
        phrase = phrase.strip(" ,.")
        if phrase.lower() in _PRONOUNS:
            return _Speaker("person", "", last_person.name) if last_person else None
        if titled := _titled_people(phrase):
            return _Speaker("person", titled[-1].name, self.full(titled[-1].name))
        honor = _HONORIFIC.search(phrase)
        runs = [r.group() for r in _CAP_RUN.finditer(phrase)]
        for run in ([honor.group("name")] if honor else []) + runs[::-1]:
            words = run.split(" ")
            for i in range(len(words)):
                name = " ".join(words[i:])
                if self.resolve(name) is not None:
                    return _Speaker("person", name, self.full(name))
        lowered = phrase.lower().split()
        if not runs or (lowered and lowered[-1] in _ANON_NOUNS):
            return None
        name = runs[-1]
        while name.split(" ")[0].lower() in _NOT_NAMES - _ORG_WORDS and " " in name:
            name = name.split(" ", 1)[1]
        if name.lower() in _NOT_NAMES:
            return None
        if self.names.kind(name) == "org" or len(_words(phrase)) > len(_words(name)):
            return _Speaker("org", name, name)
        words = _valid_name_words(name.split(" "))
        if len(words) >= 2 and len(words) == len(name.split(" ")):
            return _Speaker("person", name, name)
        return _Speaker("org", name, name) if name in self.org_speakers else None

    def _learn_speakers(self, s: _Sentence) -> None:
        for a in _attributions(s.text):
            if a.verb == "according to" or a.verb.startswith("report"):
                runs = [r.group() for r in _CAP_RUN.finditer(a.speaker)]
                if runs and self.resolve(runs[-1]) is None and runs[-1] not in self.org_speakers:
                    name = runs[-1]
                    if name.lower() not in _NOT_NAMES:
                        self.org_speakers.append(name)
                        self.names.org[name] += 1
                continue
            words = a.speaker.strip(" ,.").split(" ")
            named = 2 <= len(words) <= 3 and _valid_name_words(words) == words
            if named and all(w[:1].isupper() for w in words) and self.resolve(a.speaker) is None:
                self._add_person(" ".join(words), None, s)

    # places and organisations

    def name_spans(self, text: str, blocked: list[_Span]) -> list[_Span]:
        """Capitalised names in a sentence outside people and dates, leading small words cut."""
        masked = list(text)
        for b in blocked:
            masked[b.start : b.end] = "\0" * (b.end - b.start)
        found: list[_Span] = []
        for m in _NAME_RUN.finditer("".join(masked)):
            words = m.group().split(" ")
            start = m.start()
            while words and (words[0].lower() in _NOT_NAMES or words[0].endswith(".")):
                start += len(words[0]) + 1
                words = words[1:]
            while words and words[-1].lower() in _NOT_NAMES | {"of", "the"}:
                words = words[:-1]
            if not words or (len(words) == 1 and words[0].lower() in _KEYWORDS):
                continue
            name = " ".join(words)
            follows = text[start + len(name) : start + len(name) + 3]
            if len(words) == 1 and follows.startswith(("’s", "'s")) and name in self.surnames:
                continue
            found.append(_Span(start, start + len(name), name))
        return found

    def _learn_names(self, s: _Sentence) -> None:
        blocked = [sp for sp, _ in self.person_mentions(s.text)]
        blocked += [sp for sp, _ in _date_spans(s.text)]
        spans = self.name_spans(s.text, blocked)
        for sp in spans:
            before = s.text[: sp.start].split()[-3:]
            cue = [w.lower().strip(",") for w in before]
            if cue[-1:] == ["the"]:
                cue = cue[:-1]
            if cue[-2:] == ["according", "to"]:
                continue
            if cue and cue[-1] in _PLACE_CUES:
                self.names.place[sp.text] += 1
            if cue and cue[-1] in _ORG_CUES:
                self.names.org[sp.text] += 1
        between = re.finditer(
            rf"\bbetween\s+(?:the\s+)?({_CAPW})\s+and\s+(?:the\s+)?({_CAPW})", s.text
        )
        for m in between:
            self.names.place[m.group(1)] += 1
            self.names.place[m.group(2)] += 1
        for name in dict.fromkeys(sp.text for sp in spans):
            self.names.sentences[name] += 1


# --- drafting cards ---------------------------------------------------------------------------

_ROLES = (
    "office",
    "said",
    "define",
    "why",
    "deed",
    "code",
    "num",
    "date",
    "name",
    "holder",
    "what",
    "tf",
)
"""Card roles in the order ``--max`` takes them round-robin."""
_TAGS = {
    "office": "people",
    "deed": "people",
    "code": "commands",
    "define": "definitions",
    "why": "reasons",
    "holder": "people",
    "said": "quotes",
    "what": "quotes",
    "tf": "quotes",
    "num": "numbers",
    "date": "dates",
}


@dataclass(frozen=True, slots=True)
class _Candidate:
    role: str
    sentence: _Sentence
    fields: dict[str, Any]
    tag: str


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def _pick(answer: str, pool: list[str]) -> list[str]:
    """Up to three distractors from ``pool``: distinct, never the answer, in a fixed shuffle."""
    seen = {_norm(answer)}
    unique: list[str] = []
    for option in pool:
        if _norm(option) not in seen:
            seen.add(_norm(option))
            unique.append(option)
    return sorted(unique, key=lambda o: _digest(answer, o))[:_DISTRACTORS]


_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+[—–-]\s+")


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``[start, end)``, widened to a few words and cut to at most ~22."""
    cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(text)), len(text)]
    lo = max(i for i, c in enumerate(cuts[:-1]) if c <= start)
    hi = next(i for i, c in enumerate(cuts) if c >= end and i > lo)
    while len(_words(text[cuts[lo] : cuts[hi]])) < _WINDOW_MIN and (lo > 0 or hi < len(cuts) - 1):
        if lo > 0:
            lo -= 1
        if len(_words(text[cuts[lo] : cuts[hi]])) < _WINDOW_MIN and hi < len(cuts) - 1:
            hi += 1
    ws, we = cuts[lo], cuts[hi]
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


def _render(text: str, start: int, end: int, cuts: list[tuple[_Span, str]]) -> str:
    """``text[start:end]`` with spans replaced, and "…" where it was cut from the sentence."""
    out, pos = [], start
    for span, new in sorted(cuts, key=lambda c: c[0].start):
        out.append(text[pos : span.start])
        out.append(new)
        pos = span.end
    out.append(text[pos:end])
    body = "".join(out).strip()
    if end < len(text):
        body = body.rstrip(" ,;:—–-") + "…"
    if start > 0:
        body = "…" + body
    return body


class _Drafter:
    """The second pass: candidate cards, sentence by sentence, each drawn from one sentence."""

    def __init__(self, article: _Article) -> None:
        self.a = article
        self.candidates: list[_Candidate] = []
        self.prompts: set[str] = set()
        self.per_value: Counter[str] = Counter()
        self.said_count = 0
        self.numbers_by_unit: dict[str, list[str]] = {}
        self.text = "\n".join(s.text for s in article.sentences)
        for s in article.sentences:
            for n in _numbers(s.text, [sp for sp, _ in _date_spans(s.text)]):
                values = self.numbers_by_unit.setdefault(n.unit, [])
                if n.span.text not in values:
                    values.append(n.span.text)

    def add(self, role: str, s: _Sentence, fields: dict[str, Any], tag: str = "") -> bool:
        prompt = next(
            fields[k] for k in ("front", "cloze", "prompt", "question", "statement") if k in fields
        )
        key = _norm(prompt)
        if not key or key in self.prompts:
            return False
        self.prompts.add(key)
        self.candidates.append(_Candidate(role, s, fields, tag or _TAGS[role]))
        return True

    def run(self) -> list[_Candidate]:
        last: tuple[int, _Person] | None = None
        for s in self.a.sentences:
            mentions = self.a.person_mentions(s.text)
            recent = last[1] if last and s.paragraph - last[0] <= 1 else None
            self.people(s)
            self.said(s, recent)
            dates = _date_spans(s.text)
            code = _code_spans(s.text)
            blocked = [sp for sp, _ in mentions] + [sp for sp, _ in dates] + code
            self.code(s, code)
            self.definitions(s)
            self.reasons(s)
            self.numbers(s, blocked)
            self.dates(s, dates)
            self.names(s, blocked)
            self.deeds(s, mentions)
            if mentions:
                last = (s.paragraph, mentions[-1][1])
        return self.candidates

    # people and offices

    def others(self, person: _Person, short: bool) -> list[str]:
        people = sorted(self.a.people.values(), key=lambda p: (p.office is None, p.order))
        return [p.surname if short else p.name for p in people if p is not person]

    def people(self, s: _Sentence) -> None:
        for person in self.a.people.values():
            if person.office_sentence is not s or not person.office:
                continue
            office = person.office
            self.add("office", s, {"front": f"Who is {person.name}?", "back": office})
            if self._office_is_ambiguous(person):
                continue
            question = (
                f"Who is {office}?"
                if office.split(" ")[0].lower() in {"a", "an", "the"}
                else f"Who is the {office}?"
            )
            distractors = _pick(person.name, self.others(person, short=False))
            if distractors:
                fields = {"question": question, "answer": person.name, "distractors": distractors}
            else:
                fields = {"front": question, "back": person.name}
            self.add("holder", s, fields)

    def _office_is_ambiguous(self, person: _Person) -> bool:
        assert person.office is not None
        mine = _norm(re.sub(r"^(?:the|a|an)\s+", "", person.office, flags=re.I))
        for other in self.a.people.values():
            if other is person or not other.office:
                continue
            theirs = _norm(other.office)
            if theirs.startswith(("former ", "ex ")) and not mine.startswith("former"):
                continue
            if f" {mine} " in f" {theirs} ":
                return True
        return False

    # who said what

    def said(self, s: _Sentence, recent: _Person | None) -> None:
        for att in _attributions(s.text):
            speaker = self.a.speaker(att.speaker, recent)
            if speaker is None:
                continue
            statement = _balance(re.sub(r"[.!?]+$", "", att.statement.strip()))
            if len(_words(statement)) < 3:
                continue
            gist = _trim(statement, _GIST_WORDS)
            report = att.verb.startswith("report") or att.verb == "according to"
            if (
                speaker.shown
                and _contains(s.text, speaker.shown)
                and not _contains(gist, speaker.shown)
            ):
                self._who_said(s, speaker, gist, report)
            self._what_said(s, speaker, statement, report)

    def _speaker_pool(self, speaker: _Speaker) -> list[str]:
        if speaker.kind == "org":
            pool = list(self.a.org_speakers)
            pool += [n for n in self.a.names.sentences if self.a.names.kind(n) == "org"]
            return _pick(speaker.shown, pool)
        person = self.a.resolve(speaker.full)
        short = " " not in speaker.shown
        pool = self.others(person, short) if person else []
        return _pick(speaker.shown, pool)

    def _who_said(self, s: _Sentence, speaker: _Speaker, gist: str, report: bool) -> None:
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
                    "statement": _full_stop(f"{wrong} {verb} {gist}"),
                    "true": False,
                    "explanation": f"It was {speaker.shown}.",
                },
            )
        else:
            self.add(
                "tf", s, {"statement": _full_stop(f"{speaker.shown} {verb} {gist}"), "true": True}
            )

    def _what_said(self, s: _Sentence, speaker: _Speaker, statement: str, report: bool) -> None:
        verb = "report" if report else "say"
        own = _norm(speaker.full)
        topics: list[tuple[int, str]] = []
        for sp, person in self.a.person_mentions(statement):
            if _norm(person.name) != own:
                topics.append((sp.start, person.name))
        for sp in self.a.name_spans(statement, []):
            if (
                self.a.names.kind(sp.text)
                and _norm(sp.text) != own
                and self.a.resolve(sp.text) is None
            ):
                topics.append((sp.start, sp.text))
        back = _trim(statement, _STATEMENT_WORDS)
        for _, topic in sorted(topics):
            if self.add(
                "what", s, {"front": f"What did {speaker.full} {verb} about {topic}?", "back": back}
            ):
                return

    # numbers, dates, names

    def numbers(self, s: _Sentence, blocked: list[_Span]) -> None:
        for n in _numbers(s.text, blocked):
            ws, we = _window(s.text, n.span.start, n.span.end)
            prompt = "Fill in the number: " + _render(s.text, ws, we, [(n.span, "___")])
            if _contains(prompt, n.span.text):
                continue
            distractors = _pick(n.span.text, self.numbers_by_unit.get(n.unit, []))
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
            self.add("num", s, fields)

    def _cloze(self, role: str, s: _Sentence, target: _Span, hint: str, tag: str = "") -> bool:
        ws, we = _window(s.text, target.start, target.end)
        same = [
            _Span(m.start(), m.end(), m.group())
            for m in re.finditer(rf"(?<!\w){re.escape(target.text)}(?!\w)", s.text)
            if ws <= m.start() and m.end() <= we
        ]
        hint_part = f"::{hint}" if hint else ""
        group = "c1::" if len(same) > 1 else ""
        cuts = [(sp, f"{{{{{group}{sp.text}{hint_part}}}}}") for sp in same]
        return self.add(role, s, {"cloze": _render(s.text, ws, we, cuts)}, tag)

    def dates(self, s: _Sentence, dates: list[tuple[_Span, str]]) -> None:
        if "{" in s.text or "}" in s.text:
            return
        for span, hint in dates:
            key = "date:" + span.text
            if self.per_value[key] < _PER_VALUE and self._cloze("date", s, span, hint):
                self.per_value[key] += 1
                return

    def definitions(self, s: _Sentence) -> None:
        """What a term is, where the text says so: "crates.io is a central package repository
        ...", "Cargo, the Rust package manager, is ..." (a basic card), and the name a thing
        is "known as" or "called" (a gap)."""
        for pattern in (_DEFINES, _APPOSITION):
            m = pattern.search(s.text)
            if m is None or m.start() not in (0, *_clause_starts(s.text)):
                continue
            term, meaning = m.group("term"), _definition(m.group("meaning"))
            if (
                meaning
                and term.split(" ")[0].lower() not in _NOT_TERMS
                and self._uses(term) > 1  # a term the text uses, not "Finally, the ..."
                and self.a.resolve(term) is None  # people have their who-is cards
            ):
                self.add("define", s, {"front": f"What is {term}?", "back": meaning})
                break
        if "{" in s.text or "}" in s.text:
            return
        for m in _KNOWN_AS.finditer(s.text):
            span = _Span(m.start("name"), m.end("name"), m.group("name"))
            if self._cloze("define", s, span, "name"):
                return

    def _uses(self, term: str) -> int:
        """How often the article writes ``term`` as a word of its own."""
        return len(re.findall(rf"(?<![\w.]){re.escape(term)}(?![\w])", self.text))

    def reasons(self, s: _Sentence) -> None:
        """Why something happened, where the text says so: the cause after "because", "due
        to", "owing to" or "in response to" becomes a gap ("substituted ... due to
        {{injury::why}}"), as long as it is a short phrase of its own."""
        if "{" in s.text or "}" in s.text:
            return
        for m in _BECAUSE.finditer(s.text):
            cause = re.split(r" (?:and|but|which|when|while|so|then) ", m.group("cause"))[0]
            cause = cause.rstrip()
            if not 1 <= len(cause.split()) <= _CAUSE_WORDS:
                continue
            span = _Span(m.start("cause"), m.start("cause") + len(cause), cause)
            if self._cloze("why", s, span, "why"):
                return

    def code(self, s: _Sentence, spans: list[_Span]) -> None:
        """Technical text: a gap for the option, function or constant a sentence is about
        ("Use the {{-L::option}} option to tell it to follow redirects"), the whole token."""
        if "{" in s.text or "}" in s.text:
            return
        for span in spans:
            key = "code:" + span.text
            hint = (
                "option"
                if span.text.startswith("-")
                else "function"
                if span.text.endswith(")")
                else "name"
            )
            if self.per_value[key] < _PER_VALUE and self._cloze("code", s, span, hint):
                self.per_value[key] += 1
                return

    def deeds(self, s: _Sentence, mentions: list[tuple[_Span, _Person]]) -> None:
        """Who did what: a gap for the person a sentence is about (who scored, who refereed,
        who was defeated), unless the sentence only reports what someone said (the quote cards
        ask that). The first person named whose name is written in full there is asked."""
        if "{" in s.text or "}" in s.text or _attributions(s.text):
            return
        for span, person in mentions:
            key = "deed:" + person.name
            if span.text != person.name or self.per_value[key] >= _PER_VALUE:
                continue
            if _in_longer_name(s.text, span):  # "Jeff Gordon Day" names a day, not him
                continue
            if _in_list(s.text, span):
                continue
            if self._cloze("deed", s, span, "who"):
                self.per_value[key] += 1
            return

    def names(self, s: _Sentence, blocked: list[_Span]) -> None:
        if "{" in s.text or "}" in s.text:
            return
        spans = [sp for sp in self.a.name_spans(s.text, blocked) if self.a.names.kind(sp.text)]
        for sp in sorted(spans, key=lambda x: (self.a.names.sentences[x.text], x.start)):
            key = "name:" + sp.text
            kind = self.a.names.kind(sp.text)
            tag = "places" if kind == "place" else "organisations"
            if self.per_value[key] < _PER_VALUE and self._cloze("name", s, sp, "", tag):
                self.per_value[key] += 1
                return


# --- the draft --------------------------------------------------------------------------------


@dataclass
class GenerateReport:
    """What the generator did: cards by kind, and what it skipped and why."""

    paragraphs: int = 0
    sentences: int = 0
    cards_by_kind: dict[str, int] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    left_out: int = 0
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


def _sentences(paragraphs: list[str], report: GenerateReport) -> tuple[list[_Sentence], str | None]:
    reasons, headline = _noise(paragraphs)
    out: list[_Sentence] = []
    for i, para in enumerate(paragraphs):
        number = i + 1
        if i in reasons:
            report.skipped.append(Skipped(number, _excerpt(para), reasons[i]))
            continue
        body = _INLINE_CAPTION.sub("", _BULLET.sub("", para))
        for j, text in enumerate(split_sentences(body), start=1):
            if j == 1:
                text = _DATELINE.sub("", text)
            count = len(_words(text))
            if count > _MAX_SENTENCE_WORDS:
                report.skipped.append(Skipped(number, _excerpt(text), "too long for a card"))
            elif count < 3 or not re.search(_LETTER, text):
                report.skipped.append(Skipped(number, _excerpt(text), "too short for a card"))
            else:
                out.append(_Sentence(number, j, len(out), text))
    report.sentences = len(out)
    return out, headline


def _select(candidates: list[_Candidate], limit: int | None) -> list[_Candidate]:
    """At most ``limit`` candidates, taken round-robin over roles, then in article order."""
    if limit is None or len(candidates) <= limit:
        chosen = candidates
    else:
        queues = {role: [c for c in candidates if c.role == role] for role in _ROLES}
        chosen = []
        while len(chosen) < limit:
            for role in _ROLES:
                if queues[role] and len(chosen) < limit:
                    chosen.append(queues[role].pop(0))
    rank = {id(c): i for i, c in enumerate(candidates)}
    return sorted(chosen, key=lambda c: (c.sentence.order, _ROLES.index(c.role), rank[id(c)]))


def _vetted(candidates: list[_Candidate], title: str, report: GenerateReport) -> list[_Candidate]:
    """The candidates ``quiz check`` would not warn about (``quiz.lint``), so a draft starts
    clean: a choice with too few options becomes a typed card, any other flagged card is
    dropped and the summary says why."""
    from quiz.lint import MIN_OPTIONS, lint_cards

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
                vetted.append(replace(candidate, fields=typed))
            elif (who := _WHO_IS_ROLE.fullmatch(fields.get("front", ""))) and fields[
                "back"
            ].casefold() in _TITLE_SET:
                # "Who is Isaac Herzog?" / "president": ask for the role, which a word answers.
                asked = {**fields, "front": f"What is {who.group(1)}'s role?"}
                vetted.append(replace(candidate, fields=asked))
            else:
                s = candidate.sentence
                report.vetoed.append(Skipped(s.paragraph, _excerpt(s.text), flagged[index]))
        kept = vetted
    return kept


_WHO_IS_ROLE = re.compile(r"Who is (?!the |a |an )(.+)\?")


def _first(answer: str | list[str]) -> str:
    return answer if isinstance(answer, str) else answer[0]


def _card(c: _Candidate, used: set[str]) -> dict[str, Any]:
    prompt = next(
        c.fields[k] for k in ("front", "cloze", "prompt", "question", "statement") if k in c.fields
    )
    s = c.sentence
    base = f"{c.role}-p{s.paragraph}-{s.index}-{_digest(prompt)[:6]}"
    card_id, n = base, 2
    while card_id in used:
        card_id, n = f"{base}-{n}", n + 1
    used.add(card_id)
    source = {"paragraph": s.paragraph, "excerpt": f"“{_excerpt(s.text)}”"}  # the text's words
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
    sentences, headline = _sentences(paragraphs, report)
    candidates = _Drafter(_Article(sentences)).run()
    with_cards = {c.sentence.order for c in candidates}
    for s in sentences:
        if s.order not in with_cards:
            report.skipped.append(Skipped(s.paragraph, _excerpt(s.text), "no fact found"))
    deck_title = (title or headline or Path(source_name or "").stem or "Draft deck").strip()[:200]
    candidates = _vetted(candidates, deck_title, report)
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
    return Draft(deck, report)


# --- command line -----------------------------------------------------------------------------


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
