"""The command line: help for every command, usage errors, and no traceback for user mistakes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quiz import __version__
from quiz.cli import build_parser, main
from quiz.cli.parser import command_names

REPO = Path(__file__).resolve().parents[2]


def commands() -> list[str]:
    return sorted(command_names(build_parser()))


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"quiz {__version__}"


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: quiz {command}")
    assert len(out.splitlines()) > 3


def test_bad_flag_gives_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--no-such-flag"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: quiz check" in err and "unrecognized arguments: --no-such-flag" in err


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mine.toml"
    assert main(["new", str(target), "--title", "Mine"]) == 0
    before = target.read_text(encoding="utf-8")
    assert main(["new", str(target)]) == 2
    assert "exists" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == before
    assert main(["check", "--strict", str(target)]) == 0


def test_check_with_no_paths_checks_bundled_decks_from_anywhere(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quiz", "check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"QUIZ_HOME": str(tmp_path), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_schema_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert '"title": "quiz deck"' in capsys.readouterr().out


def test_readme_settings_example_is_valid(tmp_path: Path) -> None:
    from quiz.config import load_config

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Settings", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "config.toml"
    path.write_text(block, encoding="utf-8")
    config = load_config(path)
    assert config.day_starts_at == 4
    assert config.study.learning_steps == ["1m", "10m"]


def test_generate_refuses_to_overwrite_a_deck(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Mayor Ana Lopez said on Monday that the city will plant 500 trees in Porto.\n",
        encoding="utf-8",
    )
    target = tmp_path / "mine.toml"
    target.write_text("# my work\n", encoding="utf-8")
    assert main(["generate", str(article), "-o", str(target)]) == 2
    assert "use --force" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "# my work\n"
    assert main(["generate", str(article), "-o", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("#:schema")


@pytest.mark.parametrize("command", ["exam", "study", "home"])
def test_an_unknown_deck_is_refused_before_the_app_opens(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path))
    monkeypatch.setattr("quiz.cli.common.has_terminal", lambda: True)

    def no_app(**_: object) -> None:
        raise AssertionError("the app was opened")

    monkeypatch.setattr("quiz.tui.build_app", no_app)
    assert main([command, "nosuchdeck"]) != 0
    assert "no deck 'nosuchdeck' (deck ids: israel-mediation-2022" in capsys.readouterr().err


def test_check_counts_cards_and_what_they_study_as(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "d.toml"
    deck.write_text(
        '[[cards]]\nfront = "a"\nback = "b"\nreverse = true\n'
        '[[cards]]\ncloze = "{{c1::x}} and {{c2::y}}"\n'
    )
    assert main(["check", str(deck)]) == 0
    assert "1 deck(s), 2 card(s) (4 to study)" in capsys.readouterr().out
