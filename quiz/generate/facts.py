"""The facts a sentence holds that a card can ask for: dates, numbers with their units, code
tokens, definitions and causes. Each is a span of the sentence, so an answer is always the
text's own words."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from quiz.generate.text import SENTENCE_CACHE, Span
from quiz.generate.words import (
    DAYS,
    MONTHS,
    NOT_NAMES,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    UNIT_STOP,
    wordset,
)

_PER_SENTENCE_NUMBERS = 3


_CODE = re.compile(
    r"(?<![\w-])(?:--?[A-Za-z][\w-]*[\w]|-[A-Za-z]|[A-Za-z_][\w.]*\(\)|[A-Z][A-Z0-9]*_[A-Z0-9_]+"
    r"|(?:[A-Za-z]\w*\.)*[a-z][a-z0-9]*_\w*[a-z0-9](?:\.[a-z_]\w*)*)"
    r"(?![\w(])"
)
"""A token of code in prose: an option (``-L``, ``--max-redirs``), a call (``sorted()``,
``list.sort()``), a constant (``CURLOPT_POSTREDIR``) or a snake_case name, dotted or not
(``functools.cmp_to_key``): prose has no words with underscores."""


_TERM = r"(?:[A-Z][\w.+#-]*(?: [A-Z][\w.+#-]*){0,3}|[a-z][\w-]*(?:\.[a-z][\w-]*)+(?:\(\))?)"


DEFINES = re.compile(rf"(?P<term>{_TERM}) (?:is|was) (?P<meaning>(?:a|an|the) [^;:]+)")
"""A sentence that says what a term is: "crates.io is a central package repository ..."."""


APPOSITION = re.compile(rf"(?P<term>{_TERM}), (?P<meaning>the [^,;:]+), ")
"""A term glossed as it is introduced: "Cargo, the Rust package manager and build system, ..."."""


KNOWN_AS = re.compile(
    r"\b(?:known(?: today)? as|also called|is called|are called) (?:the )?"
    r"(?P<name>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3})"
)


NOT_TERMS = wordset(
    "it this that these those there here he she they we you i what which who one some all each"
    " both another other such a an the however finally additionally moreover meanwhile also"
    " then today yesterday first second third furthermore nonetheless instead still thus"
    " therefore indeed besides otherwise likewise overall"
)


_DEFINITION_WORDS = 14


BECAUSE = re.compile(
    r"\b(?:because(?: of)?|due to|owing to|in (?:response|reply) to|as a result of|thanks to"
    r"|in (?:the )?light of|in view of|on account of|for (?:lack|fear|want) of"
    r"|in retaliation for|in protest (?:at|against|over)|in order to|so as to"
    r"|needed (?:the )?(?:money|funds|cash|funding|loans?|revenue) to) "
    r"(?P<cause>[^,;:.!?()\"“”]+)"
)


CAUSE_WORDS = 10


def clause_starts(text: str) -> list[int]:
    """Where a clause starts after a dash or a semicolon ("... comes in -- crates.io is ...")."""
    return [m.end() for m in re.finditer(r"(?:\s--?\s|\s—\s?|;\s)", text)]


def definition(text: str) -> str:
    """The gloss of a definition up to its first clause break, or "" when it is too vague or
    too long to be a card's back."""
    gloss = re.split(r",| which | that | who | where |\.\s|\.$", text.strip(), maxsplit=1)[0]
    words = gloss.split()
    if not 3 <= len(words) <= _DEFINITION_WORDS:
        return ""
    return gloss.strip()


_DASHED_WORDS = wordset("the a an and or but which that this it is was who with to of in")
"""``--the``: a dash written as two hyphens before a word, not an option."""


CODE_NOUNS = wordset(
    "parameter argument module option flag attribute header keyword method function command"
    " variable field package"
)
_NAMED_CODE = re.compile(
    r"\b(?i:the|a|an|its|their|this) (?P<tok>[A-Za-z_][\w.-]*[\w]) (?P<noun>"
    + "|".join(sorted(CODE_NOUNS))
    + r")s?\b"
)
"""A name a technical text gives its thing: "the key parameter", "The operator module",
"a Location header"."""
_GENERIC = wordset(
    "same new first last following default other second built-in builtin main optional given"
    " single simple special previous next whole original entire custom helper above below"
    " comparison sort sorting key-function"
)


