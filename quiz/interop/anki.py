"""Anki packages (``.apkg``): read every schema Anki writes, write the legacy one all Anki read.

A package is a zip holding a SQLite collection: ``collection.anki2``/``collection.anki21``
(schema 11, note types as JSON in ``col.models``) or, since Anki 2.1.50, a zstd-compressed
``collection.anki21b`` (schema 18, note types in the ``notetypes``/``fields``/``templates``
tables with protobuf configs). New packages also carry a legacy ``collection.anki2`` that
only says "please update Anki", so the newest collection present is the one read.

Notes are read through their card templates, not their type's name, so renamed, translated
and custom note types still import: the fields shown on the question side make the front,
the ones the answer adds make the back.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from quiz.interop.notes import (
    ORIGINAL_FIELD,
    InteropError,
    Note,
    NoteKind,
    clean_field,
    deck_notes,
    sanitise_tags,
    text_to_html,
)
from quiz.model import DeckFile

__all__ = ["read_apkg", "write_apkg"]

_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_REF = re.compile(r"\{\{([^{}]+)\}\}")
_SPECIAL = frozenset({"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID"})


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _NoteType:
    """What a note type says about its notes: field names, cloze or not, card templates."""

    fields: list[str]
    cloze: bool
    templates: list[tuple[str, str]]

    @cached_property
    def layout(self) -> tuple[list[str], list[str], bool]:
        """The fields on the front, the fields the back adds, and whether the answer is typed."""
        question, answer = self.templates[0] if self.templates else ("", "")
        asked = _refs(question)
        typed = [] if self.cloze else [n for m, n in asked if "type" in m]
        if self.cloze:
            front = list(dict.fromkeys(n for m, n in asked if "cloze" in m))
        else:
            front = list(dict.fromkeys(n for m, n in asked if "type" not in m))
        shown = dict.fromkeys([*typed, *(n for _, n in _refs(answer))])
        back = [n for n in shown if n not in front]
        if not front:
            front, back = self.fields[:1], self.fields[1:]
        return front, back, bool(typed)


def _refs(template: str) -> list[tuple[list[str], str]]:
    """The fields a template shows, with their filters (``{{cloze:Text}}``, ``{{type:Back}}``)."""
    found: list[tuple[list[str], str]] = []
    for match in _REF.finditer(template):
        inner = match.group(1).strip()
        if inner[:1] in "#^/!":
            continue
        *modifiers, name = inner.split(":")
        if name not in _SPECIAL:
            found.append(([m.strip() for m in modifiers], name.strip()))
    return found


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def _proto(data: bytes) -> dict[int, list[Any]]:
    """The top-level fields of a protobuf message: enough to read a few configs without protoc."""
    fields: dict[int, list[Any]] = defaultdict(list)
    pos = 0
    try:
        while pos < len(data):
            key, pos = _varint(data, pos)
            wire = key & 7
            value: Any
            if wire == 0:
                value, pos = _varint(data, pos)
            elif wire == 2:
                size, pos = _varint(data, pos)
                value, pos = data[pos : pos + size], pos + size
            elif wire in (1, 5):
                size = 8 if wire == 1 else 4
                value, pos = data[pos : pos + size], pos + size
            else:
                raise ValueError(f"wire type {wire}")
            fields[key >> 3].append(value)
    except (IndexError, ValueError) as exc:
        raise InteropError(f"the collection has a damaged note type or deck ({exc})") from exc
    return fields


def _proto_text(data: bytes, number: int) -> str:
    values = _proto(data).get(number) or [b""]
    return bytes(values[0]).decode("utf-8", "replace")


def _modern_schema(
    db: sqlite3.Connection,
) -> tuple[dict[int, _NoteType], dict[int, str], dict[str, str]]:
    """Note types and decks of a schema 18 collection (``collection.anki21b``)."""
    fields: dict[int, list[str]] = defaultdict(list)
    for ntid, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields[ntid].append(name)
    templates: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for ntid, config in db.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
        templates[ntid].append((_proto_text(config, 1), _proto_text(config, 2)))
    types = {
        ntid: _NoteType(fields[ntid], 1 in _proto(config).get(1, []), templates[ntid])
        for ntid, config in db.execute("SELECT id, config FROM notetypes")
    }
    names: dict[int, str] = {}
    descriptions: dict[str, str] = {}
    for did, name, kind in db.execute("SELECT id, name, kind FROM decks"):
        names[did] = name.replace("\x1f", "::")
        normal = _proto(kind).get(1)
        if normal:
            descriptions[names[did]] = _proto_text(normal[0], 4)
    return types, names, descriptions


def _legacy_schema(
    db: sqlite3.Connection,
) -> tuple[dict[int, _NoteType], dict[int, str], dict[str, str]]:
    """Note types and decks of a schema 11 collection, kept as JSON in the ``col`` row."""
    row = db.execute("SELECT models, decks FROM col").fetchone()
    if row is None:
        raise InteropError("the collection has no note types")
    try:
        models, decks = json.loads(row[0]), json.loads(row[1])
        types = {
            int(mid): _NoteType(
                [f["name"] for f in sorted(m["flds"], key=lambda f: f["ord"])],
                m.get("type") == 1,
                [(t["qfmt"], t["afmt"]) for t in sorted(m["tmpls"], key=lambda t: t["ord"])],
            )
            for mid, m in models.items()
        }
        names = {int(did): d["name"] for did, d in decks.items()}
        descriptions = {d["name"]: d.get("desc", "") for d in decks.values()}
    except (ValueError, KeyError, TypeError) as exc:
        raise InteropError(f"the collection's note types cannot be read ({exc})") from exc
    return types, names, descriptions


def _unicase(a: str, b: str) -> int:
    """Anki's case-insensitive collation, which schema 18 tables declare."""
    x, y = a.casefold(), b.casefold()
    return (x > y) - (x < y)


