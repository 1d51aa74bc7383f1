"""Thread workers that report a user-caused failure instead of ending the app with a traceback."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.message_pump import MessagePump

from quiz.errors import QuizError

if TYPE_CHECKING:
    from quiz.tui.app import QuizApp

__all__ = ["reporting"]

Body = TypeVar("Body", bound=Callable[..., None])


def reporting(method: Body) -> Body:
    """Run a worker's body; a ``QuizError`` (a locked database, an unreadable file) becomes an
    error notification. Put it under ``@work(thread=True)``."""

    @wraps(method)
    def run(self: MessagePump, *args: Any, **kwargs: Any) -> None:
        try:
            method(self, *args, **kwargs)
        except QuizError as exc:
            self.app.call_from_thread(cast("QuizApp", self.app).report, exc)

    return cast(Body, run)