_PROGRAMS = wordset(
    "git curl wget pip pipx npm npx yarn docker podman kubectl python python3 cargo rustup rustc"
    " brew apt apt-get dnf yum ssh scp rsync make cmake gcc clang go java node ls cd cp mv rm"
    " mkdir grep sed awk tar unzip chmod chown sudo systemctl journalctl psql sqlite3 conda"
)
_COMMAND = re.compile(
    r"(?<![\w./-])(?P<cmd>(?:" + "|".join(sorted(_PROGRAMS, key=len, reverse=True)) + r")"
    r"(?: (?:--?[\w-]+(?:=\S+)?|[a-z][\w.:/=-]*|<[\w-]+>|\S*[/.]\S*)){1,5})"
)
"""A command line written in prose: "git checkout -b feature", "curl -L https://...". Its
words run until an English word that is no argument ("... -b feature to start it")."""
_PROSE = wordset(
    "to and or the a an for with if when that this then so but as in on at of from by is are"
    " was were be will would can could should may might it its you your we our they their"
    " which who what where how also again first now instead command commands option options"
)


_SUBCOMMANDS = wordset(
    "install uninstall checkout switch commit push pull clone init status log diff merge rebase"
    " branch add rm fetch stash tag run build test publish start stop exec update upgrade"
    " remove list show new config"
)


def _commands(text: str) -> list[Span]:
    found = []
    for m in _COMMAND.finditer(text):
        words = m.group("cmd").split(" ")
        kept = [words[0]]
        for w in words[1:]:
            if w.lower().strip(",.;:") in _PROSE:
                break
            kept.append(w)
        command = " ".join(kept).rstrip(",.;:)")
        args = [w.rstrip(",.;:)") for w in kept[1:]]
        codeish = any(w.startswith("-") or re.search(r"[/.:=<]", w) for w in args)
        if codeish or (len(kept) >= 2 and kept[1] in _SUBCOMMANDS):  # not "go look over here"
            found.append(Span(m.start("cmd"), m.start("cmd") + len(command), command))
    return found


def code_spans(text: str) -> list[Span]:
    """Command lines, code tokens (options, calls, constants) and the names of parameters,
    modules and headers, in text order; a command takes in the options inside it."""
    found = _commands(text)
    for m in _CODE.finditer(text):
        inside = any(s.start <= m.start() and m.end() <= s.end for s in found)
        if not inside and m.group().lstrip("-").lower() not in _DASHED_WORDS:
            found.append(Span(m.start(), m.end(), m.group()))
    for m in _NAMED_CODE.finditer(text):
        token = m.group("tok")
        taken = any(s.start < m.end("tok") and m.start("tok") < s.end for s in found)
        if taken or token.lower() in _GENERIC | _LIST_STOP or len(token) < 3:
            continue
        found.append(Span(m.start("tok"), m.end("tok"), token))
    return sorted(found, key=lambda s: s.start)


_MONTH_NAMES = "|".join(sorted(MONTHS))
_CLOCK = r"\s*(?:UTC|GMT|Z|[ECMP][SD]T|CES?T|BST|hrs?|hours)\b"
"""After four digits, a time of day ("1719 UTC", "0600 hours"), not a year."""
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH_NAMES})(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTH_NAMES})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?\b)?(?:,?\s+\d{{4}})?"
    rf"|(?:{'|'.join(sorted(DAYS))})"
    r"|(?:1[5-9]|20)\d{2}(?![\d%-]|[,.]\d|\s*(?:percent|per\s+cent)|\s+(?:[a-z]+s|[a-z]*(?:children|people|men|women|staff))\b|"
    + _CLOCK
    + r"))\b"
)

_MONTH_YEAR = re.compile(rf"(?:{_MONTH_NAMES}),?\s+\d{{4}}")


