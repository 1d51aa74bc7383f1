"""Make untrusted text safe to put on a terminal: every control character becomes visible.

Deck text and typed answers are data. A terminal would obey an ESC sequence in them (colours,
hyperlinks, moving the cursor) and bidi overrides would reorder what is shown, so ``printable``
swaps each for a visible stand-in: C0 controls for their Unicode control pictures (ESC shows
as ``␛``, so ``\\x1b[31m`` reads ``␛[31m``), C1 controls, bidi controls and marks, invisible
characters (zero-width space, word joiner, BOM) and the Unicode line and paragraph
separators for ``<U+XXXX>``. Newlines and tabs are kept by ``printable`` and shown by
``printable_line``, for what must stay on one line (a file name in a ``path:line: message``).
"""

from __future__ import annotations

__all__ = ["printable", "printable_line"]

_BIDI = (
    frozenset(range(0x202A, 0x202F))  # embeddings and overrides
    | frozenset(range(0x2066, 0x206A))  # isolates
    | {0x061C, 0x200E, 0x200F}  # the Arabic letter mark, left-to-right and right-to-left marks
)
_INVISIBLE = (
    {0x180E, 0x200B, 0xFEFF}  # Mongolian vowel separator, zero-width space, BOM
    | frozenset(range(0x2060, 0x2065))  # word joiner and the invisible operators
    | frozenset(range(0xFFF9, 0xFFFC))  # interlinear annotation
    | {0x2028, 0x2029}  # line and paragraph separators: a terminal may break the line there
)
# Kept: ZWNJ and ZWJ (U+200C, U+200D), which Persian, Indic scripts and emoji need.


def _visible(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


_LINE_TABLE = {
    code: _visible(code) for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), *_BIDI, *_INVISIBLE)
}
_TABLE = {code: shown for code, shown in _LINE_TABLE.items() if chr(code) not in "\n\t"}


def printable(text: str) -> str:
    """``text`` with control, escape, bidi and invisible characters shown as visible symbols."""
    return text.translate(_TABLE)


def printable_line(text: str) -> str:
    """``printable``, and newlines and tabs shown too (``␊``, ``␉``): it stays one line."""
    return text.translate(_LINE_TABLE)
