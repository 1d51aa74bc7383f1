"""``quiz cards``: list the cards a search finds, or change them all at once (suspend,
unsuspend, unbury, forget, set due date), as Anki's browser does for its selection."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from quiz.cli.common import open_library, plural
from quiz.errors import QuizError
from quiz.text import printable_line

if TYPE_CHECKING:
    from datetime import datetime

    from quiz.config import Config
    from quiz.model import Item
    from quiz.storage import Review, Store

__all__ = ["cmd_cards"]

_WIDTH = 60


def _change(args: argparse.Namespace) -> tuple[str, Callable[..., Review | None]] | None:
    """What the flags ask to do to every card found (its past tense, and the change)."""
    from quiz import manage

    if args.suspend or args.unsuspend:
        suspend = bool(args.suspend)

        def suspended(store: Store, item: Item, now: datetime, config: Config) -> Review:
            return manage.set_suspended(store, item, suspend, now, config)

        return ("suspended" if suspend else "unsuspended", suspended)
    if args.unbury:
        return ("unburied", manage.unbury)
    if args.forget:
        return ("forgot (new again)", manage.reset_card)
    if args.due is not None:
        days = manage.DueDays.parse(args.due)

        def due(store: Store, item: Item, now: datetime, config: Config) -> Review | None:
            return manage.set_due(store, item, days, now, config)

        return (f"set the due date ({args.due} days from today) of", due)
    return None


def cmd_cards(args: argparse.Namespace) -> int:
    """List the cards of the decks a search finds; with a change flag, change each."""
    from quiz.clock import now as clock_now
    from quiz.plain import local_time
    from quiz.scheduling import Calendar
    from quiz.search import CardIndex, state_name, states_of, unknown_terms

    if unknown := unknown_terms(args.search or ""):
        raise QuizError(f"unknown search terms: {', '.join(unknown)}")
    change = _change(args)
    now = clock_now()
    ctx = open_library(args.data_dir, now, args.decks, read_only=change is None)
    with ctx.store:
        states = states_of(ctx.decks, ctx.store.states_for_deck)
        index = CardIndex(ctx.decks)
        calendar = Calendar(ctx.config.zone(), ctx.config.day_starts_at)
        query = args.search or ""
        result = index.search(query, states, now, limit=len(index.entries), calendar=calendar)
        found = result.entries
        if change is None:
            for entry in found:
                state = states.get(entry.ref)
                due = local_time(state.due, ctx.zone) if state and state.due else "-"
                text = printable_line(entry.item.prompt)
                text = text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"
                print(f"{entry.deck.id}  {entry.item.key}  {state_name(state, now)}  {due}  {text}")
            print(plural(len(found), "card"))
            return 0
        done, name = 0, change[0]
        if args.forget and found and not args.yes:
            sys.stdout.write(f"forget the progress of {plural(len(found), 'card')}? [y/N] ")
            sys.stdout.flush()
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                print("nothing changed")
                return 1
        for entry in found:
            done += change[1](ctx.store, entry.item, now, ctx.config) is not None
        print(f"{name} {plural(done, 'card')}")
        if skipped := len(found) - done:
            print(f"{plural(skipped, 'new card')} left as they are: study a card before moving it")
    return 0
