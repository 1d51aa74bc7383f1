"""The Textual front end: ``build_app`` makes the app for the CLI and the tests alike.

Importing this package does not import Textual; ``build_app`` does, so ``quiz --help`` and
the plain commands stay fast.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.config import Config
    from quiz.custom import CustomStudy
    from quiz.tui.app import EditorRunner, QuizApp

__all__ = ["build_app"]


def build_app(
    *,
    data_dir: Path,
    decks: Sequence[str | Path] = (),
    now: Callable[[], datetime],
    command: str = "home",
    exam_count: int = 20,
    exam_minutes: float | None = None,
    custom: CustomStudy | None = None,
    config: Config | None = None,
    default_decks: bool = True,
    monotonic: Callable[[], float] = time.monotonic,
    editor: EditorRunner | None = None,
    calm: bool = False,
) -> QuizApp:
    """The app over the progress in ``data_dir``.

    ``decks`` are deck files, folders or deck ids from the command line; the bundled decks,
    the user's deck folder and the config's folders are added unless ``default_decks`` is
    False. ``now`` is the only clock the app reads; ``monotonic`` times answers. ``calm``
    turns off animations and cursor blinking, for stable screenshots.
    """
    from quiz import clock
    from quiz.backup import start_up_backup
    from quiz.decks import library_paths, looks_like_path, outside_library
    from quiz.paths import config_file
    from quiz.storage import Store
    from quiz.tui.app import QuizApp, StartRequest, run_editor

    if config is None and config_file().exists():  # no file: defaults, built when first used
        from quiz.config import load_config

        config = load_config()
    files = tuple(Path(d) for d in decks if looks_like_path(str(d)))
    ids = tuple(str(d) for d in decks if not looks_like_path(str(d)))
    extra = config.decks.paths if config else []
    store = Store.open(data_dir, now=now())
    backup_warning = start_up_backup(store.path, now())
    if default_decks:
        studied = [p for p in store.deck_files() if p.exists()]
        paths = library_paths(data_dir, [*extra, *studied, *files])
    else:
        paths = list(dict.fromkeys(files))
    store.remember_deck_files(outside_library(files, data_dir, extra), now())
    app = QuizApp(
        store=store,
        config=config,
        deck_paths=paths,
        now=now,
        monotonic=monotonic,
        start=StartRequest(command, ids, files, exam_count, exam_minutes, custom),
        editor=editor or run_editor,
        calm=calm,
    )
    if backup_warning:
        app.notify(backup_warning, title="Backup", severity="warning", markup=False)
    if zone_warning := (config.zone_warning() if config else clock.zone_warning()):
        app.notify(zone_warning, title="Time zone", severity="warning", markup=False)
    return app
