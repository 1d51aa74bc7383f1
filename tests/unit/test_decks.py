"""Deck loading: every error a user can make is located as path:line, and clean decks load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.decks import (
    check_paths,
    deck_to_toml,
    load_deck,
    load_library,
    parse_deck,
    save_deck,
    schema_text,
    starter_deck,
)
from quiz.errors import DeckError
from quiz.model import DeckFile, expand
from quiz.paths import bundled_decks_dir

DATA = Path(__file__).parent.parent / "data"
BAD = DATA / "bad"
REPO = Path(__file__).resolve().parents[2]


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DeckError) as info:
        load_deck(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("unterminated_string.toml", 2, "TOML syntax"),
        ("duplicate_key.toml", 7, "TOML syntax: Cannot overwrite a value"),
        ("wrong_types.toml", 11, "card 2: accept: Input should be a valid list"),
        ("wrong_types.toml", 15, "card 3: true: Input should be a valid boolean"),
        ("unknown_field.toml", 10, "unknown field 'bak' (did you mean 'back'?)"),
        ("missing_back.toml", 8, "card 2 (id 'no-back'): missing required field 'back'"),
        ("duplicate_ids.toml", 10, "duplicate card id; card 1 (line 4) already uses it"),
        ("invalid_utf8.toml", 2, "not UTF-8"),
        ("empty.toml", 1, "empty deck file"),
        ("not_toml.toml", 1, "TOML syntax"),
        ("big_deck_broken_far_down.toml", 11510, "card 2877: back: Input should be a valid string"),
    ],
)
def test_bad_deck_is_located(name: str, line: int, fragment: str) -> None:
    path = BAD / name
    found = problems_of(path)
    assert any(p.startswith(f"{path}:{line}: ") and fragment in p for p in found), found


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.glob("*.toml")))
def test_cli_check_reports_bad_deck_without_traceback(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quiz", "check", str(BAD / name)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{BAD / name}:" in result.stdout
    assert "1 error(s)" in result.stdout or "2 error(s)" in result.stdout


def write(tmp_path: Path, text: str, name: str = "deck.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_kinds_are_inferred_from_keys(tmp_path: Path) -> None:
    deck = load_deck(
        write(
            tmp_path,
            """
