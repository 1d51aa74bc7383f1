"""The benchmarks: each times quiz and a baseline the same way, interleaved, ``repeat`` times."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from bench.measure import Measure, timed
from bench.synth import NOW

__all__ = ["CASES", "World"]

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class World:
    """The generated library a run measures, and how often to repeat."""

    size: str
    cards: int
    reviews: int
    repeat: int
    work: Path
    decks: Path
    """The library's deck folder (several decks, every card kind)."""
    big_deck: Path
    """One deck with all ``cards`` cards, for the load benchmarks."""
    data_dir: Path
    """Progress with the review history, and the warm parse cache."""
    article: Path
    long_article: Path

    @property
    def env(self) -> dict[str, str]:
        """Environment of the processes a benchmark starts: a private QUIZ_HOME, a fixed now."""
        return {
            **os.environ,
            "QUIZ_HOME": str(self.work / "home"),
            "QUIZ_NOW": NOW.isoformat(),
            "PYTHONPATH": str(ROOT),
        }

    def scratch(self, name: str) -> Path:
        """An empty folder under the work dir."""
        path = self.work / "scratch" / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path


def _python(world: World, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=world.env,
        cwd=ROOT,
        timeout=600,
        check=False,
    )


def _marks(world: World, *args: str, counts: bool = False) -> dict[str, float]:
    """What ``bench.probe`` reports: seconds from its start to each mark, and its peak RSS."""
    env = {**world.env, "PROBE_COUNTS": "1" if counts else "0"}
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "bench.probe", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    marks = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in ("frame", "counts"):
            marks[name] = float(value) - start
        elif name == "rss":
            marks[name] = float(value)
    if "frame" not in marks:
        raise RuntimeError(f"probe {args} drew no frame:\n{done.stdout}\n{done.stderr}")
    return marks


def startup(world: World) -> list[Measure]:
    """Process start to the first frame of the home screen, against a bare Textual app."""
    bundled = world.scratch("startup-bundled")
    library = ("quiz", str(world.data_dir), str(world.decks))
    for args in (("quiz", str(bundled)), library):  # warm: parse cache, daily backup, .pyc
        _marks(world, *args, counts=True)
    size_target = {"small": 1.5, "medium": 1.5, "large": 2.0}[world.size]
    plain = Measure("start-up, bundled deck", "bare Textual app", max_ratio=1.3)
    big = Measure(
        f"start-up, {world.cards:,} cards + {world.reviews:,} reviews",
        "bare Textual app",
        max_ratio=size_target,
    )
    counted = Measure(
        f"start-up to deck counts shown, {world.cards:,} cards",
        "bare Textual app",
        note="informational: the counts fill in after the first frame",
    )
    for _ in range(world.repeat):
        for measure, args in ((plain, ("quiz", str(bundled))), (big, library)):
            measure.base.append(_marks(world, "bare")["frame"])
            measure.quiz.append(_marks(world, *args)["frame"])
        counted.base.append(_marks(world, "bare")["frame"])
        counted.quiz.append(_marks(world, *library, counts=True)["counts"])
    return [plain, big, counted]


def deck_load(world: World) -> list[Measure]:
    """Loading one deck of every card, against ``tomllib.loads`` of the same file."""
    from quiz.decks import check_paths, load_deck

    path = world.big_deck
    text = path.read_text(encoding="utf-8")
    warm = world.scratch("deck-cache")
    load_deck(path, data_dir=warm, lint=True)
    first = Measure("deck load, first time", "tomllib.loads", max_ratio=0.6)
    cached = Measure("deck load, unchanged (cached)", "tomllib.loads", max_ratio=0.1)
    check = Measure("quiz check, unchanged deck", "tomllib.loads", max_ratio=0.1)
    items = Measure(
        "cached deck to all items built",
        "tomllib.loads",
        note="informational: cards are validated again when first used",
    )
    cold = world.work / "scratch" / "deck-cold"
    for _ in range(world.repeat):
        first.base.append(timed(lambda: tomllib.loads(text)))
        first.quiz.append(
            timed(lambda: load_deck(path, data_dir=cold), lambda: shutil.rmtree(cold, True))
        )
        for measure, action in (
            (cached, lambda: load_deck(path, data_dir=warm)),
            (check, lambda: check_paths([path], data_dir=warm)),
            (items, lambda: load_deck(path, data_dir=warm).items),
        ):
            measure.base.append(timed(lambda: tomllib.loads(text)))
            measure.quiz.append(timed(action))
    return [first, cached, check, items]


