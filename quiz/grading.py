"""Grade learners' answers and suggest an FSRS rating.

This module is deliberately UI-free (it never imports textual or rich): the
review screens ask it for a :class:`Grade`, show the suggestion and let the
learner override it. Grading only *suggests* a rating.

Typed answers
    Both sides go through :func:`normalize` (case, accents, curly quotes,
    surrounding punctuation, leading English articles, inner whitespace).
    Then, for the canonical answer and every accepted alternative:

    1. equal normalised text -> ``GOOD``;
    2. if both sides are *quantities* (a number, optionally followed by a unit,
       see :func:`parse_number` and ``_quantity``) they are compared by value.
       Equal values -> ``GOOD`` when the units agree (ignoring a plural "s";
       "percent" = "%") or the learner omitted the unit, ``HARD`` when the unit
       is misspelt, ``AGAIN`` for another unit (a unit the expected answer
       doesn't have is wrong: "100 tons" for "100"). Different values with the
       same (or omitted, or misspelt) unit -> ``AGAIN``: a number is never a
       near miss of another number. If the units are unrelated as well, the
       "number" was probably a misspelt word ("one hundered" = 1 + "hundered")
       and the texts are compared as below;
    3. equal after also ignoring inner punctuation and spaces ("U.S.A." vs
       "USA", "ice-cream" vs "ice cream") -> ``GOOD``;
    4. a near miss -> ``HARD``: Damerau-Levenshtein distance at most
       ``max(1, len(expected) // 5)`` and normalised similarity >= 0.8, unless
       the numbers in the two texts differ (digits, roman numerals such as
       "XIV" in the expected answer, number words), so "Apollo 12" is not a
       near miss of "Apollo 11";
    5. otherwise ``AGAIN``.

    The best result over all alternatives wins (GOOD, then the closest HARD).

Choice, true/false and order answers are graded exactly.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

__all__ = [
    "RATING_NAMES",
    "DiffSpan",
    "Grade",
    "Rating",
    "diff",
    "grade_choice",
    "grade_order",
    "grade_true_false",
    "grade_typed",
    "normalize",
    "parse_number",
]


class Rating(IntEnum):
    """Suggested review rating; same values as ``fsrs.Rating`` so it converts 1:1."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


RATING_NAMES = {
    Rating.AGAIN: "Again",
    Rating.HARD: "Hard",
    Rating.GOOD: "Good",
    Rating.EASY: "Easy",
}
"""The ratings as the buttons, the history and plain mode name them."""


@dataclass(frozen=True, slots=True)
class DiffSpan:
    """One run of a character diff between the given and the expected answer."""

    op: Literal["equal", "insert", "delete", "replace"]
    given: str  # text from the given answer ("" for insert)
    expected: str  # text from the expected answer ("" for delete)


@dataclass(frozen=True, slots=True)
class Grade:
    """The outcome of grading one answer, ready for display."""

    rating: Rating  # suggested rating
    correct: bool  # True for GOOD/HARD (a near miss counts as correct)
    expected: str  # the canonical expected answer for display
    given: str  # what the learner gave (display form)
    diff: tuple[DiffSpan, ...] = ()  # typed near misses/wrong: given vs expected
    matched: str | None = None  # which accepted alternative matched, if any
    message: str = ""  # short human text


MSG_CORRECT = "Correct"
MSG_ALMOST = "Almost: check the spelling"
MSG_WRONG = "Wrong"
MSG_EMPTY = "No answer"

# Near-miss thresholds (see module docstring).
_MIN_SIMILARITY = 0.8
_CHARS_PER_EDIT = 5

# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

