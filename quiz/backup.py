"""Backups of the progress database: daily at start-up, on demand, and restoring one.

Copies are made with SQLite's online backup API, so a copy is a consistent snapshot even while
another quiz is answering, and each copy is checked before it counts as a backup: a damaged
database is reported, never allowed to push good backups out of the rotation. Files are named
by the UTC time they were taken (``progress-20240301T120000Z.db``), so a listing sorts by age
without reading anything. Automatic copies rotate (see ``to_keep``); copies made with
``quiz backup`` and the copies of a database replaced by ``quiz restore`` are never deleted.
Everything quiz creates is private to the user (folders 0700, files 0600); a folder that
already exists keeps its mode. No backup is ever written over an existing file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import os
import re
import shutil
import sqlite3
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

from quiz.errors import QuizError, StorageError
from quiz.migrations import APPLICATION_ID, SCHEMA_VERSION

__all__ = [
    "DAILY_KEPT",
    "WEEKLY_AGE",
    "Backup",
    "BackupError",
    "BackupKind",
    "auto_backup",
    "backup_now",
    "backups_dir",
    "list_backups",
    "newest_backup",
    "restore_backup",
    "restore_hint",
    "rotate",
    "start_up_backup",
    "to_keep",
    "verify_backup",
]

DAILY_KEPT = 7
"""Automatic backups kept: the newest seven (at most one a day)."""
WEEKLY_AGE = timedelta(days=14)
"""The weekly backup is the oldest under this age, so one is always one to two weeks old."""

BackupKind = Literal["auto", "manual", "replaced"]
"""auto: taken at start-up and rotated; manual: ``quiz backup``; replaced: the database a
restore replaced. Only auto backups are ever deleted by quiz."""

_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"progress-(\d{8}T\d{6}Z)(?:-(manual|replaced))?(?:-(\d+))?\.db")
_PARTIAL = re.compile(r"\.progress[-.].*?\.(\d+)\.(?:partial|restoring)(?:-journal|-wal|-shm)?")
_SIDECAR_SUFFIXES = ("-journal", "-wal", "-shm")


class BackupError(QuizError):
    """A backup could not be written or read (disk full, permissions, a bad backup file)."""

    title = "backup"


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file and what its name says about it."""

    path: Path
    taken: datetime
    kind: BackupKind


def backups_dir(data_dir: Path | str) -> Path:
    """Where a data dir's backups are kept."""
    return Path(data_dir) / "backups"


def list_backups(directory: Path) -> list[Backup]:
    """The backups in ``directory``, newest first; other files are ignored."""
    found: list[tuple[Backup, int]] = []
    try:
        paths = list(directory.iterdir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise BackupError(f"cannot list {directory}: {exc.strerror or exc}") from exc
    for path in paths:
        if match := _NAME.fullmatch(path.name):
            taken = datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC)
            kind: BackupKind = match[2] or "auto"  # type: ignore[assignment]
            found.append((Backup(path, taken, kind), int(match[3] or 1)))
    found.sort(key=lambda pair: (pair[0].taken, pair[1]), reverse=True)
    return [backup for backup, _ in found]


def newest_backup(data_dir: Path | str) -> Path | None:
    """The backup ``quiz restore`` restores by default: the newest automatic or manual one."""
    try:
        backups = list_backups(backups_dir(data_dir))
    except BackupError:
        return None
    return next((b.path for b in backups if b.kind != "replaced"), None)


def restore_hint(data_dir: Path | str) -> str:
    """One sentence for an error about a damaged database: what to restore, or that nothing can."""
    newest = newest_backup(data_dir)
    if newest is None:
        return f"There is no backup in {backups_dir(data_dir)}."
    return f"The newest backup is {newest}; restore it with: quiz restore {newest}"


# --- checking -------------------------------------------------------------------------------


def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


def verify_backup(path: Path) -> list[str]:
    """Why ``path`` cannot be restored (``PRAGMA integrity_check`` and more); empty if it can."""
    if not path.is_file():
        return [f"{path} is not a file"]
    try:
        conn = _connect_read_only(path)
        try:
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            if app_id != APPLICATION_ID:
                return [f"{path} is not a quiz progress database"]
            if version > SCHEMA_VERSION:
                return [f"{path} was written by a newer quiz (schema {version})"]
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [f"{path} cannot be read as a database ({exc})"]
    return [f"{path}: {row[0]}" for row in rows if row[0] != "ok"]


# --- writing --------------------------------------------------------------------------------


