"""The parse cache: an unchanged deck is not parsed again, and any change or damage is caught."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quiz import decks
from quiz.decks import check_paths, deck_cache, load_deck, load_library
from quiz.paths import data_dir

DECK = """[deck]
title = "Cached"
tags = ["t"]

[[cards]]
front = "Capital of France?"
back = "Paris"
reverse = true

[[cards]]
cloze = "{{Water}} boils at {{100}} degrees"

[[cards]]
question = "Which is prime?"
answer = "7"
distractors = ["4", "7"]
"""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths each call of the TOML parser was for."""
    seen: list[Path] = []
    real = decks._parse_toml

    def spy(text: str, path: Path) -> dict[str, object]:
        seen.append(path)
        return real(text, path)

    monkeypatch.setattr(decks, "_parse_toml", spy)
    return seen


def write(path: Path, text: str, mtime_ns: int | None = None) -> Path:
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def cache_files() -> list[Path]:
    return sorted((data_dir() / "cache" / "decks").iterdir())


def test_unchanged_deck_is_read_back_equal_without_parsing(
    tmp_path: Path, parses: list[Path]
) -> None:
    path = write(tmp_path / "d.toml", DECK)
    fresh = load_deck(path, lint=True)
    cached = load_deck(path)
    assert parses == [path]
    assert "cards" not in cached.__dict__, "cards are built on first use only"
    assert [f[0] for f in cached.faces] == [i.key for i in fresh.items]
    assert (cached.id, cached.title, cached.meta, cached.lines) == (
        fresh.id,
        fresh.title,
        fresh.meta,
        fresh.lines,
    )
    assert cached.warnings == fresh.warnings != []
    assert cached.cards == fresh.cards
    assert [(i.key, i.card, i.line, i.tags) for i in cached.items] == [
        (i.key, i.card, i.line, i.tags) for i in fresh.items
    ]
    assert parses == [path]


def test_same_size_edit_with_mtime_restored_is_caught_by_the_hash(
    tmp_path: Path, parses: list[Path]
) -> None:
    path = write(tmp_path / "d.toml", DECK)
    mtime = path.stat().st_mtime_ns
    assert load_deck(path).cards[0].back == "Paris"  # type: ignore[union-attr]
    write(path, DECK.replace("Paris", "Lyon!"), mtime_ns=mtime)
    assert path.stat().st_size == len(DECK.encode()) and path.stat().st_mtime_ns == mtime
    assert load_deck(path).cards[0].back == "Lyon!"  # type: ignore[union-attr]
    assert len(parses) == 2


def test_touched_deck_is_rehashed_and_reused(tmp_path: Path, parses: list[Path]) -> None:
    path = write(tmp_path / "d.toml", DECK)
    load_deck(path)
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert load_deck(path).card_count == 3
    assert parses == [path]


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"",
        lambda b: b[: len(b) // 2],
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),
        lambda b: b[:8] + b"\0" * 32 + b[40:],
        lambda b: b"not a cache file at all",
    ],
    ids=["empty", "truncated", "flipped-bit", "bad-hash", "garbage"],
)
def test_damaged_cache_is_ignored_and_rebuilt(
    tmp_path: Path, parses: list[Path], damage: object
) -> None:
    path = write(tmp_path / "d.toml", DECK)
    load_deck(path)
    (entry,) = cache_files()
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert load_deck(path).cards[1].kind == "cloze"
    assert load_deck(path).card_count == 3
    assert parses == [path, path], "parsed again once, then cached again"


def test_cache_of_other_code_is_not_used(
    tmp_path: Path, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "d.toml", DECK)
    load_deck(path)
    monkeypatch.setattr(decks, "_code_version", lambda: b"another version")
    load_deck(path)
    assert parses == [path, path]


def test_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("a file where the data dir should be")
    monkeypatch.setenv("QUIZ_HOME", str(blocker))
    path = write(tmp_path / "d.toml", DECK)
    assert load_deck(path).card_count == 3
    assert load_deck(path).card_count == 3


