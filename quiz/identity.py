"""Card identity across edits: orphaned history, and relinking it to the edited card.

A card's key is its explicit ``id``, else a hash of its kind and prompt, so editing the prompt
of a card without an id gives it a new key and leaves its history behind (an orphan). When a
deck is loaded, each orphan is compared with the deck's new items of the same kind by what it
asked *and* what it answered (both kept in ``card_text``):

- the same answer and a prompt that kept its words (a word added, a clause moved, a typo
  fixed) or stayed ``SIMILARITY`` percent alike: the same card, relinked and the learner told;
- the same answer but a prompt that lost words, or a prompt nearly unchanged with another
  answer: perhaps the same card. Those are *unsure*: never relinked silently, but offered to
  the learner (``quiz relink``), and a pair said to be different is not offered again;
- anything else: another card.

A cloze's gaps are matched by their answers, whatever their numbers, so adding or removing a
gap moves no history to the wrong gap. History written before answers were kept is matched by
its prompt alone (a cloze's old answer is read back from the prompt where the text is
otherwise unchanged). History that matches nothing stays until ``quiz orphans --prune``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, utils

from quiz.model import ClozeCard, Item, cloze_answered
from quiz.storage import CardText, Store

__all__ = [
    "SIMILARITY",
    "DeckMove",
    "Orphan",
    "Relink",
    "Verdict",
    "decide",
    "edit_report",
    "find_orphans",
    "judge",
    "link",
    "match_edited",
    "relink_edited",
    "renamed_decks",
    "unsure_links",
]

SIMILARITY = 85.0
"""Prompt similarity (0-100) at which an edited card is the same card without asking."""
UNSURE = 50.0
"""Prompt similarity below which an edited card is another card, whatever it answers."""
UNSURE_SHARED = 60.0
"""Word overlap (``token_set_ratio``) at which a reworded prompt with the same answer is
worth asking about ("Australia's capital is which city?")."""
UNSURE_PROMPT_ONLY = 60.0
"""The same, for history whose answer was not kept: the prompt is all there is to go by."""
SAME_ANSWER = 90.0
"""Answer similarity at which two answers are the same (a typo fixed: "Shakespear")."""
NEW_ANSWER = 95.0
"""Prompt similarity at which a card whose answer changed may still be the same card."""


@dataclass(frozen=True, slots=True)
class Relink:
    """History that moved to an edited card."""

    deck_id: str
    old_key: str
    new_key: str
    old_prompt: str
    new_prompt: str
    score: float


@dataclass(frozen=True, slots=True)
class Orphan:
    """Progress whose card is in no loaded deck."""

    deck_id: str
    card_key: str
    entries: int
    """Log entries (answers and manual changes) it has."""
    prompt: str | None
    """What the card asked when last answered, if known."""
    deck_loaded: bool
    """False when the whole deck is missing (moved, deleted, or failed to load)."""
    last: datetime | None = None
    """When its last log entry was written."""


@dataclass(frozen=True, slots=True)
class DeckMove:
    """A deck with no progress whose cards are those of a deck no longer found: most likely
    its file was renamed or moved, and it had no ``[deck] id`` to keep its progress."""

    old_id: str
    new_id: str
    shared: int
    """Cards of the old deck's history that the new deck has, unchanged."""
    total: int
    """Cards with history in the old deck."""


RENAMED_SHARE = 0.5
"""Share of an unknown deck's cards a new deck must hold to be offered its history."""


def renamed_decks(store: Store, decks: Iterable[tuple[str, Sequence[Item]]]) -> list[DeckMove]:
    """Decks without progress that look like a deck whose file is gone (renamed, moved), by
    their cards; each old deck offered once, to the deck that shares most with it."""
    decks = list(decks)
    loaded = {deck_id for deck_id, _ in decks}
    with_progress = store.deck_ids()
    stored = [d for d in with_progress if d not in loaded]
    if not stored:  # the usual case: every deck with progress is here, nothing to read
        return []
    fresh = [(d, {i.key for i in items}) for d, items in decks if d not in with_progress]
    if not fresh:
        return []
    moves: list[DeckMove] = []
    taken: set[str] = set()
    for old in stored:
        history = store.card_keys(old)
        best = max(((len(history & keys), deck_id) for deck_id, keys in fresh), default=(0, ""))
        shared, new = best
        if new and new not in taken and shared >= max(1.0, RENAMED_SHARE * len(history)):
            taken.add(new)
            moves.append(DeckMove(old, new, shared, len(history)))
    return moves


