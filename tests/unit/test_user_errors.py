"""Everything a user can get wrong ends as a clear message and a non-zero exit, never a
traceback or a hang; and nothing of theirs is overwritten on the way.

Each case runs ``quiz`` as a real process (its environment, its stdin, its exit code), the way
a learner meets it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from answers import answer
from helpers import review_count

from quiz.errors import StorageError
from quiz.storage import Store, db_path

NOW = "2024-03-01T12:00:00+00:00"
DECKS = Path(__file__).parents[1] / "tui" / "decks"


def quiz(
    *args: str,
    home: Path,
    stdin: str = "",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``quiz ARGS`` in a process of its own over the data dir ``home``, its clock stopped."""
    environ = {**os.environ, "QUIZ_HOME": str(home), "QUIZ_NOW": NOW, "PYTHONIOENCODING": "utf-8"}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd,
        timeout=60,
    )


def refused(result: subprocess.CompletedProcess[str], *words: str, code: int = 2) -> str:
    """Assert a clean refusal: the exit code, each word in stderr, no traceback anywhere."""
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == code, (result.returncode, result.stderr)
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    return result.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A data dir with progress: three cards answered in plain mode."""
    directory = tmp_path / "home"
    done = quiz("study", "--plain", home=directory, stdin="\n3\n\n3\n\n3\nq\n")
    assert done.returncode == 0, done.stderr
    return directory


# --- the system's time zone ------------------------------------------------------------------


@pytest.mark.parametrize("tz", ["UTC0", "JST-9", "<+0330>-3:30"])
def test_posix_tz_without_daylight_saving_is_an_exact_fixed_offset(tz: str, home: Path) -> None:
    done = quiz("decks", home=home, env={"TZ": tz})
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "warning" not in done.stderr


@pytest.mark.parametrize("tz", ["CET-1CEST,M3.5.0,M10.5.0/3", ":/etc/passwd", "Nowhere/Special"])
def test_other_tz_values_fall_back_with_a_warning_naming_the_setting(tz: str, home: Path) -> None:
    for command in (["decks"], ["stats"], ["study", "--plain"]):
        done = quiz(*command, home=home, env={"TZ": tz}, stdin="q\n")
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "timezone = " in done.stderr and "config.toml" in done.stderr


def test_a_posix_tz_gives_the_right_offset() -> None:
    code = "from quiz.clock import system_zone; from datetime import datetime;"
    code += "print(datetime(2024, 1, 1).astimezone(system_zone()).utcoffset())"
    env = {**os.environ, "TZ": "JST-9"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "9:00:00", done.stderr


# --- the clock ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("9999-12-31T23:59:59", "out of range"),
        ("0001-01-01", "out of range"),
        ("1e308", "not an ISO date"),
        ("2024-02-30", "not an ISO date"),
    ],
)
def test_extreme_quiz_now_is_refused(value: str, says: str, home: Path) -> None:
    for command in (["decks"], ["study", "--plain"], ["backup"]):
        refused(quiz(*command, home=home, env={"QUIZ_NOW": value}), "QUIZ_NOW", says)


# --- flags -------------------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", ["nan", "inf", "1e308", "0", "-5", "soon"])
def test_a_bad_exam_time_is_a_usage_error(minutes: str, home: Path) -> None:
    done = quiz("exam", "every-kind", "--time", minutes, home=home)
    refused(done, "usage: quiz exam", "--time")


@pytest.mark.parametrize("count", ["0", "-1", "many"])
def test_a_bad_exam_count_is_a_usage_error(count: str, home: Path) -> None:
    refused(quiz("exam", "every-kind", "--count", count, home=home), "usage:", "--count")


def test_the_app_without_a_terminal_says_to_use_plain_mode(home: Path) -> None:
    for command in ([], ["study"]):
        refused(quiz(*command, home=home), "needs a terminal", "quiz study --plain")
    exam = quiz("exam", "israel-mediation-2022", home=home)
    refused(exam, "needs a terminal", "quiz exam --plain")


def test_a_deck_in_no_library_is_named_before_the_terminal_is_asked_for(home: Path) -> None:
    for command in (["study", "nosuchdeck"], ["exam", "nosuchdeck"]):
        refused(quiz(*command, home=home), "no deck 'nosuchdeck'")


# --- output files ----------------------------------------------------------------------------


def _writers(target: Path, sources: Path) -> list[list[str]]:
    """Every command that writes a file the user names, writing ``target``."""
    article = DECKS / "every-kind.toml"
    return [
        ["new", str(target)],
        ["generate", str(Path(__file__).parents[1] / "data/articles/sport.txt"), "-o", str(target)],
        ["import", str(_csv(sources)), "-o", str(target)],
        ["export", str(article), "-o", str(target.with_suffix(".csv"))],
        ["export", str(article), "-o", str(target.with_suffix(".apkg"))],
    ]


def _csv(folder: Path) -> Path:
    source = folder / "cards.csv"
    if not source.exists():
        source.write_text("front,back\nQ1,A1\nQ2,A2\n", encoding="utf-8")
    return source


@pytest.mark.parametrize("where", ["missing-folder", "a-folder", "a-file-as-folder", "a-device"])
def test_unwritable_output_paths_are_messages_and_leave_nothing(
    where: str, home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = {
        "missing-folder": out / "nowhere" / "deck.toml",
        "a-folder": out,
        "a-file-as-folder": out / "file" / "deck.toml",
        "a-device": Path("/dev/null"),
    }[where]
    (out / "file").write_text("a file")
    for command in _writers(target, tmp_path):
        if where == "a-folder" and command[0] == "export":
            command[-1] = str(out)
        if where == "a-device":
            command[-1] = "/dev/null"
        done = quiz(*command, "--force", home=home)
        refused(done, "quiz:")
        assert sorted(p.name for p in out.iterdir()) == ["file"], command  # no .tmp left
    assert Path("/dev/null").is_char_device()


def test_existing_output_needs_force_for_every_writer(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "deck.toml"
    target.parent.mkdir()
    for command in _writers(target, tmp_path):
        written = Path(command[-1])
        written.write_bytes(b"mine")
        refused(quiz(*command, home=home), "exists; use --force")
        assert written.read_bytes() == b"mine"
        done = quiz(*command, "--force", home=home)
        assert done.returncode == 0, (command, done.stderr)
        assert written.read_bytes() != b"mine"


def test_read_only_output_folder(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "locked" / "deck.toml"
    target.parent.mkdir()
    with read_only(target.parent) as run:
        for command in _writers(target, tmp_path):
            refused(run(command), "not writable")


# --- settings file -----------------------------------------------------------------------------


def test_deeply_nested_settings_are_a_located_message(home: Path) -> None:
    config = home / "config.toml"
    for text in ("x = " + "[" * 50_000 + "]" * 50_000, "x = " + "{a=" * 3000 + "1" + "}" * 3000):
        config.write_text(text)
        refused(quiz("decks", home=home), f"{config}:1:")


# --- decks that are not files --------------------------------------------------------------


def test_a_pipe_or_device_as_a_deck_is_refused_without_waiting(home: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        done = quiz("check", str(path), home=home)
        refused(done, code=1)
        assert f"{path}: is not a regular file" in done.stdout
    refused(quiz("generate", str(fifo), home=home), "not a regular file")
    refused(quiz("import", str(fifo), "-o", str(tmp_path / "x.toml"), home=home), "regular file")


def test_a_newline_in_a_deck_file_name_stays_on_its_line(home: Path, tmp_path: Path) -> None:
    deck = tmp_path / "two\nlines.toml"
    deck.write_text('[[cards]]\nfornt = "typo"\n')
    done = quiz("check", str(deck), home=home)
    problems = [line for line in done.stdout.splitlines() if "lines.toml" in line]
    assert len(problems) == 1 and "two␊lines.toml:" in problems[0], done.stdout


# --- the data folder and the database --------------------------------------------------------


def test_a_data_folder_that_is_a_file(tmp_path: Path) -> None:
    file = tmp_path / "data"
    file.write_text("not a folder")
    for command in (["decks"], ["study", "--plain"], ["backup"]):
        refused(quiz(*command, home=file), f"the data folder {file} is a file")
    assert file.read_text() == "not a folder"


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        ("UPDATE card_state SET tags = 'not json'", "tags is not JSON"),
        ("UPDATE card_state SET state = 99", "state 99 is not an FSRS state"),
        ("UPDATE card_state SET stability = 'high'", "stability is not a number"),
        ("UPDATE card_state SET due = 'tomorrow'", "due is not a time"),
        ("UPDATE review_log SET learner_day = 'someday'", "learner_day is not a date"),
    ],
)
def test_bad_values_in_a_sound_database_are_reported_by_row(
    damage: str, says: str, home: Path
) -> None:
    with sqlite3.connect(db_path(home)) as conn:
        conn.execute(damage)
    conn.close()
    before = digest(db_path(home))
    for command in (["decks"], ["study", "--plain"]):
        refused(quiz(*command, home=home, stdin="\n3\nq\n"), "damaged progress", says, "row")
    stats = quiz("stats", home=home)  # counts in SQL: some values it never reads
    assert "Traceback" not in stats.stderr and stats.returncode in (0, 2)
    assert digest(db_path(home)) == before


def test_disk_full_says_so_and_keeps_what_was_saved(tmp_path: Path) -> None:
    moment = datetime(2024, 3, 1, 12, tzinfo=UTC)
    with Store.open(tmp_path, now=moment) as store:
        (pages,) = store._conn.execute("PRAGMA page_count").fetchone()
        store._conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up
        saved = []
        with pytest.raises(StorageError) as caught:
            for n in range(10_000):
                saved.append(answer(store, f"card-{n}-" + "x" * 500, moment))
        assert "full" in str(caught.value) and "not saved" in str(caught.value)
    with Store.open(tmp_path, now=moment) as store:
        assert review_count(store) == len(saved) > 0


# --- a folder quiz cannot write ----------------------------------------------------------------


class read_only:
    """Run ``quiz`` with ``folder`` mounted read-only (a user and mount namespace: works as
    root too, for which file modes are no obstacle)."""

    def __init__(self, folder: Path) -> None:
        if not shutil.which("unshare"):
            pytest.skip("unshare (util-linux) is not installed")
        probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
        if probe.returncode:
            pytest.skip("user namespaces are not available here")
        self.folder = folder

    def __enter__(self) -> read_only:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __call__(
        self, command: list[str], home: Path | None = None, stdin: str = ""
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "QUIZ_NOW": NOW, "QUIZ_HOME": str(home or self.folder)}
        script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
        namespace = ["unshare", "-rm", "sh", "-c", script, str(self.folder)]
        return subprocess.run(
            [*namespace, sys.executable, "-m", "quiz", *command],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )


def test_a_read_only_data_folder_can_be_listed_but_not_studied(home: Path) -> None:
    before = {p.name: digest(p) for p in home.rglob("*") if p.is_file()}
    with read_only(home) as run:
        for command in (["decks"], ["stats"], ["orphans"]):
            done = run(command)
            assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
            assert "cannot be written" in done.stderr
        listed = run(["decks"]).stdout
        assert "israel-mediation-2022" in listed and "3" in listed  # its progress, read
        for command in (["study", "--plain"], ["backup"], ["orphans", "--prune", "--yes"]):
            refused(run(command, stdin="\n3\nq\n"), "read-only", "will not start")
    assert {p.name: digest(p) for p in home.rglob("*") if p.is_file()} == before


def test_a_read_only_empty_folder_lists_decks_as_new(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with read_only(empty) as run:
        done = run(["decks"])
        assert done.returncode == 0, done.stderr
        assert "israel-mediation-2022" in done.stdout
    assert list(empty.iterdir()) == []
