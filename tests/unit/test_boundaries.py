"""Each layer imports only downward: the core never imports the UI or the command line, and
only the storage layer speaks SQL to the progress database."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import quiz

PACKAGE = Path(quiz.__file__).parent
FRONT_ENDS = (
    "quiz.cli",
    "quiz.tui",
    "quiz.__main__",
    "quiz.plain",
    "quiz.plain_exam",
    "quiz.plain_review",
)
"""The command line, the app and the line-based front ends: everything else is the core."""
UI_PACKAGES = ("textual", "rich", "argparse")
STORAGE_LAYER = {"quiz.storage", "quiz.migrations", "quiz.backup", "quiz.stats_queries"}
"""The modules that may open or query the progress database."""
OTHER_DATABASES = {"quiz.interop.anki"}
"""Reads and writes Anki's own collection files, never the progress database."""


def _name(path: Path) -> str:
    parts = ("quiz", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts).removesuffix(".__init__")


def _front_end(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FRONT_ENDS)


MODULES = sorted(_name(path) for path in PACKAGE.rglob("*.py"))
CORE = [name for name in MODULES if not _front_end(name)]


def test_the_layers_are_found() -> None:
    assert {"quiz.session", "quiz.storage", "quiz.generate.draft"} <= set(CORE)
    assert "quiz.cli.parser" in MODULES and "quiz.cli.parser" not in CORE


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_ui(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {UI_PACKAGES!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_only_the_storage_layer_imports_sqlite3() -> None:
    speaking = {
        _name(path)
        for path in PACKAGE.rglob("*.py")
        if "sqlite3" in _imports(path) and _name(path) not in OTHER_DATABASES
    }
    assert speaking <= STORAGE_LAYER, sorted(speaking - STORAGE_LAYER)
    assert "quiz.storage" in speaking  # the check sees imports at all


def test_the_core_never_imports_a_front_end() -> None:
    wrong = {
        f"{_name(path)} -> {imported}"
        for path in PACKAGE.rglob("*.py")
        if not _front_end(_name(path))
        for imported in _imports(path)
        if _front_end(imported)
    }
    assert not wrong, sorted(wrong)


def test_the_settings_load_nothing_heavy() -> None:
    """Reading the settings file (every command does) loads neither the scheduler nor SQLite."""
    code = (
        "import sys, quiz.config\n"
        "heavy = ('fsrs', 'sqlite3', 'quiz.storage', 'quiz.scheduling', 'pydantic_settings')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_no_function_is_graded_d_or_worse() -> None:
    """radon's grade D (cyclomatic complexity 21 and up) is where a function stops being read
    at a glance; the one exception is documented beside ruff's C901 ignore in pyproject.toml."""
    from radon.complexity import cc_rank, cc_visit
    from radon.visitors import Class, Function

    allowed = {("quiz.grading", "_parse_words")}

    def blocks(found: list[Function | Class]) -> Iterator[Function | Class]:
        for block in found:
            yield block
            yield from blocks([*getattr(block, "methods", []), *getattr(block, "closures", [])])

    graded = {
        (_name(path), block.name, block.complexity)
        for path in PACKAGE.rglob("*.py")
        for block in blocks(cc_visit(path.read_text(encoding="utf-8")))
        if cc_rank(block.complexity) in "DEF"
    }
    assert {(module, name) for module, name, _ in graded} <= allowed, sorted(graded)