@lru_cache(maxsize=SENTENCE_CACHE)
def date_spans(text: str) -> tuple[tuple[Span, str], ...]:
    """Dates and days with a hint for their cloze: day, month, date or year."""
    found: list[tuple[Span, str]] = []
    for m in _DATE.finditer(text):
        value = m.group()
        if value in DAYS:
            hint = "day"
        elif value.isdigit():
            hint = "year"
        elif re.search(r"\d", value) and not re.fullmatch(
            rf"(?:{_MONTH_NAMES}),?\s+\d{{4}}", value
        ):
            hint = "date"
        else:
            hint = "month"
        if value == "May" and not re.match(r"\s+\d", text[m.end() :]):
            continue  # "May" alone is as likely a verb at the start of a sentence
        found.append((Span(m.start(), m.end(), value), hint))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class _Number:
    span: Span  # what the learner supplies
    unit: str  # unit key: numbers of one unit are each other's distractors
    accept: tuple[str, ...]


_NUMERAL = re.compile(
    r"(?<![\w.,/-])(?P<cur>[$€£¥])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<ord>st|nd|rd|th)?(?P<mult>\s(?:million|billion|trillion|thousand))?(?![\w,.]\d)"
    r"(?P<pct>\s?%|\s(?:percent|per\scent)\b)?"
)


_SCORE = re.compile(
    r"(?<![\w.-])(?<!aged )(?<!ages )\d{1,2}[-–]\d{1,2}(?![\w.-]?\d)"
    r"(?!\s*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|per ?cent|percent|%)\b)"
)
"""A result ("won 2–1"); a range of ages or of a unit ("aged 8–10 years") is none."""


_WORD_NUMBER = re.compile(
    r"\b(?:(?P<w>" + "|".join(NUMBER_WORDS) + r")\s+(?P<unit>[a-z][a-z-]+)|twice|"
    r"(?P<t>" + "|".join(NUMBER_WORDS) + r")\s+times)\b"
)


_ORDINAL_WORD = re.compile(
    r"\b(?:his|her|their|its) (?P<o>" + "|".join(ORDINAL_WORDS) + r")\b(?!-)"
)
"""An ordinal after whose it is ("his fifth at the track"); after "the" it is seldom the
fact ("the third child")."""


def _ordinal_word(m: re.Match[str]) -> _Number:
    word = m.group("o")
    n = ORDINAL_WORDS[word.lower()]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return _Number(Span(m.start("o"), m.end("o"), word), "", (f"{n}{suffix}", str(n)))


_SMALL = {v: k for k, v in NUMBER_WORDS.items() if v <= 12 and k != "dozen"}


_DEFINITE = wordset("the these those all both its their")


def _unit_after(text: str, pos: int) -> str:
    m = re.match(r"[\s-]((?:cubic|square)\s)?([a-z][a-z-]*)", text[pos:])
    if not m or m.group(2) in UNIT_STOP or m.group(2).endswith("ed"):
        return ""
    return (m.group(1) or "") + m.group(2)


def _unit_key(unit: str) -> str:
    return unit.removesuffix("s") if len(unit) > 3 else unit


_DATA = re.compile(
    r"[(\[][^()\[\]]*['\"][^()\[\]]*[)\]]|>>>.*|\b\d{1,2}:\d{2}(?::\d{2})?\b"
    r"|\b\d{4}(?=" + _CLOCK + ")"
)
"""Values in code (a tuple or list with quoted strings, an interpreter line) and clock
times ("22:30", "1719 UTC"), which are no quantity to split."""


def find_numbers(text: str, blocked: list[Span]) -> list[_Number]:
    """Quantities, counts, scores and ordinals ("100 tons", "twice", "3-2", "58th minute")."""
    found: list[_Number] = []
    taken = list(blocked)
    finders: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], _Number | None]], ...] = (
        (_SCORE, lambda m: _Number(Span(m.start(), m.end(), m.group()), "score", ())),
        (_NUMERAL, lambda m: None if _not_quantity(text, m) else _numeral(text, m)),
        (_WORD_NUMBER, lambda m: _word_number(text, m)),
        (_ORDINAL_WORD, lambda m: _ordinal_word(m)),
    )
    data = [Span(m.start(), m.end(), "") for m in _DATA.finditer(text)]
    for pattern, make in finders:
        for m in pattern.finditer(text):
            if any(b.start < m.end() and m.start() < b.end for b in taken + data):
                continue
            if (number := make(m)) is not None:
                found.append(number)
                taken.append(number.span)
    return sorted(found, key=lambda n: n.span.start)[:_PER_SENTENCE_NUMBERS]


