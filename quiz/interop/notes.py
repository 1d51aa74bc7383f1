"""Where quiz cards and Anki notes meet: one plain-text note model shared by every format.

Readers (``.apkg``, Anki text, CSV) turn what they find into ``Note`` values and writers turn
cards into them, so the mapping between card kinds and Anki's stock note types lives here once.
Export embeds each card as JSON in an extra field; import trusts that JSON only while the
visible fields still say what it says, so edits made in Anki win over a stale copy.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from quiz.errors import QuizError
from quiz.model import (
    BasicCard,
    Card,
    ChoiceCard,
    ClozeCard,
    DeckFile,
    DeckMeta,
    OrderCard,
    TrueFalseCard,
    TypedCard,
    card_key,
    cloze_deletions,
    expand,
)

if TYPE_CHECKING:
    from quiz.interop.progress import AnkiCard, AnkiTiming

__all__ = [
    "ORIGINAL_FIELD",
    "Imported",
    "InteropError",
    "Note",
    "NoteKind",
    "Origin",
    "card_to_note",
    "clean_field",
    "deck_notes",
    "kind_from_name",
    "media_name",
    "note_to_card",
    "notes_to_deck",
    "sanitise_tags",
    "split_nested_cloze",
    "stable_id",
    "text_to_html",
]

ORIGINAL_FIELD = "quiz"
"""The extra field (or column) holding the exported card as JSON, for an exact round trip."""

_CARD: TypeAdapter[Card] = TypeAdapter(Card)
_IDENTIFIER = re.compile(r"^[A-Za-z0-9][\w.:/-]{0,199}$")
_SOUND = re.compile(r"\[sound:([^\]]*)\]")
_ANKI_CLOZE = re.compile(r"\{\{c\d+::")


class InteropError(QuizError):
    """A file to import or export cannot be read or written as asked."""

    title = "import/export"


class NoteKind(Enum):
    """Anki's stock note types; every card becomes the closest of them."""

    BASIC = "Basic"
    REVERSED = "Basic (and reversed card)"
    TYPED = "Basic (type in the answer)"
    CLOZE = "Cloze"

    @property
    def field_names(self) -> tuple[str, str]:
        """The note type's two fields, as Anki names them."""
        return ("Text", "Back Extra") if self is NoteKind.CLOZE else ("Front", "Back")


_NAME_WORDS = {
    NoteKind.CLOZE: re.compile(r"cloze|lückentext|texte à trous|huecos|lacunas|穴埋め|填空"),
    NoteKind.TYPED: re.compile(r"\btype\b|eintippen|saisir|tapez|escribir|digit|入力|输入"),
    "optional": re.compile(r"optional|optionnel|opcional|wahlweise|任意|可选"),
    NoteKind.REVERSED: re.compile(r"revers|umgekehrt|invers|invertid|逆|反"),
    NoteKind.BASIC: re.compile(r"^(?:basic|einfach|basique|básico|basico|基本)"),
}
"""Words of Anki's stock note type names, in English and the languages most decks are shared
in: a text export names a note's type but carries no templates to read."""


def kind_from_name(name: str, fields: Sequence[str]) -> NoteKind:
    """The kind of a note type known only by name, as in text exports (they carry no templates).

    A name in no language we know (or none) is judged by the note: cloze markers in the first
    field make a cloze note. A third field turns on the reverse card of "Basic (optional
    reversed card)".
    """
    lowered = name.casefold()
    if _NAME_WORDS[NoteKind.CLOZE].search(lowered):
        return NoteKind.CLOZE
    if _NAME_WORDS[NoteKind.TYPED].search(lowered):
        return NoteKind.TYPED
    if _NAME_WORDS["optional"].search(lowered):
        return NoteKind.REVERSED if len(fields) > 2 and fields[2].strip() else NoteKind.BASIC
    if _NAME_WORDS[NoteKind.REVERSED].search(lowered):
        return NoteKind.REVERSED
    if not _NAME_WORDS[NoteKind.BASIC].search(lowered) and fields and _ANKI_CLOZE.search(fields[0]):
        return NoteKind.CLOZE
    return NoteKind.BASIC


