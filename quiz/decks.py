"""Find, load, check and save TOML decks, with every problem located as ``path:line``.

TOML parsers and pydantic know *what* is wrong but not *where* a card starts in the file, so
this module keeps a light index of the file's lines (card headers and keys) to point each
problem at the line an author has to fix.

The deck model (pydantic) is imported when a deck is first parsed or built, not with this
module: the app draws its first frame before it needs any card.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import marshal
import os
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import TYPE_CHECKING, Any

from quiz import cache as cache_module
from quiz.cache import DeckCache, Entry, Face, Stamp
from quiz.errors import DeckError, Problem
from quiz.locate import LineIndex, card_label, describe

if TYPE_CHECKING:
    from quiz.model import Card, DeckFile, DeckMeta, Item, StudySettings

__all__ = [
    "MAX_DECK_BYTES",
    "MAX_PROBLEMS",
    "SCHEMA_NAME",
    "CheckReport",
    "FileStamp",
    "Library",
    "LoadedDeck",
    "card_to_toml",
    "check_paths",
    "deck_to_toml",
    "default_deck_paths",
    "file_stamps",
    "find_deck_files",
    "is_bundled",
    "library_paths",
    "lint_deck",
    "load_deck",
    "load_library",
    "looks_like_path",
    "outside_library",
    "own_copy",
    "parse_deck",
    "save_deck",
    "schema_text",
    "starter_deck",
    "write_starter_deck",
]

MAX_DECK_BYTES = 50 * 1024 * 1024
"""A deck larger than this is refused before parsing: no real deck is, and parsing would hang."""

MAX_PROBLEMS = 100
"""Problems reported per deck: a deck with more is broken throughout; listing them all is noise."""

SCHEMA_NAME = "deck.schema.json"
SCHEMA_HEADER = f"#:schema ./{SCHEMA_NAME}\n"


class LoadedDeck:
    """A deck file that loaded cleanly, with its cards expanded into reviewable items.

    Cards and items are built on first use: a deck read back from the parse cache holds its
    item keys (``faces``) and the raw card tables, so listing decks and counting what is due
    builds no card objects.
    """

    def __init__(
        self,
        path: Path,
        id: str,
        meta: DeckMeta,
        cards: list[Card] | Callable[[], list[Card]],
        lines: list[int],
        *,
        faces: list[Face] | None = None,
        warnings: list[Problem] | None = None,
    ) -> None:
        self.path = path
        self.id = id
        self.meta = meta
        self.lines = lines
        """The line each card starts on."""
        self._build_cards: Callable[[], list[Card]] | None = None
        if callable(cards):
            self._build_cards = cards
        else:
            self.__dict__["cards"] = cards
        if faces is not None:
            self.__dict__["faces"] = faces
        if warnings is not None:
            self.__dict__["warnings"] = warnings

    def __repr__(self) -> str:
        return f"LoadedDeck({str(self.path)!r}, id={self.id!r}, cards={self.card_count})"

    @cached_property
    def cards(self) -> list[Card]:
        """The validated cards, in file order."""
        assert self._build_cards is not None
        cards = self._build_cards()
        self._build_cards = None  # drops the raw tables it was built from
        return cards

    @property
    def card_count(self) -> int:
        """How many cards the deck has, without building them."""
        return len(self.lines)

    @cached_property
    def warnings(self) -> list[Problem]:
        """Advice on likely mistakes (``lint_deck``): found on first use, or read from the cache."""
        return lint_deck(self)

    @cached_property
    def faces(self) -> list[Face]:
        """Every item's (key, card key, facet, card index), without building the items."""
        from quiz.model import item_faces

        return item_faces(self.cards)

    @property
    def title(self) -> str:
        """The title to show: the deck's own, else its id."""
        return self.meta.title or self.id

    @property
    def study(self) -> StudySettings:
        """The deck's scheduling settings (before the user's config overrides them)."""
        return self.meta.study

    @cached_property
    def items(self) -> list[Item]:
        """Every reviewable face of every card, in deck order."""
        from quiz.model import expand

        return expand(self.id, self.cards, self.lines, tuple(self.meta.tags), self.faces)


