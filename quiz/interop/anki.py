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
import sqlite3
import tempfile
import zipfile
from collections import defaultdict
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from quiz.interop.notes import (
    ORIGINAL_FIELD,
    InteropError,
    Note,
    NoteKind,
    Origin,
    clean_field,
    deck_notes,
    sanitise_tags,
    text_to_html,
)
from quiz.interop.progress import (
    AnkiCard,
    AnkiLog,
    AnkiTiming,
    Carried,
    anki_columns,
    anki_log,
)
from quiz.model import Card, DeckFile, content_hash, item_faces

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
    model: str = ""
    """The note type as legacy JSON, to write it back unchanged."""

    @cached_property
    def layouts(self) -> list[tuple[list[str], list[str], bool]]:
        """Per card template: the fields on the front, the fields the back adds, and whether
        the answer is typed (one layout, of the first two fields, for a type with none)."""
        return [self._layout(q, a) for q, a in self.templates or [("", "")]]

    def _layout(self, question: str, answer: str) -> tuple[list[str], list[str], bool]:
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

    @cached_property
    def mirrored(self) -> bool:
        """Two templates, the second asking what the first answers: a reversed pair, as
        "Basic (and reversed card)" is, which one quiz card with ``reverse`` stands for."""
        if self.cloze or len(self.layouts) != 2:
            return False
        (front, back, typed), (front2, back2, typed2) = self.layouts
        return set(front) == set(back2) and set(back) == set(front2) and not typed | typed2


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