ANSWERS = 200
"""Answers timed per repetition of the answer benchmark."""


def _fresh_copy(source: Path, target: Path) -> Path:
    """A copy of a database file as it was built, so every repetition answers the same cards."""
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob(f"{source.name}*"):
        stale.unlink()
    shutil.copyfile(source, target / source.name)
    return target / source.name


def _quiz_cycles(world: World) -> list[float]:
    """Seconds of each answer: rate the shown card Good (durably), then take the next."""
    from bench.anki_cycle import LIMIT
    from quiz.config import Config
    from quiz.decks import load_library
    from quiz.session import StudySession
    from quiz.storage import Store, db_path

    limits = {"new_per_day": LIMIT, "reviews_per_day": LIMIT}
    config = Config.model_validate({"limits": limits, "study": limits})
    library = load_library([world.decks], data_dir=world.data_dir)
    clock = [NOW]
    times: list[float] = []
    progress = _fresh_copy(db_path(world.data_dir), world.work / "scratch" / "answer").parent
    with Store.open(progress, now=NOW) as store:
        session = StudySession(store, library.decks, lambda: clock[0], config)
        if session.next_card() is None:
            raise RuntimeError("nothing to study")
        for _ in range(ANSWERS):
            clock[0] += timedelta(seconds=8)
            start = time.perf_counter()
            session.rate(3)
            card = session.next_card()
            times.append(time.perf_counter() - start)
            if card is None:
                break
    return times


