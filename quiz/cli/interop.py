"""``quiz import`` and ``quiz export``: decks from and to Anki packages, Anki text and CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

from quiz.cli.common import plural

__all__ = ["cmd_export", "cmd_import"]


def cmd_import(args: argparse.Namespace) -> int:
    """Import an Anki package, an Anki text export or a CSV/TSV file as a TOML deck."""
    from quiz.decks import save_deck
    from quiz.files import check_output
    from quiz.interop import check_importable, import_file

    source = Path(args.file)
    output = Path(args.output) if args.output else source.with_suffix(".toml")
    check_importable(source)
    check_output(output, force=args.force)
    result = import_file(source)
    save_deck(result.deck, output, force=args.force)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts.items()))
    print(f"imported {plural(len(result.deck.cards), 'card')} ({kinds}) into {output}")
    if result.media:
        print(
            f"left out {plural(len(result.media), 'media file')} (decks are text):"
            f" {', '.join(result.media)}"
        )
    if result.skipped:
        print(f"skipped {plural(len(result.skipped), 'note')}:")
        for line in result.skipped:
            print(f"  {line}")
    print(f"check it with: quiz check {output}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export a deck (a deck file, or the id of a deck in the library) to .apkg or CSV."""
    from quiz.cli.common import remembered_decks
    from quiz.clock import now as clock_now
    from quiz.config import load_config
    from quiz.decks import library_paths, load_deck, load_library
    from quiz.files import check_output
    from quiz.interop import InteropError, deck_for_export, export_deck
    from quiz.model import expand

    name, output = args.deck, Path(args.output)
    check_output(output, force=args.force)
    if Path(name).is_file():
        loaded = load_deck(Path(name), data_dir=args.data_dir)
    else:
        studied = remembered_decks(args.data_dir, clock_now())
        paths = library_paths(args.data_dir, [*load_config().decks.paths, *studied])
        library = load_library(paths, data_dir=args.data_dir)
        found = library.by_id(name)
        if found is None:
            known = ", ".join(sorted(d.id for d in library.decks)) or "none"
            failed = f"; {len(library.failures)} failed to load" if library.failures else ""
            raise InteropError(f"no deck file or deck id {name!r} (deck ids: {known}{failed})")
        loaded = found
    deck = deck_for_export(loaded)
    export_deck(deck, output, clock_now(), force=args.force, spreadsheet_safe=args.spreadsheet_safe)
    faces = len(expand(loaded.id, loaded.cards))
    print(f"exported {plural(len(deck.cards), 'card')} ({faces} to review) to {output}")
    return 0