def _read_collection(path: Path) -> tuple[list[Note], dict[str, str]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        db.create_collation("unicase", _unicase)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"notes", "cards", "col"} <= tables:
            raise InteropError("the file inside is not an Anki collection")
        schema = _modern_schema if "notetypes" in tables else _legacy_schema
        types, deck_names, descriptions = schema(db)
        cards: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for nid, did, ord_ in db.execute("SELECT nid, did, ord FROM cards ORDER BY nid, ord"):
            cards[nid].append((ord_, did))
        rows = db.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id").fetchall()
    unknown = _NoteType(["Front", "Back"], cloze=False, templates=[])
    notes = [
        _note(types.get(mid, unknown), guid, tags, flds, cards.get(nid, []), deck_names)
        for nid, guid, mid, tags, flds in rows
    ]
    clean = {name: clean_field(text, is_html=True)[0] for name, text in descriptions.items()}
    return notes, clean


def _note(
    notetype: _NoteType,
    guid: str,
    tags: str,
    flds: str,
    cards: list[tuple[int, int]],
    deck_names: dict[int, str],
) -> Note:
    values = dict(zip(notetype.fields, flds.split("\x1f"), strict=False))
    front_names, back_names, typed = notetype.layout
    media: list[str] = []

    def joined(names: list[str]) -> str:
        parts = []
        for name in names:
            text, found = clean_field(values.get(name, ""), is_html=True)
            media.extend(found)
            if text:
                parts.append(text)
        return "\n".join(parts)

    front, back = joined(front_names), joined(back_names)
    if notetype.cloze:
        kind = NoteKind.CLOZE
    elif typed:
        kind = NoteKind.TYPED
    else:
        kind = NoteKind.REVERSED if any(ord_ > 0 for ord_, _ in cards) else NoteKind.BASIC
    deck = deck_names.get(cards[0][1], "") if cards else ""
    original = html.unescape(values.get(ORIGINAL_FIELD, ""))
    return Note(kind, front, back, sanitise_tags(tags.split()), guid, original, deck, tuple(media))


