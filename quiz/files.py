"""Writing the files a user names (``new``, ``generate -o``, ``import -o``, ``export -o``).

A file is written whole or not at all: the bytes go to a scratch file beside it, are synced,
then renamed over the target, so a crash or a full disk never leaves half a deck. Everything
a user can get wrong about the path (a missing or read-only folder, a folder named as the
file, a device, an existing file without ``--force``) is a ``QuizError`` that says so, raised
before any work is done, and no scratch file is left behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path

from quiz.errors import QuizError

__all__ = ["OutputError", "check_output", "write_output"]


class OutputError(QuizError):
    """An output file cannot be written where the user asked."""

    title = "output"


def check_output(path: Path, *, force: bool = False) -> None:
    """Refuse, with a readable reason, a path that ``write_output`` could not write."""
    if path.is_dir():
        raise OutputError(f"{path} is a folder; name the file to write")
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise OutputError(f"{path} exists and is not a regular file; name another file")
        if not force:
            raise OutputError(f"{path} exists; use --force to overwrite it")
    folder = path.parent
    if not folder.exists():
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: the folder {folder} is not writable")


def write_output(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; an existing file only with
    ``force``. New files get the usual mode (0666 less the umask), replaced ones keep theirs.
    """
    check_output(path, force=force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    scratch = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as file:
            if path.is_file():
                os.fchmod(file.fileno(), path.stat().st_mode & 0o7777)
            file.write(payload)
            file.flush()
            os.fsync(file.fileno())
        if force:
            scratch.replace(path)
        else:
            _link_new(scratch, path)
    except FileExistsError:
        raise OutputError(f"{path} exists; use --force to overwrite it") from None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from exc
    finally:
        with contextlib.suppress(OSError):
            scratch.unlink(missing_ok=True)


def _link_new(scratch: Path, path: Path) -> None:
    """Give ``scratch`` the name ``path`` only if no file has it, even one that appeared since
    the check (a hard link fails then); without hard links, a last check and a rename."""
    try:
        os.link(scratch, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if path.exists():
            raise FileExistsError(path) from None
        scratch.replace(path)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    return exc.strerror or str(exc)
