"""Bad decks, tried hard: whatever bytes a deck file holds, loading it ends in a clean deck or
in ``DeckError`` problems located as ``path:line: message`` within the file, never a traceback
and never a hang."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from deadline import within
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import quiz.decks
from quiz.decks import MAX_PROBLEMS, LoadedDeck, load_deck, parse_deck
from quiz.errors import DeckError
from quiz.model import MAX_TEXT, cloze_deletions
from quiz.paths import bundled_decks_dir

DATA = Path(__file__).parent.parent / "data"
REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted([*bundled_decks_dir().glob("*.toml"), *(DATA / "bad").glob("*.toml")])
SEED_BYTES = {p.name: p.read_bytes() for p in SEEDS}
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def line_count(data: bytes) -> int:
    """Lines as an editor (and TOML) counts them: newlines plus the last, unterminated one."""
    return data.count(b"\n") + 1


def assert_located(error: DeckError, path: Path, data: bytes) -> None:
    assert error.problems, "a DeckError must say what is wrong"
    for problem in error.problems:
        text = str(problem)
        assert text.startswith(f"{path}:{problem.line}: "), text
        assert 1 <= problem.line <= line_count(data), (problem.line, line_count(data), text)
        message = text.removeprefix(f"{path}:{problem.line}: ")
        assert message.strip(), text
        # Deck content is quoted with repr(): nothing in a message acts on a terminal.
        assert message.isprintable(), text
    assert len(error.problems) <= MAX_PROBLEMS + 1


def load_bytes(tmp_path: Path, data: bytes, name: str = "deck.toml") -> LoadedDeck | DeckError:
    """Load ``data`` as a deck file; a DeckError is checked and returned, anything else raised."""
    path = tmp_path / name
    path.write_bytes(data)
    try:
        with within(20):
            return load_deck(path)
    except DeckError as error:
        assert_located(error, path, data)
        return error


# --- random and mutated bytes ----------------------------------------------------------------

NASTY_LINES = [
    b"[[cards]]",
    b"[deck]",
    b"[deck.study]",
    b"[[cards.source]]",
    b'front = "x"',
    b"back = 3",
    b"kind = []",
    b"cards = 1",
    b'cloze = "{{c1::{{c1::}}"',
    b"true = 2022-02-27",
    b"a.b.c = {d = [1, {e = 2}]}",
    b"= = =",
    b'"""',
    b"'''",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3(",
    b"\x00",
    b"\r",
    b"\x1b[31m",
    "\u2028".encode(),
    "# \u202e comment".encode(),
    b"x" * (MAX_TEXT + 1),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real deck (the bundled one or a known-bad one) with bytes and lines changed."""
    data = SEED_BYTES[draw(st.sampled_from(sorted(SEED_BYTES)))]
    if len(data) > 50_000:  # the 11,000-line bad deck: keep each example quick
        data = data[: draw(st.integers(0, 50_000))]
    for _ in range(draw(st.integers(1, 6))):
        lines = data.split(b"\n")
        op = draw(st.sampled_from(["flip", "insert", "delete", "line-", "line+", "swap", "crlf"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        row = draw(st.integers(0, len(lines) - 1))
        if op == "flip" and data:
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif op == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        elif op == "line-":
            data = b"\n".join(lines[:row] + lines[row + 1 :])
        elif op == "line+":
            data = b"\n".join([*lines[:row], draw(st.sampled_from(NASTY_LINES)), *lines[row:]])
        elif op == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[row], lines[other] = lines[other], lines[row]
            data = b"\n".join(lines)
        elif op == "crlf":
            data = data.replace(b"\n", b"\r\n")
    return data


@FUZZ
@given(data=st.binary(max_size=4000))
@example(data=b"")
@example(data=b"\xef\xbb\xbf")
@example(data=b"\n\n\n")
@example(data=b"\xff" * 10)
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    load_bytes(tmp_path, data)


@FUZZ
@given(data=mutated())
def test_mutated_decks(tmp_path: Path, data: bytes) -> None:
    load_bytes(tmp_path, data)


@FUZZ
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=2000))
def test_random_text(tmp_path: Path, text: str) -> None:
    load_bytes(tmp_path, text.encode("utf-8", "surrogatepass"))


# --- well-formed TOML of the wrong shape -----------------------------------------------------

DECK_KEYS = ["id", "title", "description", "tags", "language", "source", "study", "bogus"]
CARD_KEYS = [
    *["id", "kind", "front", "back", "reverse", "cloze", "prompt", "answer", "accept"],
    *["question", "distractors", "statement", "true", "items", "tags", "explanation", "source"],
    *["paragraph", "excerpt", "bak", "é", "a b", ""],
]
scalars = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["basic", "cloze", "{{x}}", "{{c1::a::b}}", "a", "x" * (MAX_TEXT + 1)]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(),
    st.times(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(CARD_KEYS + DECK_KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)


def tables(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), values, max_size=8)


documents = st.fixed_dictionaries(
    {},
    optional={
        "deck": tables(DECK_KEYS) | values,
        "cards": st.lists(tables(CARD_KEYS) | values, max_size=6) | values,
        "extra": values,
    },
)


@FUZZ
@given(document=documents, crlf=st.booleans(), bom=st.booleans())
def test_wrong_types_and_shapes(
    tmp_path: Path, document: dict[str, Any], crlf: bool, bom: bool
) -> None:
    text = tomli_w.dumps(document)
    if crlf:
        text = text.replace("\n", "\r\n")
    load_bytes(tmp_path, (b"\xef\xbb\xbf" if bom else b"") + text.encode())


# --- one of every kind, with any line ends and a byte-order mark ------------------------------

MIXED = """\
[deck]
title = "Mixed"

[[cards]]
front = "Q"
back = "A"
reverse = true

[[cards]]
cloze = "{{one}} and {{c2::two::hint}}"

[[cards]]
prompt = "Type it"
answer = "it"

[[cards]]
question = "Pick"
answer = ["a", "b"]
distractors = ["c"]

[[cards]]
statement = "True?"
true = false

[[cards]]
prompt = "Order"
items = ["1", "2", "3"]

[[cards]]
kind = "typed"
prompt = "Last"
answer = "\u202e\u2028end"
"""


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_mixed_kinds_load_alike_with_any_line_ends(
    tmp_path: Path, bom: bytes, newline: bytes
) -> None:
    data = bom + MIXED.encode().replace(b"\n", newline)
    deck = load_bytes(tmp_path, data)
    assert isinstance(deck, LoadedDeck)
    assert [c.kind for c in deck.cards] == [
        *["basic", "cloze", "typed", "choice", "truefalse", "order", "typed"]
    ]
    assert deck.lines == [4, 9, 12, 16, 21, 25, 29]
    assert len(deck.items) == 9


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_errors_after_crlf_and_line_separators_point_at_the_right_line(
    tmp_path: Path, newline: bytes
) -> None:
    # U+2028 and U+0085 are allowed in TOML strings and comments but are not TOML line ends.
    text = '# a \u2028 comment \x85\n[deck]\ntitle = "a\u2028b"\n[[cards]]\nfront = "q"\nback = 1\n'
    error = load_bytes(tmp_path, text.encode().replace(b"\n", newline))
    assert isinstance(error, DeckError)
    assert [p.line for p in error.problems] == [6]


# --- deep nesting, huge strings, size limits -------------------------------------------------

DEPTH = 10_000


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * DEPTH + "]" * DEPTH,
        "a = " + "{b = " * DEPTH + "1" + "}" * DEPTH,
        "a" + ".a" * DEPTH + " = 1",
        "[" + ".".join(["a"] * DEPTH) + "]",
        "[[cards]]\nfront = " + "[" * DEPTH + '"x"' + "]" * DEPTH,
        "[[cards]]\nfront = " + "[" * 500 + '"x"' + "]" * 500 + '\nback = "b"',
    ],
    ids=["arrays", "inline-tables", "dotted-key", "table-header", "card-field", "500-deep"],
)
def test_deep_nesting_is_a_message(tmp_path: Path, text: str) -> None:
    error = load_bytes(tmp_path, text.encode())
    assert isinstance(error, DeckError)


def test_deep_nesting_in_the_cli_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * DEPTH + "]" * DEPTH)
    result = subprocess.run(
        [sys.executable, "-m", "quiz", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"{path}:1: TOML nesting is too deep" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("field", ["front", "back", "explanation"])
def test_field_over_the_limit_is_refused_at_its_line(tmp_path: Path, field: str) -> None:
    fields = {"front": "q", "back": "a", field: "é" * (MAX_TEXT + 1)}
    body = "".join(f'{k} = "{v}"\n' for k, v in fields.items())
    error = load_bytes(tmp_path, f'[deck]\ntitle = "t"\n\n[[cards]]\n{body}'.encode())
    assert isinstance(error, DeckError)
    line = 5 + list(fields).index(field)
    assert [str(p) for p in error.problems] == [
        f"{tmp_path / 'deck.toml'}:{line}: card 1: {field}: String should have at most"
        f" {MAX_TEXT} characters"
    ]


def test_field_at_the_limit_loads(tmp_path: Path) -> None:
    deck = load_bytes(tmp_path, f'[[cards]]\nfront = "q"\nback = "{"b" * MAX_TEXT}"'.encode())
    assert isinstance(deck, LoadedDeck)


def test_huge_strings_and_keys_are_refused_quickly_with_short_messages(tmp_path: Path) -> None:
    huge = "x" * 5_000_000
    data = f'[deck]\ntitle = "{huge}"\n{huge} = 1\n[[cards]]\nfront = "{huge}"\n'.encode()
    error = load_bytes(tmp_path, data)
    assert isinstance(error, DeckError)
    assert max(len(str(p)) for p in error.problems) < 500
    assert [p.line for p in error.problems] == [2, 3, 4, 5]


def test_deck_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as file:  # sparse: costs no disk and no time
        file.truncate(50 * 1024 * 1024 + 1)
    with within(2), pytest.raises(DeckError) as info:
        load_deck(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:1: deck is larger than the limit of 50 MB"
    ]


def test_size_limit_is_checked_on_what_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quiz.decks, "MAX_DECK_BYTES", 1000)
    ok = load_bytes(tmp_path, b'[[cards]]\nfront = "q"\nback = "a"\n', "small.toml")
    assert isinstance(ok, LoadedDeck)
    error = load_bytes(tmp_path, b"# " + b"x" * 1000, "big.toml")
    assert isinstance(error, DeckError)
    assert "larger than the limit" in str(error)
    # A file without a size (a device, a pipe) is refused before any read: a pipe would block.
    with within(5), pytest.raises(DeckError, match="not a regular file"):
        load_deck(Path("/dev/zero"))
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with within(5), pytest.raises(DeckError, match="not a regular file"):
        load_deck(fifo)


# --- regressions found by the tests above ----------------------------------------------------


def test_many_errors_are_capped_and_located_in_linear_time(tmp_path: Path) -> None:
    # Locating used to scan the file once per error: 8,000 unknown keys took seconds.
    count = 200_000
    data = "".join(f"k{n} = 1\n" for n in range(count)).encode()
    with within(15):
        error = load_bytes(tmp_path, data)
    assert isinstance(error, DeckError)
    assert len(error.problems) == MAX_PROBLEMS + 1
    assert [p.line for p in error.problems[:3]] == [1, 2, 3]
    assert str(error.problems[-1]).endswith(
        f":{MAX_PROBLEMS + 1}: ... and {count - MAX_PROBLEMS} more problem(s) not shown"
    )


def test_pathological_cloze_is_quick(tmp_path: Path) -> None:
    # A lazy regular expression took about two minutes on this 9,600-character field.
    text = "{{c1::" * 1600
    with within(2):
        assert cloze_deletions(text) == []
        error = load_bytes(tmp_path, f'[[cards]]\ncloze = "{text}"\n'.encode())
    # Valid, but with no closed deletion: a warning, found as fast.
    assert isinstance(error, LoadedDeck)
    assert [p.message for p in error.warnings] == [
        "card 1: cloze has no deletion: mark the answer as {{answer}}"
    ]


REFERENCE_CLOZE = re.compile(r"\{\{(?:c(\d+)::)?(.*?)(?:::(.*?))?\}\}", re.DOTALL)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["{", "}", ":", "c", "1", "٣", "a", "\n"]), max_size=24))
def test_cloze_scanner_agrees_with_the_reference_pattern(text: str) -> None:
    """The linear scanner finds exactly what the (slow) original regular expression found."""
    expected = [
        (f"c{m.group(1)}" if m.group(1) else f"c{n}", m.group(2), m.group(3), m.start(), m.end())
        for n, m in enumerate(REFERENCE_CLOZE.finditer(text), start=1)
    ]
    found = [(d.group, d.answer, d.hint, d.start, d.end) for d in cloze_deletions(text)]
    assert found == expected


def test_deck_content_never_reaches_a_message_raw(tmp_path: Path) -> None:
    data = (
        b'[deck]\ntitle = "t"\n"\\u001b]52;c;aGk=\\u0007" = 1\n'
        b'[[cards]]\nid = "\\u202ea"\nfront = "q"\nback = "a"\n'
        b'[[cards]]\nid = "\\u202ea"\nfront = "q2"\nback = "a"\n'
    )
    error = load_bytes(tmp_path, data)  # assert_located checks every message is printable
    assert isinstance(error, DeckError)
    assert len(error.problems) >= 2


def test_parse_deck_accepts_any_str(tmp_path: Path) -> None:
    """parse_deck is the entry point for text from imports and drafts: same guarantees."""
    for text in ["\x00", "\ud800", "[[cards]]\n" * 3, "\ufeff[deck]"]:
        with pytest.raises(DeckError) as info:
            parse_deck(text, tmp_path / "x.toml")
        assert_located(info.value, tmp_path / "x.toml", text.encode("utf-8", "surrogatepass"))