# Characters that are "the same" for a learner but that NFKD leaves alone:
# curly quotes and primes, dashes, the minus sign, the fraction slash (from
# "½"), and a few Latin letters without a decomposition.
_CHARMAP = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u2032`\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u2044": "/",
        **dict(zip("øØłŁđĐħĦıðÐŧŦ", "oOlLdDhHidDtT", strict=True)),
        **{"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH"},
    }
)

# Punctuation that carries meaning at the edge of an answer ("C#", "50%").
_KEEP_AT_EDGE = frozenset("#%‰‱&@*/\\†‡§¶")
# Punctuation that survives the loose comparison ("C#" != "C").
_KEEP_LOOSE = frozenset("#%‰‱&@")
_BRACKETS = {"(": ")", "[": "]", "{": "}", "⟨": "⟩", "「": "」", "『": "』", "【": "】"}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}
_ARTICLES = frozenset({"the", "a", "an"})


def _strips_accents_of(base: str) -> bool:
    """Accents are dropped only on Latin, Greek and Cyrillic letters.

    Combining marks in e.g. Devanagari or Thai are vowels, not accents;
    dropping them would make different words equal.
    """
    o = ord(base)
    return o < 0x0530 or 0x1E00 <= o < 0x2000


def _is_optional_point(ch: str) -> bool:
    """Hebrew and Arabic vowel points, usually omitted when typing."""
    o = ord(ch)
    return 0x0591 <= o <= 0x05C7 or 0x064B <= o <= 0x065F or o == 0x0670


def _fold(text: str) -> str:
    """Casefold, map look-alike characters and drop accents; keep everything else."""
    text = unicodedata.normalize("NFKD", text.translate(_CHARMAP).casefold())
    out: list[str] = []
    base = ""
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Mn":
            if (base and _strips_accents_of(base)) or _is_optional_point(ch):
                continue
            out.append(ch)
        elif cat == "Cf" or (cat == "Cc" and not ch.isspace()):
            continue
        else:
            base = ch
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out).translate(_CHARMAP))


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def _closes_first(text: str) -> bool:
    """True if the bracket opening ``text`` is closed by its last character."""
    opener = text[0]
    closer = _BRACKETS[opener]
    if text[-1] != closer:
        return False
    depth = 0
    for i, ch in enumerate(text):
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return i == len(text) - 1
    return False


def _strip_edges(text: str) -> str:
    """Strip surrounding whitespace and punctuation, keeping meaningful bits.

    Kept: a sign or decimal point starting a number ("-5", ".5"), symbols such
    as "#" and "%", and brackets that are part of the answer ("f(x)").
    Enclosing or unbalanced brackets are removed ("(Paris)" -> "Paris").
    """
    while True:
        before = text
        text = _unbracket(_strip_tail(_strip_head(text.strip())).strip())
        if text == before:
            return text


def _kept_at_edge(ch: str) -> bool:
    return ch in _KEEP_AT_EDGE or ch in _BRACKETS or ch in _CLOSERS


def _strip_head(text: str) -> str:
    """Leading punctuation off, but a sign or point that starts a number stays ("-5", ".5")."""
    while text and _is_punct(text[0]) and not _kept_at_edge(text[0]):
        ch, rest = text[0], text[1:]
        if ch == "-" and (rest[:1].isdigit() or (rest[:1] == "." and rest[1:2].isdigit())):
            break
        if ch == "." and rest[:1].isdigit():
            break
        text = rest
    return text


def _strip_tail(text: str) -> str:
    while text and _is_punct(text[-1]) and not _kept_at_edge(text[-1]):
        text = text[:-1]
    return text


def _unbracket(text: str) -> str:
    """Enclosing brackets off ("(Paris)"), and a bracket left unbalanced at either end."""
    if text and text[0] in _BRACKETS:
        if _closes_first(text):
            text = text[1:-1]
        elif _BRACKETS[text[0]] not in text:
            text = text[1:]
    if text and text[-1] in _CLOSERS and _CLOSERS[text[-1]] not in text:
        text = text[:-1]
    return text


def _drop_articles(text: str) -> str:
    """Drop leading "the"/"a"/"an", but never the whole answer (vitamin "A")."""
    words = text.split(" ")
    while len(words) >= 2 and words[0] in _ARTICLES:
        words.pop(0)
    return " ".join(words)


def _normalize_once(text: str) -> str:
    text = " ".join(_fold(text).split())
    return _drop_articles(_strip_edges(text))


def normalize(text: str) -> str:
    """Return the comparison form of an answer.

    Casefolds, maps curly quotes/dashes to ASCII, removes accents (NFKD, drop
    combining marks on Latin/Greek/Cyrillic letters), collapses whitespace,
    strips surrounding punctuation and leading English articles. Applied until
    it stops changing, so ``normalize`` is idempotent.
    """
    for _ in range(16):
        new = _normalize_once(text)
        if new == text:
            break
        text = new
    return text


def _loose(norm: str) -> str:
    """Normalised text without inner punctuation and spaces ("u.s.a" -> "usa").

    Punctuation and spaces between two digits are kept so "1.5" != "15".
    """
    out: list[str] = []
    for i, ch in enumerate(norm):
        if (ch.isspace() or _is_punct(ch)) and ch not in _KEEP_LOOSE:
            prev = norm[i - 1] if i else ""
            nxt = norm[i + 1] if i + 1 < len(norm) else ""
            if not (prev.isdigit() and nxt.isdigit()):
                continue
        out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------

_NUM = r"""
    [+-]?
    (?:
        (?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:\ \d{3})+|\d+)(?:\.\d+)?
        | \.\d+
    )
    (?:e[+-]?\d+)?
"""
_NUM_RE = re.compile(_NUM, re.VERBOSE)
_FRACTION_RE = re.compile(r"([+-]?\d+)\s*/\s*(\d+)")

_SMALL = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    word: 10 * (i + 2)
    for i, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER_WORDS = frozenset({*_SMALL, *_TENS, *_SCALES, "hundred"})
# Whitespace, or a hyphen between letters ("twenty-one"; "-2" keeps its sign).
_WORD_SPLIT_RE = re.compile(r"\s+|(?<=[^\W\d_])-(?=[^\W\d_])")


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _parse_digits(text: str) -> float | None:
    """Parse "1,000", "1 000", "-2.5", ".5", "1e6" or "1/2" (the whole text)."""
    if _NUM_RE.fullmatch(text):
        return _finite(float(text.replace(",", "").replace(" ", "")))
    m = _FRACTION_RE.fullmatch(text)
    if m:
        denominator = float(m.group(2))
        if denominator == 0:
            return None
        return _finite(float(m.group(1)) / denominator)
    return None


def _parse_words(text: str) -> float | None:
    """Parse English number words: "twenty-one", "one hundred and five", "2 million".

    A small state machine so that nonsense like "nineteen eighty" or
    "five five" is rejected instead of being summed.
    """
    tokens = [t for t in _WORD_SPLIT_RE.split(text) if t]
    sign = 1.0
    if tokens and tokens[0] in ("minus", "negative"):
        sign = -1.0
        tokens = tokens[1:]
    fraction = 0.0
    if "point" in tokens:
        i = tokens.index("point")
        digits = tokens[i + 1 :]
        if not digits or any(_SMALL.get(d, 10) > 9 for d in digits):
            return None
        fraction = float("0." + "".join(str(_SMALL[d]) for d in digits))
        tokens = tokens[:i]
        if not tokens:
            return sign * fraction
    if not tokens:
        return None
    if tokens == ["zero"]:
        return sign * fraction

    total = 0.0
    chunk = 0.0
    state = "start"  # start|unit|teen|tens|tens_unit|hundred|and|scale|numeric
    last_scale = math.inf
    for i, tok in enumerate(tokens):
        if tok == "and":
            if state not in ("hundred", "scale") or i == len(tokens) - 1:
                return None
            state = "and"
        elif tok in _SMALL and tok != "zero":
            value = _SMALL[tok]
            if state in ("start", "hundred", "and", "scale"):
                state = "unit" if value < 10 else "teen"
            elif state == "tens" and value < 10:
                state = "tens_unit"
            else:
                return None
            chunk += value
        elif tok in _TENS:
            if state not in ("start", "hundred", "and", "scale"):
                return None
            chunk += _TENS[tok]
            state = "tens"
        elif tok == "hundred":
            if state == "start":
                chunk = 100.0
            elif state in ("unit", "teen", "tens", "tens_unit", "numeric"):
                chunk *= 100
            else:
                return None
            state = "hundred"
        elif tok in _SCALES:
            scale = _SCALES[tok]
            if scale >= last_scale or state in ("and", "scale"):
                return None
            if state == "start":
                chunk = 1.0
            total += chunk * scale
            chunk = 0.0
            last_scale = scale
            state = "scale"
        elif state == "start" and _NUM_RE.fullmatch(tok):
            chunk = float(tok.replace(",", ""))
            state = "numeric"
        else:
            return None
    if state in ("start", "and") or (state == "numeric" and len(tokens) > 1):
        return None
    return _finite(sign * (total + chunk + fraction))


def parse_number(text: str) -> float | None:
    """Return the value of an answer that is *entirely* a number, else None.

    Accepts digits ("100", "100.0", "1,000", "1 000", "-5", "1e3", "1/2",
    "½") and English words up to trillions ("twenty-one", "one hundred and
    five", "a hundred", "two thousand", "1.5 million", "three point one four").
    "100 tons" is not a number here; units are handled by :func:`grade_typed`,
    which lets the learner omit a unit that the expected answer has.
    """
    norm = normalize(text)
    value = _parse_digits(norm)
    return value if value is not None else _parse_words(norm)


_LEADING_NUM_RE = re.compile(rf"(?:{_NUM})(?![\d,])", re.VERBOSE)
_UNIT_ALIASES = {"percent": "%", "percentage": "%"}


def _unit_key(unit: str) -> str:
    key = _loose(unit)
    return _UNIT_ALIASES.get(key, key)


def _quantity(norm: str) -> tuple[float, str] | None:
    """Split a normalised answer into (value, unit key), e.g. "$100 m" -> (100, "$m").

    The number must come first (after an optional currency sign); the rest is
    the unit, compared without spaces and punctuation.
    """
    prefix = ""
    if norm and unicodedata.category(norm[0]) == "Sc":
        prefix, norm = norm[0], norm[1:].lstrip()
    if not norm:
        return None
    value = _parse_digits(norm)
    if value is not None:
        return value, prefix
    m = _FRACTION_RE.match(norm) or _LEADING_NUM_RE.match(norm)
    if m:
        value = _parse_digits(m.group(0).strip())
        rest = norm[m.end() :]
        next_word = rest.split(" ", 2)[1] if rest.startswith(" ") else ""
        # "2 million people" is 2e6 people: leave it to the word parser below.
        if value is not None and next_word not in _SCALES and next_word != "hundred":
            return value, prefix + _unit_key(rest)
    words = norm.split(" ")
    for end in range(min(len(words), 12), 0, -1):
        value = _parse_words(" ".join(words[:end]))
        if value is not None:
            return value, prefix + _unit_key(" ".join(words[end:]))
    return None


def _same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)


def _same_unit(given: str, expected: str) -> bool:
    """Units match if equal, omitted by the learner, or differ only by a plural "s"."""
    if given in ("", expected):
        return True
    short, long_ = sorted((given, expected), key=len)
    return len(short) >= 3 and long_ == short + "s"


# --------------------------------------------------------------------------
# Near misses
# --------------------------------------------------------------------------

_WORD_OR_NUMBER_RE = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*")
_ROMAN_RE = re.compile(r"m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")


def _is_roman(token: str) -> bool:
    return bool(token) and _ROMAN_RE.fullmatch(token) is not None


def _expected_romans(expected_raw: str) -> list[str]:
    """Roman numerals in the expected answer, recognised by being upper case ("XIV")."""
    return [
        t.casefold()
        for t in re.findall(r"[^\W\d_]+", expected_raw)
        if t.isupper() and _is_roman(t.casefold())
    ]


def _numbers_agree(given: str, expected: str, expected_raw: str) -> bool:
    """False when the texts name different numbers, which rules out a near miss."""
    g_tokens = _WORD_OR_NUMBER_RE.findall(given)
    e_tokens = _WORD_OR_NUMBER_RE.findall(expected)
    g_digits = [t.replace(",", "") for t in g_tokens if t[0].isdigit()]
    e_digits = [t.replace(",", "") for t in e_tokens if t[0].isdigit()]
    if g_digits != e_digits:
        return False
    romans = _expected_romans(expected_raw)
    if romans and [t for t in g_tokens if _is_roman(t)] != romans:
        return False
    # A number word the expected answer lacks ("maroon nine" for "Maroon Five")
    # rules a near miss out; a missing, misspelt one ("one hundered") does not.
    e_words = {t for t in e_tokens if t in _NUMBER_WORDS}
    return all(t in e_words for t in g_tokens if t in _NUMBER_WORDS)


def _near_miss(given: str, expected: str, expected_raw: str) -> int | None:
    """Edit distance if ``given`` is a near miss of ``expected``, else None."""
    if not given or not expected or not _numbers_agree(given, expected, expected_raw):
        return None
    best: int | None = None
    for g, e in ((given, expected), (_loose(given), _loose(expected))):
        if not g or not e:
            continue
        dist = DamerauLevenshtein.distance(g, e)
        similarity = 1.0 - dist / max(len(g), len(e))
        allowed = max(1, len(e) // _CHARS_PER_EDIT)
        if dist <= allowed and similarity >= _MIN_SIMILARITY and (best is None or dist < best):
            best = dist
    return best


# --------------------------------------------------------------------------
# Diff
# --------------------------------------------------------------------------


_LONG_DIFF = 1000  # total characters above which diff() uses rapidfuzz

_OPS: dict[str, Literal["equal", "insert", "delete", "replace"]] = {
    "equal": "equal",
    "insert": "insert",
    "delete": "delete",
    "replace": "replace",
}


def _char_key(ch: str) -> str:
    """Comparison key of one character: "É" and "e", "’" and "'" are the same."""
    return _fold(ch) or ch


def diff(given: str, expected: str) -> tuple[DiffSpan, ...]:
    """Character-level diff of ``given`` against ``expected``.

    Characters are compared ignoring case, accents and quote style, so only
    real spelling differences are marked; the spans still carry the original
    text, and joining the ``given`` (``expected``) parts restores the NFC form
    of ``given`` (``expected``). Uses ``difflib.SequenceMatcher``, whose
    longest-common-run alignment reads better than a minimal edit script, and
    rapidfuzz's Levenshtein opcodes for very long texts.
    """
    given = unicodedata.normalize("NFC", given)
    expected = unicodedata.normalize("NFC", expected)
    g_keys = [_char_key(c) for c in given]
    e_keys = [_char_key(c) for c in expected]
    opcodes: list[tuple[str, int, int, int, int]]
    if len(g_keys) + len(e_keys) <= _LONG_DIFF:
        matcher = difflib.SequenceMatcher(None, g_keys, e_keys, autojunk=False)
        opcodes = list(matcher.get_opcodes())
    else:  # SequenceMatcher is quadratic on repetitive text; rapidfuzz is not.
        opcodes = [
            (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Levenshtein.opcodes(g_keys, e_keys)
        ]
    spans: list[DiffSpan] = []
    for tag, g1, g2, e1, e2 in opcodes:
        spans.append(DiffSpan(_OPS[tag], given[g1:g2], expected[e1:e2]))
    return tuple(spans)


# --------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------


def _display(text: str) -> str:
    """What to show for an answer: NFC with whitespace collapsed, otherwise as typed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _grade_against(given_norm: str, given_raw: str, candidate: str) -> tuple[Rating, int]:
    """Rate the given answer against one accepted answer; returns (rating, distance)."""
    expected = normalize(candidate)
    if not expected:
        # An answer made only of punctuation ("?"): compare it as written.
        same = _display(given_raw) == _display(candidate)
        return (Rating.GOOD, 0) if same else (Rating.AGAIN, 0)
    if not given_norm:
        return Rating.AGAIN, 0
    if given_norm == expected:
        return Rating.GOOD, 0
    g_qty, e_qty = _quantity(given_norm), _quantity(expected)
    if g_qty is not None and e_qty is not None:
        same_unit = _same_unit(g_qty[1], e_qty[1])
        unit_dist = None if same_unit else _near_miss(g_qty[1], e_qty[1], candidate)
        if _same_value(g_qty[0], e_qty[0]):
            if same_unit:
                return Rating.GOOD, 0
            return (Rating.HARD, unit_dist) if unit_dist is not None else (Rating.AGAIN, 0)
        if same_unit or unit_dist is not None:
            return Rating.AGAIN, 0  # a different number: never a near miss
        # Units unrelated too: the given number was probably a misread word
        # ("one hundered" parses as 1 + "hundered"), so compare as text.
    if _loose(given_norm) == _loose(expected):
        return Rating.GOOD, 0
    dist = _near_miss(given_norm, expected, candidate)
    return (Rating.HARD, dist) if dist is not None else (Rating.AGAIN, 0)


def grade_typed(given: str, answer: str, accept: Sequence[str] = ()) -> Grade:
    """Grade a typed answer against ``answer`` and its accepted alternatives.

    See the module docstring for the rules. ``expected`` is always the
    canonical ``answer``; ``matched`` is the alternative (possibly ``answer``
    itself) that earned GOOD or HARD. The diff of a near miss is against the
    matched alternative, that of a wrong answer against ``answer``.
    """
    shown_given = _display(given)
    expected = _display(answer)
    given_norm = normalize(given)
    candidates = [answer, *(a for a in accept if a != answer)]

    best: tuple[Rating, int, str] | None = None
    for candidate in candidates:
        rating, dist = _grade_against(given_norm, given, candidate)
        if rating == Rating.GOOD:
            return Grade(Rating.GOOD, True, expected, shown_given, (), candidate, MSG_CORRECT)
        if rating == Rating.HARD and (best is None or dist < best[1]):
            best = (rating, dist, candidate)

    if best is not None:
        matched = best[2]
        spans = diff(shown_given, _display(matched))
        return Grade(Rating.HARD, True, expected, shown_given, spans, matched, MSG_ALMOST)
    message = MSG_WRONG if given_norm else MSG_EMPTY  # "", "  " and "?" are no answer
    return Grade(
        Rating.AGAIN, False, expected, shown_given, diff(shown_given, expected), None, message
    )


def _exact(correct: bool, expected: str, given: str) -> Grade:
    if correct:
        return Grade(Rating.GOOD, True, expected, given, (), None, MSG_CORRECT)
    return Grade(Rating.AGAIN, False, expected, given, (), None, MSG_WRONG if given else MSG_EMPTY)


def _listing(items: Iterable[str]) -> list[str]:
    """Keep the caller's order for sequences; sort sets so the display is stable."""
    return list(items) if isinstance(items, Sequence) else sorted(items)


def grade_choice(chosen: Collection[str], correct: Collection[str]) -> Grade:
    """Grade a (multi-answer) choice: the chosen set must equal the correct set.

    Options are compared as given (they come from the deck, not from typing),
    so no normalisation is applied. Partial selections are wrong.
    """
    return _exact(
        set(chosen) == set(correct),
        ", ".join(_listing(correct)),
        ", ".join(_listing(chosen)),
    )


def grade_true_false(given: bool, truth: bool) -> Grade:
    """Grade a true/false answer."""
    return _exact(given == truth, str(truth), str(given))


def grade_order(given: Sequence[str], correct: Sequence[str]) -> Grade:
    """Grade an ordering: every item must be in its correct position."""
    return _exact(list(given) == list(correct), " → ".join(correct), " → ".join(given))
