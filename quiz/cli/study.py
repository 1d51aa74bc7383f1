"""Opening the app (home, study, exam) and studying line by line (``quiz study --plain``)."""

from __future__ import annotations

import argparse
import sys

from quiz.cli import common
from quiz.errors import QuizError

__all__ = ["cmd_study", "cmd_tui"]


def cmd_tui(args: argparse.Namespace) -> int:
    """Open the app: the home screen, or straight into study or an exam."""
    if not common.has_terminal():
        raise QuizError(
            "the app needs a terminal, and standard input or output is not one;"
            " study line by line with: quiz study --plain"
        )
    from quiz.clock import now
    from quiz.paths import data_dir
    from quiz.tui import build_app

    common.check_named(args.data_dir, [str(d) for d in getattr(args, "decks", ()) or ()], now())
    app = build_app(
        data_dir=data_dir(args.data_dir),
        decks=getattr(args, "decks", ()) or (),
        now=now,
        command=args.command,
        exam_count=getattr(args, "count", 20),
        exam_minutes=getattr(args, "time", None),
    )
    result: int = app.run() or 0
    return result


def cmd_study(args: argparse.Namespace) -> int:
    """Study in the app, or on standard input and output with ``--plain``."""
    if not args.plain:
        return cmd_tui(args)
    from quiz.clock import now
    from quiz.plain import PlainStudy
    from quiz.session import StudySession

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    ctx = common.open_library(args.data_dir, now(), args.decks)
    with ctx.store:
        session = StudySession(ctx.store, ctx.decks, now, ctx.config)
        PlainStudy(session, sys.stdin, sys.stdout, ctx.zone).run()
    return 0