def answer(world: World) -> list[Measure]:
    """Answer to next card with the whole library and history, against Anki doing the same
    (where the ``anki`` package is installed; else only the absolute target is checked)."""
    import importlib.util

    has_anki = importlib.util.find_spec("anki") is not None
    anki_dir = world.work / "anki"
    if has_anki and not (anki_dir / "built.json").exists():
        args = map(str, (anki_dir, world.data_dir, world.decks))
        done = _python(world, "-m", "bench.anki_cycle", "build", *args)
        if done.returncode:
            raise RuntimeError(f"building the Anki collection failed:\n{done.stderr}")
    measure = Measure(
        f"answer → next card, {world.cards:,} cards + {world.reviews:,} reviews",
        "Anki, same cycle" if has_anki else "no anki package: none",
        max_ratio=0.2 if has_anki else None,
        max_value=1.0,
    )
    for _ in range(world.repeat):
        if has_anki:
            copy = _fresh_copy(anki_dir / "bench.anki2", world.work / "scratch" / "anki")
            done = _python(world, "-m", "bench.anki_cycle", "answer", str(copy), str(ANSWERS))
            if done.returncode:
                raise RuntimeError(f"answering in Anki failed:\n{done.stderr}")
            anki: list[float] = json.loads(done.stdout)
            measure.base.append(sorted(anki)[len(anki) // 2])
        mine = _quiz_cycles(world)
        measure.quiz.append(sorted(mine)[len(mine) // 2])
    return [measure]


Screen = Callable[[Any, asyncio.Event], Any]
"""Opens the screen to type into (given the Pilot) and sets the event whenever it has drawn
what the text it searched for finds."""


def _keystrokes(make_app: Callable[[], Any], open_screen: Screen, word: str) -> list[float]:
    """Seconds from each keystroke of ``word`` (then as many backspaces) into the screen's
    search input until the screen has drawn what the new text finds.

    The input is edited the way its key bindings do (Pilot's ``press`` adds waits of its own
    that would dominate the figure)."""
    from textual.widgets import Input

    async def run() -> list[float]:
        app = make_app()
        times: list[float] = []
        updated = asyncio.Event()
        async with app.run_test(size=(120, 40)) as pilot:
            await open_screen(pilot, updated)
            box = app.screen.query_one(Input)
            edits: list[Callable[[], None]] = [partial(box.insert_text_at_cursor, c) for c in word]
            edits += [box.action_delete_left] * len(word)
            for edit in edits:
                updated.clear()
                start = time.perf_counter()
                edit()
                await asyncio.wait_for(updated.wait(), 60)
                times.append(time.perf_counter() - start)
        return times

    return asyncio.run(run())


def _bare_search() -> tuple[Callable[[], Any], Screen]:
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Label

    signal: list[asyncio.Event] = []

    class Echo(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="q")
            yield Label(id="out")

        def on_input_changed(self, event: Input.Changed) -> None:
            self.query_one(Label).update(event.value)
            self.call_after_refresh(signal[-1].set)

    async def open_screen(pilot: Any, updated: asyncio.Event) -> None:
        signal.append(updated)
        await pilot.pause()

    return Echo, open_screen


def _quiz_search(world: World) -> tuple[Callable[[], Any], Screen]:
    from quiz.tui import build_app
    from quiz.tui.screens.browse import BrowseScreen

    signal: list[asyncio.Event] = []
    show = BrowseScreen._show_result

    async def shown(self: BrowseScreen, *args: Any, **options: Any) -> None:
        await show(self, *args, **options)
        if signal:
            self.call_after_refresh(signal[-1].set)

    BrowseScreen._show_result = shown  # type: ignore[method-assign]

    def make() -> Any:
        return build_app(data_dir=world.data_dir, decks=[world.decks], now=lambda: NOW, calm=True)

    async def open_screen(pilot: Any, updated: asyncio.Event) -> None:
        signal.append(updated)
        app = pilot.app
        while app.loading:
            await pilot.pause(0.05)
        updated.clear()
        app.open_browse()
        await asyncio.wait_for(updated.wait(), 300)  # indexed, first results shown

    return make, open_screen


def browse(world: World) -> list[Measure]:
    """A search keystroke over the whole library until the table shows its results."""
    measure = Measure(
        f"browse: search keystroke, {world.cards:,} cards",
        "bare Textual input echo",
        max_value=50.0,
    )
    bare, quiz = _bare_search(), _quiz_search(world)
    for _ in range(world.repeat):
        base = _keystrokes(*bare, word="river")
        mine = _keystrokes(*quiz, word="river")
        measure.base.append(sorted(base)[len(base) // 2])
        measure.quiz.append(sorted(mine)[len(mine) // 2])
    return [measure]


def stats(world: World) -> list[Measure]:
    """Every statistic of the whole library, as text, against one scan of the review log."""
    from quiz.config import Config
    from quiz.decks import load_library
    from quiz.stats import stats_text
    from quiz.storage import Store, db_path

    library = load_library([world.decks], data_dir=world.data_dir)
    for deck in library.decks:
        deck.items  # noqa: B018 - built once, as the app has them by then
    measure = Measure(
        f"statistics, {world.reviews:,} reviews",
        "one scan of the review log",
        max_value=300.0,
    )
    config = Config()

    def scan() -> None:
        with sqlite3.connect(db_path(world.data_dir)) as conn:
            conn.execute("SELECT count(*), sum(rating), sum(duration_ms) FROM review_log")

    with Store.open(world.data_dir, now=NOW) as store:
        for _ in range(world.repeat):
            measure.base.append(timed(scan))
            measure.quiz.append(timed(lambda: stats_text(store, library.decks, NOW, config)))
    return [measure]


def memory(world: World) -> list[Measure]:
    """Peak resident memory of the app once the library's counts are shown."""
    measure = Measure(
        f"peak memory, {world.cards:,} cards shown on the home screen",
        "bare Textual app",
        unit="MB",
        max_value=200.0,
    )
    for _ in range(world.repeat):
        measure.base.append(_marks(world, "bare")["rss"])
        measure.quiz.append(
            _marks(world, "quiz", str(world.data_dir), str(world.decks), counts=True)["rss"]
        )
    return [measure]


def generate(world: World) -> list[Measure]:
    """``quiz generate`` on a 10,000-word article, against ``quiz --version`` (process start);
    and on an article of about 450 KB against the 10,000-word one, so a drafting cost that
    grows faster than the text shows as a ratio well above the ~8× of the texts' sizes."""
    out = world.scratch("generate")
    small = Measure("quiz generate, 10,000-word article", "quiz --version", max_value=1000.0)
    large = Measure(
        "quiz generate, 80,000-word article (450 KB)",
        "the 10,000-word article",
        max_ratio=10.0,
        max_value=3000.0,
    )

    def run(*args: str) -> None:
        done = _python(world, "-m", "quiz", *args)
        if done.returncode:
            raise RuntimeError(f"quiz {args} failed:\n{done.stderr}")

    def draft(article: Path) -> float:
        return timed(
            lambda: run("generate", str(article), "-o", str(out / "draft.toml"), "--force")
        )

    for _ in range(world.repeat):
        small.base.append(timed(lambda: run("--version")))
        small.quiz.append(draft(world.article))
        large.base.append(small.quiz[-1])
        large.quiz.append(draft(world.long_article))
    return [small, large]


CASES: dict[str, Callable[[World], list[Measure]]] = {
    "startup": startup,
    "load": deck_load,
    "answer": answer,
    "browse": browse,
    "stats": stats,
    "memory": memory,
    "generate": generate,
}
