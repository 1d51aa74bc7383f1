"""Commands over decks and the library: check, new, schema, decks, stats, orphans."""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import datetime
from pathlib import Path

from quiz.cli.common import Context, open_library, relinked, remembered_decks
from quiz.decks import LoadedDeck
from quiz.identity import Orphan
from quiz.plain import local_time, say_relinks
from quiz.storage import Store
from quiz.text import printable

__all__ = [
    "cmd_check",
    "cmd_decks",
    "cmd_new",
    "cmd_orphans",
    "cmd_relink",
    "cmd_schema",
    "cmd_stats",
]


def cmd_check(args: argparse.Namespace) -> int:
    """Check decks and print one ``path:line: message`` per problem."""
    from quiz.clock import now as clock_now
    from quiz.config import load_config
    from quiz.decks import check_paths, library_paths

    paths = [Path(p) for p in args.paths] or library_paths(
        args.data_dir,
        [*load_config().decks.paths, *remembered_decks(args.data_dir, clock_now())],
    )
    report = check_paths(paths, data_dir=args.data_dir)
    for problem in report.problems:
        print(problem)
    for line in _history_notes(paths, args.data_dir, clock_now()):
        print(line)
    errors, warnings = report.error_count, report.warning_count
    print(
        f"{report.deck_count} deck(s), {report.card_count} card(s)"
        f" ({report.study_count} to study):"
        f" {errors} error(s), {warnings} warning(s)"
    )
    if errors or (args.strict and warnings):
        return 1
    return 0


def _history_notes(paths: list[Path], data_dir_arg: str | None, now: datetime) -> list[str]:
    """What the decks on disk would do to their history when next loaded: edited cards
    relinked, pairs quiz will ask about, and history no card would match any more (notes:
    they never fail a check). None without progress to compare with."""
    from quiz.decks import load_library
    from quiz.errors import QuizError
    from quiz.paths import data_dir
    from quiz.storage import db_path

    if not db_path(data_dir(data_dir_arg)).exists():
        return []
    notes = []
    try:
        with Store.open(data_dir(data_dir_arg), now=now, read_only=True) as store:
            for deck in load_library(paths, data_dir=data_dir_arg).decks:
                notes += _deck_notes(store, deck)
    except QuizError:
        return []
    return notes


def _deck_notes(store: Store, deck: LoadedDeck) -> list[str]:
    from quiz.identity import edit_report

    same, unsure, lost = edit_report(store, deck.id, deck.items)
    where = f"{deck.path}: note:"
    notes = [f"{where} {printable(r.new_prompt)!r} keeps an edited card's history" for r in same]
    for r in unsure:
        old, new = printable(r.old_prompt), printable(r.new_prompt)
        notes.append(f"{where} {new!r} may be the edited {old!r} (quiz relink decides)")
    if lost:
        notes.append(f"{where} the history of {len(lost)} card(s) matches no card (quiz orphans):")
        texts = store.texts(deck.id)
        for key in lost[:_LOST_SHOWN]:
            text = texts.get(key)
            notes.append(f"  {printable(text.prompt)!r}" if text else f"  {key}")
        if len(lost) > _LOST_SHOWN:
            notes.append(f"  and {len(lost) - _LOST_SHOWN} more")
    return notes


_LOST_SHOWN = 10
"""Orphaned cards ``quiz check`` names one by one; ``quiz orphans`` lists them all."""


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