def _legacy_model(
    ntid: int,
    name: str,
    mod: int,
    cloze: bool,
    fields: list[str],
    template_names: list[str],
    templates: list[tuple[str, str]],
    css: str,
    descriptions: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A note type as the JSON a schema 11 collection keeps in ``col.models``."""
    descriptions = descriptions or {}
    return {
        "id": ntid,
        "name": name,
        "type": 1 if cloze else 0,
        "mod": mod,
        "usn": -1,
        "sortf": 0,
        "did": None,
        "tmpls": [
            {
                "name": template_name,
                "ord": n,
                "qfmt": question,
                "afmt": answer,
                "bqfmt": "",
                "bafmt": "",
                "did": None,
                "bfont": "",
                "bsize": 0,
            }
            for n, (template_name, (question, answer)) in enumerate(
                zip(template_names, templates, strict=False)
            )
        ],
        "flds": [
            {
                "name": field_name,
                "ord": n,
                "sticky": False,
                "rtl": False,
                "font": "Arial",
                "size": 20,
                "description": descriptions.get(field_name, ""),
                "collapsed": field_name in descriptions,
            }
            for n, field_name in enumerate(fields)
        ],
        "css": css,
        "latexPre": "\\documentclass[12pt]{article}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": False,
        "req": [[n, "any", [0]] for n in range(len(templates))],
        "tags": [],
        "vers": [],
    }


def _modern_schema(
    db: sqlite3.Connection,
) -> tuple[dict[int, _NoteType], dict[int, str], dict[str, str]]:
    """Note types and decks of a schema 18 collection (``collection.anki21b``)."""
    fields: dict[int, list[str]] = defaultdict(list)
    for ntid, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields[ntid].append(name)
    templates: dict[int, list[tuple[str, str]]] = defaultdict(list)
    template_names: dict[int, list[str]] = defaultdict(list)
    for ntid, name, config in db.execute(
        "SELECT ntid, name, config FROM templates ORDER BY ntid, ord"
    ):
        templates[ntid].append((_proto_text(config, 1), _proto_text(config, 2)))
        template_names[ntid].append(name)
    types = {}
    for ntid, name, mtime, config in db.execute(
        "SELECT id, name, mtime_secs, config FROM notetypes"
    ):
        cloze = 1 in _proto(config).get(1, [])
        model = _legacy_model(
            ntid,
            name,
            mtime,
            cloze,
            fields[ntid],
            template_names[ntid],
            templates[ntid],
            _proto_text(config, 3),
        )
        types[ntid] = _NoteType(fields[ntid], cloze, templates[ntid], json.dumps(model))
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
                json.dumps(m),
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


@dataclass(frozen=True, slots=True)
class Collection:
    """What quiz takes from a collection: its notes, each deck's description, its clock."""

    notes: list[Note]
    descriptions: dict[str, str]
    timing: AnkiTiming


def _n(value: object) -> int:
    """An integer column, which a damaged collection may hold as NULL, text or a float."""
    if isinstance(value, int):
        return value
    if value is None or value == "":
        return 0
    return int(float(str(value)))


def _timing(db: sqlite3.Connection, tables: set[str]) -> AnkiTiming:
    """When day 0 of the collection is, and the hour its day starts."""
    crt, conf_text = db.execute("SELECT crt, conf FROM col").fetchone() or (0, "{}")
    conf: dict[str, Any] = {}
    try:
        loaded = json.loads(conf_text or "{}")
        conf = loaded if isinstance(loaded, dict) else {}
    except ValueError:
        pass
    if "config" in tables:
        for key, value in db.execute(
            "SELECT key, val FROM config WHERE key IN ('rollover', 'creationOffset')"
        ):
            with suppress(ValueError, TypeError):
                conf[key] = json.loads(value)
    offset = conf.get("creationOffset")
    rollover = conf.get("rollover", 4)
    return AnkiTiming(
        _n(crt),
        offset if isinstance(offset, int) else None,
        rollover if isinstance(rollover, int) and 0 <= rollover <= 23 else 4,
    )


def _memory(data: object) -> tuple[tuple[float, float] | None, int | None]:
    """The FSRS memory state and last review time a card's ``data`` JSON holds, if any."""
    try:
        parsed = json.loads(data) if isinstance(data, str) and data else {}
    except ValueError:
        return None, None
    if not isinstance(parsed, dict):
        return None, None
    s, d, lrt = parsed.get("s"), parsed.get("d"), parsed.get("lrt")
    memory = None
    if isinstance(s, int | float) and isinstance(d, int | float) and s > 0 and 1 <= d <= 10:
        memory = (float(s), float(d))
    return memory, lrt if isinstance(lrt, int) and lrt > 0 else None


def _cards(
    db: sqlite3.Connection, deck_names: dict[int, str], *, with_log: bool
) -> dict[int, list[tuple[AnkiCard, str]]]:
    """Each note's cards with their history, and the home deck of each (not a filtered one)."""
    logs: dict[int, list[AnkiLog]] = defaultdict(list)
    query = "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
    for row in db.execute(query) if with_log else ():
        rid, cid, *rest = (_n(v) for v in row)
        logs[cid].append(AnkiLog(rid, *rest))
    cards: dict[int, list[tuple[AnkiCard, str]]] = defaultdict(list)
    for row in db.execute(
        "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, left, odue,"
        " odid, mod, data FROM cards ORDER BY nid, ord"
    ):
        cid, nid, did, ord_, type_, queue, due, ivl, factor, reps, lapses, left, odue, odid, mod = (
            _n(v) for v in row[:15]
        )
        memory, last = _memory(row[15])
        home = odid or did
        card = AnkiCard(
            cid,
            ord_,
            type_,
            queue,
            odue if odid and odue else due,
            ivl,
            factor,
            reps,
            lapses,
            left,
            mod,
            memory,
            last,
            tuple(logs.get(cid, ())),
        )
        cards[nid].append((card, deck_names.get(home, "")))
    return cards


def _read_collection(path: Path) -> Collection:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        db.create_collation("unicase", _unicase)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"notes", "cards", "col"} <= tables:
            raise InteropError("the file inside is not an Anki collection")
        schema = _modern_schema if "notetypes" in tables else _legacy_schema
        try:
            types, deck_names, descriptions = schema(db)
            timing = _timing(db, tables)
            cards = _cards(db, deck_names, with_log="revlog" in tables)
            rows = db.execute("SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id")
            notes = [
                part
                for nid, guid, mid, mod, tags, flds in rows
                for part in _note(
                    types.get(_n(mid), _UNKNOWN),
                    _RawNote(_n(mid), _n(mod), str(guid or ""), str(tags or ""), str(flds or "")),
                    cards.get(_n(nid), []),
                )
            ]
        except (ValueError, TypeError, OverflowError) as exc:
            raise InteropError(f"the collection holds values Anki never writes ({exc})") from exc
    clean = {name: clean_field(text, is_html=True)[0] for name, text in descriptions.items()}
    return Collection(notes, clean, timing)


