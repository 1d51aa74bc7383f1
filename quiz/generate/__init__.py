"""Draft a deck from a plain-text article: offline, rule-based and reproducible byte for byte.

A draft is where an author starts, not a finished deck, so the pipeline prefers cards it can
check over clever ones: every answer is text of the sentence it came from, distractors are
other facts of the same class in the same article, and every card says where it came from.

Pipeline (one module each): ``text`` cleans the text, splits paragraphs and sentences and
drops what is not reporting; ``people`` learns the article's people, speakers and names in a
first pass; ``quotes`` and ``facts`` find what a sentence says; ``focus`` finds the key phrase
of a sentence nothing else marks; ``questions`` drafts candidate cards sentence by sentence,
with ``distractors`` for choice cards; ``draft`` vets them with ``quiz check``'s lint and picks
them (``--max``). ``words`` holds the word lists. No model and no download: capitalised-name
heuristics, small word lists and ``wordfreq``'s shipped English counts do the work.
"""

from quiz.generate.draft import (
    MAX_ARTICLE_BYTES,
    Draft,
    GenerateError,
    GenerateReport,
    generate_deck,
    read_article,
)
from quiz.generate.text import EXCERPT_WORDS, Skipped, split_paragraphs, split_sentences

__all__ = [
    "EXCERPT_WORDS",
    "MAX_ARTICLE_BYTES",
    "Draft",
    "GenerateError",
    "GenerateReport",
    "Skipped",
    "generate_deck",
    "read_article",
    "split_paragraphs",
    "split_sentences",
]
