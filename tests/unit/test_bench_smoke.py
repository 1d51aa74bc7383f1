"""The benchmark suite runs end to end at its smallest size (times are not asserted: CI
machines are too noisy for that; ``python -m bench`` reports them with their targets)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_small_runs_every_benchmark(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--size", "small", "--repeat", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TMPDIR": str(tmp_path)},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if "PASS" in line or "MISS" in line]
    names = ("start-up", "deck load", "quiz check", "answer", "browse", "statistics", "memory")
    for name in (*names, "generate"):
        assert any(name in row for row in rows), (name, done.stdout)
    assert "machine:" in done.stdout
    assert not list(tmp_path.glob("quiz-bench-*")), "the generated data is removed"