def read_apkg(path: Path) -> tuple[list[Note], dict[str, str]]:
    """The notes of an Anki package, and the description of each of its decks by name."""
    import zstandard

    try:
        with zipfile.ZipFile(path) as package, tempfile.TemporaryDirectory() as tmp:
            names = set(package.namelist())
            member = next((n for n in _COLLECTIONS if n in names), None)
            if member is None:
                raise InteropError(
                    f"no Anki collection inside (looked for {', '.join(_COLLECTIONS)})"
                )
            extracted = Path(tmp) / "collection.sqlite"
            with package.open(member) as source, extracted.open("wb") as target:
                if member.endswith("b"):
                    zstandard.ZstdDecompressor().copy_stream(source, target)
                else:
                    shutil.copyfileobj(source, target)
            return _read_collection(extracted)
    except InteropError as exc:
        raise InteropError(f"{path}: {exc}") from exc
    except zipfile.BadZipFile as exc:
        raise InteropError(f"{path} is not an Anki package (not a valid zip file)") from exc
    except zstandard.ZstdError as exc:
        raise InteropError(f"{path}: the compressed collection is damaged ({exc})") from exc
    except (sqlite3.DatabaseError, OSError, EOFError) as exc:
        raise InteropError(f"{path}: the collection inside cannot be read ({exc})") from exc


# --- writing --------------------------------------------------------------------------------

_SCHEMA_11 = """
CREATE TABLE col (
  id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,
  conf text NOT NULL, models text NOT NULL, decks text NOT NULL, dconf text NOT NULL,
  tags text NOT NULL
);
CREATE TABLE notes (
  id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,
  csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE cards (
  id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,
  due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,
  lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL,
  flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE revlog (
  id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
  ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
  time integer NOT NULL, type integer NOT NULL
);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""

_ANSWER = "{{FrontSide}}\n\n<hr id=answer>\n\n"
_TEMPLATES: dict[NoteKind, list[tuple[str, str]]] = {
    NoteKind.BASIC: [("{{Front}}", _ANSWER + "{{Back}}")],
    NoteKind.REVERSED: [("{{Front}}", _ANSWER + "{{Back}}"), ("{{Back}}", _ANSWER + "{{Front}}")],
    NoteKind.TYPED: [
        ("{{Front}}\n\n{{type:Back}}", "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}")
    ],
    NoteKind.CLOZE: [("{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}")],
}
_CSS = (
    ".card { font-family: arial; font-size: 20px; line-height: 1.5; text-align: center;"
    " color: black; background-color: white; }\n.cloze { font-weight: bold; color: blue; }\n"
)
_ORIGINAL_NOTE = "The card as quiz wrote it, so 'quiz import' gets it back exactly. Do not edit."


def _small_id(*parts: str) -> int:
    """A stable id for a note type or deck, so exporting again updates rather than duplicates."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=4).digest()
    return (1 << 30) + int.from_bytes(digest) % (1 << 30)


def _model(kind: NoteKind, deck_id: int, mod: int) -> dict[str, Any]:
    names = [*kind.field_names, ORIGINAL_FIELD]
    templates = _TEMPLATES[kind]
    return {
        "id": _small_id("quiz note type", kind.value),
        "name": kind.value,
        "type": 1 if kind is NoteKind.CLOZE else 0,
        "mod": mod,
        "usn": -1,
        "sortf": 0,
        "did": deck_id,
        "tmpls": [
            {
                "name": "Cloze" if kind is NoteKind.CLOZE else f"Card {n + 1}",
                "ord": n,
                "qfmt": question,
                "afmt": answer,
                "bqfmt": "",
                "bafmt": "",
                "did": None,
                "bfont": "",
                "bsize": 0,
            }
            for n, (question, answer) in enumerate(templates)
        ],
        "flds": [
            {
                "name": name,
                "ord": n,
                "sticky": False,
                "rtl": False,
                "font": "Arial",
                "size": 20,
                "description": _ORIGINAL_NOTE if name == ORIGINAL_FIELD else "",
                "collapsed": name == ORIGINAL_FIELD,
            }
            for n, name in enumerate(names)
        ],
        "css": _CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": False,
        "req": [[n, "any", [n]] for n in range(len(templates))],
        "tags": [],
        "vers": [],
    }