def _private_dir(directory: Path) -> None:
    """Create ``directory`` private (0700) if it is missing; an existing folder keeps its mode
    (it may be a folder the user shares, given with ``--data-dir``)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_with_sidecars(path: Path) -> None:
    """Delete a scratch database and the journal files SQLite may have left beside it."""
    for suffix in ("", *_SIDECAR_SUFFIXES):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def _copy_database(source: Path, target: Path) -> None:
    """Snapshot ``source`` into ``target``, a private scratch file (rollback journal, synced).

    Raises ``sqlite3.Error`` when the source cannot be read, ``OSError`` when the target
    cannot be written; a partial target and its journals are removed.
    """
    _remove_with_sidecars(target)  # a stale journal beside it would be rolled into the copy
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        src = _connect_read_only(source)
        try:
            dst = sqlite3.connect(target, isolation_level=None)
            try:
                src.backup(dst)
                # A copy of a WAL database is in WAL mode too: make it one self-contained file.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        with target.open("rb+") as file:
            os.fsync(file.fileno())
    except BaseException:
        _remove_with_sidecars(target)
        raise


def _file_digest(path: Path) -> bytes:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "blake2b").digest()


def _copy_bytes(source: Path, target: Path) -> None:
    """Copy a file byte for byte into a new private file, synced and read back.

    ``target`` is created exclusively (``FileExistsError`` if anything has that name), so a
    copy never overwrites a file; one that does not read back the same is removed.
    """
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
        if _file_digest(target) != _file_digest(source):
            raise BackupError(f"the copy of {source} at {target} does not read back the same")
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _publish(source: Path, directory: Path, stem: str, *, twins: bool = True) -> Path:
    """Give ``source``'s bytes a new name in ``directory``: ``stem.db``, else ``stem-2.db``...

    A hard link where the file system has them (the same file: nothing to verify), else a
    verified byte copy. Never replaces an existing file, whatever the clock says: two backups
    or restores within one second get two names. Without ``twins`` (the daily backup, which
    two quiz starting together both take), the one already there is the backup.
    """
    for n in itertools.count(1):
        target = directory / (f"{stem}.db" if n == 1 else f"{stem}-{n}.db")
        if not twins and target.exists():
            return target
        try:
            os.link(source, target, follow_symlinks=True)
        except FileExistsError:
            if not twins:
                return target
            continue
        except OSError:  # no hard links on this file system: copy
            try:
                _copy_bytes(source, target)
            except FileExistsError:
                if not twins:
                    return target
                continue
        return target
    raise AssertionError("unreachable")  # pragma: no cover


def _stem(now: datetime, kind: BackupKind) -> str:
    suffix = "" if kind == "auto" else f"-{kind}"
    return f"progress-{now.astimezone(UTC).strftime(_STAMP)}{suffix}"


def backup_now(db_path: Path, backups: Path, now: datetime, kind: BackupKind = "manual") -> Path:
    """Copy the database into ``backups`` and check the copy; return the backup's path.

    A copy that fails ``verify_backup`` is deleted; if the database itself fails the check,
    ``StorageError`` says it is damaged (and the backups already there are left alone),
    otherwise ``BackupError`` says the copy could not be made. An existing backup is never
    replaced (see ``_publish``).
    """
    if not db_path.is_file():
        raise BackupError(f"there is no progress database at {db_path} to back up")
    stem = _stem(now, kind)
    partial = backups / f".{stem}.db.{os.getpid()}.partial"  # two quiz may start at once
    try:
        _private_dir(backups)
        _copy_database(db_path, partial)
        if verify_backup(partial):
            if problems := verify_backup(db_path):
                raise StorageError(_damaged(db_path, problems[0].removeprefix(f"{db_path}: ")))
            raise BackupError(f"the copy of {db_path} in {backups} does not read back")
        final = _publish(partial, backups, stem, twins=kind != "auto")
        _fsync_dir(backups)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"cannot write a backup in {backups}: {_reason(exc)}") from exc
    finally:
        _remove_with_sidecars(partial)  # a link or copy of it has become the backup
    return final


def _reason(exc: BaseException) -> str:
    """An OS or SQLite failure in a learner's words (a full disk says so)."""
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "disk is full" in str(exc):
        return "the disk is full"
    return str(getattr(exc, "strerror", None) or exc)


def _damaged(db_path: Path, detail: str) -> str:
    return (
        f"{db_path} is damaged or not a quiz database ({detail}); it was left untouched."
        f" {restore_hint(db_path.parent)}"
    )


# --- rotation -------------------------------------------------------------------------------


def to_keep(taken: Iterable[datetime], now: datetime) -> set[datetime]:
    """Which automatic backups to keep: the newest of each of the last ``DAILY_KEPT`` days
    that have one, and one weekly.

    The weekly one is the oldest of the rest that is younger than ``WEEKLY_AGE`` (else the
    newest of the rest), so with daily use it is always one to two weeks old: a mistake
    noticed a week late can still be undone.
    """
    newest_of_day: dict[date, datetime] = {}
    for moment in sorted(taken, reverse=True):  # two quiz started at once: two copies a day
        newest_of_day.setdefault(moment.date(), moment)
    days = list(newest_of_day.values())
    keep = set(days[:DAILY_KEPT])
    rest = days[DAILY_KEPT:]
    if rest:
        recent = [t for t in rest if now - t < WEEKLY_AGE]
        keep.add(recent[-1] if recent else rest[0])
    return keep


