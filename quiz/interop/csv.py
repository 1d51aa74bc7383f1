"""Anki's text format and plain CSV/TSV: one reader for both, one writer Anki imports.

Anki's text export starts with ``#key:value`` headers (``#separator:tab``, ``#html:true``,
``#tags column:3``, ``#notetype column:2``, ...; columns count from 1). A plain CSV has none:
its columns are front, back and tags, with an optional header row naming them, and its
delimiter is sniffed.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quiz.interop.notes import (
    ORIGINAL_FIELD,
    InteropError,
    Note,
    clean_field,
    deck_notes,
    kind_from_name,
    sanitise_tags,
)
from quiz.model import DeckFile

__all__ = ["read_text", "write_csv"]

_SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":"}
_ROLES = {
    "guid": "guid",
    "notetype": "notetype",
    "note type": "notetype",
    "deck": "deck",
    "tags": "tags",
    "tag": "tags",
    ORIGINAL_FIELD: "original",
}
_FIELD_ROLES = {
    "front": "front",
    "question": "front",
    "text": "front",
    "back": "back",
    "answer": "back",
    "back extra": "back",
    "extra": "back",
}
"""Column names that say which side a field is (``#columns:Back\tFront`` swaps them)."""
_HEADER_KEYS = frozenset(
    {"separator", "html", "tags", "columns", "notetype", "deck", "if matches"}
    | {f"{role} column" for role in ("notetype", "deck", "tags", "guid")}
)
_FIELD_NAMES = {"front", "back", "question", "answer", "text", "extra", "back extra"}
_EXPORT_COLUMNS = ("guid", "notetype", "deck", "front", "back", ORIGINAL_FIELD, "tags")


def _decode(data: bytes, path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), or UTF-16 when it starts with a BOM."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InteropError(
            f"{path}:{line}: not UTF-8 text ({exc.reason});"
            " save the file as UTF-8 and import it again"
        ) from exc
    if not text.strip():
        raise InteropError(f"{path} is empty")
    return text


@dataclass
class _Layout:
    """What each column holds, from the headers, a header row, or the plain-CSV default."""

    separator: str
    is_html: bool
    roles: dict[str, int]
    notetype: str
    deck: str
    tags: list[str]


def _headers(lines: list[str]) -> tuple[dict[str, str], int]:
    """Anki's header lines at the top of the file, and how many there are.

    As in Anki, every leading line that starts with ``#`` is a header or a comment (unknown
    keys are ignored), and a first line ``tags:...`` gives tags to every note.
    """
    headers: dict[str, str] = {}
    count = 0
    if lines and lines[0].startswith("tags:"):
        headers["tags"] = lines[0][5:].strip()
        count = 1
    for line in lines[count:]:
        if not line.startswith("#"):
            break
        key, colon, value = line[1:].partition(":")
        key = key.strip().casefold()
        if colon and key in _HEADER_KEYS:
            headers[key] = value.strip()
        count += 1
    return headers, count


def _without_comments(body: str) -> str:
    """The body without its comment lines (a ``#`` starting a record, as Anki skips them)."""
    kept: list[str] = []
    quoted = False
    for line in body.splitlines(keepends=True):
        if not quoted and line.startswith("#"):
            continue
        kept.append(line)
        quoted ^= line.count('"') % 2 == 1
    return "".join(kept)


