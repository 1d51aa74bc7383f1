"""Run in a child process: start an app headless and print when its first frame is drawn.

``python -m bench.probe bare`` runs a bare Textual app; ``python -m bench.probe quiz DATA_DIR
[DECK...]`` runs ``quiz`` exactly as the command line does. Each prints ``frame <t>`` when the
first frame (of the home screen, for quiz) is composited, ``counts <t>`` when quiz's home screen
shows its deck counts, then ``rss <bytes>`` (its peak memory), and exits. Times are
``time.monotonic()``, which on Linux is one clock for every process, so the parent subtracts
the moment it started this process.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from textual.app import App


def _say(line: str) -> None:
    """Write a line to file descriptor 1: Textual redirects ``sys.stdout`` while it runs."""
    os.write(1, f"{line}\n".encode())


def _mark(name: str) -> None:
    _say(f"{name} {time.monotonic()!r}")


def _peak_rss() -> int:
    """This process's peak resident memory in bytes.

    ``VmHWM`` belongs to the process image started by exec; ``ru_maxrss`` (self or children)
    would also count the parent's memory at fork time, i.e. the benchmark runner's.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _leave(app: App[Any]) -> None:
    """Exit at once (``PROBE_SOFT=1``: the normal way, e.g. to let a profiler write out)."""
    _say(f"rss {_peak_rss()}")
    if os.environ.get("PROBE_SOFT") == "1":
        app.exit()
    else:
        os._exit(0)


def _on_first_frame(want_screen: str | None, then: Any = None) -> None:
    """Wrap ``App._display`` (where every composited frame goes, headless or not)."""
    display = App._display
    seen = False

    def probe(self: App[Any], screen: Any, renderable: Any) -> None:
        nonlocal seen
        display(self, screen, renderable)
        if seen or renderable is None:
            return
        if want_screen is None or type(screen).__name__ == want_screen:
            seen = True
            _mark("frame")
            if then is not None:
                then(self)

    App._display = probe  # type: ignore[method-assign]


def bare() -> None:
    from textual.app import ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("Hello")

    _on_first_frame(None, then=_leave)
    Bare().run(headless=True)


def quiz(data_dir: str, decks: list[str], wait_counts: bool) -> None:
    from quiz.tui.screens.home import HomeScreen

    show = HomeScreen._show

    def shown(self: HomeScreen, overview: Any) -> None:
        show(self, overview)
        _mark("counts")
        _leave(self.app)

    HomeScreen._show = shown  # type: ignore[method-assign]
    _on_first_frame("HomeScreen", then=None if wait_counts else _leave)
    from quiz import cli
    from quiz.cli import common

    common.has_terminal = lambda: True  # headless: no terminal needed
    run = App.run
    App.run = lambda self, **kw: run(self, **{**kw, "headless": True})  # type: ignore[method-assign]
    cli.main(["home", "--data-dir", data_dir, *decks])


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        quiz(sys.argv[2], sys.argv[3:], wait_counts=os.environ.get("PROBE_COUNTS") == "1")
