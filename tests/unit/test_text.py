"""printable(): terminal control characters in deck text become visible and harmless."""

from __future__ import annotations

import pytest

from quiz.text import printable


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred", "␛[31mred"),
        ("\x1b]8;;http://x\x07link", "␛]8;;http://x␇link"),
        ("a\rb", "a␍b"),
        ("\x9b2J", "<U+009B>2J"),
        ("abc\u202edef", "abc<U+202E>def"),
        ("\u2066x\u2069", "<U+2066>x<U+2069>"),
        ("\x7f", "␡"),
    ],
)
def test_controls_become_visible(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_ordinary_text_newlines_and_tabs_are_kept() -> None:
    text = "[bold]x[/bold]\tÄ → 東京\nnext"
    assert printable(text) == text