def _sniff(body: str, path: Path) -> str:
    if path.suffix.casefold() == ".tsv":
        return "\t"
    sample = "\n".join(body.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return "\t" if "\t" in sample else ","


def _layout(headers: dict[str, str], body: str, path: Path) -> _Layout:
    raw = headers.get("separator", "")
    separator = _SEPARATORS.get(raw.casefold(), raw[:1]) if raw else _sniff(body, path)
    roles: dict[str, int] = {}
    for role in ("guid", "notetype", "deck", "tags"):
        number = headers.get(f"{role} column", "")
        if number.isdigit() and int(number) >= 1:
            roles[role] = int(number) - 1
    return _Layout(
        separator=separator,
        is_html=headers.get("html", "false").casefold() == "true",
        roles=roles,
        notetype=headers.get("notetype", ""),
        deck=headers.get("deck", ""),
        tags=headers.get("tags", "").split(),
    )


def _name_columns(layout: _Layout, names: Sequence[str]) -> None:
    """Give columns named guid, notetype, deck, tags or quiz their role, unless a header did,
    and columns named for a side (Front, Back, Text, Extra...) that side."""
    for index, name in enumerate(names):
        key = name.strip().casefold()
        role = _ROLES.get(key) or _FIELD_ROLES.get(key)
        if role and role not in layout.roles and index not in layout.roles.values():
            layout.roles[role] = index


def _is_header_row(row: Sequence[str]) -> bool:
    cells = [c.strip().casefold() for c in row if c.strip()]
    known = _FIELD_NAMES | set(_ROLES)
    return len(cells) >= 2 and all(c in known for c in cells)


def _note(row: list[str], layout: _Layout) -> Note:
    def cell(role: str) -> str:
        index = layout.roles.get(role)
        return row[index] if index is not None and index < len(row) else ""

    sides = [layout.roles[side] for side in ("front", "back") if side in layout.roles]
    used = set(layout.roles.values())
    fields = [cell(side) for side in ("front", "back") if side in layout.roles]
    fields += [value for i, value in enumerate(row) if i not in used and i not in sides]
    media: list[str] = []
    cleaned: list[str] = []
    for value in fields:
        text, found = clean_field(value, is_html=layout.is_html)
        cleaned.append(text)
        media.extend(found)
    cleaned += [""] * (2 - len(cleaned))
    notetype = cell("notetype") or layout.notetype
    kind = kind_from_name(notetype, cleaned)
    # Fields past the second are kept, after the back; "optional reversed" has its flag there.
    extra = cleaned[3 if "optional" in notetype.casefold() else 2 :]
    back = "\n\n".join(t for t in [cleaned[1], *extra] if t)
    tags = sanitise_tags([*layout.tags, *cell("tags").split()])
    deck = cell("deck") or layout.deck
    return Note(
        kind,
        cleaned[0],
        back,
        tags,
        cell("guid"),
        cell("original"),
        deck,
        tuple(media),
        extra_fields=sum(1 for t in extra if t),
    )


def read_text(path: Path) -> list[Note]:
    """The notes of an Anki text export or a CSV/TSV file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InteropError(f"{path}: cannot read ({exc.strerror})") from exc
    lines = _decode(data, path).splitlines(keepends=True)
    headers, count = _headers(lines)
    body = _without_comments("".join(lines[count:]))
    layout = _layout(headers, body, path)
    try:
        rows = [r for r in csv.reader(io.StringIO(body), delimiter=layout.separator) if any(r)]
    except csv.Error as exc:
        raise InteropError(f"{path}: not readable as CSV ({exc})") from exc
    names = headers["columns"].split(layout.separator) if "columns" in headers else []
    if not headers and rows and _is_header_row(rows[0]):
        names = rows.pop(0)
    if names:
        _name_columns(layout, names)
    elif not headers:
        layout.roles["tags"] = 2
    return [_note(row, layout) for row in rows]


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (CSV injection)."""


def _defused(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def write_csv(
    deck: DeckFile, path: Path, *, force: bool = False, spreadsheet_safe: bool = False
) -> None:
    """Write a deck as a CSV (or, for ``.tsv``, tab-separated) file that Anki imports as is.

    The headers name the note type, deck, tags and guid columns, so Anki needs no questions;
    the ``quiz`` column, which Anki leaves unmapped, carries each card for an exact round trip.
    ``spreadsheet_safe`` puts a ``'`` before every cell a spreadsheet would run as a formula
    (``=``, ``+``, ``-``, ``@``, tab, CR): for opening the file in a spreadsheet, at the cost
    of that quote in the text Anki or quiz would import.
    """
    from quiz.files import write_output

    tab = path.suffix.casefold() in (".tsv", ".txt")
    separator = "\t" if tab else ","
    title = deck.deck.title or path.stem
    out = io.StringIO()
    columns = {name: n for n, name in enumerate(_EXPORT_COLUMNS, start=1)}
    headers = [
        f"#separator:{'tab' if tab else 'comma'}",
        "#html:false",
        *(f"#{role} column:{columns[role]}" for role in ("guid", "notetype", "deck", "tags")),
        f"#columns:{separator.join(_EXPORT_COLUMNS)}",
    ]
    out.write("".join(f"{line}\r\n" for line in headers))
    # "\r\n", not "\n": the writer quotes only the line ends it writes itself, so a bare "\r"
    # in a field would go out unquoted and the reader would reject the file.
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    for note in deck_notes(deck):
        row = [
            note.guid,
            note.kind.value,
            title,
            note.front,
            note.back,
            note.original,
            " ".join(note.tags),
        ]
        writer.writerow([_defused(cell) for cell in row] if spreadsheet_safe else row)
    write_output(path, out.getvalue(), force=force)