def find_orphans(store: Store, decks: Iterable[tuple[str, Sequence[Item]]]) -> list[Orphan]:
    """Stored progress matching no item of the given decks (``(deck_id, items)`` pairs)."""
    current = {deck_id: {item.key for item in items} for deck_id, items in decks}
    orphans: list[Orphan] = []
    for deck_id in store.deck_ids():
        keys = current.get(deck_id, set())
        texts = store.texts(deck_id)
        lost = sorted(store.card_keys(deck_id) - keys)
        for key, (entries, last) in store.entry_spans(deck_id, lost).items():
            if entries:
                text = texts.get(key)
                prompt = None if text is None else text.prompt
                orphans.append(Orphan(deck_id, key, entries, prompt, deck_id in current, last))
    return orphans


Verdict = str
"""``"same"``, ``"unsure"`` or ``"other"``: what an edited card is to an orphan."""


def _words(text: str) -> list[str]:
    words = utils.default_process(text).split()  # "what's" -> "what", "s": a lone letter
    return [w for w in words if w not in _LITTLE and not (len(w) == 1 and w.isalpha())]


_LITTLE = frozenset({"a", "an", "the", "of", "to", "in", "on", "at", "is", "are", "was", "and"})
"""Words whose loss changes no fact ("Who wrote the Hamlet?" is "Who wrote Hamlet?")."""


def _kept_words(old: str, new: str) -> bool:
    """Whether every word of the old prompt is still in the new one, typos forgiven: a word
    added or a clause moved, never a word replaced ("Hamlet" by "Macbeth")."""
    later, earlier = _words(new), _words(old)
    return bool(earlier) and all(any(fuzz.ratio(w, n) >= 80 for n in later) for w in earlier)


_GAP = re.compile(r"\[[^\[\]]*\]")


def _old_answer(old: CardText, new: Item) -> str | None:
    """The old item's answer: stored, or for a cloze read back from its prompt where the new
    card's text is unchanged around the gap ("Pure water boils at [...] degrees" against
    "Pure water boils at 100 degrees": "100"); None when it cannot be told."""
    if old.answer is not None:
        return old.answer
    if old.kind != "cloze" or not isinstance(new.card, ClozeCard):
        return None
    gaps = list(_GAP.finditer(old.prompt))
    if len(gaps) != 1:
        return None
    before, after = old.prompt[: gaps[0].start()], old.prompt[gaps[0].end() :]
    text = cloze_answered(new.card.cloze)
    if len(text) > len(before) + len(after) and text.startswith(before) and text.endswith(after):
        return text[len(before) : len(text) - len(after)]
    return None


def judge(old: CardText, new: Item) -> tuple[Verdict, float]:
    """Whether ``new`` is the card ``old`` was, and how alike their prompts are (0-100)."""
    p = fuzz.ratio(old.prompt, new.prompt, processor=utils.default_process)
    answer = _old_answer(old, new)
    if answer is None:  # history from before answers were kept: the prompt alone
        return ("same" if p >= SIMILARITY else "unsure" if p >= UNSURE_PROMPT_ONLY else "other"), p
    a = fuzz.ratio(answer, new.answer, processor=utils.default_process)
    if a >= SAME_ANSWER or _kept_words(answer, new.answer):  # "How are you (today)?"
        if p >= SIMILARITY or (p >= UNSURE and _kept_words(old.prompt, new.prompt)):
            return "same", p
        shared = fuzz.token_set_ratio(old.prompt, new.prompt, processor=utils.default_process)
        return ("unsure" if max(p, shared) >= UNSURE_SHARED else "other"), p
    return ("unsure" if p >= NEW_ANSWER and new.kind != "cloze" else "other"), p


