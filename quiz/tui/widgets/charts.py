"""Terminal charts for the statistics screen: a calendar heatmap and a bar chart.

Both draw with block characters into Rich text sized to the widget, so they reflow when the
terminal is resized and never need a plotting library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

__all__ = ["BarChart", "Heatmap"]

_EIGHTHS = " ▁▂▃▄▅▆▇█"
_DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


class Heatmap(Widget):
    """Reviews per day as a calendar: one column per week, one row per weekday, darker is more.

    Shows as many of the most recent weeks as fit (a year at 80 columns), two cells wide
    when there is room.
    """

    DEFAULT_CSS = """
    Heatmap { height: 9; width: 1fr; }
    Heatmap > .heatmap--empty { color: $foreground 20%; }
    Heatmap > .heatmap--level-1 { color: $success 35%; }
    Heatmap > .heatmap--level-2 { color: $success 60%; }
    Heatmap > .heatmap--level-3 { color: $success 80%; }
    Heatmap > .heatmap--level-4 { color: $success; }
    Heatmap > .heatmap--label { color: $foreground 60%; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heatmap--empty",
        "heatmap--level-1",
        "heatmap--level-2",
        "heatmap--level-3",
        "heatmap--level-4",
        "heatmap--label",
    }

    def __init__(
        self,
        counts: Mapping[date, int],
        today: date,
        *,
        weeks: int = 53,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.counts = dict(counts)
        self.today = today
        self.weeks = weeks

    def _level(self, count: int, peak: int) -> int:
        if count <= 0:
            return 0
        return min(4, 1 + (4 * (count - 1)) // max(peak, 1))

    def render(self) -> Text:
        label_width = 4
        room = max(self.size.width - label_width, 1)
        cell = 2 if room >= 2 * self.weeks else 1
        weeks = min(self.weeks, room // cell)
        # The last column is the week holding today; weeks start on Monday.
        last_monday = self.today - timedelta(days=self.today.weekday())
        first_monday = last_monday - timedelta(weeks=weeks - 1)
        peak = max(self.counts.values(), default=0)
        label = self.get_component_rich_style("heatmap--label")
        styles = [self.get_component_rich_style("heatmap--empty")] + [
            self.get_component_rich_style(f"heatmap--level-{n}") for n in range(1, 5)
        ]
        text = Text(no_wrap=True, overflow="crop")
        months = [" "] * (weeks * cell)
        for week in range(weeks):
            monday = first_monday + timedelta(weeks=week)
            if monday.day <= 7:
                name = monday.strftime("%b")
                start = week * cell
                if start + len(name) <= len(months):
                    months[start : start + len(name)] = name
        text.append(" " * label_width + "".join(months).rstrip() + "\n", label)
        for weekday in range(7):
            text.append(f"{_DAY_LABELS[weekday]:<{label_width}}", label)
            for week in range(weeks):
                day = first_monday + timedelta(weeks=week, days=weekday)
                if day > self.today:
                    text.append(" " * cell)
                    continue
                level = self._level(self.counts.get(day, 0), peak)
                glyph = "■" if level else "·"
                text.append(glyph.ljust(cell), styles[level])
            text.append("\n")
        total = sum(n for d, n in self.counts.items() if d >= first_monday)
        text.append(f"{total} reviews in {weeks} weeks", label)
        return text


class BarChart(Widget):
    """Vertical bars of small counts (the due forecast), scaled to the widget's height."""

    DEFAULT_CSS = """
    BarChart { height: 8; width: 1fr; }
    BarChart > .barchart--bar { color: $primary; }
    BarChart > .barchart--label { color: $foreground 60%; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"barchart--bar", "barchart--label"}

    def __init__(
        self,
        values: Sequence[int],
        *,
        first_label: str = "",
        last_label: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.values = list(values)
        self.first_label = first_label
        self.last_label = last_label

    def render(self) -> Text:
        peak = max(self.values, default=0)
        axis_width = len(str(peak)) + 1
        rows = max(self.size.height - 1, 1)
        room = max(self.size.width - axis_width, 1)
        count = max(len(self.values), 1)
        cell = max(1, min(3, room // count))
        values = self.values[: room // cell] if cell * count > room else self.values
        bar = self.get_component_rich_style("barchart--bar")
        label = self.get_component_rich_style("barchart--label")
        text = Text(no_wrap=True, overflow="crop")
        width = max(cell - 1, 1)
        for row in range(rows, 0, -1):
            axis = str(peak) if row == rows and peak else ("0" if row == 1 else "")
            text.append(f"{axis:>{axis_width - 1}} ", label)
            for value in values:
                # A day with any card due shows at least a quarter row (▂), taller than the
                # dim ▁ baseline of a day with none, so a small count never reads as zero.
                eighths = max(2, round(8 * rows * value / peak)) if value else 0
                filled = max(0, min(8, eighths - 8 * (row - 1)))
                glyph = _EIGHTHS[filled] if value else ("▁" if row == 1 else " ")
                style = bar if value else label
                text.append(glyph * width + " " * (cell - width), style)
            text.append("\n")
        span = len(values) * cell
        gap = max(span - len(self.first_label) - len(self.last_label), 1)
        text.append(" " * axis_width + self.first_label + " " * gap + self.last_label, label)
        return text
