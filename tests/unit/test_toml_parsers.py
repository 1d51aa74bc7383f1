"""Decks are read by rtoml when installed, else tomli: both must read every text the same way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tomli
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.decks import _parse_toml
from quiz.errors import DeckError

PATH = Path("deck.toml")

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
scalar = st.one_of(
    text,
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False),
    st.dates(),
)
key = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8)
document = st.dictionaries(
    key,
    st.recursive(
        scalar,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(key, inner, max_size=3),
        max_leaves=8,
    ),
    max_size=5,
)


def agree(source: str) -> None:
    """``_parse_toml`` returns what tomli returns, and refuses what tomli refuses."""
    try:
        expected: dict[str, Any] | None = tomli.loads(source)
    except tomli.TOMLDecodeError:
        expected = None
    except RecursionError:
        return
    if expected is None:
        with pytest.raises(DeckError):
            _parse_toml(source, PATH)
    else:
        assert plain(_parse_toml(source, PATH)) == plain(expected)


def plain(document: dict[str, Any]) -> str:
    """A document as comparable text: NaN equals NaN, a UTC offset is one whatever its class."""
    return json.dumps(document, default=str, sort_keys=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document, st.booleans())
def test_valid_documents_read_the_same(doc: dict[str, Any], multiline: bool) -> None:
    agree(tomli_w.dumps(doc, multiline_strings=multiline))


pieces = st.sampled_from(
    [
        "[deck]\n",
        "[[cards]]\n",
        "a = ",
        "b.c = ",
        '"x"',
        "'y'",
        '"""',
        "'''",
        "1",
        "1_0",
        "0x1f",
        "+inf",
        "nan",
        "1979-05-27",
        "07:32:00",
        "1979-05-27T07:32:00Z",
        "true",
        "[",
        "]",
        "{",
        "}",
        ",",
        "=",
        ".",
        "\n",
        "\r\n",
        "\r",
        "\t",
        " ",
        "#",
        "\\",
        "\\u00e9",
        "\\e",
        "\ufeff",
        "\x00",
        "\x7f",
        "é",
        "\u2028",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, max_size=24).map("".join))
def test_any_text_is_read_or_refused_the_same(source: str) -> None:
    agree(source)


@pytest.mark.parametrize(
    "source",
    [
        'a = """x\r\ny"""\n',
        "a = '''x\r\ny'''\n",
        "a = 1\r\r\n",
        "\ufeffa = 1\n",
        "a = 1\n\ufeff",
        'a = "\\e"\n',
    ],
)
def test_known_differences_are_read_as_tomli_reads_them(source: str) -> None:
    agree(source)