@dataclass
class Library:
    """All decks found on the given paths, and the files that failed to load."""

    decks: list[LoadedDeck] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    """The files and folders the library was loaded from."""
    stamps: dict[Path, FileStamp] = field(default_factory=dict)
    """Each deck file found then, as it was just before it was read."""

    def by_id(self, deck_id: str) -> LoadedDeck | None:
        """The deck with this id, if loaded."""
        return next((d for d in self.decks if d.id == deck_id), None)

    def is_stale(self) -> bool:
        """Whether a deck file on the library's paths was added, removed or saved since it
        was loaded (a few ``stat`` calls: cheap enough to ask on every return to a screen)."""
        return file_stamps(find_deck_files(self.paths)[0]) != self.stamps

    def changes_since(self, before: Library) -> list[str]:
        """What loading this library again changed, in words for the learner."""
        old = {d.id: d for d in before.decks}
        new = {d.id: d for d in self.decks}
        failing = {p.path for p in self.failures} - {p.path for p in before.failures}
        changes = [f"'{d.title}' is new" for i, d in new.items() if i not in old]
        changes += [
            f"'{d.title}' was edited"
            for i, d in new.items()
            if i in old and before.stamps.get(old[i].path) != self.stamps.get(d.path)
        ]
        for deck_id, deck in old.items():
            if deck_id in new:
                continue
            why = "no longer loads (see the problems)" if deck.path in failing else "is gone"
            changes.append(f"'{deck.title}' {why}; its progress is kept")
            failing.discard(deck.path)
        changes += [f"{path} does not load (see the problems)" for path in sorted(failing)]
        return changes


FileStamp = tuple[int, int]
"""A file's modification time (ns) and size: it changes when the file is saved."""


def file_stamps(files: Iterable[Path]) -> dict[Path, FileStamp]:
    """The stamp of each file that still exists."""
    stamps: dict[Path, FileStamp] = {}
    for file in files:
        with suppress(OSError):
            stat = file.stat()
            stamps[file] = (stat.st_mtime_ns, stat.st_size)
    return stamps


# --- loading --------------------------------------------------------------------------------


def _read_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    try:
        stat = path.stat()
        if S_ISDIR(stat.st_mode):
            raise IsADirectoryError
        if not S_ISREG(stat.st_mode):  # a pipe would block the read forever, a device never end
            raise DeckError([Problem(path, 0, "is not a regular file (a pipe or a device?)")])
        size = stat.st_size
        data = b""
        if size <= MAX_DECK_BYTES:
            # Read one byte past the limit, not trusting stat: the file may be growing.
            with path.open("rb") as file:
                data = file.read(MAX_DECK_BYTES + 1)
        if max(size, len(data)) > MAX_DECK_BYTES:
            limit = f"{MAX_DECK_BYTES / 2**20:g} MB"
            raise DeckError([Problem(path, 1, f"deck is larger than the limit of {limit}")])
    except IsADirectoryError:
        raise DeckError([Problem(path, 0, "is a folder, not a deck file")]) from None
    except FileNotFoundError:
        raise DeckError([Problem(path, 0, "no such file")]) from None
    except OSError as exc:
        raise DeckError([Problem(path, 0, f"cannot read: {exc.strerror or exc}")]) from None
    return data, stat


def _read_text(path: Path) -> str:
    return _decode(_read_bytes(path)[0], path)


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DeckError(
            [
                Problem(
                    path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8"
                )
            ]
        ) from None