def _shape(kind: str, facet: str) -> tuple[str, str]:
    """What an item must share with an orphan to inherit it: its kind, and for a basic card
    which face (a cloze's gap numbers say nothing: its answers tell the gaps apart)."""
    return kind, "" if kind == "cloze" else facet


def _matches(store: Store, deck_id: str, items: Sequence[Item]) -> list[tuple[Verdict, Relink]]:
    """Each orphan's best new item, one each, with its verdict ("same" ones first)."""
    history = store.card_keys(deck_id)
    orphans = history - {item.key for item in items}
    if not orphans:
        return []
    texts = store.texts(deck_id)
    fresh: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        if item.key not in history:
            fresh[_shape(item.kind, item.facet)].append(item)
    found: list[tuple[int, float, str, int, Item, Verdict]] = []
    for key in sorted(orphans):
        text = texts.get(key)
        if text is None:
            continue
        for n, item in enumerate(fresh.get(_shape(text.kind, text.facet), [])):
            verdict, score = judge(text, item)
            if verdict != "other":
                found.append((verdict != "same", -score, key, n, item, verdict))
    matched: list[tuple[Verdict, Relink]] = []
    taken: set[str] = set()
    apart = store.kept_apart(deck_id) if found else set()
    for _, minus, key, _, item, verdict in sorted(found, key=lambda f: f[:4]):
        if key in taken or item.key in taken or (key, item.key) in apart:
            continue  # one each; and never a pair the learner said are different cards
        taken.update((key, item.key))
        relink = Relink(deck_id, key, item.key, texts[key].prompt, item.prompt, -minus)
        matched.append((verdict, relink))
    return matched


def edit_report(
    store: Store, deck_id: str, items: Sequence[Item]
) -> tuple[list[Relink], list[Relink], list[str]]:
    """What loading these items would do to the deck's history, writing nothing: the cards
    relinked, the pairs to ask about, and the keys of history left matching no card."""
    matched = _matches(store, deck_id, items)
    orphans = store.card_keys(deck_id) - {item.key for item in items}
    kept = {r.old_key for _, r in matched}
    same = [r for verdict, r in matched if verdict == "same"]
    unsure = [r for verdict, r in matched if verdict == "unsure"]
    return same, unsure, sorted(orphans - kept)


def match_edited(
    store: Store, deck_id: str, items: Sequence[Item], now: datetime
) -> tuple[list[Relink], list[Relink]]:
    """Give each orphan of a deck to the new item that is certainly the same card; return
    those relinks and the pairs that may be the same card, for the learner to decide."""
    matched = _matches(store, deck_id, items)
    relinks = [r for verdict, r in matched if verdict == "same"]
    if relinks:
        store.relink(deck_id, [(r.old_key, r.new_key, r.score) for r in relinks], now)
    return relinks, [r for verdict, r in matched if verdict == "unsure"]


def relink_edited(store: Store, deck_id: str, items: Sequence[Item], now: datetime) -> list[Relink]:
    """Give each orphan of a deck to the new item that is certainly the same card."""
    return match_edited(store, deck_id, items, now)[0]


def unsure_links(store: Store, deck_id: str, items: Sequence[Item]) -> list[Relink]:
    """Orphans that may be an edited new item, for the learner to decide (``link``)."""
    return [r for verdict, r in _matches(store, deck_id, items) if verdict == "unsure"]


def link(store: Store, relink: Relink, now: datetime) -> bool:
    """Give one orphan's history to a new item, as the learner decided; False when the new
    item has history of its own by now (it was answered first), which is never mixed."""
    return store.relink(relink.deck_id, [(relink.old_key, relink.new_key, relink.score)], now) == 1


def decide(store: Store, relink: Relink, same: bool, now: datetime) -> bool:
    """The learner's word on an unsure pair, kept: ``same`` links them (``link``), else they
    are remembered as different cards and not offered again. True when history moved."""
    if same:
        return link(store, relink, now)
    store.keep_apart(relink.deck_id, relink.old_key, relink.new_key, now)
    return False
