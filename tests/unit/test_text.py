"""printable(): terminal control characters in deck text become visible and harmless."""

from __future__ import annotations

import pytest

from quiz.text import printable, printable_line


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


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\u200bb", "a<U+200B>b"),  # zero-width space
        ("a\u200fb", "a<U+200F>b"),  # right-to-left mark
        ("a\u061cb", "a<U+061C>b"),  # Arabic letter mark
        ("a\u2028b", "a<U+2028>b"),  # line separator
        ("\ufeffa", "<U+FEFF>a"),
    ],
)
def test_invisible_and_bidi_marks_become_visible(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_joiners_that_scripts_and_emoji_need_are_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert printable(family) == family and printable(persian) == persian


def test_printable_line_keeps_a_file_name_on_one_line() -> None:
    assert printable_line("deck\nname\t.toml") == "deck␊name␉.toml"