_UNKNOWN = _NoteType(["Front", "Back"], cloze=False, templates=[])


@dataclass(frozen=True, slots=True)
class _RawNote:
    """A row of Anki's ``notes`` table, as stored."""

    mid: int
    mod: int
    guid: str
    tags: str
    flds: str


def _note(notetype: _NoteType, row: _RawNote, cards: list[tuple[AnkiCard, str]]) -> list[Note]:
    """The notes an Anki note becomes: one, or one per card when its templates are not a
    single card and its reverse (each card then shows its own template's fields only)."""
    ords = sorted({c.ord for c, _ in cards})
    if notetype.cloze or len(notetype.layouts) == 1 or notetype.mirrored or ords in ([], [0]):
        reverse = notetype.mirrored and 1 in ords
        return [_note_part(notetype, row, cards, 0, reverse=reverse)]
    return [
        _note_part(notetype, row, [(c, d) for c, d in cards if c.ord == n], n, split=True)
        for n in ords
        if n < len(notetype.layouts)
    ]


def _note_part(
    notetype: _NoteType,
    row: _RawNote,
    cards: list[tuple[AnkiCard, str]],
    template: int,
    *,
    reverse: bool = False,
    split: bool = False,
) -> Note:
    """The note one template of an Anki note makes (all of it, unless ``split``)."""
    guid, tags = row.guid, row.tags
    raw = row.flds.split("\x1f")
    values = dict(zip(notetype.fields, raw, strict=False))
    front_names, back_names, typed = notetype.layouts[template]
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
        kind = NoteKind.REVERSED if reverse else NoteKind.BASIC
    deck = cards[0][1] if cards else ""
    original = html.unescape(values.get(ORIGINAL_FIELD, ""))
    origin = None
    if notetype.model and ORIGINAL_FIELD not in notetype.fields:
        index = {name: n for n, name in enumerate(notetype.fields)}
        origin = Origin(
            guid,
            row.mid,
            row.mod,
            tuple(raw),
            tags,
            notetype.model,
            tuple(index[n] for n in front_names if n in index),
            tuple(index[n] for n in back_names if n in index),
            template if split else None,
        )
    return Note(
        kind,
        front,
        back,
        sanitise_tags(tags.split()),
        guid,
        original,
        deck,
        tuple(media),
        tuple(c for c, _ in cards),
        origin,
        split=template if split else None,
    )


MAX_COLLECTION = 1 << 30
"""The largest collection a package may unpack to (a real 4,600-note deck is ~10 MB)."""


def _unpack(package: zipfile.ZipFile, member: str, target: Path) -> None:
    """Copy the collection out, compressed or not, refusing one that unpacks too large."""
    import zstandard

    info = package.getinfo(member)
    if info.file_size > MAX_COLLECTION:
        raise InteropError(f"{member} would unpack to {info.file_size:,} bytes; too large")
    written = 0
    with package.open(member) as source, target.open("wb") as out:
        reader = (
            zstandard.ZstdDecompressor().stream_reader(source) if member.endswith("b") else source
        )
        while chunk := reader.read(1 << 20):
            written += len(chunk)
            if written > MAX_COLLECTION:
                raise InteropError(f"{member} unpacks to more than {MAX_COLLECTION:,} bytes")
            out.write(chunk)


MAX_MEDIA_FILE = 100 << 20
"""The largest media file copied out of a package."""
MAX_MEDIA = 1 << 30
"""The most media copied out of one package in all."""