[deck]
title = "All kinds"
[[cards]]
front = "f"
back = "b"
reverse = true
[[cards]]
cloze = "{{A}} and {{B::letter}}"
[[cards]]
prompt = "p"
answer = "a"
[[cards]]
question = "q"
answer = ["x", "y"]
distractors = ["z"]
[[cards]]
statement = "s"
true = false
[[cards]]
prompt = "order"
items = ["1", "2"]
""",
        )
    )
    assert [c.kind for c in deck.cards] == [
        "basic",
        "cloze",
        "typed",
        "choice",
        "truefalse",
        "order",
    ]
    assert deck.lines == [4, 8, 10, 13, 17, 20]
    assert [i.facet for i in deck.items][:4] == ["", "reverse", "c1", "c2"]
    assert deck.items[3].prompt == "A and [letter]"
    assert deck.id == "deck"


def test_unknown_kind_is_explained(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, "[[cards]]\nfrnt = 'x'\n"))
    assert found[0].startswith(f"{tmp_path / 'deck.toml'}:1: card 1: cannot tell the card's kind")


def test_deck_settings_errors_point_into_deck_table(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, '[deck]\ntitle = "x"\n\n[deck.study]\nnew_per_day = -1\n'))
    message = "deck.study.new_per_day: Input should be greater than or equal to 0"
    assert found == [f"{tmp_path / 'deck.toml'}:5: {message}"]


@pytest.mark.parametrize(
    ("card", "warning"),
    [
        (
            'front = "Capital of France?"\nback = "Paris"\n[[cards]]\nfront = "capital of france"\n'
            'back = "x"',
            "same prompt as card 1",
        ),
        ('cloze = "no gaps here"', "cloze has no deletion"),
        ('question = "q"\nanswer = "A"\ndistractors = ["a", "B"]', "answer repeated among"),
        ('front = "Is Paris in France?"\nback = "Paris"', "appears word for word"),
    ],
)
def test_warnings(tmp_path: Path, card: str, warning: str) -> None:
    path = write(tmp_path, f"[[cards]]\n{card}\n")
    report = check_paths([path])
    assert report.error_count == 0
    assert any(warning in str(p) and p.warning for p in report.problems), report.problems


def test_strict_check_fails_on_warnings(tmp_path: Path) -> None:
    path = write(tmp_path, '[[cards]]\ncloze = "no gaps"\n')
    run = [sys.executable, "-m", "quiz", "check", str(path)]
    assert subprocess.run(run, capture_output=True, cwd=REPO).returncode == 0
    assert subprocess.run([*run, "--strict"], capture_output=True, cwd=REPO).returncode == 1


def test_library_keeps_failures_and_rejects_duplicate_deck_ids(tmp_path: Path) -> None:
    write(tmp_path, '[deck]\nid = "same"\n[[cards]]\nfront="a"\nback="b"\n', "a.toml")
    write(tmp_path, '[deck]\nid = "same"\n[[cards]]\nfront="c"\nback="d"\n', "b.toml")
    write(tmp_path, "[[cards]]\nfront = 1\n", "c.toml")
    library = load_library([tmp_path, tmp_path / "missing"])
    assert [d.id for d in library.decks] == ["same"]
    messages = [str(p) for p in library.failures]
    assert any("b.toml:1: deck id 'same' is already used" in m for m in messages)
    assert any("c.toml:2:" in m for m in messages)
    assert any(m.endswith("missing: no such file or folder") for m in messages)


def test_blank_field_is_refused(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, '[[cards]]\nfront = "  "\nback = "b"\n'))
    assert found[0].endswith(":2: card 1: front must not be blank")


def test_oversized_field_is_refused(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, f'[[cards]]\nfront = "{"x" * 10_001}"\nback = "b"\n'))
    assert ":2: card 1: front: String should have at most 10000 characters" in found[0]


def test_bom_and_crlf_load(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_bytes(
        b'\xef\xbb\xbf[deck]\r\ntitle = "x"\r\n[[cards]]\r\nfront = "a"\r\nback = "b"\r\n'
    )
    assert load_deck(path).cards[0].kind == "basic"


def test_bundled_deck_is_clean() -> None:
    report = check_paths([bundled_decks_dir()])
    assert report.problems == []
    assert report.deck_count >= 1
    assert report.card_count >= 60


def test_article_deck_covers_every_kind_with_sources() -> None:
    deck = load_deck(bundled_decks_dir() / "israel-mediation-2022.toml")
    assert {c.kind for c in deck.cards} == {
        "basic",
        "cloze",
        "typed",
        "choice",
        "truefalse",
        "order",
    }
    assert all(c.source is not None and c.source.paragraph for c in deck.cards)
    assert all(c.id for c in deck.cards)
    navigation = ("snake island", "day 4", "sabotage", "miscalculate")
    text = deck_to_toml(DeckFile(deck=deck.meta, cards=deck.cards)).casefold()
    assert not any(word in text for word in navigation)


def test_shipped_decks_reference_the_schema() -> None:
    for path in bundled_decks_dir().glob("*.toml"):
        assert path.read_text(encoding="utf-8").startswith("#:schema ./deck.schema.json\n")


def test_schema_file_is_in_sync() -> None:
    shipped = (bundled_decks_dir() / "deck.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(), "run: quiz schema > decks/deck.schema.json"
    assert json.loads(shipped)["title"] == "quiz deck"


def test_starter_deck_round_trips_and_is_clean(tmp_path: Path) -> None:
    written = save_deck(starter_deck("Starter"), tmp_path / "s.toml")
    assert written == [tmp_path / "s.toml", tmp_path / "deck.schema.json"]
    report = check_paths([tmp_path / "s.toml"])
    assert report.problems == [] and report.card_count == 7
    loaded = load_deck(tmp_path / "s.toml")
    assert loaded.cards == starter_deck("Starter").cards


text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="{}"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() != "")

card = st.one_of(
    st.builds(lambda f, b, r: {"front": f, "back": b, "reverse": r}, text, text, st.booleans()),
    st.builds(
        lambda a, b: {"cloze": f"{a} {{{{{b}}}}}"}, text, text.filter(lambda s: ":" not in s)
    ),
    st.builds(
        lambda p, a, acc: {"prompt": p, "answer": a, "accept": acc},
        text,
        text,
        st.lists(text, max_size=3),
    ),
    st.builds(
        lambda q, a, d: {"question": q, "answer": a, "distractors": d},
        text,
        st.one_of(text, st.lists(text, min_size=1, max_size=3)),
        st.lists(text, min_size=1, max_size=3),
    ),
    st.builds(lambda s, t: {"statement": s, "true": t}, text, st.booleans()),
    st.builds(
        lambda p, i: {"prompt": p, "items": i},
        text,
        st.lists(text, min_size=2, max_size=5, unique=True),
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=text,
    cards=st.lists(card, max_size=6),
    tags=st.lists(st.from_regex(r"\A[a-z]{1,8}\Z"), max_size=3),
)
def test_saved_decks_load_back_equal(
    title: str, cards: list[dict[str, object]], tags: list[str]
) -> None:
    deck = DeckFile.model_validate({"deck": {"title": title, "tags": tags}, "cards": cards})
    loaded = parse_deck(deck_to_toml(deck), Path("mem.toml"))
    assert loaded.meta == deck.deck
    assert loaded.cards == deck.cards
    assert [i.key for i in loaded.items] == [i.key for i in expand(loaded.id, deck.cards)]


@pytest.mark.parametrize("odd", ["\x85", "\u2028", "\u2029", "\x1c"])
def test_short_arrays_keep_strings_that_python_counts_as_line_breaks(odd: str) -> None:
    cards = [{"question": "Q", "answer": "A", "distractors": [f"B{odd}", "C"]}]
    deck = DeckFile.model_validate({"deck": {"title": "T"}, "cards": cards})
    text = deck_to_toml(deck)
    assert parse_deck(text, Path("mem.toml")).cards == deck.cards
    assert "distractors = [" in text


def test_readme_example_deck_is_valid(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    deck_part = readme.split("## Writing a deck", 1)[1]
    block = deck_part.split("```toml\n", 1)[1].split("```", 1)[0]
    report = check_paths([write(tmp_path, block)])
    assert report.problems == []
    assert report.card_count == 7
    kinds = {c.kind for c in load_deck(tmp_path / "deck.toml").cards}
    assert kinds == {"basic", "cloze", "typed", "choice", "truefalse", "order"}


def test_a_written_deck_keeps_its_id_and_its_progress_when_the_file_is_renamed(
    tmp_path: Path,
) -> None:
    """``quiz new``, ``generate`` and ``import`` all save through ``save_deck``: the deck gets
    the id its file name gives it, written down, so renaming the file changes nothing."""
    from datetime import UTC, datetime

    from quiz.config import Config
    from quiz.session import StudySession
    from quiz.storage import Store

    first = tmp_path / "Capitals of Europe.toml"
    save_deck(starter_deck("Capitals"), first)
    assert 'id = "Capitals-of-Europe"' in first.read_text()
    now = datetime(2024, 5, 1, 9, tzinfo=UTC)
    with Store.open(tmp_path / "data", now=now) as store:
        session = StudySession(store, [load_deck(first)], lambda: now, Config())
        assert session.next_card() is not None
        session.rate(3)
        moved = tmp_path / "moved.toml"
        first.rename(moved)
        deck = load_deck(moved)
        assert deck.id == "Capitals-of-Europe"
        assert len(store.states_for_deck(deck.id)) == 1  # the progress is the renamed deck's
    odd = tmp_path / "ünïcode.toml"  # a name that is no valid id: none is written
    save_deck(starter_deck("Odd"), odd)
    assert "[deck]\nid = " not in odd.read_text()
    assert load_deck(odd).cards


def test_a_learners_copy_of_a_bundled_deck_shadows_it_and_other_clashes_are_reported(
    tmp_path: Path,
) -> None:
    bundled = bundled_decks_dir() / "israel-mediation-2022.toml"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "copy.toml").write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    for order in ([bundled_decks_dir(), mine], [mine, bundled_decks_dir()]):
        library = load_library(order, data_dir=tmp_path)
        [deck] = [d for d in library.decks if d.id == "israel-mediation-2022"]
        assert deck.path == mine / "copy.toml" and not library.failures
    (mine / "twin.toml").write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    library = load_library([mine], data_dir=tmp_path)
    assert [p.message for p in library.failures] == [
        f"deck id 'israel-mediation-2022' is already used by {mine / 'copy.toml'}"
    ]
