"""Line-based front end: ``quiz study --plain``, ``quiz decks``, ``quiz stats``, ``quiz orphans``.

A thin text UI over ``quiz.session`` for screen readers, scripts and tests: it reads one line
at a time from standard input and writes plain lines to standard output, flushing after every
prompt, so it works the same from a terminal or a pipe. When standard input is not a terminal
each prompt ends its own line. Deck text goes through ``quiz.text.printable`` first. The
input and output format is documented in docs/plain-mode.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TextIO

from quiz.backup import start_up_backup
from quiz.config import Config, load_config
from quiz.decks import Library, LoadedDeck, default_deck_paths, load_library, looks_like_path
from quiz.errors import QuizError
from quiz.grading import Grade, Rating
from quiz.identity import Relink, find_orphans, relink_edited
from quiz.model import ChoiceCard, OrderCard, TrueFalseCard, TypedCard
from quiz.paths import data_dir
from quiz.session import Prompted, SessionError, StudySession, deck_overview
from quiz.storage import Store
from quiz.text import printable

__all__ = [
    "PlainStudy",
    "backup",
    "orphans",
    "print_decks",
    "print_stats",
    "restore",
    "run_plain",
]

RATING_NAMES = {
    Rating.AGAIN: "Again",
    Rating.HARD: "Hard",
    Rating.GOOD: "Good",
    Rating.EASY: "Easy",
}
_RATING_KEYS = {"1": 1, "2": 2, "3": 3, "4": 4, "a": 1, "h": 2, "g": 3, "e": 4}
_TRUE = {"t", "true", "y", "yes"}
_FALSE = {"f", "false", "n", "no"}


class _Quit(Exception):
    """The learner typed q, or input ended."""


class _Undone(Exception):
    """The learner undid the last answer: show the card the session puts back."""


# --- opening the library --------------------------------------------------------------------


@dataclass
class _Context:
    config: Config
    library: Library
    decks: list[LoadedDeck]
    store: Store
    zone: tzinfo = field(init=False)

    def __post_init__(self) -> None:
        self.zone = self.config.zone()


def _open(
    args: argparse.Namespace, now: datetime, names: Sequence[str] = (), *, read_only: bool = False
) -> _Context:
    """Load the settings, the decks (all, or those named by id or path) and the store.

    ``read_only`` commands (listings, statistics) also work on a data folder quiz cannot
    write: they then say so, take no backup and save nothing."""
    config = load_config()
    if warning := config.zone_warning():
        print(f"quiz: warning: {warning}", file=sys.stderr)
    paths = [*default_deck_paths(args.data_dir), *config.decks.paths]
    files = [Path(n) for n in names if looks_like_path(n)]
    library = load_library([*paths, *(f for f in files if f not in paths)], data_dir=args.data_dir)
    for problem in library.failures:
        print(f"quiz: warning: {problem}", file=sys.stderr)
    if names:
        chosen: list[LoadedDeck] = []
        for name in names:
            if looks_like_path(name):
                target = Path(name).resolve()
                found = [
                    d
                    for d in library.decks
                    if target in (d.path.resolve(), *d.path.resolve().parents)
                ]
            else:
                found = [d for d in library.decks if d.id == name]
            if not found:
                known = ", ".join(sorted(d.id for d in library.decks)) or "none"
                raise QuizError(f"no deck {name!r} (deck ids: {known})")
            chosen += [d for d in found if d not in chosen]
    else:
        chosen = list(library.decks)
    store = Store.open(data_dir(args.data_dir), now=now, read_only=read_only)
    if store.read_only:
        print(
            f"quiz: note: {store.path.parent} cannot be written: showing progress, saving nothing",
            file=sys.stderr,
        )
    elif warning := start_up_backup(store.path, now):
        print(f"quiz: warning: {warning}", file=sys.stderr)
    return _Context(config, library, chosen, store)


def _relinked(ctx: _Context, now: datetime) -> list[Relink]:
    """Give edited cards their history (not in a folder quiz cannot write)."""
    if ctx.store.read_only:
        return []
    return [r for d in ctx.decks for r in relink_edited(ctx.store, d.id, d.items, now)]


def _local(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _say_relinks(relinks: Sequence[Relink], out: TextIO) -> None:
    for r in relinks:
        print(
            f"relinked {r.deck_id} {r.old_key} -> {r.new_key}: the edited card"
            f" {printable(r.new_prompt)!r} keeps its history ({r.score:.0f}% similar)",
            file=out,
        )


# --- study ----------------------------------------------------------------------------------


def run_plain(args: argparse.Namespace, *, now: Callable[[], datetime]) -> int:
    """``quiz study --plain [DECK ...]``: study on standard input and output."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    ctx = _open(args, now(), getattr(args, "decks", ()) or ())
    with ctx.store:
        session = StudySession(ctx.store, ctx.decks, now, ctx.config)
        PlainStudy(session, sys.stdin, sys.stdout, ctx.zone).run()
    return 0


