"""Text rules shared by every stage: cleaning workbook text for output, and matching names.

`clean_text` drops the characters XML 1.0 forbids and the control characters no document shows,
once, so that Word (which refuses them), the PDF (where they have no visible form) and the
terminal (where some are escape sequences) get the same text; tabs and line breaks are kept.
`strip_bidi` drops the bidirectional embedding, override and isolate controls (U+202A–U+202E,
U+2066–U+2069) from a text that leaves the pack (site pages, e-mail subjects, the terminal),
where one could make a name read backwards or reorder what follows it.
`normalise` is how headers, keys, sheet names, KPI and partnership names are matched: after
Unicode NFKC (so a composed "é" and "e" + combining accent, or a full-width "Ａ" and "A", are
one letter), case-insensitive, with runs of spaces folded. `shorten` fits a long text on a
summary line. `right_to_left` says whether a text is written right to left (Arabic, Hebrew…),
so both packs set it that way. `unbroken` keeps a short label (a quarter: "Q2 2025",
"2025年第2四半期") from breaking across lines in either pack, in every script.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_XML_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)


def clean_text(text: str) -> str:
    """Drop C0 controls (but tab and newlines), DEL, the C1 controls (U+0080–U+009F: U+009B
    starts a terminal escape sequence), lone surrogates, U+FFFE and U+FFFF."""
    return _XML_ILLEGAL.sub("", text) if text else ""


WORD_JOINER = "\u2060"  # invisible: no line break on either side of it
NO_BREAK_SPACE = "\u00a0"
# one em wide, and a line may break on either side of each: ideographs, kana, hangul, full-width
WIDE_CHARACTERS = ("\u1100-\u11ff\u2e80-\u303f\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff"
                   "\uff00-\uffef")
# scripts written without spaces between words: CJK, Thai and Lao, Myanmar, Khmer
_UNSPACED = re.compile(f"[{WIDE_CHARACTERS}\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")


def unspaced(text: str) -> bool:
    """Whether `text` has a letter of a script written without spaces between words, where a
    line may break between any two letters (CJK) or words (Thai)."""
    return _UNSPACED.search(text) is not None


def unbroken(text: str) -> str:
    """`text` that no line breaks inside, in both packs: its spaces non-breaking ("Q2 2025"),
    and a word joiner between two characters where one is of a script written without spaces
    ("2025年第2四半期" would otherwise break after any of its letters); never before a
    combining mark, which stays on its letter."""
    kept = []
    for i, char in enumerate(text):
        if char == " ":
            kept.append(NO_BREAK_SPACE)
            continue
        before = text[i - 1] if i else " "
        if before != " " and not unicodedata.category(char).startswith("M") and (
                unspaced(char) or unspaced(before)):
            kept.append(WORD_JOINER)
        kept.append(char)
    return "".join(kept)


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: str) -> str:
    """`text` without the bidi embedding, override and isolate controls (the marks U+200E,
    U+200F and U+061C, which reorder nothing beyond themselves, are kept)."""
    return _BIDI_CONTROLS.sub("", text) if text else text


def right_to_left(text: str) -> bool:
    """Whether `text` is written right to left, by its first letter of a strong direction (as
    HTML's `dir="auto"` decides): "فاطمة الزهراء، Regional Director" is, "Q3: تم التحسين" is not."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """How names are matched: NFKC, case-insensitive, surrounding spaces dropped, inner runs
    folded. NFKC again after case folding, which can undo it ("ǰ" folds to j + caron)."""
    folded = " ".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()
    return unicodedata.normalize("NFKC", folded)


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary with "…" to at most `limit` average letters'
    width (so 40 capital Ws, which print as wide as 60 letters, count as 60; a word longer than
    the limit is cut where the limit falls)."""
    line = " ".join(text.split())
    if _width(line) <= limit:
        return line
    used, end = 0.0, 0
    for char in line:
        used += _char_width(char)
        if used > limit - 1:  # room for the "…"
            break
        end += 1
    cut = line[:end]
    space = cut.rfind(" ")
    if space > len(cut) // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"


_NARROW = frozenset("iIjlft.,:;'|!()[] ")
_WIDE = frozenset("mwMW@%")


def _char_width(char: str) -> float:
    """How wide a character prints, against an average lower-case letter (1)."""
    if char in _NARROW:
        return 0.55
    if char in _WIDE:
        return 1.6
    if char.isupper() or char.isdigit():
        return 1.2
    if ord(char) > 0x2E7F and unicodedata.east_asian_width(char) in "WF":
        return 2.0
    return 1.0


def _width(text: str) -> float:
    return sum(_char_width(char) for char in text)
