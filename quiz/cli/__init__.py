"""The command line: parse arguments, call the core, print, return an exit code.

Every command (in ``quiz.cli.library``, ``study``, ``drafts``, ``interop``, ``backups``) is a
few lines over a typed core function. Anything a user can cause ends as a readable message and
a non-zero exit (1 for a failed check, 2 for usage and other errors), never a traceback. Heavy
imports (Textual, the scheduler) happen inside commands so that ``quiz --help`` and ``quiz
check`` start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from quiz.cli.parser import build_parser, command_names
from quiz.errors import QuizError
from quiz.text import printable

__all__ = ["build_parser", "main"]


def _print_error(message: str) -> None:
    print(f"quiz: {printable(message)}", file=sys.stderr)  # messages quote paths and deck text


def _wants_home(argv: list[str], parser: argparse.ArgumentParser) -> bool:
    """``quiz`` and ``quiz deck.toml`` open the app: no command means the home command."""
    if any(a in ("-h", "--help", "--version") for a in argv[:1]):
        return False
    first = next((a for a in argv if not a.startswith("-")), None)
    return first is None or first not in command_names(parser)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``quiz`` command."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if _wants_home(argv, parser):
        argv.insert(0, "home")
    args, extra = parser.parse_known_args(argv)
    if extra:
        # Report against the command's own usage, not the top-level one.
        getattr(args, "parser", parser).error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        result: int = args.handler(args)
    except QuizError as exc:
        _print_error(str(exc))
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return result