def _not_quantity(text: str, m: re.Match[str]) -> bool:
    """An age, a number in a name, or a label ("posts 542 and 543", "lap 140"): no quantity."""
    return _is_age(text, m) or _in_name(text, m) or _is_label(text, m) or _in_range(text, m)


def _in_range(text: str, m: re.Match[str]) -> bool:
    """One end of a range ("aged 8–10 years"): a gap for it would leave the other end as a
    clue and ask half a fact."""
    return bool(
        re.match(r"\s?[–-]\s?\d", text[m.end() :])
        or re.search(r"\d\s?[–-]\s?$", text[max(0, m.start() - 4) : m.start()])
    )


_LABEL_BEFORE = re.compile(r"\b([a-z]+) (?:\d+(?:, \d+)*,? (?:and|or) )?$")
"""The noun a label follows, also for the next labels of a list ("posts 542 and 543")."""


def _is_label(text: str, m: re.Match[str]) -> bool:
    """A bare number right after a noun ("posts 542", "lap 140", "route 66") labels a thing."""
    if m.group("cur") or m.group("pct") or m.group("ord") or m.group("mult"):
        return False
    if re.search(r"(?:\b[Nn]o\.|\b[Nn]um\.|#)\s?$", text[max(0, m.start() - 6) : m.start()]):
        return True  # "Holland Lodge No. 8", "issue #12": a number that names
    before = _LABEL_BEFORE.search(text, 0, m.start())
    if before is None or before.group(1) in NOT_NAMES or before.group(1).endswith(("ed", "ing")):
        return False
    return bool(_LABEL_AFTER.match(text, m.end()))


_LABEL_AFTER = re.compile(r"\s*(?:$|[,.;:)\"”’]|(?:and|or|to)\b)")
"""What follows a label: nothing more about it ("posts 542 and 543", not "lose 15 IQ points")."""


_AGE = re.compile(r"[A-Z][\w'’-]+, $")


def _is_age(text: str, m: re.Match[str]) -> bool:
    """ "Kwame Mensah, 19, curled ...": a person's age in commas, seldom what a text teaches."""
    return (
        m.group("num").isdigit()
        and len(m.group("num")) <= 2
        and text[m.end() : m.end() + 1] == ","
        and bool(_AGE.search(text, 0, m.start()))
    )


_NAME_BEFORE = re.compile(r"(?:^|(?<=\S) )([A-Z][\w'’-]*)[™®]? $")


def _in_name(text: str, m: re.Match[str]) -> bool:
    """ "the Brickyard 400", "Rust 1.0", "Apollo 11": a number that is part of a name (right
    after a capitalised word that is not a common one)."""
    if m.group("cur") or m.group("pct") or m.group("ord"):
        return False
    before = _NAME_BEFORE.search(text, 0, m.start())
    if before is None or before.group(1) in MONTHS:
        return False
    word = before.group(1)
    if before.start(1) == 0 and (word.lower() in NOT_NAMES or word.endswith("ly")):
        return False  # "About 40 ...", "Nearly 300 ..." open a sentence
    return word.lower() not in NOT_NAMES  # "the Brickyard 400 victory", not "Over 300 people"


def _numeral(text: str, m: re.Match[str]) -> _Number:
    """A number written in digits, with its currency, multiplier, percent or unit."""
    num = m.group("num")
    start = m.start() if m.group("cur") and not m.group("pct") else m.start("num")
    if m.group("pct"):
        end, unit = m.end("num"), "percent"
    elif m.group("ord"):
        end, unit = m.end("ord"), "ordinal " + _unit_after(text, m.end())
    else:
        end = m.end("mult") if m.group("mult") else m.end()
        unit = (m.group("cur") or "") + _unit_after(text, m.end())
    plain = num.replace(",", "")
    accept = [plain] if plain != num else []
    if m.group("ord"):
        accept.append(num)
    elif plain.isdigit() and int(plain) in _SMALL:
        accept.append(_SMALL[int(plain)])
    return _Number(Span(start, end, text[start:end]), _unit_key(unit), tuple(accept))


