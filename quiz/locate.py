"""Turning a pydantic error in a TOML file into ``path:line: what is wrong``.

Decks and the settings file share it: the line of the key (inside its card or ``[table]``),
the card named by number and id, a did-you-mean for an unknown key.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from functools import cached_property
from typing import Any

__all__ = ["LineIndex", "allowed_fields", "card_label", "describe"]

_CARD_HEADER = re.compile(r"\[\[[ \t]*[\"']?cards[\"']?[ \t]*\]\]")
"""A ``[[cards]]`` header; it must start its line (searched as a literal: a ``^`` anchor makes
the regex engine try every position of a 12 MB text)."""
_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"(?:[^"\\]|\\.)*+"|'[^']*+')"""
_KEY_AT = re.compile(rf"\s*(\[)?\[?\s*(?:{_KEY_PART}\s*\.\s*)*({_KEY_PART})\s*(?(1)\]|=)")
"""A line's key: ``a.b.key =`` or ``[a.key]`` / ``[[key]]``; group 2 is the last part."""
_HEADER = re.compile(r"\s*\[\[?\s*([\w\"'.-]+?)\s*\]\]?\s*(?:#.*)?$")
"""A table header line, ``[name]`` or ``[[name]]``; group 1 is the name."""


class LineIndex:
    """Where cards and keys are in a TOML text, to turn a pydantic error location into a line.

    Lines are split on "\\n" only, as TOML counts them (``str.splitlines`` also breaks at
    U+2028 and friends, which TOML strings may hold). Each line's key is indexed once, so a
    deck with a million errors is located in linear time.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_count = text.count("\n") + 1
        self.card_lines: list[int] = []
        line, pos = 1, 0
        for match in _CARD_HEADER.finditer(text):
            start = text.rfind("\n", 0, match.start()) + 1
            if text[start : match.start()].strip(" \t"):
                continue
            line += text.count("\n", pos, start)
            pos = start
            self.card_lines.append(line)

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines, split only when a problem has to be located."""
        return self.text.split("\n")

    @cached_property
    def keys(self) -> dict[str, list[int]]:
        """The lines each key is set or opened on, built once and only when a problem is found."""
        keys: dict[str, list[int]] = {}
        for number, line in enumerate(self.lines, start=1):
            if match := _KEY_AT.match(line):
                key = match.group(2)
                keys.setdefault(key[1:-1] if key[0] in "\"'" else key, []).append(number)
        return keys

    def card_ranges(self, count: int) -> list[tuple[int, int]]:
        """Line range of each card: its ``[[cards]]`` header up to the next table header."""
        if len(self.card_lines) != count:
            # Cards written inline (``cards = [{...}]``): point at the ``cards`` key.
            line = self.key_line("cards", 1, self.line_count) or 1
            return [(line, line)] * count
        ranges = []
        for n, start in enumerate(self.card_lines):
            end = self.card_lines[n + 1] - 1 if n + 1 < len(self.card_lines) else self.line_count
            ranges.append((start, end))
        return ranges

    def key_line(self, key: str, start: int, end: int) -> int | None:
        """First line in [start, end] that assigns ``key`` (bare, quoted or dotted) or opens it."""
        lines = self.keys.get(key, [])
        at = bisect.bisect_left(lines, start)
        return lines[at] if at < len(lines) and lines[at] <= end else None

    def deck_range(self) -> tuple[int, int]:
        """Lines of the ``[deck]`` part: everything before the first card."""
        end = self.card_lines[0] - 1 if self.card_lines else self.line_count
        return 1, max(end, 1)

    @cached_property
    def tables(self) -> dict[str, tuple[int, int]]:
        """Lines of each ``[name]`` table: its header up to the next header (or the end);
        found once, and only when a problem has to be located."""
        headers = []
        for number, line in enumerate(self.lines, start=1):
            if line.lstrip().startswith("[") and (match := _HEADER.match(line)):
                headers.append((number, match.group(1).strip("\"'")))
        ends = [n - 1 for n, _ in headers[1:]] + [self.line_count] if headers else []
        tables: dict[str, tuple[int, int]] = {}
        for (start, name), end in zip(headers, ends, strict=True):
            tables.setdefault(name, (start, end))
        return tables

    def locate(self, loc: Sequence[int | str], ranges: list[tuple[int, int]]) -> int:
        """The line an error at ``loc`` should point at: its last key found inside the part
        of the file the location names (a card, the deck, a table), else that part's start."""
        start, end, keys = self._part(loc, ranges)
        for key in reversed(keys):
            line = self.key_line(key, start, end)
            if line:
                return line
        return start

    def _part(
        self, loc: Sequence[int | str], ranges: list[tuple[int, int]]
    ) -> tuple[int, int, list[str]]:
        """The lines ``loc`` lies in, and the keys of ``loc`` to look for there."""
        from quiz.model import KINDS

        head = loc[0] if loc else None
        names = [k for k in loc[1:] if isinstance(k, str)]
        if head == "cards" and len(loc) >= 2 and isinstance(loc[1], int) and loc[1] < len(ranges):
            start, end = ranges[loc[1]]
            return start, end, [k for k in names if k not in KINDS]
        if head == "deck":
            return *self.deck_range(), names
        if isinstance(head, str) and (table := self.tables.get(head)):
            return *table, names or [head]
        return 1, self.line_count, [k for k in loc if isinstance(k, str)]


