"""Decks to and from Anki (``.apkg``, Anki's text export) and CSV/TSV.

``import_file`` and ``export_deck`` are the library; ``quiz import`` and ``quiz export`` are a
few lines over them in ``quiz.cli``.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.interop.notes import Imported, InteropError, Note, NoteKind, notes_to_deck
from quiz.model import DeckFile, content_hash

if TYPE_CHECKING:
    from quiz.config import Config
    from quiz.decks import LoadedDeck
    from quiz.interop.progress import AnkiTiming, Carried
    from quiz.storage import Store

__all__ = [
    "History",
    "Imported",
    "InteropError",
    "carried_for",
    "check_importable",
    "deck_files",
    "deck_for_export",
    "export_deck",
    "import_decks",
    "import_file",
    "record_history",
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
    with path.open("rb") as file:
        start = file.read(64)
    if start.startswith(b"SQLite format 3\x00"):
        raise InteropError(
            f"{path} is a database (an Anki collection?), not a package: in Anki, use"
            " File > Export (.colpkg or .apkg) and import that file"
        )
    if start.startswith(b"version https://git-lfs.github.com/spec/"):
        raise InteropError(
            f"{path} is a Git LFS pointer, not the file itself: fetch it (git lfs pull) first"
        )


def import_file(path: Path) -> Imported:
    """Read an Anki package, an Anki text export or a CSV/TSV file as a deck."""
    notes, descriptions, timing = _read_notes(path)
    result = notes_to_deck(notes, path.stem, descriptions)
    result.timing = timing
    _check_cards(path, len(notes), [result])
    return result


def import_decks(path: Path) -> list[tuple[str, Imported]]:
    """``import_file`` as one deck per Anki deck its notes are in, each with the deck's full
    name ("" for notes without one), in the order the decks first appear."""
    notes, descriptions, timing = _read_notes(path)
    groups: dict[str, list[Note]] = {}
    for note in notes:
        groups.setdefault(note.deck, []).append(note)
    decks = []
    for name, group in groups.items():
        result = notes_to_deck(group, path.stem, descriptions)
        result.timing = timing
        decks.append((name, result))
    _check_cards(path, len(notes), [result for _, result in decks])
    return decks


def _read_notes(path: Path) -> tuple[list[Note], dict[str, str], AnkiTiming | None]:
    """A file's notes, its decks' descriptions, and its collection's day count if any."""
    from quiz.interop.anki import read_apkg
    from quiz.interop.csv import read_text

    check_importable(path)
    if path.suffix.casefold() in _PACKAGES or zipfile.is_zipfile(path):
        collection = read_apkg(path)
        notes, descriptions, timing = collection.notes, collection.descriptions, collection.timing
    else:
        notes, descriptions, timing = read_text(path), {}, None
    if not notes:
        raise InteropError(f"{path} holds no notes to import")
    return notes, descriptions, timing


def _check_cards(path: Path, notes: int, results: list[Imported]) -> None:
    if not any(result.deck.cards for result in results):
        reasons = "\n  ".join(line for result in results for line in result.skipped[:5])
        raise InteropError(f"{path}: none of its {notes} notes can become a card:\n  {reasons}")


def _file_part(name: str) -> str:
    """One level of an Anki deck name as a file or folder name any system accepts."""
    part = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', "-", name).strip(" .-")[:80].strip(" .")
    return part or "deck"


def deck_files(folder: Path, names: list[str], fallback: str) -> list[tuple[Path, str]]:
    """Where each Anki deck goes under ``folder``, and its deck id: a subdeck's file in its
    parent's folder (``Spanish::Verbs`` as ``Spanish/Verbs.toml``, id ``Spanish.Verbs``), a
    deck of notes without one as ``fallback``; names that clash get `` (2)``, ``(3)``..."""
    placed: list[tuple[Path, str]] = []
    taken: set[str] = set()
    for name in names:
        parts = [_file_part(p) for p in (name.split("::") if name else [fallback])]
        base, n = parts[-1], 2
        while (key := "/".join([*parts[:-1], parts[-1]]).casefold()) in taken:
            parts[-1], n = f"{base} ({n})", n + 1
        taken.add(key)
        slug = ".".join(re.sub(r"[^\w-]+", "-", p).strip("-_") or "deck" for p in parts)
        deck_id = slug if re.match(r"[A-Za-z0-9]", slug) else f"d{slug}"
        placed.append((folder.joinpath(*parts[:-1], parts[-1] + ".toml"), deck_id[:200]))
    return placed


@dataclass(frozen=True, slots=True)
class History:
    """What an import added to the progress database."""

    reviews: int = 0
    """Answers added to the review log."""
    cards: int = 0
    """Cards whose state was set (studied, suspended or buried in Anki)."""
    states: Counter[str] | None = None
    """Those cards by what they are now: learning, review, suspended, buried."""
    unmatched: int = 0
    """Anki cards with no quiz counterpart (a custom note type's extra templates)."""


