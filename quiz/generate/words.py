"""The word lists and name patterns the generator reads English with.

Small, hand-kept lists (titles, days, months, words that mark an organisation or a place, the
verbs that attribute a quote) are all the language knowledge the drafts need; keeping them in
one place lets an author see, and a test pin, what the generator knows."""

from __future__ import annotations

import re
from collections.abc import Callable


def wordset(text: str) -> frozenset[str]:
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


LETTER = r"[^\W\d_]"


CAPW = rf"{_UP}(?:{LETTER}|[’'](?!s\b)(?={LETTER})|-(?={LETTER}))*"
"""A capitalised word (Bennett, Director-General, O’Brien, KAN) without a possessive ’s."""


NAMEW = rf"(?:(?:{_UP}\.){{2,}}|{CAPW}|{_UP}\.)"
"""A name word: a capitalised word, an initial, or a dotted abbreviation (U.S., D.C.)."""

STATE_AFTER = re.compile(rf", (?:{_UP}\.){{2,}}(?![\w.])")
"""A dotted state or district after a city ("Washington, D.C."): the place is named whole."""


DAYS = wordset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")


MONTHS = wordset(
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
keeper|player|pilot|skipper|councillor|councilor|district councillor|candidate|activist|
veteran|campaigner|speaker|boss|sen.|rep.|gov.|gen.|lt.|col.|capt.|supt.|
chief|president-elect
"""


_TITLE_LIST = sorted(
    {t.strip() for t in _TITLES.replace("\n", "").split("|") if t.strip()},
    key=lambda t: (-len(t), t),
)


TITLE_SET = frozenset(_TITLE_LIST)


TITLE_WORDS = frozenset(w for t in _TITLE_LIST for w in re.split(r"[\s-]", t)) - {
    "of",
    "and",
    "the",
    "for",
}


TITLE_RE = re.compile(
    r"(?<![\w-])(?i:" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in _TITLE_LIST) + r")"
    r"s?(?![\w-])"  # "councillors Alvin Yeung from the Civic Party"
)


QUALIFIERS = frozenset({"former", "then", "acting", "interim", "deputy", "senior", "assistant"})


_COMMON = wordset("""
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


NOT_NAMES = _COMMON | TITLE_WORDS | {d.lower() for d in DAYS | MONTHS}


ORG_WORDS = wordset("""
ministry office news agency company corporation inc ltd llc plc corp co as asa ab gmbh ag sa
university institute college school council party army navy bank club fc association federation
league committee commission court parliament cabinet government group labs laboratory
observatory foundation society department authority service times post journal network centre
center hospital museum union organization organisation fund board police forces rovers united
athletic wanderers press broadcasting radio television lodge church
""")


PLACE_WORDS = wordset(
    "park stadium island street river lake mountain mountains ocean sea bay coast valley"
)


KEYWORDS = ORG_WORDS | PLACE_WORDS | NOT_NAMES


PLACE_CUES = wordset("""
in into to from near across throughout toward towards outside inside within between via at
""")


ORG_CUES = wordset("""
beat against face faces faced versus vs journal newspaper agency company firm group club
broadcaster operator supplier team network magazine outlet channel station
""")


NOT_ORG_ACRONYMS = wordset(
    "GPS CEO CFO CTO COO DNA RNA TV AI FAQ URL PDF OK AM PM UTC GMT EDT EST CDT CST PDT PST BST"
    " CET CEST"
)


PLACE_ACRONYMS = wordset("US USA UK EU UAE")


_VERB_WORDS = (
    "said says told tells added adds stated noted notes explained announced argued warned claimed"
    " insisted confirmed reported reports wrote writes acknowledged admitted stressed emphasised"
    " emphasized predicted recalled declared tweeted concluded"
)


VERB_RE = re.compile(r"\b(?:" + _VERB_WORDS.replace(" ", "|") + r")\b")


TELL = frozenset({"told", "tells"})


ADVERBIAL = wordset("""
at on in during when after before while last this earlier later to as and from
""")


HONORIFICS = wordset("mr mrs ms mx dr prof sir dame don doña dona")
"""Words of address before a name: no part of it ("Sir Tim", "Don José de Garay")."""

PRONOUNS = frozenset({"he", "she"})


ANON_NOUNS = wordset(
    "source sources official officials spokesperson spokesman spokeswoman company statement"
)


NUMBER_WORDS = {
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


_ORDINALS = """third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth
fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"""
ORDINAL_WORDS = {w: i for i, w in enumerate(_ORDINALS.split(), 3)}
"""Ordinals asked as a count ("his {{fifth}} win at the track"); "first" and "second" say too
little on their own ("the first time", "in second")."""


UNIT_STOP = _COMMON | {"percent", "per", "cent", "times", "than", "more", "less", "or"}


NOT_PERSON_WORDS = frozenset(
    {*DAYS, *MONTHS}
    | wordset(
        "north south east west northern southern eastern western new upper lower central great"
        " saint san santa st war treaty purchase act plan cup series award prize day league"
        " party camp council army navy grid native american mexican korean australian"
        " russian ukrainian european african asian israeli chinese japanese british english"
        " french german spanish italian indian canadian iranian swedish belgian"
        " republic kingdom empire state states province county district region city town"
        " village territory territories hall lodge academy church cathedral castle palace"
        " constituency"
    )
)
"""Words that make a capitalised run a place, an event or a body, never a person's name."""
