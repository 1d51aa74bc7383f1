"""Decks to and from Anki (``.apkg``, Anki's text export) and CSV/TSV.

``import_file`` and ``export_deck`` are the library; ``quiz import`` and ``quiz export`` are a
few lines over them in ``quiz.cli``.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.interop.notes import Imported, InteropError, notes_to_deck
from quiz.model import DeckFile

if TYPE_CHECKING:
    from quiz.decks import LoadedDeck

__all__ = [
    "Imported",
    "InteropError",
    "check_importable",
    "deck_for_export",
    "export_deck",
    "import_file",
]

_PACKAGES = (".apkg", ".colpkg")
_TEXT = (".csv", ".tsv", ".txt")


def check_importable(path: Path) -> None:
    """Refuse a path that is not a file with something in it, saying why."""
    if not path.exists():
        raise InteropError(f"{path}: no such file")
    if path.is_dir():
        raise InteropError(f"{path} is a folder, not a file to import")
    if not path.is_file():
        raise InteropError(f"{path} is not a regular file (a pipe or a device?)")
    if path.stat().st_size == 0:
        raise InteropError(f"{path} is empty")


def import_file(path: Path) -> Imported:
    """Read an Anki package, an Anki text export or a CSV/TSV file as a deck."""
    from quiz.interop.anki import read_apkg
    from quiz.interop.csv import read_text

    check_importable(path)
    descriptions: dict[str, str] = {}
    if path.suffix.casefold() in _PACKAGES or zipfile.is_zipfile(path):
        notes, descriptions = read_apkg(path)
    else:
        notes = read_text(path)
    if not notes:
        raise InteropError(f"{path} holds no notes to import")
    result = notes_to_deck(notes, path.stem, descriptions)
    if not result.deck.cards:
        reasons = "\n  ".join(result.skipped[:5])
        raise InteropError(
            f"{path}: none of its {len(notes)} notes can become a card:\n  {reasons}"
        )
    return result


def export_deck(
    deck: DeckFile,
    path: Path,
    now: datetime,
    *,
    force: bool = False,
    spreadsheet_safe: bool = False,
) -> None:
    """Write a deck as an Anki package (``.apkg``) or an Anki-ready CSV/TSV, by the suffix.

    An existing file is replaced only with ``force``; ``spreadsheet_safe`` applies to CSV/TSV
    (see ``write_csv``).
    """
    from quiz.interop.anki import write_apkg
    from quiz.interop.csv import write_csv

    suffix = path.suffix.casefold()
    if suffix == ".apkg":
        write_apkg(deck, path, now, force=force)
    elif suffix in _TEXT:
        write_csv(deck, path, force=force, spreadsheet_safe=spreadsheet_safe)
    else:
        raise InteropError(f"{path}: cannot tell the format; name it .apkg, .csv or .tsv")


def deck_for_export(loaded: LoadedDeck) -> DeckFile:
    """A loaded deck as the file it would be written as (its title resolved)."""
    meta = loaded.meta.model_copy(update={"title": loaded.title})
    return DeckFile(deck=meta, cards=loaded.cards)