def _deck(deck_id: int, name: str, description: str, mod: int) -> dict[str, Any]:
    return {
        "id": deck_id,
        "name": name,
        "desc": description,
        "mod": mod,
        "usn": -1,
        "collapsed": False,
        "browserCollapsed": False,
        "dyn": 0,
        "conf": 1,
        "extendNew": 0,
        "extendRev": 0,
        "newToday": [0, 0],
        "revToday": [0, 0],
        "lrnToday": [0, 0],
        "timeToday": [0, 0],
    }


def _deck_config(mod: int) -> dict[str, Any]:
    """Anki's default options group, which a legacy collection must spell out in full."""
    return {
        "id": 1,
        "name": "Default",
        "mod": mod,
        "usn": -1,
        "maxTaken": 60,
        "autoplay": True,
        "timer": 0,
        "replayq": True,
        "dyn": False,
        "new": {
            "bury": False,
            "delays": [1.0, 10.0],
            "initialFactor": 2500,
            "ints": [1, 4, 0],
            "order": 1,
            "perDay": 20,
        },
        "rev": {"bury": False, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200},
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
    }


def _ords(note: Note) -> list[int]:
    """The card ordinals a note makes: one per template, or one per cloze number."""
    if note.kind is NoteKind.CLOZE:
        numbers = {int(n) for n in re.findall(r"\{\{c(\d+)::", note.front)}
        return sorted(n - 1 for n in numbers) or [0]
    return list(range(len(_TEMPLATES[note.kind])))


def write_apkg(deck: DeckFile, path: Path, now: datetime, *, force: bool = False) -> None:
    """Write a deck as an Anki package (schema 11, which every Anki since 2.1 imports)."""
    from quiz.files import check_output, write_output

    check_output(path, force=force)  # before the work
    notes = deck_notes(deck)
    title = deck.deck.title or path.stem
    mod = int(now.timestamp())
    first_id = mod * 1000
    deck_id = _small_id("quiz deck", title)
    kinds = list(dict.fromkeys(note.kind for note in notes))
    models = {str(m["id"]): m for m in (_model(k, deck_id, mod) for k in kinds)}
    mids = {kind: _small_id("quiz note type", kind.value) for kind in kinds}
    decks = {
        "1": _deck(1, "Default", "", mod),
        str(deck_id): _deck(deck_id, title, text_to_html(deck.deck.description), mod),
    }
    dconf = {"1": _deck_config(mod)}
    conf = {"curDeck": deck_id, "activeDecks": [deck_id], "schedVer": 2, "nextPos": len(notes) + 1}
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection.anki2"
        with closing(sqlite3.connect(db_path)) as db:
            db.execute("PRAGMA synchronous = OFF")  # a scratch file, zipped once written
            db.executescript(_SCHEMA_11)
            day = int(now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp())
            db.execute(
                "INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
                (day, mod * 1000, mod * 1000, *map(json.dumps, (conf, models, decks, dconf))),
            )
            card_id = first_id
            for position, note in enumerate(notes):
                note_id = first_id + position
                fields = [text_to_html(note.front), text_to_html(note.back)]
                fields.append(html.escape(note.original, quote=False))
                checksum = int(hashlib.sha1(note.front.encode()).hexdigest()[:8], 16)
                db.execute(
                    "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')",
                    (
                        note_id,
                        note.guid,
                        mids[note.kind],
                        mod,
                        f" {' '.join(note.tags)} " if note.tags else "",
                        "\x1f".join(fields),
                        note.front,
                        checksum,
                    ),
                )
                for ord_ in _ords(note):
                    db.execute(
                        "INSERT INTO cards VALUES"
                        " (?, ?, ?, ?, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')",
                        (card_id, note_id, deck_id, ord_, mod, position + 1),
                    )
                    card_id += 1
            db.commit()
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as package:
            package.write(db_path, "collection.anki2")
            package.writestr("media", "{}")
    write_output(path, packed.getvalue(), force=force)
