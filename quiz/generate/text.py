"""From raw text to the sentences a card may come from.

Cleans the text, splits paragraphs and sentences (through abbreviations, initials and
decimals), and leaves out what is not reporting (link lists, bylines, captions, share prompts,
contact details, headings), saying why in the draft's report."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from quiz.generate.words import LETTER, wordset
from quiz.lint import norm

SENTENCE_CACHE = 16_384
"""Per-sentence analyses each pass repeats are cached for this many sentences (an article
of 450 KB has about 4,000), so drafting stays linear without holding a 5 MB text's worth."""

EXCERPT_WORDS = 12
"""A card's ``source.excerpt`` is the start of its sentence: enough to find it, not a copy."""


_MAX_SENTENCE_WORDS = 80


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


def split_words(text: str) -> list[str]:
    return text.split()


def _is_terminal(line: str) -> bool:
    return bool(_TERMINAL.search(line)) or line.endswith(":")


def _is_heading(line: str) -> bool:
    return not _is_terminal(line) and len(split_words(line)) <= 8


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
    return [para for block in blocks for para in _block_paragraphs(block)]


def _block_paragraphs(block: list[str]) -> list[str]:
    """The paragraphs of one blank-line block: its lines, or its hard-wrapped lines joined."""
    prose = [ln for ln in block if not _BULLET.match(ln)]
    ended = sum(_is_terminal(ln) for ln in prose)
    if len(block) == 1 or ended >= 0.6 * len(prose):
        return block
    width = max(len(ln) for ln in block)
    paragraphs: list[str] = []
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


_ABBREV_TITLES = wordset(
    "mr mrs ms mx dr prof st sen rep gov gen col lt sgt capt cmdr adm rev hon pres fr messrs mt"
    " sr jr"
)


_ABBREV_OTHER = wordset(
    "inc ltd co corp etc vs approx est dept no fig vol jan feb mar apr jun jul aug sep sept oct"
    " nov dec e.g i.e a.m p.m u.s u.k u.n e.u"
)


_STARTERS = wordset(
    "the he she it they we i but this that in on a an and however its his her their there if"
    " you when so for"
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
        return next_word in _STARTERS  # an initial ("J. K. Rowling"), or "for C. If you ..."
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
    return _join_quotes(out)


_QUOTE_SENTENCES = 4
_QUOTE_WORDS = 60


def _open_quotes(text: str) -> int:
    """Quotations opened and not closed in ``text`` (curly quotes count; straight ones pair)."""
    return max(text.count("“") - text.count("”"), 0) + text.count('"') % 2


def _join_quotes(pieces: list[str]) -> list[str]:
    """Sentences inside one quotation kept together with its attribution ("“We will win. We
    always do,” said Ada."), so that who said it stays with what was said; a quotation longer
    than a few sentences is left split."""
    out: list[str] = []
    i = 0
    while i < len(pieces):
        joined, j = pieces[i], i + 1
        while _open_quotes(joined) and j < len(pieces) and j - i < _QUOTE_SENTENCES:
            joined, j = f"{joined} {pieces[j]}", j + 1
        if _open_quotes(joined) or len(joined.split()) > _QUOTE_WORDS:
            joined, j = pieces[i], i + 1
        out.append(joined)
        i = j
    return out


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
    r"|^(?:[A-Z][\w'.]*[\s,]+){1,6}(?:--\s*)?"  # "Forest Hill, MD --19 May 2015--"
    r"(?:\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})"
    r"(?:\s*/[^/]{1,30}/)?\s*(?:--|—|–)\s*(?=\S)"
)


_BOILERPLATE = re.compile(r"^(?:for immediate release|embargoed|ends|-?\s*end\s*-?)$", re.I)


@dataclass(frozen=True, slots=True)
class Skipped:
    """Text the draft left out, and why (shown in the summary)."""

    paragraph: int
    excerpt: str
    reason: str


def excerpt_of(text: str, words: int = EXCERPT_WORDS) -> str:
    parts = split_words(text)
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]).rstrip(",;:") + " …"


