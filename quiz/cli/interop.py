"""``quiz import`` and ``quiz export``: decks from and to Anki packages, Anki text and CSV."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.cli.common import plural
from quiz.text import printable

if TYPE_CHECKING:
    from datetime import datetime

    from quiz.decks import LoadedDeck
    from quiz.interop import History, Imported
    from quiz.interop.progress import Carried

__all__ = ["cmd_export", "cmd_import"]


def cmd_import(args: argparse.Namespace) -> int:
    """Import an Anki package, an Anki text export or a CSV/TSV file as a TOML deck, or with
    ``--split-decks`` as one deck file per Anki deck in a folder."""
    from quiz.interop import check_importable, deck_files, import_decks, import_file

    source = Path(args.file)
    check_importable(source)
    targets: list[tuple[Path, str | None, Imported]]
    if args.split_decks:
        folder = Path(args.output) if args.output else source.with_suffix("")
        _check_folder(folder)
        decks = import_decks(source)
        placed = deck_files(folder, [name for name, _ in decks], source.stem)
        targets = [(*place, result) for place, (_, result) in zip(placed, decks, strict=True)]
    else:
        output = Path(args.output) if args.output else source.with_suffix(".toml")
        targets = [(output, None, import_file(source))]
    _check_targets([path for path, _, result in targets if result.deck.cards], force=args.force)
    summary = _Summary()
    for path, deck_id, result in targets:
        if result.deck.cards:
            _write_deck(source, path, deck_id, result, args, summary)
        else:  # a deck none of whose notes can be a card: no file, but every reason said
            summary.skipped += _labelled(result, deck_id)
    summary.report()
    print(f"check it with: quiz check {folder if args.split_decks else targets[0][0]}")
    return 0


def _check_folder(folder: Path) -> None:
    """Refuse a folder of decks that is a file, or whose parent is missing."""
    from quiz.files import OutputError

    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; --split-decks writes a folder of decks")
    if not folder.parent.is_dir():
        raise OutputError(f"cannot write into {folder}: {folder.parent} is not a folder")


def _check_targets(paths: list[Path], *, force: bool) -> None:
    """Refuse before writing anything when a deck file exists (without ``--force``) or
    cannot be written; folders a split import creates are checked as they are made."""
    from quiz.files import check_output

    for path in paths:
        if path.parent.exists() or path.is_symlink():
            check_output(path, force=force)


@dataclass
class _Summary:
    """What an import did, said once for all the decks it wrote."""

    history: list[History] = field(default_factory=list)
    studied: bool = False
    with_progress: bool = True
    missing: list[str] = field(default_factory=list)
    merged: int = 0
    skipped: list[str] = field(default_factory=list)

    def report(self) -> None:
        if self.missing:
            names = ", ".join(printable(name) for name in dict.fromkeys(self.missing))
            count = plural(len(self.missing), "media file")
            print(f"{count} not in the file (cards name them): {names}")
        if self.merged:
            print(
                f"{plural(self.merged, 'note')} had more than two fields:"
                " the others follow the answer on the back"
            )
        if self.skipped:
            print(f"skipped {plural(len(self.skipped), 'note')}:")
            for line in self.skipped:
                print(f"  {printable(line)}")
        if self.studied:
            self._report_history()

    def _report_history(self) -> None:
        reviews = sum(h.reviews for h in self.history)
        cards = sum(h.cards for h in self.history)
        states: Counter[str] = sum((h.states or Counter() for h in self.history), Counter())
        if not self.with_progress:
            print("left out the package's review history and scheduling (--no-progress)")
        elif reviews or cards:
            named = ", ".join(f"{n} {name}" for name, n in sorted(states.items()))
            print(
                f"kept {plural(reviews, 'review')} of history and the state of"
                f" {plural(cards, 'card')} ({named}); the rest are new"
            )
        else:
            print("no new history to keep (none in the package, or imported before)")
        if unmatched := sum(h.unmatched for h in self.history):
            print(f"  {plural(unmatched, 'Anki card')} had no quiz card to take its history")


def _write_deck(
    source: Path,
    output: Path,
    deck_id: str | None,
    result: Imported,
    args: argparse.Namespace,
    summary: _Summary,
) -> None:
    """Write one imported deck, with its media, history and card states."""
    from quiz.decks import save_deck

    deck = result.deck
    if deck_id is not None:
        deck = deck.model_copy(update={"deck": deck.deck.model_copy(update={"id": deck_id})})
        output.parent.mkdir(parents=True, exist_ok=True)
    save_deck(deck, output, force=args.force)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts.items()))
    print(f"imported {plural(len(result.deck.cards), 'card')} ({kinds}) into {output}")
    if result.timing is not None:
        with_progress = not args.no_progress
        summary.history.append(
            _import_progress(args.data_dir, output, result, with_progress=with_progress)
        )
        summary.with_progress = with_progress
        summary.studied |= any(
            card.type or card.queue < 0 for _, note in result.sources for card in note.cards
        )
    copied: list[str] = []
    if result.media and result.timing is not None:  # a package: its media are inside
        from quiz.interop.anki import copy_media

        folder = output.with_name(output.stem + ".media")
        copied = copy_media(source, result.media, folder)
        if copied:
            print(f"copied {plural(len(copied), 'media file')} into {folder}")
    summary.missing += [name for name in result.media if name not in copied]
    summary.merged += result.merged
    summary.skipped += _labelled(result, deck_id)


def _labelled(result: Imported, deck_id: str | None) -> list[str]:
    """The skipped notes of a deck, named by their deck when the import wrote several."""
    if deck_id is None:
        return result.skipped
    return [f"{result.deck.deck.title}, {line}" for line in result.skipped]


def _import_progress(
    data_dir_arg: str | None, output: Path, result: Imported, *, with_progress: bool
) -> History:
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
    return history


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
