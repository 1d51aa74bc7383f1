"""Terminal safety of the line-based commands: whatever a deck, an imported file, an article or
a file name holds (Rich markup, Textual actions, links, CSI / OSC 8 / OSC 52 sequences, C0 and
C1 controls, bidi overrides), what quiz writes to the terminal is inert, visible text."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.cli import main

HOSTILE = Path(__file__).parent.parent / "data" / "hostile" / "hostile.toml"
NOW = "2024-03-04T09:00:00+00:00"
# How each payload of the hostile deck must read on the terminal.
SHOWN = [
    "[bold]b[/bold] [@click=app.quit]q[/] [link=https://evil.example]l[/link] [$accent]v[/]",
    "␛[31mred␛[0m ␛[2J <U+009B>31m",
    "␛]8;;https://evil.example␇click␛]8;;␇",
    "␛]52;c;ZXZpbA==␇ <U+009D>52;c;eA==<U+009C>",
    "bell␇ bs␈ cr␍ vt␋ del␡",
    "nel<U+0085> dcs<U+0090>x<U+009C>",
    "<U+202E>evil<U+202C> <U+2066>iso<U+2069> <U+2067>r<U+2069> <U+2068>f<U+2069>",
]


def unsafe(text: str) -> list[str]:
    """Characters a terminal would act on (or reorder text by) instead of showing."""
    return sorted({f"U+{ord(c):04X}" for c in text if not (c.isprintable() or c in "\n\t")})


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "home"
    directory.mkdir()
    (directory / "config.toml").write_text('timezone = "UTC"\n')
    monkeypatch.setenv("QUIZ_HOME", str(directory))
    monkeypatch.setenv("QUIZ_NOW", NOW)
    return directory


def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def study_everything(home: Path, deck: Path) -> str:
    """Answer every card ``quiz study --plain`` shows, whatever its kind, as a learner would;
    return all it wrote."""
    env = {**os.environ, "QUIZ_HOME": str(home), "QUIZ_NOW": NOW, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "quiz", "study", "--plain", str(deck)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        encoding="utf-8",
        errors="surrogateescape",  # a stray byte must show up in the check, not crash it
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    replies = {
        "Enter shows": "",
        "answer (option": "1",
        "answer (t/f)": "t",
        "answer (letters": "c a b",
    }
    out = []
    asked = 0
    while line := proc.stdout.readline():
        out.append(line)
        if line.startswith(("Enter shows", "answer", "rate")) and line.endswith(">\n"):
            asked += 1
            if asked > 100:  # a prompt this driver does not know, asked again and again
                proc.kill()
                raise AssertionError(f"study kept asking: {line!r}")
            reply = next((r for p, r in replies.items() if line.startswith(p)), "x")
            proc.stdin.write(("3" if line.startswith("rate") else reply) + "\n")
            proc.stdin.flush()
    proc.stdin.close()
    assert proc.wait(timeout=60) == 0
    return "".join(out)


def test_plain_study_shows_every_kind_of_hostile_text_inert(home: Path) -> None:
    out = study_everything(home, HOSTILE)
    assert unsafe(out) == []
    answered = {line.split()[3] for line in out.splitlines() if line.startswith("recorded ")}
    assert answered == {"basic", "cloze/c1", "typed", "choice", "truefalse", "order"}
    for shown in SHOWN:
        assert shown in out
    for label in ("Q: F ", "A: B ", "why: E ", "Q: C ", "Q: P ", "Q: Q ", "Q: S ", "Q: O "):
        assert f"{label}{SHOWN[0]} | {SHOWN[1]}" in out, label
    assert "  1) R ␛]8;;https://evil.example␇click␛]8;;␇\n" in out
    assert f"  a) i3 {SHOWN[6]}\n" in out


def test_listing_and_checking_commands_stay_inert(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    decks = home / "decks"
    decks.mkdir()
    shutil.copy(HOSTILE, decks / "hostile.toml")
    # A shared folder may hold file names that are escape sequences themselves.
    evil = decks / "\x1b]52;c;ZXZpbA==\x07\u202e.toml"
    evil.write_text("x = ", encoding="utf-8")
    study_everything(home, decks / "hostile.toml")
    for argv in (["decks"], ["stats"], ["check", str(decks)], ["study", "--plain", str(evil)]):
        _, out = run(argv, capsys, monkeypatch)
        assert unsafe(out) == [], argv
    _, out = run(["check", str(decks)], capsys, monkeypatch)
    assert "␛]52;c;ZXZpbA==␇<U+202E>.toml:1: TOML syntax" in out
    # Progress left by a card that is gone is listed with the text it asked.
    (decks / "hostile.toml").write_text(
        '[deck]\nid = "hostile"\n[[cards]]\nfront = "f"\nback = "b"\n'
    )
    evil.unlink()
    code, out = run(["orphans"], capsys, monkeypatch)
    assert code == 0 and "log entries" in out
    assert unsafe(out) == []
    assert SHOWN[1] in out


def test_imported_files_stay_inert(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "hostile.txt"  # an Anki text export: tab-separated notes
    raw = "[bold]x[/bold] \x1b[31mred \x1b]52;c;eA==\x07 \u202eevil"
    rows = f"Q {raw}\tA {raw}\nonly one field {raw}\n"  # the second note is skipped, quoted
    source.write_text("#separator:tab\n#html:false\n" + rows, encoding="utf-8")
    deck = tmp_path / "imported.toml"
    code, out = run(["import", str(source), "-o", str(deck)], capsys, monkeypatch)
    assert code == 0, out
    assert unsafe(out) == []
    assert "note 2 ('only one field [bold]x[/bold] \\x1b[31mred" in out
    out = study_everything(home, deck)
    assert unsafe(out) == []
    assert "Q: Q [bold]x[/bold] ␛[31mred ␛]52;c;eA==␇ <U+202E>evil\n" in out


def test_generated_drafts_stay_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(
        "The Treaty\n\n"
        "The council met in Rome on 3 March 2021 and [bold]approved[/bold] the plan, 12 to 3.\n\n"
        "Maria Lopez, the \u202eminister\u202c of finance, said the \x1b]52;c;ZXZpbA==\x07"
        " budget would grow by 5 percent in 2022.\n\n"
        "The [@click=app.quit]committee[/] was founded in 1999 by John Smith in"
        " \x1b[31mGeneva\x1b[0m.\n",
        encoding="utf-8",
    )
    code, out = run(["generate", str(article)], capsys, monkeypatch)
    assert code == 0, out
    assert unsafe(out) == []
    assert "[bold]approved[/bold]" in out  # markup is kept as the text it is
