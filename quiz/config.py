"""The user's settings file (TOML): when the day starts, the time zone, study overrides, decks.

Every key is optional; an unknown key is an error (a typo should not be silently ignored), and
every error is reported as ``path:line: message``. Example::

    day_starts_at = 4            # the learner day starts at 4am local time
    timezone = "Europe/Berlin"   # default: the system's time zone

    [study]                      # overrides every deck's [deck.study] table
    new_per_day = 10
    desired_retention = 0.92

    [limits]                     # caps over all decks studied together
    new_per_day = 30
    reviews_per_day = 300

    [decks]
    paths = ["~/flashcards"]     # more folders (or files) of decks
"""

from __future__ import annotations

import re
import tomllib
from datetime import tzinfo
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from quiz.clock import system_zone, tz_name, zone_warning
from quiz.errors import DeckError, Problem
from quiz.model import StudySettings

__all__ = ["Config", "ConfigError", "DeckFolders", "Limits", "load_config", "tz_name"]


def _binding_id(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z-]*\.[a-z0-9][a-z0-9-]*", value):
        raise ValueError(f"{value!r} is not a binding id (like study.undo)")
    return value


def _key_names(value: str) -> str:
    names = [k.strip() for k in value.split(",")]
    if not all(re.fullmatch(r"[\w+-]+|[^\s\w]", k) for k in names):
        raise ValueError(f"{value!r}: give key names separated by commas (u, ctrl+z, f2)")
    return value


BindingId = Annotated[str, AfterValidator(_binding_id)]
"""A binding's id in the app, ``screen.action``; ``?`` in the app lists them."""
KeyNames = Annotated[str, AfterValidator(_key_names)]
"""Textual key names separated by commas."""


class ConfigError(DeckError):
    """The settings file cannot be read or has invalid settings: located problems, as a deck
    file's are, so every front end shows them the same way."""

    title = "settings"


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Limits(_Settings):
    """Daily caps over all decks studied together; each deck's own limits apply as well."""

    new_per_day: Annotated[int, Field(ge=0, le=100_000)] = 20
    """New cards introduced per learner day, all decks together."""
    reviews_per_day: Annotated[int, Field(ge=0, le=1_000_000)] = 200
    """Reviews shown per learner day, all decks together."""
    review_order: Literal["overdue", "retrievability"] = "overdue"
    """The order of the day's reviews: the longest overdue first, or (for a backlog) the
    ones you are likeliest to have forgotten first (Anki's "retrievability ascending")."""


class DeckFolders(_Settings):
    """Where decks are found besides the bundled ones and the data dir's ``decks`` folder."""

    paths: list[Path] = []
    """More deck files or folders; ``~`` is expanded."""

    @field_validator("paths")
    @classmethod
    def _expand(cls, value: list[Path]) -> list[Path]:
        return [p.expanduser() for p in value]


class Config(_Settings):
    """The whole settings file."""

    day_starts_at: Annotated[int, Field(ge=0, le=23)] = 4
    """Local hour (0-23) at which a new learner day starts: answers before it count for the
    previous day, so a late-night session does not eat into tomorrow's new cards."""
    timezone: str | None = None
    """IANA time zone of the learner day ("Europe/Berlin"); default: the system's."""
    study: StudySettings = StudySettings()
    """Scheduling settings that override every deck's ``[deck.study]`` table; only the keys
    written here override, the rest come from the deck (see the deck format)."""
    limits: Limits = Limits()
    """Daily limits over all decks together."""
    decks: DeckFolders = DeckFolders()
    """Extra places to find decks."""
    keys: dict[BindingId, KeyNames] = {}
    """Your own keys for the app's actions, by binding id (``"study.undo" = "z,ctrl+z"``):
    ``?`` in the app and the README list every id. Several keys are separated by commas."""
    theme: str | None = None
    """The app's colour theme, one of Textual's (``textual-dark``, ``nord``, ``gruvbox``...)."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"unknown time zone {value!r} (use an IANA name like Europe/Berlin)"
                ) from None
        return value

    def zone(self) -> tzinfo:
        """The learner's time zone: the configured one, else the system's."""
        if self.timezone:
            return ZoneInfo(self.timezone)
        return system_zone()

    def zone_warning(self) -> str | None:
        """Why the zone is only approximate (an unusual system ``TZ``), when it is."""
        return None if self.timezone else zone_warning()

    def settings_for(self, deck_study: StudySettings) -> StudySettings:
        """A deck's study settings with the user's ``[study]`` keys laid over them."""
        fields = self.study.model_fields_set
        if not fields:
            return deck_study
        return deck_study.model_copy(update={f: getattr(self.study, f) for f in fields})


def load_config(path: Path | None = None) -> Config:
    """Read the settings file (default: ``paths.config_file()``); no file means defaults."""
    if path is None:
        from quiz.paths import config_file

        path = config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):  # no file (or its folder is a file)
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(path, 1, f"cannot read the settings file: {exc}")]) from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else 1
        raise ConfigError([Problem(path, line, str(exc).split(" (at ")[0])]) from exc
    except RecursionError:
        raise ConfigError(
            [Problem(path, 1, "TOML nesting is too deep for a settings file")]
        ) from None
    try:
        return Config.model_validate(raw)
    except RecursionError:
        raise ConfigError(
            [Problem(path, 1, "values are nested too deeply for a settings file")]
        ) from None
    except ValidationError as exc:
        from quiz.locate import LineIndex, describe

        index = LineIndex(text)
        errors = exc.errors(include_url=False, include_input=False)
        problems = [
            Problem(path, index.locate(error["loc"], []), describe(error, [], Config))
            for error in errors
        ]
        raise ConfigError(sorted(problems, key=lambda p: p.line)) from None