def card_label(index: int, raw: Any) -> str:
    card_id = raw.get("id") if isinstance(raw, dict) else None
    label = f"card {index + 1}"
    if isinstance(card_id, str):
        label += f" (id {card_id!r})"
    return label


def allowed_fields(loc: Sequence[int | str], root: type[Any] | None = None) -> list[str]:
    """Field names valid where an unknown one was found, for a did-you-mean hint; ``root`` is
    the model validated (a deck file unless given)."""
    from quiz import model

    kind_models: dict[str, type[Any]] = {
        "basic": model.BasicCard,
        "cloze": model.ClozeCard,
        "typed": model.TypedCard,
        "choice": model.ChoiceCard,
        "truefalse": model.TrueFalseCard,
        "order": model.OrderCard,
    }
    parents = [k for k in loc[:-1] if isinstance(k, str)]
    target: type[Any] = root or model.DeckFile
    for name in parents:
        if name == "cards":
            continue
        if name in kind_models:
            target = kind_models[name]
            continue
        info = getattr(target, "model_fields", {}).get(name)
        if info is None:
            return []
        annotation = info.annotation
        nested = next(
            (
                a
                for a in getattr(annotation, "__args__", (annotation,))
                if hasattr(a, "model_fields")
            ),
            None,
        )
        if nested is None:
            return []
        target = nested
    return list(getattr(target, "model_fields", {}))


def describe(error: Any, raw_cards: list[Any], root: type[Any] | None = None) -> str:
    """One readable sentence for a pydantic error, naming the card (of a deck) and the field;
    ``root`` is the model validated (a deck file unless given: the settings too)."""
    from quiz.model import KINDS

    loc: tuple[int | str, ...] = tuple(error["loc"])
    where = ""
    fields = loc
    if len(loc) >= 2 and loc[0] == "cards" and isinstance(loc[1], int):
        raw = raw_cards[loc[1]] if loc[1] < len(raw_cards) else None
        where = card_label(loc[1], raw) + ": "
        fields = tuple(k for k in loc[2:] if k not in KINDS)
    name = ".".join(str(k) for k in fields if k != "[key]")  # a table's key that is wrong
    if len(name) > 80:  # an unknown key can be megabytes long
        name = name[:77] + "..."
    kind = error["type"]
    if kind == "missing":
        return f"{where}missing required field {name!r}"
    if kind == "extra_forbidden":
        hint = difflib.get_close_matches(str(loc[-1]), allowed_fields(loc, root), n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        return f"{where}unknown field {name!r}{suggestion}"
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == r"\S":
        return f"{where}{name} must not be blank"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}{name + ': ' if name else ''}{message}"
