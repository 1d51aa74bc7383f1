"""``quiz backup`` and ``quiz restore``: copies of the progress database, taken and put back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quiz.errors import QuizError

__all__ = ["cmd_backup", "cmd_restore"]


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy the progress database into the backups folder now."""
    from quiz.backup import backup_now, backups_dir
    from quiz.clock import now as clock_now
    from quiz.paths import data_dir
    from quiz.storage import Store

    now = clock_now()
    directory = data_dir(args.data_dir)
    with Store.open(directory, now=now) as store:  # refuses a damaged or foreign file
        path = backup_now(store.path, backups_dir(directory), now)
    print(f"backed up {store.path} to {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the progress database with a checked backup (``[FILE] [--yes]``)."""
    from quiz.backup import backups_dir, newest_backup, restore_backup, verify_backup
    from quiz.clock import now as clock_now
    from quiz.paths import data_dir
    from quiz.storage import db_path

    directory = data_dir(args.data_dir)
    source = Path(args.file) if args.file else newest_backup(directory)
    if source is None:
        raise QuizError(f"there is no backup to restore in {backups_dir(directory)}")
    if problems := verify_backup(source):
        raise QuizError("not restoring: " + "; ".join(problems[:3]))
    target = db_path(directory)
    if not args.yes:
        sys.stdout.write(
            f"replace the progress in {target} with the backup {source}?"
            " (the current progress is kept in the backups folder) [y/N] "
        )
        sys.stdout.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            print("nothing restored")
            return 1
    kept = restore_backup(target, source, clock_now())
    print(f"restored {target} from {source}")
    if kept is not None:
        print(f"the replaced progress is kept as {kept}")
    return 0
