"""Decks to and from Anki (``.apkg``, Anki's text export) and CSV/TSV.

``import_file`` and ``export_deck`` are the library; ``run_import`` and ``run_export`` are the
``quiz import`` and ``quiz export`` commands over them.
"""

from __future__ import annotations

import argparse
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from quiz.interop.notes import Imported, InteropError, notes_to_deck
from quiz.model import DeckFile, expand

__all__ = ["Imported", "InteropError", "export_deck", "import_file", "run_export", "run_import"]

_PACKAGES = (".apkg", ".colpkg")
_TEXT = (".csv", ".tsv", ".txt")


def import_file(path: Path) -> Imported:
    """Read an Anki package, an Anki text export or a CSV/TSV file as a deck."""
    from quiz.interop.anki import read_apkg
    from quiz.interop.csv import read_text

    if not path.exists():
        raise InteropError(f"{path}: no such file")
    if not path.is_file():
        raise InteropError(f"{path} is not a file")
    if path.stat().st_size == 0:
        raise InteropError(f"{path} is empty")
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


def export_deck(deck: DeckFile, path: Path, now: datetime) -> None:
    """Write a deck as an Anki package (``.apkg``) or an Anki-ready CSV/TSV, by the suffix."""
    from quiz.interop.anki import write_apkg
    from quiz.interop.csv import write_csv

    suffix = path.suffix.casefold()
    if suffix == ".apkg":
        write_apkg(deck, path, now)
    elif suffix in _TEXT:
        write_csv(deck, path)
    else:
        raise InteropError(f"{path}: cannot tell the format; name it .apkg, .csv or .tsv")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def run_import(args: argparse.Namespace) -> int:
    """``quiz import FILE [-o DECK]``: write the deck and say what was left out."""
    from quiz.decks import save_deck

    source = Path(args.file)
    output = Path(args.output) if args.output else source.with_suffix(".toml")
    if output.exists():
        raise InteropError(f"{output} exists; choose another deck file with -o")
    result = import_file(source)
    save_deck(result.deck, output)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts.items()))
    print(f"imported {_plural(len(result.deck.cards), 'card')} ({kinds}) into {output}")
    if result.media:
        print(
            f"left out {_plural(len(result.media), 'media file')} (decks are text):"
            f" {', '.join(result.media)}"
        )
    if result.skipped:
        print(f"skipped {_plural(len(result.skipped), 'note')}:")
        for line in result.skipped:
            print(f"  {line}")
    print(f"check it with: quiz check {output}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """``quiz export DECK -o FILE``: DECK is a deck file or the id of a deck in the library."""
    from quiz.decks import default_deck_paths, load_deck, load_library

    name, output = args.deck, Path(args.output)
    if Path(name).is_file():
        loaded = load_deck(Path(name), data_dir=args.data_dir)
    else:
        library = load_library(default_deck_paths(args.data_dir), data_dir=args.data_dir)
        found = library.by_id(name)
        if found is None:
            known = ", ".join(sorted(d.id for d in library.decks)) or "none"
            failed = f"; {len(library.failures)} failed to load" if library.failures else ""
            raise InteropError(f"no deck file or deck id {name!r} (deck ids: {known}{failed})")
        loaded = found
    meta = loaded.meta.model_copy(update={"title": loaded.title})
    deck = DeckFile(deck=meta, cards=loaded.cards)
    export_deck(deck, output, datetime.now(UTC))
    faces = len(expand(loaded.id, loaded.cards))
    print(f"exported {_plural(len(deck.cards), 'card')} ({faces} to review) to {output}")
    return 0
