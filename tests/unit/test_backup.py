"""Backups: daily at start-up with rotation, ``quiz backup`` / ``quiz restore``, damaged files
detected and left alone, and everything private to the user."""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from answers import answer as record_answer

from quiz.backup import (
    DAILY_KEPT,
    BackupError,
    auto_backup,
    backup_now,
    backups_dir,
    list_backups,
    newest_backup,
    restore_backup,
    rotate,
    to_keep,
    verify_backup,
)
from quiz.cli import main
from quiz.errors import StorageError
from quiz.storage import Review, Store, db_path

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def answer(store: Store, key: str, at: datetime = NOW) -> Review:
    """Record one answer at ``NOW`` unless told otherwise."""
    return record_answer(store, key, at)


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    """A data dir with a database holding two answers."""
    directory = tmp_path / "data"
    with Store.open(directory, now=NOW) as store:
        answer(store, "a")
        answer(store, "b")
    yield directory


def keys_in(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT card_key FROM review_log ORDER BY seq")]
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage(path: Path) -> None:
    """Overwrite the middle of the file: the header survives, the pages do not."""
    data = bytearray(path.read_bytes())
    assert len(data) >= 4 * 4096
    data[4096 : 3 * 4096] = b"\xa5" * (2 * 4096)
    path.write_bytes(bytes(data))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- automatic backups and rotation ----------------------------------------------------------


def test_auto_backup_at_most_once_a_day(data: Path) -> None:
    backups = backups_dir(data)
    first = auto_backup(db_path(data), backups, NOW)
    assert first is not None and first.name == "progress-20240301T120000Z.db"
    assert auto_backup(db_path(data), backups, NOW + timedelta(hours=11)) is None
    second = auto_backup(db_path(data), backups, NOW + timedelta(hours=12))  # next UTC day
    assert second is not None
    assert [b.path for b in list_backups(backups)] == [second, first]


def test_backup_is_a_consistent_private_copy_of_the_live_database(data: Path) -> None:
    with Store.open(data, now=NOW) as store:  # open, with answers still in the WAL
        answer(store, "c")
        path = backup_now(store.path, backups_dir(data), NOW)
    assert keys_in(path) == ["a", "b", "c"]
    assert verify_backup(path) == []
    assert path.name.endswith("-manual.db")
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # one file, no WAL
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600


def test_no_database_no_backup(tmp_path: Path) -> None:
    assert auto_backup(tmp_path / "progress.db", tmp_path / "backups", NOW) is None
    with pytest.raises(BackupError, match="no progress database"):
        backup_now(tmp_path / "progress.db", tmp_path / "backups", NOW)


def test_rotation_over_two_months_of_daily_use(data: Path) -> None:
    """Seven daily backups and a weekly one that is always one to two weeks old."""
    backups = backups_dir(data)
    for day in range(60):
        now = NOW + timedelta(days=day, minutes=day)
        assert auto_backup(db_path(data), backups, now) is not None
        taken = [b.taken for b in list_backups(backups)]
        expected_days = min(day + 1, DAILY_KEPT)
        assert taken[:expected_days] == [
            NOW + timedelta(days=d, minutes=d) for d in range(day, day - expected_days, -1)
        ]
        weekly = taken[DAILY_KEPT:]
        if day >= DAILY_KEPT:
            assert len(weekly) == 1
            assert timedelta(days=7) <= now - weekly[0] < timedelta(days=14), (day, weekly)
        else:
            assert weekly == []


def test_rotation_policy_with_gaps_and_duplicates() -> None:
    day = timedelta(days=1)
    # Two copies on the newest day (two quiz started at once) count as one day.
    stamps = [NOW, NOW - timedelta(minutes=5), *(NOW - n * day for n in range(1, 10))]
    keep = to_keep(stamps, NOW)
    assert keep == {NOW, *(NOW - n * day for n in range(1, 7)), NOW - 9 * day}
    # Away for a month: the dailies are old and the weekly is the newest of the rest.
    old = [NOW - (30 + n) * day for n in range(10)]
    assert to_keep(old, NOW) == {*old[:7], old[7]}
    assert to_keep([], NOW) == set()


def test_rotation_never_deletes_manual_or_replaced_copies(data: Path) -> None:
    backups = backups_dir(data)
    manual = backup_now(db_path(data), backups, NOW - timedelta(days=100))
    replaced = backups / "progress-20230101T000000Z-replaced.db"
    replaced.write_bytes(manual.read_bytes())
    (backups / "notes.txt").write_text("mine")
    for day in range(20):
        auto_backup(db_path(data), backups, NOW + timedelta(days=day))
    deleted = rotate(backups, NOW + timedelta(days=20))
    assert deleted == []
    names = {p.name for p in backups.iterdir()}
    assert {manual.name, replaced.name, "notes.txt"} <= names
    assert sum(b.kind == "auto" for b in list_backups(backups)) == DAILY_KEPT + 1
    assert newest_backup(data) == backups / "progress-20240320T120000Z.db"


# --- damaged and foreign files ---------------------------------------------------------------


def test_damaged_database_is_reported_with_the_newest_backup_and_left_alone(data: Path) -> None:
    backups = backups_dir(data)
    good = auto_backup(db_path(data), backups, NOW)
    assert good is not None
    with Store.open(data, now=NOW) as store:  # more answers: the file grows past 4 pages
        for n in range(200):
            answer(store, f"k{n}")
    damage(db_path(data))
    before = digest(db_path(data))
    with pytest.raises(StorageError) as info:
        auto_backup(db_path(data), backups, NOW + timedelta(days=1))
    message = str(info.value)
    assert "is damaged" in message
    assert f"The newest backup is {good}; restore it with: quiz restore {good}" in message
    assert [b.path for b in list_backups(backups)] == [good]  # no bad copy, no rotation
    assert sorted(p.name for p in backups.iterdir()) == [good.name]
    assert digest(db_path(data)) == before


def test_store_refuses_damaged_and_foreign_files_pointing_at_the_newest_backup(
    data: Path,
) -> None:
    good = backup_now(db_path(data), backups_dir(data), NOW)
    path = db_path(data)
    for content in [b"not a database at all\n" * 400, foreign_database(path.parent / "f.db")]:
        path.write_bytes(content)
        for sidecar in path.parent.glob("progress.db-*"):
            sidecar.unlink()
        with pytest.raises(StorageError) as info, Store.open(data, now=NOW) as store:
            store.deck_ids()
        assert f"quiz restore {good}" in str(info.value)
        assert path.read_bytes() == content


def test_store_error_without_backups_says_so(tmp_path: Path) -> None:
    path = db_path(tmp_path)
    path.write_bytes(b"x" * 5000)
    with pytest.raises(StorageError, match="There is no backup in"):
        Store.open(tmp_path, now=NOW).deck_ids()


def foreign_database(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    return path.read_bytes()


# --- restoring -------------------------------------------------------------------------------


def test_restore_keeps_the_replaced_database(data: Path) -> None:
    backup = backup_now(db_path(data), backups_dir(data), NOW)
    with Store.open(data, now=NOW) as store:
        answer(store, "after-backup")
    kept = restore_backup(db_path(data), backup, NOW + timedelta(hours=1))
    assert kept == backups_dir(data) / "progress-20240301T130000Z-replaced.db"
    assert keys_in(kept) == ["a", "b", "after-backup"]
    assert mode(kept) == 0o600
    assert keys_in(db_path(data)) == ["a", "b"]
    with Store.open(data, now=NOW) as store:  # the restored database is usable
        answer(store, "after-restore")
        assert store.integrity_problems() == []
    assert newest_backup(data) == backup  # a replaced copy is never the default to restore


def test_restore_refuses_a_bad_backup_and_changes_nothing(data: Path, tmp_path: Path) -> None:
    with Store.open(data, now=NOW) as store:
        for n in range(200):
            answer(store, f"k{n}")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(backup_now(db_path(data), backups_dir(data), NOW).read_bytes())
    damage(damaged)
    foreign = tmp_path / "foreign.db"
    foreign_database(foreign)
    before = digest(db_path(data))
    for case in [damaged, foreign, tmp_path / "missing.db", tmp_path]:
        assert verify_backup(case)
        with pytest.raises(BackupError, match="not restoring"):
            restore_backup(db_path(data), case, NOW)
    assert digest(db_path(data)) == before
    assert not list(data.glob(".*restoring*"))


def test_restore_refuses_while_another_quiz_has_the_database_open(data: Path) -> None:
    backup = backup_now(db_path(data), backups_dir(data), NOW)
    with Store.open(data, now=NOW) as store:
        answer(store, "c")
        with pytest.raises(BackupError, match="in use by another quiz"):
            restore_backup(db_path(data), backup, NOW)
        answer(store, "d")  # the open store still works on the untouched database
    assert keys_in(db_path(data)) == ["a", "b", "c", "d"]


def backed_up_then_damaged(data: Path) -> tuple[Path, bytes]:
    """A backup of ``data``, then 200 more answers and damage: the backup and the damaged bytes."""
    backup = backup_now(db_path(data), backups_dir(data), NOW)
    with Store.open(data, now=NOW) as store:
        for n in range(200):
            answer(store, f"k{n}")
    damage(db_path(data))
    return backup, db_path(data).read_bytes()


def test_restore_over_a_damaged_database_keeps_its_bytes(data: Path) -> None:
    backup, damaged = backed_up_then_damaged(data)
    kept = restore_backup(db_path(data), backup, NOW)
    assert kept is not None and kept.read_bytes() == damaged
    assert keys_in(db_path(data)) == ["a", "b"]


# --- the commands ----------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "home"
    monkeypatch.setenv("QUIZ_HOME", str(directory))
    monkeypatch.setenv("QUIZ_NOW", NOW.isoformat())
    return directory


def run(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def test_backup_and_restore_commands(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["backup"], "", monkeypatch) == 0
    out = capsys.readouterr().out
    made = backups_dir(home) / "progress-20240301T120000Z-manual.db"
    assert out == f"backed up {db_path(home)} to {made}\n"
    with Store.open(home, now=NOW) as store:
        answer(store, "later")

    assert run(["restore"], "n\n", monkeypatch) == 1  # asks first; no means no
    out = capsys.readouterr().out
    assert f"with the backup {made}?" in out and out.endswith("nothing restored\n")
    assert keys_in(db_path(home)) == ["later"]

    assert run(["restore"], "y\n", monkeypatch) == 0
    out = capsys.readouterr().out
    assert f"restored {db_path(home)} from {made}" in out
    assert keys_in(db_path(home)) == []
    kept = next(b.path for b in list_backups(backups_dir(home)) if b.kind == "replaced")
    assert keys_in(kept) == ["later"]
    assert f"the replaced progress is kept as {kept}" in out

    assert run(["restore", str(kept), "--yes"], "", monkeypatch) == 0
    assert keys_in(db_path(home)) == ["later"]


def test_restore_command_errors_are_messages(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["restore", "--yes"], "", monkeypatch) == 2
    assert "there is no backup to restore in" in capsys.readouterr().err
    junk = tmp_path / "junk.db"
    junk.write_text("hello")
    assert run(["restore", str(junk), "--yes"], "", monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("quiz: not restoring: ") and "Traceback" not in err


def test_start_up_takes_the_daily_backup_and_keeps_everything_private(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["study", "--plain"], "q\n", monkeypatch) == 0  # creates the database
    assert run(["decks"], "", monkeypatch) == 0  # start-up: today's backup
    capsys.readouterr()
    backups = backups_dir(home)
    assert [b.kind for b in list_backups(backups)] == ["auto"]
    assert run(["backup"], "", monkeypatch) == 0
    for directory in (home, backups):
        assert mode(directory) == 0o700, directory
    files = [p for p in [*home.iterdir(), *backups.iterdir()] if p.is_file()]
    assert files
    for path in files:
        assert mode(path) == 0o600, path


def test_start_up_refuses_a_damaged_database(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(home, now=NOW - timedelta(days=1)) as store:
        for n in range(200):
            answer(store, f"k{n}", NOW - timedelta(days=1))
    good = auto_backup(db_path(home), backups_dir(home), NOW - timedelta(days=1))
    damage(db_path(home))
    before = digest(db_path(home))
    assert run(["decks"], "", monkeypatch) == 2
    err = capsys.readouterr().err
    assert "is damaged" in err and f"quiz restore {good}" in err
    assert digest(db_path(home)) == before


def test_backup_dates_are_utc_days(data: Path) -> None:
    late = datetime(2024, 3, 1, 23, 30, tzinfo=UTC)
    first = auto_backup(db_path(data), backups_dir(data), late)
    assert first is not None
    assert list_backups(backups_dir(data))[0].taken.date() == date(2024, 3, 1)


def test_rotation_removes_copies_abandoned_by_a_killed_quiz(data: Path) -> None:
    backups = backups_dir(data)
    auto_backup(db_path(data), backups, NOW)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    abandoned = backups / f".progress-20240302T120000Z.db.{dead.stdout.strip()}.partial"
    mine = backups / f".progress-20240302T120000Z.db.{os.getpid()}.partial"
    for path in (abandoned, mine):
        path.write_bytes(b"half a copy")
    assert rotate(backups, NOW) == [abandoned]
    assert mine.exists() and not abandoned.exists()


# --- nothing a backup or a restore writes ever lands on an existing file ---------------------


def test_two_restores_in_the_same_second_keep_both_replaced_databases(data: Path) -> None:
    backup = backup_now(db_path(data), backups_dir(data), NOW)
    with Store.open(data, now=NOW) as store:
        answer(store, "first")
    first = restore_backup(db_path(data), backup, NOW)
    with Store.open(data, now=NOW) as store:
        answer(store, "second")
    second = restore_backup(db_path(data), backup, NOW)  # the same clock second
    assert first is not None and second is not None and first != second
    assert keys_in(first) == ["a", "b", "first"]
    assert keys_in(second) == ["a", "b", "second"]
    replaced = [b.path for b in list_backups(backups_dir(data)) if b.kind == "replaced"]
    assert replaced == [second, first]  # newest first, although they share a time stamp


def test_restore_twice_from_the_command_line_in_one_second_loses_nothing(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(home, now=NOW) as store:
        answer(store, "studied")
    assert run(["backup"], "", monkeypatch) == 0
    with Store.open(home, now=NOW) as store:
        answer(store, "after-backup")
    assert run(["restore", "--yes"], "", monkeypatch) == 0
    assert run(["restore", "--yes"], "", monkeypatch) == 0  # QUIZ_NOW: the same second
    capsys.readouterr()
    replaced = [b.path for b in list_backups(backups_dir(home)) if b.kind == "replaced"]
    assert sorted(map(keys_in, replaced)) == [["studied"], ["studied", "after-backup"]]


def test_a_file_in_the_way_of_a_kept_copy_is_left_alone(data: Path) -> None:
    backups = backups_dir(data)
    backup = backup_now(db_path(data), backups, NOW)
    squatter = backups / "progress-20240301T120000Z-replaced.db"
    squatter.write_bytes(b"someone else's file")
    kept = restore_backup(db_path(data), backup, NOW)
    assert squatter.read_bytes() == b"someone else's file"
    assert kept == backups / "progress-20240301T120000Z-replaced-2.db"
    assert keys_in(kept) == ["a", "b"]


def test_two_manual_backups_in_one_second_are_both_kept(data: Path) -> None:
    first = backup_now(db_path(data), backups_dir(data), NOW)
    with Store.open(data, now=NOW) as store:
        answer(store, "c")
    second = backup_now(db_path(data), backups_dir(data), NOW)
    assert first != second
    assert (keys_in(first), keys_in(second)) == (["a", "b"], ["a", "b", "c"])
    assert newest_backup(data) == second


def test_damaged_database_restored_twice_in_one_second_keeps_both(data: Path) -> None:
    backup, damaged = backed_up_then_damaged(data)
    first = restore_backup(db_path(data), backup, NOW)
    db_path(data).write_bytes(damaged[::-1])  # damaged another way
    second = restore_backup(db_path(data), backup, NOW)
    assert first is not None and second is not None
    assert first.read_bytes() == damaged and second.read_bytes() == damaged[::-1]


def test_restore_through_a_symlink_restores_its_target_and_keeps_the_link(
    data: Path, tmp_path: Path
) -> None:
    backup = backup_now(db_path(data), backups_dir(data), NOW)
    with Store.open(data, now=NOW) as store:
        answer(store, "c")
    elsewhere = tmp_path / "synced" / "real.db"
    elsewhere.parent.mkdir()
    db_path(data).rename(elsewhere)
    elsewhere.chmod(0o640)
    db_path(data).symlink_to(elsewhere)
    kept = restore_backup(db_path(data), backup, NOW)
    assert db_path(data).is_symlink() and db_path(data).resolve() == elsewhere
    assert keys_in(elsewhere) == ["a", "b"]
    assert mode(elsewhere) == 0o640
    assert kept is not None and keys_in(kept) == ["a", "b", "c"]


def test_a_folder_quiz_did_not_create_keeps_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setenv("QUIZ_NOW", NOW.isoformat())
    assert run(["study", "--plain", "--data-dir", str(shared)], "q\n", monkeypatch) == 0
    assert run(["decks", "--data-dir", str(shared)], "", monkeypatch) == 0
    assert run(["backup", "--data-dir", str(shared)], "", monkeypatch) == 0
    capsys.readouterr()
    assert mode(shared) == 0o1777
    assert mode(db_path(shared)) == 0o600  # what quiz made is private
    assert mode(backups_dir(shared)) == 0o700


def test_rotation_cleans_every_scratch_file_of_a_killed_backup_or_restore(data: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    backups = backups_dir(data)
    backups.mkdir()
    partial = f".progress-20240302T120000Z.db.{dead}.partial"
    leftovers = [backups / (partial + s) for s in ("", "-journal", "-wal", "-shm")]
    restoring = data / f".progress.db.{dead}.restoring-journal"
    for path in [*leftovers, restoring]:
        path.write_bytes(b"half")
    auto_backup(db_path(data), backups, NOW)
    assert not any(p.exists() for p in leftovers)
    from quiz.backup import start_up_backup

    assert start_up_backup(db_path(data), NOW) is None
    assert not restoring.exists()
    assert [p.name for p in data.iterdir() if p.name.startswith(".")] == []
