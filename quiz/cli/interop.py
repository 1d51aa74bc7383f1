"""``quiz import`` and ``quiz export``: decks from and to Anki packages, Anki text and CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.cli.common import plural
from quiz.text import printable

if TYPE_CHECKING:
    from datetime import datetime

    from quiz.decks import LoadedDeck
    from quiz.interop import Imported
    from quiz.interop.progress import Carried

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
    if result.timing is not None:
        _import_progress(args.data_dir, output, result, with_progress=not args.no_progress)
    copied: list[str] = []
    if result.media and result.timing is not None:  # a package: its media are inside
        from quiz.interop.anki import copy_media

        folder = output.with_name(output.stem + ".media")
        copied = copy_media(source, result.media, folder)
        if copied:
            print(f"copied {plural(len(copied), 'media file')} into {folder}")
    missing = [name for name in result.media if name not in copied]
    if missing:
        print(
            f"{plural(len(missing), 'media file')} not in the file (cards name them):"
            f" {', '.join(printable(name) for name in missing)}"
        )
    if result.merged:
        print(
            f"{plural(result.merged, 'note')} had more than two fields:"
            " the others follow the answer on the back"
        )
    if result.skipped:
        print(f"skipped {plural(len(result.skipped), 'note')}:")
        for line in result.skipped:
            print(f"  {printable(line)}")
    print(f"check it with: quiz check {output}")
    return 0


def _import_progress(
    data_dir_arg: str | None, output: Path, result: Imported, *, with_progress: bool
) -> None:
    """Give the written deck the package's review history and card states, and keep the
    Anki notes its cards came from (so an export back to Anki changes nothing unedited)."""
    from quiz.backup import start_up_backup
    from quiz.clock import now as clock_now
    from quiz.config import load_config
    from quiz.decks import load_deck
    from quiz.interop import record_history
    from quiz.paths import data_dir
    from quiz.storage import Store

    now = clock_now()
    config = load_config()
    loaded = load_deck(output, data_dir=data_dir_arg)
    with Store.open(data_dir(data_dir_arg), now=now) as store:
        if warning := start_up_backup(store.path, now):
            print(f"quiz: warning: {warning}", file=sys.stderr)
        history = record_history(store, loaded, result, config, now, with_progress=with_progress)
        store.remember_deck_files([output.resolve()], now)
    studied = any(card.type or card.queue < 0 for _, n in result.sources for card in n.cards)
    if not studied:
        return
    if not with_progress:
        print("left out the package's review history and scheduling (--no-progress)")
    elif history.reviews or history.cards:
        states = ", ".join(f"{n} {name}" for name, n in sorted((history.states or {}).items()))
        print(
            f"kept {plural(history.reviews, 'review')} of history and the state of"
            f" {plural(history.cards, 'card')} ({states}); the rest are new"
        )
    else:
        print("no new history to keep (none in the package, or imported before)")
    if history.unmatched:
        print(f"  {plural(history.unmatched, 'Anki card')} had no quiz card to take its history")


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
    now = clock_now()
    carried = _carried(args.data_dir, loaded, now, with_progress=args.with_progress)
    export_deck(
        deck,
        output,
        now,
        force=args.force,
        spreadsheet_safe=args.spreadsheet_safe,
        carried=carried,
    )
    faces = len(expand(loaded.id, loaded.cards))
    print(f"exported {plural(len(deck.cards), 'card')} ({faces} to review) to {output}")
    if carried is not None and carried.states is not None:
        answers = sum(
            1
            for log in carried.history.values()
            for review in log
            if review.rating and review.kind not in ("manual", "exam") and not review.undone
        )
        print(
            f"with the progress of {plural(len(carried.states), 'card')}"
            f" and {plural(answers, 'answer')} of history"
        )
    return 0


def _carried(
    data_dir_arg: str | None, loaded: LoadedDeck, now: datetime, *, with_progress: bool
) -> Carried | None:
    """What the store holds for the export: Anki origins and, if asked, progress."""
    from quiz.config import load_config
    from quiz.interop import InteropError, carried_for
    from quiz.paths import data_dir
    from quiz.storage import Store, db_path

    if not db_path(data_dir(data_dir_arg)).exists():
        if with_progress:
            raise InteropError("no progress to export yet (nothing studied in this data folder)")
        from quiz.interop.progress import Carried

        return Carried(media=loaded.path.with_name(loaded.path.stem + ".media"))
    with Store.open(data_dir(data_dir_arg), now=now, read_only=True) as store:
        return carried_for(store, loaded, load_config(), with_progress=with_progress)