def _word_number(text: str, m: re.Match[str]) -> _Number | None:
    """A number written in words: "twice", "three times", "forty miles" (not "the two men")."""
    if m.group() == "twice":
        return _Number(Span(m.start(), m.end(), "twice"), "time", ("two times", "2"))
    word = m.group("t") or m.group("w")
    span = Span(m.start(), m.start() + len(word), word)
    if m.group("t"):
        return _Number(span, "time", (str(NUMBER_WORDS[word]),))
    before = text[: m.start()].split()[-1:] or [""]
    unit = m.group("unit")
    if before[0].lower() in _DEFINITE or unit in UNIT_STOP or not unit.endswith("s"):
        return None
    return _Number(span, _unit_key(unit), (str(NUMBER_WORDS[word]),))


_NAME_ITEM = r"[A-Z][\w'’.&-]*(?: (?:of |de |the )?[A-Z][\w'’.&-]*){0,3}"
_WORD_ITEM = r"[a-z][a-z-]{2,}"
_ANY_ITEM = rf"(?:{_NAME_ITEM}|{_WORD_ITEM})"
_LIST = re.compile(
    rf"(?<![\w-])(?P<list>{_ANY_ITEM}(?:, {_ANY_ITEM}){{1,4}},? (?:and|or) {_ANY_ITEM})"
    r"(?P<after> [\w’']+|[^\w]|$)"
)
"""Three to six items: a longer list (a results table in prose) is no card to learn."""
_LIST_ENDS = wordset(
    "in at for with from to were are was is that which as on by of under over during and who"
    " will would have has had could can"
)
"""Words that may follow a list's last item: the item ended there ("... and soybean in ...");
any other word may continue it ("floods, droughts and extreme weather")."""
_LIST_STOP = wordset(
    "the a an this that these those it its his her their he she they we i you is are was were be"
    " been has have had do does did not no but also said says which who whom whose what when"
    " where how why there here some many more most other such than then very"
)


@dataclass(frozen=True, slots=True)
class ListSpan:
    """A list of three or more alike items in a sentence: "wheat, rice, maize and soybean"."""

    span: Span
    items: tuple[Span, ...]


def list_spans(text: str) -> list[ListSpan]:
    """Lists of three to six names, or of single words, written "A, B and C"."""
    found: list[ListSpan] = []
    pos = 0
    while m := _LIST.search(text, pos):
        pos = m.start() + 1  # "the 2014 season, Gordon, Edwards and Logano": try again later
        listed = _list_at(text, m)
        if listed is not None:
            found.append(listed)
            pos = m.end("list")
    return found


def _list_at(text: str, m: re.Match[str]) -> ListSpan | None:
    """The list a match of ``_LIST`` holds, or None when its items are not alike or its ends
    are not clear."""
    start = m.start("list")
    items: list[Span] = []
    for piece in re.finditer(r"[^,]+", re.sub(r",? (?:and|or) ", ", ", m.group("list"))):
        word = piece.group().strip()
        if word.endswith(".") and word.count(".") == 1:  # the sentence's full stop
            word = word[:-1]
        at = text.index(word, items[-1].end if items else start)
        items.append(Span(at, at + len(word), word))
    capital = {i.text[0].isupper() for i in items}
    if len(items) < 3 or len(capital) != 1 or len({i.text for i in items}) != len(items):
        return None  # all names or all plain words, each once
    if capital == {True}:
        if re.search(r"(?:[A-Z][\w'’.-]*|\bof|\bof the)\s$|[A-Z]\S*, $", text[:start]):
            return None  # the first item ends a longer name, or the list began before it
        if any(i.text.rstrip(".") in ("Jr", "Sr") or re.search(r"['’]s ", i.text) for i in items):
            return None
    else:
        after = m.group("after").strip()
        if after[:1].isalpha() and after.lower() not in _LIST_ENDS:
            return None  # the last item goes on ("floods, droughts and extreme weather")
        if any(i.text in _LIST_STOP for i in items):
            return None
    whole = Span(items[0].start, items[-1].end, text[items[0].start : items[-1].end])
    return ListSpan(whole, tuple(items))