def _media_map(package: zipfile.ZipFile) -> dict[str, str]:
    """Each media file's name and the zip member holding it (``media`` is JSON in legacy
    packages, zstd-compressed protobuf in new ones)."""
    import zstandard

    if "media" not in package.namelist() or package.getinfo("media").file_size > MAX_MEDIA_FILE:
        return {}
    data = package.read("media")
    if data.startswith(b"\x28\xb5\x2f\xfd"):
        data = zstandard.ZstdDecompressor().decompress(data, max_output_size=MAX_MEDIA_FILE)
        entries = _proto(data).get(1, [])
        return {_proto_text(bytes(entry), 1): str(n) for n, entry in enumerate(entries)}
    try:
        mapping = json.loads(data or b"{}")
    except ValueError:
        return {}
    if not isinstance(mapping, dict):
        return {}
    return {str(name): str(member) for member, name in mapping.items()}


def copy_media(path: Path, names: list[str], folder: Path) -> list[str]:
    """Copy the media files a package holds under these names into ``folder``; the names
    copied. File names are reduced to a plain name (no folders), and sizes are limited."""
    import zstandard

    from quiz.interop.notes import media_name

    copied: list[str] = []
    total = 0
    try:
        with zipfile.ZipFile(path) as package:
            members = {media_name(name): member for name, member in _media_map(package).items()}
            for name in dict.fromkeys(names):
                member = members.get(name)
                if member is None or member not in package.namelist():
                    continue
                data = (
                    package.read(member)
                    if package.getinfo(member).file_size <= MAX_MEDIA_FILE
                    else b""
                )
                if data.startswith(b"\x28\xb5\x2f\xfd"):
                    data = zstandard.ZstdDecompressor().decompress(
                        data, max_output_size=MAX_MEDIA_FILE
                    )
                total += len(data)
                if not data or total > MAX_MEDIA or name in (".", ".."):
                    continue
                folder.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
                copied.append(name)
    except (zipfile.BadZipFile, zstandard.ZstdError, OSError, InteropError) as exc:
        raise InteropError(f"{path}: cannot copy its media ({exc})") from exc
    return copied


def read_apkg(path: Path) -> Collection:
    """The notes of an Anki package (with their cards' scheduling and history), the
    description of each of its decks by name, and how it counts days."""
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
            _unpack(package, member, extracted)
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


_QUIZ_TYPES = {kind: f"{kind.value} (quiz)" for kind in NoteKind}
"""Our note types' names: never a stock name, so Anki never has to rename or merge them."""


def _model(kind: NoteKind, mod: int) -> dict[str, Any]:
    templates = _TEMPLATES[kind]
    names = (
        ["Cloze"] if kind is NoteKind.CLOZE else [f"Card {n + 1}" for n in range(len(templates))]
    )
    return _legacy_model(
        _small_id("quiz note type", kind.value),
        _QUIZ_TYPES[kind],
        mod,
        kind is NoteKind.CLOZE,
        [*kind.field_names, ORIGINAL_FIELD],
        names,
        templates,
        _CSS,
        {ORIGINAL_FIELD: _ORIGINAL_NOTE},
    )


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


@dataclass(slots=True)
class _Row:
    """A note as written: its columns, and the item key of each card ordinal it makes."""

    guid: str
    mid: int
    mod: int
    tags: str
    fields: list[str]
    ords: dict[int, str]
    sort_field: str
    changed: set[int] = field(default_factory=set)
    """The fields this card's edits rewrote (kept when cards of one note are merged)."""

    def merge(self, other: _Row) -> None:
        """Take in another quiz card of the same Anki note: its card and its edits."""
        self.ords.update(other.ords)
        for index in other.changed:
            self.fields[index] = other.fields[index]
        self.changed |= other.changed
        if other.mod > self.mod:
            self.mod, self.tags = other.mod, other.tags


def _facet_ords(note: Note, faces: dict[str, str]) -> dict[int, str]:
    """The card ordinals a note makes, each with the quiz item it is."""
    ords: dict[int, str] = {}
    for ord_ in _ords(note):
        facet = f"c{ord_ + 1}" if note.kind is NoteKind.CLOZE else ("reverse" if ord_ else "")
        ords[ord_] = faces.get(facet, "")
    return ords


