"""Where quiz keeps things: one place, so tests and users can point it elsewhere with QUIZ_HOME."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["bundled_decks_dir", "config_file", "data_dir", "user_decks_dir"]

APP_NAME = "quiz"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The progress directory: ``--data-dir``, else ``$QUIZ_HOME``, else the platform's data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("QUIZ_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The user's settings file; under ``$QUIZ_HOME`` when set so tests never read the real one."""
    env = os.environ.get("QUIZ_HOME")
    if env:
        return Path(env).expanduser() / "config.toml"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def user_decks_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The learner's own deck folder, listed beside the bundled decks."""
    return data_dir(override) / "decks"


def bundled_decks_dir() -> Path:
    """The decks shipped with quiz: package data when installed, ``decks/`` in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_decks"
    if packaged.is_dir():
        return packaged
    return here.parent / "decks"
