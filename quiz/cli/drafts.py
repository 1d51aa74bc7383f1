"""``quiz generate``: draft a deck from an article, reviewed first with ``--review``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.cli import common
from quiz.errors import QuizError

if TYPE_CHECKING:
    from quiz.generate import Draft
    from quiz.model import DeckFile

__all__ = ["cmd_generate"]


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
    if args.review and not args.plain and not common.has_terminal():
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
