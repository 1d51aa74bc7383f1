"""What the commands share: the terminal check, plurals, and opening the deck library."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from quiz.backup import start_up_backup
from quiz.config import Config, load_config
from quiz.decks import (
    Library,
    LoadedDeck,
    library_paths,
    load_library,
    looks_like_path,
    outside_library,
)
from quiz.errors import QuizError
from quiz.identity import Relink, relink_edited
from quiz.paths import data_dir
from quiz.storage import Store

__all__ = [
    "Context",
    "check_named",
    "has_terminal",
    "open_library",
    "plural",
    "relinked",
    "remembered_decks",
]


def has_terminal() -> bool:
    """Whether the app can run here: it reads keys from stdin and draws on stdout, so both
    must be a terminal (else it would draw into a pipe forever). The benchmarks' headless
    probe replaces it."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class Context:
    """What a command over the deck library works with: settings, decks, the store."""

    config: Config
    library: Library
    decks: list[LoadedDeck]
    store: Store
    zone: tzinfo = field(init=False)

    def __post_init__(self) -> None:
        self.zone = self.config.zone()


def open_library(
    data_dir_arg: str | None, now: datetime, names: Sequence[str] = (), *, read_only: bool = False
) -> Context:
    """Load the settings, the decks (all, or those named by id or path) and the store.

    ``read_only`` commands (listings, statistics) also work on a data folder quiz cannot
    write: they then say so, take no backup and save nothing."""
    config = load_config()
    if warning := config.zone_warning():
        print(f"quiz: warning: {warning}", file=sys.stderr)
    store = Store.open(data_dir(data_dir_arg), now=now, read_only=read_only)
    if store.read_only:
        print(
            f"quiz: note: {store.path.parent} cannot be written: showing progress, saving nothing",
            file=sys.stderr,
        )
    elif warning := start_up_backup(store.path, now):
        print(f"quiz: warning: {warning}", file=sys.stderr)
    files = [Path(n) for n in names if looks_like_path(n)]
    studied = [p for p in store.deck_files() if p.exists()]  # a file since moved: not missing
    paths = library_paths(data_dir_arg, [*config.decks.paths, *studied, *files])
    library = load_library(paths, data_dir=data_dir_arg)
    for problem in library.failures:
        print(f"quiz: warning: {problem}", file=sys.stderr)
    chosen = _named(library, names) if names else list(library.decks)
    if not store.read_only:
        store.remember_deck_files(outside_library(files, data_dir_arg, config.decks.paths), now)
    return Context(config, library, chosen, store)


def check_named(data_dir_arg: str | None, names: Sequence[str], now: datetime) -> None:
    """Fail before the app opens when a deck named on the command line is in no library:
    a usage mistake gets a message and an exit code, not a full-screen app showing it."""
    if not names:
        return
    config = load_config()
    files = [Path(n) for n in names if looks_like_path(n)]
    paths = library_paths(
        data_dir_arg, [*config.decks.paths, *remembered_decks(data_dir_arg, now), *files]
    )
    _named(load_library(paths, data_dir=data_dir_arg), names)


def remembered_decks(data_dir_arg: str | None, now: datetime) -> list[Path]:
    """The decks studied by path, for commands that open no store of their own (``check``,
    ``export``); none when there is no progress yet or it cannot be read."""
    from quiz.storage import db_path

    if not db_path(data_dir(data_dir_arg)).exists():
        return []
    try:
        with Store.open(data_dir(data_dir_arg), now=now, read_only=True) as store:
            return [p for p in store.deck_files() if p.exists()]
    except QuizError:
        return []


def relinked(ctx: Context, now: datetime) -> list[Relink]:
    """Give edited cards their history (not in a folder quiz cannot write)."""
    if ctx.store.read_only:
        return []
    return [r for d in ctx.decks for r in relink_edited(ctx.store, d.id, d.items, now)]


def _named(library: Library, names: Sequence[str]) -> list[LoadedDeck]:
    """The decks named by id, or by a path to their file or to a folder above it."""
    chosen: list[LoadedDeck] = []
    for name in names:
        if looks_like_path(name):
            target = Path(name).resolve()
            found = [
                d for d in library.decks if target in (d.path.resolve(), *d.path.resolve().parents)
            ]
        else:
            found = [d for d in library.decks if d.id == name]
        if not found:
            known = ", ".join(sorted(d.id for d in library.decks)) or "none"
            raise QuizError(f"no deck {name!r} (deck ids: {known})")
        chosen += [d for d in found if d not in chosen]
    return chosen