def cmd_decks(args: argparse.Namespace) -> int:
    """``quiz decks``: each deck with today's new / learning / due counts and next due time."""
    from quiz.clock import now as clock_now
    from quiz.session import deck_overview

    now = clock_now()
    if args.forget is not None:
        return _forget(args.data_dir, Path(args.forget), now)
    ctx = open_library(args.data_dir, now, args.decks, read_only=True)
    with ctx.store:
        relinks = relinked(ctx, now)
        rows = deck_overview(ctx.store, ctx.decks, now, ctx.config)
    table = [("DECK", "TITLE", "NEW", "LEARN", "DUE", "NEXT DUE")]
    for r in rows:
        if r.due or (r.learning and r.next_due and r.next_due <= now):
            next_due = "now"
        else:
            next_due = local_time(r.next_due, ctx.zone) if r.next_due else "-"
        table.append(
            (r.deck_id, printable(r.title), str(r.new), str(r.learning), str(r.due), next_due)
        )
    widths = [max(len(row[i]) for row in table) for i in range(6)]
    for row in table:
        cells = [
            cell.rjust(w) if 2 <= i <= 4 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    if not rows:
        print("no decks found; write one with: quiz new my-deck.toml")
    say_relinks(relinks, sys.stdout)
    return 0


def _forget(data_dir_arg: str | None, path: Path, now: datetime) -> int:
    """Take a deck studied by path out of the library; its progress stays."""
    from quiz.paths import data_dir
    from quiz.storage import Store

    with Store.open(data_dir(data_dir_arg), now=now) as store:
        if not store.forget_deck_file(path):
            known = "\n  ".join(str(p) for p in store.deck_files()) or "none"
            print(f"quiz: {path} is not a deck studied by path; those are:\n  {known}")
            return 1
    print(f"forgot {path}: it is no longer in the library (its progress is kept)")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """``quiz stats [DECK ...]``: the statistics of ``quiz.stats`` as text."""
    from quiz.clock import now as clock_now
    from quiz.stats import stats_text

    now = clock_now()
    ctx = open_library(args.data_dir, now, args.decks, read_only=True)
    with ctx.store:
        text = stats_text(ctx.store, ctx.decks, now, ctx.config)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_optimize(args: argparse.Namespace) -> int:
    """``quiz optimize [DECK ...] [--write]``: fit FSRS's weights to the review log, score the
    weights in use and the fitted ones on it, and with ``--write`` keep the fitted ones."""
    from quiz.clock import now as clock_now
    from quiz.optimize import fit, write_parameters
    from quiz.paths import config_file

    now = clock_now()
    ctx = open_library(args.data_dir, now, args.decks, read_only=True)
    with ctx.store:
        ids = [d.id for d in ctx.decks] if args.decks else None
        result = fit(ctx.store.answers(deck_ids=ids), ctx.config.study.parameters)
    print(f"fitted FSRS's weights to {result.reviews} reviews of {result.cards} cards")
    print(f"  {'':14}{'log loss':>10}{'RMSE':>9}")
    print(f"  {'in use':14}{result.current_loss:>10.4f}{result.current_rmse:>9.4f}")
    print(f"  {'fitted':14}{result.fitted_loss:>10.4f}{result.fitted_rmse:>9.4f}")
    weights = ", ".join(f"{w:.4f}" for w in result.fitted)
    if not args.write:
        print(f"parameters = [{weights}]")
        print("keep them in your settings with: quiz optimize --write")
    elif result.fitted_loss >= result.current_loss:
        print("the weights in use predict your reviews as well: nothing written")
    else:
        path = config_file()
        write_parameters(path, result.fitted)
        print(f"wrote them to [study] parameters in {path}")
    return 0


def cmd_orphans(args: argparse.Namespace) -> int:
    """``quiz orphans [DECK ...] [--prune [--yes]]``: progress that matches no card of the
    decks. Pruning keeps what may still be an edited card (``quiz relink`` decides), and what
    belongs to a deck that is missing while another failed to load; it backs up first."""
    from quiz.clock import now as clock_now
    from quiz.identity import find_orphans, renamed_decks, unsure_links

    now = clock_now()
    ctx = open_library(args.data_dir, now, args.decks, read_only=not args.prune)
    with ctx.store:
        say_relinks(relinked(ctx, now), sys.stdout)
        wanted = {d.id for d in ctx.decks} if args.decks else None
        found = [
            o
            for o in find_orphans(ctx.store, [(d.id, d.items) for d in ctx.library.decks])
            if wanted is None or o.deck_id in wanted
        ]
        asked = {
            (r.deck_id, r.old_key)
            for d in ctx.decks
            for r in unsure_links(ctx.store, d.id, d.items)
        }
        moves = renamed_decks(ctx.store, [(d.id, d.items) for d in ctx.library.decks])
        renamed = {m.old_id for m in moves}  # its file renamed: quiz relink moves it
        asked |= {(o.deck_id, o.card_key) for o in found if o.deck_id in renamed}
        for o in found:
            where = "" if o.deck_loaded else " (deck not found)"
            prompt = printable(o.prompt) if o.prompt else "?"
            last = f", last {local_time(o.last, ctx.zone)}" if o.last else ""
            maybe = (
                " [may be an edited card or a renamed deck: quiz relink]"
                if (o.deck_id, o.card_key) in asked
                else ""
            )
            print(
                f"{o.deck_id} {o.card_key}: {o.entries} log entries{last}{where}: {prompt}{maybe}"
            )
        if not found:
            print("no orphaned progress")
            return 0
        print(f"{len(found)} card(s) of progress match no card of the current decks")
        if not args.prune:
            print("delete it with: quiz orphans --prune")
            return 0
        return _prune(ctx, found, asked, now, yes=args.yes)


def _prune(
    ctx: Context, found: list[Orphan], asked: set[tuple[str, str]], now: datetime, *, yes: bool
) -> int:
    from quiz.backup import backup_now, backups_dir

    prunable = [o for o in found if o.deck_loaded or not ctx.library.failures]
    if len(prunable) < len(found):
        print("not pruning progress of decks that are missing while some deck failed to load")
    kept = [o for o in prunable if (o.deck_id, o.card_key) in asked]
    if kept:
        print(f"not pruning {len(kept)} card(s) that may be edited or moved: see quiz relink")
    prunable = [o for o in prunable if (o.deck_id, o.card_key) not in asked]
    if not prunable:
        return 0
    entries = sum(o.entries for o in prunable)
    if not yes and not _confirm(f"delete {entries} log entries of {len(prunable)} card(s)"):
        print("nothing deleted")
        return 1
    saved = backup_now(ctx.store.path, backups_dir(ctx.store.path.parent), now)
    print(f"backed up to {saved} (quiz restore brings it back)")
    by_deck: dict[str, list[str]] = {}
    for o in prunable:
        by_deck.setdefault(o.deck_id, []).append(o.card_key)
    deleted = sum(ctx.store.prune(deck, keys) for deck, keys in by_deck.items())
    print(f"deleted {deleted} log entries of {len(prunable)} card(s)")
    return 0


def cmd_relink(args: argparse.Namespace) -> int:
    """``quiz relink [DECK] [OLD NEW]`` / ``quiz relink DECK --from OLD_DECK``: decide about
    decks that look renamed and edited cards that may be cards studied before (quiz never
    guesses those), or give OLD's history to the card NEW, or a whole deck's, by hand."""
    from quiz.clock import now as clock_now
    from quiz.identity import decide, unsure_links

    if args.old is not None and (args.new is None or args.deck is None):
        args.parser.error("give the deck, the old card's key and the new card's key")
    if args.source is not None and (args.deck is None or args.old is not None):
        args.parser.error("--from takes the deck to give the old deck's progress to")
    now = clock_now()
    ctx = open_library(args.data_dir, now, [args.deck] if args.deck else [])
    with ctx.store:
        if args.source is not None:
            return _move_by_hand(ctx, args.source)
        asking = sys.stdin.isatty()
        _offer_moves(ctx, asking)
        say_relinks(relinked(ctx, now), sys.stdout)
        if args.old is not None:
            return _link_by_hand(ctx, args.old, args.new, now)
        pending = [(d, r) for d in ctx.decks for r in unsure_links(ctx.store, d.id, d.items)]
        for deck, r in pending:
            print(f"{r.deck_id}: {r.old_key} -> {r.new_key} ({r.score:.0f}% alike)")
            print(f"  before: {printable(r.old_prompt)}")
            print(f"  now:    {printable(r.new_prompt)}")
            if not asking:
                named = shlex.quote(str(deck.path))  # a deck studied by path has no id to go by
                print(f"  link it with: quiz relink {named} {r.old_key} {r.new_key}")
            else:
                same = _decision("  the same card, keeping its history? [y/n, Enter: later] ")
                if same is None:
                    print("  asked again next time")
                elif decide(ctx.store, r, same, now):
                    print("  it keeps its history")
                else:
                    print("  it has its own" if same else "  kept apart: not asked again")
        if not pending:
            print("no edited card waits for a decision")
    return 0


def _offer_moves(ctx: Context, asking: bool) -> None:
    """Decks that look renamed: asked on a terminal, else listed with the command to run."""
    from quiz.identity import renamed_decks

    decks = {d.id: d for d in ctx.decks}
    for m in renamed_decks(ctx.store, [(d.id, d.items) for d in ctx.library.decks]):
        if m.new_id not in decks:
            continue
        print(f"{m.new_id} has {m.shared} of the {m.total} cards studied in {m.old_id},")
        print("  a deck no longer found: was its file renamed or moved?")
        named = shlex.quote(str(decks[m.new_id].path))
        if not asking:
            print(f"  give it that progress with: quiz relink {named} --from {m.old_id}")
        elif _yes("  give it that deck's progress? [y/N] "):
            _move_by_hand(ctx, m.old_id, decks[m.new_id])


def _move_by_hand(ctx: Context, old: str, deck: LoadedDeck | None = None) -> int:
    if deck is None:
        [deck] = ctx.decks
    if old not in ctx.store.deck_ids() or old in {d.id for d in ctx.library.decks}:
        print(f"quiz: no progress of a deck {old!r} that is no longer found", file=sys.stderr)
        return 1
    moved = ctx.store.move_deck(old, deck.id)
    if not moved:
        print(f"quiz: {deck.id} has progress of its own, never mixed", file=sys.stderr)
        return 1
    print(f"{deck.id} keeps the progress of {old} ({moved} log entries)")
    return 0


def _link_by_hand(ctx: Context, old: str, new: str, now: datetime) -> int:
    from quiz.identity import Relink, link

    [deck] = ctx.decks
    item = next((i for i in deck.items if new in (i.key, i.card_key)), None)
    texts = ctx.store.texts(deck.id)
    if item is None:
        print(f"quiz: {deck.id} has no card {new!r}", file=sys.stderr)
        return 1
    if old not in ctx.store.card_keys(deck.id) or any(i.key == old for i in deck.items):
        print(f"quiz: {deck.id} has no orphaned progress {old!r} (quiz orphans)", file=sys.stderr)
        return 1
    prompt = texts[old].prompt if old in texts else old
    if not link(ctx.store, Relink(deck.id, old, item.key, prompt, item.prompt, 100.0), now):
        print(f"quiz: {item.key} has progress of its own, never mixed", file=sys.stderr)
        return 1
    print(f"relinked {deck.id} {old} -> {item.key}: {printable(item.prompt)!r} keeps its history")
    return 0


def _yes(question: str) -> bool:
    sys.stdout.write(question)
    sys.stdout.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _decision(question: str) -> bool | None:
    """y: yes, n: no, anything else (Enter): not now."""
    sys.stdout.write(question)
    sys.stdout.flush()
    answer = sys.stdin.readline().strip().lower()
    return True if answer in ("y", "yes") else False if answer in ("n", "no") else None


def _confirm(question: str) -> bool:
    sys.stdout.write(f"{question} for good? [y/N] ")
    sys.stdout.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")
