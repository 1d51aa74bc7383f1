"""``within(seconds)``: fail a test instead of letting it hang."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["within"]


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Raise ``TimeoutError`` after ``seconds``: SIGALRM interrupts even a runaway regular
    expression or a blocking read from a pipe (main thread, POSIX)."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