def _facet(note: Note, ord_: int) -> str | None:
    """The quiz item facet an Anki card ordinal becomes, or None when there is none."""
    if note.kind is NoteKind.CLOZE:
        return f"c{ord_ + 1}"
    if note.split is not None:
        return "" if ord_ == note.split else None
    kind = note.kind
    if ord_ == 0:
        return ""
    return "reverse" if kind is NoteKind.REVERSED and ord_ == 1 else None


def record_history(
    store: Store,
    loaded: LoadedDeck,
    imported: Imported,
    config: Config,
    now: datetime,
    *,
    with_progress: bool = True,
) -> History:
    """Put the imported cards' Anki history and state into the store (unless not
    ``with_progress``), and the notes they came from.

    Idempotent: entries are keyed by Anki's own ids, so importing the same package again
    adds nothing and leaves progress made since untouched.
    """
    from quiz.interop.progress import AnkiTiming, ImportedCard, replay
    from quiz.scheduling import Calendar

    items = {(item.card_key, item.facet): item for item in loaded.items}
    by_id = {card.id: card for card in loaded.cards}
    settings = config.settings_for(loaded.study)
    calendar = Calendar(config.zone(), config.day_starts_at)
    timing = imported.timing or AnkiTiming(int(now.timestamp()))
    reviews = []
    unmatched = 0
    origins: list[tuple[str, str, str]] = []
    notetypes: dict[int, str] = {}
    states: Counter[str] = Counter()
    for card_id, note in imported.sources:
        card = by_id.get(card_id)
        if card is None:
            continue
        if note.origin is not None:
            fields = asdict(note.origin)
            notetypes[note.origin.notetype_id] = fields.pop("notetype")
            origins.append((card_id, content_hash(card), json.dumps(fields, ensure_ascii=False)))
        for anki_card in note.cards if with_progress else ():
            facet = _facet(note, anki_card.ord)
            item = items.get((card_id, facet)) if facet is not None else None
            if item is None:
                unmatched += 1
                continue
            source = ImportedCard(
                loaded.id, item.key, item.content_hash, anki_card, "leech" in note.tags
            )
            entries = replay(source, settings, calendar, timing, now)
            reviews.extend(entries)
            if entries:
                states[entries[-1].state_after.word(now, due=False)] += 1
    added, cards = store.import_history(reviews)
    if origins or notetypes:
        store.save_anki_origins(loaded.id, origins, notetypes)
    answers = sum(1 for r in reviews if r.rating and r.id in added)
    return History(answers, cards, states if cards else Counter(), unmatched)


def export_deck(
    deck: DeckFile,
    path: Path,
    now: datetime,
    *,
    force: bool = False,
    spreadsheet_safe: bool = False,
    carried: Carried | None = None,
) -> None:
    """Write a deck as an Anki package (``.apkg``) or an Anki-ready CSV/TSV, by the suffix.

    An existing file is replaced only with ``force``; ``spreadsheet_safe`` applies to CSV/TSV
    (see ``write_csv``); ``carried`` (see ``carried_for``) to packages.
    """
    from quiz.interop.anki import write_apkg
    from quiz.interop.csv import write_csv

    suffix = path.suffix.casefold()
    if suffix == ".apkg":
        write_apkg(deck, path, now, force=force, carried=carried)
    elif suffix in _TEXT:
        write_csv(deck, path, force=force, spreadsheet_safe=spreadsheet_safe)
    else:
        raise InteropError(f"{path}: cannot tell the format; name it .apkg, .csv or .tsv")


def carried_for(
    store: Store, loaded: LoadedDeck, config: Config, *, with_progress: bool
) -> Carried:
    """What an export of this deck takes from the store: the Anki notes its cards came from
    and, ``with_progress``, each card's state and review log."""
    from quiz.interop.progress import Carried
    from quiz.scheduling import Calendar

    origins, notetypes = store.anki_origins(loaded.id)
    media = loaded.path.with_name(loaded.path.stem + ".media")
    if not with_progress:
        return Carried(origins, notetypes, media=media)
    states = store.states_for_deck(loaded.id)
    history = {key: store.history(loaded.id, key) for key in states}
    return Carried(
        origins,
        notetypes,
        states,
        history,
        config.settings_for(loaded.study),
        Calendar(config.zone(), config.day_starts_at),
        media,
    )


def deck_for_export(loaded: LoadedDeck) -> DeckFile:
    """A loaded deck as the file it would be written as (its title resolved)."""
    meta = loaded.meta.model_copy(update={"title": loaded.title})
    return DeckFile(deck=meta, cards=loaded.cards)
