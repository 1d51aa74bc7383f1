"""The settings file: defaults, overrides laid over deck settings, located errors."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from quiz.config import Config, ConfigError, load_config
from quiz.model import StudySettings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "missing.toml")
    assert config == Config()
    assert config.day_starts_at == 4 and config.limits.new_per_day == 20


def test_default_path_is_under_quiz_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path))
    write(tmp_path, "day_starts_at = 6\n")
    assert load_config().day_starts_at == 6


def test_study_overrides_only_the_keys_written(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            'timezone = "Asia/Tokyo"\n[study]\nnew_per_day = 5\n[decks]\npaths = ["~/x"]\n',
        )
    )
    deck = StudySettings(new_per_day=50, desired_retention=0.95)
    merged = config.settings_for(deck)
    assert merged.new_per_day == 5 and merged.desired_retention == 0.95
    assert config.settings_for(StudySettings()).desired_retention == 0.9
    assert config.zone() == ZoneInfo("Asia/Tokyo")
    assert config.decks.paths == [Path("~/x").expanduser()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("day_starts_at = 4\ncolour = 1\n", ":2: unknown field 'colour'"),
        ("[study]\n\nnew_per_day = -1\n", ":3: study.new_per_day: Input should be greater"),
        ('timezone = "Mars/Olympus"\n', ":1: timezone: unknown time zone"),
        ("day_starts_at = 24\n", ":1: day_starts_at: Input should be less than or equal to 23"),
        (
            "[limits]\nnew_per_day = 3\nreviews = 2\n",
            ":3: unknown field 'limits.reviews' (did you mean 'reviews_per_day'?)",
        ),
        ("[study]\nretention = 0.9\n", "(did you mean 'desired_retention'?)"),
        (
            "[decks]\n# folders\npath = []\n",
            ":3: unknown field 'decks.path' (did you mean 'paths'?)",
        ),
        ("day_starts_at = \n", ":1: Invalid value"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}:")
    assert expected in str(info.value)


def test_every_problem_is_reported_in_file_order(tmp_path: Path) -> None:
    """Like a deck's errors: one line each, sorted by line, each at its own key."""
    path = write(
        tmp_path,
        "day_start_at = 4\n\n[limits]\nreviews_per_day = -5\n\n[study]\nnew_per_dya = 3\n",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    lines = str(info.value).splitlines()
    assert [line.split(":")[1] for line in lines] == ["1", "4", "7"]
    assert "(did you mean 'day_starts_at'?)" in lines[0]
    assert "limits.reviews_per_day" in lines[1]
    assert "(did you mean 'new_per_day'?)" in lines[2]
    assert [p.line for p in info.value.problems] == [1, 4, 7]


def test_keys_and_theme_are_read(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, 'theme = "nord"\n[keys]\n"study.undo" = "z, ctrl+z"\n"app.help" = "f1"\n')
    )
    assert config.keys == {"study.undo": "z, ctrl+z", "app.help": "f1"}
    assert config.theme == "nord"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[keys]\nundo = "z"\n', ":2: keys.undo: 'undo' is not a binding id"),
        ('[keys]\n"study.undo" = "z z"\n', ":2: keys.study.undo: 'z z': give key names"),
    ],
)
def test_bad_keys_are_located(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert expected in str(info.value)
