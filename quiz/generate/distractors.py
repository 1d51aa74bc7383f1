"""Wrong options for choice cards, picked from facts of the same kind in the same article, in
an order fixed by the answer so a draft is reproducible byte for byte.

A choice card gets three distractors or none (the caller then writes a typed or basic card):
two wrong options make a guess too easy. An option that names the answer again ("Bennett"
beside "Naftali Bennett") is no distractor, and a number is offered only beside numbers of
its own size.
"""

from __future__ import annotations

import hashlib
import re

from quiz.lint import norm

DISTRACTORS = 3


def digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def _alias(a: str, b: str) -> bool:
    """Whether one option names the other: the same words, or one's words inside the other's."""
    x, y = f" {norm(a)} ", f" {norm(b)} "
    return x in y or y in x


def pick(answer: str, pool: list[str]) -> list[str]:
    """Three distractors from ``pool`` (distinct, never the answer nor an alias of it) in a
    fixed shuffle; none when the pool has fewer than three."""
    # In the fixed shuffle's order, so that only the first few options are compared (a long
    # text's pool holds hundreds of names: comparing each with each was quadratic).
    chosen: list[str] = []
    for option in sorted(dict.fromkeys(pool), key=lambda o: digest(answer, o)):
        if not norm(option) or any(_alias(option, o) for o in [answer, *chosen]):
            continue
        chosen.append(option)
        if len(chosen) == DISTRACTORS:
            return chosen
    return []


_VALUE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _value(text: str) -> float | None:
    m = _VALUE.search(text)
    if m is None:
        return None
    number = float(m.group().replace(",", ""))
    for word, scale in _SCALE.items():
        if word in text:
            number *= scale
    return number


def pick_number(answer: str, pool: list[str]) -> list[str]:
    """``pick`` among numbers of the answer's size: within a factor of ten of it (a year within
    sixty years), so "12 km" is not offered beside "40,000 km"."""
    value = _value(answer)
    if value is None:
        return pick(answer, pool)
    year = answer.isdigit() and len(answer) == 4
    near = []
    for option in pool:
        other = _value(option)
        if other is None:
            continue
        if year:
            close = abs(other - value) <= 60
        else:
            close = value == other == 0 or (value > 0 and other > 0 and 0.1 <= other / value <= 10)
        if close:
            near.append(option)
    return pick(answer, near)