_FREEZE_AFTER = 100_000
"""New objects after which a bulk load hands them to ``gc.freeze`` (a deck of ~20,000 cards)."""


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around a bulk load.

    Parsing and validating a big deck creates hundreds of thousands of objects that stay alive
    and form no cycles. Left running, the collector rescans the growing heap again and again (a
    third of the load time of a 100,000-card deck) and every full collection later rescans the
    cards (0.1-0.2 s each, a visible stall in the app). So it is paused while they are built,
    and when many were, they are frozen (moved out of its sight; they are still freed by
    reference counting when the deck is dropped).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > _FREEZE_AFTER:
            gc.freeze()
        gc.enable()


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    """The TOML document, exactly as ``tomli`` reads it.

    ``rtoml`` (Rust) parses twice as fast, so it goes first when installed; where the two
    differ it is kept from deciding: it keeps the CR of CR LF in multi-line strings (tomli folds
    them, so they are folded first; a lone CR is left to tomli) and takes a stray BOM for
    whitespace (tomli refuses it). A
    document it refuses is parsed again by ``tomli``, which also locates the problem.
    """
    folded = text.replace("\r\n", "\n") if "\r" in text else text
    if "\r" not in folded and "\ufeff" not in folded:
        with suppress(Exception):
            import rtoml

            result: dict[str, Any] = rtoml.loads(folded)
            return result
    try:
        import tomli as toml
    except ImportError:  # pragma: no cover - tomli is a dependency; tomllib is the fallback
        import tomllib as toml  # type: ignore[no-redef]
    try:
        return toml.loads(text)
    except toml.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        message = getattr(exc, "msg", None) or re.sub(r"\s*\(at .*\)$", "", str(exc))
        col = getattr(exc, "colno", None)
        where = f" (column {col})" if col else ""
        raise DeckError([Problem(path, line, f"TOML syntax: {message}{where}")]) from None
    except RecursionError:
        raise DeckError([Problem(path, 1, "TOML nesting is too deep")]) from None


