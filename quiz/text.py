"""Make untrusted text safe to put on a terminal: every control character becomes visible.

Deck text and typed answers are data. A terminal would obey an ESC sequence in them (colours,
hyperlinks, moving the cursor) and bidi overrides would reorder what is shown, so ``printable``
swaps each for a visible stand-in: C0 controls for their Unicode control pictures (ESC shows
as ``␛``, so ``\\x1b[31m`` reads ``␛[31m``), C1 controls and bidi controls for ``<U+XXXX>``.
Newlines and tabs are kept.
"""

from __future__ import annotations

__all__ = ["printable"]

_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))


def _visible(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


_TABLE = {
    code: _visible(code)
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), *_BIDI)
    if chr(code) not in "\n\t"
}


def printable(text: str) -> str:
    """``text`` with control, escape and bidi-override characters shown as visible symbols."""
    return text.translate(_TABLE)
