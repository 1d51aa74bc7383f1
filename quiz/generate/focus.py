"""Key phrases: the words a plain sentence's fact turns on, where no name, number, quote or
definition marks it ("... without requiring a {{garbage collector}}", "... adopted a
{{train-based}} release model").

A teacher gaps the specific noun phrase the clause ends on, not a common word: English puts
new information last in a clause, and a rare word (by ``wordfreq``'s English counts) carries
more of it than a common one. A phrase is taken only where the words around it say it is a
noun phrase (after an article, a possessive or a preposition, or a capitalised name), never
one pointing back ("that churn"), and only when it scores high enough to be worth a card.
"""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import msgpack

from quiz.generate.text import Span
from quiz.generate.words import HONORIFICS, TITLE_WORDS, wordset

_ARTICLES = wordset("a an the its their our his her my your each every some any another")
_POINTING = wordset("this that these those such")
"""A phrase after one of these refers back to another sentence: no card of its own."""
_PREPOSITIONS = wordset("""
of in on at by for with without from into onto over under about as like than via per between
among through across against toward towards within during after before since until upon inside
outside near beyond behind below above along around beside besides despite except including
""")
_COPULAS = wordset("is are was were be been becomes became remains remained")
FUNCTION_WORDS = (
    _ARTICLES
    | _POINTING
    | _PREPOSITIONS
    | _COPULAS
    | wordset("""
to and or but nor so yet if then when while because although though whether which who whom
whose what where why how being am do does did has have had will would can could should may might
must shall it they we i you he she him them us me not also only just even still very more most
less least much many both all either neither there here now too again already said says say
told according same other others own new today yesterday tomorrow well one ones something
anything nothing someone anyone everyone lot lots way ways thing things two three four five six
seven eight nine ten hundred thousand million billion mr mrs ms dr itself himself herself
themselves ourselves yourself myself
""")
)
_NOUN_END = re.compile(r"\w{3}(?:ity|tion|sion|ment|ness|ance|ence|ism|ship|hood)s?$")
"""Endings only nouns have: after "to" such a word is an object ("commitment to stability"),
not a verb ("to build")."""
_IDIOMS = frozenset({"by default", "at all", "in general", "in particular", "in practice"})
"""A preposition and a word that together say how, not what: "curl follows them by {{default}}"."""
_OBJECTS = _ARTICLES | _POINTING | wordset("it them us him her me you")
_VAGUE = wordset("first last few several major minor main many various certain whole entire")
"""Leading words that say how much, not what: "the {{few years}}" is no fact."""
_CLAUSE_END = re.compile(r"\s*(?:[,;:.!?)\]]|--|[—–]|\(|$)")
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*\w|[^\W\d_]|\S")
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|-(?=[^\W\d_]))*")
"""A word: letters and inner hyphens ("train-based"); "won't", "cmp_to_key" or "crates.io"
are no words of a phrase (a contraction, code)."""
_CODE_AFTER = re.compile(r"\(|::|\.\w|=")

COMMON = 5.3
"""Zipf frequency at or above which a word is everyday English ("system", "people"): a phrase
whose words are all that common is no fact to test."""
PLAIN = 3.5
"""The least rarity of a lone lower-case word ("seafood", "arity"; not "goals", "lists")."""
MIN_SCORE = 3.1
"""The least score a phrase needs: below it the sentence gets no key-phrase card."""
MAX_WORDS = 3
NAME_BASE = 2.6
"""The least base score of a capitalised name, whatever its frequency."""


@lru_cache(maxsize=1)
def _zipf_table() -> dict[str, float] | None:
    """``wordfreq``'s small English list as word → Zipf frequency, read straight from the
    file the package ships (its documented "cBpack" format: gzipped msgpack, a header, then
    one list of words per centibel of frequency). Importing ``wordfreq`` itself would cost a
    quarter of a second (it loads ``ftfy`` and ``langcodes``); None when the file is not
    what we expect, and then the package answers."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "small_en.msgpack.gz"
    try:
        header, *buckets = msgpack.unpackb(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError, msgpack.UnpackException):
        return None
    if header != {"format": "cB", "version": 1}:
        return None
    table: dict[str, float] = {}
    for centibels, words in enumerate(buckets):
        for word in words:
            table.setdefault(word, 9.0 - centibels / 100)
    return table


@lru_cache(maxsize=16384)
def zipf(word: str) -> float:
    """A lower-case word's Zipf frequency in English (0 when unknown), as
    ``wordfreq.zipf_frequency(word, "en", wordlist="small")`` gives it: the parts of a
    hyphenated word combine as 1/f = 1/f1 + 1/f2."""
    table = _zipf_table()
    if table is None:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, "en", wordlist="small"))
    parts = [p for p in word.split("-") if p]
    if not parts or any(p not in table for p in parts):
        return 0.0
    freq = 1.0 / sum(10.0 ** (9.0 - table[p]) for p in parts)
    return round(math.log10(float(f"{freq:.3g}")) + 9.0, 2)


def rarity(word: str) -> float:
    """How unusual a word is in English: 8 minus its Zipf frequency (0 for "the", 8 for a
    word ``wordfreq`` has never seen). Its small English list ships with the package: no
    download, the same answer everywhere."""
    return 8.0 - zipf(word)


def words_of(text: str) -> list[str]:
    """The words of a text, for counting how often the text uses each."""
    return _WORD.findall(text)


_SKIP = FUNCTION_WORDS | TITLE_WORDS | HONORIFICS
CODE_PROMPT = re.compile(r"\s*(?:>>>|\.\.\.|\$|#|//)\s")
_OPENERS = frozenset("\"“‘'([")
_STOPS = frozenset(".!?")
"""Before a capital inside a quotation of several sentences: the next one's first word."""
_DEMONYM = re.compile(r"(?:an|ish|ese|ic)$")
_PARTICIPLE = re.compile(r"(?<!-)\b\w+(?:ly|ed)$")


