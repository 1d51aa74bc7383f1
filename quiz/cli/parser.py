"""The command line's grammar: every command, its arguments and their types."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from quiz import __version__
from quiz.cli.backups import cmd_backup, cmd_restore
from quiz.cli.cards import cmd_cards
from quiz.cli.drafts import cmd_generate
from quiz.cli.interop import cmd_export, cmd_import
from quiz.cli.library import (
    cmd_check,
    cmd_decks,
    cmd_new,
    cmd_optimize,
    cmd_orphans,
    cmd_relink,
    cmd_schema,
    cmd_stats,
)
from quiz.cli.study import cmd_exam, cmd_study, cmd_tui

__all__ = ["MAX_EXAM_MINUTES", "Handler", "build_parser", "command_names"]

Handler = Callable[[argparse.Namespace], int]


def _add_data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where progress is kept (default: $QUIZ_HOME or the platform's data folder)",
    )


MAX_EXAM_MINUTES = 24 * 60


def _count(text: str) -> int:
    """A whole number of questions or cards, at least 1 (argparse turns the error into usage)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{text} is out of range (1 to 1000000)")
    return value


def _days(low: int) -> Callable[[str], int]:
    """A whole number of days from ``low`` to a century, for argparse."""

    def days(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
        if not low <= value <= 36_500:
            raise argparse.ArgumentTypeError(f"{text} is out of range ({low} to 36500 days)")
        return value

    return days


def _minutes(text: str) -> float:
    """A time limit in minutes: finite, above zero and at most a day (nan and inf are not)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from None
    if not 0 < value <= MAX_EXAM_MINUTES:  # also False for nan
        raise argparse.ArgumentTypeError(
            f"{text} is out of range (more than 0, at most {MAX_EXAM_MINUTES} minutes)"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, also used by the tests to check every command has help."""
    parser = argparse.ArgumentParser(
        prog="quiz",
        description="Learn facts in the terminal: TOML decks, spaced repetition, exams.",
        epilog="Run 'quiz COMMAND --help' for a command's options. With no command, the app opens.",
    )
    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(handler=handler, command=name, parser=p)
        _add_data_dir(p)
        return p

    p = command("home", cmd_tui, "open the app on the deck library (the default command)")
    p.add_argument("decks", nargs="*", metavar="DECK", help="extra deck files or folders")

    p = command("check", cmd_check, "check decks for errors; exit 1 on any error")
    p.add_argument("paths", nargs="*", metavar="PATH", help="deck files or folders")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")

    p = command("new", cmd_new, "write a starter deck with one card of every kind")
    p.add_argument("path", metavar="PATH", help="the deck file to write")
    p.add_argument("--title", default="My deck", help="the deck's title")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    command("schema", cmd_schema, "print the JSON Schema of the deck format")

    p = command("study", cmd_study, "study due cards (in the app, or line by line with --plain)")
    p.add_argument("decks", nargs="*", metavar="DECK", help="deck ids, files or folders")
    p.add_argument("--plain", action="store_true", help="line-based study on stdin/stdout")
    p.add_argument(
        "--quiet",
        action="store_true",
        help="with --plain: fewer words per card (no counts, intervals or review ids)",
    )
    custom = p.add_argument_group("custom study (the chosen cards now, without daily limits)")
    custom.add_argument(
        "--ahead", type=_days(0), metavar="N", help="cards due within N days (0: today's)"
    )
    custom.add_argument(
        "--search", metavar="QUERY", help="cards matching a browser search ('tag:verbs is:due')"
    )
    custom.add_argument(
        "--forgotten", type=_days(1), metavar="N", help="cards rated Again in the last N days"
    )
    limits = custom.add_mutually_exclusive_group()
    limits.add_argument(
        "--extra-new", type=_count, metavar="N", help="N new cards beyond today's limits"
    )
    limits.add_argument("--reviews-only", action="store_true", help="no new cards, only reviews")

    p = command("cards", cmd_cards, "list the cards a search finds, or change them all")
    p.add_argument("decks", nargs="*", metavar="DECK", help="deck ids, files or folders")
    p.add_argument("--search", metavar="QUERY", help="a browser search (default: every card)")
    changes = p.add_mutually_exclusive_group()
    changes.add_argument("--suspend", action="store_true", help="suspend them")
    changes.add_argument("--unsuspend", action="store_true", help="unsuspend them")
    changes.add_argument("--unbury", action="store_true", help="show buried ones again today")
    changes.add_argument("--forget", action="store_true", help="make them new again (asks first)")
    changes.add_argument(
        "--due", metavar="DAYS", help="set the due date: days from today (0: now), or a range 1-7"
    )
    p.add_argument("--yes", action="store_true", help="do not ask before --forget")

    p = command("exam", cmd_exam, "take a scored exam on a deck (in the app, or with --plain)")
    p.add_argument("decks", nargs="+", metavar="DECK", help="deck id, file or folder")
    p.add_argument("--plain", action="store_true", help="line-based exam on stdin/stdout")
    p.add_argument("--count", type=_count, default=20, metavar="N", help="questions (default 20)")
    p.add_argument("--time", type=_minutes, metavar="MINUTES", help="time limit in minutes")

    p = command("decks", cmd_decks, "list decks with new / learning / due counts")
    p.add_argument("decks", nargs="*", metavar="DECK", help="extra deck files or folders")
    p.add_argument(
        "--forget", metavar="PATH", help="take a deck studied by path out of the library"
    )

    p = command("stats", cmd_stats, "print study statistics")
    p.add_argument("decks", nargs="*", metavar="DECK", help="only these decks")

    p = command("optimize", cmd_optimize, "fit FSRS's weights to your own reviews")
    p.add_argument("decks", nargs="*", metavar="DECK", help="only these decks' reviews")
    p.add_argument("--write", action="store_true", help="keep them in the settings file")

    p = command("orphans", cmd_orphans, "list progress that matches no current card")
    p.add_argument("decks", nargs="*", metavar="DECK", help="only these decks (id or file)")
    p.add_argument("--prune", action="store_true", help="delete it (asks first)")
    p.add_argument("--yes", action="store_true", help="do not ask before pruning")

    p = command("relink", cmd_relink, "decide about edited cards that may be old ones")
    p.add_argument("deck", nargs="?", metavar="DECK", help="only this deck (id or file)")
    p.add_argument("old", nargs="?", metavar="OLD", help="an orphan's key (see quiz orphans)")
    p.add_argument("new", nargs="?", metavar="NEW", help="the card to give its history to")
    p.add_argument(
        "--from",
        dest="source",
        metavar="OLD_DECK",
        help="give DECK the progress of a deck no longer found (its file renamed)",
    )

    p = command("generate", cmd_generate, "draft a deck from a plain-text article")
    p.add_argument("article", metavar="ARTICLE", help="a UTF-8 text file")
    p.add_argument("-o", "--output", metavar="DECK", help="deck file to write (default: stdout)")
    p.add_argument("--title", help="the deck's title")
    p.add_argument("--max", type=int, metavar="N", help="at most N cards")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument(
        "--review",
        action="store_true",
        help="review each card beside its sentence before writing (default -o: ARTICLE.toml)",
    )
    p.add_argument("--plain", action="store_true", help="review line by line on stdin/stdout")

    p = command("import", cmd_import, "import .apkg, Anki text export, CSV or TSV as a deck")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="DECK", help="deck file (or folder) to write")
    p.add_argument("--force", action="store_true", help="overwrite existing deck files")
    p.add_argument(
        "--no-progress",
        action="store_true",
        help="leave out a package's review history and scheduling (every card new)",
    )
    p.add_argument(
        "--split-decks",
        action="store_true",
        help="one deck file per Anki deck, subdecks in subfolders (-o names the folder)",
    )

    p = command("export", cmd_export, "export a deck to .apkg or .csv")
    p.add_argument("deck", metavar="DECK", help="deck id or file")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help=".apkg or .csv file")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument(
        "--spreadsheet-safe",
        action="store_true",
        help="CSV for a spreadsheet: quote cells that would run as formulas (not for Anki)",
    )
    p.add_argument(
        "--with-progress",
        action="store_true",
        help="include each card's scheduling and review log (.apkg); without it, cards are new",
    )

    command("backup", cmd_backup, "back up the progress database now")
    p = command("restore", cmd_restore, "restore progress from a backup")
    p.add_argument("file", nargs="?", metavar="FILE", help="backup file (default: the newest)")
    p.add_argument("--yes", action="store_true", help="do not ask before restoring")
    return parser


def command_names(parser: argparse.ArgumentParser) -> set[str]:
    """The names of the parser's commands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()