def _row(note: Note, card: Card, faces: dict[str, str], carried: Carried, mod: int) -> _Row:
    """The note to write for a card: the Anki note it came from when there is one (untouched
    if the card is unchanged since), else one of our own note types.

    A quiz card that is one card of an Anki note (one template of a custom note type, one
    group of a nested cloze) writes that note with only its own card; the rows of one note
    are merged before writing. An edited nested-cloze card cannot be put back into gaps that
    nest, so it goes to Anki as a note of its own and the original note stays as it was.
    """
    ords = _facet_ords(note, faces)
    tags = f" {' '.join(note.tags)} " if note.tags else ""
    found = carried.origins.get(card.id or "")
    if found is not None:
        digest, text = found
        origin = json.loads(text)
        mid = int(origin["notetype_id"])
        split = origin.get("split")
        unchanged = digest == content_hash(card)
        nested = split is not None and note.kind is NoteKind.CLOZE
        if mid in carried.notetypes and (unchanged or not nested):
            if split is not None:
                facet = f"c{split + 1}" if note.kind is NoteKind.CLOZE else ""
                ords = {int(split): faces.get(facet, "")}
            fields = list(origin["fields"])
            if unchanged:
                row_mod, row_tags = int(origin["mod"]), origin["tags"]
                return _Row(origin["guid"], mid, row_mod, row_tags, fields, ords, note.front)
            changed: set[int] = set()
            for indexes, text_ in (
                (origin["front_fields"], note.front),
                (origin["back_fields"], note.back),
            ):
                for n, index in enumerate(indexes):
                    if index < len(fields):
                        fields[index] = text_to_html(text_) if n == 0 else ""
                        changed.add(index)
            return _Row(origin["guid"], mid, mod, tags, fields, ords, note.front, changed)
    fields = [text_to_html(note.front), text_to_html(note.back)]
    fields.append(html.escape(note.original, quote=False))
    mid = _small_id("quiz note type", note.kind.value)
    return _Row(note.guid, mid, mod, tags, fields, ords, note.front)


def _merged(rows: list[_Row]) -> list[_Row]:
    """One row per note: quiz cards that came from one Anki note go back as that note."""
    by_guid: dict[tuple[str, int], _Row] = {}
    for row in rows:
        first = by_guid.setdefault((row.guid, row.mid), row)
        if first is not row:
            first.merge(row)
    return list(by_guid.values())


