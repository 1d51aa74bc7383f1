"""``python -m bench``: generate a library, run every benchmark, print ratios and targets.

    python -m bench --size small|medium|large [--repeat N] [--only startup,load,...]
                    [--workdir DIR] [--markdown]

The generated library (decks, review history, Anki collection) goes to a temporary folder,
or to ``--workdir`` where it is kept and reused by later runs of the same size.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench.cases import CASES, World
from bench.measure import Measure, table
from bench.synth import REVIEWS, SIZES, write_deck, write_history, write_library

__all__ = ["machine", "main", "prepare"]

_ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "articles"
_VERSION = "3"
"""Bump when the generated data changes, so a kept ``--workdir`` is rebuilt."""


def _article(path: Path, words: int = 10_000) -> Path:
    """An article of ``words`` words: the test articles, repeated with their numbers varied."""
    sources = [p.read_text(encoding="utf-8") for p in sorted(_ARTICLES.glob("*.txt"))]
    parts: list[str] = []
    count, n = 0, 0
    while count < words:
        text = sources[n % len(sources)].replace("20", str(20 + n % 7))
        parts.append(text)
        count += len(text.split())
        n += 1
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return path


def prepare(size: str, repeat: int, work: Path) -> World:
    """The world a run measures, generated into ``work`` unless already there."""
    cards, reviews = SIZES[size], REVIEWS[size]
    world = World(
        size=size,
        cards=cards,
        reviews=reviews,
        repeat=repeat,
        work=work,
        decks=work / "decks",
        big_deck=work / "big" / "big.toml",
        data_dir=work / "data",
        article=work / "article.txt",
        long_article=work / "long-article.txt",
    )
    stamp = work / f"ready-{size}-{_VERSION}"
    if stamp.exists():
        return world
    for leftover in (world.decks, world.big_deck.parent, world.data_dir, work / "anki"):
        shutil.rmtree(leftover, ignore_errors=True)
    started = time.perf_counter()
    write_library(world.decks, cards)
    write_deck(world.big_deck, "big", cards)
    _article(world.article)
    _article(world.long_article, words=80_000)
    from quiz.decks import load_library

    library = load_library([world.decks], data_dir=world.data_dir)
    refs = [(deck.id, face[0]) for deck in library.decks for face in deck.faces]
    made = write_history(world.data_dir, refs, reviews)
    print(
        f"generated {cards:,} cards and {made:,} reviews in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    stamp.touch()
    return world


def machine() -> str:
    """Where the figures come from: CPUs, CPU model, Python."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="small")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each benchmark")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(CASES)}")
    parser.add_argument("--workdir", type=Path, help="keep the generated data here, reuse it")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="quiz-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[Measure] = []
    failed: list[str] = []
    try:
        world = prepare(args.size, args.repeat, work)
        for name in names:
            started = time.perf_counter()
            try:
                done = CASES[name](world)
            except Exception:  # report the others; the exit code tells
                traceback.print_exc()
                failed.append(name)
                continue
            results.extend(done)
            print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
            print(table(done), file=sys.stderr)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"quiz benchmarks, size {args.size} ({world.cards:,} cards), {args.repeat} runs each")
    print(f"machine: {machine()}")
    print(table(results, markdown=args.markdown))
    for m in results:
        if m.note:
            print(f"  {m.name}: {m.note}")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