@dataclass
class PlainStudy:
    """The line-based study loop over one session."""

    session: StudySession
    inp: TextIO
    out: TextIO
    zone: tzinfo
    monotonic: Callable[[], float] = time.monotonic
    shown: int = 0

    def run(self) -> None:
        """Study until nothing is left, ``q`` or end of input; then print the summary."""
        _say_relinks(self.session.relinks, self.out)
        counts = self.session.counts()
        self.say(f"today: {counts.new} new · {counts.learning} learning · {counts.due} due")
        try:
            while (card := self.session.next_card()) is not None:
                try:
                    self.study(card)
                except _Undone:
                    continue
            self.say("nothing more to study now")
        except _Quit:
            pass
        self.summary()

    def say(self, line: str = "") -> None:
        print(line, file=self.out, flush=True)

    def ask(self, prompt: str) -> str:
        """Read one line; ``q`` or end of input quits, ``u`` undoes the last answer."""
        interactive = self.inp.isatty()
        self.out.write(f"{prompt}> " if interactive else f"{prompt}>\n")
        self.out.flush()
        line = self.inp.readline()
        if not line:
            if interactive:
                self.out.write("\n")
            raise _Quit
        text = line.rstrip("\r\n")
        command = text.strip().lower()
        if command == "q":
            raise _Quit
        if command == "u":
            self.undo()
            raise _Undone
        return text[1:] if text.startswith("\\") else text

    def undo(self) -> None:
        last = self.session.last_answer()
        try:
            item = self.session.undo()
        except QuizError as exc:
            self.say(f"cannot undo: {exc}")
            return
        if item is None or last is None:
            self.say("nothing to undo")
        else:
            self.say(f"undone {last.id} {last.deck_id} {last.card_key}")

    def study(self, card: Prompted) -> None:
        """Show one card, take the answer and a rating, record it and say what happened."""
        self.shown += 1
        counts = self.session.counts()
        self.say()
        self.say(
            f"card {self.shown}: {printable(card.deck_title)} · {card.kind} · {card.source}"
            f" ({counts.new} new · {counts.learning} learning · {counts.due} due)"
        )
        self.question(card)
        started = self.monotonic()
        grade = self.answer(card)
        if grade is not None:
            self.say(f"{grade.message}. answer: {printable(grade.expected)}")
            if isinstance(card.item.card, TypedCard) and grade.rating != Rating.GOOD:
                self.say(f"you typed: {printable(grade.given)}")
        else:
            self.say(f"A: {printable(card.item.answer)}")
        rating = self.rating(card, grade)
        outcome = self.session.rate(rating, duration_ms=round((self.monotonic() - started) * 1000))
        review = outcome.review
        self.say(f"recorded {review.id} {review.deck_id} {review.card_key} {int(rating)}")
        self.say(
            f"{RATING_NAMES[outcome.rating]}: next in {outcome.interval}"
            f" (due {_local(outcome.due, self.zone)})"
        )
        if outcome.leech:
            action = "suspended" if outcome.suspended else "tagged"
            self.say(f"leech: this card keeps slipping; it was {action} as a leech")
        if outcome.buried:
            self.say(f"buried until tomorrow: {len(outcome.buried)} sibling card(s)")
        explanation = card.item.card.explanation
        if explanation:
            self.say(f"why: {printable(explanation)}")

    def question(self, card: Prompted) -> None:
        self.say(f"Q: {printable(card.item.prompt)}")
        for i, option in enumerate(card.options, start=1):
            self.say(f"  {i}) {printable(option)}")
        for i, entry in enumerate(card.order):
            self.say(f"  {_label(i, len(card.order))}) {printable(entry)}")

    def answer(self, card: Prompted) -> Grade | None:
        """Read the answer until it parses; None for a card revealed without typing."""
        prompt = {
            ChoiceCard: "answer (option numbers, e.g. 1 3)",
            TrueFalseCard: "answer (t/f)",
            OrderCard: "answer (letters in order, e.g. c a b)",
            TypedCard: "answer",
        }.get(type(card.item.card), "Enter shows the answer (or type it)")
        while True:
            text = self.ask(prompt)
            try:
                return self._grade(card, text)
            except SessionError as exc:
                self.say(f"? {exc}")

    def _grade(self, card: Prompted, text: str) -> Grade | None:
        kind = card.item.card
        words = text.replace(",", " ").split()
        if isinstance(kind, ChoiceCard):
            if not words or not all(w.isdigit() for w in words):
                raise SessionError("answer with option numbers")
            return self.session.check([int(w) - 1 for w in words])
        if isinstance(kind, TrueFalseCard):
            word = text.strip().lower()
            if word not in _TRUE | _FALSE:
                raise SessionError("answer t or f")
            return self.session.check(word in _TRUE)
        if isinstance(kind, OrderCard):
            labels = [_label(i, len(card.order)) for i in range(len(card.order))]
            if len(words) == 1 and len(card.order) <= 26:
                words = list(words[0])
            if not words or any(w.lower() not in labels for w in words):
                raise SessionError(f"answer with the labels {' '.join(labels)}")
            return self.session.check([labels.index(w.lower()) for w in words])
        if isinstance(kind, TypedCard) or text.strip():
            return self.session.check(text)
        return None

    def rating(self, card: Prompted, grade: Grade | None) -> Rating:
        """Read a rating; Enter takes the suggested one."""
        buttons = " · ".join(f"{int(r)} {RATING_NAMES[r]} {card.previews[r]}" for r in RATING_NAMES)
        if grade is not None:
            self.say(f"suggested: {int(grade.rating)} {RATING_NAMES[grade.rating]}")
            prompt = f"rate [Enter accepts {int(grade.rating)}] ({buttons})"
        else:
            prompt = f"rate ({buttons})"
        while True:
            text = self.ask(prompt).strip().lower()
            if not text and grade is not None:
                return grade.rating
            if text in _RATING_KEYS:
                return Rating(_RATING_KEYS[text])
            self.say("? rate with 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")

    def summary(self) -> None:
        s = self.session.summary()
        self.say()
        self.say(
            f"summary: studied {s.studied} · correct {s.correct} · again {s.again}"
            f" · time {_duration(s.time_ms)}"
        )
        if s.next_due is not None:
            self.say(f"next due: {_local(s.next_due, self.zone)}")
        else:
            self.say("next due: nothing scheduled")