_ALONE: tuple[tuple[str, Callable[[str, int], object]], ...] = (
    ("link", lambda p, n: _LINK.match(p)),
    ("byline", lambda p, n: _BYLINE.match(p) and n <= 15),
    ("caption", lambda p, n: _CAPTION.match(p) or (p[:1] in "([" and p[-1:] in ")]")),
    ("share prompt", lambda p, n: _SHARE.match(p) and n <= 25),
    ("contact details", lambda p, n: _CONTACT.search(p) and n <= 15),
    ("separator", lambda p, n: not re.search(LETTER, p)),
    ("boilerplate", lambda p, n: _BOILERPLATE.match(p.strip(" ."))),
    ("fragment", lambda p, n: not _is_terminal(p) and n <= 20 and not _BULLET.match(p)),
    ("heading or fragment", lambda p, n: _BULLET.match(p) and not _is_terminal(p)),
)
"""Paragraphs that are not reporting on their own, checked in this order."""


def _list_header(para: str) -> str | None:
    """The reason for a paragraph that opens a list of non-reporting lines (links, contacts)."""
    if _LINK_HEADER.match(para) and len(split_words(para)) <= 14:
        return "link list"
    if _CONTACT_HEADER.match(para):
        return "contact details"
    return None


def _in_list(para: str) -> bool:
    """Whether a paragraph after a list header still belongs to the list."""
    short = not _is_terminal(para) and len(split_words(para)) <= 15
    return bool(_BULLET.match(para) or _LINK.match(para) or short)


def _noise(paragraphs: list[str]) -> tuple[dict[int, str], str | None]:
    """Paragraph index → why it is not reporting; and the headline, if the article has one."""
    reasons: dict[int, str] = {}
    headline: str | None = None
    in_list: str | None = None
    seen_prose = False
    for i, para in enumerate(paragraphs):
        if in_list and _in_list(para):
            reasons[i] = in_list
            continue
        n = len(split_words(para))
        in_list = _list_header(para)
        reason = in_list or next((why for why, test in _ALONE if test(para, n)), None)
        if reason == "fragment":  # a short line before any prose is the headline
            first = not seen_prose and headline is None and n >= 3 and not para.isupper()
            headline, reason = (para, "headline") if first else (headline, "heading or fragment")
        if reason:
            reasons[i] = reason
        else:
            seen_prose = True
    return reasons, headline


@dataclass(frozen=True, slots=True)
class Sentence:
    paragraph: int  # 1-based
    index: int  # 1-based within the paragraph
    order: int  # 0-based within the article
    text: str
    original: str = ""
    """The sentence as written, when ``text`` names who its opening pronoun is."""

    @property
    def written(self) -> str:
        return self.original or self.text


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


def contains(haystack: str, needle: str) -> bool:
    n = norm(needle)
    return bool(n) and f" {n} " in f" {norm(haystack)} "


def article_sentences(
    paragraphs: list[str], skipped: list[Skipped]
) -> tuple[list[Sentence], str | None]:
    """The sentences a card may come from, and the headline; what is left out goes to
    ``skipped`` with its reason."""
    reasons, headline = _noise(paragraphs)
    out: list[Sentence] = []
    for i, para in enumerate(paragraphs):
        number = i + 1
        if i in reasons:
            skipped.append(Skipped(number, excerpt_of(para), reasons[i]))
            continue
        body = _INLINE_CAPTION.sub("", _BULLET.sub("", para))
        for j, text in enumerate(split_sentences(body), start=1):
            if j == 1:
                text = _DATELINE.sub("", text)
            count = len(split_words(text))
            if count > _MAX_SENTENCE_WORDS:
                skipped.append(Skipped(number, excerpt_of(text), "too long for a card"))
            elif count < 3 or not re.search(LETTER, text):
                skipped.append(Skipped(number, excerpt_of(text), "too short for a card"))
            else:
                out.append(Sentence(number, j, len(out), text))
    return out, headline
