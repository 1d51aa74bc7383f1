"""The core never imports the UI: the CLI and the TUI are thin layers over it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import quiz

PACKAGE = Path(quiz.__file__).parent
UI_LAYERS = {"quiz.cli", "quiz.__main__", "quiz.plain"}
CORE = sorted(
    name
    for path in PACKAGE.rglob("*.py")
    if "tui" not in path.relative_to(PACKAGE).parts
    and (
        name := ".".join(("quiz", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
    )
    not in UI_LAYERS
)


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_ui(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"