def _label(index: int, count: int) -> str:
    return chr(ord("a") + index) if count <= 26 else str(index + 1)


def _duration(ms: int) -> str:
    seconds = round(ms / 1000)
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"


# --- other commands -------------------------------------------------------------------------


def print_decks(args: argparse.Namespace, *, now: datetime) -> int:
    """``quiz decks``: each deck with today's new / learning / due counts and next due time."""
    ctx = _open(args, now, getattr(args, "decks", ()) or (), read_only=True)
    with ctx.store:
        relinks = _relinked(ctx, now)
        rows = deck_overview(ctx.store, ctx.decks, now, ctx.config)
    table = [("DECK", "TITLE", "NEW", "LEARN", "DUE", "NEXT DUE")]
    for r in rows:
        if r.due or (r.learning and r.next_due and r.next_due <= now):
            next_due = "now"
        else:
            next_due = _local(r.next_due, ctx.zone) if r.next_due else "-"
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
    _say_relinks(relinks, sys.stdout)
    return 0


def print_stats(args: argparse.Namespace, *, now: datetime) -> int:
    """``quiz stats [DECK ...]``: the statistics of ``quiz.stats`` as text."""
    from quiz.stats import stats_text

    ctx = _open(args, now, getattr(args, "decks", ()) or (), read_only=True)
    with ctx.store:
        text = stats_text(ctx.store, ctx.decks, now, ctx.config)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def orphans(args: argparse.Namespace, *, now: datetime) -> int:
    """``quiz orphans [--prune [--yes]]``: progress that matches no card of the decks."""
    ctx = _open(args, now, read_only=not args.prune)
    with ctx.store:
        _say_relinks(_relinked(ctx, now), sys.stdout)
        found = find_orphans(ctx.store, [(d.id, d.items) for d in ctx.decks])
        for o in found:
            where = "" if o.deck_loaded else " (deck not found)"
            prompt = printable(o.prompt) if o.prompt else "?"
            print(f"{o.deck_id} {o.card_key}: {o.entries} log entries{where}: {prompt}")
        if not found:
            print("no orphaned progress")
            return 0
        print(f"{len(found)} card(s) of progress match no card of the current decks")
        if not args.prune:
            print("delete it with: quiz orphans --prune")
            return 0
        prunable = [o for o in found if o.deck_loaded or not ctx.library.failures]
        if len(prunable) < len(found):
            print("not pruning progress of decks that are missing while some deck failed to load")
        if not prunable:
            return 0
        if not args.yes:
            sys.stdout.write(f"delete the progress of {len(prunable)} card(s) for good? [y/N] ")
            sys.stdout.flush()
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                print("nothing deleted")
                return 1
        by_deck: dict[str, list[str]] = {}
        for o in prunable:
            by_deck.setdefault(o.deck_id, []).append(o.card_key)
        deleted = sum(ctx.store.prune(deck, keys) for deck, keys in by_deck.items())
        print(f"deleted {deleted} log entries of {len(prunable)} card(s)")
    return 0


# --- backups --------------------------------------------------------------------------------


def backup(args: argparse.Namespace, *, now: datetime) -> int:
    """``quiz backup``: copy the progress database into the backups folder now."""
    from quiz.backup import backup_now, backups_dir

    directory = data_dir(args.data_dir)
    with Store.open(directory, now=now) as store:  # refuses a damaged or foreign file
        path = backup_now(store.path, backups_dir(directory), now)
    print(f"backed up {store.path} to {path}")
    return 0


def restore(args: argparse.Namespace, *, now: datetime) -> int:
    """``quiz restore [FILE] [--yes]``: replace the progress database with a checked backup."""
    from quiz.backup import backups_dir, newest_backup, restore_backup, verify_backup
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
    kept = restore_backup(target, source, now)
    print(f"restored {target} from {source}")
    if kept is not None:
        print(f"the replaced progress is kept as {kept}")
    return 0