class _Tokens:
    """A sentence's tokens, with their text and lower-case forms worked out once."""

    __slots__ = ("end", "lower", "start", "text", "word")

    def __init__(self, text: str) -> None:
        self.text = text
        found = list(_TOKEN.finditer(text))
        self.start = [m.start() for m in found]
        self.end = [m.end() for m in found]
        self.word = [m.group() for m in found]
        self.lower = [w.lower() for w in self.word]

    def runs(self) -> Iterable[list[int]]:
        """Indexes of maximal runs of content words (no function word, digit, punctuation)."""
        run: list[int] = []
        for i, word in enumerate(self.word):
            named = i > 0 and word[0].isupper() and word != "I"  # "New Zealand", not "new"
            lower = self.lower[i]
            if (
                (named or lower not in _SKIP)
                and (not named or lower not in TITLE_WORDS | HONORIFICS)
                and _WORD.fullmatch(word)
                and not _CODE_AFTER.match(self.text, self.end[i])
            ):
                if named and not word.isupper() and run and not self.word[run[-1]][0].isupper():
                    yield run  # "office informed | Washington": a name starts a run of its own
                    run = []
                run.append(i)
                continue
            if run:
                yield run
            run = []
        if run:
            yield run

    def whole_name(self, first: int, last: int) -> bool:
        """Whether a capitalised run is a whole name, not part of a longer one: "The {{John
        Wayne Walding}} 400", "Food Standards {{Australia New Zealand}}", "{{Hwang}}
        Hee-Chan's", "the {{Budweiser Man}} of the Match", "Department of {{Agriculture}}"."""
        word = self.word
        if last - first + 1 > MAX_WORDS or (first > 1 and word[first - 1][:1].isupper()):
            return False
        if word[first - 1][:1].isdigit() or word[first - 1] in _OPENERS | _STOPS:
            return False  # "400 {{Powered}} by", '"{{Ground-level}} ozone': capital by place
        if len(word[last]) == 1 and word[last].isupper():
            return False  # "after {{Randal L}}. Schwartz": an initial, the name goes on
        if re.match(r"\.\s?\d", self.text[self.end[last] :]):
            return False  # "{{Holland Lodge No}}. 8": an abbreviation and its number
        after = word[last + 1 : last + 4]
        if after and (after[0][:1].isupper() or after[0][:1].isdigit()):
            return False
        if after[:1] == ["of"] and any(w[:1].isupper() for w in after[1:]):
            return False
        back = first - 1
        while back > 0 and self.lower[back] in _ARTICLES:
            back -= 1  # "Man of the {{Match award}}": look past the article
        # "Department of {{Agriculture}}", "Architectural, {{Surveying}}, ...": a name's end
        return not (
            word[back] in ("of", ",", "and", "&") and back > 0 and word[back - 1][:1].isupper()
        )

    def phrase(self, run: list[int], opening: int) -> list[int] | None:
        """The token indexes of the noun phrase a run holds, or None when the words around
        it say it is none (a verb's object, the subject, a reference back, part of a name).
        ``opening``: the index of the sentence's first token that is no article."""
        first, last = run[0], run[-1]
        if first <= opening:
            return None  # the sentence's first words: its subject, seldom the point
        before = self.lower[first - 1]
        after = self.lower[last + 1] if last + 1 < len(self.word) else ""
        words = run[:-1] if after in _OBJECTS else run  # "requiring a ...": a verb
        if not words or before in _POINTING or before in ("(", "["):
            return None  # "that {{churn}}" points back; "intelligence ({{BI}})" is given
        if self.word[first][0].isupper():
            if len(words) != len(run) or not self.whole_name(first, last):
                return None
            return self._name(words)
        if (
            before not in _ARTICLES
            and before not in _PREPOSITIONS
            and not (before == "to" and _NOUN_END.search(self.lower[words[0]]))
            and before not in ("where", "whereas")  # "where {{chlorine sanitisers}} replaced"
        ):
            return None  # after a verb or a conjunction: likely a verb phrase
        if len(words) > MAX_WORDS + 1:
            return None  # a run this long holds a verb: no phrase of its own
        return self._noun(words)

    def _name(self, words: list[int]) -> list[int] | None:
        """A capitalised run: the name alone when the clause goes on after it."""
        if _CLAUSE_END.match(self.text, self.end[words[-1]]):
            return words
        whole = words
        # "{{Python}} provides ...": the name alone ("Schwartzian transform," whole)
        words = list(itertools.takewhile(lambda i: self.word[i][0].isupper(), words))
        if len(words) == 1 and _DEMONYM.search(self.word[words[0]]):
            # "the {{Russian}} president": an adjective, not the fact; "strikes on {{Iranian
            # targets}} in Syria": with its noun, the phrase is
            noun = len(whole) == 2 and self.lower[whole[0] - 1] in _PREPOSITIONS
            return whole if noun else None
        return words

    def _noun(self, words: list[int]) -> list[int] | None:
        """A common noun phrase without the vague words, adverbs and participles at its ends."""
        while words and (
            self.lower[words[0]] in _VAGUE
            or self.lower[words[0]].endswith("ly")
            or (len(words) > 1 and re.fullmatch(r"[^-]+ing", self.lower[words[0]]))  # "by using"
        ):
            words = words[1:]
        while words and _PARTICIPLE.search(self.word[words[-1]]):
            words = words[:-1]  # "salt {{used}} in food": a participle
        return words[-MAX_WORDS:] or None

    def score(
        self, first: int, words: list[int], counts: Counter[str], topic: frozenset[str]
    ) -> float | None:
        """How much a phrase is worth a gap: its rarest word, more at a clause's end, after a
        copula, for a hyphenated term, a name, a word the text repeats. None: no fact."""
        text, start, end = self.text, self.start[words[0]], self.end[words[-1]]
        before = self.lower[first - 1]
        if re.match(r"['’\w]", text[end : end + 1]) or text[start - 1] in "@#/":
            return None  # "the {{constituencies}}' seats", "@{{TheASF}}": part of a token
        lower = [self.lower[i] for i in words]
        if f"{before} {' '.join(lower)}" in _IDIOMS:
            return None
        rare = [rarity(w) for w in lower if w not in topic]  # "the Rust {{language}}"
        capital = self.word[words[0]][0].isupper()
        if not rare or max(rare) <= 8.0 - COMMON:
            return None
        if len(rare) == 1 and not capital and max(rare) < PLAIN:
            return None  # "{{goals}}", "{{steps}}": an everyday word alone is no fact
        score = max(rare) - 2.0
        if capital:  # a name: its frequency says little ("Washington" is common, and a fact)
            score = max(score, NAME_BASE) + 0.5
        return score + self._bonus(first, end, lower, counts, topic)

    def _bonus(
        self, first: int, end: int, lower: list[str], counts: Counter[str], topic: frozenset[str]
    ) -> float:
        """What the place and the words of a phrase add to its worth."""
        bonus = 0.0
        if _CLAUSE_END.match(self.text, end):
            bonus += 1.5  # the end of a clause: where English puts what is new
        if self.lower[first - 1] in _ARTICLES and first >= 2 and self.lower[first - 2] in _COPULAS:
            bonus += 1.5  # "... is its {{type system}}": what the sentence says something is
        if any("-" in w for w in lower):
            bonus += 0.5  # "train-based", "open-source": a term
        if any(counts[w] > 1 and w not in topic for w in lower):
            bonus += 0.5  # a word the text keeps using
        return bonus


