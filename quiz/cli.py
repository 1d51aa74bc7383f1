"""The command line: parse arguments, call the core, print, return an exit code.

Every handler is a few lines over a core function. Anything a user can cause ends as a
readable message and a non-zero exit (1 for a failed check, 2 for usage and other errors),
never a traceback. Heavy imports (Textual, the scheduler) happen inside handlers so that
``quiz --help`` and ``quiz check`` start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from quiz import __version__
from quiz.clock import now as _now
from quiz.errors import QuizError
from quiz.text import printable

if TYPE_CHECKING:
    from quiz.generate import Draft
    from quiz.model import DeckFile

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]


def _print_error(message: str) -> None:
    print(f"quiz: {printable(message)}", file=sys.stderr)  # messages quote paths and deck text


# --- handlers -------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    """Check decks and print one ``path:line: message`` per problem."""
    from quiz.decks import check_paths, default_deck_paths

    paths = [Path(p) for p in args.paths] or default_deck_paths(args.data_dir)
    report = check_paths(paths, data_dir=args.data_dir)
    for problem in report.problems:
        print(problem)
    errors, warnings = report.error_count, report.warning_count
    print(
        f"{report.deck_count} deck(s), {report.card_count} card(s):"
        f" {errors} error(s), {warnings} warning(s)"
    )
    if errors or (args.strict and warnings):
        return 1
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Write a starter deck with one card of every kind."""
    from quiz.decks import write_starter_deck

    path = Path(args.path)
    write_starter_deck(path, title=args.title, force=args.force)
    print(f"wrote {path}; check it with: quiz check {path}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the deck format."""
    from quiz.decks import schema_text

    sys.stdout.write(schema_text())
    return 0


def has_terminal() -> bool:
    """Whether the app can run here: it reads keys from stdin and draws on stdout, so both
    must be a terminal (else it would draw into a pipe forever). The benchmarks' headless
    probe replaces it."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def cmd_tui(args: argparse.Namespace) -> int:
    """Open the app: the home screen, or straight into study or an exam."""
    if not has_terminal():
        raise QuizError(
            "the app needs a terminal, and standard input or output is not one;"
            " study line by line with: quiz study --plain"
        )
    from quiz.paths import data_dir
    from quiz.tui import build_app

    app = build_app(
        data_dir=data_dir(args.data_dir),
        decks=getattr(args, "decks", ()) or (),
        now=_now,
        command=args.command,
        exam_count=getattr(args, "count", 20),
        exam_minutes=getattr(args, "time", None),
    )
    result: int = app.run() or 0
    return result


def cmd_study(args: argparse.Namespace) -> int:
    """Study in the app, or line by line with ``--plain``."""
    if args.plain:
        from quiz.plain import run_plain

        return run_plain(args, now=_now)
    return cmd_tui(args)


def cmd_decks(args: argparse.Namespace) -> int:
    """List decks with their new / learning / due counts."""
    from quiz.plain import print_decks

    return print_decks(args, now=_now())


def cmd_stats(args: argparse.Namespace) -> int:
    """Print study statistics as text."""
    from quiz.plain import print_stats

    return print_stats(args, now=_now())


def cmd_orphans(args: argparse.Namespace) -> int:
    """List (or prune) progress that matches no card of the current decks."""
    from quiz.plain import orphans

    return orphans(args, now=_now())


def cmd_generate(args: argparse.Namespace) -> int:
    """Draft a deck from a plain-text article; to ``-o`` or stdout, the summary on stderr.
    With ``--review`` each card is reviewed first (in the app, or line by line with
    ``--plain``) and the kept ones are written to ``-o`` (default: ARTICLE.toml)."""
    from quiz.decks import deck_to_toml, save_deck
    from quiz.files import check_output
    from quiz.generate import GenerateError, generate_deck, read_article

    path = Path(args.article)
    output = Path(args.output) if args.output else None
    if args.review and output is None:
        output = path.with_suffix(".toml")
    if output:
        check_output(output, force=args.force)  # before any work that could be lost
    if args.review and not args.plain and not has_terminal():
        raise QuizError(
            "reviewing in the app needs a terminal, and standard input or output is not one;"
            " review line by line with: quiz generate ARTICLE --review --plain"
        )
    draft = generate_deck(
        read_article(path), title=args.title, max_cards=args.max, source_name=path.name
    )
    if not draft.deck.cards:
        raise GenerateError(f"{path}: found nothing to draft cards from\n{draft.report.summary()}")
    print(draft.report.summary(), file=sys.stderr)
    deck = _review(draft, plain=args.plain) if args.review else draft.deck
    if deck is None:
        print("review stopped: nothing written", file=sys.stderr)
        return 1
    if output is None:
        sys.stdout.write(deck_to_toml(deck))
        return 0
    written = save_deck(deck, output, force=args.force)
    print(
        f"wrote {len(deck.cards)} card(s) to {', '.join(map(str, written))};"
        f" check it with: quiz check {written[0]}",
        file=sys.stderr,
    )
    return 0


def _review(draft: Draft, *, plain: bool) -> DeckFile | None:
    """The deck a reviewer keeps of a draft, or None when they stop without writing."""
    from quiz.editor import run_editor
    from quiz.generate.review import DraftReview

    review = DraftReview(draft)
    if plain:
        from quiz.plain_review import review_plain

        return review_plain(review, sys.stdin, sys.stdout, run_editor)
    from quiz.tui.review import ReviewApp

    return ReviewApp(review).run()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def cmd_import(args: argparse.Namespace) -> int:
    """Import an Anki package, an Anki text export or a CSV/TSV file as a TOML deck."""
    from quiz.decks import save_deck
    from quiz.files import check_output
    from quiz.interop import check_importable, import_file

    source = Path(args.file)
    output = Path(args.output) if args.output else source.with_suffix(".toml")
    check_importable(source)
    check_output(output, force=args.force)
    result = import_file(source)
    save_deck(result.deck, output, force=args.force)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts.items()))
    print(f"imported {_plural(len(result.deck.cards), 'card')} ({kinds}) into {output}")
    if result.media:
        print(
            f"left out {_plural(len(result.media), 'media file')} (decks are text):"
            f" {', '.join(result.media)}"
        )
    if result.skipped:
        print(f"skipped {_plural(len(result.skipped), 'note')}:")
        for line in result.skipped:
            print(f"  {line}")
    print(f"check it with: quiz check {output}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export a deck (a deck file, or the id of a deck in the library) to .apkg or CSV."""
    from quiz.decks import default_deck_paths, load_deck, load_library
    from quiz.files import check_output
    from quiz.interop import InteropError, deck_for_export, export_deck
    from quiz.model import expand

    name, output = args.deck, Path(args.output)
    check_output(output, force=args.force)
    if Path(name).is_file():
        loaded = load_deck(Path(name), data_dir=args.data_dir)
    else:
        library = load_library(default_deck_paths(args.data_dir), data_dir=args.data_dir)
        found = library.by_id(name)
        if found is None:
            known = ", ".join(sorted(d.id for d in library.decks)) or "none"
            failed = f"; {len(library.failures)} failed to load" if library.failures else ""
            raise InteropError(f"no deck file or deck id {name!r} (deck ids: {known}{failed})")
        loaded = found
    deck = deck_for_export(loaded)
    export_deck(deck, output, _now(), force=args.force, spreadsheet_safe=args.spreadsheet_safe)
    faces = len(expand(loaded.id, loaded.cards))
    print(f"exported {_plural(len(deck.cards), 'card')} ({faces} to review) to {output}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Back up the progress database now."""
    from quiz.plain import backup

    return backup(args, now=_now())


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore the progress database from a backup."""
    from quiz.plain import restore

    return restore(args, now=_now())


# --- parser ---------------------------------------------------------------------------------


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

    p = command("exam", cmd_tui, "take a scored exam on a deck")
    p.add_argument("decks", nargs="+", metavar="DECK", help="deck id, file or folder")
    p.add_argument("--count", type=_count, default=20, metavar="N", help="questions (default 20)")
    p.add_argument("--time", type=_minutes, metavar="MINUTES", help="time limit in minutes")

    p = command("decks", cmd_decks, "list decks with new / learning / due counts")
    p.add_argument("decks", nargs="*", metavar="DECK", help="extra deck files or folders")

    p = command("stats", cmd_stats, "print study statistics")
    p.add_argument("decks", nargs="*", metavar="DECK", help="only these decks")

    p = command("orphans", cmd_orphans, "list progress that matches no current card")
    p.add_argument("--prune", action="store_true", help="delete it (asks first)")
    p.add_argument("--yes", action="store_true", help="do not ask before pruning")

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
    p.add_argument("-o", "--output", metavar="DECK", help="deck file to write")
    p.add_argument("--force", action="store_true", help="overwrite an existing deck file")

    p = command("export", cmd_export, "export a deck to .apkg or .csv")
    p.add_argument("deck", metavar="DECK", help="deck id or file")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help=".apkg or .csv file")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument(
        "--spreadsheet-safe",
        action="store_true",
        help="CSV for a spreadsheet: quote cells that would run as formulas (not for Anki)",
    )

    command("backup", cmd_backup, "back up the progress database now")
    p = command("restore", cmd_restore, "restore progress from a backup")
    p.add_argument("file", nargs="?", metavar="FILE", help="backup file (default: the newest)")
    p.add_argument("--yes", action="store_true", help="do not ask before restoring")
    return parser


def _wants_home(argv: list[str], parser: argparse.ArgumentParser) -> bool:
    """``quiz`` and ``quiz deck.toml`` open the app: no command means the home command."""
    if any(a in ("-h", "--help", "--version") for a in argv[:1]):
        return False
    commands = _command_names(parser)
    first = next((a for a in argv if not a.startswith("-")), None)
    return first is None or first not in commands


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


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
