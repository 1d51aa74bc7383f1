"""The end of a study session: what was studied, how well, how long, and when to come back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Static

from quiz.session import Summary
from quiz.tui.screens.base import QuizScreen
from quiz.tui.screens.home import when

__all__ = ["SummaryScreen", "duration_text"]


def duration_text(ms: int) -> str:
    """Time spent as the learner reads it: "45s", "4m 12s", "1h 03m"."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


class SummaryScreen(QuizScreen[None]):
    """The summary of a finished study session."""

    HELP_TITLE = "Summary"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "app.pop_screen", "Back to decks", id="summary.back"),
    ]

    def __init__(self, summary: Summary, now: datetime) -> None:
        super().__init__()
        self.summary = summary
        self.now = now

    def compose(self) -> ComposeResult:
        s = self.summary
        percent = f" ({100 * s.correct / s.studied:.0f}%)" if s.studied else ""
        next_due = when(s.next_due, self.now)
        if s.next_due is not None and s.next_due > self.now:
            local = s.next_due.astimezone(self.quiz.zone)
            next_due += local.strftime(" (%a %H:%M)")
        rows = [
            ("Studied", f"{s.studied} card{'s' if s.studied != 1 else ''}"),
            ("Correct", f"{s.correct}{percent}"),
            ("Again", str(s.again)),
            ("Time", duration_text(s.time_ms)),
            ("Next due", next_due),
        ]
        yield Header()
        with Center(), Vertical(id="summary"):
            heading = _heading(s, self.now)
            yield Static(Content.styled(heading, "bold $text-accent"), id="summary-title")
            yield Static(
                Content("\n").join(
                    Content.assemble((f"{name:<10}", "dim"), (value, "bold"))
                    for name, value in rows
                ),
                id="summary-rows",
            )
            yield Static(Content.styled("Enter returns to your decks.", "dim"))
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Summary"


def _heading(s: Summary, now: datetime) -> str:
    """What the session came to: "complete" only when nothing comes back today."""
    if not s.studied:
        return "Nothing to study right now"
    if s.next_due is not None and s.next_due <= now:
        return "Session ended: cards are still due"
    if s.next_due is not None and s.next_due - now < SOON:
        return "Done for now: cards you are learning come back soon"
    return "Session complete"


SOON = timedelta(hours=12)
"""A card due this close is one being learned today, not a review of another day."""