@dataclass(frozen=True, slots=True)
class Origin:
    """An Anki note exactly as its collection held it, so exporting it again changes nothing.

    Kept (in the progress database) for every imported card: a card not edited since goes
    back to Anki as this very note, same guid, note type, fields and modification time, so
    Anki's importer sees nothing newer; an edited one keeps the guid and note type and takes
    the new text, so Anki updates the note instead of adding a second.
    """

    guid: str
    notetype_id: int
    mod: int
    fields: tuple[str, ...]
    tags: str
    notetype: str
    """The note type as Anki's legacy JSON (``col.models``), as an export must spell it."""
    front_fields: tuple[int, ...] = ()
    """Which fields make the card's front (the rest of the shown ones make the back)."""
    back_fields: tuple[int, ...] = ()
    split: int | None = None
    """The one Anki card (ordinal) this quiz card stands for, when the note became several."""


@dataclass(frozen=True, slots=True)
class Note:
    """A card as Anki holds it, with plain-text fields (cloze: text and extra)."""

    kind: NoteKind
    front: str
    back: str
    tags: tuple[str, ...] = ()
    guid: str = ""
    original: str = ""
    """The quiz card as JSON, when the note came from our own export."""
    deck: str = ""
    media: tuple[str, ...] = ()
    """Media files the fields referred to and that were left out."""
    cards: tuple[AnkiCard, ...] = ()
    """The note's Anki cards with their scheduling and history (packages only)."""
    origin: Origin | None = None
    extra_fields: int = 0
    """Fields beyond the two a card has, kept after the back."""
    split: int | None = None
    """The one Anki card (ordinal) this note stands for, when Anki makes cards from it that
    one quiz card cannot be: a custom note type's unrelated templates, a nested cloze."""

    @property
    def id_suffix(self) -> str:
        """What tells apart the cards one Anki note became (none for the first)."""
        if not self.split:
            return ""
        return f"-{'c' if self.kind is NoteKind.CLOZE else 't'}{self.split + 1}"


# --- text and HTML --------------------------------------------------------------------------