def _export_timing(carried: Carried, now: datetime) -> tuple[AnkiTiming, dict[str, Any]]:
    """Day 0 of the written collection (today's learner day) and the settings saying so."""
    calendar = carried.calendar
    start = calendar.start(calendar.day(now))
    offset = start.astimezone(calendar.tz).utcoffset() or timedelta()
    minutes_west = -int(offset.total_seconds() // 60)
    timing = AnkiTiming(int(start.timestamp()), minutes_west, calendar.start_hour)
    return timing, {"creationOffset": minutes_west, "rollover": calendar.start_hour}


def write_apkg(
    deck: DeckFile,
    path: Path,
    now: datetime,
    *,
    force: bool = False,
    carried: Carried | None = None,
) -> None:
    """Write a deck as an Anki package (schema 11, which every Anki since 2.1 imports).

    ``carried`` brings the Anki notes imported cards came from (so Anki sees its own notes
    again, unchanged or updated, never new ones) and, with states, each card's scheduling
    and review log (so Anki has the same cards due).
    """
    from quiz.files import check_output, write_output

    check_output(path, force=force)  # before the work
    carried = carried or Carried()
    notes = deck_notes(deck)
    title = deck.deck.title or path.stem
    mod = int(now.timestamp())
    first_id = mod * 1000
    deck_id = _small_id("quiz deck", title)
    faces: dict[int, dict[str, str]] = defaultdict(dict)
    for key, _, facet, index in item_faces(deck.cards):
        faces[index][facet] = key
    rows = _merged(
        [
            _row(note, card, faces[n], carried, mod)
            for n, (note, card) in enumerate(zip(notes, deck.cards, strict=True))
        ]
    )
    kinds = list(dict.fromkeys(note.kind for note in notes))
    models: dict[str, Any] = {str(m["id"]): m for m in (_model(k, mod) for k in kinds)}
    for row in rows:
        if str(row.mid) not in models and row.mid in carried.notetypes:
            models[str(row.mid)] = json.loads(carried.notetypes[row.mid])
    decks = {
        "1": _deck(1, "Default", "", mod),
        str(deck_id): _deck(deck_id, title, text_to_html(deck.deck.description), mod),
    }
    dconf = {"1": _deck_config(mod)}
    timing, clock = _export_timing(carried, now)
    conf = {
        "curDeck": deck_id,
        "activeDecks": [deck_id],
        "schedVer": 2,
        "nextPos": len(rows) + 1,
        **clock,
    }
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "collection.anki2"
        with closing(sqlite3.connect(db_path)) as db:
            db.execute("PRAGMA synchronous = OFF")  # a scratch file, zipped once written
            db.executescript(_SCHEMA_11)
            db.execute(
                "INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
                (
                    timing.crt,
                    mod * 1000,
                    mod * 1000,
                    *map(json.dumps, (conf, models, decks, dconf)),
                ),
            )
            card_id = first_id
            used: set[int] = set()
            for position, row in enumerate(rows):
                note_id = first_id + position
                checksum = int(hashlib.sha1(row.sort_field.encode()).hexdigest()[:8], 16)
                db.execute(
                    "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')",
                    (
                        note_id,
                        row.guid,
                        row.mid,
                        row.mod,
                        row.tags,
                        "\x1f".join(row.fields),
                        row.sort_field,
                        checksum,
                    ),
                )
                for ord_, key in row.ords.items():
                    ids = (card_id, note_id, deck_id, ord_, mod, position + 1)
                    _write_card(db, carried, timing, now, ids, key, used)
                    card_id += 1
            db.commit()
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as package:
            package.write(db_path, "collection.anki2")
            names = _pack_media(package, carried.media)
            package.writestr("media", json.dumps(names))
    write_output(path, packed.getvalue(), force=force)


def _pack_media(package: zipfile.ZipFile, folder: Path | None) -> dict[str, str]:
    """Put a deck's media files into the package as Anki numbers them; the name of each."""
    names: dict[str, str] = {}
    if folder is None or not folder.is_dir():
        return names
    total = 0
    for file in sorted(folder.iterdir()):
        if not file.is_file() or file.is_symlink():
            continue
        size = file.stat().st_size
        total += size
        if size > MAX_MEDIA_FILE or total > MAX_MEDIA:
            continue
        member = str(len(names))
        package.write(file, member)
        names[member] = file.name
    return names


def _write_card(
    db: sqlite3.Connection,
    carried: Carried,
    timing: AnkiTiming,
    now: datetime,
    ids: tuple[int, int, int, int, int, int],
    key: str,
    used: set[int],
) -> None:
    """One card row, new or (with states) scheduled, and its review log."""
    card_id, note_id, deck_id, ord_, mod, position = ids
    if carried.states is None:
        db.execute(
            "INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')",
            (card_id, note_id, deck_id, ord_, mod, position),
        )
        return
    columns = anki_columns(carried.states.get(key), carried.settings, carried.calendar, timing, now)
    db.execute(
        "INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)",
        (
            card_id,
            note_id,
            deck_id,
            ord_,
            mod,
            columns.type,
            columns.queue,
            position if columns.due is None else columns.due,
            columns.ivl,
            columns.factor,
            columns.reps,
            columns.lapses,
            columns.left,
            columns.data,
        ),
    )
    history = carried.history.get(key, ())
    for rid, ease, ivl, last_ivl, time_ms, kind in anki_log(history, carried.calendar, used):
        factor = 0 if kind == 0 else 2500
        db.execute(
            "INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            (rid, card_id, ease, ivl, last_ivl, factor, time_ms, kind),
        )
