"""Opening the app (home, study, exam), and studying or an exam line by line (``--plain``)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from quiz.cli import common
from quiz.errors import QuizError
from quiz.text import printable

if TYPE_CHECKING:
    from quiz.custom import CustomStudy

__all__ = ["cmd_exam", "cmd_study", "cmd_tui"]


def cmd_tui(args: argparse.Namespace) -> int:
    """Open the app: the home screen, or straight into study or an exam."""
    from quiz.clock import now

    common.check_named(args.data_dir, [str(d) for d in getattr(args, "decks", ()) or ()], now())
    if not common.has_terminal():
        plain = "quiz exam --plain" if args.command == "exam" else "quiz study --plain"
        raise QuizError(
            "the app needs a terminal, and standard input or output is not one;"
            f" line by line: {plain}"
        )
    from quiz.paths import data_dir
    from quiz.tui import build_app

    app = build_app(
        data_dir=data_dir(args.data_dir),
        decks=getattr(args, "decks", ()) or (),
        now=now,
        command=args.command,
        exam_count=getattr(args, "count", 20),
        exam_minutes=getattr(args, "time", None),
        custom=getattr(args, "custom", None),
    )
    result: int = app.run() or 0
    return result


def _custom(args: argparse.Namespace) -> CustomStudy | None:
    from quiz.custom import CustomStudy

    custom = CustomStudy(
        ahead=args.ahead,
        search=args.search,
        forgotten=args.forgotten,
        extra_new=args.extra_new or 0,
        reviews_only=args.reviews_only,
    )
    return custom if custom != CustomStudy() else None


def cmd_study(args: argparse.Namespace) -> int:
    """Study in the app, or on standard input and output with ``--plain``; the custom study
    flags pick the cards (checked before the app opens: no card is an error, not a screen)."""
    from quiz.clock import now
    from quiz.custom import chosen_cards

    custom = args.custom = _custom(args)
    if args.quiet and not args.plain:
        raise QuizError("--quiet is for line-by-line study: quiz study --plain --quiet")
    if not args.plain:
        if custom is not None and custom.picks and common.has_terminal():
            ctx = common.open_library(args.data_dir, now(), args.decks, read_only=True)
            with ctx.store:
                chosen_cards(custom, ctx.store, ctx.decks, now(), ctx.config)
        return cmd_tui(args)
    from quiz.editor import run_editor
    from quiz.plain import PlainStudy
    from quiz.session import StudySession

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    ctx = common.open_library(args.data_dir, now(), args.decks)
    with ctx.store:
        only = None
        if custom is not None:
            only = chosen_cards(custom, ctx.store, ctx.decks, now(), ctx.config)
            print(f"custom study: {printable(custom.describe())}")
        session = StudySession(
            ctx.store,
            ctx.decks,
            now,
            ctx.config,
            only,
            extra_new=custom.extra_new if custom else 0,
            reviews_only=custom.reviews_only if custom else False,
        )
        PlainStudy(
            session, sys.stdin, sys.stdout, ctx.zone, editor=run_editor, quiet=args.quiet
        ).run()
    return 0


def cmd_exam(args: argparse.Namespace) -> int:
    """An exam in the app, or line by line with ``--plain`` (each answer logged at once);
    after a plain exam with mistakes, the missed cards can be studied straight away."""
    if not args.plain:
        return cmd_tui(args)
    from datetime import timedelta

    from quiz.clock import now
    from quiz.exam import build_exam
    from quiz.plain import PlainStudy
    from quiz.plain_exam import PlainExam
    from quiz.session import StudySession

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    ctx = common.open_library(args.data_dir, now(), args.decks)
    with ctx.store:
        start = now()
        limit = None if args.time is None else timedelta(minutes=args.time)
        items = [item for deck in ctx.decks for item in deck.items]
        exam = build_exam(
            items, count=args.count, seed=int(start.timestamp()), now=start, time_limit=limit
        )
        plain = PlainExam(exam, ctx.store, ctx.config, now, sys.stdin, sys.stdout)
        result = plain.run()
        missed = set(result.missed_keys)
        if missed and plain.yes(f"study the {len(missed)} missed card(s) now? [y/N]"):
            session = StudySession(ctx.store, ctx.decks, now, ctx.config, missed)
            PlainStudy(session, sys.stdin, sys.stdout, ctx.zone).run()
    return 0