def _abandoned(folder: Path) -> list[Path]:
    """Scratch copies (and their journals) left by a quiz killed while writing a backup or a
    restore: their names end in the pid of a process that is gone."""
    found = []
    for path in folder.glob(".progress*"):
        match = _PARTIAL.fullmatch(path.name)
        if match and int(match[1]) != os.getpid() and not _alive(int(match[1])):
            found.append(path)
    return sorted(found)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but is someone else's
        return True
    return True


def rotate(backups: Path, now: datetime) -> list[Path]:
    """Delete the automatic backups ``to_keep`` drops, and abandoned partial copies; return
    what was deleted."""
    autos = [b for b in list_backups(backups) if b.kind == "auto"]
    keep = to_keep((b.taken for b in autos), now)
    deleted = [b.path for b in autos if b.taken not in keep] + _abandoned(backups)
    for path in deleted:
        path.unlink(missing_ok=True)  # another quiz may be rotating at the same moment
    return deleted


def auto_backup(db_path: Path, backups: Path, now: datetime) -> Path | None:
    """The start-up backup: taken unless one was already taken today (UTC); then rotate.

    Returns the new backup, or None when none was due (or there is no database yet).
    Raises ``StorageError`` if the database turns out damaged, ``BackupError`` if the copy
    cannot be written: the caller tells the learner and may carry on.
    """
    if not db_path.is_file():
        return None
    today = now.astimezone(UTC).date()
    if any(b.kind == "auto" and b.taken.date() == today for b in list_backups(backups)):
        return None
    path = backup_now(db_path, backups, now, kind="auto")
    rotate(backups, now)
    return path


def start_up_backup(db_path: Path, now: datetime) -> str | None:
    """``auto_backup`` for the CLI and the app, which open the store first.

    Returns a warning to show when the copy could not be written (studying goes on); raises
    ``StorageError`` when the database is damaged (it must not be used). Scratch files of a
    restore that was killed are cleaned up here too.
    """
    try:
        for path in _abandoned(db_path.parent):
            path.unlink(missing_ok=True)
        auto_backup(db_path, backups_dir(db_path.parent), now)
    except OSError as exc:
        return f"cannot clean up {db_path.parent}: {_reason(exc)}"
    except BackupError as exc:
        return f"automatic backup failed: {exc}"
    return None


# --- restoring ------------------------------------------------------------------------------


def _sidecars(db_path: Path) -> list[Path]:
    return [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm")]


def _settle(db_path: Path) -> bool:
    """Fold the write-ahead log into the database file; False if the file cannot be opened.

    Raises ``BackupError`` when another quiz still has the database open: replacing the file
    under it would mix its log into the restored database.
    """
    try:
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=10)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    if _sidecars(db_path)[0].exists():  # the last connection to close deletes the log
        raise BackupError(
            f"{db_path} is in use by another quiz (app or study window); close it and try again"
        )
    return True


def restore_backup(db_path: Path, backup: Path, now: datetime) -> Path | None:
    """Replace the database with ``backup``; return where the replaced one was kept (or None).

    The backup is checked first (``verify_backup``) and copied beside the database; the
    current database is then kept in the backups folder, under a name no file has (a hard
    link, or a byte copy that is read back; its log files too if it is damaged), and only
    then does the copy take its place with one atomic rename. A symlinked database is
    restored where the link points, and the link stays.
    """
    problems = verify_backup(backup)
    if problems:
        raise BackupError("not restoring: " + "; ".join(problems[:3]))
    target = db_path.resolve() if db_path.is_symlink() else db_path
    backups = backups_dir(db_path.parent)
    incoming = target.with_name(f".{target.name}.{os.getpid()}.restoring")
    try:
        _private_dir(target.parent)
        _private_dir(backups)
        _copy_database(backup, incoming)
        if target.exists():  # the restored file has the mode the learner gave the old one
            incoming.chmod(stat.S_IMODE(target.stat().st_mode))
        kept = _keep_current(target, backups, now)
        for sidecar in _sidecars(target):  # the replaced database's log must not meet the new one
            sidecar.unlink(missing_ok=True)
        incoming.replace(target)
        _fsync_dir(target.parent)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"cannot restore {backup}: {_reason(exc)}") from exc
    finally:
        _remove_with_sidecars(incoming)  # gone already once it has taken the database's place
    return kept


def _keep_current(db_path: Path, backups: Path, now: datetime) -> Path | None:
    """Keep the database about to be replaced in ``backups``, exactly as it is.

    A sound database has its log folded in first; a damaged or foreign one is kept byte for
    byte with its log files, repairing nothing. Nothing is moved: the original stays in place
    until the restored copy replaces it.
    """
    if not db_path.exists():
        return None
    sound = _settle(db_path)
    kept = _publish(db_path, backups, _stem(now, "replaced"))
    if not sound:
        for sidecar, suffix in zip(_sidecars(db_path), ("-wal", "-shm"), strict=True):
            if sidecar.exists():
                _copy_bytes(sidecar, kept.with_name(kept.name + suffix))
    _fsync_dir(backups)
    return kept
