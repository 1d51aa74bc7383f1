"""Who said what: the attributions of a sentence ("X said ...", "... said X", "according to
X"), outer first, and the trimming that turns a statement into a card's prompt or answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quiz.generate.text import SENTENCE_CACHE, split_words
from quiz.generate.words import (
    ADVERBIAL,
    CAPW,
    DAYS,
    MONTHS,
    NOT_NAMES,
    TELL,
    TITLE_WORDS,
    VERB_RE,
)


def _quote_depth(text: str, pos: int) -> int:
    """How many quotation marks are open at ``pos`` (curly quotes nest; straight ones toggle)."""
    before = text[:pos]
    curly = before.count("“") - before.count("”")
    return max(curly, 0) + before.count('"') % 2


def balance_quotes(text: str) -> str:
    """Close a quotation left open by trimming or by cutting a statement off its attribution."""
    text = text.strip(" ,;:")
    if text.count("“") > text.count("”"):
        text += "”"
    if text.count('"') % 2:
        text = text + '"' if text.lstrip().startswith('"') or '"' in text[1:] else text
    return text


def trim_statement(text: str, words: int) -> str:
    """The first ``words`` words of a statement, its closing full stop dropped, quotes closed."""
    parts = split_words(text)
    if len(parts) > words:
        text = " ".join(parts[:words]).rstrip(",;:") + "…"
    return balance_quotes(re.sub(r"[.,;:]+(?=[”\"]?$)", "", text.strip()))


def full_stop(text: str) -> str:
    return text if re.search(r"[…?!.][”\"]?$", text) else text + "."


@dataclass(frozen=True, slots=True)
class _Attribution:
    speaker: str
    verb: str
    statement: str


_SEP = re.compile(r"(?:,[”\"]|[”\"],|,)\s+")


_TOLD_OBJECT = re.compile(rf"\s+(?:{CAPW}(?:\s{CAPW})*|reporters|journalists|him|her|them)")


_WHEN = re.compile(
    rf"\s+(?:on|last|this|earlier|later|in)\s+(?:{'|'.join(sorted(DAYS))}|{'|'.join(sorted(MONTHS))}"
    r"|week|month|year|morning|evening|night)\b|\s+(?:today|yesterday|earlier|later)\b"
)


_ACCORDING = re.compile(r"(?:^|,\s*)[Aa]ccording to (?P<src>[^,.;]+?)(?=[,.;]|$)")


_SAYING = frozenset({"said", "says", "told", "tells", "added", "adds", "wrote", "writes"})
"""Verbs whose object is what was said; others ("announced", "confirmed") need a "that"."""


def _is_appositive(part: str) -> bool:
    """A phrase after a name that says who they are ("Director of the ... study", "and
    Chairman of ...", "a geophysicist at ..."), not the name itself."""
    words = part.strip(" ,").split()
    if not words:
        return True
    if re.fullmatch(r"[A-Z][\w.]*-[A-Z][A-Z.]*|\(?\d{1,3}\)?", " ".join(words)):
        return True  # "Sen. John Thune, R-S.D., said": a party and state; an age
    first = words[0].lower()
    if any(w in TITLE_WORDS for w in words[1:] if w.islower()):  # "General Motors chairman"
        return True
    if first in TITLE_WORDS:  # "Director of the ...", not "Professor Cres Eastman"
        return len(words) == 1 or not words[1][:1].isupper()
    return first in ("and", "a", "an", "the") or words[0][0].islower()


def _names_someone(part: str) -> bool:
    """A phrase that opens on a name or a title ("Professor Cres Eastman"), not "In a statement"."""
    words = part.strip(" ,").split()
    return (
        bool(words) and words[0][:1].isupper() and words[0].lower() not in NOT_NAMES - TITLE_WORDS
    )


def _leading(text: str, verb: re.Match[str]) -> _Attribution | None:
    """``X said (that) ...``, ``After the call, X told Y on Sunday that ...``."""
    left = text[: verb.start()].rstrip()
    parts = _SEP.split(left) if left else [""]
    speaker = parts[-1]
    if _is_appositive(speaker):  # "X, Director of ..., and Chairman of ..., says"
        named = [p for p in parts[:-1] if _names_someone(p) and not _is_appositive(p)]
        speaker = named[-1] if named else speaker
    if not speaker or len(split_words(speaker)) > 12:
        return None
    rest = text[verb.end() :]
    if verb.group() in TELL and (obj := _TOLD_OBJECT.match(rest)):
        rest = rest[obj.end() :]
    if when := _WHEN.match(rest):
        rest = rest[when.end() :]
    reported = re.match(r',?\s+(?:that\s|[“"])', rest)
    if verb.group() not in _SAYING and not reported:
        return None  # "announced today the availability of ...": a thing, not what was said
    rest = re.sub(r"^,?\s+(?:that\s+)?", "", rest)
    rest = re.sub(r"[.!?]+$", "", rest.strip())
    first = rest.split(" ", 1)[0].lower()
    if (
        len(split_words(rest)) < 3
        or first in ADVERBIAL
        or first in _TOPIC_OF
        or first.startswith((",", ":"))
    ):
        return None
    return _Attribution(speaker, verb.group(), rest)


_TOPIC_OF = frozenset({"about", "of", "on", "upon"})
"""Words after a verb of saying that start its topic, not what was said ("wrote about her")."""


def _trailing(text: str, verb: re.Match[str]) -> list[_Attribution]:
    """``"...," X said (at ...)``, ``..., said X, the ...``, ``..., X said, and that ...``."""
    left, right = text[: verb.start()], text[verb.end() :]
    seps = list(_SEP.finditer(left))
    if not seps:
        return []
    if seps[-1].end() == len(left) and verb.group() not in TELL:
        found = _said_by(left, right, verb.group(), seps[-1])
    else:
        found = _by_said(left, right, verb.group(), seps[-1])
    return [a for a in found if len(split_words(a.statement)) >= 3 and a.speaker]


def _said_by(left: str, right: str, verb: str, sep: re.Match[str]) -> list[_Attribution]:
    """``"...," said Ada Berg, the ...``: the speaker follows the verb."""
    speaker = re.split(r"[,.;]", right.strip(), maxsplit=1)[0]
    if when := _WHEN.search(" " + speaker):  # "said Ada Berg on Monday"
        speaker = speaker[: max(when.start() - 1, 0)].rstrip()
    article = speaker.split(" ")[0].lower() in ("the", "a", "an")
    if not speaker[:1].isupper() and not (article and len(speaker.split()) <= 4):
        return []  # "..., announced today the availability of ...": no speaker follows
    return [_Attribution(speaker, verb, left[: sep.start()])]


def _by_said(left: str, right: str, verb: str, sep: re.Match[str]) -> list[_Attribution]:
    """``"...," Ada Berg said (at ...)``, ``..., she told reporters, and that ...``."""
    speaker = left[sep.end() :].strip()
    statement = left[: sep.start()] + sep.group().strip(" ,")
    words = right.strip(" .").split()
    first = words[0].lower() if words else ""
    told = verb in TELL and words and (words[0][0].isupper() or first == "reporters")
    if len(split_words(speaker)) > 8 or not (not words or first in ADVERBIAL or told):
        return []
    found = [_Attribution(speaker, verb, statement)]
    if more := re.search(r",\s+and that\s+(.+?)[.!?]*$", right):
        found.append(_Attribution(speaker, verb, more.group(1)))
    return found


@lru_cache(maxsize=SENTENCE_CACHE)
def attributions(text: str) -> tuple[_Attribution, ...]:
    """Who said what in a sentence, outer attribution first, then any reported inside it."""
    return tuple(_attributions(text))


def _attributions(text: str, depth: int = 0) -> list[_Attribution]:
    """Who said what in a sentence, outer attribution first, then any reported inside it."""
    if depth > 2:
        return []
    found: list[_Attribution] = []
    if m := _ACCORDING.search(text):
        body = (text[: m.start()] + text[m.end() :]).strip(" ,.")
        if m.start() > 0:
            clauses = [c for c in re.split(r",\s+", body) if len(split_words(c)) >= 5]
            body = clauses[-1] if clauses else body
        if len(split_words(body)) >= 3:
            found.append(_Attribution(m.group("src").strip(), "according to", body))
        return found
    verbs = [v for v in VERB_RE.finditer(text) if not _quote_depth(text, v.start())]
    if not verbs:
        return []
    quoted = bool(re.search(r"[“”\"]", text))
    lead = None if quoted else _leading(text, verbs[0])  # "X, a geophysicist, said the lake ..."
    if lead is None and (outer := _trailing(text, verbs[-1])):
        return outer + _attributions(outer[0].statement, depth + 1)
    if lead := lead or _leading(text, verbs[0]):
        return [lead, *_attributions(lead.statement, depth + 1)]
    return []
