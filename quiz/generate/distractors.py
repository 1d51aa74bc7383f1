"""Wrong options for choice cards, picked from facts of the same kind in the same article, in
an order fixed by the answer so a draft is reproducible byte for byte."""

from __future__ import annotations

import hashlib

from quiz.lint import norm

_DISTRACTORS = 3


def digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def pick(answer: str, pool: list[str]) -> list[str]:
    """Up to three distractors from ``pool``: distinct, never the answer, in a fixed shuffle."""
    seen = {norm(answer)}
    unique: list[str] = []
    for option in pool:
        if norm(option) not in seen:
            seen.add(norm(option))
            unique.append(option)
    return sorted(unique, key=lambda o: digest(answer, o))[:_DISTRACTORS]
