"""``python -m bench.drafts``: how good are ``quiz generate``'s drafts of real texts?

For each key in ``bench/draft_keys/`` (the facts a teacher would test on one text, written in
our own words, with the words a right answer must contain) it drafts a deck from the text in
``../shared/texts/`` (the seed article from ``../shared/seeds/``; the texts never enter the
repository), then prints a row per text: cards, cards by kind, facts taught out of the key,
and the cards ``quiz check`` warns about. ``--show`` also lists each missed fact and each
flagged card. ``tests/unit/test_drafts.py`` holds the floor each key records.

A fact is taught when one card's answer holds one of its ``answer`` phrases (word for word,
case and punctuation aside) and the card as a whole (prompt and answer) holds each of its
``cue`` words (a cue "win|won" is either word): the card asks about that fact, not just about
the same name.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from quiz.generate import generate_deck
from quiz.lint import lint_cards, norm
from quiz.model import DeckFile, Item, OrderCard, TrueFalseCard, expand

__all__ = ["KEYS", "DraftScore", "Fact", "Key", "keys", "measure", "text_path"]

KEYS = Path(__file__).parent / "draft_keys"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@dataclass(frozen=True)
class Fact:
    """One fact a teacher would test, and how a card shows it was taught."""

    ask: str
    """The fact as a question, in our own words (for people reading the key)."""
    answer: tuple[str, ...]
    """Any of these phrases in a card's answer teaches it."""
    cue: tuple[str, ...] = ()
    """Words the card must also contain somewhere (so it asks about this fact)."""


@dataclass(frozen=True)
class Key:
    """The key of one text."""

    name: str
    text: str
    """The text's file name under ``../shared/texts`` (or ``seeds/article.txt``)."""
    facts: tuple[Fact, ...]
    floor: int = 0
    """Facts the draft must teach at least (the test's floor, raised as drafts improve)."""


@dataclass
class DraftScore:
    """What one draft of one text taught, and what in it ``quiz check`` flags."""

    key: Key
    deck: DeckFile
    taught: list[Fact] = field(default_factory=list)
    missed: list[Fact] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)

    @property
    def kinds(self) -> Counter[str]:
        return Counter(card.kind for card in self.deck.cards)


def keys() -> list[Key]:
    """Every key, in file-name order."""
    found = []
    for path in sorted(KEYS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        facts = tuple(
            Fact(f["ask"], tuple(f["answer"]), tuple(f.get("cue", ()))) for f in data["fact"]
        )
        found.append(Key(path.stem, data["text"], facts, data.get("floor", 0)))
    return found


def text_path(key: Key) -> Path:
    """Where the key's text is; it may be missing (a checkout without ``../shared``)."""
    if key.text == "seeds/article.txt":
        return SHARED / "seeds" / "article.txt"
    return SHARED / "texts" / key.text


def _answer_of(item: Item) -> str:
    card = item.card
    if isinstance(card, TrueFalseCard):  # a true statement teaches itself; a false one, its fix
        return card.statement if card.true else (card.explanation or "")
    return item.answer


def _has(text: str, phrase: str) -> bool:
    wanted = norm(phrase)
    return bool(wanted) and f" {wanted} " in f" {text} "


def measure(key: Key) -> DraftScore:
    """Draft the key's text and score the draft against the key."""
    text = text_path(key).read_text(encoding="utf-8")
    deck = generate_deck(text, source_name=text_path(key).name).deck
    # An order card shows its events but asks only their order: it teaches none of them.
    items = [i for i in expand("draft", deck.cards) if not isinstance(i.card, OrderCard)]
    seen = [(norm(_answer_of(i)), norm(f"{i.prompt} {_answer_of(i)}")) for i in items]
    result = DraftScore(key, deck)
    for fact in key.facts:
        hit = any(
            any(_has(answer, a) for a in fact.answer)
            and all(any(_has(whole, w) for w in c.split("|")) for c in fact.cue)
            for answer, whole in seen
        )
        (result.taught if hit else result.missed).append(fact)
    title = deck.deck.title or ""
    result.flagged = [f"card {i + 1}: {advice}" for i, advice in lint_cards(deck.cards, title)]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.drafts", description=__doc__)
    parser.add_argument("--show", action="store_true", help="list missed facts, flagged cards")
    parser.add_argument("names", nargs="*", help="only these keys (file stems)")
    args = parser.parse_args(argv)
    rows = [("TEXT", "CARDS", "KINDS", "TAUGHT", "FLAGGED")]
    total = taught = 0
    for key in keys():
        if args.names and key.name not in args.names:
            continue
        if not text_path(key).exists():
            print(f"skipped {key.name}: {text_path(key)} is missing", file=sys.stderr)
            continue
        m = measure(key)
        kinds = " ".join(f"{k}:{n}" for k, n in sorted(m.kinds.items()))
        share = f"{len(m.taught)}/{len(key.facts)} ({len(m.taught) / len(key.facts):.0%})"
        rows.append((key.name, str(len(m.deck.cards)), kinds, share, str(len(m.flagged))))
        total += len(key.facts)
        taught += len(m.taught)
        if args.show:
            details = [f"  missed: {f.ask}" for f in m.missed] + [f"  {f}" for f in m.flagged]
            rows += [(line, "", "", "", "") for line in details]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if total:
        print(f"all texts: {taught}/{total} facts taught ({taught / total:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