_BLOCKS = frozenset({"div", "p", "tr", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6"})
_MEDIA_TAGS = {"img": "image", "audio": "sound", "video": "video", "source": "", "embed": "file"}
_HIDDEN = frozenset({"style", "script", "rp"})
_SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def media_name(src: str) -> str:
    """A media reference as a plain file name: no folders, nothing unprintable."""
    name = src.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable()).strip() or "unnamed"


class _TextExtractor(HTMLParser):
    """Renders field HTML as readable plain text: lists keep their bullets and numbers,
    table cells their columns, sub- and superscripts and ruby their place, and each image
    or sound a visible stand-in (``[image: heart.png]``) naming the file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.media: list[str] = []
        self.hidden = 0
        self.lists: list[int | None] = []  # per open list: the next number, None if bulleted
        self.script: list[tuple[str, int]] = []  # open <sub>/<sup> and where their text starts
        self.cells = 0

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in ("ul", "ol"):
            self._newline()
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            self._newline()
            number = self.lists[-1] if self.lists else None
            indent = "  " * max(len(self.lists) - 1, 0)
            if number is None:
                self.parts.append(f"{indent}- ")
            else:
                self.parts.append(f"{indent}{number}. ")
                self.lists[-1] = number + 1
        elif tag in ("td", "th"):
            if self.cells:
                self.parts.append(" | ")
            self.cells += 1
        elif tag in ("sub", "sup"):
            self.script.append((tag, len(self.parts)))
        elif tag == "rt":
            self.parts.append("(")
        elif tag in _BLOCKS:
            self._newline()
            self.cells = 0
        elif tag in _MEDIA_TAGS:
            for key, value in attrs:
                if key == "src" and value:
                    name = media_name(value)
                    self.media.append(name)
                    label = _MEDIA_TAGS[tag] or "media"
                    gap = " " if self.parts and not self.parts[-1][-1:].isspace() else ""
                    self.parts.append(f"{gap}[{label}: {name}]")
        elif tag in _HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._newline()
        elif tag in ("sub", "sup") and self.script and self.script[-1][0] == tag:
            _, start = self.script.pop()
            inner = "".join(self.parts[start:])
            del self.parts[start:]
            table = _SUPERSCRIPT if tag == "sup" else _SUBSCRIPT
            converted = inner.translate(table)
            if converted == inner or any(c not in "0123456789+-=()n" for c in inner):
                converted = f"{'^' if tag == 'sup' else '_'}({inner})" if inner else ""
            self.parts.append(converted)
        elif tag == "rt":
            self.parts.append(")")
        elif tag in _BLOCKS:
            self._newline()
        elif tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"[\r\n\t]", " ", data))


def clean_field(value: str, *, is_html: bool) -> tuple[str, list[str]]:
    """A field as plain text, and the media files (images, ``[sound:]``) it referred to.

    Media stay visible as stand-ins (``[image: map.png]``, ``[sound: yes.mp3]``), so that a
    card whose answer is a picture is still a card, and says what it showed.
    """
    media: list[str] = []
    if is_html:
        parser = _TextExtractor()
        parser.feed(value)
        parser.close()
        value, media = "".join(parser.parts), parser.media
    sounds = [media_name(name) for name in _SOUND.findall(value)]
    media.extend(sounds)
    value = _SOUND.sub(lambda m: f" [sound: {media_name(m.group(1))}]", value)
    value = value.replace("\xa0", " ")
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, media


def text_to_html(text: str) -> str:
    """Plain text as an Anki field: escaped, with line breaks as ``<br>``."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- cards to notes -------------------------------------------------------------------------


def _letters(options: list[str]) -> list[str]:
    return [f"{string.ascii_uppercase[i % 26]}. {option}" for i, option in enumerate(options)]


def _with_explanation(back: str, card: Card) -> str:
    return f"{back}\n\n{card.explanation}" if card.explanation else back


def card_to_note(card: Card, guid: str = "") -> Note:
    """The closest Anki note for a card; the card itself rides along as JSON.

    Choice, true/false and order cards have no Anki counterpart: they become Basic notes whose
    front shows the options (sorted, so the first is not always right) and whose back gives the
    answer. Typed and reversed notes leave the explanation out (Anki compares the typed answer
    to the whole back, and a reversed card shows the back as its question).
    """
    kind, front, back = NoteKind.BASIC, "", ""
    match card:
        case BasicCard():
            kind = NoteKind.REVERSED if card.reverse else NoteKind.BASIC
            front = card.front
            back = card.back if card.reverse else _with_explanation(card.back, card)
        case ClozeCard():
            kind, back = NoteKind.CLOZE, card.explanation or ""
            front = _anki_cloze(card.cloze)
        case TypedCard():
            kind, front, back = NoteKind.TYPED, card.prompt, card.answer
        case ChoiceCard():
            options = sorted({*card.answers, *card.distractors}, key=str.casefold)
            lettered = dict(zip(options, _letters(options), strict=True))
            front = card.question + "\n\n" + "\n".join(lettered.values())
            back = _with_explanation("\n".join(lettered[a] for a in card.answers), card)
        case TrueFalseCard():
            front = f"True or false? {card.statement}"
            back = _with_explanation("True" if card.true else "False", card)
        case OrderCard():
            shuffled = "\n".join(f"- {item}" for item in sorted(card.items, key=str.casefold))
            front = f"{card.prompt}\n\n{shuffled}"
            ordered = "\n".join(f"{n}. {item}" for n, item in enumerate(card.items, start=1))
            back = _with_explanation(ordered, card)
    original = json.dumps(
        {
            "kind": card.kind,
            **card.model_dump(mode="json", exclude_defaults=True, exclude_none=True),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return Note(kind, front, back, tuple(card.tags), guid, original)


def _anki_cloze(text: str) -> str:
    """Our cloze text with every deletion numbered, as Anki requires (``{{x}}`` → ``{{c1::x}}``)."""
    out: list[str] = []
    pos = 0
    for d in cloze_deletions(text):
        hint = f"::{d.hint}" if d.hint is not None else ""
        out.append(f"{text[pos : d.start]}{{{{{d.group}::{d.answer}{hint}}}}}")
        pos = d.end
    return "".join(out) + text[pos:]


def deck_notes(deck: DeckFile) -> list[Note]:
    """Every card of a deck as a note whose guid is the card's key, unique within the deck.

    The key is the card's id, or the hash of what it asks, so exporting again updates the notes
    in Anki instead of duplicating them.
    """
    keys = {item.index: item.card_key for item in expand("", deck.cards)}
    return [card_to_note(card, keys[i]) for i, card in enumerate(deck.cards)]


# --- notes to cards -------------------------------------------------------------------------


@dataclass(slots=True)
class _Gap:
    """One ``{{cN::...}}`` of Anki cloze text, which may hold others."""

    group: int
    parts: list[str | _Gap] = field(default_factory=list)

    def content(self) -> tuple[list[str | _Gap], str]:
        """What the gap hides, and its hint (after the first ``::`` of its own text)."""
        for n, part in enumerate(self.parts):
            if isinstance(part, str) and "::" in part:
                head, _, tail = part.partition("::")
                return [*self.parts[:n], head], tail + _plain(self.parts[n + 1 :])
        return self.parts, ""


_OPEN_GAP = re.compile(r"\{\{c(\d+)::")


def _cloze_tree(text: str) -> list[str | _Gap]:
    """Anki cloze text as a tree of gaps; an unmatched ``}}`` is text, an unclosed gap too."""
    root: list[str | _Gap] = []
    stack: list[_Gap] = []
    pos = 0
    while pos < len(text):
        opening = _OPEN_GAP.search(text, pos)
        close = text.find("}}", pos) if stack else -1
        here = stack[-1].parts if stack else root
        if opening is not None and (close == -1 or opening.start() < close):
            here.append(text[pos : opening.start()])
            gap = _Gap(int(opening.group(1)))
            here.append(gap)
            stack.append(gap)
            pos = opening.end()
        elif close != -1:
            here.append(text[pos:close])
            stack.pop()
            pos = close + 2
        else:
            here.append(text[pos:])
            break
    while stack:  # unclosed: Anki shows the text as it is
        gap = stack.pop()
        parent = stack[-1].parts if stack else root
        index = next(i for i, p in enumerate(parent) if p is gap)
        parent[index : index + 1] = [f"{{{{c{gap.group}::", *gap.parts]
    return root


def _plain(parts: list[str | _Gap]) -> str:
    """Cloze text with every gap filled in, as the back of a card shows it."""
    return "".join(p if isinstance(p, str) else _plain(p.content()[0]) for p in parts)


def _groups(parts: list[str | _Gap]) -> list[int]:
    found: list[int] = []
    for part in parts:
        if isinstance(part, _Gap):
            found += [part.group, *_groups(part.parts)]
    return found


def _is_nested(parts: list[str | _Gap]) -> bool:
    return any(isinstance(p, _Gap) and any(isinstance(q, _Gap) for q in p.parts) for p in parts)


def _one_group(parts: list[str | _Gap], group: int) -> str:
    """Cloze text as Anki renders card ``group``: its gaps hidden (whatever they hold, shown
    whole on the back), every other gap filled in."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        content, hint = part.content()
        if part.group == group:
            out.append(f"{{{{c{group}::{_plain(content)}{'::' + hint if hint else ''}}}}}")
        else:
            out.append(_one_group(content, group))
    return "".join(out)


def split_nested_cloze(note: Note) -> list[Note]:
    """A cloze note with gaps inside gaps as one note per Anki card (flat cloze text each),
    since a quiz cloze card's gaps never nest; any other note as it is."""
    if note.kind is not NoteKind.CLOZE or note.split is not None or "{{" not in note.front:
        return [note]
    tree = _cloze_tree(note.front)
    if not _is_nested(tree):
        return [note]
    parts = []
    for group in sorted(set(_groups(tree))):
        ord_ = group - 1
        origin = replace(note.origin, split=ord_) if note.origin is not None else None
        parts.append(
            replace(
                note,
                front=_one_group(tree, group),
                original="",
                cards=tuple(c for c in note.cards if c.ord == ord_),
                origin=origin,
                split=ord_,
            )
        )
    return parts


def stable_id(guid: str) -> str:
    """A card id from an Anki guid: the guid itself when it is a valid id, else a hash of it.

    Our own guids are card keys; the ``~2`` of a repeated key becomes ``-2``.
    """
    if _IDENTIFIER.match(candidate := guid.replace("~", "-")):
        return candidate
    return "anki-" + hashlib.blake2b(guid.encode(), digest_size=6).hexdigest()


def _original(note: Note) -> Card | None:
    """The embedded card, if it still matches what the note shows."""
    if not note.original:
        return None
    try:
        card = _CARD.validate_json(note.original)
    except ValidationError:
        return None
    expected = card_to_note(card)
    shown = (expected.kind, _squash(expected.front), _squash(expected.back))
    if shown != (note.kind, _squash(note.front), _squash(note.back)):
        return None
    if set(expected.tags) != set(note.tags):
        card = card.model_copy(update={"tags": list(note.tags)})
    return card


def note_to_card(note: Note) -> Card:
    """The card a note becomes; raises ``ValidationError`` when it cannot be one."""
    card = _original(note)
    if card is not None:
        return card
    data: dict[str, Any] = {"tags": list(note.tags)}
    if note.kind is NoteKind.CLOZE:
        data |= {"kind": "cloze", "cloze": note.front, "explanation": note.back or None}
    elif note.kind is NoteKind.TYPED:
        data |= {"kind": "typed", "prompt": note.front, "answer": note.back}
    else:
        data |= {"kind": "basic", "front": note.front, "back": note.back}
        data["reverse"] = note.kind is NoteKind.REVERSED
    return _CARD.validate_python(data)


def sanitise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as quiz accepts them: no spaces, at most 100 characters, no repeats."""
    cleaned = ("_".join(tag.split())[:100] for tag in tags)
    return tuple(dict.fromkeys(t for t in cleaned if t))


def _reason(exc: ValidationError) -> str:
    """The first validation error in words: which field, and what is wrong with it."""
    error = exc.errors()[0]
    where = next((str(p) for p in reversed(error["loc"]) if isinstance(p, str)), "")
    blank = (
        error["type"] == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == r"\S"
    )
    message = "must not be blank" if blank else str(error["msg"])
    return f"{where}: {message}" if where else message


@dataclass
class Imported:
    """The deck an import produced and what it had to leave out."""

    deck: DeckFile
    media: list[str] = field(default_factory=list)
    """Media files referred to by the notes and not imported (quiz decks are text)."""
    skipped: list[str] = field(default_factory=list)
    """One line per note that could not become a card, saying why."""
    merged: int = 0
    """Notes whose fields beyond the second went into the answer."""
    sources: list[tuple[str, Note]] = field(default_factory=list)
    """Each card's id and the note it came from (its Anki cards, history and origin)."""
    timing: AnkiTiming | None = None
    """How the package's collection counts days, when it holds scheduling."""

    @property
    def counts(self) -> Counter[str]:
        """Cards by kind."""
        return Counter(card.kind for card in self.deck.cards)


def _card_or_reason(note: Note) -> Card | str:
    """The card a note makes, or why it makes none."""
    if note.kind is NoteKind.CLOZE and "image-occlusion:" in note.front:
        return "image occlusion needs its image"
    try:
        return note_to_card(note)
    except ValidationError as exc:
        return _reason(exc)


def _unused(card_id: str, used: set[str]) -> str:
    """``card_id``, or it with the first free ``-2``, ``-3``... suffix; marked as used."""
    unique, n = card_id, 2
    while unique in used:
        unique, n = f"{card_id}-{n}", n + 1
    used.add(unique)
    return unique


def notes_to_deck(
    notes: Iterable[Note], title: str, descriptions: dict[str, str] | None = None
) -> Imported:
    """Turn notes into a deck; every card gets a stable id, and nothing is dropped unreported.

    A package with one deck gives its name and description; notes spread over several decks
    keep their deck as a tag.
    """
    notes = list(notes)
    decks = list(dict.fromkeys(n.deck for n in notes if n.deck))
    description = ""
    if len(decks) == 1:
        title = decks[0].replace("::", " / ")
        description = (descriptions or {}).get(decks[0], "")
    result = Imported(DeckFile(cards=[]))
    cards: list[Card] = []
    used: set[str] = set()
    media: dict[str, None] = {}
    numbered = [(n, part) for n, note in enumerate(notes, 1) for part in split_nested_cloze(note)]
    for number, note in numbered:
        media.update(dict.fromkeys(note.media))
        if len(decks) > 1 and note.deck:
            note = replace(note, tags=sanitise_tags([*note.tags, note.deck]))
        card = _card_or_reason(note)
        if isinstance(card, str):
            label = f"note {number}" + (f" ({note.front[:40]!r})" if note.front else "")
            result.skipped.append(f"{label}: {card}")
            continue
        from_guid = stable_id(note.guid) + note.id_suffix if note.guid else ""
        unique = _unused(card.id or from_guid or card_key(card), used)
        cards.append(card.model_copy(update={"id": unique}))
        result.sources.append((unique, note))
        result.merged += note.extra_fields > 0 and not note.split
    meta = DeckMeta.model_validate({"title": title.strip() or "Imported deck"})
    if description:
        meta = meta.model_copy(update={"description": description})
    result.deck = DeckFile(deck=meta, cards=cards)
    result.media = list(media)
    return result