def test_entries_are_written_whole(tmp_path: Path) -> None:
    paths = [write(tmp_path / f"{n}.toml", DECK) for n in range(3)]
    load_library([tmp_path])
    files = cache_files()
    assert len(files) == len(paths)
    assert not [f for f in files if f.name.startswith(".")], "no temporary file left behind"


def test_check_uses_the_cache_and_keeps_warnings(tmp_path: Path, parses: list[Path]) -> None:
    path = write(tmp_path / "d.toml", DECK)
    load_deck(path)  # as the app loads: no lint, so the entry has no warnings yet
    first = check_paths([path])
    second = check_paths([path])
    assert first.problems == second.problems
    assert any("answer repeated among the distractors" in str(p) for p in second.problems)
    assert (second.deck_count, second.card_count) == (1, 3)
    assert parses == [path, path], "check parsed once to lint, then read its warnings back"


def test_cache_lives_in_the_given_data_dir(tmp_path: Path) -> None:
    path = write(tmp_path / "d.toml", DECK)
    load_deck(path, data_dir=tmp_path / "elsewhere")
    assert deck_cache(tmp_path / "elsewhere").folder.is_dir()
    assert not (data_dir() / "cache").exists()
    load_deck(path, cached=False)
    assert not (data_dir() / "cache").exists()


def test_cache_is_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    load_deck(write(tmp_path / "d.toml", DECK), data_dir=home)
    folder = deck_cache(home).folder
    for directory in (home, home / "cache", folder):
        assert directory.stat().st_mode & 0o777 == 0o700, directory
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in folder.iterdir())


def test_commands_keep_the_cache_in_their_data_dir(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = write(tmp_path / "d.toml", DECK)
    home = tmp_path / "given"
    done = subprocess.run(
        [sys.executable, "-m", "quiz", "decks", "--data-dir", str(home), str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [f.suffix for f in deck_cache(home).folder.iterdir()] == [".bin"] * 2  # + bundled
    assert not (data_dir() / "cache").exists()


def _rewritten(blob: bytes, change: object) -> bytes:
    """The entry with its fields changed and its checksum made right again (a foreign file
    that passes every check of the bytes)."""
    import marshal

    from quiz.cache import _HASH, _MAGIC, _hash

    head = len(_MAGIC) + _HASH
    code, path, size, mtime, digest, fields = marshal.loads(blob[head:])
    payload = marshal.dumps((code, path, size, mtime, digest, change(list(fields))))  # type: ignore[operator]
    return _MAGIC + _hash(payload) + payload


@pytest.mark.parametrize(
    "change",
    [
        lambda f: [123, *f[1:]],  # deck id not a string
        lambda f: [f[0], "{not json", *f[2:]],  # meta not JSON
        lambda f: [f[0], f[1], ["x"], *f[3:]],  # lines not numbers
        lambda f: [*f[:4], [("a", "b")], f[5]],  # faces of the wrong shape
        lambda f: [*f[:5], b"\x00garbage"],  # card tables not marshal data
        lambda f: [*f[:5], __import__("marshal").dumps([{"nonsense": 1}] * 3)],
        lambda f: f[:3],  # too few fields
    ],
    ids=["id", "meta", "lines", "faces", "cards-bytes", "cards-invalid", "short"],
)
def test_entry_with_a_good_checksum_but_bad_content_is_ignored(
    tmp_path: Path, change: object
) -> None:
    path = write(tmp_path / "d.toml", DECK)
    load_deck(path)
    (entry,) = cache_files()
    entry.write_bytes(_rewritten(entry.read_bytes(), change))
    deck = load_deck(path)
    assert deck.id == "d" and deck.title == "Cached"
    assert [card.kind for card in deck.cards] == ["basic", "cloze", "choice"]
    assert len(deck.items) == 5