def _line_from_message(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 1


def _duplicate_ids(
    raw_cards: list[Any], ranges: list[tuple[int, int]], index: LineIndex, path: Path
) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for i, raw in enumerate(raw_cards):
        card_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(card_id, str):
            continue
        if card_id in seen:
            first = seen[card_id]
            line = index.key_line("id", *ranges[i]) or ranges[i][0]
            problems.append(
                Problem(
                    path,
                    line,
                    f"{card_label(i, raw)}: duplicate card id; card {first + 1} "
                    f"(line {ranges[first][0]}) already uses it",
                )
            )
        else:
            seen[card_id] = i
    return problems


_VALID_ID = re.compile(r"[A-Za-z0-9][\w.:/-]*")
"""What ``[deck] id`` accepts (``model.Identifier``); a file name may give another id."""


def _deck_id_from(path: Path) -> str:
    slug = re.sub(r"[^\w.-]+", "-", path.stem).strip("-.") or "deck"
    return slug if slug[0].isalnum() else f"d{slug}"


def parse_deck(text: str, path: Path) -> LoadedDeck:
    """Parse and validate deck text; raise ``DeckError`` with every located problem."""
    with _collector_paused():
        return _parse(text, path)[0]


def _parse(text: str, path: Path) -> tuple[LoadedDeck, list[Any]]:
    """``parse_deck``, also returning the raw card tables (what the parse cache keeps)."""
    if not text or text.isspace():
        raise DeckError(
            [Problem(path, 1, "empty deck file: expected a [deck] table and [[cards]]")]
        )
    from pydantic import ValidationError

    from quiz.model import DeckFile

    data = _parse_toml(text, path)
    index = LineIndex(text)
    raw_cards = data.get("cards")
    raw_list: list[Any] = raw_cards if isinstance(raw_cards, list) else []
    ranges = index.card_ranges(len(raw_list))
    problems = _duplicate_ids(raw_list, ranges, index, path)
    try:
        deck_file = DeckFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        located = sorted((index.locate(e["loc"], ranges), n) for n, e in enumerate(errors))
        # Describing is the slow part (did-you-mean hints): only for the problems shown.
        for line, n in located[:MAX_PROBLEMS]:
            problems.append(Problem(path, line, describe(errors[n], raw_list)))
        problems.sort(key=lambda p: p.line)
        if len(located) > MAX_PROBLEMS:
            more = len(located) - MAX_PROBLEMS
            line = located[MAX_PROBLEMS][0]
            problems.append(Problem(path, line, f"... and {more} more problem(s) not shown"))
        raise DeckError(problems) from None
    if problems:
        raise DeckError(problems)
    meta = deck_file.deck
    deck_id = meta.id or _deck_id_from(path)
    lines = [start for start, _ in ranges]
    return LoadedDeck(path, deck_id, meta, list(deck_file.cards), lines), raw_list


def load_deck(
    path: Path, *, data_dir: str | Path | None = None, cached: bool = True, lint: bool = False
) -> LoadedDeck:
    """Load one deck file; raise ``DeckError`` naming the file and line of each problem.

    A deck unchanged since it was last loaded is read back from the parse cache in the data
    dir (``quiz.cache``); ``cached=False`` parses it regardless and leaves the cache alone.
    ``lint`` finds the deck's warnings now so that the cache keeps them too (``quiz check``);
    otherwise they are found when first asked for.
    """
    path = Path(path)
    data, stat = _read_bytes(path)
    if not cached:
        return parse_deck(_decode(data, path), path)
    cache = deck_cache(data_dir)
    stamp = Stamp.of(path, data, stat)
    entry = cache.get(stamp)
    if entry is not None and (entry.warnings is not None or not lint):
        with suppress(ValueError):  # pydantic's ValidationError too: a bad entry is re-parsed
            return _from_entry(path, entry)
    text = _decode(data, path)
    del data
    with _collector_paused():
        deck, raw = _parse(text, path)
        warnings = [(p.line, p.message) for p in deck.warnings] if lint else None
        meta = deck.meta.model_dump_json()
        entry = Entry(deck.id, meta, deck.lines, warnings, deck.faces, marshal.dumps(raw))
        del raw
    cache.put(stamp, entry)
    return deck


def _from_entry(path: Path, entry: Entry) -> LoadedDeck:
    """A deck as the cache recorded it; its cards are validated again only when first used."""
    from quiz.model import DeckFile, DeckMeta

    def build() -> list[Card]:
        with _collector_paused():
            try:
                return DeckFile.model_validate({"cards": marshal.loads(entry.cards)}).cards
            except (ValueError, TypeError, EOFError):  # an entry quiz did not write
                return parse_deck(_read_text(path), path).cards

    return LoadedDeck(
        path,
        entry.deck_id,
        DeckMeta.model_validate_json(entry.meta),
        build,
        entry.lines,
        faces=entry.faces,
        warnings=None
        if entry.warnings is None
        else [Problem(path, line, text, warning=True) for line, text in entry.warnings],
    )


def deck_cache(data_dir: str | Path | None = None) -> DeckCache:
    """The parse cache under the data dir."""
    from quiz.paths import data_dir as default_data_dir

    return DeckCache(default_data_dir(data_dir), _code_version())


@functools.cache
def _code_version() -> bytes:
    """What a cache entry depends on besides the deck: Python, pydantic and the deck code."""
    import pydantic_core

    from quiz import lint, model

    digest = hashlib.blake2b(f"{sys.version}|{pydantic_core.__version__}".encode())
    for module in (model, lint, cache_module, sys.modules[__name__]):
        with suppress(OSError, TypeError):
            digest.update(Path(str(module.__file__)).read_bytes())
    return digest.digest()


def find_deck_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Deck files under the given files and folders (``*.toml``, sorted), and missing paths."""
    files: list[Path] = []
    missing: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.toml") if p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            missing.append(Problem(path, 0, "no such file or folder"))
    unique = {f.resolve(): f for f in reversed(files)}  # one file named two ways is one deck
    return list(reversed(unique.values())), missing


def looks_like_path(name: str) -> bool:
    """Whether a deck named on the command line is a file or folder rather than a deck id."""
    return name.endswith(".toml") or "/" in name or "\\" in name or Path(name).exists()


def default_deck_paths(data_dir: str | Path | None = None) -> list[Path]:
    """Where decks are looked for when none are named: the bundled decks and the user's own."""
    from quiz.paths import bundled_decks_dir, user_decks_dir

    paths = [bundled_decks_dir()]
    user = user_decks_dir(data_dir)
    if user.is_dir():
        paths.append(user)
    return paths


def library_paths(data_dir: str | Path | None = None, extra: Iterable[Path] = ()) -> list[Path]:
    """Every place the one deck library is read from, each once: the bundled decks, the
    learner's deck folder, then ``extra`` (the settings' ``[decks] paths``, the decks studied
    by path, the decks named now). Every command and the app read this same list."""
    paths: dict[Path, Path] = {}
    for path in [*default_deck_paths(data_dir), *extra]:
        paths.setdefault(path.resolve(), path)
    return list(paths.values())


def outside_library(
    named: Iterable[Path], data_dir: str | Path | None, extra: Iterable[Path] = ()
) -> list[Path]:
    """The deck files and folders named now that the library would not read by itself (not
    under a folder of ``library_paths``): remembered, so the deck stays in the library."""
    known = [p.resolve() for p in library_paths(data_dir, extra)]
    return [
        f for f in named if f.exists() and not any(f.resolve().is_relative_to(k) for k in known)
    ]


def load_library(
    paths: Iterable[Path],
    *,
    data_dir: str | Path | None = None,
    cached: bool = True,
    lint: bool = False,
) -> Library:
    """Load every deck on the given paths; a deck that fails is kept as located problems."""
    paths = list(paths)
    files, missing = find_deck_files(paths)
    library = Library(failures=list(missing), paths=paths, stamps=file_stamps(files))
    seen: dict[str, LoadedDeck] = {}
    for file in files:
        try:
            deck = load_deck(file, data_dir=data_dir, cached=cached, lint=lint)
        except DeckError as exc:
            library.failures.extend(exc.problems)
            continue
        if (earlier := seen.get(deck.id)) is not None:
            if is_bundled(file):
                continue  # the learner's own copy of a bundled deck is the one studied
            if not is_bundled(earlier.path):
                library.failures.append(
                    Problem(file, 1, f"deck id {deck.id!r} is already used by {earlier.path}")
                )
                continue
            library.decks.remove(earlier)
        seen[deck.id] = deck
        library.decks.append(deck)
    return library


def is_bundled(path: Path) -> bool:
    """Whether a deck file is one shipped with quiz (edited only through a copy)."""
    from quiz.paths import bundled_decks_dir

    return path.resolve().is_relative_to(bundled_decks_dir())


def own_copy(deck: LoadedDeck, data_dir: str | Path | None = None) -> Path | None:
    """Where the learner edits a deck: a bundled deck is first copied to their deck folder
    (``[deck] id`` and all, so its progress stays), which from then on is the one loaded.
    Returns the copy's path when one was made, else None (edit the deck's own file)."""
    from quiz.paths import user_decks_dir

    if not is_bundled(deck.path):
        return None
    target = user_decks_dir(data_dir) / deck.path.name
    if target.exists():
        raise DeckError([Problem(target, 1, "a file of that name is already in your decks")])
    text = deck.path.read_text(encoding="utf-8")
    if not re.search(r"(?m)^\s*id\s*=", text.split("[[cards]]", 1)[0]):
        raise DeckError([Problem(deck.path, 1, "a bundled deck without [deck] id")])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


# --- checking -------------------------------------------------------------------------------


def lint_deck(deck: LoadedDeck) -> list[Problem]:
    """Advice on a deck that loads (``quiz.lint``), located at each card's line."""
    from quiz.lint import lint_cards

    warnings: list[Problem] = []
    for index, message in lint_cards(deck.cards, deck.title):
        label = card_label(index, {"id": deck.cards[index].id})
        line = deck.lines[index] if index < len(deck.lines) else 1
        warnings.append(Problem(deck.path, line, f"{label}: {message}", warning=True))
    return warnings


@dataclass
class CheckReport:
    """What ``quiz check`` found."""

    problems: list[Problem] = field(default_factory=list)
    deck_count: int = 0
    card_count: int = 0
    study_count: int = 0
    """What the cards study as: each side of a reversed card and each cloze gap is one."""

    @property
    def error_count(self) -> int:
        return sum(not p.warning for p in self.problems)

    @property
    def warning_count(self) -> int:
        return sum(p.warning for p in self.problems)


def check_paths(paths: Iterable[Path], *, data_dir: str | Path | None = None) -> CheckReport:
    """Load and lint every deck under the paths, collecting problems instead of stopping.

    A deck unchanged since it was last loaded is not parsed again: its advice is cached too.
    """
    library = load_library(paths, data_dir=data_dir, lint=True)
    report = CheckReport(problems=list(library.failures))
    for deck in library.decks:
        report.deck_count += 1
        report.card_count += deck.card_count
        report.study_count += len(deck.items)
        report.problems.extend(deck.warnings)
    report.deck_count += len({p.path for p in library.failures})
    return report


# --- saving ---------------------------------------------------------------------------------

_FIRST_KEYS = ("id", "kind")
_LAST_KEYS = ("tags", "explanation", "source")


def _card_table(card: Card) -> dict[str, Any]:
    """A card as a TOML table: id first, then its own fields, then tags/explanation/source."""
    data = card.model_dump(mode="python", exclude_defaults=True, exclude_none=True)
    data.pop("kind", None)  # inferred from the keys on load
    ordered = {k: data.pop(k) for k in _FIRST_KEYS if k in data}
    rest = {k: data.pop(k) for k in _LAST_KEYS if k in data}
    return {**ordered, **data, **rest}


_ARRAY = re.compile(r'(?m)^([\w"-]+ = )\[\n((?:    "(?:[^"\\\n]|\\.)*",\n)+)\]$')
"""A short array of strings as ``tomli_w`` writes it: one element per line."""


def _inline_arrays(text: str) -> str:
    """``tags = ["people"]`` on one line, as an author writes it, when it fits in 100 columns."""

    def inline(m: re.Match[str]) -> str:
        # "\n" only: ``splitlines`` would also break inside a string at U+0085 or U+2028.
        items = [line.strip().removesuffix(",") for line in m.group(2).split("\n") if line]
        one = f"{m.group(1)}[{', '.join(items)}]"
        return one if len(one) <= 100 else m.group(0)

    return _ARRAY.sub(inline, text)


def _table_toml(name: str, table: dict[str, Any], *, multiline: bool, array: bool) -> str | None:
    """One ``[deck]`` or ``[[cards]]`` table as an author writes it: a header of its own (never
    the one-line inline table ``tomli_w`` picks for short cards), sub-tables as
    ``[cards.source]``, short arrays on one line. None when it would not read back as
    ``table``; then the caller writes the deck the plain ``tomli_w`` way."""
    import tomli_w

    def dump(data: dict[str, Any]) -> str:
        return tomli_w.dumps(data, multiline_strings=multiline)

    keys = {k: v for k, v in table.items() if not isinstance(v, dict)}
    parts = [(f"[[{name}]]\n" if array else f"[{name}]\n") + dump(keys)]
    parts += [f"[{name}.{k}]\n" + dump(v) for k, v in table.items() if isinstance(v, dict)]
    text = "\n".join(parts)
    if "\\n" not in json.dumps(table, default=str):
        return _inline_arrays(text)  # every line is one key: nothing a pattern could misread
    for candidate in (_inline_arrays(text), text):  # an array-like line in a multi-line string
        read = tomllib.loads(candidate)[name]
        if (read[0] if array else read) == table:
            return candidate
    return None


def deck_to_toml(deck: DeckFile) -> str:
    """A deck as TOML text (``tomli-w``), with the schema comment for editors."""
    import tomli_w

    meta = deck.deck.model_dump(mode="python", exclude_defaults=True, exclude_none=True)
    body: dict[str, Any] = {"deck": meta, "cards": [_card_table(c) for c in deck.cards]}
    # Multi-line strings read better, but TOML folds their CR LF into LF: keep exactness first.
    multiline = "\\r" not in json.dumps(body, default=str)
    chunks = [_table_toml("deck", meta, multiline=multiline, array=False)]
    chunks += [_table_toml("cards", c, multiline=multiline, array=True) for c in body["cards"]]
    if None in chunks:
        return SCHEMA_HEADER + tomli_w.dumps(body, multiline_strings=multiline)
    return SCHEMA_HEADER + "\n".join(c for c in chunks if c)


def card_to_toml(card: Card) -> str:
    """One card as the ``[[cards]]`` table a deck file holds (what an author edits)."""
    import tomli_w

    table = _card_table(card)
    text = _table_toml("cards", table, multiline=True, array=True)
    return text or tomli_w.dumps({"cards": [table]}, multiline_strings=True)


def save_deck(deck: DeckFile, path: Path, *, force: bool = False) -> list[Path]:
    """Write a deck (and ``deck.schema.json`` beside it when absent); return the files written.

    An existing deck file is replaced only with ``force``; see ``quiz.files.write_output``.
    A deck without ``[deck] id`` is written with the id its file name gives it, so that the
    file can be renamed or moved later without orphaning its progress.
    """
    from quiz.files import OutputError, write_output

    path = Path(path)
    deck_id = _deck_id_from(path)
    if deck.deck.id is None and _VALID_ID.fullmatch(deck_id) and len(deck_id) <= 200:
        meta = deck.deck.model_copy(update={"id": deck_id})
        deck = deck.model_copy(update={"deck": meta})
    write_output(path, deck_to_toml(deck), force=force)
    written = [path]
    schema = path.parent / SCHEMA_NAME
    if not schema.exists():
        with suppress(OutputError):  # a convenience for editors, never a reason to fail
            write_output(schema, schema_text())
            written.append(schema)
    return written


def schema_text() -> str:
    """The deck JSON Schema as shipped in ``decks/deck.schema.json``."""
    from quiz.model import deck_json_schema

    return json.dumps(deck_json_schema(), indent=2, ensure_ascii=False) + "\n"


def starter_deck(title: str) -> DeckFile:
    """A small deck with one card of every kind, for authors to copy from."""
    from quiz.model import DeckFile

    return DeckFile.model_validate(
        {
            "deck": {"title": title, "description": "A starter deck: one card of every kind."},
            "cards": [
                {
                    "id": "basic",
                    "front": "What is the capital of France?",
                    "back": "Paris",
                    "reverse": False,
                    "explanation": "Basic: reveal with space, then rate 1-4.",
                },
                {
                    "id": "basic-reversed",
                    "front": "Chat",
                    "back": "Cat (French)",
                    "reverse": True,
                    "explanation": "reverse = true also asks back to front.",
                },
                {
                    "id": "cloze",
                    "cloze": "Water boils at {{100::number}} degrees Celsius at {{sea level}}.",
                },
                {
                    "id": "typed",
                    "prompt": "Who wrote 'Pride and Prejudice'?",
                    "answer": "Jane Austen",
                    "accept": ["Austen"],
                },
                {
                    "id": "choice",
                    "question": "Which of these are prime numbers?",
                    "answer": ["2", "7"],
                    "distractors": ["4", "9"],
                },
                {
                    "id": "true-false",
                    "statement": "The Pacific is the largest ocean.",
                    "true": True,
                },
                {
                    "id": "order",
                    "prompt": "Order these planets by distance from the Sun",
                    "items": ["Mercury", "Venus", "Earth", "Mars"],
                },
            ],
        }
    )


def write_starter_deck(path: Path, *, title: str, force: bool = False) -> list[Path]:
    """Write the starter deck to ``path``."""
    return save_deck(starter_deck(title), path, force=force)