def key_phrase(
    text: str, blocked: Sequence[Span], counts: Counter[str], topic: frozenset[str]
) -> Span | None:
    """The phrase of ``text`` most worth a gap, or None when none scores ``MIN_SCORE``.
    ``counts`` holds in how many of the article's sentences each lower-cased word appears
    (a word the text keeps using is one of its terms); ``topic`` the words of what the whole
    text is about, which a gap would only repeat."""
    found = key_phrases(text, blocked, counts, topic)
    return found[0][1] if found else None


def key_phrases(
    text: str, blocked: Sequence[Span], counts: Counter[str], topic: frozenset[str]
) -> list[tuple[float, Span]]:
    """Every phrase of ``text`` that scores ``MIN_SCORE``, with its score, best first (the
    first of equals in the text's order)."""
    if text.rstrip(" \"'”’)").endswith("?") or CODE_PROMPT.match(text):
        return []  # the text's own question, or a line of code ("How permanent is ...?")
    tokens = _Tokens(text)
    opening = next((i for i, w in enumerate(tokens.lower) if w not in _ARTICLES), 0)
    found: list[tuple[float, Span]] = []
    for run in tokens.runs():
        words = tokens.phrase(run, opening)
        if not words:
            continue
        start, end = tokens.start[words[0]], tokens.end[words[-1]]
        if any(b.start < end and start < b.end for b in blocked):
            continue
        score = tokens.score(run[0], words, counts, topic)
        if score is not None and score >= MIN_SCORE:
            found.append((score, Span(start, end, text[start:end])))
    found.sort(key=lambda f: -f[0])  # stable: equals keep the text's order
    return found
