"""Results: samples of quiz and of a baseline taken in the same run, shown as ratios.

Machines are noisy and absolute times do not carry from one to another, so every benchmark
times a baseline beside quiz (interleaved, run for run) and reports the median ratio. Spread is
the interquartile range over the median (max-min over median with fewer than four samples).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Measure", "spread", "table", "timed"]


def timed(action: Callable[[], object], setup: Callable[[], object] | None = None) -> float:
    """Seconds ``action`` takes (after ``setup``, untimed); its result is dropped untimed."""
    if setup is not None:
        setup()
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def spread(samples: list[float]) -> float:
    """Relative spread of samples: IQR (or range, when few) over the median."""
    if len(samples) < 2:
        return 0.0
    middle = statistics.median(samples)
    if not middle:
        return 0.0
    if len(samples) < 4:
        return (max(samples) - min(samples)) / middle
    q1, _, q3 = statistics.quantiles(samples, n=4)
    return (q3 - q1) / middle


@dataclass
class Measure:
    """One benchmark: quiz's samples, the baseline's, and the targets they must meet."""

    name: str
    baseline: str
    quiz: list[float] = field(default_factory=list)
    base: list[float] = field(default_factory=list)
    unit: str = "ms"
    """How values are shown: "ms" (values in seconds) or "MB" (values in bytes)."""
    max_ratio: float | None = None
    """Target: median ratio to the baseline at most this."""
    max_value: float | None = None
    """Target: quiz's median at most this (in the shown unit)."""
    note: str = ""

    def _shown(self, value: float) -> float:
        return value * 1000 if self.unit == "ms" else value / 2**20

    @property
    def ratios(self) -> list[float]:
        """Run-for-run ratios (quiz sample over the baseline sample taken beside it)."""
        return [q / b for q, b in zip(self.quiz, self.base, strict=False) if b]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else float("nan")

    @property
    def value(self) -> float:
        return self._shown(statistics.median(self.quiz)) if self.quiz else float("nan")

    @property
    def verdicts(self) -> list[tuple[str, bool]]:
        """Each target as text, and whether it holds."""
        out = []
        if self.max_ratio is not None:
            out.append((f"≤ {self.max_ratio:g}×", self.ratio <= self.max_ratio))
        if self.max_value is not None:
            out.append((f"≤ {self.max_value:g} {self.unit}", self.value <= self.max_value))
        return out

    def row(self) -> list[str]:
        base = statistics.median(self.base) if self.base else float("nan")
        targets = " and ".join(text for text, _ in self.verdicts) or "-"
        result = (
            " ".join("PASS" if ok else "MISS" for _, ok in self.verdicts) if self.verdicts else ""
        )
        return [
            self.name,
            f"{self.value:.3g} {self.unit} ±{spread(self.quiz):.0%}",
            f"{self._shown(base):.3g} {self.unit} ({self.baseline})",
            f"{self.ratio:.3g}× ±{spread(self.ratios):.0%}",
            targets,
            result,
        ]


HEADER = ["benchmark", "quiz (median ± spread)", "baseline (median)", "ratio", "target", ""]


def table(measures: list[Measure], *, markdown: bool = False) -> str:
    """The results as an aligned text table, or a Markdown one."""
    rows = [HEADER, *(m.row() for m in measures)]
    if markdown:
        lines = ["| " + " | ".join(r) + " |" for r in rows]
        lines.insert(1, "|" + "---|" * len(HEADER))
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
